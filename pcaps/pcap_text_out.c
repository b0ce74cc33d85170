/* `mqtk pcap` text output: one line per event, in the spirit of tshark's packet list:
 *   FRAME  TIME  #STREAM  SRC -> DST  C->S|S->C  WHAT
 * Packets show the summary line of cli/packet_text.c; everything else says in words what happened. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packet_text.h"
#include "pcap_output.h"
#include "text_out.h"

static const char *type_of_raw(const mqtk_event *ev)
{
    const char *name = ev->raw_len ? mqtt_packet_type_name(ev->raw[0] >> 4) : NULL;
    return name ? name : "(reserved type 0)";
}

static void put_error(FILE *out, const mqtk_event *ev)
{
    mqtt_error err = ev->error;
    if (!err.statement)
        err.statement = mqtt_err_statement(err.code, ev->version ? ev->version : MQTT_V5);
    char text[512];
    mqtt_error_format(&err, text, sizeof text);
    fputs(text, out);
}

static void prefix(FILE *out, const pcap_printer *p, const mqtk_event *ev)
{
    char rel[32], abs[32];
    size_t rel_len = pcap_format_time(p->totals, ev, rel, sizeof rel, abs, sizeof abs);
    txt_uint_pad(out, ev->frame, 6);
    fputc(' ', out);
    txt_pad(out, rel, rel_len, 11);
    fputc(' ', out);
    if (!ev->stream)
        return;
    const mqtk_endpoint *src, *dst;
    pcap_event_endpoints(ev, &src, &dst);
    char s[64], d[64];
    int s_len = mqtk_endpoint_format(src, s, sizeof s);
    int d_len = mqtk_endpoint_format(dst, d, sizeof d);
    fputc('#', out);
    txt_uint_pad(out, ev->stream->id, -3);
    fputc(' ', out);
    txt_put(out, s, (size_t)s_len);
    txt_puts(out, ev->dir < 0 ? " -- " : " -> ");
    txt_put(out, d, (size_t)d_len);
    txt_puts(out, ev->dir < 0 ? " ---- " : ev->dir == MQTK_C2S ? " C->S " : " S->C ");
    /* plain TCP says nothing, so the listing of MQTT over TCP reads as it always did */
    if (ev->stream->transport == MQTK_TRANSPORT_WEBSOCKET)
        fputs("ws ", out);
    else if (ev->stream->transport == MQTK_TRANSPORT_TLS)
        fputs("tls ", out);
}

static void put_ws_error(FILE *out, const mqtk_event *ev)
{
    char text[512];
    ws_error_format(&ev->ws_error, text, sizeof text);
    fprintf(out, "WEBSOCKET ERROR at stream offset %llu: %s", (unsigned long long)ev->offset, text);
    if (ev->message)
        fprintf(out, "; %s", ev->message);
}

static void put_transport(FILE *out, const mqtk_event *ev)
{
    fputs(ev->stream->transport == MQTK_TRANSPORT_TLS ? "TLS " : "WEBSOCKET ", out);
    fputs(ev->message, out);
    if (ev->what == MQTK_TR_WS_CLOSE && ev->text_len) {
        fputs(", reason \"", out);
        for (size_t i = 0; i < ev->text_len; i++)
            fputc(ev->text[i] >= 0x20 && ev->text[i] != '"' && ev->text[i] != '\\' ? ev->text[i] : '?', out);
        fputc('"', out);
    }
}

void pcap_print_text(void *ctx, const mqtk_event *ev)
{
    pcap_printer *p = ctx;
    FILE *out = p->out;
    if (ev->kind == MQTK_EV_STREAM_END)
        return;
    prefix(out, p, ev);
    switch (ev->kind) {
    case MQTK_EV_PACKET:
        packet_text_summary(out, ev->packet, ev->version);
        if (p->verbose) { /* the field listing of `mqtk decode` under the line */
            fputc('\n', out);
            packet_text_fields(out, ev->packet, ev->version, ev->offset, ev->raw_len);
            fputc('\n', out); /* and, as there, an empty line after each packet */
            return;
        }
        break;
    case MQTK_EV_MALFORMED:
        fprintf(out, "MALFORMED %s (%u bytes at stream offset %llu): ", type_of_raw(ev), (unsigned)ev->raw_len,
                (unsigned long long)ev->offset);
        put_error(out, ev);
        break;
    case MQTK_EV_TRUNCATED:
        fprintf(out, "TRUNCATED %s: the stream ended inside it, %llu bytes at stream offset %llu: ", type_of_raw(ev),
                (unsigned long long)ev->count, (unsigned long long)ev->offset);
        put_error(out, ev);
        break;
    case MQTK_EV_GAP:
        fprintf(out, "GAP %llu bytes missing from the capture (seq %u, stream offset %llu)",
                (unsigned long long)ev->count, (unsigned)ev->seq, (unsigned long long)ev->offset);
        if (ev->dropped)
            fprintf(out, "; the %llu bytes of the unfinished packet before it are lost",
                    (unsigned long long)ev->dropped);
        fputs("; resynchronising", out);
        break;
    case MQTK_EV_RESYNC:
        if (ev->found)
            fprintf(out, "RESYNC packet boundary at stream offset %llu after skipping %llu bytes (%s)",
                    (unsigned long long)ev->offset, (unsigned long long)ev->count, ev->message);
        else
            fprintf(out, "RESYNC no packet boundary found before the stream ended: %llu bytes skipped (%s)",
                    (unsigned long long)ev->count, ev->message);
        break;
    case MQTK_EV_VERSION:
        fprintf(out, "VERSION %s: %s", mqtt_version_name(ev->version), ev->message);
        break;
    case MQTK_EV_FRAME_WARNING:
        fprintf(out, "WARNING %s", ev->message);
        break;
    case MQTK_EV_TRANSPORT:
        put_transport(out, ev);
        break;
    case MQTK_EV_WS_ERROR:
        put_ws_error(out, ev);
        break;
    case MQTK_EV_STREAM_END:
        break;
    }
    fputc('\n', out);
}
