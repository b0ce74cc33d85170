/* `mqtk run`: options, loading the suite, the broker (given or embedded), the run, the reports. */
#include "args.h"
#include "commands.h"
#include "suite_dir.h"
#include "output.h"
#include "transport_opts.h"

#include <fnmatch.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conformance/run/broker.h"
#include "base/clock.h"
#include "conformance/run/discover.h"
#include "base/interrupt.h"
#include "conformance/run/probe.h"
#include "conformance/report/report.h"
#include "conformance/run/sched.h"
#include "conformance/script/suite.h"
#include "net/tls.h"

enum { RUN_INTERRUPTED = 3 /* internal, never an exit code: a signal stopped the run */ };

static const char usage_text[] =
    "usage: mqtk run [options]\n"
    "\n"
    "Run the conformance suite against an MQTT broker and certify it statement by statement.\n"
    "Without --broker, starts a mosquitto on a free 127.0.0.1 port (temporary config: anonymous\n"
    "access, no persistence), runs against it with profiles/mosquitto.profile, and stops it.\n"
    "\n"
    "options:\n"
    "  --broker ADDRESS     broker to test: HOST:PORT or mqtt://HOST:PORT (TCP), mqtts://HOST:PORT\n"
    "                       (TLS), ws://HOST:PORT/PATH or wss://HOST:PORT/PATH (WebSocket);\n"
    "                       [::1]:1883 for IPv6; loopback only in tests\n"
    "  --transport T        without --broker: the embedded broker's listener, tcp (default), tls\n"
    "                       (a TLS listener with a throwaway CA made for the run, which the run\n"
    "                       trusts) or ws (mosquitto behind a WebSocket bridge,\n"
    "                       scripts/pcap-clients/ws_bridge.py); over WebSocket the section 6 tests\n"
    "                       run too\n"
    MQTK_TRANSPORT_HELP
    "  --protocol V         3.1.1 (default), 5, 3.1, or all (3.1, 3.1.1 and 5.0, reported side by\n"
    "                       side); a 5.0 run first reads the broker's CONNACK capabilities (see\n"
    "                       mqtk probe) and skips what the broker does not offer\n"
    "  --filter PATTERN     run tests whose id (3.1.1/area/name) contains PATTERN, or matches it\n"
    "                       as a glob when it has * ? or [\n"
    "  --jobs N             tests run at once (default: enough that the run lasts about as long as\n"
    "                       its longest test, from 8 to 32: tests mostly wait; the longest start\n"
    "                       first, counting a deviation of the profile as waiting out --timeout)\n"
    "  --timeout MS         how long an expected packet is awaited (default 2000)\n"
    "  --settle MS          quiet window for 'expect nothing / no TYPE' without within= (default 300)\n"
    "  --username U         credentials sent in every CONNECT a test does not fill itself\n"
    "  --password P\n"
    "  --profile FILE       broker profile: capabilities and known deviations (default: built-in\n"
    "                       'qos1 qos2 retain wildcards' with --broker, mosquitto.profile without)\n"
    "  --suite DIR          the conformance directory (scripts, statements, profiles); default\n"
    "                       $MQTK_SUITE, else PREFIX/share/mqtk/suite beside an installed\n"
    "                       PREFIX/bin/mqtk, else the source tree mqtk was built from\n"
    "  --json FILE          JSON report (every test, verdict, statements, duration, transcript)\n"
    "  --junit FILE         JUnit XML report, for CI systems\n"
    "  --report FILE.md     Markdown certificate: broker and its version, suite hash, options,\n"
    "                       verdict per statement, transcripts of failures\n"
    "  --coverage           list every statement as tested / not testable / not yet tested, then\n"
    "                       exit without running\n"
    "  --list               list the selected tests, then exit without running\n"
    "  --verbose            print every test's verdict, the transcript of each failure, and the\n"
    "                       critical path: set-up time, the slowest tests and when each ran\n"
    "  --help               this text\n"
    "\n";

/* The rest of --help, in two more strings (one would pass the length C99 guarantees). */
static const char usage_verdicts[] =
    "verdicts: pass, fail, skip (not applicable to the profile or to what the broker announced),\n"
    "inconclusive (the test could not reach the broker, or a timed event fell inside its tolerance\n"
    "window), expected-fail / unexpected-pass (a deviation listed in the profile).\n"
    "\n"
    "exit status:\n"
    "  0  no test failed (expected failures, skips and unexpected passes do not count)\n"
    "  1  at least one test failed\n"
    "  2  usage or setup error: bad option, script or profile error, mosquitto could not be\n"
    "     started, the broker is unreachable (no TCP connection could be opened), or a report\n"
    "     or standard output could not be written\n"
    "\n"
    ;

