/* The broker under test: an address, or a process mqtk starts (the embedded mosquitto of the runner,
 * or --exec CMD) and restarts after a crash, keeping its stderr so a sanitizer report is found. */
#ifndef BF_TARGET_H
#define BF_TARGET_H

#include <stdbool.h>
#include <sys/types.h>

#include "conformance/run/broker.h"
#include "mqtt/codec.h"
#include "net/transport.h"
#include "base/strbuf.h"

typedef struct bf_target {
    const char *spec;       /* HOST:PORT (NULL: the embedded mosquitto) */
    const char *exec_cmd;   /* started with /bin/sh -c (NULL: not ours, unless embedded) */
    const char *log_dir;    /* where --exec's stderr goes (one file per start) */
    const net_opts *opts;   /* TLS / WebSocket settings for spec (NULL: none) */
    net_target target;
    net_pool pool;          /* the sessions' sockets, reused from one connection to the next */
    pid_t pid;              /* 0: not ours */
    cr_broker embedded;
    bool is_embedded;
    unsigned starts;
    char stderr_path[512];
    long stderr_seen;       /* bytes of stderr already scanned */
    char label[64];         /* "127.0.0.1:1883" */
} bf_target;

/* Resolve / start it and wait until it accepts connections. -1 with err. */
int bf_target_start(bf_target *t, base_strbuf *err);
void bf_target_stop(bf_target *t);
/* Ours and no longer running: *how says why ("killed by signal 11"). */
bool bf_target_died(bf_target *t, char *how, size_t cap);
/* A sanitizer report appeared in its stderr since the last look: its first line in out. */
bool bf_target_sanitizer_report(bf_target *t, char *out, size_t cap);
/* A fresh client can CONNECT and get a PINGRESP before the deadline. When not and why is given: why
 * the connection could not be opened (a TLS handshake refused, a reset), or "" when it opened. */
bool bf_target_healthy(const bf_target *t, mqtt_version v, int timeout_ms, char *why, size_t cap);
/* Credentials for the health check's CONNECT (NULL: none). */
void bf_target_credentials(const char *username, const char *password);
/* Whether every address the broker's name resolved to is a loopback one. */
bool bf_target_is_loopback(const net_target *t);

#endif
