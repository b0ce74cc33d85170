/* `mqtk pcap --json`: one JSON object per event (JSON Lines). A packet's object carries the capture
 * metadata and, under "packet", exactly what `mqtk decode --json` prints for it. */
#include <stdio.h>

#include "format/json_write.h"
#include "format/packet_json.h"
#include "pcap_output.h"
#include "capture/tls_hello.h"
#include "format/text_out.h"

static const char *const event_names[] = {
    [MQTK_EV_PACKET] = "packet",   [MQTK_EV_MALFORMED] = "malformed", [MQTK_EV_TRUNCATED] = "truncated",
    [MQTK_EV_GAP] = "gap",         [MQTK_EV_RESYNC] = "resync",       [MQTK_EV_VERSION] = "version",
    [MQTK_EV_FRAME_WARNING] = "warning", [MQTK_EV_STREAM_END] = "stream_end",
    [MQTK_EV_TRANSPORT] = "transport", [MQTK_EV_WS_ERROR] = "websocket_error",
};

static const char *const transport_names[] = {
    [MQTK_TRANSPORT_TCP] = "tcp", [MQTK_TRANSPORT_WEBSOCKET] = "websocket", [MQTK_TRANSPORT_TLS] = "tls"};

static const char *const what_names[] = {
    [MQTK_TR_WS_UPGRADE] = "upgrade", [MQTK_TR_WS_CLOSE] = "close", [MQTK_TR_WS_STOPPED] = "stopped",
    [MQTK_TR_TLS_HELLO] = "hello",    [MQTK_TR_TLS_END] = "end"};

const char *pcap_transport_name(mqtk_transport t)
{
    return (unsigned)t <= MQTK_TRANSPORT_TLS ? transport_names[t] : "tcp";
}

static void key_endpoint(json_writer *w, const pcap_printer *p, const char *key, const mqtk_endpoint *ep)
{
    size_t n;
    char scratch[64];
    const char *text = pcap_endpoint_text(p, ep, scratch, &n);
    jw_key(w, key);
    jw_name(w, text, n);
}

/* An "error" object: the rule, in words, where it is stated (ref_key: "statement" for MQTT rules,
 * "reference" for WebSocket ones; null when unstated) and the byte offset. */
static void write_rule(json_writer *w, const char *name, const char *description, const char *ref_key,
                       const char *ref, uint64_t offset)
{
    jw_key(w, "error");
    jw_object_begin(w);
    jw_key(w, "rule");
    jw_cstring(w, name);
    jw_key(w, "description");
    jw_cstring(w, description);
    jw_key(w, ref_key);
    if (ref)
        jw_cstring(w, ref);
    else
        jw_null(w);
    jw_key(w, "offset");
    jw_uint(w, offset);
    jw_object_end(w);
}

static void write_error(json_writer *w, const mqtk_event *ev)
{
    const char *statement = ev->error.statement;
    if (!statement)
        statement = mqtt_err_statement(ev->error.code, ev->version ? ev->version : MQTT_V5);
    /* offset from the packet's first byte */
    write_rule(w, mqtt_err_name(ev->error.code), mqtt_err_description(ev->error.code), "statement", statement,
               ev->error.offset);
}

static void write_metadata(json_writer *w, const pcap_printer *p, const mqtk_event *ev)
{
    char rel[32], abs[32];
    size_t rel_len = pcap_format_time(p->totals, ev, rel, sizeof rel, abs, sizeof abs);
    jw_key(w, "event");
    jw_cname(w, event_names[ev->kind]);
    jw_key(w, "frame");
    jw_uint(w, ev->frame);
    jw_key(w, "timestamp");
    jw_cname(w, abs);
    jw_key(w, "time_relative");
    jw_name(w, rel, rel_len);
    if (!ev->stream)
        return;
    jw_key(w, "stream");
    jw_uint(w, ev->stream->id);
    if (ev->stream->transport != MQTK_TRANSPORT_TCP) { /* plain TCP events keep their old shape */
        jw_key(w, "transport");
        jw_cstring(w, pcap_transport_name(ev->stream->transport));
    }
    const mqtk_endpoint *src, *dst;
    pcap_event_endpoints(ev, &src, &dst);
    if (ev->dir >= 0) {
        jw_key(w, "direction");
        jw_cname(w, ev->dir == MQTK_C2S ? "client_to_server" : "server_to_client");
        key_endpoint(w, p, "src", src);
        key_endpoint(w, p, "dst", dst);
    } else {
        key_endpoint(w, p, "client", &ev->stream->client);
        key_endpoint(w, p, "server", &ev->stream->server);
    }
}

