/* `mqtk probe --broker HOST:PORT [--json]`: connect with MQTT 5.0, read the CONNACK and print the
 * capability profile a run would use. */
#include "commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The CLI's option parser (cli/args.c, linked into the mqtk binary with this library), so probe
 * takes "--opt value", "--opt=value" and "--" like every other command. */
#include "args.h"
#include "transport_opts.h"
#include "conformance/run/discover.h"
#include "conformance/run/probe.h"
#include "base/clock.h"
#include "net/tls.h"


static const char usage_text[] =
    "usage: mqtk probe --broker ADDRESS [--json] [--timeout MS] [--username U --password P]\n"
    "                  [--cafile FILE] [--cert FILE --key FILE] [--alpn PROTO] [--insecure] [--tls-min V]\n"
    "                  [--ws-frame N]\n"
    "\n"
    "Connect to the broker with MQTT 5.0 and print what its CONNACK announces (Maximum QoS, Retain\n"
    "Available, Wildcard / Subscription Identifier / Shared Subscription Available, Topic Alias\n"
    "Maximum, Receive Maximum, Maximum Packet Size, Server Keep Alive) and whether it accepts an empty\n"
    "client id, as the capabilities `mqtk run --protocol 5` would use. The text output is a profile\n"
    "file (see suite/README.md) to which refused-client-id, forbidden-topic and auth-method\n"
    "lines can be added.\n"
    "\n"
    "options:\n"
    "  --broker ADDRESS     the broker: HOST:PORT, mqtt://HOST:PORT, mqtts://HOST:PORT (TLS),\n"
    "                       ws://HOST:PORT/PATH, wss://HOST:PORT/PATH; [::1]:1883 for IPv6; required\n"
    "  --json               print JSON instead of profile text\n"
    "  --timeout MS         how long to wait for the broker (default 2000)\n"
    "  --username U         credentials for the probe's CONNECT\n"
    "  --password P\n"
    MQTK_TRANSPORT_HELP
    "  --help               this text\n"
    "\n"
    "exit status:\n"
    "  0  the profile was printed\n"
    "  2  usage error, the broker is unreachable, or it does not accept an MQTT 5.0 connection\n";

enum { OPT_BROKER = 1, OPT_JSON, OPT_TIMEOUT, OPT_USERNAME, OPT_PASSWORD, OPT_HELP };

static const mqtk_option probe_options[] = {
    {"broker", 0, true, OPT_BROKER},     {"json", 0, false, OPT_JSON},         {"timeout", 0, true, OPT_TIMEOUT},
    {"username", 0, true, OPT_USERNAME}, {"password", 0, true, OPT_PASSWORD}, {"help", 'h', false, OPT_HELP},
    MQTK_TRANSPORT_OPTIONS,
};

/* 0 to go on, -1 after --help, or MQTK_EXIT_USAGE (message printed). */
static int parse_probe_args(int argc, char **argv, const char **broker, bool *json, cr_run_opts *ro)
{
    mqtk_args a;
    const char *v;
    int id;
    mqtk_args_init(&a, argc, argv);
    while ((id = mqtk_args_next(&a, probe_options, sizeof probe_options / sizeof probe_options[0], &v)) !=
           MQTK_ARG_END) {
        switch (id) {
        case MQTK_ARG_ERROR:
            return MQTK_EXIT_USAGE;
        case MQTK_ARG_POSITIONAL:
            return mqtk_usage_error("probe", "unexpected argument '%s'", v);
        case OPT_HELP:
            fputs(usage_text, stdout);
            return -1;
        case OPT_JSON:
            *json = true;
            break;
        case OPT_BROKER:
            *broker = v;
            if (mqtk_arg_broker("probe", v, &ro->target.address))
                return MQTK_EXIT_USAGE;
            break;
        case OPT_TIMEOUT:
            if (mqtk_arg_int("probe", "timeout", v, 10, 600000, "milliseconds", &ro->timeout_ms))
                return MQTK_EXIT_USAGE;
            break;
        case OPT_USERNAME:
            ro->username = v;
            break;
        case OPT_PASSWORD:
            ro->password = v;
            break;
        default:
            if (mqtk_transport_option_apply("probe", id, v, &ro->target.opts) != 0)
                return MQTK_EXIT_USAGE;
            break;
        }
    }
    if (!*broker)
        return mqtk_usage_error("probe", "--broker HOST:PORT is required");
    if (ro->password && !ro->username)
        return mqtk_usage_error("probe", "--password needs --username");
    return mqtk_transport_check("probe", &ro->target) == 0 ? 0 : MQTK_EXIT_USAGE;
}

int mqtk_cmd_probe(int argc, char **argv)
{
    const char *broker = NULL;
    bool json = false;
    cr_run_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.timeout_ms = 2000;
    ro.settle_ms = 300;
    snprintf(ro.prefix, sizeof ro.prefix, "qprb");
    int parsed = parse_probe_args(argc, argv, &broker, &json, &ro);
    if (parsed != 0)
        return parsed < 0 ? MQTK_EXIT_OK : parsed;
    base_strbuf err = {0};
    cr_server_caps caps;
    cs_profile profile;
    base_arena arena = {0};
    int rc = MQTK_EXIT_OK;
    char why[512];
    ro.target.opts.now_ms = base_now_ms;
    if (!net_resolve(&ro.target.address, &ro.target.endpoints, why, sizeof why))
        base_sb_puts(&err, why);
    char transport[320] = "";
    if (err.len || cr_probe_reachable(&ro, transport, sizeof transport, NULL, &err) < 0) {
        fprintf(stderr, "mqtk probe: broker unreachable at %s: %s\n", broker, base_sb_str(&err));
        rc = MQTK_EXIT_USAGE;
    } else if (cr_discover(&ro, &caps, &err) < 0) {
        fprintf(stderr, "mqtk probe: %s: %s\n", broker, base_sb_str(&err));
        rc = MQTK_EXIT_USAGE;
    } else {
        cs_profile_default(&profile);
        profile.name = broker;
        cr_caps_apply(&caps, &profile, &ro, &arena);
        cr_caps_print(stdout, &caps, &profile, broker, transport, json);
    }
    net_tls_release(&ro.target.opts);
    base_arena_free(&arena);
    base_sb_free(&err);
    return rc;
}
