/* Running one test (interp.c): options shared by the run, the result of a test, verdict names. */
#ifndef CF_INTERP_H
#define CF_INTERP_H

#include <stdint.h>

#include "conn.h"
#include "base/strbuf.h"
#include "conformance/script/model.h"

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
    net_target target;    /* the broker: address, what it resolved to, transport settings */
    const char *username; /* sent in every CONNECT the script does not give its own credentials */
    const char *password;
    int timeout_ms;       /* how long a positive expectation waits */
    int late_ms;          /* then how much longer it keeps waiting, to tell "late" from "never" */
    int settle_ms;        /* how long "nothing" / "no TYPE" watch when the script gives no window */
    char prefix[8];       /* this run's unique prefix for client ids and topics */
    bool health_check;    /* after each test, check the broker still works (needs 3.1.1) */
    cf_kv vars[32];       /* extra variables for every test */
    size_t nvars;
} cf_run_opts;

/* What one test found out about one statement it cites. */
typedef enum cf_obs {
    CF_OBS_NOT_REACHED = 0, /* a step observing it never ran: the test stopped before it */
    CF_OBS_PASS,            /* every step observing it ran and passed */
    CF_OBS_FAIL,            /* a step observing it failed: the broker broke it */
    CF_OBS_XFAIL,           /* failed, as the profile's deviation for this test and statement says */
    CF_OBS_INCONCLUSIVE,    /* a timed step observing it was too close to call */
    CF_OBS_SKIP             /* the test did not apply to this broker */
} cf_obs;

enum { CF_MAX_VIOLATIONS = 4 };

/* Whether a failure was re-run alone after the whole run. */
typedef enum cf_rerun {
    CF_RERUN_NONE = 0,
    CF_RERUN_REPRODUCED, /* failed again when run alone */
    CF_RERUN_ONLY_IN_SEQUENCE /* passed alone: something earlier in the run had disturbed the broker */
} cf_rerun;

typedef struct cf_result {
    cf_verdict verdict;
    int64_t duration_ms;
    int fail_line;        /* the step that failed (0: none) */
    cf_strbuf message;    /* why it failed / was skipped */
    cf_transcript log;
    const char *deviation; /* the deviation's reason, for XFAIL / XPASS */
    cf_obs *obs;          /* one per test->statements[i] (NULL for a test that never ran) */
    /* statements the test does not cite that a packet from the broker broke (from the codec) */
    const char *violations[CF_MAX_VIOLATIONS];
    size_t nviolations;
    bool script_error;    /* the script could not be carried out (undefined variable, value out of range) */
    cf_strbuf notes;      /* what passed but is worth saying: late packets */
    cf_rerun rerun;
    unsigned seq;         /* the order in which the test finished (1 = first) */
    bool unhealthy_after; /* the broker failed the health check right after this test */
    cf_strbuf health;     /* what the health check saw */
    cf_strbuf rerun_note; /* for ONLY_IN_SEQUENCE: what the run's first verdict was, and why */
} cf_result;

/* What the run found out about a protocol version before running its tests. */
typedef enum cf_version_state {
    CF_VS_SPOKEN = 0,   /* the broker accepted a CONNECT of this version */
    CF_VS_UNSUPPORTED,  /* it refused the version (CONNACK 0x01 / 0x84, or a close): its tests were not run */
    CF_VS_BROKEN        /* it answered the CONNECT wrongly (garbage, a malformed CONNACK, nothing): a finding */
} cf_version_state;

typedef struct cf_version_probe {
    mqtt_version version;
    cf_version_state state;
    char evidence[400];    /* what the broker answered */
    const char *statement; /* CF_VS_BROKEN: the statement its answer breaks, or NULL */
} cf_version_probe;

/* Run test (its index in the run makes its ids and topics unique) and fill r (PASS, FAIL or
 * INCONCLUSIVE; the scheduler decides SKIP and the deviation verdicts). */
void cf_run_test(const cf_test *test, unsigned index, const cf_run_opts *opts, cf_result *r);
void cf_result_free(cf_result *r);
/* "not reached", "pass", "fail", "expected-fail", "inconclusive", "skip". */
const char *cf_obs_name(cf_obs o);
/* Whether statement id breaks (fail or expected-fail) in r, cited or as a violation. */
bool cf_result_breaks(const cf_test *t, const cf_result *r, const char *id);

#endif
