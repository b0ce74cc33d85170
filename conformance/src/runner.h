/* Running one test: options shared by the run, the result of a test, verdict names. */
#ifndef CF_RUNNER_H
#define CF_RUNNER_H

#include <stdint.h>
#include <sys/socket.h>

#include "conn.h"
#include "strbuf.h"
#include "test.h"

typedef enum cf_verdict {
    CF_PASS = 0,
    CF_FAIL,
    CF_SKIP,          /* not applicable: the broker's profile lacks a capability the test needs */
    CF_INCONCLUSIVE,  /* the test could not decide: the broker could not be reached for it, or a timed
                         event fell inside the tolerance window where timing noise could flip it */
    CF_XFAIL,         /* failed, as the broker's deviations file says it does */
    CF_XPASS,         /* passed although listed as a deviation: the deviation looks fixed */
    CF_VERDICT_COUNT
} cf_verdict;

/* "pass", "fail", "skip", "inconclusive", "expected-fail", "unexpected-pass". */
const char *cf_verdict_name(cf_verdict v);

/* A variable every test starts with, beyond $prefix / $topic / $C.id: what the broker announced
 * ($server.receive_maximum, ...) and what its profile says ($profile.forbidden_topic, ...). */
typedef struct cf_kv {
    const char *name;
    const char *value;
} cf_kv;

typedef struct cf_run_opts {
    struct sockaddr_storage addr;
    socklen_t addrlen;
    const char *username; /* sent in every CONNECT the script does not give its own credentials */
    const char *password;
    int timeout_ms;       /* how long a positive expectation waits */
    int settle_ms;        /* how long "nothing" / "no TYPE" watch when the script gives no window */
    char prefix[8];       /* this run's unique prefix for client ids and topics */
    cf_kv vars[32];       /* extra variables for every test */
    size_t nvars;
} cf_run_opts;

typedef struct cf_result {
    cf_verdict verdict;
    int64_t duration_ms;
    int fail_line;        /* the step that failed (0: none) */
    cf_strbuf message;    /* why it failed / was skipped */
    cf_transcript log;
    const char *deviation; /* the deviation's reason, for XFAIL / XPASS */
} cf_result;

/* Run test (its index in the run makes its ids and topics unique) and fill r (PASS, FAIL or
 * INCONCLUSIVE; the scheduler decides SKIP and the deviation verdicts). */
void cf_run_test(const cf_test *test, unsigned index, const cf_run_opts *opts, cf_result *r);
void cf_result_free(cf_result *r);

#endif
