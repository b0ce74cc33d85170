/* Running one test (interp.c): options shared by the run, the result of a test, verdict names. */
#ifndef CR_INTERP_H
#define CR_INTERP_H

#include <stdint.h>

#include "conn.h"
#include "base/strbuf.h"
#include "conformance/script/model.h"

typedef enum cr_verdict {
    CR_PASS = 0,
    CR_FAIL,
    CR_SKIP,         /* not applicable: the broker's profile lacks a capability the test needs */
    CR_INCONCLUSIVE, /* the test could not decide: the broker could not be reached for it, or a timed
                        event fell inside the tolerance window where timing noise could flip it */
    CR_XFAIL,        /* failed, as the broker's deviations file says it does */
    CR_XPASS,        /* passed although listed as a deviation: the deviation looks fixed */
    CR_VERDICT_COUNT
} cr_verdict;

/* "pass", "fail", "skip", "inconclusive", "expected-fail", "unexpected-pass". */
const char *cr_verdict_name(cr_verdict v);

/* A variable every test starts with, beyond $prefix / $topic / $C.id: what the broker announced
 * ($server.receive_maximum, ...) and what its profile says ($profile.forbidden_topic, ...). */
typedef struct cr_kv {
    const char *name;
    const char *value;
} cr_kv;

typedef struct cr_run_opts {
    net_target target;    /* the broker: address, what it resolved to, transport settings */
    const char *username; /* sent in every CONNECT the script does not give its own credentials */
    const char *password;
    int timeout_ms;       /* how long a positive expectation waits */
    int late_ms;          /* then how much longer it keeps waiting, to tell "late" from "never" */
    int settle_ms;        /* how long "nothing" / "no TYPE" watch when the script gives no window */
    char prefix[8];       /* this run's unique prefix for client ids and topics */
    bool health_check;    /* after each test, check the broker still works (needs 3.1.1) */
    cr_kv vars[32];       /* extra variables for every test */
    size_t nvars;
} cr_run_opts;

/* What one test found out about one statement it cites. */
typedef enum cr_obs {
    CR_OBS_NOT_REACHED = 0, /* a step observing it never ran: the test stopped before it */
    CR_OBS_PASS,            /* every step observing it ran and passed */
    CR_OBS_FAIL,            /* a step observing it failed: the broker broke it */
    CR_OBS_XFAIL,           /* failed, as the profile's deviation for this test and statement says */
    CR_OBS_INCONCLUSIVE,    /* a timed step observing it was too close to call */
    CR_OBS_SKIP             /* the test did not apply to this broker */
} cr_obs;

enum { CR_MAX_VIOLATIONS = 4 };

/* Whether a failure was re-run alone after the whole run. */
typedef enum cr_rerun {
    CR_RERUN_NONE = 0,
    CR_RERUN_REPRODUCED,      /* failed again when run alone */
    CR_RERUN_ONLY_IN_SEQUENCE /* passed alone: something earlier in the run had disturbed the broker */
} cr_rerun;

typedef struct cr_result {
    cr_verdict verdict;
    int64_t duration_ms;
    int fail_line;        /* the step that failed (0: none) */
    base_strbuf message;  /* why it failed / was skipped */
    cr_transcript log;
    const char *deviation; /* the deviation's reason, for XFAIL / XPASS */
    cr_obs *obs;           /* one per test->statements[i] (NULL for a test that never ran) */
    /* statements the test does not cite that a packet from the broker broke (from the codec) */
    const char *violations[CR_MAX_VIOLATIONS];
    size_t nviolations;
    /* those of them the profile lists as deviations of this test (expected failures) */
    const char *xviolations[CR_MAX_VIOLATIONS];
    size_t nxviolations;
    bool script_error;    /* the script could not be carried out (undefined variable, value out of range) */
    base_strbuf notes;    /* what passed but is worth saying: late packets */
    cr_rerun rerun;
    unsigned seq;         /* the order in which the test finished (1 = first) */
    bool unhealthy_after; /* the broker failed the health check right after this test */
    base_strbuf health;   /* what the health check saw */
    base_strbuf rerun_note; /* for ONLY_IN_SEQUENCE: what the run's first verdict was, and why */
} cr_result;

/* What the run found out about a protocol version before running its tests. */
typedef enum cr_version_state {
    CR_VS_SPOKEN = 0,  /* the broker accepted a CONNECT of this version */
    CR_VS_UNSUPPORTED, /* it refused the version (CONNACK 0x01 / 0x84, or a close): its tests were not run */
    CR_VS_BROKEN       /* it answered the CONNECT wrongly (garbage, a malformed CONNACK, nothing): a finding */
} cr_version_state;

typedef struct cr_version_probe {
    mqtt_version version;
    cr_version_state state;
    char evidence[400];    /* what the broker answered */
    const char *statement; /* CR_VS_BROKEN: the statement its answer breaks, or NULL */
} cr_version_probe;

/* Run test (its index in the run makes its ids and topics unique) and fill r (PASS, FAIL or
 * INCONCLUSIVE; the scheduler decides SKIP and the deviation verdicts). */
void cr_run_test(const cs_test *test, unsigned index, const cr_run_opts *opts, cr_result *r);
void cr_result_free(cr_result *r);
/* "not reached", "pass", "fail", "expected-fail", "inconclusive", "skip". */
const char *cr_obs_name(cr_obs o);
/* Whether statement id breaks (fail or expected-fail) in r, cited or as a violation. */
bool cr_result_breaks(const cs_test *t, const cr_result *r, const char *id);

#endif
