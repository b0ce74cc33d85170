/* `mqtk pcap --json`: one JSON object per event (JSON Lines). A packet's object carries the capture
 * metadata and, under "packet", exactly what `mqtk decode --json` prints for it. */
#include <stdio.h>
#include <string.h>

#include "format/json_write.h"
#include "format/packet_json.h"
#include "pcap_output.h"
#include "capture/tls_hello.h"
#include "format/text_out.h"

static const char *const event_names[] = {
    [CAP_EV_PACKET] = "packet",         [CAP_EV_MALFORMED] = "malformed",
    [CAP_EV_TRUNCATED] = "truncated",   [CAP_EV_GAP] = "gap",
    [CAP_EV_RESYNC] = "resync",         [CAP_EV_VERSION] = "version",
    [CAP_EV_FRAME_WARNING] = "warning", [CAP_EV_STREAM_END] = "stream_end",
    [CAP_EV_TRANSPORT] = "transport",   [CAP_EV_WS_ERROR] = "websocket_error",
};

static const char *const transport_names[] = {
    [CAP_TRANSPORT_TCP] = "tcp", [CAP_TRANSPORT_WEBSOCKET] = "websocket", [CAP_TRANSPORT_TLS] = "tls"};

static const char *const what_names[] = {[CAP_TR_WS_UPGRADE] = "upgrade",
                                         [CAP_TR_WS_CLOSE] = "close",
                                         [CAP_TR_WS_STOPPED] = "stopped",
                                         [CAP_TR_TLS_HELLO] = "hello",
                                         [CAP_TR_TLS_END] = "end"};

const char *pcap_transport_name(cap_transport t)
{
    return (unsigned)t <= CAP_TRANSPORT_TLS ? transport_names[t] : "tcp";
}

static void key_endpoint(fmt_json_writer *w, const char *key, const cap_endpoint *ep)
{
    size_t n;
    char scratch[64];
    const char *text = pcap_endpoint_text(ep, scratch, &n);
    fmt_jw_key(w, key);
    fmt_jw_name(w, text, n);
}

/* An "error" object: the rule, in words, where it is stated (ref_key: "statement" for MQTT rules,
 * "reference" for WebSocket ones; null when unstated) and the byte offset. */
static void write_rule(fmt_json_writer *w, const char *name, const char *description, const char *ref_key,
                       const char *ref, uint64_t offset)
{
    fmt_jw_key(w, "error");
    fmt_jw_object_begin(w);
    fmt_jw_key(w, "rule");
    fmt_jw_cstring(w, name);
    fmt_jw_key(w, "description");
    fmt_jw_cstring(w, description);
    fmt_jw_key(w, ref_key);
    if (ref)
        fmt_jw_cstring(w, ref);
    else
        fmt_jw_null(w);
    fmt_jw_key(w, "offset");
    fmt_jw_uint(w, offset);
    fmt_jw_object_end(w);
}

static void write_error(fmt_json_writer *w, const cap_event *ev)
{
    const char *statement = ev->error.statement;
    if (!statement)
        statement = mqtt_err_statement(ev->error.code, ev->version ? ev->version : MQTT_V5);
    /* offset from the packet's first byte */
    write_rule(w, mqtt_err_name(ev->error.code), mqtt_err_description(ev->error.code), "statement", statement,
               ev->error.offset);
}

/* "stream" to "dst" (or "client" and "server"): what every event of a stream in one direction repeats. */
static void write_stream_members(fmt_json_writer *w, const cap_event *ev)
{
    fmt_jw_key(w, "stream");
    fmt_jw_uint(w, ev->stream->id);
    if (ev->stream->transport != CAP_TRANSPORT_TCP) { /* plain TCP events keep their old shape */
        fmt_jw_key(w, "transport");
        fmt_jw_cstring(w, pcap_transport_name(ev->stream->transport));
    }
    const cap_endpoint *src, *dst;
    pcap_event_endpoints(ev, &src, &dst);
    if (ev->dir >= 0) {
        fmt_jw_key(w, "direction");
        fmt_jw_cname(w, ev->dir == CAP_C2S ? "client_to_server" : "server_to_client");
        key_endpoint(w, "src", src);
        key_endpoint(w, "dst", dst);
    } else {
        key_endpoint(w, "client", &ev->stream->client);
        key_endpoint(w, "server", &ev->stream->server);
    }
}

