/* What carries a TCP connection's bytes, between reassembly and MQTT framing. The first bytes of a
 * connection decide: an HTTP Upgrade to WebSocket (with an MQTT subprotocol, or on an MQTT port)
 * makes a WebSocket stream, whose frames are unmasked and defragmented here and whose binary
 * payload goes on to MQTT framing, cut however frames and segments cut it; a TLS handshake record
 * makes a TLS stream, reported but not decoded; anything else goes on to MQTT untouched. */
#ifndef CAP_STREAM_TRANSPORT_H
#define CAP_STREAM_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mqtt_stream.h"
#include "ws/ws.h"

typedef enum cap_xport_state {
    CAP_XPORT_UNDECIDED = 0, /* holding the first bytes */
    CAP_XPORT_PLAIN,         /* MQTT over TCP, or not MQTT: cap_stream decides */
    CAP_XPORT_WEBSOCKET,
    CAP_XPORT_TLS
} cap_xport_state;

typedef struct cap_xport_buf {
    uint8_t *data;
    size_t len, cap;
} cap_xport_buf;

/* One direction of a WebSocket stream. */
typedef struct cap_xport_ws_dir {
    bool http;            /* its HTTP header block is still to come */
    bool stopped;         /* frames are not followed any more (a broken frame, a gap) */
    bool in_frame;        /* the header is read: payload_left bytes of payload follow */
    uint8_t hdr[WS_MAX_HEADER_LEN];
    size_t hdr_len, hdr_need;
    ws_frame frame;
    ws_message msg;
    uint64_t payload_left, payload_pos;
    uint64_t frame_pos;   /* where the frame started in the direction's TCP byte stream */
    uint64_t pos;         /* bytes of the direction's TCP byte stream used */
    uint8_t control[WS_MAX_CONTROL_PAYLOAD];
} cap_xport_ws_dir;

typedef struct cap_stream_transport {
    cap_xport_state state;
    bool seen[2], from_start[2]; /* by sender */
    cap_xport_buf held[2];       /* first bytes while undecided; a header block or a TLS record while read */
    cap_xport_ws_dir ws[2];
    char accept[WS_ACCEPT_LEN + 1]; /* what the server must answer to the client's key, "" when unknown */
} cap_stream_transport;

/* In-order bytes from endpoint sender (from_start: its SYN was captured). */
void cap_stream_transport_data(cap_stream_transport *t, cap_stream *s, int sender, bool from_start, const uint8_t *p,
                               size_t n);
/* missing bytes from sender will never be seen. */
void cap_stream_transport_gap(cap_stream_transport *t, cap_stream *s, int sender, uint32_t seq, uint32_t missing);
/* The connection is over: say what was left unfinished (before cap_stream_end). */
void cap_stream_transport_end(cap_stream_transport *t, cap_stream *s);
void cap_stream_transport_free(cap_stream_transport *t);

#endif
