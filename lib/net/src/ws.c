/* The WebSocket transport (ws://, wss://): the client session of lib/ws (ws/client.h) driven over the
 * layer below (TCP, or TLS for wss). open runs the Upgrade within the deadline; send frames MQTT bytes as
 * masked binary frames (split at frame_max, or held and coalesced for the runner's section 6 tests);
 * recv deframes, answers pings and the server's close, and fails on text, broken or oversize frames with
 * the rule named. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "net/ws.h"
#include "net_internal.h"
#include "ws/ws.h"

/* The largest frame payload accepted from a server: above the runner's flood cap (2 MiB a connection),
 * so a flood is judged as one, and far below what would exhaust memory. */
enum { WS_RX_MAX_PAYLOAD = 16 * 1024 * 1024, WS_CLOSE_WAIT_MS = 200 };

typedef struct ws_state {
    ws_client session;
    uint8_t *in;            /* bytes from below: [in_off, in_len) not yet read as frames */
    size_t in_off, in_len, in_cap;
    const uint8_t *data;    /* an undelivered data payload (inside in) */
    size_t data_len;
    uint8_t *out;           /* one frame being written */
    size_t out_cap;
    uint8_t *held;          /* MQTT bytes held for one coalesced frame */
    size_t held_len, held_cap;
    size_t frame_max;       /* payload bytes per frame (0: one frame a send) */
    bool fragment;          /* split as one fragmented message rather than one message a piece */
    bool hold, text;
    bool peer_closed;       /* the server's close arrived, or the layer below ended */
    ws_err failed;          /* the rule a frame from the server broke (WS_OK: none) */
    bool torn;              /* a send timed out inside a frame: nothing more can be framed */
} ws_state;

static bool grow(uint8_t **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : 4096;
    while (n < need)
        n *= 2;
    uint8_t *p = realloc(*buf, n);
    if (!p)
        return false;
    *buf = p;
    *cap = n;
    return true;
}

/* Mask keys and the handshake nonce come from the kernel's generator; false (errno set) when it fails. */
static bool random_bytes(uint8_t *out, size_t n)
{
    while (n) {
        ssize_t got = getrandom(out, n, 0);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return false;
        out += got;
        n -= (size_t)got;
    }
    return true;
}

/* Write one frame to the layer below. */
static net_status put_frame(net_conn *c, uint8_t opcode, bool fin, const uint8_t *payload, size_t len,
                            int64_t deadline)
{
    ws_state *s = c->state;
    if (!grow(&s->out, &s->out_cap, ws_client_frame_size(len)))
        return net_fail(c, NET_LOCAL, "WebSocket: out of memory for a %zu-byte frame", len);
    if (s->torn)
        return net_fail(c, NET_ERROR, "WebSocket: an earlier frame was cut short by a send timeout");
    uint8_t mask[4];
    if (!random_bytes(mask, sizeof mask))
        return net_fail(c, NET_LOCAL, "WebSocket: no random bytes for a mask key: %s", strerror(errno));
    size_t n;
    ws_err e = ws_client_frame(&s->session, opcode, fin, mask, payload, len, s->out, s->out_cap, &n);
    if (e != WS_OK)
        return net_fail(c, NET_ERROR, "WebSocket: cannot send a %s frame: %s", ws_opcode_name(opcode),
                        ws_err_description(e));
    size_t sent = 0;
    net_status st = net_send_all(c->lower, s->out, n, &sent, deadline);
    if (st == NET_OK)
        return NET_OK;
    s->torn = sent > 0 && sent < n; /* the stream cannot go on after half a frame */
    return net_fail_from(c, st, "WebSocket: sending a frame");
}

/* Our close frame (once), best effort within the deadline. */
static void put_close(net_conn *c, uint16_t code, int64_t deadline)
{
    ws_state *s = c->state;
    uint8_t mask[4], frame[16];
    size_t n;
    if (s->torn || !random_bytes(mask, sizeof mask))
        return;
    if (ws_client_close(&s->session, code, mask, frame, sizeof frame, &n) == WS_OK)
        net_send_all(c->lower, frame, n, NULL, deadline);
}

/* Send MQTT bytes as data frames: pieces of frame_max, each its own binary message, or one message in
 * fragments (binary, then continuations); a text opcode instead of binary when asked. */
static net_status put_data(net_conn *c, const uint8_t *buf, size_t len, int64_t deadline)
{
    ws_state *s = c->state;
    uint8_t first = s->text ? WS_OP_TEXT : WS_OP_BINARY;
    size_t piece = s->frame_max && s->frame_max < len ? s->frame_max : len;
    size_t off = 0;
    do {
        size_t n = len - off < piece ? len - off : piece;
        bool last = off + n == len;
        uint8_t op = off && s->fragment ? WS_OP_CONTINUATION : first;
        net_status st = put_frame(c, op, !s->fragment || last, buf + off, n, deadline);
        if (st != NET_OK)
            return st;
        off += n;
    } while (off < len);
    return NET_OK;
}