static void write_stream_stats(json_writer *w, const mqtk_stream_info *info)
{
    const mqtk_stream_stats *st = &info->stats;
    jw_key(w, "version");
    if (info->version)
        jw_cstring(w, mqtt_version_name(info->version));
    else
        jw_null(w);
    jw_key(w, "version_source");
    jw_cstring(w, pcap_version_source_name(info->version_source));
    jw_key(w, "roles_guessed");
    jw_bool(w, info->roles_guessed);
    jw_key(w, "mid_stream");
    jw_bool(w, info->mid_stream);
    static const char *const counts[] = {"packets_client_to_server", "packets_server_to_client",
                                         "malformed_client_to_server", "malformed_server_to_client",
                                         "bytes_client_to_server", "bytes_server_to_client"};
    const uint64_t values[] = {st->packets[0], st->packets[1], st->malformed[0], st->malformed[1], st->bytes[0],
                               st->bytes[1]};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        jw_key(w, counts[i]);
        jw_uint(w, values[i]);
    }
    jw_key(w, "gaps");
    jw_uint(w, st->gaps);
    jw_key(w, "gap_bytes");
    jw_uint(w, st->gap_bytes);
    jw_key(w, "resyncs");
    jw_uint(w, st->resyncs);
    jw_key(w, "skipped_bytes");
    jw_uint(w, st->skipped_bytes);
    jw_key(w, "retransmitted_bytes");
    jw_uint(w, st->retransmitted_bytes);
    jw_key(w, "first_frame");
    jw_uint(w, st->first_frame);
    jw_key(w, "last_frame");
    jw_uint(w, st->last_frame);
}

static void key_tls_version(json_writer *w, const char *key, uint16_t v)
{
    char name[16];
    jw_key(w, key);
    if (!v) {
        jw_null(w);
        return;
    }
    tls_version_name(v, name, sizeof name);
    jw_cstring(w, name);
}

/* What the stream's transport told: the WebSocket handshake and frame counts, or the TLS hellos. */
static void write_transport_info(json_writer *w, const mqtk_stream_info *info, bool with_name)
{
    if (with_name) { /* events carry it in their metadata already */
        jw_key(w, "transport");
        jw_cstring(w, pcap_transport_name(info->transport));
    }
    if (info->transport == MQTK_TRANSPORT_WEBSOCKET) {
        jw_key(w, "websocket");
        jw_object_begin(w);
        jw_key(w, "path");
        jw_cstring(w, info->ws.path);
        jw_key(w, "subprotocol");
        jw_cstring(w, info->ws.subprotocol);
        jw_key(w, "status");
        jw_uint(w, info->ws.status);
        jw_key(w, "frames_client_to_server");
        jw_uint(w, info->ws.frames[MQTK_C2S]);
        jw_key(w, "frames_server_to_client");
        jw_uint(w, info->ws.frames[MQTK_S2C]);
        jw_key(w, "control_frames");
        jw_uint(w, info->ws.control_frames);
        jw_key(w, "errors");
        jw_uint(w, info->ws.errors);
        jw_key(w, "unread_bytes");
        jw_uint(w, info->ws.unread_bytes);
        jw_object_end(w);
    } else if (info->transport == MQTK_TRANSPORT_TLS) {
        jw_key(w, "tls");
        jw_object_begin(w);
        key_tls_version(w, "client_version", info->tls.client_version);
        key_tls_version(w, "offered_max", info->tls.offered_max);
        key_tls_version(w, "selected", info->tls.selected);
        jw_key(w, "sni");
        if (info->tls.sni[0])
            jw_cstring(w, info->tls.sni);
        else
            jw_null(w);
        jw_object_end(w);
    }
}

