#include <errno.h>
#include <string.h>

#include "base/interrupt.h"
#include "report.h"

static const char *const status_names[RP_ST_COUNT] = {
    "not yet tested", "not testable", "not run",      "pass",        "fail",
    "expected-fail",  "skip",         "inconclusive", "not reached", "not supported by the broker",
};

const char *rp_stmt_status_name(rp_stmt_status st)
{
    return (unsigned)st < RP_ST_COUNT ? status_names[st] : "?";
}

static bool cites(const cs_test *t, const char *id)
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

size_t rp_run_columns(const rp_run *run, rp_column out[4])
{
    size_t n = 0;
    bool any31 = false;
    for (size_t i = 0; i < run->suite->ntests; i++)
        any31 = any31 || run->suite->tests[i].version == MQTT_V31;
    for (size_t r = 0; r < run->nregs; r++) {
        const cs_registry *reg = &run->regs[r];
        bool own = false;
        for (size_t i = 0; i < run->suite->ntests; i++)
            own = own || run->suite->tests[i].version == reg->version;
        if (own)
            out[n++] = (rp_column){reg, reg->version};
        if (reg->version == MQTT_V311 && any31)
            out[n++] = (rp_column){reg, MQTT_V31};
    }
    return n;
}

void rp_column_name(const rp_column *col, base_strbuf *out)
{
    if (col->tests != col->reg->version)
        base_sb_printf(out, "MQTT %s (%s statements)", mqtt_version_name(col->tests),
                       mqtt_version_name(col->reg->version));
    else
        base_sb_printf(out, "MQTT %s", mqtt_version_name(col->tests));
}

const cr_version_probe *rp_run_probe(const rp_run *run, mqtt_version v)
{
    for (size_t i = 0; i < run->nprobes; i++)
        if (run->probes[i].version == v)
            return &run->probes[i];
    return NULL;
}

bool rp_column_covers(const rp_run *run, const rp_column *col, const char *id)
{
    if (col->tests == col->reg->version)
        return true;
    for (size_t i = 0; i < run->suite->ntests; i++)
        if (run->suite->tests[i].version == col->tests && cites(&run->suite->tests[i], id))
            return true;
    return false;
}

bool rp_statement_cited(const rp_run *run, const rp_column *col, const char *id)
{
    for (size_t i = 0; i < run->ntests; i++)
        if (run->tests[i]->version == col->tests && cites(run->tests[i], id))
            return true;
    return false;
}

size_t rp_run_versions(const rp_run *run, mqtt_version out[3])
{
    static const mqtt_version all[] = {MQTT_V31, MQTT_V311, MQTT_V5};
    size_t n = 0;
    for (size_t v = 0; v < 3; v++) {
        unsigned counts[CR_VERDICT_COUNT];
        if (rp_run_counts(run, all[v], counts))
            out[n++] = all[v];
    }
    return n;
}

size_t rp_run_counts(const rp_run *run, mqtt_version v, unsigned counts[CR_VERDICT_COUNT])
{
    size_t n = 0;
    memset(counts, 0, sizeof(unsigned) * CR_VERDICT_COUNT);
    for (size_t i = 0; i < run->ntests; i++) {
        if (run->tests[i]->version != v)
            continue;
        counts[run->results[i].verdict]++;
        n++;
    }
    return n;
}

bool rp_statement_tested(const rp_run *run, const cs_registry *reg, const char *id)
{
    for (size_t i = 0; i < run->suite->ntests; i++)
        if (same_registry(run->suite->tests[i].version, reg->version) && cites(&run->suite->tests[i], id))
            return true;
    return false;
}

/* How strongly a test's finding about a statement decides its verdict: a failure anywhere wins,
 * then an expected failure, then a pass (some step observed it holding), then the undecided ones. */
static const int obs_rank[] = {
    [CR_OBS_NOT_REACHED] = 2, [CR_OBS_PASS] = 4,         [CR_OBS_FAIL] = 6,
    [CR_OBS_XFAIL] = 5,       [CR_OBS_INCONCLUSIVE] = 3, [CR_OBS_SKIP] = 1,
};
static const rp_stmt_status obs_status[] = {
    [CR_OBS_NOT_REACHED] = RP_ST_NOT_REACHED,
    [CR_OBS_PASS] = RP_ST_PASS,
    [CR_OBS_FAIL] = RP_ST_FAIL,
    [CR_OBS_XFAIL] = RP_ST_XFAIL,
    [CR_OBS_INCONCLUSIVE] = RP_ST_INCONCLUSIVE,
    [CR_OBS_SKIP] = RP_ST_SKIP,
};

