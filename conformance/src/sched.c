#include "sched.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct pool {
    const cf_test *const *tests;
    size_t n;
    size_t *order;
    size_t next;
    size_t done;
    const cf_run_opts *opts;
    const cf_profile *profile;
    cf_result *results;
    cf_progress_fn progress;
    void *ctx;
    pthread_mutex_t lock;
} pool;

/* Milliseconds the test spends waiting on purpose (quiet windows, explicit deadlines). */
static long expected_ms(const cf_test *t, const cf_run_opts *o)
{
    long ms = 0;
    for (size_t i = 0; i < t->nsteps; i++) {
        const cf_step *s = &t->steps[i];
        if (s->kind != CF_STEP_EXPECT)
            continue;
        bool negative = true;
        for (size_t k = 0; k < s->noutcomes; k++)
            negative = negative && (s->outcomes[k].kind == CF_OUT_NOTHING || s->outcomes[k].kind == CF_OUT_NO);
        if (s->within_ms >= 0)
            ms += negative ? s->within_ms : s->within_ms / 2;
        else if (negative)
            ms += o->settle_ms;
    }
    return ms;
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

static void run_one(pool *p, size_t i)
{
    const cf_test *t = p->tests[i];
    cf_result *r = &p->results[i];
    for (size_t k = 0; k < t->nneeds; k++) {
        if (!cf_profile_has(p->profile, t->needs[k])) {
            r->verdict = CF_SKIP;
            cf_sb_printf(&r->message, "not applicable: needs '%s', which profile '%s' does not list", t->needs[k],
                         p->profile->name);
            return;
        }
    }
    cf_run_test(t, (unsigned)i, p->opts, r);
    const cf_deviation *dev = cf_profile_deviation(p->profile, t);
    if (dev && (r->verdict == CF_FAIL || r->verdict == CF_PASS)) {
        r->deviation = dev->reason;
        r->verdict = r->verdict == CF_FAIL ? CF_XFAIL : CF_XPASS;
    }
}

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t slot = p->next < p->n ? p->next++ : p->n;
        pthread_mutex_unlock(&p->lock);
        if (slot == p->n)
            return NULL;
        size_t i = p->order[slot];
        run_one(p, i);
        pthread_mutex_lock(&p->lock);
        p->done++;
        if (p->progress)
            p->progress(p->ctx, p->done, p->n, p->tests[i], &p->results[i]);
        pthread_mutex_unlock(&p->lock);
    }
}

void cf_schedule(const cf_test *const *tests, size_t n, unsigned jobs, const cf_run_opts *opts,
                 const cf_profile *profile, cf_result *results, cf_progress_fn progress, void *ctx)
{
    pool p = {.tests = tests, .n = n, .opts = opts, .profile = profile, .results = results, .progress = progress,
              .ctx = ctx};
    p.order = malloc(sizeof(size_t) * (n ? n : 1));
    planned *plan = malloc(sizeof(planned) * (n ? n : 1));
    if (!p.order || !plan)
        abort();
    for (size_t i = 0; i < n; i++)
        plan[i] = (planned){expected_ms(tests[i], opts), i};
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
