/* What a run produced, and the writers that turn it into reports: console, JSON, JUnit XML,
 * Markdown certificate, and the statement coverage listing. */
#ifndef RP_REPORT_H
#define RP_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "net/tls.h"
#include "conformance/script/profile.h"
#include "conformance/script/registry.h"
#include "conformance/run/interp.h"

#define RP_SUITE_VERSION "1.0.0"

typedef struct rp_run {
    const cs_suite *suite;       /* every loaded test (coverage counts them all) */
    const cs_test *const *tests; /* the selected tests, results[i] for tests[i] */
    cr_result *results;
    size_t ntests;
    const cs_profile *profile;
    cs_registry regs[3];
    size_t nregs;
    char broker[160];                /* "127.0.0.1:1883" */
    bool embedded;                   /* started by the run */
    char transport[320];             /* what the probe connection negotiated (net_describe) */
    net_tls_session tls;             /* and its TLS part (tls.used false over plain TCP) */
    char broker_version[160];        /* from $SYS/broker/version, or "" */
    char suite_hash[65];
    const char *tool_version;        /* mqtk's version, from the executable */
    char options[1024];              /* the command line options */
    char started[32];                /* ISO 8601 UTC */
    int64_t duration_ms;
    int64_t tests_t0;                /* base_now_ms() when the scheduler started (the tests' log.t0 clock) */
    int64_t setup_ms;                /* before that: suite, broker start, version probes, discovery */
    unsigned counts[CR_VERDICT_COUNT];
    cr_version_probe probes[3]; /* one per protocol version the run asked for */
    size_t nprobes;
    bool partial;                    /* --filter chose some tests: untouched statements are "not run" */
    bool interrupted;                /* a signal stopped the run: the reports are partial */
    int signal;                      /* interrupted: the signal */
    const cs_test *const *unfinished; /* interrupted: the selected tests that did not finish (not in tests) */
    size_t nunfinished;
    base_strbuf health; /* tests after which the broker failed a health check */
} rp_run;

/* The verdict of a statement over the selected tests that cite it. */
typedef enum rp_stmt_status {
    RP_ST_NOT_YET_TESTED = 0, /* observable, but no test cites it */
    RP_ST_NOT_TESTABLE,       /* the registry says a client cannot observe it */
    RP_ST_NOT_RUN,            /* cited by tests, none selected in this run */
    RP_ST_PASS,
    RP_ST_FAIL,
    RP_ST_XFAIL,
    RP_ST_SKIP,
    RP_ST_INCONCLUSIVE,
    RP_ST_NOT_REACHED, /* tests cite it, but stopped before a step observing it (setup failed) */
    RP_ST_UNSUPPORTED, /* the broker does not speak the protocol version */
    RP_ST_COUNT
} rp_stmt_status;

/* A column of statement verdicts: a registry, judged from the tests of one protocol version. The
 * 3.1 tests cite the 3.1.1 registry but are their own column, so they never change a 3.1.1 verdict. */
typedef struct rp_column {
    const cs_registry *reg;
    mqtt_version tests;
} rp_column;

/* The evidence for a statement's verdict: the test, and its result, that decided it. */
typedef struct rp_evidence {
    const cs_test *test;
    const cr_result *result;
} rp_evidence;

/* The protocol versions the run's selected tests cover, in the order 3.1, 3.1.1, 5.0; returns how many. */
size_t rp_run_versions(const rp_run *run, mqtt_version out[3]);
/* Verdict counts of the selected tests of one version; returns their number. */
size_t rp_run_counts(const rp_run *run, mqtt_version v, unsigned counts[CR_VERDICT_COUNT]);

/* The run's columns: each loaded registry, plus 3.1 on the 3.1.1 registry when 3.1 tests ran. */
size_t rp_run_columns(const rp_run *run, rp_column out[4]);
/* "MQTT 3.1.1", or "MQTT 3.1 (3.1.1 statements)". */
void rp_column_name(const rp_column *col, base_strbuf *out);
/* A statement's verdict in a column; ev (may be NULL) gets the deciding test for fail, expected-fail,
 * inconclusive and not reached. */
rp_stmt_status rp_statement_status(const rp_run *run, const rp_column *col, const cs_statement *s, rp_evidence *ev);
/* The probe of version v, or NULL when the run did not probe it. */
const cr_version_probe *rp_run_probe(const rp_run *run, mqtt_version v);
/* Whether a column speaks of the statement: always for a registry's own version; the 3.1 column
 * only of the statements some 3.1 test cites. */
bool rp_column_covers(const rp_run *run, const rp_column *col, const char *id);
/* Whether any selected test of the column's version cites the statement. */
bool rp_statement_cited(const rp_run *run, const rp_column *col, const char *id);
const char *rp_stmt_status_name(rp_stmt_status st);
/* Whether any loaded test of the registry's version (or 3.1) cites the statement. */
bool rp_statement_tested(const rp_run *run, const cs_registry *reg, const char *id);

/* Console: one line per failure as it happens, a progress line on a terminal, then a summary. */
typedef struct rp_console {
    FILE *out;
    bool tty;
    bool verbose;
    unsigned counts[CR_VERDICT_COUNT];
} rp_console;

void rp_console_progress(void *console, size_t done, size_t total, const cs_test *t, const cr_result *r);
void rp_console_summary(rp_console *c, const rp_run *run);
/* The slowest tests, which bound the run's length however many run at once, and the jobs used. */
void rp_console_critical_path(rp_console *c, const rp_run *run, unsigned jobs);
/* `--coverage`: each statement as tested / not testable / not yet tested, per version. */
void rp_console_coverage(FILE *out, const rp_run *run);

int rp_report_json(const rp_run *run, const char *path, base_strbuf *err);
int rp_report_junit(const rp_run *run, const char *path, base_strbuf *err);
int rp_report_markdown(const rp_run *run, const char *path, base_strbuf *err);

/* "interrupted by SIGINT: 12 of 116 selected tests finished; the 104 others did not run to the
 * end and are left out, their statements not run" (nothing for a run that was not interrupted). */
void rp_run_interruption(const rp_run *run, base_strbuf *out);
/* What carried the run, as name/value pairs every report shows: "transport" (the whole stack), and
 * over TLS tls_version, tls_cipher, tls_certificate ("verified" or "NOT verified (--insecure)"),
 * tls_sni and tls_alpn when there are any. Returns how many (at most 6). */
size_t rp_run_transport(const rp_run *run, cr_kv out[6]);

/* Write a finished report to path and free it; -1 with the reason in err when the file cannot be opened. */
int rp_report_save(base_strbuf *report, const char *path, base_strbuf *err);

#endif