/* What test i found out about statement id: from its per-statement findings, or a violation. */
static int test_obs(const rp_run *run, size_t i, const char *id)
{
    const cs_test *t = run->tests[i];
    const cr_result *r = &run->results[i];
    for (size_t k = 0; k < r->nviolations; k++)
        if (strcmp(r->violations[k], id) == 0)
            return CR_OBS_FAIL;
    for (size_t k = 0; k < r->nxviolations; k++)
        if (strcmp(r->xviolations[k], id) == 0)
            return CR_OBS_XFAIL;
    for (size_t k = 0; k < t->nstatements; k++)
        if (strcmp(t->statements[k], id) == 0)
            return r->obs ? (int)r->obs[k] : CR_OBS_NOT_REACHED;
    return -1;
}

rp_stmt_status rp_statement_status(const rp_run *run, const rp_column *col, const cs_statement *s, rp_evidence *ev)
{
    int best = -1;
    if (ev)
        *ev = (rp_evidence){NULL, NULL};
    const cr_version_probe *probe = rp_run_probe(run, col->tests);
    for (size_t i = 0; i < run->ntests; i++) {
        if (run->tests[i]->version != col->tests)
            continue;
        int o = test_obs(run, i, s->id);
        if (o < 0)
            continue;
        if (best < 0 || obs_rank[o] > obs_rank[best]) {
            best = o;
            if (ev)
                *ev = (rp_evidence){run->tests[i], &run->results[i]};
        }
    }
    if (probe && probe->state == CR_VS_BROKEN && probe->statement && strcmp(probe->statement, s->id) == 0)
        return RP_ST_FAIL;
    if (probe && probe->state == CR_VS_UNSUPPORTED && (best < 0 || best == CR_OBS_SKIP))
        return RP_ST_UNSUPPORTED;
    if (best >= 0)
        return obs_status[best];
    bool loaded = false;
    for (size_t i = 0; i < run->suite->ntests && !loaded; i++)
        loaded = run->suite->tests[i].version == col->tests && cites(&run->suite->tests[i], s->id);
    if (loaded || (run->partial && cs_statement_observable(s)))
        return RP_ST_NOT_RUN;
    if (col->tests != col->reg->version)
        return RP_ST_NOT_RUN; /* the 3.1 group covers a few of the 3.1.1 statements on purpose */
    return cs_statement_observable(s) ? RP_ST_NOT_YET_TESTED : RP_ST_NOT_TESTABLE;
}

void rp_run_interruption(const rp_run *run, base_strbuf *out)
{
    if (!run->interrupted)
        return;
    base_sb_printf(out,
                   "interrupted by %s: %zu of %zu selected tests finished; the %zu others did not run to the end "
                   "and are left out, their statements not run",
                   base_interrupt_name(run->signal), run->ntests, run->ntests + run->nunfinished, run->nunfinished);
}

size_t rp_run_transport(const rp_run *run, cr_kv out[6])
{
    size_t n = 0;
    out[n++] = (cr_kv){"transport", run->transport[0] ? run->transport : "unknown (not reached)"};
    const net_tls_session *t = &run->tls;
    if (!t->used)
        return n;
    out[n++] = (cr_kv){"tls_version", t->version};
    out[n++] = (cr_kv){"tls_cipher", t->cipher};
    out[n++] = (cr_kv){"tls_certificate", t->verified ? "verified" : "NOT verified (--insecure)"};
    if (t->sni[0])
        out[n++] = (cr_kv){"tls_sni", t->sni};
    if (t->alpn[0])
        out[n++] = (cr_kv){"tls_alpn", t->alpn};
    return n;
}

int rp_report_save(base_strbuf *report, const char *path, base_strbuf *err)
{
    /* every step checked: a full disk must not leave a truncated report behind an exit 0; one
     * message per line so two failed reports do not run together */
    FILE *f = fopen(path, "w");
    if (!f) {
        base_sb_printf(err, "cannot write %s: %s\n", path, strerror(errno));
        base_sb_free(report);
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
    base_sb_free(report);
    if (e) {
        base_sb_printf(err, "cannot write %s: %s\n", path, strerror(e));
        return -1;
    }
    return 0;
}