static const char usage_signals[] =
    "signals: SIGINT, SIGTERM or SIGHUP stops the run: no test is started any more, the tests\n"
    "under way end within 2 s (their results are left out), the console summary and the reports\n"
    "are written for the tests that finished, marked interrupted, the embedded mosquitto is\n"
    "stopped and its temporary directory removed, and mqtk dies of the same signal (a shell\n"
    "shows 128 + its number: 130, 143, 129). A second signal, or any other terminating signal,\n"
    "ends it at once, after stopping the embedded mosquitto and removing its directory.\n";

typedef struct options {
    const char *broker, *protocol, *filter, *username, *password, *profile, *suite, *json, *junit, *report,
        *transport;
    int jobs, timeout_ms, settle_ms;
    bool coverage, list, verbose;
    net_address address; /* --broker, parsed */
    net_opts net;        /* TLS settings from the transport options */
} options;

enum {
    OPT_BROKER = 1, OPT_PROTOCOL, OPT_FILTER, OPT_USERNAME, OPT_PASSWORD, OPT_PROFILE, OPT_SUITE, OPT_JSON,
    OPT_JUNIT, OPT_REPORT, OPT_TRANSPORT, OPT_JOBS, OPT_TIMEOUT, OPT_SETTLE, OPT_COVERAGE, OPT_LIST, OPT_VERBOSE,
    OPT_HELP
};

static const mqtk_option run_options[] = {
    {"broker", 0, true, OPT_BROKER},     {"protocol", 0, true, OPT_PROTOCOL}, {"filter", 0, true, OPT_FILTER},
    {"username", 0, true, OPT_USERNAME}, {"password", 0, true, OPT_PASSWORD}, {"profile", 0, true, OPT_PROFILE},
    {"suite", 0, true, OPT_SUITE},       {"json", 0, true, OPT_JSON},         {"junit", 0, true, OPT_JUNIT},
    {"report", 0, true, OPT_REPORT},     {"jobs", 0, true, OPT_JOBS},         {"timeout", 0, true, OPT_TIMEOUT},
    {"settle", 0, true, OPT_SETTLE},     {"coverage", 0, false, OPT_COVERAGE}, {"list", 0, false, OPT_LIST},
    {"verbose", 0, false, OPT_VERBOSE},  {"help", 'h', false, OPT_HELP},     {"transport", 0, true, OPT_TRANSPORT},
    MQTK_TRANSPORT_OPTIONS,
};

/* Where each string option lands in options, plus one (0: not a string option). */
static const size_t string_field[OPT_HELP + 1] = {
    [OPT_BROKER] = offsetof(options, broker) + 1,     [OPT_PROTOCOL] = offsetof(options, protocol) + 1,
    [OPT_FILTER] = offsetof(options, filter) + 1,     [OPT_USERNAME] = offsetof(options, username) + 1,
    [OPT_PASSWORD] = offsetof(options, password) + 1, [OPT_PROFILE] = offsetof(options, profile) + 1,
    [OPT_SUITE] = offsetof(options, suite) + 1,       [OPT_JSON] = offsetof(options, json) + 1,
    [OPT_JUNIT] = offsetof(options, junit) + 1,       [OPT_REPORT] = offsetof(options, report) + 1,
    [OPT_TRANSPORT] = offsetof(options, transport) + 1,
};

/* Parse argv into o (cli/args.h, as every command). echo gets the options for the report, the
 * password masked. Returns -1 for --help (printed), MQTK_EXIT_USAGE on an error, 0 otherwise. */