/* "timestamp" and "time_relative" as pcap_format_time writes them, straight into the writer on its
 * fast path (a capture time not before 1970): without the scratch copies and the length scans, about
 * 100 instructions an event fewer. False: the caller takes the general way. */
static bool write_times_fast(fmt_json_writer *w, const pcap_printer *p, const cap_event *ev)
{
    static const char ts_key[] = "\"timestamp\":\"", rel_key[] = "\",\"time_relative\":\"";
    enum { ROOM = sizeof ts_key + sizeof rel_key + 2 * FMT_TXT_UINT_MAX_DIGITS + 20 };
    if (ev->ts_sec < 0 || !fmt_jw_fast(w, ROOM))
        return false;
    const cap_pcap_totals *t = p->totals;
    cap_time_span d = cap_time_between((int64_t)t->first_frame_ts_sec, t->first_frame_ts_nsec, ev->ts_sec, ev->ts_nsec);
    char *q = fmt_jw_fast_item(w);
    memcpy(q, ts_key, sizeof ts_key - 1);
    q += sizeof ts_key - 1;
    q += fmt_txt_format_uint(q, (uint64_t)ev->ts_sec);
    *q++ = '.';
    fmt_txt_format_digits(q, ev->ts_nsec, 9);
    q += 9;
    memcpy(q, rel_key, sizeof rel_key - 1);
    q += sizeof rel_key - 1;
    if (d.negative)
        *q++ = '-';
    q += fmt_txt_format_uint(q, d.sec);
    *q++ = '.';
    fmt_txt_format_digits(q, d.nsec / 1000, 6);
    q += 6;
    *q++ = '"';
    w->len = (size_t)(q - w->buf);
    w->need_comma = true;
    return true;
}

static void write_metadata(fmt_json_writer *w, const pcap_printer *p, const cap_event *ev)
{
    fmt_jw_key_cname(w, "event", event_names[ev->kind]);
    fmt_jw_key_uint(w, "frame", ev->frame);
    if (!write_times_fast(w, p, ev)) {
        char rel[32], abs[32];
        size_t rel_len = pcap_format_time(p->totals, ev, rel, sizeof rel, abs, sizeof abs);
        fmt_jw_key_cname(w, "timestamp", abs);
        fmt_jw_key_name(w, "time_relative", rel, rel_len);
    }
    if (!ev->stream)
        return;
    bool held;
    pcap_stream_slot *slot = pcap_stream_find(p, ev, &held);
    if (held) { /* written after a value, as when it was kept: it starts with its comma */
        fmt_jw_raw(w, slot->text, slot->len);
        return;
    }
    size_t start = w->len; /* the writer grows, never flushes midway: the members stay together */
    write_stream_members(w, ev);
    if (slot)
        pcap_stream_keep(slot, ev, w->buf + start, w->len - start);
}

static void write_stream_stats(fmt_json_writer *w, const cap_stream_info *info)
{
    const cap_stream_stats *st = &info->stats;
    fmt_jw_key(w, "version");
    if (info->version)
        fmt_jw_cstring(w, mqtt_version_name(info->version));
    else
        fmt_jw_null(w);
    fmt_jw_key(w, "version_source");
    fmt_jw_cstring(w, pcap_version_source_name(info->version_source));
    fmt_jw_key(w, "roles_guessed");
    fmt_jw_bool(w, info->roles_guessed);
    fmt_jw_key(w, "mid_stream");
    fmt_jw_bool(w, info->mid_stream);
    static const char *const counts[] = {"packets_client_to_server", "packets_server_to_client",
                                         "malformed_client_to_server", "malformed_server_to_client",
                                         "bytes_client_to_server", "bytes_server_to_client"};
    const uint64_t values[] = {st->packets[0], st->packets[1], st->malformed[0], st->malformed[1], st->bytes[0],
                               st->bytes[1]};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        fmt_jw_key(w, counts[i]);
        fmt_jw_uint(w, values[i]);
    }
    fmt_jw_key(w, "gaps");
    fmt_jw_uint(w, st->gaps);
    fmt_jw_key(w, "gap_bytes");
    fmt_jw_uint(w, st->gap_bytes);
    fmt_jw_key(w, "resyncs");
    fmt_jw_uint(w, st->resyncs);
    fmt_jw_key(w, "skipped_bytes");
    fmt_jw_uint(w, st->skipped_bytes);
    fmt_jw_key(w, "retransmitted_bytes");
    fmt_jw_uint(w, st->retransmitted_bytes);
    fmt_jw_key(w, "first_frame");
    fmt_jw_uint(w, st->first_frame);
    fmt_jw_key(w, "last_frame");
    fmt_jw_uint(w, st->last_frame);
}