static void write_body(json_writer *w, const mqtk_event *ev)
{
    switch (ev->kind) {
    case MQTK_EV_PACKET:
        jw_key(w, "offset");
        jw_uint(w, ev->offset);
        jw_key(w, "packet");
        packet_json_write(w, ev->packet, ev->version, ev->offset, ev->raw_len);
        break;
    case MQTK_EV_MALFORMED:
    case MQTK_EV_TRUNCATED:
        jw_key(w, "offset");
        jw_uint(w, ev->offset);
        jw_key(w, "version");
        jw_cstring(w, mqtt_version_name(ev->version ? ev->version : MQTT_V5));
        jw_key(w, "length");
        jw_uint(w, ev->raw_len);
        jw_key(w, "bytes");
        jw_hex(w, ev->raw, ev->raw_len);
        write_error(w, ev);
        break;
    case MQTK_EV_GAP:
        jw_key(w, "offset");
        jw_uint(w, ev->offset);
        jw_key(w, "seq");
        jw_uint(w, ev->seq);
        jw_key(w, "missing");
        jw_uint(w, ev->count);
        jw_key(w, "dropped");
        jw_uint(w, ev->dropped);
        break;
    case MQTK_EV_RESYNC:
        jw_key(w, "offset");
        jw_uint(w, ev->offset);
        jw_key(w, "found");
        jw_bool(w, ev->found);
        jw_key(w, "skipped");
        jw_uint(w, ev->count);
        jw_key(w, "reason");
        jw_cstring(w, ev->message);
        break;
    case MQTK_EV_VERSION:
        jw_key(w, "version");
        jw_cstring(w, mqtt_version_name(ev->version));
        jw_key(w, "source");
        jw_cstring(w, pcap_version_source_name(ev->stream->version_source));
        jw_key(w, "reason");
        jw_cstring(w, ev->message);
        break;
    case MQTK_EV_FRAME_WARNING:
        jw_key(w, "message");
        jw_cstring(w, ev->message);
        break;
    case MQTK_EV_TRANSPORT:
        jw_key(w, "what");
        jw_cstring(w, what_names[ev->what]);
        jw_key(w, "message");
        jw_cstring(w, ev->message);
        if (ev->what == MQTK_TR_WS_CLOSE) {
            jw_key(w, "close_code");
            if (ev->close_code)
                jw_uint(w, ev->close_code);
            else
                jw_null(w);
            jw_key(w, "reason");
            jw_string(w, ev->text, ev->text_len);
        } else if (ev->what == MQTK_TR_WS_UPGRADE || ev->what == MQTK_TR_TLS_HELLO) {
            write_transport_info(w, ev->stream, false);
        } else if (ev->what == MQTK_TR_TLS_END) {
            jw_key(w, "bytes_client_to_server");
            jw_uint(w, ev->stream->stats.bytes[MQTK_C2S]);
            jw_key(w, "bytes_server_to_client");
            jw_uint(w, ev->stream->stats.bytes[MQTK_S2C]);
        }
        break;
    case MQTK_EV_WS_ERROR:
        jw_key(w, "offset");
        jw_uint(w, ev->offset);
        jw_key(w, "length");
        jw_uint(w, ev->raw_len);
        jw_key(w, "bytes");
        jw_hex(w, ev->raw, ev->raw_len);
        write_rule(w, ws_err_name(ev->ws_error.code), ws_err_description(ev->ws_error.code), "reference",
                   ws_err_reference(ev->ws_error.code), ev->ws_error.offset);
        jw_key(w, "consequence");
        if (ev->message)
            jw_cstring(w, ev->message);
        else
            jw_null(w);
        break;
    case MQTK_EV_STREAM_END:
        write_stream_stats(w, ev->stream);
        break;
    }
}

void pcap_json_stream(json_writer *w, const mqtk_stream_info *info)
{
    jw_object_begin(w);
    jw_key(w, "stream");
    jw_uint(w, info->id);
    const pcap_printer plain = {0}; /* no cache: once per stream */
    key_endpoint(w, &plain, "client", &info->client);
    key_endpoint(w, &plain, "server", &info->server);
    write_transport_info(w, info, true);
    write_stream_stats(w, info);
    jw_object_end(w);
}

enum { JSON_FLUSH_BYTES = 64 * 1024 };

void pcap_print_json(void *ctx, const mqtk_event *ev)
{
    pcap_printer *p = ctx;
    if (ev->kind == MQTK_EV_STREAM_END)
        return;
    json_writer *w = p->json; /* kept across events: no allocation per event, one write per 64 KiB */
    jw_object_begin(w);
    write_metadata(w, p, ev);
    write_body(w, ev);
    jw_object_end(w);
    jw_line_end(w);
    if (w->len >= JSON_FLUSH_BYTES)
        jw_flush(w, p->out);
}

void pcap_printer_flush(pcap_printer *p)
{
    if (p->json && p->json->len)
        jw_flush(p->json, p->out);
    if (p->text)
        txt_flush(p->text);
    fflush(p->out);
}
