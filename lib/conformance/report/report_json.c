#include <string.h>

#include "base/interrupt.h"
#include "format/json_write.h"
#include "report.h"

/* The report is laid out for reading as well as parsing: the run's facts a few to a line, one line
 * per test and per statement. The writer places the commas; fmt_jw_break places the line breaks. */

static void str(fmt_json_writer *w, const char *key, const char *value)
{
    fmt_jw_key(w, key);
    fmt_jw_cstring(w, value ? value : "");
}

static void num(fmt_json_writer *w, const char *key, long long value)
{
    fmt_jw_key(w, key);
    fmt_jw_int(w, value);
}

static void string_list(fmt_json_writer *w, const char *key, const char *const *items, size_t n)
{
    fmt_jw_key(w, key);
    fmt_jw_array_begin(w);
    for (size_t k = 0; k < n; k++)
        fmt_jw_cstring(w, items[k]);
    fmt_jw_array_end(w);
}

static void verdict_counts(fmt_json_writer *w, const unsigned *counts, size_t total)
{
    for (int v = 0; v < CR_VERDICT_COUNT; v++)
        num(w, cr_verdict_name((cr_verdict)v), counts[v]);
    num(w, "total", (long long)total);
}

static void write_test(fmt_json_writer *w, const rp_run *run, const cs_test *t, const cr_result *r)
{
    fmt_jw_object_begin(w);
    str(w, "id", t->id);
    str(w, "protocol", mqtt_version_name(t->version));
    str(w, "file", t->file);
    num(w, "line", t->line);
    str(w, "verdict", cr_verdict_name(r->verdict));
    string_list(w, "statements", (const char *const *)t->statements, t->nstatements);
    string_list(w, "needs", (const char *const *)t->needs, t->nneeds);
    fmt_jw_key(w, "statement_verdicts");
    fmt_jw_object_begin(w);
    for (size_t k = 0; r->obs && k < t->nstatements; k++) {
        fmt_jw_key_text(w, t->statements[k]);
        fmt_jw_cstring(w, cr_obs_name(r->obs[k]));
    }
    fmt_jw_object_end(w);
    string_list(w, "violations", (const char *const *)r->violations, r->nviolations);
    string_list(w, "expected_violations", (const char *const *)r->xviolations, r->nxviolations);
    if (r->log.t0) /* it ran: when, after the first test started (the run's timeline) */
        num(w, "started_ms", (long long)(r->log.t0 - run->tests_t0));
    num(w, "duration_ms", (long long)r->duration_ms);
    if (r->script_error) {
        fmt_jw_key(w, "script_error");
        fmt_jw_bool(w, true);
    }
    if (r->notes.len)
        str(w, "notes", base_sb_str(&r->notes));
    if (r->rerun != CR_RERUN_NONE)
        str(w, "rerun_alone", r->rerun == CR_RERUN_REPRODUCED ? "reproduced" : "passed alone");
    if (r->rerun_note.len)
        str(w, "rerun_note", base_sb_str(&r->rerun_note));
    if (r->fail_line)
        num(w, "failed_line", r->fail_line);
    if (r->deviation)
        str(w, "deviation", r->deviation);
    str(w, "message", base_sb_str(&r->message));
    str(w, "transcript", base_sb_str(&r->log.text));
    fmt_jw_object_end(w);
}

static void write_statement(fmt_json_writer *w, const rp_run *run, const rp_column *col, const cs_statement *s)
{
    rp_evidence ev;
    rp_stmt_status st = rp_statement_status(run, col, s, &ev);
    fmt_jw_object_begin(w);
    str(w, "id", s->id);
    str(w, "protocol", mqtt_version_name(col->reg->version));
    str(w, "tested_with", mqtt_version_name(col->tests));
    str(w, "applies_to", s->applies_to);
    str(w, "status", rp_stmt_status_name(st));
    if (ev.test && st != RP_ST_PASS && st != RP_ST_SKIP) {
        fmt_jw_key(w, "evidence");
        fmt_jw_object_begin(w);
        str(w, "test", ev.test->id);
        str(w, "file", ev.test->file);
        num(w, "line", ev.result->fail_line);
        str(w, "observed", base_sb_str(&ev.result->message));
        fmt_jw_object_end(w);
    } else if (st == RP_ST_FAIL || st == RP_ST_UNSUPPORTED) {
        const cr_version_probe *p = rp_run_probe(run, col->tests);
        fmt_jw_key(w, "evidence");
        fmt_jw_object_begin(w);
        str(w, "test", "(before any test: the version probe)");
        str(w, "observed", p ? p->evidence : "");
        fmt_jw_object_end(w);
    }
    fmt_jw_object_end(w);
}

static void write_statements(fmt_json_writer *w, const rp_run *run)
{
    fmt_jw_key(w, "statements");
    fmt_jw_array_begin(w);
    rp_column cols[4];
    size_t ncols = rp_run_columns(run, cols);
    for (size_t c = 0; c < ncols; c++) {
        for (size_t i = 0; i < cols[c].reg->n; i++) {
            const cs_statement *s = &cols[c].reg->items[i];
            if (!rp_column_covers(run, &cols[c], s->id))
                continue;
            fmt_jw_break(w, 4);
            write_statement(w, run, &cols[c], s);
        }
    }
    fmt_jw_break(w, 2);
    fmt_jw_array_end(w);
}

