/* The client session: the Upgrade request and its answer, then frames both ways (RFC 6455 4.1, 5,
 * 7; MQTT section 6). State only moves forward; any error read ends the session. */
#include <stdio.h>
#include <string.h>

#include "ws/client.h"

static const char *const STATE_NAMES[] = {"start", "upgrading", "open", "closing", "closed"};

const char *ws_client_state_name(ws_client_state s)
{
    return (unsigned)s < sizeof STATE_NAMES / sizeof STATE_NAMES[0] ? STATE_NAMES[s] : "unknown";
}

/* RFC 7230 token characters: what a subprotocol name may hold. */
static bool is_token(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7F || strchr("()<>@,;:\\\"/[]?={}", *s))
            return false;
    return true;
}

/* Printable ASCII without spaces: what we put in a request line or a Host header. */
static bool is_visible(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7F)
            return false;
    return true;
}

ws_err ws_client_init(ws_client *c, const char *protocol, uint64_t max_payload)
{
    memset(c, 0, sizeof *c);
    c->max_payload = max_payload;
    if (!protocol)
        return WS_OK;
    if (strlen(protocol) > WS_CLIENT_PROTOCOL_MAX || !is_token(protocol))
        return WS_ERR_VALUE_OUT_OF_RANGE;
    strcpy(c->protocol, protocol);
    return WS_OK;
}

ws_err ws_client_request(ws_client *c, const uint8_t nonce[16], const char *host, const char *path, char *buf,
                         size_t cap, size_t *written)
{
    *written = 0;
    if (c->state != WS_CLIENT_START || !is_visible(host) || !is_visible(path) || path[0] != '/')
        return WS_ERR_VALUE_OUT_OF_RANGE;
    ws_key_from_nonce(nonce, c->key);
    int n = snprintf(buf, cap,
                     "GET %s HTTP/1.1\r\n"
                     "Host: %s\r\n"
                     "Upgrade: websocket\r\n"
                     "Connection: Upgrade\r\n"
                     "Sec-WebSocket-Key: %s\r\n"
                     "Sec-WebSocket-Version: 13\r\n"
                     "%s%s%s"
                     "\r\n",
                     path, host, c->key, c->protocol[0] ? "Sec-WebSocket-Protocol: " : "", c->protocol,
                     c->protocol[0] ? "\r\n" : "");
    if (n < 0 || (size_t)n >= cap)
        return WS_ERR_BUFFER_TOO_SMALL;
    *written = (size_t)n;
    c->state = WS_CLIENT_UPGRADING;
    return WS_OK;
}

ws_result ws_client_response(ws_client *c, const uint8_t *buf, size_t len, size_t *used, ws_error *err)
{
    *used = 0;
    if (c->state != WS_CLIENT_UPGRADING) {
        *err = (ws_error){WS_ERR_NOT_OPEN, 0};
        return WS_MALFORMED;
    }
    ws_http h;
    ws_result r = ws_http_parse(buf, len, WS_CLIENT_RESPONSE_MAX, &h, err);
    if (r == WS_NEED_MORE)
        return r;
    if (r == WS_COMPLETE) {
        c->status = h.status;
        r = ws_check_response(&h, buf, c->key, WS_KEY_LEN, c->protocol[0] ? c->protocol : NULL, err);
    }
    if (r != WS_COMPLETE) {
        c->state = WS_CLIENT_CLOSED;
        return WS_MALFORMED;
    }
    *used = h.length;
    c->state = WS_CLIENT_OPEN;
    return WS_COMPLETE;
}

static ws_result fail(ws_client *c, ws_error *err, ws_err code, uint64_t offset)
{
    *err = (ws_error){code, offset};
    c->state = WS_CLIENT_CLOSED;
    return WS_MALFORMED;
}

/* Opcode to event, for the frames a client accepts (text is refused before this). */
static const struct {
    uint8_t opcode;
    ws_event_type type;
} EVENTS[] = {
    {WS_OP_CONTINUATION, WS_EVENT_DATA}, {WS_OP_BINARY, WS_EVENT_DATA}, {WS_OP_PING, WS_EVENT_PING},
    {WS_OP_PONG, WS_EVENT_PONG},         {WS_OP_CLOSE, WS_EVENT_CLOSE},
};