/* Read more bytes from below into in, making room first. */
static net_status fill(net_conn *c, size_t need, int64_t deadline)
{
    ws_state *s = c->state;
    if (s->in_off && !s->data_len) { /* compact: nothing points into the read part */
        memmove(s->in, s->in + s->in_off, s->in_len - s->in_off);
        s->in_len -= s->in_off;
        s->in_off = 0;
    }
    size_t want = s->in_off + (need > 65536 ? need : 65536);
    if (want < s->in_len + 4096)
        want = s->in_len + 4096;
    if (!grow(&s->in, &s->in_cap, want))
        return net_fail(c, NET_LOCAL, "WebSocket: out of memory for %zu buffered bytes", want);
    size_t got = 0;
    net_status st = net_recv(c->lower, s->in + s->in_len, s->in_cap - s->in_len, &got, deadline);
    s->in_len += got;
    return st;
}

static net_status ws_open(net_conn *c, int64_t deadline)
{
    ws_state *s = calloc(1, sizeof *s);
    if (!s)
        return net_fail(c, NET_LOCAL, "WebSocket: out of memory");
    c->state = s;
    s->frame_max = c->opts.ws.frame_max;
    const char *proto = c->opts.ws.subprotocol ? c->opts.ws.subprotocol : "mqtt";
    if (ws_client_init(&s->session, proto, WS_RX_MAX_PAYLOAD) != WS_OK)
        return net_fail(c, NET_LOCAL, "WebSocket: '%s' is not a subprotocol name", proto);
    char host[NET_HOST_MAX + 10];
    bool v6 = strchr(c->address.host, ':') != NULL;
    snprintf(host, sizeof host, v6 ? "[%s]:%s" : "%s:%s", c->address.host, c->address.port);
    uint8_t nonce[16];
    if (!random_bytes(nonce, sizeof nonce))
        return net_fail(c, NET_LOCAL, "WebSocket handshake: no random bytes for the key: %s", strerror(errno));
    char req[NET_PATH_MAX + NET_HOST_MAX + 256];
    size_t n;
    if (ws_client_request(&s->session, nonce, host, c->address.path[0] ? c->address.path : "/mqtt", req,
                          sizeof req, &n) != WS_OK)
        return net_fail(c, NET_LOCAL, "WebSocket: the path '%s' cannot go in a request line", c->address.path);
    net_status st = net_send_all(c->lower, req, n, NULL, deadline);
    if (st != NET_OK)
        return net_fail_from(c, st, "WebSocket handshake: sending the Upgrade request");
    for (;;) {
        size_t used;
        ws_error err;
        ws_result r = ws_client_response(&s->session, s->in, s->in_len, &used, &err);
        if (r == WS_COMPLETE) {
            s->in_off = used; /* frames may follow the 101 in the same segment */
            return NET_OK;
        }
        if (r == WS_MALFORMED) {
            char why[256];
            ws_error_format(&err, why, sizeof why);
            if (err.code == WS_ERR_HTTP_STATUS)
                return net_fail(c, NET_ERROR, "WebSocket handshake: the server answered HTTP status %u, not 101 (%s)",
                                s->session.status, why);
            return net_fail(c, NET_ERROR, "WebSocket handshake: %s", why);
        }
        st = fill(c, 0, deadline);
        if (st == NET_TIMEOUT)
            return net_fail(c, NET_TIMEOUT, "WebSocket handshake: %s before the deadline",
                            s->in_len ? "the Upgrade answer did not complete" : "no answer to the Upgrade request");
        if (st != NET_OK)
            return net_fail_from(c, st, "WebSocket handshake: waiting for the Upgrade answer");
    }
}

static net_status ws_send(net_conn *c, const uint8_t *buf, size_t len, size_t *sent, int64_t deadline)
{
    ws_state *s = c->state;
    *sent = 0;
    if (s->hold) {
        if (!grow(&s->held, &s->held_cap, s->held_len + len))
            return net_fail(c, NET_LOCAL, "WebSocket: out of memory holding %zu bytes", s->held_len + len);
        memcpy(s->held + s->held_len, buf, len);
        s->held_len += len;
        *sent = len;
        return NET_OK;
    }
    if (s->session.close_sent || s->peer_closed)
        return net_fail(c, NET_CLOSED, "WebSocket: the connection is closing");
    net_status st = put_data(c, buf, len, deadline);
    if (st == NET_OK)
        *sent = len;
    return st;
}

