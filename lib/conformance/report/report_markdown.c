#include <string.h>

#include "report.h"

/* Table cells: no pipes or newlines. */
static void cell(cf_strbuf *o, const char *s)
{
    for (; *s; s++)
        cf_sb_puts(o, *s == '|' ? "\\|" : *s == '\n' ? " " : (char[2]){*s, 0});
}

static void header(cf_strbuf *o, const cf_run *run)
{
    const unsigned *n = run->counts;
    bool ok = n[CF_FAIL] == 0;
    for (size_t i = 0; i < run->nprobes; i++)
        ok = ok && run->probes[i].state != CF_VS_BROKEN;
    cf_sb_printf(o, "# MQTT conformance certificate\n\n**Verdict: %s** — %zu tests: %u passed, %u failed, %u "
                    "skipped (not applicable), %u inconclusive, %u expected failures (known deviations), %u "
                    "unexpected passes.\n\n",
                 ok ? "PASS" : "FAIL", run->ntests, n[CF_PASS], n[CF_FAIL], n[CF_SKIP], n[CF_INCONCLUSIVE], n[CF_XFAIL],
                 n[CF_XPASS]);
    cf_sb_puts(o, "| | |\n|---|---|\n| Broker | ");
    cell(o, run->broker);
    cf_sb_puts(o, run->embedded ? " (embedded mosquitto started by the run)" : "");
    cf_kv kv[6];
    size_t nkv = cf_run_transport(run, kv);
    for (size_t i = 0; i < nkv; i++) {
        cf_sb_printf(o, " |\n| %s | ", kv[i].name);
        cell(o, kv[i].value);
    }
    cf_sb_puts(o, " |\n| Broker version (self-reported) | ");
    cell(o, run->broker_version[0] ? run->broker_version : "not published ($SYS/broker/version)");
    cf_sb_puts(o, " |\n| Profile | ");
    cell(o, run->profile->name);
    cf_sb_printf(o, " |\n| Suite | mqtk conformance suite %s, SHA-256 `%s` |\n| Options | `", CF_SUITE_VERSION,
                 run->suite_hash);
    cell(o, run->options[0] ? run->options : "(none)");
    cf_sb_printf(o, "` |\n| Started (UTC) | %s |\n| Duration | %.2f s |\n\n", run->started,
                 (double)run->duration_ms / 1000.0);
}

/* One column per protocol version of the run, side by side. */
static void by_protocol(cf_strbuf *o, const cf_run *run)
{
    mqtt_version versions[3];
    size_t nv = cf_run_versions(run, versions);
    unsigned k[3][CF_VERDICT_COUNT];
    size_t total[3];
    cf_sb_puts(o, "## Results by protocol version\n\n| |");
    for (size_t v = 0; v < nv; v++) {
        total[v] = cf_run_counts(run, versions[v], k[v]);
        cf_sb_printf(o, " MQTT %s |", mqtt_version_name(versions[v]));
    }
    cf_sb_puts(o, "\n|---|");
    for (size_t v = 0; v < nv; v++)
        cf_sb_puts(o, "---|");
    cf_sb_puts(o, "\n| Tests |");
    for (size_t v = 0; v < nv; v++)
        cf_sb_printf(o, " %zu |", total[v]);
    for (int i = 0; i < CF_VERDICT_COUNT; i++) {
        cf_sb_printf(o, "\n| %s |", cf_verdict_name((cf_verdict)i));
        for (size_t v = 0; v < nv; v++)
            cf_sb_printf(o, " %u |", k[v][i]);
    }
    cf_sb_puts(o, "\n\n");
}

static void tests_citing(cf_strbuf *o, const cf_run *run, const cf_registry *reg, const char *id)
{
    size_t shown = 0;
    for (size_t i = 0; i < run->ntests; i++) {
        const cf_test *t = run->tests[i];
        bool same = t->version == reg->version || (t->version == MQTT_V31 && reg->version == MQTT_V311);
        for (size_t k = 0; same && k < t->nstatements; k++) {
            if (strcmp(t->statements[k], id) != 0)
                continue;
            if (shown++ < 4)
                cf_sb_printf(o, "%s%s/%s", shown > 1 ? ", " : "", t->area, t->name);
        }
    }
    if (shown > 4)
        cf_sb_printf(o, " (+%zu)", shown - 4);
}

