/* mqtk replay: re-drive the client sessions of a capture against a live broker and report where
 * the broker's replies differ from the captured ones. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "commands.h"
#include "output.h"
#include "transport_opts.h"
#include "replay/replay_model.h"
#include "replay/replay_report.h"
#include "replay/replay_sched.h"
#include "net/address.h"
#include "net/tls.h"

static const char replay_help[] =
    "usage: mqtk replay FILE --broker ADDRESS [--speed F | --fast] [--max-gap SECONDS]\n"
    "                   [--client-prefix P] [--timeout SECONDS] [--port N ...] [--json]\n"
    "                   [--cafile FILE] [--cert FILE --key FILE] [--alpn PROTO] [--insecure] [--tls-min V]\n"
    "                   [--ws-frame N]\n"
    "\n"
    "Re-drive every client session of a capture (pcap or pcapng, decoded as 'mqtk pcap' does)\n"
    "against a live broker, each over a fresh connection (TCP, TLS or WebSocket, as --broker\n"
    "says), and compare the broker's replies\n"
    "with the captured ones.\n"
    "\n"
    "Each session's client->server packets are sent in capture order. Sessions interleave as\n"
    "in the capture: before a packet is sent, every reply the capture shows before it (in any\n"
    "session) must have arrived, or it is reported missing after --timeout. On a new\n"
    "connection, replay rewrites the client id (with --client-prefix), the packet ids of the\n"
    "client's answers to the broker's own PUBLISH / PUBREL (the broker picks them anew), and\n"
    "a topic alias the broker no longer accepts (the full topic is sent instead).\n"
    "\n"
    "A reply is matched to a captured one of its session by type and key fields: CONNACK\n"
    "session present and reason code; PUBLISH QoS, retain, topic (aliases resolved) and\n"
    "payload; PUBACK/PUBREC/PUBREL/PUBCOMP packet id and reason code; SUBACK/UNSUBACK packet\n"
    "id and reason codes (granted QoS); DISCONNECT/AUTH reason code. Properties, assigned\n"
    "client ids and the broker's own packet ids are not compared.\n"
    "\n"
    "Sessions that cannot be replayed are listed as SKIPPED: a capture that starts in the\n"
    "middle of the connection, no CONNECT first, bytes missing from the capture.\n"
    "\n"
    "Options:\n"
    "  --broker ADDRESS     the broker to replay against: HOST:PORT, mqtt://HOST:PORT,\n"
    "                       mqtts://HOST:PORT (TLS), ws://HOST:PORT/PATH, wss://HOST:PORT/PATH;\n"
    "                       [ADDR]:PORT for IPv6; required\n"
    "  --speed F            play the captured timing F times faster (default 1: as captured)\n"
    "  --fast               ignore the captured timing; only the order of the capture holds\n"
    "  --max-gap SECONDS    longest wait for a pause in the capture, after --speed (default\n"
    "                       5); a longer pause is cut to it, with a notice on stderr\n"
    "  --client-prefix P    prepend P to every non-empty client id (avoids clashes with\n"
    "                       clients of the broker using the same ids)\n"
    "  --timeout SECONDS    how long to wait for each captured reply, for a connection and for\n"
    "                       the broker to take a packet (default 5); every wait has a deadline\n"
    "  --port N             also decode TCP port N of the capture as MQTT (repeatable)\n"
    "  --json               JSON Lines: one object per divergence / skipped session, then a\n"
    "                       summary object\n"
    MQTK_TRANSPORT_HELP
    "  -h, --help           show this help\n"
    "\n";

/* The rest of --help (one string would pass the length C99 guarantees). */
static const char replay_help_output[] =
    "Text output: one line per divergence,\n"
    "  DIVERGENCE #STREAM [frame N] TYPE KIND: what differs\n"
    "KIND is field (a key field differs: captured and replayed values), missing (a captured\n"
    "reply did not come), unexpected (a reply the capture does not show), malformed (a reply\n"
    "the codec rejects, with its rule), closed (the broker closed the connection while the\n"
    "capture goes on), connect (a session's connection could not be opened) or flood (the\n"
    "broker sent more than replay keeps: over 1000 packets or 16 MiB without a counterpart in\n"
    "the capture, or one packet over 16 MiB and larger than any captured reply; mqtk closes that\n"
    "connection). At most 100 divergences are printed per session; a LEFT OUT line counts the\n"
    "rest. Then a summary.\n"
    "\n"
    "A damaged capture (cut short, a corrupt record) is replayed up to the damage, which is\n"
    "reported on stderr as 'mqtk pcap' reports it.\n"
    "\n"
    "Exit codes:\n"
    "  0  every session replayed and no divergence\n"
    "  1  at least one divergence, or the capture is damaged\n"
    "  2  usage error, unreadable capture, no replayable session, the broker is unreachable, or\n"
    "     replay's own failure (no file descriptor or memory for a socket: strerror says which)\n";