static int parse_options(int argc, char **argv, options *o, base_strbuf *echo)
{
    mqtk_args a;
    const char *value;
    int id;
    mqtk_args_init(&a, argc, argv);
    while ((id = mqtk_args_next(&a, run_options, sizeof run_options / sizeof run_options[0], &value)) !=
           MQTK_ARG_END) {
        if (id == MQTK_ARG_ERROR)
            return MQTK_EXIT_USAGE;
        if (id == MQTK_ARG_POSITIONAL)
            return mqtk_usage_error("run", "unexpected argument '%s'", value);
        if (id == OPT_HELP) {
            fputs(usage_text, stdout);
            fputs(usage_verdicts, stdout);
            mqtk_flush_stdout(); /* keeps the errno of a failed write for main's check */
            fputs(usage_signals, stdout);
            return -1;
        }
        const char *name = run_options[0].name;
        for (size_t k = 0; k < sizeof run_options / sizeof run_options[0]; k++)
            if (run_options[k].id == id)
                name = run_options[k].name;
        if (value)
            base_sb_printf(echo, "%s--%s %s", echo->len ? " " : "", name, id == OPT_PASSWORD ? "***" : value);
        else
            base_sb_printf(echo, "%s--%s", echo->len ? " " : "", name);
        if (id == OPT_BROKER && mqtk_arg_broker("run", value, &o->address))
            return MQTK_EXIT_USAGE;
        if (mqtk_transport_option_is(id)) {
            if (mqtk_transport_option_apply("run", id, value, &o->net))
                return MQTK_EXIT_USAGE;
            continue;
        }
        if (id <= OPT_HELP && string_field[id]) {
            *(const char **)((char *)o + string_field[id] - 1) = value;
            continue;
        }
        int rc = 0;
        switch (id) {
        case OPT_JOBS: rc = mqtk_arg_int("run", "jobs", value, 1, 1024, "a number", &o->jobs); break;
        case OPT_TIMEOUT: rc = mqtk_arg_int("run", "timeout", value, 10, 600000, "milliseconds", &o->timeout_ms); break;
        case OPT_SETTLE: rc = mqtk_arg_int("run", "settle", value, 0, 600000, "milliseconds", &o->settle_ms); break;
        case OPT_COVERAGE: o->coverage = true; break;
        case OPT_LIST: o->list = true; break;
        case OPT_VERBOSE: o->verbose = true; break;
        }
        if (rc)
            return rc;
    }
    if (o->password && !o->username)
        return mqtk_usage_error("run", "--password needs --username");
    return 0;
}

static int parse_protocols(const char *p, mqtt_version *out, size_t *n)
{
    *n = 0;
    if (!p || strcmp(p, "3.1.1") == 0) {
        out[(*n)++] = MQTT_V311;
    } else if (strcmp(p, "5") == 0 || strcmp(p, "5.0") == 0) {
        out[(*n)++] = MQTT_V5;
    } else if (strcmp(p, "3.1") == 0) {
        out[(*n)++] = MQTT_V31;
    } else if (strcmp(p, "all") == 0) {
        out[(*n)++] = MQTT_V31;
        out[(*n)++] = MQTT_V311;
        out[(*n)++] = MQTT_V5;
    } else {
        return -1;
    }
    return 0;
}

static void make_prefix(char *prefix, size_t cap)
{
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec * 2654435761u ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 20);
    size_t n = cap - 1 < 5 ? cap - 1 : 5;
    prefix[0] = 'q'; /* a letter first: ids stay valid even where digits may not lead */
    for (size_t i = 1; i < n; i++) {
        prefix[i] = digits[x % 36];
        x /= 36;
    }
    prefix[n] = '\0';
}

static bool selected(const cs_test *t, const char *filter)
{
    if (!filter)
        return true;
    if (strpbrk(filter, "*?["))
        return fnmatch(filter, t->id, 0) == 0;
    return strstr(t->id, filter) != NULL;
}

/* Every statement a test cites must be in its version's registry. */
static int check_statements(const rp_run *run, base_strbuf *errs)
{
    int errors = 0;
    for (size_t i = 0; i < run->suite->ntests; i++) {
        const cs_test *t = &run->suite->tests[i];
        const cs_registry *reg = NULL;
        for (size_t r = 0; r < run->nregs; r++)
            if (run->regs[r].version == t->version || (t->version == MQTT_V31 && run->regs[r].version == MQTT_V311))
                reg = &run->regs[r];
        for (size_t k = 0; reg && k < t->nstatements; k++) {
            const cs_statement *st = cs_registry_find(reg, t->statements[k]);
            if (!st) {
                base_sb_printf(errs, "%s:%d: test %s cites %s, which is not a statement of MQTT %s\n", t->file, t->line,
                               t->name, t->statements[k], mqtt_version_name(reg->version));
                errors++;
            } else if (strcmp(st->applies_to, "Client") == 0) {
                /* a broker cannot break a rule that binds only the client */
                base_sb_printf(errs,
                               "%s:%d: test %s cites %s, which binds only the client (registry), so no broker "
                               "can fail it\n",
                               t->file, t->line, t->name, t->statements[k]);
                errors++;
            }
        }
    }
    return errors;
}

