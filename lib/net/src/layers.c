/* The layers this build can stack over TCP: TLS (tls.c) and WebSocket (NULL until its transport
 * lands; net_connect names the missing scheme). */
#include "net_internal.h"

const net_transport *const net_tls_layer = &net_tls_transport;
/* net_ws_layer: ws.c */
