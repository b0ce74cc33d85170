#include <errno.h>
#include <string.h>

#include "base/interrupt.h"
#include "report.h"

static const char *const status_names[CF_ST_COUNT] = {
    "not yet tested", "not testable", "not run", "pass", "fail", "expected-fail", "skip", "inconclusive",
    "not reached", "not supported by the broker",
};

const char *cf_stmt_status_name(cf_stmt_status st)
{
    return (unsigned)st < CF_ST_COUNT ? status_names[st] : "?";
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

size_t cf_run_columns(const cf_run *run, cf_column out[4])
{
    size_t n = 0;
    bool any31 = false;
    for (size_t i = 0; i < run->suite->ntests; i++)
        any31 = any31 || run->suite->tests[i].version == MQTT_V31;
    for (size_t r = 0; r < run->nregs; r++) {
        const cf_registry *reg = &run->regs[r];
        bool own = false;
        for (size_t i = 0; i < run->suite->ntests; i++)
            own = own || run->suite->tests[i].version == reg->version;
        if (own)
            out[n++] = (cf_column){reg, reg->version};
        if (reg->version == MQTT_V311 && any31)
            out[n++] = (cf_column){reg, MQTT_V31};
    }
    return n;
}

void cf_column_name(const cf_column *col, cf_strbuf *out)
{
    if (col->tests != col->reg->version)
        cf_sb_printf(out, "MQTT %s (%s statements)", mqtt_version_name(col->tests), mqtt_version_name(col->reg->version));
    else
        cf_sb_printf(out, "MQTT %s", mqtt_version_name(col->tests));
}

const cf_version_probe *cf_run_probe(const cf_run *run, mqtt_version v)
{
    for (size_t i = 0; i < run->nprobes; i++)
        if (run->probes[i].version == v)
            return &run->probes[i];
    return NULL;
}

bool cf_column_covers(const cf_run *run, const cf_column *col, const char *id)
{
    if (col->tests == col->reg->version)
        return true;
    for (size_t i = 0; i < run->suite->ntests; i++)
        if (run->suite->tests[i].version == col->tests && cites(&run->suite->tests[i], id))
            return true;
    return false;
}

bool cf_statement_cited(const cf_run *run, const cf_column *col, const char *id)
{
    for (size_t i = 0; i < run->ntests; i++)
        if (run->tests[i]->version == col->tests && cites(run->tests[i], id))
            return true;
    return false;
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

/* How strongly a test's finding about a statement decides its verdict: a failure anywhere wins,
 * then an expected failure, then a pass (some step observed it holding), then the undecided ones. */
static const int obs_rank[] = {
    [CF_OBS_NOT_REACHED] = 2, [CF_OBS_PASS] = 4, [CF_OBS_FAIL] = 6, [CF_OBS_XFAIL] = 5,
    [CF_OBS_INCONCLUSIVE] = 3, [CF_OBS_SKIP] = 1,
};
static const cf_stmt_status obs_status[] = {
    [CF_OBS_NOT_REACHED] = CF_ST_NOT_REACHED, [CF_OBS_PASS] = CF_ST_PASS, [CF_OBS_FAIL] = CF_ST_FAIL,
    [CF_OBS_XFAIL] = CF_ST_XFAIL, [CF_OBS_INCONCLUSIVE] = CF_ST_INCONCLUSIVE, [CF_OBS_SKIP] = CF_ST_SKIP,
};

/* What test i found out about statement id: from its per-statement findings, or a violation. */
static int test_obs(const cf_run *run, size_t i, const char *id)
{
    const cf_test *t = run->tests[i];
    const cf_result *r = &run->results[i];
    for (size_t k = 0; k < r->nviolations; k++)
        if (strcmp(r->violations[k], id) == 0)
            return CF_OBS_FAIL;
    for (size_t k = 0; k < t->nstatements; k++)
        if (strcmp(t->statements[k], id) == 0)
            return r->obs ? (int)r->obs[k] : CF_OBS_NOT_REACHED;
    return -1;
}

cf_stmt_status cf_statement_status(const cf_run *run, const cf_column *col, const cf_statement *s, cf_evidence *ev)
{
    int best = -1;
    if (ev)
        *ev = (cf_evidence){NULL, NULL};
    const cf_version_probe *probe = cf_run_probe(run, col->tests);
    for (size_t i = 0; i < run->ntests; i++) {
        if (run->tests[i]->version != col->tests)
            continue;
        int o = test_obs(run, i, s->id);
        if (o < 0)
            continue;
        if (best < 0 || obs_rank[o] > obs_rank[best]) {
            best = o;
            if (ev)
                *ev = (cf_evidence){run->tests[i], &run->results[i]};
        }
    }
    if (probe && probe->state == CF_VS_BROKEN && probe->statement && strcmp(probe->statement, s->id) == 0)
        return CF_ST_FAIL;
    if (probe && probe->state == CF_VS_UNSUPPORTED && (best < 0 || best == CF_OBS_SKIP))
        return CF_ST_UNSUPPORTED;
    if (best >= 0)
        return obs_status[best];
    bool loaded = false;
    for (size_t i = 0; i < run->suite->ntests && !loaded; i++)
        loaded = run->suite->tests[i].version == col->tests && cites(&run->suite->tests[i], s->id);
    if (loaded || (run->partial && cf_statement_observable(s)))
        return CF_ST_NOT_RUN;
    if (col->tests != col->reg->version)
        return CF_ST_NOT_RUN; /* the 3.1 group covers a few of the 3.1.1 statements on purpose */
    return cf_statement_observable(s) ? CF_ST_NOT_YET_TESTED : CF_ST_NOT_TESTABLE;
}

void cf_run_interruption(const cf_run *run, cf_strbuf *out)
{
    if (!run->interrupted)
        return;
    cf_sb_printf(out, "interrupted by %s: %zu of %zu selected tests finished; the %zu others did not run to the end "
                      "and are left out, their statements not run", cf_interrupt_name(run->signal), run->ntests,
                 run->ntests + run->nunfinished, run->nunfinished);
}

size_t cf_run_transport(const cf_run *run, cf_kv out[6])
{
    size_t n = 0;
    out[n++] = (cf_kv){"transport", run->transport[0] ? run->transport : "unknown (not reached)"};
    const net_tls_session *t = &run->tls;
    if (!t->used)
        return n;
    out[n++] = (cf_kv){"tls_version", t->version};
    out[n++] = (cf_kv){"tls_cipher", t->cipher};
    out[n++] = (cf_kv){"tls_certificate", t->verified ? "verified" : "NOT verified (--insecure)"};
    if (t->sni[0])
        out[n++] = (cf_kv){"tls_sni", t->sni};
    if (t->alpn[0])
        out[n++] = (cf_kv){"tls_alpn", t->alpn};
    return n;
}

int cf_report_save(cf_strbuf *report, const char *path, cf_strbuf *err)
{
    /* every step checked: a full disk must not leave a truncated report behind an exit 0; one
     * message per line so two failed reports do not run together */
    FILE *f = fopen(path, "w");
    if (!f) {
        cf_sb_printf(err, "cannot write %s: %s\n", path, strerror(errno));
        cf_sb_free(report);
        return -1;
    }
    int e = 0;
    errno = 0;
    if (report->len && fwrite(report->data, 1, report->len, f) != report->len)
        e = errno ? errno : EIO;
    if (fflush(f) != 0 && !e)
        e = errno ? errno : EIO;
    if (fclose(f) != 0 && !e)
        e = errno ? errno : EIO;
    cf_sb_free(report);
    if (e) {
        cf_sb_printf(err, "cannot write %s: %s\n", path, strerror(e));
        return -1;
    }
    return 0;
}
