/* The TLS transport's settings checked once for a whole run: CA store, client certificate and key
 * are read into one shared OpenSSL context before the first connection, so a wrong --cafile is a
 * setup error at the start instead of every connection failing. */
#ifndef NET_TLS_H
#define NET_TLS_H

#include <stdbool.h>
#include <stddef.h>

#include "net/transport.h"

/* Build o->tls_ctx from o->tls (nothing to do when it is built). false with err naming the file and
 * the reason ("cannot read --cafile ca.pem: No such file or directory"). */
bool net_tls_prepare(net_opts *o, char *err, size_t cap);
void net_tls_release(net_opts *o);
/* What a connection's TLS layer negotiated, for reports. */
typedef struct net_tls_session {
    bool used;        /* the connection has a TLS layer */
    char version[16]; /* "TLSv1.3" */
    char cipher[64];  /* "TLS_AES_256_GCM_SHA384" */
    char alpn[64];    /* the protocol the server selected, or "" */
    char sni[256];    /* the name sent and verified ("" for an IP address: SNI carries names only) */
    bool verified;    /* false only with --insecure */
} net_tls_session;

/* Fill out from c's TLS layer (anywhere in its stack); out->used is false when it has none. */
void net_tls_session_info(const net_conn *c, net_tls_session *out);

/* The TLS library and its version, for reports and --version ("OpenSSL 3.0.19 ..."). */
const char *net_tls_library(void);

#endif
