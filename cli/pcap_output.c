/* Pieces every output format of `mqtk pcap` shares: times, endpoints, names. */
#include <stdio.h>
#include <string.h>

#include "pcap_output.h"
#include "format/text_out.h"

/* A capture timestamp as "S.NNNNNNNNN" at text (room for 1 + FMT_TXT_UINT_MAX_DIGITS + 10), negative
 * times included ("-0.250000000", not "-1.750000000"); returns its length. */
static size_t absolute_time(int64_t sec, uint32_t nsec, char *text)
{
    size_t n = 0;
    uint64_t whole = (uint64_t)sec;
    if (sec < 0) { /* the magnitude of sec + nsec/1e9, without overflow at INT64_MIN */
        text[n++] = '-';
        whole = 0 - (uint64_t)(nsec ? sec + 1 : sec);
        nsec = nsec ? 1000000000u - nsec : 0;
    }
    n += fmt_txt_format_uint(text + n, whole);
    text[n++] = '.';
    fmt_txt_format_digits(text + n, nsec, 9);
    return n + 9;
}

size_t pcap_format_time(const cap_pcap_totals *t, const cap_event *ev, char *rel, size_t rel_cap, char *abs,
                        size_t abs_cap)
{
    cap_time_span d = cap_time_between((int64_t)t->first_frame_ts_sec, t->first_frame_ts_nsec, ev->ts_sec, ev->ts_nsec);
    /* "%s%llu.%06u" by hand: this runs for every event; straight into rel when it has room for any */
    char text[1 + FMT_TXT_UINT_MAX_DIGITS + 8];
    char *out = rel_cap > sizeof text ? rel : text;
    size_t n = 0;
    if (d.negative)
        out[n++] = '-';
    n += fmt_txt_format_uint(out + n, d.sec);
    out[n++] = '.';
    fmt_txt_format_digits(out + n, d.nsec / 1000, 6);
    n += 6;
    if (n >= rel_cap)
        n = rel_cap - 1;
    if (out != rel)
        memcpy(rel, text, n);
    rel[n] = '\0';
    if (abs && abs_cap) {
        char at[1 + FMT_TXT_UINT_MAX_DIGITS + 10];
        out = abs_cap > sizeof at ? abs : at;
        size_t k = absolute_time(ev->ts_sec, ev->ts_nsec, out);
        if (k >= abs_cap)
            k = abs_cap - 1;
        if (out != abs)
            memcpy(abs, at, k);
        abs[k] = '\0';
    }
    return n;
}

const char *pcap_endpoint_text(const cap_endpoint *ep, char scratch[64], size_t *len)
{
    int n = cap_endpoint_format(ep, scratch, 64);
    *len = n < 0 ? 0 : n < 64 ? (size_t)n : 63;
    return scratch;
}

pcap_stream_slot *pcap_stream_find(const pcap_printer *p, const cap_event *ev, bool *held)
{
    *held = false;
    if (!p->streams || !ev->stream || ev->dir < 0)
        return NULL;
    const cap_stream_info *s = ev->stream;
    pcap_stream_slot *slot = &p->streams[(s->id * 2 + (unsigned)ev->dir) & (PCAP_STREAM_SLOTS - 1)];
    *held = slot->len && slot->id == s->id && slot->dir == ev->dir && slot->labels == s->labels;
    return slot;
}

void pcap_stream_keep(pcap_stream_slot *slot, const cap_event *ev, const char *text, size_t n)
{
    if (n == 0 || n > sizeof slot->text) {
        slot->len = 0;
        return;
    }
    const cap_stream_info *s = ev->stream;
    slot->id = s->id;
    slot->labels = s->labels;
    slot->dir = ev->dir;
    slot->len = (uint8_t)n;
    memcpy(slot->text, text, n);
}

void pcap_event_endpoints(const cap_event *ev, const cap_endpoint **src, const cap_endpoint **dst)
{
    if (ev->dir == CAP_S2C) {
        *src = &ev->stream->server;
        *dst = &ev->stream->client;
    } else {
        *src = &ev->stream->client;
        *dst = &ev->stream->server;
    }
}

const char *pcap_version_source_name(cap_version_source s)
{
    static const char *const names[] = {
        [CAP_VERSION_NONE] = "none",
        [CAP_VERSION_CONNECT] = "connect",
        [CAP_VERSION_ASSUMED] = "assumed",
        [CAP_VERSION_INFERRED] = "inferred",
    };
    return names[s];
}
