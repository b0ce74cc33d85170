/* `mqtk pcap` text output: one line per event, in the spirit of tshark's packet list:
 *   FRAME  TIME  #STREAM  SRC -> DST  C->S|S->C  WHAT
 * Packets show the summary line of lib/format/packet_text.c; everything else says in words what happened. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/packet_text.h"
#include "pcap_output.h"
#include "format/text_out.h"

static const char *type_of_raw(const cap_event *ev)
{
    const char *name = ev->raw_len ? mqtt_packet_type_name(ev->raw[0] >> 4) : NULL;
    return name ? name : "(reserved type 0)";
}

static void put_error(fmt_text_out *out, const cap_event *ev)
{
    mqtt_error err = ev->error;
    if (!err.statement)
        err.statement = mqtt_err_statement(err.code, ev->version ? ev->version : MQTT_V5);
    char text[512];
    mqtt_error_format(&err, text, sizeof text);
    fmt_txt_puts(out, text);
}

/* "#ID   SRC -> DST C->S ", and the transport of a stream that is not plain TCP. */
static void put_stream(fmt_text_out *out, const cap_event *ev)
{
    const cap_endpoint *src, *dst;
    pcap_event_endpoints(ev, &src, &dst);
    size_t len;
    char scratch[64];
    fmt_txt_putc(out, '#');
    fmt_txt_uint_pad(out, ev->stream->id, -3);
    fmt_txt_putc(out, ' ');
    const char *name = pcap_endpoint_text(src, scratch, &len);
    fmt_txt_put(out, name, len);
    fmt_txt_puts(out, ev->dir < 0 ? " -- " : " -> ");
    name = pcap_endpoint_text(dst, scratch, &len);
    fmt_txt_put(out, name, len);
    fmt_txt_puts(out, ev->dir < 0 ? " ---- " : ev->dir == CAP_C2S ? " C->S " : " S->C ");
    /* plain TCP says nothing, so the listing of MQTT over TCP reads as it always did */
    if (ev->stream->transport == CAP_TRANSPORT_WEBSOCKET)
        fmt_txt_puts(out, "ws ");
    else if (ev->stream->transport == CAP_TRANSPORT_TLS)
        fmt_txt_puts(out, "tls ");
}

enum { FRAME_WIDTH = 6, TIME_WIDTH = 11, PREFIX_WIDTH = FRAME_WIDTH + 1 + TIME_WIDTH + 1 };

/* "FRAME TIME " of the usual line (frame below 10^6, under 1000 s since frame 1) written in place,
 * right-aligned, digits from the column's end backwards: what pcap_format_time, fmt_txt_uint_pad and
 * fmt_txt_pad write, without the calls and the copy (about 60 instructions a line). False when the
 * line is not usual or the buffer is short of room: the caller takes the general way. */
static bool put_frame_and_time(fmt_text_out *out, const pcap_printer *p, const cap_event *ev)
{
    static const char spaces[32] = "                                ";
    const cap_pcap_totals *t = p->totals;
    cap_time_span d = cap_time_between((int64_t)t->first_frame_ts_sec, t->first_frame_ts_nsec, ev->ts_sec, ev->ts_nsec);
    if (ev->frame >= 1000000 || d.sec >= (d.negative ? 100u : 1000u) || sizeof out->buf - out->len < sizeof spaces)
        return false;
    char *q = out->buf + out->len;
    memcpy(q, spaces, sizeof spaces);
    char *e = q + FRAME_WIDTH;
    uint64_t frame = ev->frame;
    do {
        *--e = (char)('0' + frame % 10);
        frame /= 10;
    } while (frame);
    e = q + FRAME_WIDTH + 1 + TIME_WIDTH - 6; /* the microseconds, "%06u" */
    fmt_txt_format_digits(e, d.nsec / 1000, 6);
    *--e = '.';
    unsigned sec = (unsigned)d.sec;
    do {
        *--e = (char)('0' + sec % 10);
        sec /= 10;
    } while (sec);
    if (d.negative)
        *--e = '-';
    out->len += PREFIX_WIDTH;
    return true;
}

