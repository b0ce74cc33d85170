/* The transport interface: one connection to a broker, whatever carries it (TCP, TLS, WebSocket).
 *
 * In the style of coreMQTT's transport interface: a table of operations (net_transport) and a context
 * (net_conn). Transports stack: every connection starts as TCP (src/tcp.c); TLS (src/tls.c) runs over
 * TCP; WebSocket (src/ws.c) runs over TCP or TLS. Each layer is one net_conn whose `lower` is the layer
 * below; callers hold the top one and use only the net_* functions below, so a test script runs
 * unchanged over every transport.
 *
 * Contract of every operation (what a new transport must do):
 *  - Deadlines are absolute milliseconds on the connection's clock (net_now(c)). No call waits past its
 *    deadline; a deadline already past means "do what can be done without waiting". Waits go through
 *    net_poll_fd(), which slices them so a clock that jumps (an interrupted run) ends them promptly.
 *  - open: the layer below is connected and through its own handshake. Allocate c->state, run this
 *    layer's handshake (TLS ClientHello..Finished, WebSocket Upgrade) before the deadline. NET_OK, or a
 *    failure status with c->error naming the step and the reason ("TLS handshake with HOST:PORT:
 *    certificate verify failed: unable to get local issuer certificate"). close is called after a failed open too.
 *  - send: write buf[0..len) (MQTT bytes: the layer frames or encrypts them). Sets *sent to the MQTT bytes
 *    taken. NET_OK when all were taken; NET_TIMEOUT when the deadline came first (*sent may be > 0; call
 *    again with the rest); NET_CLOSED / NET_RESET when the peer is gone; NET_ERROR / NET_LOCAL otherwise.
 *  - recv: wait for MQTT bytes until the deadline; on NET_OK *got >= 1. Control traffic (TLS records
 *    without data, WebSocket ping/pong) is handled inside and never returned. NET_TIMEOUT with *got == 0;
 *    NET_CLOSED on an orderly end (TCP FIN, TLS close_notify, WebSocket close); NET_RESET on a reset;
 *    NET_ERROR when the peer broke the transport's own protocol (c->error says how).
 *  - pending: true when recv would return bytes without the socket becoming readable (decrypted TLS
 *    records, a buffered WebSocket payload). net_wait() and callers that poll many sockets rely on it.
 *  - shutdown: stop sending, tell the peer (TCP FIN, TLS close_notify, WebSocket close frame); receiving
 *    goes on until the peer closes.
 *  - close: release c->state only (net_close walks the stack and closes the socket).
 *  - describe: this layer in a few words: "TCP 127.0.0.1:1883", "TLSv1.3 TLS_AES_256_GCM_SHA384".
 * Errors: c->error holds the last one (net_error() of the top layer shows it); a layer that fails because
 * its lower layer did copies the lower's text (net_fail_from). */
#ifndef NET_TRANSPORT_H
#define NET_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/address.h"

typedef enum net_status {
    NET_OK = 0,
    NET_TIMEOUT, /* the deadline came first */
    NET_CLOSED,  /* the peer ended the connection in order */
    NET_RESET,   /* the peer reset it, or it broke */
    NET_ERROR,   /* the peer failed the transport's handshake or protocol; error says how */
    NET_LOCAL    /* this process or host ran out of something (descriptors, ports, memory) */
} net_status;

/* "ok", "timeout", "closed", "reset", "error", "local". */
const char *net_status_name(net_status s);

/* TLS settings (mqtts://, wss://). */
typedef struct net_tls_opts {
    const char *cafile;   /* trusted CAs (PEM); NULL: the system store */
    const char *cert;     /* client certificate (PEM) for mutual TLS, with key */
    const char *key;
    const char *alpn;     /* protocol to offer in ALPN ("mqtt"); NULL: none */
    const char *sni;      /* server name to send and verify; NULL: the address's host */
    bool insecure;        /* no certificate verification (explicit, shown in every report) */
    int min_version;      /* 12 (TLS 1.2, the default) or 13 */
} net_tls_opts;

/* WebSocket settings (ws://, wss://). */
typedef struct net_ws_opts {
    const char *subprotocol; /* offered in Sec-WebSocket-Protocol; NULL: "mqtt" */
    size_t frame_max;        /* largest frame payload to send, splitting packets (0: one frame a send) */
} net_ws_opts;

typedef struct net_opts {
    int64_t (*now_ms)(void); /* the deadline clock; NULL: base_clock_real_ms (base/clock.h) */
    net_tls_opts tls;
    net_ws_opts ws;
    void *tls_ctx;           /* the TLS context shared by every connection (net_tls_prepare); NULL: one each */
    struct net_pool *pool;   /* sockets kept for reuse (net_recycle); NULL: each connection opens its own */
    bool ack_with_data;      /* the caller sends at once after connecting: the handshake's last ACK waits
                              * for those bytes and rides with them (TCP_DEFER_ACCEPT on the connecting
                              * socket; the kernel sends it alone after 200 ms of silence) */
} net_opts;