typedef struct session {
    options o;
    base_arena arena;
    cs_suite suite;
    cs_profile profile;
    rp_run run;
    cr_run_opts ro;
    cr_broker broker;
    bool broker_started;
    bool broker_launched; /* started before the suite was read; connect_broker waits for it */
    char embedded_ca[300]; /* --transport tls: the CA made for the embedded broker */
    const cs_test **selected;
    cr_result *results;
    size_t nresults;
    int64_t began; /* base_now_ms() when the command started */
} session;

static int load(session *s, const mqtt_version *versions, size_t nversions)
{
    base_strbuf errs = {0};
    const char *dir = mqtk_suite_dir(s->o.suite);
    int errors = 0;
    for (size_t v = 0; v < nversions; v++) {
        if (versions[v] == MQTT_V31 && nversions > 1)
            continue; /* 3.1 tests cite the 3.1.1 registry */
        if (cs_registry_load(&s->arena, dir, versions[v], &s->run.regs[s->run.nregs], &errs) == 0)
            s->run.nregs++;
        else
            errors++;
    }
    if (nversions == 1 && versions[0] == MQTT_V31 && s->run.nregs)
        s->run.regs[0].version = MQTT_V311;
    errors += cs_suite_load(&s->arena, dir, versions, nversions, &s->suite, &errs, s->run.suite_hash);
    s->run.suite = &s->suite;
    if (!errors)
        errors += check_statements(&s->run, &errs);
    if (s->o.profile) {
        errors += cs_profile_load(&s->arena, s->o.profile, &s->profile, &errs);
    } else if (!s->o.broker) {
        char path[4200];
        snprintf(path, sizeof path, "%s/profiles/mosquitto.profile", dir);
        errors += cs_profile_load(&s->arena, base_arena_strdup(&s->arena, path), &s->profile, &errs);
    } else {
        cs_profile_default(&s->profile);
    }
    if (!errors)
        errors += cs_profile_check(&s->profile, &s->suite, versions, nversions, &errs);
    s->run.profile = &s->profile;
    if (errors)
        fprintf(stderr, "%smqtk run: %d error(s) in the suite or profile\n", base_sb_str(&errs), errors);
    base_sb_free(&errs);
    return errors ? -1 : 0;
}

/* --transport picks the embedded broker's listener; with --broker the address's scheme says it. */
static int check_transport(session *s)
{
    static const char *const known[] = {"tcp", "tls", "ws"};
    const char *t = s->o.transport;
    bool ok = !t;
    for (size_t i = 0; t && i < sizeof known / sizeof known[0]; i++)
        ok = ok || strcmp(t, known[i]) == 0;
    if (!ok)
        return mqtk_usage_error("run", "--transport takes tcp, tls or ws, got '%s'", t);
    if (t && s->o.broker)
        return mqtk_usage_error("run", "--transport is for the embedded broker: with --broker, the address's scheme "
                                       "(mqtt://, mqtts://, ws://, wss://) picks the transport (got --transport %s)", t);
    if (!s->o.broker) {
        const net_tls_opts *tls = &s->o.net.tls;
        if (tls->cafile || tls->cert || tls->key || tls->insecure)
            return mqtk_usage_error("run", "--cafile, --cert, --key and --insecure need --broker (the embedded "
                                           "broker's CA is made for the run and trusted)");
        if ((tls->alpn || tls->min_version) && !(t && strcmp(t, "tls") == 0))
            return mqtk_usage_error("run", "--alpn and --tls-min need a TLS broker (mqtts:// or --transport tls)");
        if (s->o.net.ws.frame_max && !(t && strcmp(t, "ws") == 0))
            return mqtk_usage_error("run", "--ws-frame needs a WebSocket broker (ws://, wss:// or --transport ws)");
        return 0;
    }
    return mqtk_transport_check("run", &s->ro.target) == 0 ? 0 : MQTK_EXIT_USAGE;
}

