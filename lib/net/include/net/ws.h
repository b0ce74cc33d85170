/* The WebSocket transport's own controls (ws://, wss://), for the runner's section 6 tests: how later
 * sends are framed. Everything else goes through net/transport.h like any transport. */
#ifndef NET_WS_H
#define NET_WS_H

#include <stdbool.h>
#include <stddef.h>

#include "net/transport.h"

/* The WebSocket layer of c's stack, or NULL when c does not run over WebSocket. */
net_conn *net_ws_of(net_conn *c);
/* Cut each later send into frames of at most frame_max payload bytes (0: one frame a send): each its
 * own binary message, or with fragment one message of a binary frame and continuation frames. */
void net_ws_split(net_conn *ws, size_t frame_max, bool fragment);
/* Later data frames are text frames (which MQTT forbids [MQTT-6.0.0-1]) or, again, binary ones. */
void net_ws_text(net_conn *ws, bool text);
/* Hold later sends, to go out together (coalesced) at net_ws_flush. */
void net_ws_hold(net_conn *ws);
/* Send what was held as one message, cut as net_ws_split says; stop holding. */
net_status net_ws_flush(net_conn *ws, int64_t deadline);

/* When the server broke an MQTT rule of WebSocket transport (a text frame: "MQTT-6.0.0-1"), that
 * statement; NULL otherwise (no error, or one only RFC 6455 names). */
const char *net_ws_statement(const net_conn *ws);

#endif
