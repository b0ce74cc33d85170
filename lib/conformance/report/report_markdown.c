#include <string.h>

#include "report.h"

/* Table cells: no pipes or newlines. */
static void cell(base_strbuf *o, const char *s)
{
    for (; *s; s++)
        base_sb_puts(o, *s == '|' ? "\\|" : *s == '\n' ? " " : (char[2]){*s, 0});
}

static void header(base_strbuf *o, const rp_run *run)
{
    const unsigned *n = run->counts;
    bool ok = n[CR_FAIL] == 0;
    for (size_t i = 0; i < run->nprobes; i++)
        ok = ok && run->probes[i].state != CR_VS_BROKEN;
    base_sb_printf(o,
                   "# MQTT conformance certificate\n\n**Verdict: %s** — %zu tests: %u passed, %u failed, %u "
                   "skipped (not applicable), %u inconclusive, %u expected failures (known deviations), %u "
                   "unexpected passes.\n\n",
                   ok ? "PASS" : "FAIL", run->ntests, n[CR_PASS], n[CR_FAIL], n[CR_SKIP], n[CR_INCONCLUSIVE],
                   n[CR_XFAIL], n[CR_XPASS]);
    base_sb_puts(o, "| | |\n|---|---|\n| Broker | ");
    cell(o, run->broker);
    base_sb_puts(o, run->embedded ? " (embedded mosquitto started by the run)" : "");
    cr_kv kv[6];
    size_t nkv = rp_run_transport(run, kv);
    for (size_t i = 0; i < nkv; i++) {
        base_sb_printf(o, " |\n| %s | ", kv[i].name);
        cell(o, kv[i].value);
    }
    base_sb_puts(o, " |\n| Broker version (self-reported) | ");
    cell(o, run->broker_version[0] ? run->broker_version : "not published ($SYS/broker/version)");
    base_sb_puts(o, " |\n| Profile | ");
    cell(o, run->profile->name);
    base_sb_printf(o, " |\n| Suite | mqtk conformance suite %s, SHA-256 `%s` |\n| Options | `", RP_SUITE_VERSION,
                   run->suite_hash);
    cell(o, run->options[0] ? run->options : "(none)");
    base_sb_printf(o, "` |\n| Started (UTC) | %s |\n| Duration | %.2f s |\n\n", run->started,
                   (double)run->duration_ms / 1000.0);
}

/* One column per protocol version of the run, side by side. */
static void by_protocol(base_strbuf *o, const rp_run *run)
{
    mqtt_version versions[3];
    size_t nv = rp_run_versions(run, versions);
    unsigned k[3][CR_VERDICT_COUNT];
    size_t total[3];
    base_sb_puts(o, "## Results by protocol version\n\n| |");
    for (size_t v = 0; v < nv; v++) {
        total[v] = rp_run_counts(run, versions[v], k[v]);
        base_sb_printf(o, " MQTT %s |", mqtt_version_name(versions[v]));
    }
    base_sb_puts(o, "\n|---|");
    for (size_t v = 0; v < nv; v++)
        base_sb_puts(o, "---|");
    base_sb_puts(o, "\n| Tests |");
    for (size_t v = 0; v < nv; v++)
        base_sb_printf(o, " %zu |", total[v]);
    for (int i = 0; i < CR_VERDICT_COUNT; i++) {
        base_sb_printf(o, "\n| %s |", cr_verdict_name((cr_verdict)i));
        for (size_t v = 0; v < nv; v++)
            base_sb_printf(o, " %u |", k[v][i]);
    }
    base_sb_puts(o, "\n\n");
}

static void tests_citing(base_strbuf *o, const rp_run *run, const cs_registry *reg, const char *id)
{
    size_t shown = 0;
    for (size_t i = 0; i < run->ntests; i++) {
        const cs_test *t = run->tests[i];
        bool same = t->version == reg->version || (t->version == MQTT_V31 && reg->version == MQTT_V311);
        for (size_t k = 0; same && k < t->nstatements; k++) {
            if (strcmp(t->statements[k], id) != 0)
                continue;
            if (shown++ < 4)
                base_sb_printf(o, "%s%s/%s", shown > 1 ? ", " : "", t->area, t->name);
        }
    }
    if (shown > 4)
        base_sb_printf(o, " (+%zu)", shown - 4);
}