/* One table per registry; the 3.1 column, when 3.1 tests ran, sits beside the 3.1.1 verdict. */
static void statements(cf_strbuf *o, const cf_run *run)
{
    cf_column cols[4];
    size_t ncols = cf_run_columns(run, cols);
    for (size_t c = 0; c < ncols; c++) {
        const cf_column *col = &cols[c];
        if (col->tests != col->reg->version)
            continue;
        const cf_column *extra = c + 1 < ncols && cols[c + 1].reg == col->reg ? &cols[c + 1] : NULL;
        cf_sb_printf(o, "## MQTT %s statements\n\n| Statement | Section | Binds | Verdict |%s Tests | Summary |\n"
                        "|---|---|---|---|%s---|---|\n",
                     mqtt_version_name(col->reg->version), extra ? " With MQTT 3.1 |" : "", extra ? "---|" : "");
        for (size_t i = 0; i < col->reg->n; i++) {
            const cf_statement *s = &col->reg->items[i];
            cf_stmt_status st = cf_statement_status(run, col, s, NULL);
            cf_sb_printf(o, "| %s | %s | %s | %s | ", s->id, s->section, s->applies_to, cf_stmt_status_name(st));
            if (extra)
                cf_sb_printf(o, "%s | ", cf_column_covers(run, extra, s->id)
                                             ? cf_stmt_status_name(cf_statement_status(run, extra, s, NULL))
                                             : "—");
            tests_citing(o, run, col->reg, s->id);
            cf_sb_puts(o, " | ");
            cell(o, s->summary);
            if (st == CF_ST_NOT_TESTABLE && strlen(s->observable) > 4) {
                cf_sb_puts(o, " *(not testable: ");
                cell(o, s->observable + 4);
                cf_sb_puts(o, ")*");
            }
            cf_sb_puts(o, " |\n");
        }
        cf_sb_putc(o, '\n');
    }
}

/* Every failed statement with the test, the line and what was observed there. */
static void failed_statements(cf_strbuf *o, const cf_run *run)
{
    cf_column cols[4];
    size_t ncols = cf_run_columns(run, cols);
    bool any = false;
    for (size_t c = 0; c < ncols; c++) {
        const cf_column *col = &cols[c];
        for (size_t i = 0; i < col->reg->n; i++) {
            const cf_statement *s = &col->reg->items[i];
            if (!cf_column_covers(run, col, s->id))
                continue;
            cf_evidence ev;
            if (cf_statement_status(run, col, s, &ev) != CF_ST_FAIL)
                continue;
            if (!any)
                cf_sb_puts(o, "## Failed statements\n\n| Statement | Tested with | Test | Line | Observed |\n"
                              "|---|---|---|---|---|\n");
            any = true;
            cf_sb_printf(o, "| %s | MQTT %s | ", s->id, mqtt_version_name(col->tests));
            if (ev.test) {
                cf_sb_printf(o, "%s | %s:%d | ", ev.test->id, ev.test->file, ev.result->fail_line);
                cell(o, cf_sb_str(&ev.result->message));
            } else {
                const cf_version_probe *p = cf_run_probe(run, col->tests);
                cf_sb_puts(o, "(version probe, before any test) | — | ");
                cell(o, p ? p->evidence : "");
            }
            cf_sb_puts(o, " |\n");
        }
    }
    if (any)
        cf_sb_putc(o, '\n');
}

