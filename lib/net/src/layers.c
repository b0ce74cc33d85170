/* The layers this build can stack over TCP. Each is NULL until its transport lands (the TLS transport in
 * tls.c, the WebSocket transport in ws.c); net_connect names the missing scheme. */
#include "net_internal.h"

const net_transport *const net_tls_layer = NULL;
/* net_ws_layer: ws.c */
