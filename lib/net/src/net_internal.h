/* What the generic connection code (conn.c) needs from each transport. */
#ifndef NET_INTERNAL_H
#define NET_INTERNAL_H

#include "net/transport.h"

/* errno values that are this process's or this host's resources running out, not the peer's doing. */
bool net_errno_is_local(int e);

/* Open the bottom layer: a non-blocking TCP connection to the first endpoint that answers. */
net_status net_tcp_connect(net_conn *c, const net_endpoints *ep, int64_t deadline);

extern const net_transport net_tcp_transport;
extern const net_transport net_tls_transport;

/* The layers over TCP, by what the scheme needs; NULL where this build has none yet. */
extern const net_transport *const net_tls_layer;
extern const net_transport *const net_ws_layer;

#endif
