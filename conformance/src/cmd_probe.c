/* `mqtk probe --broker HOST:PORT [--json]`: connect with MQTT 5.0, read the CONNACK and print the
 * capability profile a run would use. */
#include "cmd_probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "discover.h"
#include "probe.h"

enum { EXIT_OK = 0, EXIT_USAGE = 2 };

static const char usage_text[] =
    "usage: mqtk probe --broker HOST:PORT [--json] [--timeout MS] [--username U --password P]\n"
    "\n"
    "Connect to the broker with MQTT 5.0 and print what its CONNACK announces (Maximum QoS, Retain\n"
    "Available, Wildcard / Subscription Identifier / Shared Subscription Available, Topic Alias\n"
    "Maximum, Receive Maximum, Maximum Packet Size, Server Keep Alive) and whether it accepts an empty\n"
    "client id, as the capabilities `mqtk run --protocol 5` would use. The text output is a profile\n"
    "file (see conformance/README.md) to which refused-client-id, forbidden-topic and auth-method\n"
    "lines can be added.\n"
    "\n"
    "options:\n"
    "  --broker HOST:PORT   the broker ([::1]:1883 for IPv6); required\n"
    "  --json               print JSON instead of profile text\n"
    "  --timeout MS         how long to wait for the broker (default 2000)\n"
    "  --username U         credentials for the probe's CONNECT\n"
    "  --password P\n"
    "  --help               this text\n"
    "\n"
    "exit status:\n"
    "  0  the profile was printed\n"
    "  2  usage error, the broker is unreachable, or it does not accept an MQTT 5.0 connection\n";

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "mqtk probe: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(see mqtk probe --help)\n");
    return EXIT_USAGE;
}

int mqtk_cmd_probe(int argc, char **argv)
{
    const char *broker = NULL;
    bool json = false;
    cf_run_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.timeout_ms = 2000;
    ro.settle_ms = 300;
    snprintf(ro.prefix, sizeof ro.prefix, "qprb");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            return EXIT_OK;
        }
        if (strcmp(a, "--json") == 0) {
            json = true;
            continue;
        }
        if (strcmp(a, "--broker") != 0 && strcmp(a, "--timeout") != 0 && strcmp(a, "--username") != 0 &&
            strcmp(a, "--password") != 0)
            return usage_error("unknown option '%s'", a);
        if (i + 1 >= argc)
            return usage_error("%s needs a value", a);
        const char *v = argv[++i];
        if (strcmp(a, "--broker") == 0) {
            broker = v;
        } else if (strcmp(a, "--timeout") == 0) {
            char *end;
            long ms = strtol(v, &end, 10);
            if (!*v || *end || ms < 10 || ms > 600000)
                return usage_error("--timeout needs milliseconds from 10 to 600000, got '%s'", v);
            ro.timeout_ms = (int)ms;
        } else if (strcmp(a, "--username") == 0) {
            ro.username = v;
        } else {
            ro.password = v;
        }
    }
    if (!broker)
        return usage_error("%s", "--broker HOST:PORT is required");
    if (ro.password && !ro.username)
        return usage_error("%s", "--password needs --username");
    cf_strbuf err = {0};
    cf_server_caps caps;
    cf_profile profile;
    cf_arena arena = {0};
    int rc = EXIT_OK;
    if (cf_resolve(broker, &ro.addr, &ro.addrlen, &err) < 0 || cf_probe_reachable(&ro, &err) < 0) {
        fprintf(stderr, "mqtk probe: broker unreachable at %s: %s\n", broker, cf_sb_str(&err));
        rc = EXIT_USAGE;
    } else if (cf_discover(&ro, &caps, &err) < 0) {
        fprintf(stderr, "mqtk probe: %s: %s\n", broker, cf_sb_str(&err));
        rc = EXIT_USAGE;
    } else {
        cf_profile_default(&profile);
        profile.name = broker;
        cf_caps_apply(&caps, &profile, &ro, &arena);
        cf_caps_print(stdout, &caps, &profile, broker, json);
    }
    cf_arena_free(&arena);
    cf_sb_free(&err);
    return rc;
}