static void write_probes(fmt_json_writer *w, const rp_run *run)
{
    static const char *const states[] = {"spoken", "not supported by the broker", "fail"};
    fmt_jw_break(w, 2);
    fmt_jw_key(w, "versions");
    fmt_jw_array_begin(w);
    for (size_t i = 0; i < run->nprobes; i++) {
        const cr_version_probe *p = &run->probes[i];
        fmt_jw_object_begin(w);
        str(w, "protocol", mqtt_version_name(p->version));
        str(w, "state", states[p->state]);
        if (p->statement)
            str(w, "statement", p->statement);
        str(w, "evidence", p->evidence);
        fmt_jw_object_end(w);
    }
    fmt_jw_array_end(w);
    if (run->health.len) {
        fmt_jw_break(w, 2);
        str(w, "health", base_sb_str(&run->health));
    }
}

static void write_run(fmt_json_writer *w, const rp_run *run)
{
    fmt_jw_break(w, 2);
    str(w, "tool", "mqtk run");
    str(w, "tool_version", run->tool_version);
    str(w, "suite_version", RP_SUITE_VERSION);
    str(w, "suite_sha256", run->suite_hash);
    fmt_jw_break(w, 2);
    str(w, "broker", run->broker);
    fmt_jw_key(w, "embedded_broker");
    fmt_jw_bool(w, run->embedded);
    str(w, "broker_version", run->broker_version);
    str(w, "profile", run->profile->name);
    fmt_jw_break(w, 2);
    fmt_jw_key(w, "transport");
    fmt_jw_object_begin(w);
    cr_kv kv[6];
    size_t nkv = rp_run_transport(run, kv);
    for (size_t i = 0; i < nkv; i++)
        str(w, strcmp(kv[i].name, "transport") == 0 ? "description" : kv[i].name, kv[i].value);
    fmt_jw_key(w, "tls");
    fmt_jw_bool(w, run->tls.used);
    fmt_jw_object_end(w);
    fmt_jw_break(w, 2);
    str(w, "options", run->options);
    str(w, "started", run->started);
    num(w, "duration_ms", (long long)run->duration_ms);
    num(w, "setup_ms", (long long)run->setup_ms);
    fmt_jw_break(w, 2);
    fmt_jw_key(w, "summary");
    fmt_jw_object_begin(w);
    verdict_counts(w, run->counts, run->ntests);
    fmt_jw_object_end(w);
    fmt_jw_break(w, 2);
    fmt_jw_key(w, "protocols");
    fmt_jw_array_begin(w);
    mqtt_version versions[3];
    size_t nv = rp_run_versions(run, versions);
    for (size_t v = 0; v < nv; v++) {
        unsigned k[CR_VERDICT_COUNT];
        size_t total = rp_run_counts(run, versions[v], k);
        fmt_jw_object_begin(w);
        str(w, "protocol", mqtt_version_name(versions[v]));
        verdict_counts(w, k, total);
        fmt_jw_object_end(w);
    }
    fmt_jw_array_end(w);
    fmt_jw_break(w, 2);
    fmt_jw_key(w, "interrupted");
    fmt_jw_bool(w, run->interrupted);
    if (run->interrupted) {
        fmt_jw_break(w, 2);
        str(w, "signal", base_interrupt_name(run->signal));
        fmt_jw_key(w, "not_finished");
        fmt_jw_array_begin(w);
        for (size_t i = 0; i < run->nunfinished; i++)
            fmt_jw_cstring(w, run->unfinished[i]->id);
        fmt_jw_array_end(w);
    }
}

int rp_report_json(const rp_run *run, const char *path, base_strbuf *err)
{
    fmt_json_writer w;
    fmt_jw_init(&w);
    w.spaced = true;
    fmt_jw_object_begin(&w);
    write_run(&w, run);
    write_probes(&w, run);
    fmt_jw_break(&w, 2);
    fmt_jw_key(&w, "tests");
    fmt_jw_array_begin(&w);
    for (size_t i = 0; i < run->ntests; i++) {
        fmt_jw_break(&w, 4);
        write_test(&w, run, run->tests[i], &run->results[i]);
    }
    fmt_jw_break(&w, 2);
    fmt_jw_array_end(&w);
    fmt_jw_break(&w, 2);
    write_statements(&w, run);
    fmt_jw_break(&w, 0);
    fmt_jw_object_end(&w);
    fmt_jw_line_end(&w);
    int rc = 0;
    if (strcmp(path, "-") == 0) {
        fwrite(w.buf, 1, w.len, stdout);
    } else {
        base_strbuf o = {0};
        base_sb_append(&o, w.buf, w.len);
        rc = rp_report_save(&o, path, err);
    }
    fmt_jw_free(&w);
    return rc;
}