static void key_tls_version(fmt_json_writer *w, const char *key, uint16_t v)
{
    char name[16];
    fmt_jw_key(w, key);
    if (!v) {
        fmt_jw_null(w);
        return;
    }
    cap_tls_version_name(v, name, sizeof name);
    fmt_jw_cstring(w, name);
}

/* What the stream's transport told: the WebSocket handshake and frame counts, or the TLS hellos. */
static void write_transport_info(fmt_json_writer *w, const cap_stream_info *info, bool with_name)
{
    if (with_name) { /* events carry it in their metadata already */
        fmt_jw_key(w, "transport");
        fmt_jw_cstring(w, pcap_transport_name(info->transport));
    }
    if (info->transport == CAP_TRANSPORT_WEBSOCKET) {
        fmt_jw_key(w, "websocket");
        fmt_jw_object_begin(w);
        fmt_jw_key(w, "path");
        fmt_jw_cstring(w, info->ws.path);
        fmt_jw_key(w, "subprotocol");
        fmt_jw_cstring(w, info->ws.subprotocol);
        fmt_jw_key(w, "status");
        fmt_jw_uint(w, info->ws.status);
        fmt_jw_key(w, "frames_client_to_server");
        fmt_jw_uint(w, info->ws.frames[CAP_C2S]);
        fmt_jw_key(w, "frames_server_to_client");
        fmt_jw_uint(w, info->ws.frames[CAP_S2C]);
        fmt_jw_key(w, "control_frames");
        fmt_jw_uint(w, info->ws.control_frames);
        fmt_jw_key(w, "errors");
        fmt_jw_uint(w, info->ws.errors);
        fmt_jw_key(w, "unread_bytes");
        fmt_jw_uint(w, info->ws.unread_bytes);
        fmt_jw_object_end(w);
    } else if (info->transport == CAP_TRANSPORT_TLS) {
        fmt_jw_key(w, "tls");
        fmt_jw_object_begin(w);
        key_tls_version(w, "client_version", info->tls.client_version);
        key_tls_version(w, "offered_max", info->tls.offered_max);
        key_tls_version(w, "selected", info->tls.selected);
        fmt_jw_key(w, "sni");
        if (info->tls.sni[0])
            fmt_jw_cstring(w, info->tls.sni);
        else
            fmt_jw_null(w);
        fmt_jw_object_end(w);
    }
}

