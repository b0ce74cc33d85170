#include <string.h>

#include "base/interrupt.h"
#include "format/json_write.h"
#include "report.h"

/* The report is laid out for reading as well as parsing: the run's facts a few to a line, one line
 * per test and per statement. The writer places the commas; jw_break places the line breaks. */

static void str(json_writer *w, const char *key, const char *value)
{
    jw_key(w, key);
    jw_cstring(w, value ? value : "");
}

static void num(json_writer *w, const char *key, long long value)
{
    jw_key(w, key);
    jw_int(w, value);
}

static void string_list(json_writer *w, const char *key, const char *const *items, size_t n)
{
    jw_key(w, key);
    jw_array_begin(w);
    for (size_t k = 0; k < n; k++)
        jw_cstring(w, items[k]);
    jw_array_end(w);
}

static void verdict_counts(json_writer *w, const unsigned *counts, size_t total)
{
    for (int v = 0; v < CF_VERDICT_COUNT; v++)
        num(w, cf_verdict_name((cf_verdict)v), counts[v]);
    num(w, "total", (long long)total);
}

static void write_test(json_writer *w, const cf_test *t, const cf_result *r)
{
    jw_object_begin(w);
    str(w, "id", t->id);
    str(w, "protocol", mqtt_version_name(t->version));
    str(w, "file", t->file);
    num(w, "line", t->line);
    str(w, "verdict", cf_verdict_name(r->verdict));
    string_list(w, "statements", (const char *const *)t->statements, t->nstatements);
    string_list(w, "needs", (const char *const *)t->needs, t->nneeds);
    jw_key(w, "statement_verdicts");
    jw_object_begin(w);
    for (size_t k = 0; r->obs && k < t->nstatements; k++) {
        jw_key_text(w, t->statements[k]);
        jw_cstring(w, cf_obs_name(r->obs[k]));
    }
    jw_object_end(w);
    string_list(w, "violations", (const char *const *)r->violations, r->nviolations);
    num(w, "duration_ms", (long long)r->duration_ms);
    if (r->script_error) {
        jw_key(w, "script_error");
        jw_bool(w, true);
    }
    if (r->notes.len)
        str(w, "notes", cf_sb_str(&r->notes));
    if (r->rerun != CF_RERUN_NONE)
        str(w, "rerun_alone", r->rerun == CF_RERUN_REPRODUCED ? "reproduced" : "passed alone");
    if (r->rerun_note.len)
        str(w, "rerun_note", cf_sb_str(&r->rerun_note));
    if (r->fail_line)
        num(w, "failed_line", r->fail_line);
    if (r->deviation)
        str(w, "deviation", r->deviation);
    str(w, "message", cf_sb_str(&r->message));
    str(w, "transcript", cf_sb_str(&r->log.text));
    jw_object_end(w);
}

static void write_statement(json_writer *w, const cf_run *run, const cf_column *col, const cf_statement *s)
{
    cf_evidence ev;
    cf_stmt_status st = cf_statement_status(run, col, s, &ev);
    jw_object_begin(w);
    str(w, "id", s->id);
    str(w, "protocol", mqtt_version_name(col->reg->version));
    str(w, "tested_with", mqtt_version_name(col->tests));
    str(w, "applies_to", s->applies_to);
    str(w, "status", cf_stmt_status_name(st));
    if (ev.test && st != CF_ST_PASS && st != CF_ST_SKIP) {
        jw_key(w, "evidence");
        jw_object_begin(w);
        str(w, "test", ev.test->id);
        str(w, "file", ev.test->file);
        num(w, "line", ev.result->fail_line);
        str(w, "observed", cf_sb_str(&ev.result->message));
        jw_object_end(w);
    } else if (st == CF_ST_FAIL || st == CF_ST_UNSUPPORTED) {
        const cf_version_probe *p = cf_run_probe(run, col->tests);
        jw_key(w, "evidence");
        jw_object_begin(w);
        str(w, "test", "(before any test: the version probe)");
        str(w, "observed", p ? p->evidence : "");
        jw_object_end(w);
    }
    jw_object_end(w);
}

static void write_statements(json_writer *w, const cf_run *run)
{
    jw_key(w, "statements");
    jw_array_begin(w);
    cf_column cols[4];
    size_t ncols = cf_run_columns(run, cols);
    for (size_t c = 0; c < ncols; c++) {
        for (size_t i = 0; i < cols[c].reg->n; i++) {
            const cf_statement *s = &cols[c].reg->items[i];
            if (!cf_column_covers(run, &cols[c], s->id))
                continue;
            jw_break(w, 4);
            write_statement(w, run, &cols[c], s);
        }
    }
    jw_break(w, 2);
    jw_array_end(w);
}