ws_result ws_client_read(ws_client *c, const uint8_t *buf, size_t len, ws_event *ev, ws_error *err)
{
    memset(ev, 0, sizeof *ev);
    if (c->state == WS_CLIENT_START || c->state == WS_CLIENT_UPGRADING)
        return fail(c, err, WS_ERR_NOT_OPEN, 0);
    if (c->close_received)
        return len ? fail(c, err, WS_ERR_FRAME_AFTER_CLOSE, 0) : WS_NEED_MORE;
    if (c->state == WS_CLIENT_CLOSED) /* failed earlier */
        return fail(c, err, WS_ERR_FRAME_AFTER_CLOSE, 0);
    ws_decode_opts opts = {.sender = WS_SENDER_SERVER, .rsv_allowed = 0, .max_payload = c->max_payload};
    ws_frame f;
    ws_result r = ws_frame_decode(buf, len, &opts, &f);
    if (r == WS_NEED_MORE) {
        ev->need = f.need;
        return r;
    }
    if (r == WS_MALFORMED)
        return fail(c, err, f.error.code, f.error.offset);
    /* a text frame starts a message MQTT does not allow [MQTT-6.0.0-1] */
    if (f.opcode == WS_OP_TEXT || (f.opcode == WS_OP_CONTINUATION && c->rx.in_progress && c->rx.opcode == WS_OP_TEXT))
        return fail(c, err, WS_ERR_MQTT_NOT_BINARY, 0);
    ws_err e = ws_message_frame(&c->rx, &f);
    if (e != WS_OK)
        return fail(c, err, e, 0);
    for (size_t i = 0; i < sizeof EVENTS / sizeof EVENTS[0]; i++)
        if (EVENTS[i].opcode == f.opcode)
            ev->type = EVENTS[i].type;
    ev->payload = f.payload;
    ev->len = (size_t)f.payload_len;
    ev->used = f.header_len + (size_t)f.payload_len;
    if (ev->type == WS_EVENT_CLOSE) {
        ws_error ce;
        if (ws_close_parse(f.payload, ev->len, &ev->close, &ce) != WS_COMPLETE)
            return fail(c, err, ce.code, f.header_len + ce.offset);
        c->close_received = true;
        c->peer_close = ev->close;
        c->peer_close.reason = NULL; /* a view into a buffer the caller will reuse */
        c->peer_close.reason_len = 0;
        c->state = c->close_sent ? WS_CLIENT_CLOSED : WS_CLIENT_CLOSING;
    }
    return WS_COMPLETE;
}

size_t ws_client_frame_size(size_t len)
{
    return ws_header_size(len, true, 0) + len;
}

ws_err ws_client_frame(ws_client *c, uint8_t opcode, bool fin, const uint8_t mask[4], const uint8_t *payload,
                       size_t len, uint8_t *buf, size_t cap, size_t *written)
{
    *written = 0;
    if (c->state == WS_CLIENT_START || c->state == WS_CLIENT_UPGRADING)
        return WS_ERR_NOT_OPEN;
    if (c->close_sent || c->state == WS_CLIENT_CLOSED)
        return WS_ERR_SEND_AFTER_CLOSE; /* nothing may follow our close, control frames included */
    if (opcode == WS_OP_CLOSE)
        return WS_ERR_VALUE_OUT_OF_RANGE; /* ws_client_close keeps the state */
    ws_frame_spec spec = {.fin = fin, .rsv = 0, .opcode = opcode, .masked = true};
    memcpy(spec.mask, mask, 4);
    return ws_encode(buf, cap, &spec, payload, len, 0, written);
}

ws_err ws_client_close(ws_client *c, uint16_t code, const uint8_t mask[4], uint8_t *buf, size_t cap,
                       size_t *written)
{
    *written = 0;
    if (c->state == WS_CLIENT_START || c->state == WS_CLIENT_UPGRADING)
        return WS_ERR_NOT_OPEN;
    if (c->close_sent)
        return WS_ERR_SEND_AFTER_CLOSE;
    uint8_t payload[2];
    size_t plen = 0;
    if (code) {
        ws_err e = ws_close_payload(payload, sizeof payload, code, NULL, 0, 0, &plen);
        if (e != WS_OK)
            return e;
    }
    ws_frame_spec spec = {.fin = true, .rsv = 0, .opcode = WS_OP_CLOSE, .masked = true};
    memcpy(spec.mask, mask, 4);
    ws_err e = ws_encode(buf, cap, &spec, payload, plen, 0, written);
    if (e != WS_OK)
        return e;
    c->close_sent = true;
    c->state = c->close_received || c->state == WS_CLIENT_CLOSED ? WS_CLIENT_CLOSED : WS_CLIENT_CLOSING;
    return WS_OK;
}

/* The close code for each reading error that has its own (RFC 6455 7.4.1); others are 1002. */
static const struct {
    ws_err err;
    uint16_t code;
} FAIL_CODES[] = {
    {WS_ERR_MQTT_NOT_BINARY, 1003},
    {WS_ERR_FRAME_TOO_LARGE, 1009},
    {WS_ERR_TEXT_UTF8, 1007},
    {WS_ERR_CLOSE_REASON_UTF8, 1007},
};

uint16_t ws_client_fail_code(ws_err e)
{
    for (size_t i = 0; i < sizeof FAIL_CODES / sizeof FAIL_CODES[0]; i++)
        if (FAIL_CODES[i].err == e)
            return FAIL_CODES[i].code;
    return 1002;
}
