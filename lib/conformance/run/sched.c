#include "sched.h"

#include "discover.h"
#include "base/interrupt.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct pool {
    const cs_test *const *tests;
    size_t n;
    size_t *order;
    size_t next;
    size_t done;
    const cr_run_opts *opts;
    const cs_profile *profile;
    cr_result *results;
    cr_progress_fn progress;
    void *ctx;
    pthread_mutex_t lock;
} pool;

static bool has_deviation(const cs_profile *profile, const cs_test *t)
{
    for (size_t d = 0; profile && d < profile->ndevs; d++)
        if (strcmp(profile->devs[d].test_id, t->id) == 0)
            return true;
    return false;
}

/* Milliseconds the test spends waiting on purpose (quiet windows, explicit deadlines). A test the
 * profile lists a deviation for is expected to fail: most likely by waiting out the run's deadline
 * for a packet or a close that never comes (timeout, then late_ms to tell late from never), which
 * makes it one of the longest; estimated short, it would start last and end the run late. */
static long expected_ms(const cs_test *t, const cr_run_opts *o, const cs_profile *profile)
{
    long ms = has_deviation(profile, t) ? (long)o->timeout_ms + o->late_ms : 0;
    for (size_t i = 0; i < t->nsteps; i++) {
        const cs_step *s = &t->steps[i];
        if (s->kind != CS_STEP_EXPECT)
            continue;
        bool negative = true;
        for (size_t k = 0; k < s->noutcomes; k++)
            negative = negative && (s->outcomes[k].kind == CS_OUT_NOTHING || s->outcomes[k].kind == CS_OUT_NO);
        if (s->within_ms >= 0)
            ms += negative ? s->within_ms : s->within_ms / 2;
        else if (negative)
            ms += o->settle_ms;
    }
    return ms;
}

unsigned cr_default_jobs(const cs_test *const *tests, size_t n, const cr_run_opts *opts, const cs_profile *profile)
{
    long total = 0, longest = 0;
    for (size_t i = 0; i < n; i++) {
        long ms = expected_ms(tests[i], opts, profile) + opts->timeout_ms / 4; /* and some talking per test */
        total += ms;
        if (ms > longest)
            longest = ms;
    }
    /* longest first on ceil(total / longest) jobs, each test lasting about its estimate: the longest
     * ends about when the others do; 1.5 times that absorbs the estimates' error */
    long jobs = longest ? (3 * total + 2 * longest - 1) / (2 * longest) : 1;
    if (jobs < CR_JOBS_MIN)
        jobs = CR_JOBS_MIN;
    if (jobs > CR_JOBS_MAX)
        jobs = CR_JOBS_MAX;
    return (unsigned)jobs;
}

typedef struct planned {
    long ms;
    size_t index;
} planned;

static int longest_first(const void *a, const void *b)
{
    const planned *pa = a, *pb = b;
    if (pa->ms != pb->ms)
        return pa->ms < pb->ms ? 1 : -1;
    return pa->index < pb->index ? -1 : 1;
}

/* The profile's deviations for t: a statement the test failed that a deviation names becomes an
 * expected failure; the test is an expected failure when every statement it failed is one. */
static void apply_deviations(const cs_profile *profile, const cs_test *t, cr_result *r)
{
    const char *reason = NULL;
    for (size_t d = 0; d < profile->ndevs; d++) {
        const cs_deviation *dev = &profile->devs[d];
        if (strcmp(dev->test_id, t->id) != 0)
            continue;
        if (!reason)
            reason = dev->reason;
        for (size_t k = 0; k < t->nstatements; k++) {
            if (r->obs[k] == CR_OBS_FAIL && strcmp(t->statements[k], dev->statement) == 0) {
                r->obs[k] = CR_OBS_XFAIL;
                reason = dev->reason;
            }
        }
        /* a statement the test does not cite, broken by a packet the broker sent during it */
        for (size_t k = 0; k < r->nviolations; k++) {
            if (strcmp(r->violations[k], dev->statement) != 0)
                continue;
            r->xviolations[r->nxviolations++] = r->violations[k];
            r->violations[k--] = r->violations[--r->nviolations];
            reason = dev->reason;
        }
    }
    if (!reason)
        return;
    bool still_failing = r->nviolations > 0, any_xfail = r->nxviolations > 0;
    for (size_t k = 0; k < t->nstatements; k++) {
        still_failing = still_failing || r->obs[k] == CR_OBS_FAIL;
        any_xfail = any_xfail || r->obs[k] == CR_OBS_XFAIL;
    }
    if (r->verdict == CR_FAIL && !still_failing && any_xfail) {
        r->verdict = CR_XFAIL;
        r->deviation = reason;
    } else if (r->verdict == CR_PASS) {
        r->verdict = CR_XPASS;
        r->deviation = reason;
    }
}

void cr_skip_result(const cs_test *t, cr_result *r, const char *why)
{
    r->verdict = CR_SKIP;
    free(r->obs);
    r->obs = calloc(t->nstatements + 1, sizeof *r->obs);
    if (!r->obs)
        abort();
    for (size_t k = 0; k < t->nstatements; k++)
        r->obs[k] = CR_OBS_SKIP;
    base_sb_reset(&r->message);
    base_sb_puts(&r->message, why);
}