static void write_probes(json_writer *w, const cf_run *run)
{
    static const char *const states[] = {"spoken", "not supported by the broker", "fail"};
    jw_break(w, 2);
    jw_key(w, "versions");
    jw_array_begin(w);
    for (size_t i = 0; i < run->nprobes; i++) {
        const cf_version_probe *p = &run->probes[i];
        jw_object_begin(w);
        str(w, "protocol", mqtt_version_name(p->version));
        str(w, "state", states[p->state]);
        if (p->statement)
            str(w, "statement", p->statement);
        str(w, "evidence", p->evidence);
        jw_object_end(w);
    }
    jw_array_end(w);
    if (run->health.len) {
        jw_break(w, 2);
        str(w, "health", cf_sb_str(&run->health));
    }
}

static void write_run(json_writer *w, const cf_run *run)
{
    jw_break(w, 2);
    str(w, "tool", "mqtk run");
    str(w, "tool_version", run->tool_version);
    str(w, "suite_version", CF_SUITE_VERSION);
    str(w, "suite_sha256", run->suite_hash);
    jw_break(w, 2);
    str(w, "broker", run->broker);
    jw_key(w, "embedded_broker");
    jw_bool(w, run->embedded);
    str(w, "broker_version", run->broker_version);
    str(w, "profile", run->profile->name);
    jw_break(w, 2);
    jw_key(w, "transport");
    jw_object_begin(w);
    cf_kv kv[6];
    size_t nkv = cf_run_transport(run, kv);
    for (size_t i = 0; i < nkv; i++)
        str(w, strcmp(kv[i].name, "transport") == 0 ? "description" : kv[i].name, kv[i].value);
    jw_key(w, "tls");
    jw_bool(w, run->tls.used);
    jw_object_end(w);
    jw_break(w, 2);
    str(w, "options", run->options);
    str(w, "started", run->started);
    num(w, "duration_ms", (long long)run->duration_ms);
    jw_break(w, 2);
    jw_key(w, "summary");
    jw_object_begin(w);
    verdict_counts(w, run->counts, run->ntests);
    jw_object_end(w);
    jw_break(w, 2);
    jw_key(w, "protocols");
    jw_array_begin(w);
    mqtt_version versions[3];
    size_t nv = cf_run_versions(run, versions);
    for (size_t v = 0; v < nv; v++) {
        unsigned k[CF_VERDICT_COUNT];
        size_t total = cf_run_counts(run, versions[v], k);
        jw_object_begin(w);
        str(w, "protocol", mqtt_version_name(versions[v]));
        verdict_counts(w, k, total);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_break(w, 2);
    jw_key(w, "interrupted");
    jw_bool(w, run->interrupted);
    if (run->interrupted) {
        jw_break(w, 2);
        str(w, "signal", cf_interrupt_name(run->signal));
        jw_key(w, "not_finished");
        jw_array_begin(w);
        for (size_t i = 0; i < run->nunfinished; i++)
            jw_cstring(w, run->unfinished[i]->id);
        jw_array_end(w);
    }
}

int cf_report_json(const cf_run *run, const char *path, cf_strbuf *err)
{
    json_writer w;
    jw_init(&w);
    w.spaced = true;
    jw_object_begin(&w);
    write_run(&w, run);
    write_probes(&w, run);
    jw_break(&w, 2);
    jw_key(&w, "tests");
    jw_array_begin(&w);
    for (size_t i = 0; i < run->ntests; i++) {
        jw_break(&w, 4);
        write_test(&w, run->tests[i], &run->results[i]);
    }
    jw_break(&w, 2);
    jw_array_end(&w);
    jw_break(&w, 2);
    write_statements(&w, run);
    jw_break(&w, 0);
    jw_object_end(&w);
    jw_line_end(&w);
    int rc = 0;
    if (strcmp(path, "-") == 0) {
        fwrite(w.buf, 1, w.len, stdout);
    } else {
        cf_strbuf o = {0};
        cf_sb_append(&o, w.buf, w.len);
        rc = cf_report_save(&o, path, err);
    }
    jw_free(&w);
    return rc;
}