static void prefix(fmt_text_out *out, const pcap_printer *p, const cap_event *ev)
{
    if (!put_frame_and_time(out, p, ev)) {
        char rel[32];
        size_t rel_len = pcap_format_time(p->totals, ev, rel, sizeof rel, NULL, 0);
        fmt_txt_uint_pad(out, ev->frame, FRAME_WIDTH);
        fmt_txt_putc(out, ' ');
        fmt_txt_pad(out, rel, rel_len, TIME_WIDTH);
        fmt_txt_putc(out, ' ');
    }
    if (!ev->stream)
        return;
    bool held;
    pcap_stream_slot *slot = pcap_stream_find(p, ev, &held);
    if (held) { /* the whole slot in one fixed-size copy when the buffer has room */
        if (sizeof out->buf - out->len >= sizeof slot->text) {
            memcpy(out->buf + out->len, slot->text, sizeof slot->text);
            out->len += slot->len;
        } else {
            fmt_txt_put(out, slot->text, slot->len);
        }
        return;
    }
    if (slot && sizeof out->buf - out->len < 2 * sizeof slot->text)
        fmt_txt_flush(out); /* what put_stream writes stays in the buffer, to be kept */
    size_t start = out->len;
    put_stream(out, ev);
    if (slot && out->len > start)
        pcap_stream_keep(slot, ev, out->buf + start, out->len - start);
}

static void put_ws_error(fmt_text_out *out, const cap_event *ev)
{
    char text[512];
    ws_error_format(&ev->ws_error, text, sizeof text);
    fmt_txt_printf(out, "WEBSOCKET ERROR at stream offset %llu: %s", (unsigned long long)ev->offset, text);
    if (ev->message)
        fmt_txt_printf(out, "; %s", ev->message);
}

static void put_transport(fmt_text_out *out, const cap_event *ev)
{
    fmt_txt_puts(out, ev->stream->transport == CAP_TRANSPORT_TLS ? "TLS " : "WEBSOCKET ");
    fmt_txt_puts(out, ev->message);
    if (ev->what == CAP_TR_WS_CLOSE && ev->text_len) {
        fmt_txt_puts(out, ", reason \"");
        for (size_t i = 0; i < ev->text_len; i++)
            fmt_txt_putc(out,
                         ev->text[i] >= 0x20 && ev->text[i] != '"' && ev->text[i] != '\\' ? (char)ev->text[i] : '?');
        fmt_txt_putc(out, '"');
    }
}

void pcap_print_text(void *ctx, const cap_event *ev)
{
    pcap_printer *p = ctx;
    fmt_text_out *out = p->text;
    if (ev->kind == CAP_EV_STREAM_END)
        return;
    prefix(out, p, ev);
    switch (ev->kind) {
    case CAP_EV_PACKET:
        fmt_packet_line(out, ev->packet, ev->version, FMT_LINE_SUMMARY);
        if (p->verbose) { /* the field listing of `mqtk decode` under the line */
            fmt_txt_putc(out, '\n');
            fmt_packet_text_fields(out, ev->packet, ev->version, ev->offset, ev->raw_len);
            fmt_txt_putc(out, '\n'); /* and, as there, an empty line after each packet */
            return;
        }
        break;
    case CAP_EV_MALFORMED:
        fmt_txt_printf(out, "MALFORMED %s (%u bytes at stream offset %llu): ", type_of_raw(ev), (unsigned)ev->raw_len,
                       (unsigned long long)ev->offset);
        put_error(out, ev);
        break;
    case CAP_EV_TRUNCATED:
        fmt_txt_printf(out,
                       "TRUNCATED %s: the stream ended inside it, %llu bytes at stream offset %llu: ", type_of_raw(ev),
                       (unsigned long long)ev->count, (unsigned long long)ev->offset);
        put_error(out, ev);
        break;
    case CAP_EV_GAP:
        fmt_txt_printf(out, "GAP %llu bytes missing from the capture (seq %u, stream offset %llu)",
                       (unsigned long long)ev->count, (unsigned)ev->seq, (unsigned long long)ev->offset);
        if (ev->dropped)
            fmt_txt_printf(out, "; the %llu bytes of the unfinished packet before it are lost",
                           (unsigned long long)ev->dropped);
        fmt_txt_puts(out, "; resynchronising");
        break;
    case CAP_EV_RESYNC:
        if (ev->found)
            fmt_txt_printf(out, "RESYNC packet boundary at stream offset %llu after skipping %llu bytes (%s)",
                           (unsigned long long)ev->offset, (unsigned long long)ev->count, ev->message);
        else
            fmt_txt_printf(out, "RESYNC no packet boundary found before the stream ended: %llu bytes skipped (%s)",
                           (unsigned long long)ev->count, ev->message);
        break;
    case CAP_EV_VERSION:
        fmt_txt_printf(out, "VERSION %s: %s", mqtt_version_name(ev->version), ev->message);
        break;
    case CAP_EV_FRAME_WARNING:
        fmt_txt_printf(out, "WARNING %s", ev->message);
        break;
    case CAP_EV_TRANSPORT:
        put_transport(out, ev);
        break;
    case CAP_EV_WS_ERROR:
        put_ws_error(out, ev);
        break;
    case CAP_EV_STREAM_END:
        break;
    }
    fmt_txt_putc(out, '\n');
}
