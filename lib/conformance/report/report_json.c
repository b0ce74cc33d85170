#include <string.h>

#include "base/interrupt.h"
#include "format/json_write.h"
#include "report.h"

static void key_str(cf_strbuf *o, const char *key, const char *value, bool comma)
{
    cf_sb_printf(o, "\"%s\": ", key);
    jw_quote(o, value ? value : "", value ? strlen(value) : 0);
    if (comma)
        cf_sb_puts(o, ", ");
}

static void write_tests(cf_strbuf *o, const cf_run *run)
{
    cf_sb_puts(o, "  \"tests\": [\n");
    for (size_t i = 0; i < run->ntests; i++) {
        const cf_test *t = run->tests[i];
        const cf_result *r = &run->results[i];
        cf_sb_puts(o, "    {");
        key_str(o, "id", t->id, true);
        key_str(o, "protocol", mqtt_version_name(t->version), true);
        key_str(o, "file", t->file, true);
        cf_sb_printf(o, "\"line\": %d, ", t->line);
        key_str(o, "verdict", cf_verdict_name(r->verdict), true);
        cf_sb_puts(o, "\"statements\": [");
        for (size_t k = 0; k < t->nstatements; k++) {
            cf_sb_puts(o, k ? ", " : "");
            jw_quote(o, t->statements[k], strlen(t->statements[k]));
        }
        cf_sb_puts(o, "], \"needs\": [");
        for (size_t k = 0; k < t->nneeds; k++) {
            cf_sb_puts(o, k ? ", " : "");
            jw_quote(o, t->needs[k], strlen(t->needs[k]));
        }
        cf_sb_puts(o, "], \"statement_verdicts\": {");
        for (size_t k = 0; r->obs && k < t->nstatements; k++) {
            cf_sb_puts(o, k ? ", " : "");
            key_str(o, t->statements[k], cf_obs_name(r->obs[k]), false);
        }
        cf_sb_puts(o, "}, \"violations\": [");
        for (size_t k = 0; k < r->nviolations; k++) {
            cf_sb_puts(o, k ? ", " : "");
            jw_quote(o, r->violations[k], strlen(r->violations[k]));
        }
        cf_sb_printf(o, "], \"duration_ms\": %lld, ", (long long)r->duration_ms);
        if (r->script_error)
            cf_sb_puts(o, "\"script_error\": true, ");
        if (r->notes.len)
            key_str(o, "notes", cf_sb_str(&r->notes), true);
        if (r->rerun != CF_RERUN_NONE)
            key_str(o, "rerun_alone", r->rerun == CF_RERUN_REPRODUCED ? "reproduced" : "passed alone", true);
        if (r->rerun_note.len)
            key_str(o, "rerun_note", cf_sb_str(&r->rerun_note), true);
        if (r->fail_line)
            cf_sb_printf(o, "\"failed_line\": %d, ", r->fail_line);
        if (r->deviation)
            key_str(o, "deviation", r->deviation, true);
        key_str(o, "message", cf_sb_str(&r->message), true);
        key_str(o, "transcript", cf_sb_str(&r->log.text), false);
        cf_sb_printf(o, "}%s\n", i + 1 < run->ntests ? "," : "");
    }
    cf_sb_puts(o, "  ],\n");
}

static void write_statements(cf_strbuf *o, const cf_run *run)
{
    cf_sb_puts(o, "  \"statements\": [\n");
    bool first = true;
    cf_column cols[4];
    size_t ncols = cf_run_columns(run, cols);
    for (size_t c = 0; c < ncols; c++) {
        const cf_column *col = &cols[c];
        for (size_t i = 0; i < col->reg->n; i++) {
            const cf_statement *s = &col->reg->items[i];
            if (!cf_column_covers(run, col, s->id))
                continue;
            cf_evidence ev;
            cf_stmt_status st = cf_statement_status(run, col, s, &ev);
            cf_sb_puts(o, first ? "    {" : ",\n    {");
            first = false;
            key_str(o, "id", s->id, true);
            key_str(o, "protocol", mqtt_version_name(col->reg->version), true);
            key_str(o, "tested_with", mqtt_version_name(col->tests), true);
            key_str(o, "applies_to", s->applies_to, true);
            key_str(o, "status", cf_stmt_status_name(st), false);
            if (ev.test && st != CF_ST_PASS && st != CF_ST_SKIP) {
                cf_sb_puts(o, ", \"evidence\": {");
                key_str(o, "test", ev.test->id, true);
                key_str(o, "file", ev.test->file, true);
                cf_sb_printf(o, "\"line\": %d, ", ev.result->fail_line);
                key_str(o, "observed", cf_sb_str(&ev.result->message), false);
                cf_sb_putc(o, '}');
            } else if (st == CF_ST_FAIL || st == CF_ST_UNSUPPORTED) {
                const cf_version_probe *p = cf_run_probe(run, col->tests);
                cf_sb_puts(o, ", \"evidence\": {");
                key_str(o, "test", "(before any test: the version probe)", true);
                key_str(o, "observed", p ? p->evidence : "", false);
                cf_sb_putc(o, '}');
            }
            cf_sb_putc(o, '}');
        }
    }
    cf_sb_puts(o, "\n  ]\n");
}

