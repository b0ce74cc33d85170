/* The transport layer of a captured connection: sniffing its first bytes, WebSocket frames (RFC
 * 6455) with lib/ws, and TLS hellos. See stream_transport.h. */
#include "stream_transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls_hello.h"

enum {
    HTTP_MAX = 16384,   /* an opening handshake longer than this is not taken as one */
    UNMASK_CHUNK = 4096 /* masked payload is unmasked into a stack buffer this size at a time */
};

static const char STOP_AFTER_ERROR[] = "the rest of this direction's frames are not followed";

/* ---------------------------------------------------------------- buffers */

static bool buf_append(cap_xport_buf *b, const uint8_t *p, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *grown = realloc(b->data, cap);
        if (!grown)
            return false;
        b->data = grown;
        b->cap = cap;
    }
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    return true;
}

static void buf_release(cap_xport_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

static int dir_of(const cap_stream *s, int sender)
{
    return sender == s->client ? CAP_C2S : CAP_S2C;
}

/* ---------------------------------------------------------------- plain TCP */

/* Not WebSocket, not TLS: what was held goes to MQTT as it came. */
static void go_plain(cap_stream_transport *t, cap_stream *s)
{
    t->state = CAP_XPORT_PLAIN;
    for (int i = 0; i < 2; i++) {
        cap_xport_buf held = t->held[i];
        t->held[i] = (cap_xport_buf){NULL, 0, 0};
        if (held.len)
            cap_stream_data(s, i, t->from_start[i], held.data, held.len);
        buf_release(&held);
    }
}

/* ---------------------------------------------------------------- events */

static void transport_event(cap_stream *s, int dir, cap_transport_what what, const char *message)
{
    cap_event ev = {.kind = CAP_EV_TRANSPORT, .dir = dir, .what = what, .message = message, .version = s->info.version};
    cap_stream_emit(s, &ev);
}

/* A WebSocket rule broken at offset (from raw) of the bytes raw, which start at stream position pos. */
static void ws_error_event(cap_stream *s, int sender, ws_err code, uint64_t offset, const uint8_t *raw,
                           size_t raw_len, uint64_t pos, const char *consequence)
{
    cap_event ev = {.kind = CAP_EV_WS_ERROR,
                    .dir = dir_of(s, sender),
                    .version = s->info.version,
                    .ws_error = {.code = code, .offset = offset},
                    .raw = raw,
                    .raw_len = (uint32_t)raw_len,
                    .offset = pos,
                    .message = consequence};
    s->info.ws.errors++;
    cap_stream_emit(s, &ev);
}

/* ---------------------------------------------------------------- TLS */

static void tls_record(cap_stream_transport *t, cap_stream *s, int sender)
{
    cap_xport_buf *b = &t->held[sender];
    cap_tls_info *tls = &s->info.tls;
    if (sender == s->client || tls->server_hello)
        return;
    size_t need;
    cap_tls_sniff r = cap_tls_sniff_record(b->data, b->len, &need);
    if (r == CAP_TLS_SNIFF_MORE)
        return;
    if (r == CAP_TLS_SNIFF_YES && cap_tls_parse_server_hello(b->data, b->len, tls)) {
        char v[16], msg[64];
        cap_tls_version_name(tls->selected, v, sizeof v);
        snprintf(msg, sizeof msg, "ServerHello: %s selected", v);
        transport_event(s, CAP_S2C, CAP_TR_TLS_HELLO, msg);
    }
    tls->server_hello = true; /* read once, whatever it was */
    buf_release(b);
}

static void tls_data(cap_stream_transport *t, cap_stream *s, int sender, const uint8_t *p, size_t n)
{
    s->info.stats.bytes[dir_of(s, sender)] += n;
    if (sender != s->client && !s->info.tls.server_hello && t->held[sender].len + n <= CAP_TLS_RECORD_MAX + 5) {
        if (buf_append(&t->held[sender], p, n))
            tls_record(t, s, sender);
    }
}

static void start_tls(cap_stream_transport *t, cap_stream *s, int client)
{
    t->state = CAP_XPORT_TLS;
    cap_stream_set_transport(s, CAP_TRANSPORT_TLS, client);
    const cap_tls_info *tls = &s->info.tls;
    char v[16], offered[16], msg[400];
    cap_tls_version_name(tls->client_version, v, sizeof v);
    cap_tls_version_name(tls->offered_max, offered, sizeof offered);
    snprintf(msg, sizeof msg, "ClientHello: %s%s%s%s, server name %s%s%s; encrypted, not decoded", v,
             tls->offered_max ? " (offers up to " : "", tls->offered_max ? offered : "", tls->offered_max ? ")" : "",
             tls->sni[0] ? "\"" : "", tls->sni[0] ? tls->sni : "none", tls->sni[0] ? "\"" : "");
    transport_event(s, CAP_C2S, CAP_TR_TLS_HELLO, msg);
    for (int i = 0; i < 2; i++) {
        cap_xport_buf held = t->held[i];
        t->held[i] = (cap_xport_buf){NULL, 0, 0};
        if (held.len)
            tls_data(t, s, i, held.data, held.len);
        buf_release(&held);
    }
}

/* ---------------------------------------------------------------- WebSocket frames */

static void ws_stop(cap_xport_ws_dir *d)
{
    d->stopped = true;
    d->in_frame = false;
}

static void close_frame(cap_stream *s, int sender, cap_xport_ws_dir *d)
{
    size_t n = (size_t)d->frame.payload_len;
    ws_mask(d->control, d->control, n, d->frame.mask, 0);
    ws_close c;
    ws_error e;
    if (ws_close_parse(d->control, n, &c, &e) != WS_COMPLETE) {
        ws_error_event(s, sender, e.code, d->frame.header_len + e.offset, d->hdr, d->frame.header_len, d->frame_pos,
                       NULL);
        return;
    }
    char msg[64];
    if (c.has_code)
        snprintf(msg, sizeof msg, "close, status %u", (unsigned)c.code);
    else
        snprintf(msg, sizeof msg, "close without a status");
    cap_event ev = {.kind = CAP_EV_TRANSPORT,
                    .dir = dir_of(s, sender),
                    .what = CAP_TR_WS_CLOSE,
                    .message = msg,
                    .close_code = c.code,
                    .text = c.reason,
                    .text_len = c.reason_len,
                    .offset = d->frame_pos};
    cap_stream_emit(s, &ev);
}

static void end_frame(cap_stream *s, int sender, cap_xport_ws_dir *d)
{
    if (d->frame.opcode == WS_OP_CLOSE)
        close_frame(s, sender, d);
    d->in_frame = false;
    d->hdr_len = d->hdr_need = 0;
}

static void begin_frame(cap_stream *s, int sender, cap_xport_ws_dir *d)
{
    const ws_frame *f = &d->frame;
    s->info.ws.frames[dir_of(s, sender)]++;
    if (ws_opcode_is_control(f->opcode))
        s->info.ws.control_frames++;
    ws_err e = ws_message_frame(&d->msg, f);
    if (e != WS_OK) {
        ws_error_event(s, sender, e, 0, d->hdr, f->header_len, d->frame_pos, STOP_AFTER_ERROR);
        ws_stop(d);
        return;
    }
    if (f->opcode == WS_OP_TEXT)
        ws_error_event(s, sender, WS_ERR_MQTT_NOT_BINARY, 0, d->hdr, f->header_len, d->frame_pos,
                       "its payload is not taken as MQTT");
    d->in_frame = true;
    d->payload_left = f->payload_len;
    d->payload_pos = 0;
    if (!d->payload_left)
        end_frame(s, sender, d);
}

/* Payload bytes of the current frame: control payloads are kept for the end of the frame, binary
 * message payload goes on to MQTT unmasked, text message payload is passed over. */
static void payload(cap_stream *s, int sender, cap_xport_ws_dir *d, const uint8_t *p, size_t k)
{
    const ws_frame *f = &d->frame;
    if (ws_opcode_is_control(f->opcode)) {
        memcpy(d->control + d->payload_pos, p, k);
    } else if (d->msg.opcode == WS_OP_BINARY) {
        if (!f->masked) {
            cap_stream_data(s, sender, true, p, k);
        } else {
            uint8_t chunk[UNMASK_CHUNK];
            for (size_t done = 0; done < k;) {
                size_t m = k - done < sizeof chunk ? k - done : sizeof chunk;
                ws_mask(chunk, p + done, m, f->mask, d->payload_pos + done);
                cap_stream_data(s, sender, true, chunk, m);
                done += m;
            }
        }
    } else {
        s->info.ws.unread_bytes += k;
    }
    d->payload_pos += k;
    d->payload_left -= k;
}

static void ws_frames(cap_stream_transport *t, cap_stream *s, int sender, const uint8_t *p, size_t n)
{
    cap_xport_ws_dir *d = &t->ws[sender];
    ws_decode_opts opts = {.sender = sender == s->client ? WS_SENDER_CLIENT : WS_SENDER_SERVER,
                           .rsv_allowed = 0, .max_payload = 0};
    while (n) {
        if (d->stopped) {
            s->info.ws.unread_bytes += n;
            d->pos += n;
            return;
        }
        size_t k;
        if (d->in_frame) {
            k = d->payload_left < n ? (size_t)d->payload_left : n;
            payload(s, sender, d, p, k);
            if (!d->payload_left)
                end_frame(s, sender, d);
        } else {
            /* collect exactly the header's bytes: what follows it is payload */
            if (d->hdr_len == 0)
                d->frame_pos = d->pos;
            size_t want = d->hdr_need ? d->hdr_need : 2;
            k = want - d->hdr_len < n ? want - d->hdr_len : n;
            memcpy(d->hdr + d->hdr_len, p, k);
            d->hdr_len += k;
            ws_result r = ws_frame_header(d->hdr, d->hdr_len, &opts, &d->frame);
            if (r == WS_NEED_MORE) {
                d->hdr_need = (size_t)d->frame.need;
            } else if (r == WS_MALFORMED) {
                ws_error_event(s, sender, d->frame.error.code, d->frame.error.offset, d->hdr, d->hdr_len,
                               d->frame_pos, STOP_AFTER_ERROR);
                d->pos += k;
                p += k;
                n -= k;
                ws_stop(d);
                continue;
            } else {
                d->pos += k;
                p += k;
                n -= k;
                begin_frame(s, sender, d);
                continue;
            }
        }
        d->pos += k;
        p += k;
        n -= k;
    }
}

/* ---------------------------------------------------------------- WebSocket handshake */

static bool is_mqtt_protocol(ws_str v)
{
    return (v.len == 4 && memcmp(v.data, "mqtt", 4) == 0) || (v.len == 8 && memcmp(v.data, "mqttv3.1", 8) == 0);
}

static void copy_str(char *out, size_t cap, ws_str v)
{
    size_t n = v.len < cap - 1 ? v.len : cap - 1;
    for (size_t i = 0; i < n; i++)
        out[i] = v.data[i] >= 0x20 && v.data[i] < 0x7F ? v.data[i] : '?';
    out[n] = '\0';
}

static void upgrade_request(cap_stream_transport *t, cap_stream *s, int sender, const ws_http *h, const uint8_t *raw)
{
    cap_ws_info *ws = &s->info.ws;
    copy_str(ws->path, sizeof ws->path, h->target);
    bool mqtt = ws_http_offers_protocol(h, "mqtt"), v31 = ws_http_offers_protocol(h, "mqttv3.1");
    if (!ws->subprotocol[0] && (mqtt || v31))
        snprintf(ws->subprotocol, sizeof ws->subprotocol, "%s", mqtt ? "mqtt" : "mqttv3.1");
    char msg[256];
    snprintf(msg, sizeof msg, "upgrade request GET %s, %s offered", ws->path,
             mqtt ? "subprotocol mqtt" : v31 ? "subprotocol mqttv3.1" : "no MQTT subprotocol");
    transport_event(s, dir_of(s, sender), CAP_TR_WS_UPGRADE, msg);
    ws_error e;
    if (ws_check_request(h, raw, NULL, &e) != WS_COMPLETE)
        ws_error_event(s, sender, e.code, e.offset, raw, h->length, 0, NULL);
    else if (!mqtt && !v31)
        ws_error_event(s, sender, WS_ERR_MQTT_NOT_OFFERED, 0, raw, h->length, 0, NULL);
    if (h->key.data && ws_key_valid(h->key.data, h->key.len))
        ws_accept_for_key(h->key.data, h->key.len, t->accept);
}

static void upgrade_response(cap_stream_transport *t, cap_stream *s, int sender, const ws_http *h, const uint8_t *raw)
{
    cap_ws_info *ws = &s->info.ws;
    ws->status = h->status;
    if (h->protocol.data)
        copy_str(ws->subprotocol, sizeof ws->subprotocol, h->protocol);
    char msg[256];
    snprintf(msg, sizeof msg, "upgrade answer %u, subprotocol %s", (unsigned)h->status,
             h->protocol.data ? ws->subprotocol : "none");
    transport_event(s, dir_of(s, sender), CAP_TR_WS_UPGRADE, msg);
    if (h->status != 101) {
        ws_error_event(s, sender, WS_ERR_HTTP_STATUS, 0, raw, h->length, 0, "the connection is not a WebSocket");
        ws_stop(&t->ws[0]);
        ws_stop(&t->ws[1]);
        return;
    }
    ws_error e = {WS_OK, 0};
    if (!h->upgrade.data || !ws_token_list_has(h->upgrade, "websocket"))
        e.code = WS_ERR_HTTP_UPGRADE;
    else if (!h->connection.data || !ws_token_list_has(h->connection, "upgrade"))
        e.code = WS_ERR_HTTP_CONNECTION;
    else if (t->accept[0] && (h->accept.len != WS_ACCEPT_LEN || memcmp(h->accept.data, t->accept, WS_ACCEPT_LEN)))
        e.code = WS_ERR_HTTP_ACCEPT;
    else if (!h->protocol.data || !is_mqtt_protocol(h->protocol))
        e.code = WS_ERR_MQTT_SUBPROTOCOL;
    if (e.code != WS_OK)
        ws_error_event(s, sender, e.code, 0, raw, h->length, 0, NULL);
}

/* The header block that opens a direction, gathered in held[sender]. */
static void ws_http_block(cap_stream_transport *t, cap_stream *s, int sender)
{
    cap_xport_buf *b = &t->held[sender];
    cap_xport_ws_dir *d = &t->ws[sender];
    ws_http h;
    ws_error e;
    ws_result r = ws_http_parse(b->data, b->len, HTTP_MAX, &h, &e);
    if (r == WS_NEED_MORE)
        return;
    d->http = false;
    if (r == WS_MALFORMED) {
        ws_error_event(s, sender, e.code, e.offset, b->data, b->len < 64 ? b->len : 64, 0, STOP_AFTER_ERROR);
        ws_stop(d);
        s->info.ws.unread_bytes += b->len;
        d->pos = b->len;
        buf_release(b);
        return;
    }
    if (h.is_response)
        upgrade_response(t, s, sender, &h, b->data);
    else
        upgrade_request(t, s, sender, &h, b->data);
    d->pos = h.length;
    cap_xport_buf block = *b;
    *b = (cap_xport_buf){NULL, 0, 0};
    ws_frames(t, s, sender, block.data + h.length, block.len - h.length);
    buf_release(&block);
}

static void ws_data(cap_stream_transport *t, cap_stream *s, int sender, const uint8_t *p, size_t n)
{
    cap_xport_ws_dir *d = &t->ws[sender];
    if (!d->http) {
        ws_frames(t, s, sender, p, n);
        return;
    }
    if (!buf_append(&t->held[sender], p, n)) {
        ws_stop(d);
        s->info.ws.unread_bytes += n;
        return;
    }
    ws_http_block(t, s, sender);
}

static void start_ws(cap_stream_transport *t, cap_stream *s, int client)
{
    t->state = CAP_XPORT_WEBSOCKET;
    cap_stream_set_transport(s, CAP_TRANSPORT_WEBSOCKET, client);
    for (int i = 0; i < 2; i++) {
        /* a direction opens with its header block unless the capture shows it started otherwise */
        t->ws[i].http = !t->seen[i] || (t->held[i].len && (t->held[i].data[0] == 'G' || t->held[i].data[0] == 'H'));
    }
    for (int i = 0; i < 2; i++) {
        int sender = i == 0 ? client : 1 - client; /* the request before the answer */
        if (!t->held[sender].len)
            continue;
        if (t->ws[sender].http) {
            ws_http_block(t, s, sender);
        } else {
            cap_xport_buf held = t->held[sender];
            t->held[sender] = (cap_xport_buf){NULL, 0, 0};
            ws_frames(t, s, sender, held.data, held.len);
            buf_release(&held);
        }
    }
}

/* ---------------------------------------------------------------- sniffing */

/* Bytes that may open a WebSocket or TLS connection: none is a valid first byte of MQTT ("G" and "H"
 * read as PUBACK with flags 7 and 8, 0x16 as CONNECT with flags 6). */
static bool may_open_transport(uint8_t first)
{
    return first == 'G' || first == 'H' || first == 0x16;
}

static bool prefix_ok(const cap_xport_buf *b, const char *word)
{
    size_t n = strlen(word), k = b->len < n ? b->len : n;
    return memcmp(b->data, word, k) == 0;
}

/* Decide from the held bytes of sender, or wait for more. */
static void sniff(cap_stream_transport *t, cap_stream *s, int sender)
{
    cap_xport_buf *b = &t->held[sender];
    if (b->data[0] == 0x16) {
        size_t need;
        cap_tls_sniff r = cap_tls_sniff_record(b->data, b->len, &need);
        if (r == CAP_TLS_SNIFF_MORE)
            return;
        if (r == CAP_TLS_SNIFF_YES && cap_tls_parse_client_hello(b->data, b->len, &s->info.tls))
            start_tls(t, s, sender);
        else
            go_plain(t, s);
        return;
    }
    if (!prefix_ok(b, "GET ") && !prefix_ok(b, "HTTP/1.")) {
        go_plain(t, s);
        return;
    }
    ws_http h;
    ws_error e;
    ws_result r = ws_http_parse(b->data, b->len, HTTP_MAX, &h, &e);
    if (r == WS_NEED_MORE)
        return;
    if (r == WS_MALFORMED) {
        go_plain(t, s);
        return;
    }
    bool upgrade = h.upgrade.data && ws_token_list_has(h.upgrade, "websocket");
    bool mqtt = h.is_response ? h.protocol.data && is_mqtt_protocol(h.protocol)
                              : ws_http_offers_protocol(&h, "mqtt") || ws_http_offers_protocol(&h, "mqttv3.1");
    bool port = s->mqtt_port[0] || s->mqtt_port[1];
    if (upgrade && (mqtt || port) && (!h.is_response || h.status == 101))
        start_ws(t, s, h.is_response ? 1 - sender : sender);
    else
        go_plain(t, s);
}

void cap_stream_transport_data(cap_stream_transport *t, cap_stream *s, int sender, bool from_start, const uint8_t *p,
                               size_t n)
{
    if (n == 0)
        return;
    switch (t->state) {
    case CAP_XPORT_PLAIN:
        cap_stream_data(s, sender, from_start, p, n);
        return;
    case CAP_XPORT_TLS:
        tls_data(t, s, sender, p, n);
        return;
    case CAP_XPORT_WEBSOCKET:
        ws_data(t, s, sender, p, n);
        return;
    case CAP_XPORT_UNDECIDED:
        break;
    }
    if (!t->seen[sender]) {
        t->seen[sender] = true;
        t->from_start[sender] = from_start;
    }
    /* a connection seen from its middle, or opening with bytes no transport starts with, is plain */
    if (!from_start || (!t->held[sender].len && !may_open_transport(p[0]))) {
        go_plain(t, s);
        cap_stream_data(s, sender, from_start, p, n);
        return;
    }
    if (!buf_append(&t->held[sender], p, n)) {
        go_plain(t, s);
        return;
    }
    sniff(t, s, sender);
}

void cap_stream_transport_gap(cap_stream_transport *t, cap_stream *s, int sender, uint32_t seq, uint32_t missing)
{
    switch (t->state) {
    case CAP_XPORT_UNDECIDED:
        go_plain(t, s);
        cap_stream_gap(s, sender, seq, missing);
        return;
    case CAP_XPORT_PLAIN:
        cap_stream_gap(s, sender, seq, missing);
        return;
    case CAP_XPORT_TLS:
        s->info.stats.gaps++;
        s->info.stats.gap_bytes += missing;
        return;
    case CAP_XPORT_WEBSOCKET:
        break;
    }
    cap_xport_ws_dir *d = &t->ws[sender];
    if (!d->stopped) {
        ws_stop(d);
        transport_event(s, dir_of(s, sender), CAP_TR_WS_STOPPED,
                        "bytes missing from the capture: WebSocket frames are not followed past a gap");
    }
    d->pos += missing;
    s->info.ws.unread_bytes += missing;
    cap_stream_gap(s, sender, seq, missing);
}

void cap_stream_transport_end(cap_stream_transport *t, cap_stream *s)
{
    if (t->state == CAP_XPORT_UNDECIDED) {
        go_plain(t, s); /* what was held never became a transport: MQTT (or nothing) decides */
        return;
    }
    if (t->state == CAP_XPORT_TLS) {
        char msg[128];
        snprintf(msg, sizeof msg, "stream ended: %llu bytes client to server, %llu server to client, not decoded",
                 (unsigned long long)s->info.stats.bytes[CAP_C2S], (unsigned long long)s->info.stats.bytes[CAP_S2C]);
        transport_event(s, -1, CAP_TR_TLS_END, msg);
        return;
    }
    if (t->state != CAP_XPORT_WEBSOCKET)
        return;
    for (int sender = 0; sender < 2; sender++) {
        cap_xport_ws_dir *d = &t->ws[sender];
        char msg[160];
        if (d->stopped) /* said when it stopped */
            continue;
        if (d->http && t->held[sender].len) {
            snprintf(msg, sizeof msg, "the stream ended inside an HTTP header block (%zu bytes)", t->held[sender].len);
            s->info.ws.unread_bytes += t->held[sender].len;
        } else if (d->in_frame) {
            snprintf(msg, sizeof msg, "the stream ended inside a %s frame: %llu of %llu payload bytes seen",
                     ws_opcode_name(d->frame.opcode), (unsigned long long)d->payload_pos,
                     (unsigned long long)d->frame.payload_len);
        } else if (d->hdr_len) {
            snprintf(msg, sizeof msg, "the stream ended inside a frame header (%zu of %zu bytes)", d->hdr_len,
                     d->hdr_need ? d->hdr_need : (size_t)2);
        } else {
            continue;
        }
        transport_event(s, dir_of(s, sender), CAP_TR_WS_STOPPED, msg);
    }
}

void cap_stream_transport_free(cap_stream_transport *t)
{
    buf_release(&t->held[0]);
    buf_release(&t->held[1]);
}
