/* The scheduler: runs the selected tests on a pool of threads (tests are I/O bound), longest
 * expected first, applies the profile (skips, deviations) and reports each result as it comes. */
#ifndef CR_SCHED_H
#define CR_SCHED_H

#include "conformance/script/profile.h"
#include "interp.h"

typedef void (*cr_progress_fn)(void *ctx, size_t done, size_t total, const cs_test *t, const cr_result *r);

/* The default number of tests run at once. Tests mostly wait (for packets, for quiet windows), so
 * CPU cores are the wrong unit: enough jobs that the run lasts about as long as its longest test
 * (the sum of the expected waits over the longest, plus a margin for the time spent talking; a test
 * the profile expects to fail is counted as waiting out the run's deadline once), at
 * least CR_JOBS_MIN, and at most CR_JOBS_MAX, since each job holds one to three connections and a
 * broker may limit them. */
enum { CR_JOBS_MIN = 8, CR_JOBS_MAX = 32 };
unsigned cr_default_jobs(const cs_test *const *tests, size_t n, const cr_run_opts *opts, const cs_profile *profile);

void cr_schedule(const cs_test *const *tests, size_t n, unsigned jobs, const cr_run_opts *opts,
                 const cs_profile *profile, cr_result *results, cr_progress_fn progress, void *ctx);

/* Run every failed test again, alone. A failure that reproduces is marked so; one that does not is
 * replaced by the lone run's result, with a note of the first verdict and of the test after which
 * the broker first failed its health check. */
void cr_rerun_failures(const cs_test *const *tests, size_t n, const cr_run_opts *opts, const cs_profile *profile,
                       cr_result *results);
/* Make r a skip of t, every statement skipped, with why as its message. */
void cr_skip_result(const cs_test *t, cr_result *r, const char *why);

#endif
