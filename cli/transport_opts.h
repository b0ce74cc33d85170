/* The transport options of every command that talks to a broker (run, probe, replay): written once
 * here, listed in each command's option table with MQTK_TRANSPORT_OPTIONS. */
#ifndef MQTK_TRANSPORT_OPTS_H
#define MQTK_TRANSPORT_OPTS_H

#include <stdbool.h>

#include "args.h"
#include "net/transport.h"

enum {
    MQTK_TOPT_FIRST = 1000, /* above every command's own option ids */
    MQTK_TOPT_CAFILE = MQTK_TOPT_FIRST,
    MQTK_TOPT_CERT,
    MQTK_TOPT_KEY,
    MQTK_TOPT_ALPN,
    MQTK_TOPT_INSECURE,
    MQTK_TOPT_TLS_MIN,
    MQTK_TOPT_WS_FRAME,
    MQTK_TOPT_LAST = MQTK_TOPT_WS_FRAME
};

#define MQTK_TRANSPORT_OPTIONS                                                                                         \
    {"cafile", 0, true, MQTK_TOPT_CAFILE}, {"cert", 0, true, MQTK_TOPT_CERT}, {"key", 0, true, MQTK_TOPT_KEY},         \
        {"alpn", 0, true, MQTK_TOPT_ALPN}, {"insecure", 0, false, MQTK_TOPT_INSECURE},                                 \
        {"tls-min", 0, true, MQTK_TOPT_TLS_MIN}, {"ws-frame", 0, true, MQTK_TOPT_WS_FRAME}

/* The lines of --help that describe them. */
#define MQTK_TRANSPORT_HELP                                                                                            \
    "  --cafile FILE        TLS: trust the CAs in FILE (PEM) instead of the system store\n"                           \
    "  --cert FILE          TLS: client certificate (PEM) for mutual TLS, with --key\n"                                \
    "  --key FILE           TLS: the client certificate's private key (PEM)\n"                                         \
    "  --alpn PROTO         TLS: offer PROTO in ALPN (e.g. mqtt); the broker must select it\n"                       \
    "  --insecure           TLS: do not verify the broker's certificate (said in every report)\n"                      \
    "  --tls-min 1.2|1.3    TLS: lowest version to accept (default 1.2)\n"                                         \
    "  --ws-frame N         WebSocket: cut every packet into binary frames of at most N bytes (1-65536;\n"        \
    "                       default: one frame a packet), so the broker must reassemble [MQTT-6.0.0-2]\n"

/* Look an option up by its long name without "--" (for a command with its own parser): the id, or 0. */
int mqtk_transport_option_id(const char *name, bool *has_value);
/* Whether id is one of the transport options. */
bool mqtk_transport_option_is(int id);
/* Apply option id with value to o. MQTK_EXIT_OK, or a usage error printed for command. */
int mqtk_transport_option_apply(const char *command, int id, const char *value, net_opts *o);
/* After parsing, with t->address parsed: TLS options need mqtts:// or wss://, --ws-frame ws:// or wss://,
 * --cert needs --key,
 * and the TLS files must load (net_tls_prepare). MQTK_EXIT_OK or a usage error printed. */
int mqtk_transport_check(const char *command, net_target *t);

#endif