enum { OPT_BROKER = 1, OPT_SPEED, OPT_FAST, OPT_MAX_GAP, OPT_PREFIX, OPT_TIMEOUT, OPT_PORT, OPT_JSON, OPT_HELP };

static const mqtk_option replay_options[] = {
    {"broker", 0, true, OPT_BROKER},  {"speed", 0, true, OPT_SPEED},     {"fast", 0, false, OPT_FAST},
    {"client-prefix", 0, true, OPT_PREFIX}, {"timeout", 0, true, OPT_TIMEOUT}, {"port", 0, true, OPT_PORT},
    {"json", 0, false, OPT_JSON},     {"help", 'h', false, OPT_HELP}, {"max-gap", 0, true, OPT_MAX_GAP},
    MQTK_TRANSPORT_OPTIONS,
};

typedef struct replay_args {
    const char *path, *broker;
    bool json, fast, speed_given;
    double speed, timeout, max_gap;
    net_target target;
    replay_config cfg;
    cap_pcap_opts opts;
} replay_args;

static int parse_option(replay_args *a, int id, const char *value, bool *done)
{
    int port;
    switch (id) {
    case OPT_HELP:
        fputs(replay_help, stdout);
        mqtk_flush_stdout(); /* keeps the errno of a failed write for main's check */
        fputs(replay_help_output, stdout);
        *done = true;
        return MQTK_EXIT_OK;
    case OPT_BROKER:
        a->broker = value;
        return mqtk_arg_broker("replay", value, &a->target.address);
    case OPT_SPEED:
        if (mqtk_arg_positive("replay", "speed", value, 1e6, "a factor", &a->speed))
            return MQTK_EXIT_USAGE;
        a->speed_given = true;
        return MQTK_EXIT_OK;
    case OPT_FAST:
        a->fast = true;
        return MQTK_EXIT_OK;
    case OPT_MAX_GAP:
        return mqtk_arg_positive("replay", "max-gap", value, 1e9, "seconds", &a->max_gap);
    case OPT_PREFIX:
        a->cfg.client_prefix = value;
        return MQTK_EXIT_OK;
    case OPT_TIMEOUT:
        return mqtk_arg_positive("replay", "timeout", value, 3600, "seconds", &a->timeout);
    case OPT_PORT:
        if (mqtk_arg_int("replay", "port", value, 1, 65535, "a TCP port", &port))
            return MQTK_EXIT_USAGE;
        if (a->opts.port_count == CAP_PCAP_MAX_PORTS)
            return mqtk_usage_error("replay", "at most %d --port options", CAP_PCAP_MAX_PORTS);
        a->opts.ports[a->opts.port_count++] = (uint16_t)port;
        return MQTK_EXIT_OK;
    case OPT_JSON:
        a->json = true;
        return MQTK_EXIT_OK;
    case MQTK_ARG_POSITIONAL:
        if (a->path)
            return mqtk_usage_error("replay", "more than one capture ('%s' and '%s')", a->path, value);
        a->path = value;
        return MQTK_EXIT_OK;
    default:
        if (mqtk_transport_option_is(id))
            return mqtk_transport_option_apply("replay", id, value, &a->target.opts);
        return MQTK_EXIT_USAGE;
    }
}

