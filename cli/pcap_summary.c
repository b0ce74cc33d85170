/* `mqtk pcap --summary`: per-stream rows, packet counts by type, findings by rule. Streams are
 * recorded when they end, so the report needs no per-packet memory. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>

#include "format/json_write.h"
#include "pcap_output.h"
#include "capture/tls_hello.h"

struct pcap_summary {
    FILE *warnings;
    cap_stream_info *streams;
    size_t count, cap;
    uint64_t errors[MQTT_ERR_COUNT];
    const char *statements[MQTT_ERR_COUNT]; /* the first statement ID seen for each rule */
    uint64_t ws_errors[WS_ERR_COUNT];
};

pcap_summary *pcap_summary_new(FILE *warnings)
{
    pcap_summary *s = calloc(1, sizeof *s);
    if (s)
        s->warnings = warnings;
    return s;
}

void pcap_summary_free(pcap_summary *s)
{
    if (!s)
        return;
    free(s->streams);
    free(s);
}

static void add_stream(pcap_summary *s, const cap_stream_info *info)
{
    if (s->count == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        cap_stream_info *grown = realloc(s->streams, cap * sizeof *grown);
        if (!grown)
            return; /* the totals still count it */
        s->streams = grown;
        s->cap = cap;
    }
    s->streams[s->count++] = *info;
}

/* PACKET events do not come here: --summary sets cap_pcap_opts.counts_only. */
void pcap_summary_event(void *ctx, const cap_event *ev)
{
    pcap_summary *s = ctx;
    switch (ev->kind) {
    case CAP_EV_STREAM_END:
        add_stream(s, ev->stream);
        break;
    case CAP_EV_MALFORMED:
    case CAP_EV_TRUNCATED:
        if (ev->error.code < MQTT_ERR_COUNT) {
            s->errors[ev->error.code]++;
            if (!s->statements[ev->error.code])
                s->statements[ev->error.code] = ev->error.statement
                                                     ? ev->error.statement
                                                     : mqtt_err_statement(ev->error.code, ev->version ? ev->version
                                                                                                      : MQTT_V5);
        }
        break;
    case CAP_EV_WS_ERROR:
        if (ev->ws_error.code < WS_ERR_COUNT)
            s->ws_errors[ev->ws_error.code]++;
        break;
    case CAP_EV_FRAME_WARNING:
        fprintf(s->warnings, "mqtk pcap: warning: frame %llu: %s\n", (unsigned long long)ev->frame, ev->message);
        break;
    default:
        break;
    }
}