/* One table per registry; the 3.1 column, when 3.1 tests ran, sits beside the 3.1.1 verdict. */
static void statements(base_strbuf *o, const rp_run *run)
{
    rp_column cols[4];
    size_t ncols = rp_run_columns(run, cols);
    for (size_t c = 0; c < ncols; c++) {
        const rp_column *col = &cols[c];
        if (col->tests != col->reg->version)
            continue;
        const rp_column *extra = c + 1 < ncols && cols[c + 1].reg == col->reg ? &cols[c + 1] : NULL;
        base_sb_printf(o,
                       "## MQTT %s statements\n\n| Statement | Section | Binds | Verdict |%s Tests | Summary |\n"
                       "|---|---|---|---|%s---|---|\n",
                       mqtt_version_name(col->reg->version), extra ? " With MQTT 3.1 |" : "", extra ? "---|" : "");
        for (size_t i = 0; i < col->reg->n; i++) {
            const cs_statement *s = &col->reg->items[i];
            rp_stmt_status st = rp_statement_status(run, col, s, NULL);
            base_sb_printf(o, "| %s | %s | %s | %s | ", s->id, s->section, s->applies_to, rp_stmt_status_name(st));
            if (extra)
                base_sb_printf(o, "%s | ",
                               rp_column_covers(run, extra, s->id)
                                   ? rp_stmt_status_name(rp_statement_status(run, extra, s, NULL))
                                   : "—");
            tests_citing(o, run, col->reg, s->id);
            base_sb_puts(o, " | ");
            cell(o, s->summary);
            if (st == RP_ST_NOT_TESTABLE && strlen(s->observable) > 4) {
                base_sb_puts(o, " *(not testable: ");
                cell(o, s->observable + 4);
                base_sb_puts(o, ")*");
            }
            base_sb_puts(o, " |\n");
        }
        base_sb_putc(o, '\n');
    }
}

/* Every failed statement with the test, the line and what was observed there. */
static void failed_statements(base_strbuf *o, const rp_run *run)
{
    rp_column cols[4];
    size_t ncols = rp_run_columns(run, cols);
    bool any = false;
    for (size_t c = 0; c < ncols; c++) {
        const rp_column *col = &cols[c];
        for (size_t i = 0; i < col->reg->n; i++) {
            const cs_statement *s = &col->reg->items[i];
            if (!rp_column_covers(run, col, s->id))
                continue;
            rp_evidence ev;
            if (rp_statement_status(run, col, s, &ev) != RP_ST_FAIL)
                continue;
            if (!any)
                base_sb_puts(o, "## Failed statements\n\n| Statement | Tested with | Test | Line | Observed |\n"
                                "|---|---|---|---|---|\n");
            any = true;
            base_sb_printf(o, "| %s | MQTT %s | ", s->id, mqtt_version_name(col->tests));
            if (ev.test) {
                base_sb_printf(o, "%s | %s:%d | ", ev.test->id, ev.test->file, ev.result->fail_line);
                cell(o, base_sb_str(&ev.result->message));
            } else {
                const cr_version_probe *p = rp_run_probe(run, col->tests);
                base_sb_puts(o, "(version probe, before any test) | — | ");
                cell(o, p ? p->evidence : "");
            }
            base_sb_puts(o, " |\n");
        }
    }
    if (any)
        base_sb_putc(o, '\n');
}

/* Versions the broker does not speak, or answered wrongly, and notes about the run's health. */
static void versions(base_strbuf *o, const rp_run *run)
{
    bool any = false;
    for (size_t i = 0; i < run->nprobes; i++) {
        const cr_version_probe *p = &run->probes[i];
        if (p->state == CR_VS_SPOKEN)
            continue;
        if (!any)
            base_sb_puts(o, "## Protocol versions\n\n");
        any = true;
        base_sb_printf(o, "- MQTT %s: %s: ", mqtt_version_name(p->version),
                       p->state == CR_VS_UNSUPPORTED ? "not supported by the broker" : "**FAIL** before any test");
        cell(o, p->evidence);
        base_sb_putc(o, '\n');
    }
    if (any)
        base_sb_putc(o, '\n');
    if (run->health.len) {
        base_sb_puts(o, "## Broker health\n\n");
        cell(o, base_sb_str(&run->health));
        base_sb_puts(o, "\n\n");
    }
    if (run->interrupted) {
        base_strbuf why = {0};
        rp_run_interruption(run, &why);
        base_sb_puts(o, "**This run was interrupted: the results are partial.** ");
        cell(o, base_sb_str(&why));
        base_sb_puts(o, ".\n\n");
        base_sb_free(&why);
    }
}