static void write_probes(cf_strbuf *o, const cf_run *run)
{
    static const char *const states[] = {"spoken", "not supported by the broker", "fail"};
    cf_sb_puts(o, "  \"versions\": [");
    for (size_t i = 0; i < run->nprobes; i++) {
        const cf_version_probe *p = &run->probes[i];
        cf_sb_printf(o, "%s{", i ? ", " : "");
        key_str(o, "protocol", mqtt_version_name(p->version), true);
        key_str(o, "state", states[p->state], true);
        if (p->statement)
            key_str(o, "statement", p->statement, true);
        key_str(o, "evidence", p->evidence, false);
        cf_sb_putc(o, '}');
    }
    cf_sb_puts(o, "],\n");
    if (run->health.len) {
        cf_sb_puts(o, "  ");
        key_str(o, "health", cf_sb_str(&run->health), false);
        cf_sb_puts(o, ",\n");
    }
}

int cf_report_json(const cf_run *run, const char *path, cf_strbuf *err)
{
    cf_strbuf o = {0};
    cf_sb_puts(&o, "{\n  ");
    key_str(&o, "tool", "mqtk run", true);
    key_str(&o, "tool_version", run->tool_version ? run->tool_version : "", true);
    key_str(&o, "suite_version", CF_SUITE_VERSION, true);
    key_str(&o, "suite_sha256", run->suite_hash, true);
    cf_sb_puts(&o, "\n  ");
    key_str(&o, "broker", run->broker, true);
    cf_sb_printf(&o, "\"embedded_broker\": %s, ", run->embedded ? "true" : "false");
    key_str(&o, "broker_version", run->broker_version, true);
    key_str(&o, "profile", run->profile->name, true);
    cf_sb_puts(&o, "\n  \"transport\": {");
    cf_kv kv[6];
    size_t nkv = cf_run_transport(run, kv);
    for (size_t i = 0; i < nkv; i++)
        key_str(&o, strcmp(kv[i].name, "transport") == 0 ? "description" : kv[i].name, kv[i].value, true);
    cf_sb_printf(&o, "\"tls\": %s},\n  ", run->tls.used ? "true" : "false");
    key_str(&o, "options", run->options, true);
    key_str(&o, "started", run->started, true);
    cf_sb_printf(&o, "\"duration_ms\": %lld,\n  \"summary\": {", (long long)run->duration_ms);
    for (int v = 0; v < CF_VERDICT_COUNT; v++)
        cf_sb_printf(&o, "%s\"%s\": %u", v ? ", " : "", cf_verdict_name((cf_verdict)v), run->counts[v]);
    cf_sb_printf(&o, ", \"total\": %zu},\n  \"protocols\": [", run->ntests);
    mqtt_version versions[3];
    size_t nv = cf_run_versions(run, versions);
    for (size_t v = 0; v < nv; v++) {
        unsigned k[CF_VERDICT_COUNT];
        size_t total = cf_run_counts(run, versions[v], k);
        cf_sb_printf(&o, "%s{\"protocol\": \"%s\"", v ? ", " : "", mqtt_version_name(versions[v]));
        for (int i = 0; i < CF_VERDICT_COUNT; i++)
            cf_sb_printf(&o, ", \"%s\": %u", cf_verdict_name((cf_verdict)i), k[i]);
        cf_sb_printf(&o, ", \"total\": %zu}", total);
    }
    cf_sb_puts(&o, "],\n");
    cf_sb_printf(&o, "  \"interrupted\": %s,\n", run->interrupted ? "true" : "false");
    if (run->interrupted) {
        cf_sb_puts(&o, "  ");
        key_str(&o, "signal", cf_interrupt_name(run->signal), true);
        cf_sb_puts(&o, "\"not_finished\": [");
        for (size_t i = 0; i < run->nunfinished; i++) {
            cf_sb_puts(&o, i ? ", " : "");
            jw_quote(&o, run->unfinished[i]->id, strlen(run->unfinished[i]->id));
        }
        cf_sb_puts(&o, "],\n");
    }
    write_probes(&o, run);
    write_tests(&o, run);
    write_statements(&o, run);
    cf_sb_puts(&o, "}\n");
    if (strcmp(path, "-") == 0) {
        fwrite(o.data, 1, o.len, stdout);
        cf_sb_free(&o);
        return 0;
    }
    return cf_report_save(&o, path, err);
}