static int connect_broker(session *s)
{
    base_strbuf err = {0};
    int rc = 0;
    if (!s->o.broker) {
        bool tls = s->o.transport && strcmp(s->o.transport, "tls") == 0;
        int started = s->broker_launched ? cr_broker_ready(&s->broker, 5000, &err)
                                         : (tls ? cr_broker_start_tls : cr_broker_start)(&s->broker, 5000, &err);
        if (started < 0) {
            if (!base_interrupt_signal()) /* else the wind-down cut its wait: not a start-up error */
                fprintf(stderr, "mqtk run: cannot start the embedded broker: %s\n", base_sb_str(&err));
            cr_broker_remove_dir(&s->broker);
            base_sb_free(&err);
            return -1;
        }
        s->broker_started = true;
        s->run.embedded = true;
        snprintf(s->run.broker, sizeof s->run.broker, "%s127.0.0.1:%d", tls ? "mqtts://" : "", s->broker.port);
        if (tls) { /* trust the CA made for this run, and only it */
            snprintf(s->embedded_ca, sizeof s->embedded_ca, "%s/ca.pem", s->broker.dir);
            s->ro.target.opts.tls.cafile = s->embedded_ca;
        }
        if (s->o.transport && strcmp(s->o.transport, "ws") == 0) {
            if (cr_broker_start_ws(&s->broker, 5000, &err) < 0) {
                if (!base_interrupt_signal())
                    fprintf(stderr, "mqtk run: cannot start the embedded WebSocket peer: %s\n", base_sb_str(&err));
                base_sb_free(&err);
                return -1;
            }
            snprintf(s->run.broker, sizeof s->run.broker, "ws://127.0.0.1:%d/mqtt", s->broker.ws_port);
        }
    } else {
        snprintf(s->run.broker, sizeof s->run.broker, "%s", s->o.broker);
    }
    char why[512];
    s->ro.target.opts.now_ms = base_now_ms;
    if (!net_address_parse(s->run.broker, &s->ro.target.address, why, sizeof why) ||
        !net_resolve(&s->ro.target.address, &s->ro.target.endpoints, why, sizeof why) ||
        (net_scheme_tls(s->ro.target.address.scheme) && !net_tls_prepare(&s->ro.target.opts, why, sizeof why)))
        base_sb_puts(&err, why);
    if (!err.len && net_scheme_ws(s->ro.target.address.scheme))
        cs_profile_set(&s->profile, CS_CAP_WEBSOCKET, true); /* the section 6 tests apply */
    if (err.len || cr_probe_reachable(&s->ro, s->run.transport, sizeof s->run.transport, &s->run.tls, &err) < 0) {
        if (!base_interrupt_signal())
            fprintf(stderr, "mqtk run: broker unreachable at %s: %s\n", s->run.broker, base_sb_str(&err));
        rc = -1;
    }
    base_sb_free(&err);
    return rc;
}

/* The embedded mosquitto starts up while the suite is read: the run cannot end before mosquitto's
 * keep-alive check closes the silent client of 5.0/disconnect/keep-alive-client-value-used, at a
 * whole second counted from mosquitto's start (mosquitto 2.0.11: 5 to 6 s after it), so every
 * moment before its start is on the run's critical path. Silent: connect_broker starts a broker
 * whose launch failed again, and says why. */
static void launch_broker(session *s)
{
    if (s->o.broker || s->o.list || s->o.coverage)
        return;
    base_strbuf err = {0};
    bool tls = s->o.transport && strcmp(s->o.transport, "tls") == 0;
    if (cr_broker_launch(&s->broker, tls, &err) == 0)
        s->broker_launched = s->broker_started = true;
    else
        cr_broker_remove_dir(&s->broker);
    base_sb_free(&err);
}

static void stamp(char *out, size_t cap)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int write_reports(session *s)
{
    base_strbuf err = {0};
    int rc = 0;
    if (s->o.json && rp_report_json(&s->run, s->o.json, &err) < 0)
        rc = -1;
    if (s->o.junit && rp_report_junit(&s->run, s->o.junit, &err) < 0)
        rc = -1;
    if (s->o.report && rp_report_markdown(&s->run, s->o.report, &err) < 0)
        rc = -1;
    /* one line per failed report (rp_report_save ends each message with a newline) */
    for (const char *line = base_sb_str(&err), *nl; rc < 0 && *line; line = nl ? nl + 1 : line + strlen(line)) {
        nl = strchr(line, '\n');
        fprintf(stderr, "mqtk run: %.*s\n", nl ? (int)(nl - line) : (int)strlen(line), line);
    }
    base_sb_free(&err);
    return rc;
}

static size_t select_tests(session *s)
{
    size_t n = 0;
    s->selected = calloc(s->suite.ntests + 1, sizeof *s->selected);
    if (!s->selected)
        abort();
    for (size_t i = 0; i < s->suite.ntests; i++)
        if (selected(&s->suite.tests[i], s->o.filter))
            s->selected[n++] = &s->suite.tests[i];
    return n;
}