static void write_body(fmt_json_writer *w, const cap_event *ev)
{
    switch (ev->kind) {
    case CAP_EV_PACKET:
        fmt_jw_key_uint(w, "offset", ev->offset);
        fmt_jw_key(w, "packet");
        fmt_packet_json_write(w, ev->packet, ev->version, ev->offset, ev->raw_len);
        break;
    case CAP_EV_MALFORMED:
    case CAP_EV_TRUNCATED:
        fmt_jw_key(w, "offset");
        fmt_jw_uint(w, ev->offset);
        fmt_jw_key(w, "version");
        fmt_jw_cstring(w, mqtt_version_name(ev->version ? ev->version : MQTT_V5));
        fmt_jw_key(w, "length");
        fmt_jw_uint(w, ev->raw_len);
        fmt_jw_key(w, "bytes");
        fmt_jw_hex(w, ev->raw, ev->raw_len);
        write_error(w, ev);
        break;
    case CAP_EV_GAP:
        fmt_jw_key(w, "offset");
        fmt_jw_uint(w, ev->offset);
        fmt_jw_key(w, "seq");
        fmt_jw_uint(w, ev->seq);
        fmt_jw_key(w, "missing");
        fmt_jw_uint(w, ev->count);
        fmt_jw_key(w, "dropped");
        fmt_jw_uint(w, ev->dropped);
        break;
    case CAP_EV_RESYNC:
        fmt_jw_key(w, "offset");
        fmt_jw_uint(w, ev->offset);
        fmt_jw_key(w, "found");
        fmt_jw_bool(w, ev->found);
        fmt_jw_key(w, "skipped");
        fmt_jw_uint(w, ev->count);
        fmt_jw_key(w, "reason");
        fmt_jw_cstring(w, ev->message);
        break;
    case CAP_EV_VERSION:
        fmt_jw_key(w, "version");
        fmt_jw_cstring(w, mqtt_version_name(ev->version));
        fmt_jw_key(w, "source");
        fmt_jw_cstring(w, pcap_version_source_name(ev->stream->version_source));
        fmt_jw_key(w, "reason");
        fmt_jw_cstring(w, ev->message);
        break;
    case CAP_EV_FRAME_WARNING:
        fmt_jw_key(w, "message");
        fmt_jw_cstring(w, ev->message);
        break;
    case CAP_EV_TRANSPORT:
        fmt_jw_key(w, "what");
        fmt_jw_cstring(w, what_names[ev->what]);
        fmt_jw_key(w, "message");
        fmt_jw_cstring(w, ev->message);
        if (ev->what == CAP_TR_WS_CLOSE) {
            fmt_jw_key(w, "close_code");
            if (ev->close_code)
                fmt_jw_uint(w, ev->close_code);
            else
                fmt_jw_null(w);
            fmt_jw_key(w, "reason");
            fmt_jw_string(w, ev->text, ev->text_len);
        } else if (ev->what == CAP_TR_WS_UPGRADE || ev->what == CAP_TR_TLS_HELLO) {
            write_transport_info(w, ev->stream, false);
        } else if (ev->what == CAP_TR_TLS_END) {
            fmt_jw_key(w, "bytes_client_to_server");
            fmt_jw_uint(w, ev->stream->stats.bytes[CAP_C2S]);
            fmt_jw_key(w, "bytes_server_to_client");
            fmt_jw_uint(w, ev->stream->stats.bytes[CAP_S2C]);
        }
        break;
    case CAP_EV_WS_ERROR:
        fmt_jw_key(w, "offset");
        fmt_jw_uint(w, ev->offset);
        fmt_jw_key(w, "length");
        fmt_jw_uint(w, ev->raw_len);
        fmt_jw_key(w, "bytes");
        fmt_jw_hex(w, ev->raw, ev->raw_len);
        write_rule(w, ws_err_name(ev->ws_error.code), ws_err_description(ev->ws_error.code), "reference",
                   ws_err_reference(ev->ws_error.code), ev->ws_error.offset);
        fmt_jw_key(w, "consequence");
        if (ev->message)
            fmt_jw_cstring(w, ev->message);
        else
            fmt_jw_null(w);
        break;
    case CAP_EV_STREAM_END:
        write_stream_stats(w, ev->stream);
        break;
    }
}

void pcap_json_stream(fmt_json_writer *w, const cap_stream_info *info)
{
    fmt_jw_object_begin(w);
    fmt_jw_key(w, "stream");
    fmt_jw_uint(w, info->id);
    key_endpoint(w, "client", &info->client);
    key_endpoint(w, "server", &info->server);
    write_transport_info(w, info, true);
    write_stream_stats(w, info);
    fmt_jw_object_end(w);
}

/* Flushed at JSON_FLUSH_BYTES; the buffer is sized once for that and one more event of the usual
 * size (growing from empty through every power of two copied about 100 KiB: ~40 instructions a
 * packet of a 0.66 MB capture). */
enum { JSON_FLUSH_BYTES = 64 * 1024, JSON_BUFFER_BYTES = 2 * JSON_FLUSH_BYTES };

void pcap_print_json(void *ctx, const cap_event *ev)
{
    pcap_printer *p = ctx;
    if (ev->kind == CAP_EV_STREAM_END)
        return;
    fmt_json_writer *w = p->json; /* kept across events: no allocation per event, one write per 64 KiB */
    if (w->cap < JSON_BUFFER_BYTES)
        fmt_jw_reserve(w, JSON_BUFFER_BYTES - w->len);
    fmt_jw_object_begin(w);
    write_metadata(w, p, ev);
    write_body(w, ev);
    fmt_jw_object_end(w);
    fmt_jw_line_end(w);
    if (w->len >= JSON_FLUSH_BYTES)
        fmt_jw_flush(w, p->out);
}

void pcap_printer_flush(pcap_printer *p)
{
    if (p->json && p->json->len)
        fmt_jw_flush(p->json, p->out);
    if (p->text)
        fmt_txt_flush(p->text);
    fflush(p->out);
}
