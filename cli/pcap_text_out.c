/* `mqtk pcap` text output: one line per event, in the spirit of tshark's packet list:
 *   FRAME  TIME  #STREAM  SRC -> DST  C->S|S->C  WHAT
 * Packets show the summary line of lib/format/packet_text.c; everything else says in words what happened. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/packet_text.h"
#include "pcap_output.h"

/* lib/format/packet_text.c prints a summary line and then every field; the listing takes the first line. */
static void packet_summary(FILE *out, const mqtt_packet *pkt, mqtt_version v, uint64_t offset, uint32_t len)
{
    char *text = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&text, &size);
    if (!mem) {
        fputs(mqtt_packet_type_name(pkt->type), out);
        return;
    }
    packet_text_write(mem, pkt, v, offset, len);
    fclose(mem);
    fwrite(text, 1, strcspn(text, "\n"), out);
    free(text);
}

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
    pcap_format_time(p->totals, ev, rel, sizeof rel, abs, sizeof abs);
    fprintf(out, "%6llu %11s ", (unsigned long long)ev->frame, rel);
    if (!ev->stream)
        return;
    const mqtk_endpoint *src, *dst;
    pcap_event_endpoints(ev, &src, &dst);
    char s[64], d[64];
    mqtk_endpoint_format(src, s, sizeof s);
    mqtk_endpoint_format(dst, d, sizeof d);
    static const char *const arrows[] = {"C->S", "S->C"};
    fprintf(out, "#%-3llu %s %s %s %s ", (unsigned long long)ev->stream->id, s, ev->dir < 0 ? "--" : "->", d,
            ev->dir < 0 ? "----" : arrows[ev->dir]);
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
        packet_summary(out, ev->packet, ev->version, ev->offset, ev->raw_len);
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
