/* mqtk WebSocket layer — the opening handshake both sides need: the HTTP/1.1 Upgrade request and
 * response read as views of the caller's bytes (bounded, no allocation), the Sec-WebSocket-Key /
 * Sec-WebSocket-Accept pair (RFC 6455 4.1, 4.2.2), and the checks a client and a server apply,
 * including MQTT's subprotocol rules [MQTT-6.0.0-3] [MQTT-6.0.0-4]. */
#ifndef WS_HANDSHAKE_H
#define WS_HANDSHAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ws/errors.h"
#include "ws/frame.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A view of text in the caller's buffer (not NUL-terminated). */
typedef struct ws_str {
    const char *data;
    size_t len;
} ws_str;

/* An HTTP/1.1 request or response header block. Header fields keep the first line of each name that
 * matters here; ws_http_next_header() walks all of them. */
typedef struct ws_http {
    bool is_response;
    ws_str method, target;   /* request line */
    uint16_t status;         /* status line */
    ws_str reason;
    ws_str version;          /* "HTTP/1.1" */
    ws_str host, upgrade, connection, key, accept, ws_version, protocol, extensions;
    uint32_t protocol_lines; /* Sec-WebSocket-Protocol lines (a client may offer in several) */
    ws_str headers;          /* every header line, for ws_http_next_header */
    size_t length;           /* the block's bytes, blank line included: what follows is the next protocol */
} ws_http;

/* Read the header block at the start of buf. NEED_MORE until the blank line that ends it has
 * arrived; MALFORMED when it is not there within max_len bytes (0: 8192) or a line breaks HTTP/1.1's
 * syntax. Lines may end in CRLF or LF alone. */
ws_result ws_http_parse(const uint8_t *buf, size_t len, size_t max_len, ws_http *out, ws_error *err);

/* Take the next "name: value" out of *rest (start with h->headers); false after the last. */
bool ws_http_next_header(ws_str *rest, ws_str *name, ws_str *value);

/* Whether a comma-separated list holds token, ignoring case (Connection: keep-alive, Upgrade). */
bool ws_token_list_has(ws_str list, const char *token);

/* Whether any Sec-WebSocket-Protocol line of a request offers protocol (exact, case-sensitive). */
bool ws_http_offers_protocol(const ws_http *h, const char *protocol);

/* Lengths of a key (16 bytes in base64) and of an accept value (a SHA-1 in base64). */
#define WS_KEY_LEN 24u
#define WS_ACCEPT_LEN 28u

/* The Sec-WebSocket-Key for 16 random bytes the caller drew: out gets 24 characters and a NUL. */
void ws_key_from_nonce(const uint8_t nonce[16], char out[WS_KEY_LEN + 1]);
/* Whether key is base64 of exactly 16 bytes. */
bool ws_key_valid(const char *key, size_t len);
/* Sec-WebSocket-Accept for key: base64(SHA-1(key + the RFC's GUID)); 28 characters and a NUL. */
void ws_accept_for_key(const char *key, size_t len, char out[WS_ACCEPT_LEN + 1]);

/* A server's check of a client's opening handshake: GET, HTTP/1.1, Upgrade: websocket, Connection:
 * Upgrade, Sec-WebSocket-Version: 13, a valid key, and protocol offered when it is not NULL. */
ws_result ws_check_request(const ws_http *req, const uint8_t *buf, const char *protocol, ws_error *err);

/* A client's check of the server's answer to its key: 101, Upgrade, Connection, the accept value,
 * and the subprotocol: protocol (the one the client offered, e.g. "mqtt") must be the one selected;
 * NULL means none may be. */
ws_result ws_check_response(const ws_http *resp, const uint8_t *buf, const char *key, size_t key_len,
                            const char *protocol, ws_error *err);

#ifdef __cplusplus
}
#endif
#endif