/* Probe each protocol version the selected tests use: spoken, not supported, or answered wrongly.
 * Then scale the deadlines to the broker's round trip and read what it grants. MQTK_EXIT_USAGE for
 * setup errors (credentials refused, no TCP connection, capabilities unreadable). */
static int probe_versions(session *s, size_t n)
{
    static const mqtt_version order[] = {MQTT_V311, MQTT_V5, MQTT_V31};
    int64_t rtt = 0;
    for (size_t v = 0; v < 3; v++) {
        bool used = false;
        for (size_t i = 0; i < n && !used; i++)
            used = s->selected[i]->version == order[v];
        if (!used)
            continue;
        cr_version_probe *p = &s->run.probes[s->run.nprobes++];
        base_strbuf err = {0};
        int64_t t = 0;
        int rc = cr_probe_protocol(&s->ro, order[v], p, &t, &err);
        if (base_interrupt_signal()) {
            base_sb_free(&err);
            return RUN_INTERRUPTED;
        }
        if (rc < 0) {
            fprintf(stderr, "mqtk run: %s%s\n", rc == -2 ? "broker unreachable: " : "", base_sb_str(&err));
            base_sb_free(&err);
            return MQTK_EXIT_USAGE;
        }
        base_sb_free(&err);
        rtt = t > rtt ? t : rtt;
    }
    /* a slow broker is not a wrong one: give it twenty round trips (up to 30 s) when no --timeout */
    if (!s->o.timeout_ms && rtt * 20 > s->ro.timeout_ms) {
        s->ro.timeout_ms = rtt * 20 > 30000 ? 30000 : (int)(rtt * 20);
        fprintf(stderr, "mqtk run: the broker answered CONNECT in %lld ms; waiting up to %d ms for each packet\n",
                (long long)rtt, s->ro.timeout_ms);
    }
    s->ro.late_ms = s->ro.timeout_ms > 2000 ? s->ro.timeout_ms : 2000;
    const cr_version_probe *p311 = rp_run_probe(&s->run, MQTT_V311);
    const cr_version_probe *p5 = rp_run_probe(&s->run, MQTT_V5);
    const cr_version_probe *p31 = rp_run_probe(&s->run, MQTT_V31);
    cs_profile_set(&s->profile, "mqtt31", p31 && p31->state == CR_VS_SPOKEN);
    bool has311 = p311 && p311->state == CR_VS_SPOKEN;
    s->ro.health_check = has311;
    if (has311 && (!p5 || p5->state != CR_VS_SPOKEN)) {
        base_strbuf notes = {0};
        if (cr_discover_v311(&s->ro, &s->profile, &notes) == 0 && s->o.verbose)
            printf("%s\n", base_sb_str(&notes));
        base_sb_free(&notes);
    }
    if (p5 && p5->state == CR_VS_SPOKEN) {
        cr_server_caps caps;
        base_strbuf err = {0};
        if (cr_discover(&s->ro, &caps, &err) < 0) {
            if (base_interrupt_signal()) {
                base_sb_free(&err);
                return RUN_INTERRUPTED;
            }
            fprintf(stderr, "mqtk run: cannot read the broker's MQTT 5.0 capabilities: %s\n", base_sb_str(&err));
            base_sb_free(&err);
            return MQTK_EXIT_USAGE;
        }
        cr_caps_apply(&caps, &s->profile, &s->ro, &s->arena);
        base_sb_free(&err);
    }
    return MQTK_EXIT_OK;
}

/* Name the tests after which the broker failed its health check. */
static void summarise_health(session *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        if (!s->results[i].unhealthy_after)
            continue;
        if (count++ < 5)
            base_sb_printf(&s->run.health, "%s%s (%s)", count > 1 ? ", " : "the broker failed a health check after ",
                           s->selected[i]->id, base_sb_str(&s->results[i].health));
    }
    if (count > 5)
        base_sb_printf(&s->run.health, " and %zu more tests", count - 5);
}

/* 1 for a failure (in a test or a version probe) or a run that observed nothing; 2 for a script
 * that could not be carried out; else 0. */