static int by_id(const void *a, const void *b)
{
    const cap_stream_info *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static void version_text(const cap_stream_info *info, char *buf, size_t cap)
{
    if (!info->version)
        snprintf(buf, cap, "-");
    else
        snprintf(buf, cap, "%s (%s)", mqtt_version_name(info->version),
                 pcap_version_source_name(info->version_source));
}

/* The WebSocket and TLS streams, one line each, after the stream table. */
static void print_transports(const pcap_summary *s, FILE *out)
{
    bool any = false;
    for (size_t i = 0; i < s->count; i++) {
        const cap_stream_info *info = &s->streams[i];
        if (info->transport == CAP_TRANSPORT_TCP)
            continue;
        if (!any)
            fputs("\ntransports\n", out);
        any = true;
        char c[64], sv[64];
        cap_endpoint_format(&info->client, c, sizeof c);
        cap_endpoint_format(&info->server, sv, sizeof sv);
        if (info->transport == CAP_TRANSPORT_WEBSOCKET) {
            fprintf(out,
                    "  #%-4llu websocket %s -> %s path %s subprotocol %s status %u: %llu frames c->s, %llu s->c "
                    "(%llu control), %llu errors, %llu bytes not followed\n",
                    (unsigned long long)info->id, c, sv, info->ws.path[0] ? info->ws.path : "-",
                    info->ws.subprotocol[0] ? info->ws.subprotocol : "-", (unsigned)info->ws.status,
                    (unsigned long long)info->ws.frames[CAP_C2S], (unsigned long long)info->ws.frames[CAP_S2C],
                    (unsigned long long)info->ws.control_frames, (unsigned long long)info->ws.errors,
                    (unsigned long long)info->ws.unread_bytes);
        } else {
            char v[16], sel[16];
            cap_tls_version_name(info->tls.offered_max ? info->tls.offered_max : info->tls.client_version, v, sizeof v);
            cap_tls_version_name(info->tls.selected, sel, sizeof sel);
            fprintf(out,
                    "  #%-4llu tls       %s -> %s offers %s, selected %s, server name %s: %llu bytes c->s, "
                    "%llu s->c, not decoded\n",
                    (unsigned long long)info->id, c, sv, v, info->tls.selected ? sel : "-",
                    info->tls.sni[0] ? info->tls.sni : "-", (unsigned long long)info->stats.bytes[CAP_C2S],
                    (unsigned long long)info->stats.bytes[CAP_S2C]);
        }
    }
}

static void print_text(const pcap_summary *s, const cap_pcap_totals *t, const char *path, FILE *out)
{
    const char *link = pcap_datalink_val_to_name(t->linktype);
    fprintf(out, "capture      %s\n", path);
    fprintf(out, "link type    %s\n", link ? link : "unknown");
    fprintf(out, "frames       %llu (%llu TCP segments, %llu other, %llu warnings)\n", (unsigned long long)t->frames,
            (unsigned long long)t->tcp_segments, (unsigned long long)t->other_frames,
            (unsigned long long)t->frame_warnings);
    fprintf(out, "streams      %llu TCP, %llu MQTT", (unsigned long long)t->streams,
            (unsigned long long)t->mqtt_streams);
    if (t->websocket_streams) /* said only when there are some: plain TCP summaries read as before */
        fprintf(out, " (%llu over WebSocket)", (unsigned long long)t->websocket_streams);
    if (t->tls_streams)
        fprintf(out, ", %llu TLS (encrypted, not decoded)", (unsigned long long)t->tls_streams);
    fputc('\n', out);
    fprintf(out, "packets      %llu well-formed, %llu malformed, %llu truncated\n", (unsigned long long)t->packets,
            (unsigned long long)t->malformed, (unsigned long long)t->truncated);
    fprintf(out, "gaps         %llu (%llu bytes missing), %llu resynchronisations\n", (unsigned long long)t->gaps,
            (unsigned long long)t->gap_bytes, (unsigned long long)t->resyncs);
    fprintf(out, "damaged      %s\n", t->damaged ? t->damage : "no");
    if (s->count) {
        fprintf(out, "\n%-5s %-42s %-42s %-18s %7s %7s %5s %5s %7s %s\n", "#", "client", "server", "version", "c->s",
                "s->c", "bad", "gaps", "resyncs", "frames");
        for (size_t i = 0; i < s->count; i++) {
            const cap_stream_info *info = &s->streams[i];
            char c[64], sv[64], v[32];
            cap_endpoint_format(&info->client, c, sizeof c);
            cap_endpoint_format(&info->server, sv, sizeof sv);
            version_text(info, v, sizeof v);
            fprintf(out, "%-5llu %-42s %-42s %-18s %7llu %7llu %5llu %5llu %7llu %llu-%llu\n",
                    (unsigned long long)info->id, c, sv, v, (unsigned long long)info->stats.packets[0],
                    (unsigned long long)info->stats.packets[1],
                    (unsigned long long)(info->stats.malformed[0] + info->stats.malformed[1]),
                    (unsigned long long)info->stats.gaps, (unsigned long long)info->stats.resyncs,
                    (unsigned long long)info->stats.first_frame, (unsigned long long)info->stats.last_frame);
        }
    }
    print_transports(s, out);
    fputs("\npacket types\n", out);
    for (unsigned type = 1; type < 16; type++)
        if (t->type_counts[type])
            fprintf(out, "  %-12s %llu\n", mqtt_packet_type_name(type), (unsigned long long)t->type_counts[type]);
    bool any = false;
    for (unsigned e = 0; e < MQTT_ERR_COUNT; e++) {
        if (!s->errors[e])
            continue;
        if (!any)
            fputs("\nfindings by rule\n", out);
        any = true;
        fprintf(out, "  %-36s %-16s %llu\n", mqtt_err_name((mqtt_err)e), s->statements[e] ? s->statements[e] : "-",
                (unsigned long long)s->errors[e]);
    }
    for (unsigned e = 1; e < WS_ERR_COUNT; e++) {
        if (!s->ws_errors[e])
            continue;
        if (!any)
            fputs("\nfindings by rule\n", out);
        any = true;
        const char *ref = ws_err_reference((ws_err)e);
        fprintf(out, "  %-36s %-16s %llu\n", ws_err_name((ws_err)e), ref ? ref : "-",
                (unsigned long long)s->ws_errors[e]);
    }
}

static void key_count(fmt_json_writer *w, const char *key, uint64_t v)
{
    fmt_jw_key(w, key);
    fmt_jw_uint(w, v);
}

static void print_json(const pcap_summary *s, const cap_pcap_totals *t, const char *path, FILE *out)
{
    fmt_json_writer w;
    fmt_jw_init(&w);
    fmt_jw_object_begin(&w);
    fmt_jw_key(&w, "capture");
    fmt_jw_cstring(&w, path);
    const char *link = pcap_datalink_val_to_name(t->linktype);
    fmt_jw_key(&w, "link_type");
    fmt_jw_cstring(&w, link ? link : "unknown");
    key_count(&w, "frames", t->frames);
    key_count(&w, "captured_bytes", t->captured_bytes);
    key_count(&w, "tcp_segments", t->tcp_segments);
    key_count(&w, "other_frames", t->other_frames);
    key_count(&w, "frame_warnings", t->frame_warnings);
    key_count(&w, "tcp_streams", t->streams);
    key_count(&w, "mqtt_streams", t->mqtt_streams);
    key_count(&w, "websocket_streams", t->websocket_streams);
    key_count(&w, "tls_streams", t->tls_streams);
    key_count(&w, "websocket_errors", t->ws_errors);
    key_count(&w, "packets", t->packets);
    key_count(&w, "malformed", t->malformed);
    key_count(&w, "truncated", t->truncated);
    key_count(&w, "gaps", t->gaps);
    key_count(&w, "gap_bytes", t->gap_bytes);
    key_count(&w, "resyncs", t->resyncs);
    fmt_jw_key(&w, "damaged");
    if (t->damaged)
        fmt_jw_cstring(&w, t->damage);
    else
        fmt_jw_null(&w);
    fmt_jw_key(&w, "packet_types");
    fmt_jw_object_begin(&w);
    for (unsigned type = 1; type < 16; type++)
        if (t->type_counts[type])
            key_count(&w, mqtt_packet_type_name(type), t->type_counts[type]);
    fmt_jw_object_end(&w);
    fmt_jw_key(&w, "findings");
    fmt_jw_array_begin(&w);
    for (unsigned e = 0; e < MQTT_ERR_COUNT; e++) {
        if (!s->errors[e])
            continue;
        fmt_jw_object_begin(&w);
        fmt_jw_key(&w, "rule");
        fmt_jw_cstring(&w, mqtt_err_name((mqtt_err)e));
        fmt_jw_key(&w, "statement");
        if (s->statements[e])
            fmt_jw_cstring(&w, s->statements[e]);
        else
            fmt_jw_null(&w);
        key_count(&w, "count", s->errors[e]);
        fmt_jw_object_end(&w);
    }
    for (unsigned e = 1; e < WS_ERR_COUNT; e++) {
        if (!s->ws_errors[e])
            continue;
        const char *ref = ws_err_reference((ws_err)e);
        fmt_jw_object_begin(&w);
        fmt_jw_key(&w, "rule");
        fmt_jw_cstring(&w, ws_err_name((ws_err)e));
        fmt_jw_key(&w, "statement");
        if (ref)
            fmt_jw_cstring(&w, ref);
        else
            fmt_jw_null(&w);
        key_count(&w, "count", s->ws_errors[e]);
        fmt_jw_object_end(&w);
    }
    fmt_jw_array_end(&w);
    fmt_jw_key(&w, "streams");
    fmt_jw_array_begin(&w);
    for (size_t i = 0; i < s->count; i++)
        pcap_json_stream(&w, &s->streams[i]);
    fmt_jw_array_end(&w);
    fmt_jw_object_end(&w);
    fmt_jw_flush(&w, out);
    fputc('\n', out);
    fmt_jw_free(&w);
}

void pcap_summary_print(const pcap_summary *s, const cap_pcap_totals *t, const char *path, bool json, FILE *out)
{
    if (s->count) /* qsort wants a real array even for no element */
        qsort(s->streams, s->count, sizeof *s->streams, by_id);
    if (json)
        print_json(s, t, path, out);
    else
        print_text(s, t, path, out);
}
