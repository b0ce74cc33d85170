/* mqtk WebSocket layer — a client session without I/O (RFC 6455 with MQTT's rules, section 6).
 *
 * The session says what bytes to send and reads the bytes the caller received; the caller owns the
 * socket, the buffers, the clock and the randomness (nonce, mask keys). It writes the Upgrade request
 * offering one subprotocol ("mqtt", "mqttv3.1" for MQTT 3.1), checks the 101 answer, then frames
 * outgoing bytes as masked frames and reads incoming frames one at a time: binary data, ping (answer
 * it with a pong), pong, close (answer it with ws_client_close). Text frames, broken frames and frames
 * over the size limit are errors named by ws_err; ws_client_fail_code() gives the close status code
 * to send with them. No allocation, no global state. */
#ifndef WS_CLIENT_H
#define WS_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ws/errors.h"
#include "ws/frame.h"
#include "ws/handshake.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ws_client_state {
    WS_CLIENT_START = 0, /* no request written yet */
    WS_CLIENT_UPGRADING, /* request written: waiting for the server's 101 */
    WS_CLIENT_OPEN,      /* frames both ways */
    WS_CLIENT_CLOSING,   /* one close frame has passed, the other has not */
    WS_CLIENT_CLOSED     /* both close frames have passed, or the session failed */
} ws_client_state;

/* The longest subprotocol name kept (the MQTT ones are 4 and 8 characters). */
#define WS_CLIENT_PROTOCOL_MAX 32u
/* The largest Upgrade response read (its header block). */
#define WS_CLIENT_RESPONSE_MAX 8192u

typedef struct ws_client {
    ws_client_state state;
    char key[WS_KEY_LEN + 1];
    char protocol[WS_CLIENT_PROTOCOL_MAX + 1]; /* offered and required; "" offers none */
    uint64_t max_payload;                      /* largest incoming frame payload (0: any) */
    ws_message rx;                             /* incoming fragmentation state */
    bool close_sent, close_received;
    ws_close peer_close;                       /* the server's close (reason not kept) */
    uint16_t status;                           /* the Upgrade response's status, once read */
} ws_client;

/* Start a session offering protocol (NULL or "": none) and refusing incoming payloads over
 * max_payload bytes (0: no limit beyond the RFC's). WS_ERR_VALUE_OUT_OF_RANGE if protocol is longer
 * than WS_CLIENT_PROTOCOL_MAX or not a token. */
ws_err ws_client_init(ws_client *c, const char *protocol, uint64_t max_payload);

/* Write the Upgrade request for path (starts with '/') on host (the Host header: "name:port") with the
 * key made from 16 bytes the caller drew from a strong source. WS_ERR_VALUE_OUT_OF_RANGE for a host
 * or path with spaces or control characters, WS_ERR_BUFFER_TOO_SMALL when cap is short. */
ws_err ws_client_request(ws_client *c, const uint8_t nonce[16], const char *host, const char *path, char *buf,
                         size_t cap, size_t *written);

/* Read the server's answer from the start of buf. NEED_MORE until its header block is complete;
 * COMPLETE when it accepts the session (*used: its length; the bytes after it are frames); MALFORMED
 * with err (status, accept key, subprotocol, syntax). */
ws_result ws_client_response(ws_client *c, const uint8_t *buf, size_t len, size_t *used, ws_error *err);

typedef enum ws_event_type {
    WS_EVENT_DATA = 0, /* binary message bytes (a whole frame's payload, possibly a fragment) */
    WS_EVENT_PING,     /* answer with a pong carrying the same payload */
    WS_EVENT_PONG,
    WS_EVENT_CLOSE     /* the server's close: answer with ws_client_close unless already sent */
} ws_event_type;

typedef struct ws_event {
    ws_event_type type;
    const uint8_t *payload; /* view into buf (server frames are not masked) */
    size_t len;
    size_t used;            /* COMPLETE: bytes of buf the frame took */
    uint64_t need;          /* NEED_MORE: try again with at least this many bytes */
    ws_close close;         /* CLOSE: code and reason (views into buf) */
} ws_event;

/* Read one frame from the start of buf. COMPLETE with an event, NEED_MORE, or MALFORMED with err
 * (offset from buf[0]): a text frame [MQTT-6.0.0-1], a masked or broken frame, a payload over the
 * limit (known from the header alone), fragments out of order, a bad close payload, anything after
 * the server's close. After MALFORMED the session is CLOSED. */
ws_result ws_client_read(ws_client *c, const uint8_t *buf, size_t len, ws_event *ev, ws_error *err);

/* The bytes a frame of len payload bytes takes on the wire (header included, masked). */
size_t ws_client_frame_size(size_t len);

/* Write one masked frame (mask: 4 fresh random bytes). Data frames (binary, text, continuation) need
 * the OPEN state and no close sent yet; opcode and fin are the caller's, so it can split a packet over
 * several frames or send a text frame to a server on purpose. Control frames are checked (payload
 * <= 125, fin). */
ws_err ws_client_frame(ws_client *c, uint8_t opcode, bool fin, const uint8_t mask[4], const uint8_t *payload,
                       size_t len, uint8_t *buf, size_t cap, size_t *written);

/* Write this side's close frame with code (0: no status code) and moves the state on: CLOSING when
 * the server has not closed yet, CLOSED when this answers its close. A second call is
 * WS_ERR_SEND_AFTER_CLOSE. */
ws_err ws_client_close(ws_client *c, uint16_t code, const uint8_t mask[4], uint8_t *buf, size_t cap,
                       size_t *written);

/* The close status code to send when reading failed with e: 1003 for a text frame, 1009 for a frame
 * over the limit, 1007 for bad UTF-8, 1002 for other protocol errors. */
uint16_t ws_client_fail_code(ws_err e);

/* "start", "upgrading", "open", "closing", "closed". */
const char *ws_client_state_name(ws_client_state s);

#ifdef __cplusplus
}
#endif
#endif