/* Returns true when the test ran (rather than being decided without the broker). */
static bool run_one(pool *p, size_t i)
{
    const cs_test *t = p->tests[i];
    cr_result *r = &p->results[i];
    if (r->obs)
        return false; /* decided before the run (a protocol version the broker does not speak) */
    for (size_t k = 0; k < t->nneeds; k++) {
        if (!cs_profile_has(p->profile, t->needs[k])) {
            base_strbuf why = {0};
            if (strcmp(t->needs[k], CS_CAP_WEBSOCKET) == 0)
                base_sb_puts(&why, "not applicable: a WebSocket test, and this run is not over WebSocket "
                                   "(--transport ws or a ws:// broker runs it)");
            else
                base_sb_printf(&why, "not applicable: needs '%s', which profile '%s' does not list", t->needs[k],
                               p->profile->name);
            cr_skip_result(t, r, base_sb_str(&why));
            base_sb_free(&why);
            return false;
        }
    }
    cr_run_test(t, (unsigned)i, p->opts, r);
    apply_deviations(p->profile, t, r);
    if (p->opts->health_check && !base_interrupt_signal() && cr_health_check(p->opts, (unsigned)i, &r->health) < 0)
        r->unhealthy_after = true;
    return true;
}

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t slot = p->next < p->n && !base_interrupt_signal() ? p->next++ : p->n;
        pthread_mutex_unlock(&p->lock);
        if (slot == p->n)
            return NULL;
        size_t i = p->order[slot];
        if (run_one(p, i) && base_interrupt_signal()) {
            /* its waits were cut short by the wind-down: not a verdict; the reports list it as not
             * finished */
            cr_result_free(&p->results[i]);
            memset(&p->results[i], 0, sizeof p->results[i]);
            continue;
        }
        pthread_mutex_lock(&p->lock);
        p->done++;
        p->results[i].seq = (unsigned)p->done;
        if (p->progress)
            p->progress(p->ctx, p->done, p->n, p->tests[i], &p->results[i]);
        pthread_mutex_unlock(&p->lock);
    }
}

void cr_schedule(const cs_test *const *tests, size_t n, unsigned jobs, const cr_run_opts *opts,
                 const cs_profile *profile, cr_result *results, cr_progress_fn progress, void *ctx)
{
    pool p = {.tests = tests, .n = n, .opts = opts, .profile = profile, .results = results, .progress = progress,
              .ctx = ctx};
    p.order = malloc(sizeof(size_t) * (n ? n : 1));
    planned *plan = malloc(sizeof(planned) * (n ? n : 1));
    if (!p.order || !plan)
        abort();
    for (size_t i = 0; i < n; i++)
        plan[i] = (planned){expected_ms(tests[i], opts, profile), i};
    qsort(plan, n, sizeof(planned), longest_first);
    for (size_t i = 0; i < n; i++)
        p.order[i] = plan[i].index;
    free(plan);
    pthread_mutex_init(&p.lock, NULL);
    if (jobs < 1)
        jobs = 1;
    if (jobs > n)
        jobs = n ? (unsigned)n : 1;
    pthread_t *threads = calloc(jobs, sizeof *threads);
    if (!threads)
        abort();
    unsigned started = 0;
    for (unsigned j = 0; j < jobs; j++)
        if (pthread_create(&threads[j], NULL, worker, &p) == 0)
            started++;
        else
            break;
    if (started == 0)
        worker(&p);
    for (unsigned j = 0; j < started; j++)
        pthread_join(threads[j], NULL);
    pthread_mutex_destroy(&p.lock);
    free(threads);
    free(p.order);
}

void cr_rerun_failures(const cs_test *const *tests, size_t n, const cr_run_opts *opts, const cs_profile *profile,
                       cr_result *results)
{
    /* the test after which the broker first failed its health check, if any */
    const cs_test *culprit = NULL;
    unsigned first = 0;
    for (size_t i = 0; i < n; i++) {
        if (results[i].unhealthy_after && (!culprit || results[i].seq < first)) {
            culprit = tests[i];
            first = results[i].seq;
        }
    }
    for (size_t i = 0; i < n && !base_interrupt_signal(); i++) {
        if (results[i].verdict != CR_FAIL)
            continue;
        cr_result alone = {0};
        cr_run_test(tests[i], (unsigned)(n + i), opts, &alone);
        if (base_interrupt_signal()) {
            cr_result_free(&alone); /* cut short: the first verdict stands, not re-run */
            break;
        }
        apply_deviations(profile, tests[i], &alone);
        if (alone.verdict == CR_FAIL) {
            results[i].rerun = CR_RERUN_REPRODUCED;
            cr_result_free(&alone);
            continue;
        }
        base_sb_printf(&alone.rerun_note, "failed in the full run (%s) but was %s when run alone",
                       base_sb_str(&results[i].message), cr_verdict_name(alone.verdict));
        if (culprit && first < results[i].seq)
            base_sb_printf(&alone.rerun_note, "; the broker had failed a health check after %s", culprit->id);
        alone.rerun = CR_RERUN_ONLY_IN_SEQUENCE;
        alone.seq = results[i].seq;
        alone.unhealthy_after = results[i].unhealthy_after;
        cr_result_free(&results[i]);
        results[i] = alone;
    }
}
