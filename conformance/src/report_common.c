#include <string.h>

#include "report.h"

static const char *const status_names[] = {
    "not yet tested", "not testable", "not run", "pass", "fail", "expected-fail", "skip", "inconclusive",
};

const char *cf_stmt_status_name(cf_stmt_status st)
{
    return status_names[st];
}

static bool cites(const cf_test *t, const char *id)
{
    for (size_t i = 0; i < t->nstatements; i++)
        if (strcmp(t->statements[i], id) == 0)
            return true;
    return false;
}

static bool same_registry(mqtt_version test_version, mqtt_version reg_version)
{
    /* 3.1 tests cite 3.1.1 statements */
    return test_version == reg_version || (test_version == MQTT_V31 && reg_version == MQTT_V311);
}

size_t cf_run_versions(const cf_run *run, mqtt_version out[3])
{
    static const mqtt_version all[] = {MQTT_V31, MQTT_V311, MQTT_V5};
    size_t n = 0;
    for (size_t v = 0; v < 3; v++) {
        unsigned counts[CF_VERDICT_COUNT];
        if (cf_run_counts(run, all[v], counts))
            out[n++] = all[v];
    }
    return n;
}

size_t cf_run_counts(const cf_run *run, mqtt_version v, unsigned counts[CF_VERDICT_COUNT])
{
    size_t n = 0;
    memset(counts, 0, sizeof(unsigned) * CF_VERDICT_COUNT);
    for (size_t i = 0; i < run->ntests; i++) {
        if (run->tests[i]->version != v)
            continue;
        counts[run->results[i].verdict]++;
        n++;
    }
    return n;
}

bool cf_statement_tested(const cf_run *run, const cf_registry *reg, const char *id)
{
    for (size_t i = 0; i < run->suite->ntests; i++)
        if (same_registry(run->suite->tests[i].version, reg->version) && cites(&run->suite->tests[i], id))
            return true;
    return false;
}

cf_stmt_status cf_statement_status(const cf_run *run, const cf_registry *reg, const cf_statement *s)
{
    bool any = false, fail = false, xfail = false, pass = false, skip = false, inconclusive = false;
    for (size_t i = 0; i < run->ntests; i++) {
        const cf_test *t = run->tests[i];
        if (!same_registry(t->version, reg->version) || !cites(t, s->id))
            continue;
        any = true;
        switch (run->results[i].verdict) {
        case CF_FAIL: fail = true; break;
        case CF_XFAIL: xfail = true; break;
        case CF_PASS:
        case CF_XPASS: pass = true; break;
        case CF_SKIP: skip = true; break;
        default: inconclusive = true; break;
        }
    }
    if (fail)
        return CF_ST_FAIL;
    if (xfail)
        return CF_ST_XFAIL;
    if (inconclusive)
        return CF_ST_INCONCLUSIVE;
    if (pass)
        return CF_ST_PASS;
    if (skip)
        return CF_ST_SKIP;
    if (any || cf_statement_tested(run, reg, s->id))
        return CF_ST_NOT_RUN;
    return cf_statement_observable(s) ? CF_ST_NOT_YET_TESTED : CF_ST_NOT_TESTABLE;
}

int cf_report_save(cf_strbuf *report, const char *path, cf_strbuf *err)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        cf_sb_printf(err, "cannot write %s", path);
        cf_sb_free(report);
        return -1;
    }
    fwrite(report->data, 1, report->len, f);
    fclose(f);
    cf_sb_free(report);
    return 0;
}

void cf_json_string(cf_strbuf *out, const char *s, size_t len)
{
    cf_sb_putc(out, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': cf_sb_puts(out, "\\\""); break;
        case '\\': cf_sb_puts(out, "\\\\"); break;
        case '\n': cf_sb_puts(out, "\\n"); break;
        case '\r': cf_sb_puts(out, "\\r"); break;
        case '\t': cf_sb_puts(out, "\\t"); break;
        default:
            if (c < 0x20 || c == 0x7f)
                cf_sb_printf(out, "\\u%04x", c);
            else
                cf_sb_putc(out, (char)c);
        }
    }
    cf_sb_putc(out, '"');
}
