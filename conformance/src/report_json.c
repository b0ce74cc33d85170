#include <string.h>

#include "report.h"

static void key_str(cf_strbuf *o, const char *key, const char *value, bool comma)
{
    cf_sb_printf(o, "\"%s\": ", key);
    cf_json_string(o, value ? value : "", value ? strlen(value) : 0);
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
            cf_json_string(o, t->statements[k], strlen(t->statements[k]));
        }
        cf_sb_puts(o, "], \"needs\": [");
        for (size_t k = 0; k < t->nneeds; k++) {
            cf_sb_puts(o, k ? ", " : "");
            cf_json_string(o, t->needs[k], strlen(t->needs[k]));
        }
        cf_sb_printf(o, "], \"duration_ms\": %lld, ", (long long)r->duration_ms);
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
    for (size_t r = 0; r < run->nregs; r++) {
        const cf_registry *reg = &run->regs[r];
        for (size_t i = 0; i < reg->n; i++) {
            const cf_statement *s = &reg->items[i];
            cf_sb_puts(o, first ? "    {" : ",\n    {");
            first = false;
            key_str(o, "id", s->id, true);
            key_str(o, "protocol", mqtt_version_name(reg->version), true);
            key_str(o, "applies_to", s->applies_to, true);
            key_str(o, "status", cf_stmt_status_name(cf_statement_status(run, reg, s)), false);
            cf_sb_putc(o, '}');
        }
    }
    cf_sb_puts(o, "\n  ]\n");
}

int cf_report_json(const cf_run *run, const char *path, cf_strbuf *err)
{
    cf_strbuf o = {0};
    cf_sb_puts(&o, "{\n  ");
    key_str(&o, "tool", "mqtk run", true);
    key_str(&o, "suite_version", CF_SUITE_VERSION, true);
    key_str(&o, "suite_sha256", run->suite_hash, true);
    cf_sb_puts(&o, "\n  ");
    key_str(&o, "broker", run->broker, true);
    cf_sb_printf(&o, "\"embedded_broker\": %s, ", run->embedded ? "true" : "false");
    key_str(&o, "broker_version", run->broker_version, true);
    key_str(&o, "profile", run->profile->name, true);
    cf_sb_puts(&o, "\n  ");
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