/* Idle TCP sockets, for a caller that opens and drops thousands of short connections (the broker
 * fuzzer). A plain TCP connection that ends with a reset, or whose peer has already closed it, is
 * disconnected rather than closed (connect() with AF_UNSPEC: the kernel resets it if it is still
 * open and forgets the peer), and the next connect of the same address family takes its socket,
 * TCP_NODELAY already set: no socket(), setsockopt() or close() per connection, and none of the
 * kernel's building and tearing down of a socket. Owned by the caller; zero it to start. */
enum { NET_POOL_MAX = 8 };
typedef struct net_pool {
    int fd[NET_POOL_MAX];
    int family[NET_POOL_MAX];
    unsigned n;
} net_pool;
/* Close every socket kept. */
void net_pool_drain(net_pool *p);

/* Where and how to connect: what every command that talks to a broker keeps for its whole run. */
typedef struct net_target {
    net_address address;
    net_endpoints endpoints; /* address resolved once (net_target_parse) */
    net_opts opts;
} net_target;

/* Parse arg (net_address_parse) and resolve it. false with err naming what is wrong. opts is left
 * as it was (zero it first, then fill in TLS and WebSocket settings). */
bool net_target_parse(net_target *t, const char *arg, char *err, size_t err_cap);

typedef struct net_conn net_conn;

typedef struct net_transport {
    const char *name; /* "tcp", "tls", "ws" */
    net_status (*open)(net_conn *c, int64_t deadline);
    net_status (*send)(net_conn *c, const uint8_t *buf, size_t len, size_t *sent, int64_t deadline);
    net_status (*recv)(net_conn *c, uint8_t *buf, size_t cap, size_t *got, int64_t deadline);
    bool (*pending)(const net_conn *c);
    net_status (*shutdown)(net_conn *c, int64_t deadline);
    void (*close)(net_conn *c);
    void (*describe)(const net_conn *c, char *out, size_t cap);
} net_transport;

struct net_conn {
    const net_transport *ops;
    net_conn *lower;     /* the layer this one runs over; NULL for TCP */
    int fd;              /* the socket at the bottom of the stack, for polling */
    int family;          /* fd's address family (AF_INET, AF_INET6) */
    void *state;         /* the layer's own */
    net_opts opts;       /* a copy; the strings it points to must outlive the connection */
    net_address address; /* what was asked for */
    char error[384];
};

/* The connection's deadline clock. */
int64_t net_now(const net_conn *c);

/* Connect to the first of t's endpoints that answers before the deadline, then stack and open the layers the
 * address's scheme needs. NET_OK with *out set; otherwise err says why ("cannot connect to
 * 127.0.0.1:1883: Connection refused", "TLS handshake with localhost:8883: ..."). NET_LOCAL when the
 * failure is this host's (no descriptor, no local port), not the broker's. */
net_status net_connect(const net_target *t, int64_t deadline, net_conn **out, char *err, size_t err_cap);
net_status net_send(net_conn *c, const void *buf, size_t len, size_t *sent, int64_t deadline);
/* Send everything: net_send until all is taken or the deadline. */
net_status net_send_all(net_conn *c, const void *buf, size_t len, size_t *sent, int64_t deadline);
net_status net_recv(net_conn *c, void *buf, size_t cap, size_t *got, int64_t deadline);
bool net_pending(const net_conn *c);
net_status net_shutdown(net_conn *c, int64_t deadline);
/* Close the whole stack at once (no close handshake) and free it. NULL is fine. */
void net_close(net_conn *c);
/* The same, but the socket ends with a TCP reset instead of the FIN exchange, so this side keeps no
 * TIME_WAIT entry: for a caller that opens and drops thousands of short connections a second (the
 * broker fuzzer), where those entries make every later connect search longer for a free port. */
void net_close_reset(net_conn *c);
/* Close a plain TCP connection by keeping its socket in its pool (opts.pool) for the next connect,
 * with a reset to the peer if the connection is still open. false, and c untouched, when there is no
 * pool, it is full, c has layers over TCP, or the kernel refused to disconnect the socket. */
bool net_recycle(net_conn *c);
const char *net_error(const net_conn *c);
int net_fd(const net_conn *c);
/* Every layer, top first: "TLSv1.3 TLS_AES_256_GCM_SHA384 over TCP 127.0.0.1:8883". */
void net_describe(const net_conn *c, char *out, size_t cap);

/* Many connections at once (replay): wait until one is readable (or has pending bytes) or, where
 * want_write is set, writable, or timeout_ms passes. Returns how many are ready, -1 when poll failed
 * (errno set). */
typedef struct net_waiter {
    net_conn *conn;
    bool want_write;
    bool readable, writable; /* out */
} net_waiter;
int net_wait(net_waiter *w, size_t n, int timeout_ms);

/* For transports. */
/* Wait for events on c's socket until deadline, in slices of at most 100 ms on c's clock. Returns the
 * revents (> 0), 0 when the deadline came, -1 when poll failed (errno set). */
int net_poll_fd(const net_conn *c, short events, int64_t deadline);
/* Set c->error and return status. */
net_status net_fail(net_conn *c, net_status status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* c's lower layer failed with status: take its error text, prefixed with what this layer was doing. */
net_status net_fail_from(net_conn *c, net_status status, const char *doing);

#endif