static int verdict_exit(session *s, size_t n)
{
    bool broken = false;
    for (size_t i = 0; i < s->run.nprobes; i++)
        broken = broken || s->run.probes[i].state == CR_VS_BROKEN;
    size_t errors = 0;
    for (size_t i = 0; i < n; i++) {
        const cr_result *r = &s->results[i];
        if (r->script_error && errors++ < 10)
            fprintf(stderr, "mqtk run: %s:%d: %s: %s\n", s->selected[i]->file, r->fail_line, s->selected[i]->id,
                    base_sb_str(&r->message));
    }
    if (errors)
        return MQTK_EXIT_USAGE;
    if (s->run.counts[CR_FAIL] || broken)
        return MQTK_EXIT_FINDING;
    const unsigned *k = s->run.counts;
    if (k[CR_PASS] + k[CR_XFAIL] + k[CR_XPASS] == 0) {
        fprintf(stdout,
                "nothing could be observed: no test passed or failed (%u skipped, %u inconclusive); this is "
                "not a pass\n",
                k[CR_SKIP], k[CR_INCONCLUSIVE]);
        return MQTK_EXIT_FINDING;
    }
    return MQTK_EXIT_OK;
}

/* Put the tests that finished first (keeping their order) and the others after: an interrupted
 * run reports only the first ones, and lists the others as not finished. Returns how many finished. */
static size_t keep_finished(session *s, size_t n)
{
    const cs_test **tests = calloc(n + 1, sizeof *tests);
    cr_result *results = calloc(n + 1, sizeof *results);
    if (!tests || !results)
        abort();
    size_t done = 0, at = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            bool finished = s->results[i].obs != NULL; /* the scheduler cleared those the signal cut short */
            if (finished != (pass == 0))
                continue;
            tests[at] = s->selected[i];
            results[at++] = s->results[i];
        }
        if (pass == 0)
            done = at;
    }
    memcpy(s->selected, tests, n * sizeof *tests);
    memcpy(s->results, results, n * sizeof *results);
    free(tests);
    free(results);
    return done;
}

/* The end of a run a signal stopped: the summary and the reports of what finished. */
static int report_interrupted(session *s, size_t n, int64_t start)
{
    if (!s->results) {
        s->results = calloc(n + 1, sizeof *s->results);
        if (!s->results)
            abort();
        s->nresults = n;
    }
    size_t done = keep_finished(s, n);
    s->run.tests = s->selected;
    s->run.results = s->results;
    s->run.ntests = done;
    s->run.unfinished = s->selected + done;
    s->run.nunfinished = n - done;
    s->run.interrupted = true;
    s->run.signal = base_interrupt_signal();
    s->run.partial = true;
    if (!s->run.started[0])
        stamp(s->run.started, sizeof s->run.started);
    s->run.duration_ms = start ? base_clock_real_ms() - start : 0;
    summarise_health(s, done);
    memset(s->run.counts, 0, sizeof s->run.counts);
    for (size_t i = 0; i < done; i++)
        s->run.counts[s->results[i].verdict]++;
    rp_console console = {stdout, isatty(STDOUT_FILENO) != 0, s->o.verbose, {0}};
    rp_console_summary(&console, &s->run);
    fflush(stdout); /* the summary is out before a report file that may block (a FIFO) */
    write_reports(s); /* a failed one is said on stderr; the signal is the exit status all the same */
    return RUN_INTERRUPTED;
}