static net_status ws_recv(net_conn *c, uint8_t *buf, size_t cap, size_t *got, int64_t deadline)
{
    ws_state *s = c->state;
    for (;;) {
        if (s->data_len) {
            size_t n = s->data_len < cap ? s->data_len : cap;
            memcpy(buf, s->data, n);
            s->data += n;
            s->data_len -= n;
            *got = n;
            return NET_OK;
        }
        if (s->peer_closed) /* c->error already says how: the close code, mid-frame, a bad frame */
            return c->error[0] ? NET_CLOSED : net_fail(c, NET_CLOSED, "WebSocket closed by the server");
        ws_event ev;
        ws_error err;
        ws_result r = ws_client_read(&s->session, s->in + s->in_off, s->in_len - s->in_off, &ev, &err);
        if (r == WS_MALFORMED) {
            char why[256];
            ws_error_format(&err, why, sizeof why);
            put_close(c, ws_client_fail_code(err.code), net_now(c) + WS_CLOSE_WAIT_MS);
            s->peer_closed = true;
            s->failed = err.code;
            return net_fail(c, NET_ERROR, "WebSocket: the server sent a bad frame: %s", why);
        }
        if (r == WS_NEED_MORE) {
            net_status st = fill(c, (size_t)ev.need, deadline);
            if (st == NET_CLOSED || st == NET_RESET) {
                s->peer_closed = true;
                bool mid = s->in_len > s->in_off;
                return net_fail(c, st, "%s %s", st == NET_CLOSED ? "connection closed by the peer" : "connection reset",
                                mid ? "in the middle of a WebSocket frame" : "without a WebSocket close frame");
            }
            if (st != NET_OK)
                return st == NET_TIMEOUT ? st : net_fail_from(c, st, "WebSocket: reading");
            continue;
        }
        s->in_off += ev.used;
        switch (ev.type) {
        case WS_EVENT_DATA:
            s->data = ev.payload;
            s->data_len = ev.len;
            break;
        case WS_EVENT_PING: {
            uint8_t echo[WS_MAX_CONTROL_PAYLOAD];
            memcpy(echo, ev.payload, ev.len);
            if (!s->session.close_sent) {
                /* answered even when the caller's deadline has passed: a ping left unanswered could
                 * end the connection, and a pong is a few bytes */
                int64_t by = net_now(c) + WS_CLOSE_WAIT_MS;
                net_status st = put_frame(c, WS_OP_PONG, true, echo, ev.len, deadline > by ? deadline : by);
                if (st != NET_OK)
                    return st;
            }
            break;
        }
        case WS_EVENT_PONG:
            break;
        case WS_EVENT_CLOSE:
            s->peer_closed = true;
            if (!s->session.close_sent)
                put_close(c, ev.close.has_code ? ev.close.code : 1000, net_now(c) + WS_CLOSE_WAIT_MS);
            if (ev.close.has_code)
                net_fail(c, NET_CLOSED, "WebSocket closed by the server (code %u)", ev.close.code);
            else
                net_fail(c, NET_CLOSED, "WebSocket closed by the server");
            break;
        }
    }
}

static bool ws_pending(const net_conn *c)
{
    const ws_state *s = c->state;
    if (!s)
        return false;
    if (s->data_len || s->peer_closed)
        return s->data_len > 0;
    ws_frame f;
    ws_decode_opts opts = {.sender = WS_SENDER_SERVER, .rsv_allowed = 0, .max_payload = WS_RX_MAX_PAYLOAD};
    return s->in_len > s->in_off && ws_frame_decode(s->in + s->in_off, s->in_len - s->in_off, &opts, &f) != WS_NEED_MORE;
}

static net_status ws_shutdown(net_conn *c, int64_t deadline)
{
    ws_state *s = c->state;
    net_status st = s->hold ? net_ws_flush(c, deadline) : NET_OK;
    if (!s->session.close_sent)
        put_close(c, 1000, deadline);
    return st;
}

static void ws_close_state(net_conn *c)
{
    ws_state *s = c->state;
    if (!s)
        return;
    free(s->in);
    free(s->out);
    free(s->held);
    free(s);
    c->state = NULL;
}

static void ws_describe(const net_conn *c, char *out, size_t cap)
{
    const ws_state *s = c->state;
    snprintf(out, cap, "WebSocket %s subprotocol %s", c->address.path[0] ? c->address.path : "/mqtt",
             s && s->session.protocol[0] ? s->session.protocol : "(none)");
}

static const net_transport net_ws_transport = {
    .name = "ws",
    .open = ws_open,
    .send = ws_send,
    .recv = ws_recv,
    .pending = ws_pending,
    .shutdown = ws_shutdown,
    .close = ws_close_state,
    .describe = ws_describe,
};

const net_transport *const net_ws_layer = &net_ws_transport;

net_conn *net_ws_of(net_conn *c)
{
    for (; c; c = c->lower)
        if (c->ops == &net_ws_transport)
            return c;
    return NULL;
}

void net_ws_split(net_conn *ws, size_t frame_max, bool fragment)
{
    ws_state *s = ws->state;
    s->frame_max = frame_max;
    s->fragment = fragment;
}

void net_ws_text(net_conn *ws, bool text)
{
    ((ws_state *)ws->state)->text = text;
}

void net_ws_hold(net_conn *ws)
{
    ((ws_state *)ws->state)->hold = true;
}

net_status net_ws_flush(net_conn *ws, int64_t deadline)
{
    ws_state *s = ws->state;
    s->hold = false;
    if (!s->held_len)
        return NET_OK;
    net_status st = put_data(ws, s->held, s->held_len, deadline);
    s->held_len = 0;
    return st;
}

const char *net_ws_statement(const net_conn *ws)
{
    const ws_state *s = ws->state;
    const char *ref = s ? ws_err_reference(s->failed) : NULL;
    return ref && strncmp(ref, "MQTT-", 5) == 0 ? ref : NULL;
}
