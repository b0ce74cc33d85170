/* `mqtk fuzz`: a stateful, multi-client fuzzer for live brokers (lib/brokerfuzz), judged by the
 * codec and the runner's checks; findings come out as scripts `mqtk run --suite DIR` replays. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "brokerfuzz/bf_fuzz.h"
#include "brokerfuzz/bf_target.h"
#include "commands.h"
#include "suite_dir.h"
#include "transport_opts.h"
#include "format/json_write.h"
#include "format/protocol_arg.h"
#include "net/tls.h"

static const char usage_text[] =
    "usage: mqtk fuzz [--broker HOST:PORT [--broker HOST:PORT]] [--exec CMD] [--protocol 3.1.1|5|all]\n"
    "                 [--duration S | --sessions N] [--seed N] [--clients N] [--out DIR] [--json]\n"
    "                 [--username U --password P] [--edge-coverage | --edge-count] [TLS options]\n"
    "\n"
    "Fuzz a live MQTT broker with whole sessions: several clients connect, subscribe, publish at every\n"
    "QoS with their acknowledgements, leave wills, resume sessions, take over client ids, use 5.0\n"
    "properties and AUTH; then one field, byte or the order of packets is mutated. Every answer is\n"
    "decoded strictly and judged: a broker that keeps a connection open after a packet it must close\n"
    "on, sends a malformed packet, acknowledges wrongly, delivers below the highest granted QoS or\n"
    "after an unsubscribe, dies, or stops answering, is a finding. Only what a MUST requires counts.\n"
    "Each new finding is minimized and written under --out as a test script (replay it with\n"
    "`mqtk run --suite DIR`), a pcap of the session and a line in findings.txt naming the statement.\n"
    "Without --broker and --exec, the embedded mosquitto of `mqtk run` is started and fuzzed.\n"
    "\n"
    "options:\n"
    "  --broker ADDRESS     the broker (HOST:PORT, mqtt://, mqtts://, ws://, wss://); twice for a\n"
    "                       differential run (differences in differs.txt)\n"
    "  --exec CMD           start the broker with `sh -c CMD` (needs --broker for its address);\n"
    "                       restarted after a crash, its stderr kept in DIR/broker-stderr.N.log\n"
    "  --allow-remote       allow a broker address that is not loopback\n"
    "  --protocol V         3.1.1, 5 or all (default all: each session picks one)\n"
    "  --duration S         stop after S seconds (default 60 unless --sessions is given)\n"
    "  --sessions N         stop after N sessions\n"
    "  --seed N             the seed of every choice (default 1): a seed replays a run\n"
    "  --clients N          connections per session, 1 to 4 (default 3)\n"
    "  --out DIR            findings directory (default mqtk-fuzz-out)\n"
    "  --timeout MS         each wait for the broker (default 1000)\n"
    "  --username U         credentials in every CONNECT (a broker that requires them)\n"
    "  --password P\n"
    "  --rate N             at most N sessions per second (default 500)\n"
    "  --timing-feedback    also keep sessions whose answers come in a new timing class (under\n"
    "                       10 ms, 100 ms, 1 s, later); a seed then no longer replays a run exactly\n"
    "  --edge-coverage      with --exec: steer by the broker's edge coverage too, for a broker built\n"
    "                       with AFL++ (afl-clang-fast, afl-cc): mqtk makes the shared-memory map\n"
    "                       (its id in __AFL_SHM_ID; AFL_MAP_SIZE for a larger one), keeps sessions\n"
    "                       that reach new edges or hit counts, reports the edges reached\n"
    "  --edge-count         with --exec: read and report the edges, do not steer by them\n"
    "  --no-minimize        write findings as found\n"
    MQTK_TRANSPORT_HELP
    "  --json               print a JSON summary on stdout\n"
    "  --quiet              no progress line on stderr\n"
    "  --help               this text\n"
    "\n"
    "exit status:\n"
    "  0  no finding\n"
    "  1  at least one finding (see DIR/findings.txt) that showed again when replayed, or a crash\n"
    "     or hang (a finding that did not show again is listed as flaky and does not count)\n"
    "  2  usage or setup error: bad option, broker not reachable or not answering, output directory\n";

enum {
    OPT_BROKER = 1, OPT_EXEC, OPT_REMOTE, OPT_PROTOCOL, OPT_DURATION, OPT_SESSIONS, OPT_SEED, OPT_CLIENTS, OPT_OUT,
    OPT_TIMEOUT, OPT_RATE, OPT_NOMIN, OPT_JSON, OPT_QUIET, OPT_HELP, OPT_USERNAME, OPT_PASSWORD, OPT_TIMING,
    OPT_EDGES, OPT_EDGE_COUNT
};

static const mqtk_option fuzz_options[] = {
    {"broker", 0, true, OPT_BROKER},     {"exec", 0, true, OPT_EXEC},         {"allow-remote", 0, false, OPT_REMOTE},
    {"protocol", 0, true, OPT_PROTOCOL}, {"duration", 0, true, OPT_DURATION}, {"sessions", 0, true, OPT_SESSIONS},
    {"seed", 0, true, OPT_SEED},         {"clients", 0, true, OPT_CLIENTS},   {"out", 0, true, OPT_OUT},
    {"timeout", 0, true, OPT_TIMEOUT},   {"rate", 0, true, OPT_RATE},         {"no-minimize", 0, false, OPT_NOMIN},
    {"json", 0, false, OPT_JSON},        {"quiet", 'q', false, OPT_QUIET},    {"help", 'h', false, OPT_HELP},
    {"username", 0, true, OPT_USERNAME}, {"password", 0, true, OPT_PASSWORD},
    {"timing-feedback", 0, false, OPT_TIMING},   {"edge-coverage", 0, false, OPT_EDGES},
    {"edge-count", 0, false, OPT_EDGE_COUNT},    MQTK_TRANSPORT_OPTIONS,
};

static bool parse_number(const char *s, double lo, double hi, double *out)
{
    char *end;
    if (!s || !*s)
        return false;
    double v = strtod(s, &end);
    if (*end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static void on_signal(int sig)
{
    (void)sig;
    bf_fuzz_stop();
}

static void print_json(const bf_config *c, const bf_stats *st)
{
    fmt_json_writer w;
    fmt_jw_init(&w);
    fmt_jw_object_begin(&w);
    fmt_jw_key(&w, "seed");
    fmt_jw_uint(&w, c->seed);
    fmt_jw_key(&w, "brokers");
    fmt_jw_array_begin(&w);
    for (unsigned b = 0; b < (c->nbrokers ? c->nbrokers : 1); b++)
        fmt_jw_cstring(&w, st->broker_labels[b]);
    fmt_jw_array_end(&w);
    fmt_jw_key(&w, "elapsed_s");
    fmt_jw_uint(&w, (uint64_t)(st->elapsed_s * 1000) / 1000);
    fmt_jw_key(&w, "sessions");
    fmt_jw_uint(&w, st->sessions);
    fmt_jw_key(&w, "sessions_per_s");
    fmt_jw_uint(&w, st->elapsed_s > 0 ? (uint64_t)(st->sessions / st->elapsed_s) : 0);
    fmt_jw_key(&w, "packets");
    fmt_jw_uint(&w, st->packets_sent + st->packets_received);
    fmt_jw_key(&w, "packets_per_s");
    fmt_jw_uint(&w, st->elapsed_s > 0 ? (uint64_t)((st->packets_sent + st->packets_received) / st->elapsed_s) : 0);
    fmt_jw_key(&w, "unique_answers");
    fmt_jw_uint(&w, st->answers);
    fmt_jw_key(&w, "corpus");
    fmt_jw_uint(&w, st->corpus);
    fmt_jw_key(&w, "edge_coverage");
    fmt_jw_cstring(&w, !c->edge_coverage ? "off" : c->edge_steer ? "steer" : "count");
    fmt_jw_key(&w, "edges");
    if (c->edge_coverage)
        fmt_jw_uint(&w, st->edges);
    else
        fmt_jw_null(&w);
    fmt_jw_key(&w, "corpus_by_edges");
    fmt_jw_uint(&w, st->corpus_by_edges);
    fmt_jw_key(&w, "restarts");
    fmt_jw_uint(&w, st->restarts);
    fmt_jw_key(&w, "differs");
    fmt_jw_uint(&w, st->differs);
    fmt_jw_key(&w, "duplicates");
    fmt_jw_uint(&w, st->duplicates);
    fmt_jw_key(&w, "out");
    fmt_jw_cstring(&w, c->out_dir);
    fmt_jw_key(&w, "findings");
    fmt_jw_array_begin(&w);
    for (size_t i = 0; i < st->nfound; i++) {
        const bf_found *f = &st->found[i];
        fmt_jw_object_begin(&w);
        fmt_jw_key(&w, "id");
        fmt_jw_cstring(&w, f->id);
        fmt_jw_key(&w, "protocol");
        fmt_jw_cstring(&w, mqtt_version_name(f->version));
        fmt_jw_key(&w, "oracle");
        fmt_jw_cstring(&w, bf_oracle_name(f->f.oracle));
        fmt_jw_key(&w, "statement");
        if (f->f.statement)
            fmt_jw_cstring(&w, f->f.statement);
        else
            fmt_jw_null(&w);
        fmt_jw_key(&w, "broker");
        fmt_jw_cstring(&w, st->broker_labels[f->broker]);
        fmt_jw_key(&w, "what");
        fmt_jw_cstring(&w, f->f.what);
        fmt_jw_key(&w, "steps");
        fmt_jw_uint(&w, f->steps);
        fmt_jw_key(&w, "clients");
        fmt_jw_uint(&w, f->clients);
        fmt_jw_key(&w, "bytes");
        fmt_jw_uint(&w, f->bytes);
        fmt_jw_key(&w, "confirmed");
        fmt_jw_bool(&w, f->confirmed);
        fmt_jw_key(&w, "session");
        fmt_jw_uint(&w, f->session);
        fmt_jw_object_end(&w);
    }
    fmt_jw_array_end(&w);
    fmt_jw_object_end(&w);
    fmt_jw_flush(&w, stdout);
    fputc('\n', stdout);
    fmt_jw_free(&w);
}

int mqtk_cmd_fuzz(int argc, char **argv)
{
    bf_config c;
    memset(&c, 0, sizeof c);
    c.seed = 1;
    c.clients = 3;
    c.out_dir = "mqtk-fuzz-out";
    c.timeout_ms = 1000;
    c.rate = 500;
    c.minimize = true;
    c.versions[0] = MQTT_V311;
    c.versions[1] = MQTT_V5;
    c.nversions = 2;
    bool json = false, quiet = false, remote = false;
    net_opts topts;
    memset(&topts, 0, sizeof topts);
    mqtk_args a;
    const char *v;
    int id;
    double num;
    mqtk_args_init(&a, argc, argv);
    while ((id = mqtk_args_next(&a, fuzz_options, sizeof fuzz_options / sizeof fuzz_options[0], &v)) !=
           MQTK_ARG_END) {
        switch (id) {
        case MQTK_ARG_ERROR:
            return MQTK_EXIT_USAGE;
        case MQTK_ARG_POSITIONAL:
            return mqtk_usage_error("fuzz", "unexpected argument '%s'", v);
        case OPT_HELP:
            fputs(usage_text, stdout);
            return MQTK_EXIT_OK;
        case OPT_BROKER:
            if (c.nbrokers == 2)
                return mqtk_usage_error("fuzz", "--broker is given at most twice (a differential run)");
            c.brokers[c.nbrokers++] = v;
            break;
        case OPT_EXEC:
            c.exec_cmd = v;
            break;
        case OPT_REMOTE:
            remote = true;
            break;
        case OPT_PROTOCOL:
            if (strcmp(v, "all") == 0) {
                c.nversions = 2;
            } else {
                mqtt_version pv = fmt_parse_version(v);
                if (pv != MQTT_V311 && pv != MQTT_V5)
                    return mqtk_usage_error("fuzz", "--protocol takes 3.1.1, 5 or all, not '%s'", v);
                c.versions[0] = pv;
                c.nversions = 1;
            }
            break;
        case OPT_DURATION:
            if (!parse_number(v, 0.1, 1e7, &c.duration_s))
                return mqtk_usage_error("fuzz", "--duration takes seconds (0.1 or more), not '%s'", v);
            break;
        case OPT_SESSIONS:
            if (!parse_number(v, 1, 1e12, &num) || num != (double)(unsigned long)num)
                return mqtk_usage_error("fuzz", "--sessions takes a whole number of at least 1, not '%s'", v);
            c.sessions = (unsigned long)num;
            break;
        case OPT_SEED: {
            char *end;
            if (!*v || *v == '-')
                return mqtk_usage_error("fuzz", "--seed takes a whole number, not '%s'", v);
            c.seed = strtoull(v, &end, 10);
            if (*end)
                return mqtk_usage_error("fuzz", "--seed takes a whole number, not '%s'", v);
            break;
        }
        case OPT_CLIENTS:
            if (!parse_number(v, 1, 4, &num) || num != (double)(unsigned)num)
                return mqtk_usage_error("fuzz", "--clients takes 1 to 4, not '%s'", v);
            c.clients = (unsigned)num;
            break;
        case OPT_OUT:
            if (!*v)
                return mqtk_usage_error("fuzz", "--out takes a directory");
            c.out_dir = v;
            break;
        case OPT_TIMEOUT:
            if (!parse_number(v, 10, 600000, &num) || num != (double)(int)num)
                return mqtk_usage_error("fuzz", "--timeout takes milliseconds, 10 to 600000, not '%s'", v);
            c.timeout_ms = (int)num;
            break;
        case OPT_RATE:
            if (!parse_number(v, 0, 1e6, &c.rate))
                return mqtk_usage_error("fuzz", "--rate takes sessions per second (0: no limit), not '%s'", v);
            break;
        case OPT_USERNAME:
            c.username = v;
            break;
        case OPT_PASSWORD:
            c.password = v;
            break;
        case OPT_TIMING:
            c.timing_feedback = true;
            break;
        case OPT_EDGES:
        case OPT_EDGE_COUNT:
            if (c.edge_coverage)
                return mqtk_usage_error("fuzz", "--edge-coverage and --edge-count exclude each other");
            c.edge_coverage = true;
            c.edge_steer = id == OPT_EDGES;
            break;
        case OPT_NOMIN:
            c.minimize = false;
            break;
        case OPT_JSON:
            json = true;
            break;
        case OPT_QUIET:
            quiet = true;
            break;
        default:
            if (mqtk_transport_option_apply("fuzz", id, v, &topts) != 0)
                return MQTK_EXIT_USAGE;
            break;
        }
    }
    if (c.exec_cmd && c.nbrokers == 0)
        return mqtk_usage_error("fuzz", "--exec needs --broker HOST:PORT: the address the started broker listens on");
    if (c.edge_coverage && !c.exec_cmd)
        return mqtk_usage_error("fuzz", "%s reads the map of a broker mqtk starts: it needs --exec",
                                c.edge_steer ? "--edge-coverage" : "--edge-count");
    if (c.duration_s == 0 && c.sessions == 0)
        c.duration_s = 60;
    for (unsigned b = 0; b < c.nbrokers; b++) {
        net_target t;
        char e[256];
        memset(&t, 0, sizeof t);
        if (!net_target_parse(&t, c.brokers[b], e, sizeof e))
            return mqtk_usage_error("fuzz", "--broker %s: %s", c.brokers[b], e);
        if (!remote && !bf_target_is_loopback(&t))
            return mqtk_usage_error("fuzz", "--broker %s is not a loopback address; fuzzing it needs --allow-remote",
                                    c.brokers[b]);
        /* the TLS settings go to every broker: each address must take them; the context is made once */
        t.opts = topts;
        if (mqtk_transport_check("fuzz", &t) != 0) {
            net_tls_release(&topts); /* a context made for an earlier broker */
            return MQTK_EXIT_USAGE;
        }
        topts = t.opts;
    }
    const net_tls_opts *tl = &topts.tls;
    bool given = tl->cafile || tl->cert || tl->key || tl->alpn || tl->insecure || tl->min_version || topts.ws.frame_max;
    if (c.nbrokers == 0 && given)
        return mqtk_usage_error("fuzz", "TLS and WebSocket options need --broker with mqtts://, ws:// or wss://");
    c.transport = &topts;
    c.suite_dir = mqtk_suite_dir(NULL);
    c.progress = !quiet;
    c.progress_tty = isatty(STDERR_FILENO);
    c.log = stderr;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    bf_stats st;
    base_strbuf err = {0};
    int ran = bf_fuzz_run(&c, &st, &err);
    net_tls_release(&topts);
    if (ran != 0) {
        fprintf(stderr, "mqtk fuzz: %s\n", base_sb_str(&err));
        base_sb_free(&err);
        bf_stats_free(&st);
        return MQTK_EXIT_USAGE;
    }
    base_sb_free(&err);
    if (json)
        print_json(&c, &st);
    else if (!quiet) {
        char edges[64] = "";
        if (c.edge_coverage)
            snprintf(edges, sizeof edges, ", %zu edges", st.edges);
        fprintf(stderr, "mqtk fuzz: %lu sessions in %.1f s%s, %zu finding(s)%s%s\n", st.sessions, st.elapsed_s, edges,
                st.nfound, st.nfound ? " listed in " : "", st.nfound ? c.out_dir : "");
    }
    /* a finding counts when it showed again on replay, or when the broker died or hung */
    size_t counted = 0;
    for (size_t i = 0; i < st.nfound; i++)
        if (st.found[i].confirmed || st.found[i].f.oracle == BF_OR_CRASH || st.found[i].f.oracle == BF_OR_HANG)
            counted++;
    int rc = counted ? MQTK_EXIT_FINDING : MQTK_EXIT_OK;
    bf_stats_free(&st);
    return rc;
}