static int parse_replay_args(int argc, char **argv, replay_args *a, bool *done)
{
    mqtk_args args;
    const char *value;
    int id;
    *done = false;
    a->speed = 1;
    a->timeout = 5;
    a->max_gap = 5;
    cap_pcap_opts_init(&a->opts);
    mqtk_args_init(&args, argc, argv);
    while ((id = mqtk_args_next(&args, replay_options, sizeof replay_options / sizeof replay_options[0], &value)) !=
           MQTK_ARG_END) {
        int rc = parse_option(a, id, value, done);
        if (rc != MQTK_EXIT_OK || *done)
            return rc;
    }
    if (!a->path)
        return mqtk_usage_error("replay", "no capture: give a FILE");
    if (!a->broker)
        return mqtk_usage_error("replay", "no broker: give --broker HOST:PORT");
    if (a->fast && a->speed_given)
        return mqtk_usage_error("replay", "--speed and --fast exclude each other");
    a->cfg.target = &a->target;
    if (mqtk_transport_check("replay", &a->target) != MQTK_EXIT_OK)
        return MQTK_EXIT_USAGE;
    a->cfg.speed = a->fast ? 0 : a->speed;
    a->cfg.timeout_ns = (int64_t)(a->timeout * 1e9);
    a->cfg.max_gap_ns = (int64_t)(a->max_gap * 1e9);
    a->cfg.progress = isatty(STDERR_FILENO);
    return MQTK_EXIT_OK;
}

/* A damaged capture is reported as mqtk pcap reports it, and is a finding. */
static int report_damage(const char *damage, int rc)
{
    if (!damage[0])
        return rc;
    fflush(stdout);
    fprintf(stderr, "mqtk replay: error: %s\n", damage);
    return rc == MQTK_EXIT_OK ? MQTK_EXIT_FINDING : rc;
}

static int replay(replay_args a);

int mqtk_cmd_replay(int argc, char **argv)
{
    replay_args a = {0};
    bool done;
    int rc = parse_replay_args(argc, argv, &a, &done);
    if (rc == MQTK_EXIT_OK && !done)
        rc = replay(a);
    net_tls_release(&a.target.opts);
    return rc;
}

/* The replay proper, once the options are taken. */
static int replay(replay_args a)
{
    int rc;

    replay_capture cap;
    char err[512];
    if (replay_capture_load(&cap, a.path, &a.opts, err, sizeof err) != CAP_PCAP_OK) {
        fprintf(stderr, "mqtk replay: error: %s\n", err);
        return MQTK_EXIT_USAGE;
    }
    char damage[sizeof cap.totals.damage] = "";
    if (cap.totals.damaged)
        snprintf(damage, sizeof damage, "%s", cap.totals.damage);
    replay_stats stats = {0};
    stats.damaged = damage[0] ? damage : NULL;
    replay_report rep = {stdout, a.json, &stats};
    for (size_t i = 0; i < cap.session_count; i++) {
        if (cap.sessions[i].skip_reason) {
            stats.skipped++;
            replay_report_skipped(&rep, &cap.sessions[i]);
        } else {
            stats.sessions++;
        }
    }
    if (stats.sessions == 0) {
        report_damage(damage, MQTK_EXIT_USAGE);
        fprintf(stderr, "mqtk replay: error: %s holds no MQTT client session that can be replayed\n", a.path);
        replay_capture_free(&cap);
        return MQTK_EXIT_USAGE;
    }
    char pace[64];
    if (a.fast)
        snprintf(pace, sizeof pace, "fast: capture order, no timing");
    else
        snprintf(pace, sizeof pace, "captured timing x%g, pauses cut to %g s", a.speed, a.max_gap);
    replay_report_start(&rep, a.path, a.broker, pace, stats.sessions);
    rc = replay_run(&cap, &a.cfg, &rep, err, sizeof err);
    if (rc != 0) {
        replay_capture_free(&cap);
        fflush(stdout);
        fprintf(stderr, "mqtk replay: error: %s\n", err);
        return report_damage(damage, MQTK_EXIT_USAGE);
    }
    replay_report_left_out(&rep, cap.sessions, cap.session_count);
    replay_capture_free(&cap);
    replay_report_summary(&rep, a.path, a.broker);
    return report_damage(damage, stats.divergences ? MQTK_EXIT_FINDING : MQTK_EXIT_OK);
}