static int run_suite(session *s)
{
    size_t n = select_tests(s);
    if (s->o.list) {
        for (size_t i = 0; i < n; i++) {
            printf("%-50s", s->selected[i]->id);
            for (size_t k = 0; k < s->selected[i]->nstatements; k++)
                printf(" %s", s->selected[i]->statements[k]);
            printf("\n");
        }
        return MQTK_EXIT_OK;
    }
    if (n == 0)
        return mqtk_usage_error("run", "no test matches --filter '%s'", s->o.filter ? s->o.filter : "");
    base_interrupt_arm(); /* from here on a signal ends the run with partial reports */
    cr_broker_keep_cleanup_first(); /* a broker launched before stays stopped by a second signal */
    int rc = connect_broker(s) < 0 ? MQTK_EXIT_USAGE : MQTK_EXIT_OK;
    if (rc == MQTK_EXIT_OK) {
        cr_profile_vars(&s->profile, &s->ro);
        rc = probe_versions(s, n);
    }
    if (base_interrupt_signal())
        return report_interrupted(s, n, 0);
    if (rc != MQTK_EXIT_OK)
        return rc;
    s->run.broker_version[0] = '\0';
    if (rp_run_probe(&s->run, MQTT_V311) && rp_run_probe(&s->run, MQTT_V311)->state == CR_VS_SPOKEN)
        cr_probe_version(&s->ro, cs_profile_has(&s->profile, "sys") ? s->ro.timeout_ms : 300, s->run.broker_version,
                         sizeof s->run.broker_version);
    s->results = calloc(n, sizeof *s->results);
    if (!s->results)
        abort();
    s->nresults = n;
    s->run.tests = s->selected;
    s->run.results = s->results;
    s->run.ntests = n;
    s->run.partial = s->o.filter != NULL;
    /* tests of a version the broker does not speak (or answered wrongly) are decided now */
    for (size_t i = 0; i < n; i++) {
        const cr_version_probe *p = rp_run_probe(&s->run, s->selected[i]->version);
        if (p && p->state != CR_VS_SPOKEN) {
            base_strbuf why = {0};
            base_sb_printf(&why, "%s: %s",
                           p->state == CR_VS_UNSUPPORTED ? "not supported by the broker"
                                                         : "not run, the version probe failed",
                           p->evidence);
            cr_skip_result(s->selected[i], &s->results[i], base_sb_str(&why));
            base_sb_free(&why);
        }
    }
    rp_console console = {stdout, isatty(STDOUT_FILENO) != 0, s->o.verbose, {0}};
    stamp(s->run.started, sizeof s->run.started);
    int64_t start = base_clock_real_ms();
    s->run.tests_t0 = base_now_ms();
    s->run.setup_ms = s->run.tests_t0 - s->began;
    unsigned jobs = s->o.jobs ? (unsigned)s->o.jobs : cr_default_jobs(s->selected, n, &s->ro, &s->profile);
    cr_schedule(s->selected, n, jobs, &s->ro, &s->profile, s->results, rp_console_progress, &console);
    cr_rerun_failures(s->selected, n, &s->ro, &s->profile, s->results);
    if (base_interrupt_signal())
        return report_interrupted(s, n, start);
    s->run.duration_ms = base_clock_real_ms() - start;
    summarise_health(s, n);
    for (size_t i = 0; i < n; i++)
        s->run.counts[s->results[i].verdict]++;
    rp_console_summary(&console, &s->run);
    if (s->o.verbose)
        rp_console_critical_path(&console, &s->run, jobs);
    if (write_reports(s) < 0)
        return MQTK_EXIT_USAGE;
    return verdict_exit(s, n);
}

int mqtk_cmd_run(int argc, char **argv)
{
    session *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->began = base_now_ms();
    base_strbuf echo = {0};
    int rc = parse_options(argc, argv, &s->o, &echo);
    mqtt_version versions[3];
    size_t nversions = 0;
    if (rc == 0 && parse_protocols(s->o.protocol, versions, &nversions) < 0)
        rc = mqtk_usage_error("run", "--protocol takes 3.1, 3.1.1, 5 or all, got '%s'", s->o.protocol);
    s->ro.target.opts = s->o.net;
    if (rc == 0 && s->o.broker)
        s->ro.target.address = s->o.address;
    rc = rc ? rc : check_transport(s);
    if (rc == 0) {
        snprintf(s->run.options, sizeof s->run.options, "%s", base_sb_str(&echo));
        s->run.tool_version = MQTK_VERSION;
        s->ro.username = s->o.username;
        s->ro.password = s->o.password;
        s->ro.timeout_ms = s->o.timeout_ms ? s->o.timeout_ms : 2000;
        s->ro.settle_ms = s->o.settle_ms ? s->o.settle_ms : 300;
        make_prefix(s->ro.prefix, sizeof s->ro.prefix);
        launch_broker(s);
        if (load(s, versions, nversions) < 0)
            rc = MQTK_EXIT_USAGE;
        else if (s->o.coverage)
            rp_console_coverage(stdout, &s->run);
        else
            rc = run_suite(s);
    }
    if (s->broker_started) {
        cr_broker_stop(&s->broker);
        cr_broker_remove_dir(&s->broker);
    }
    for (size_t i = 0; s->results && i < s->nresults; i++)
        cr_result_free(&s->results[i]);
    free(s->results);
    free(s->selected);
    net_tls_release(&s->ro.target.opts);
    cs_suite_free(&s->suite);
    base_arena_free(&s->arena);
    base_sb_free(&s->run.health);
    base_sb_free(&echo);
    free(s);
    if (rc == RUN_INTERRUPTED)
        base_interrupt_die(); /* reports written, broker stopped, directory removed: die of the signal */
    base_interrupt_disarm();
    return rc < 0 ? MQTK_EXIT_OK : rc;
}