/* Versions the broker does not speak, or answered wrongly, and notes about the run's health. */
static void versions(cf_strbuf *o, const cf_run *run)
{
    bool any = false;
    for (size_t i = 0; i < run->nprobes; i++) {
        const cf_version_probe *p = &run->probes[i];
        if (p->state == CF_VS_SPOKEN)
            continue;
        if (!any)
            cf_sb_puts(o, "## Protocol versions\n\n");
        any = true;
        cf_sb_printf(o, "- MQTT %s: %s: ", mqtt_version_name(p->version),
                     p->state == CF_VS_UNSUPPORTED ? "not supported by the broker" : "**FAIL** before any test");
        cell(o, p->evidence);
        cf_sb_putc(o, '\n');
    }
    if (any)
        cf_sb_putc(o, '\n');
    if (run->health.len) {
        cf_sb_puts(o, "## Broker health\n\n");
        cell(o, cf_sb_str(&run->health));
        cf_sb_puts(o, "\n\n");
    }
    if (run->interrupted) {
        cf_strbuf why = {0};
        cf_run_interruption(run, &why);
        cf_sb_puts(o, "**This run was interrupted: the results are partial.** ");
        cell(o, cf_sb_str(&why));
        cf_sb_puts(o, ".\n\n");
        cf_sb_free(&why);
    }
}

static void problems(cf_strbuf *o, const cf_run *run)
{
    bool any_dev = false;
    for (size_t i = 0; i < run->ntests; i++) {
        const cf_result *r = &run->results[i];
        if (r->verdict != CF_XFAIL && r->verdict != CF_XPASS)
            continue;
        if (!any_dev)
            cf_sb_puts(o, "## Known deviations\n\n| Test | Statements | Verdict | Reason |\n|---|---|---|---|\n");
        any_dev = true;
        cf_sb_printf(o, "| %s | ", run->tests[i]->id);
        for (size_t k = 0; k < run->tests[i]->nstatements; k++)
            cf_sb_printf(o, "%s%s", k ? " " : "", run->tests[i]->statements[k]);
        cf_sb_printf(o, " | %s | ", cf_verdict_name(r->verdict));
        cell(o, r->deviation);
        cf_sb_puts(o, " |\n");
    }
    if (any_dev)
        cf_sb_putc(o, '\n');
    bool any_fail = false;
    for (size_t i = 0; i < run->ntests; i++) {
        const cf_result *r = &run->results[i];
        if (r->verdict != CF_FAIL && r->verdict != CF_INCONCLUSIVE && r->verdict != CF_XFAIL)
            continue;
        if (!any_fail)
            cf_sb_puts(o, "## Transcripts of failing exchanges\n\n");
        any_fail = true;
        const cf_test *t = run->tests[i];
        cf_sb_printf(o, "### %s — %s\n\n%s:%d, statements:", t->id, cf_verdict_name(r->verdict), t->file, t->line);
        for (size_t k = 0; k < t->nstatements; k++)
            cf_sb_printf(o, " %s (%s)", t->statements[k], r->obs ? cf_obs_name(r->obs[k]) : "not run");
        for (size_t k = 0; k < r->nviolations; k++)
            cf_sb_printf(o, " %s (fail: broken by a packet)", r->violations[k]);
        if (r->rerun_note.len)
            cf_sb_printf(o, "\n\nRe-run alone: %s", cf_sb_str(&r->rerun_note));
        else if (r->rerun == CF_RERUN_REPRODUCED)
            cf_sb_puts(o, "\n\nRe-run alone: the failure reproduced.");
        cf_sb_puts(o, "\n\n> ");
        cell(o, cf_sb_str(&r->message));
        cf_sb_puts(o, "\n\n```\n");
        cf_sb_puts(o, cf_sb_str(&r->log.text));
        cf_sb_puts(o, "```\n\n");
    }
}

int cf_report_markdown(const cf_run *run, const char *path, cf_strbuf *err)
{
    cf_strbuf o = {0};
    header(&o, run);
    versions(&o, run);
    by_protocol(&o, run);
    failed_statements(&o, run);
    statements(&o, run);
    problems(&o, run);
    return cf_report_save(&o, path, err);
}