static void problems(base_strbuf *o, const rp_run *run)
{
    bool any_dev = false;
    for (size_t i = 0; i < run->ntests; i++) {
        const cr_result *r = &run->results[i];
        if (r->verdict != CR_XFAIL && r->verdict != CR_XPASS)
            continue;
        if (!any_dev)
            base_sb_puts(o, "## Known deviations\n\n| Test | Statements | Verdict | Reason |\n|---|---|---|---|\n");
        any_dev = true;
        base_sb_printf(o, "| %s | ", run->tests[i]->id);
        for (size_t k = 0; k < run->tests[i]->nstatements; k++)
            base_sb_printf(o, "%s%s", k ? " " : "", run->tests[i]->statements[k]);
        base_sb_printf(o, " | %s | ", cr_verdict_name(r->verdict));
        cell(o, r->deviation);
        base_sb_puts(o, " |\n");
    }
    if (any_dev)
        base_sb_putc(o, '\n');
    /* what a reader of a certificate needs to trust a skip: the reason, test by test */
    bool any_skip = false;
    for (size_t i = 0; i < run->ntests; i++) {
        const cr_result *r = &run->results[i];
        if (r->verdict != CR_SKIP)
            continue;
        if (!any_skip)
            base_sb_puts(o, "## Skipped tests (not applicable to this broker)\n\n| Test | Why |\n|---|---|\n");
        any_skip = true;
        base_sb_printf(o, "| %s | ", run->tests[i]->id);
        cell(o, base_sb_str(&r->message));
        base_sb_puts(o, " |\n");
    }
    if (any_skip)
        base_sb_putc(o, '\n');
    bool any_fail = false;
    for (size_t i = 0; i < run->ntests; i++) {
        const cr_result *r = &run->results[i];
        if (r->verdict != CR_FAIL && r->verdict != CR_INCONCLUSIVE && r->verdict != CR_XFAIL)
            continue;
        if (!any_fail)
            base_sb_puts(o, "## Transcripts of failing exchanges\n\n");
        any_fail = true;
        const cs_test *t = run->tests[i];
        base_sb_printf(o, "### %s — %s\n\n%s:%d, statements:", t->id, cr_verdict_name(r->verdict), t->file, t->line);
        for (size_t k = 0; k < t->nstatements; k++)
            base_sb_printf(o, " %s (%s)", t->statements[k], r->obs ? cr_obs_name(r->obs[k]) : "not run");
        for (size_t k = 0; k < r->nviolations; k++)
            base_sb_printf(o, " %s (fail: broken by a packet)", r->violations[k]);
        for (size_t k = 0; k < r->nxviolations; k++)
            base_sb_printf(o, " %s (expected-fail: broken by a packet)", r->xviolations[k]);
        if (r->rerun_note.len)
            base_sb_printf(o, "\n\nRe-run alone: %s", base_sb_str(&r->rerun_note));
        else if (r->rerun == CR_RERUN_REPRODUCED)
            base_sb_puts(o, "\n\nRe-run alone: the failure reproduced.");
        base_sb_puts(o, "\n\n> ");
        cell(o, base_sb_str(&r->message));
        base_sb_puts(o, "\n\n```\n");
        base_sb_puts(o, base_sb_str(&r->log.text));
        base_sb_puts(o, "```\n\n");
    }
}

int rp_report_markdown(const rp_run *run, const char *path, base_strbuf *err)
{
    base_strbuf o = {0};
    header(&o, run);
    versions(&o, run);
    by_protocol(&o, run);
    failed_statements(&o, run);
    statements(&o, run);
    problems(&o, run);
    return rp_report_save(&o, path, err);
}
