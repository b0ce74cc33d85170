/* The embedded broker: a mosquitto started on a free loopback port with a configuration in a
 * temporary directory (anonymous access, no persistence, an ACL refusing mqtk/forbidden/#), stopped
 * after the run; for a WebSocket run, with a bridge in front of it (Debian's mosquitto has no
 * WebSocket listener). */
#ifndef CR_BROKER_H
#define CR_BROKER_H

#include <stdbool.h>
#include <sys/types.h>

#include "base/strbuf.h"

typedef struct cr_broker {
    pid_t pid;
    int port;
    char dir[256];   /* temporary directory with mosquitto.conf, acl and mosquitto.log */
    char exe[256];   /* the mosquitto binary used */
    bool tls;        /* its listener speaks TLS only, with a throwaway CA made in dir (ca.pem) */
    pid_t ws_pid;    /* the WebSocket bridge in front of it (0: none) */
    int ws_port;
} cr_broker;

/* Start it and wait (at most timeout_ms) until it accepts connections. -1 with err. */
int cr_broker_start(cr_broker *b, int timeout_ms, base_strbuf *err);
/* The same with a TLS listener: a throwaway CA, server certificate (localhost, 127.0.0.1, ::1) and
 * client certificate are made in dir first (ca.pem, server.pem/.key, client.pem/.key). */
int cr_broker_start_tls(cr_broker *b, int timeout_ms, base_strbuf *err);
/* Those two in halves, so that the caller works while mosquitto starts up: launch (with a TLS
 * listener when tls) returns at once, -1 with err when it could not start it; ready then waits as
 * they do, and starts it again on another port when mosquitto could not bind. */
int cr_broker_launch(cr_broker *b, bool tls, base_strbuf *err);
int cr_broker_ready(cr_broker *b, int timeout_ms, base_strbuf *err);
/* A launched broker's signal cleanup (which hands the first SIGINT, SIGTERM or SIGHUP of an armed
 * run to base_interrupt_claim, and stops the broker on any other) back in front of the handlers
 * installed since, such as base_interrupt_arm's, which would end mqtk without stopping it. */
void cr_broker_keep_cleanup_first(void);
/* Put a WebSocket listener in front of the started broker: the Python standard-library bridge
 * (scripts/pcap-clients/ws_bridge.py; MQTK_WS_BRIDGE and MQTK_PYTHON override where it and the
 * interpreter are) on another free loopback port, b->ws_port, relaying to b->port. -1 with err. */
int cr_broker_start_ws(cr_broker *b, int timeout_ms, base_strbuf *err);
/* Stop it (and its WebSocket bridge): SIGTERM, then SIGKILL after a grace period. */
void cr_broker_stop(cr_broker *b);
/* Remove the temporary directory (its configuration and log). */
void cr_broker_remove_dir(cr_broker *b);

#endif
