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

const char *pcap_endpoint_text(const pcap_printer *p, const cap_endpoint *ep, char scratch[64], size_t *len)
{
    pcap_name_slot *slot = NULL;
    if (p->names) {
        slot = &p->names[(uint64_t)(uintptr_t)ep * 0x9E3779B97F4A7C15u >> 53 & (PCAP_NAME_SLOTS - 1)];
        /* same text only for the same endpoint: the address may hold another stream's by now */
        if (slot->len && slot->ep.family == ep->family && slot->ep.port == ep->port &&
            memcmp(slot->ep.addr, ep->addr, sizeof ep->addr) == 0) {
            *len = slot->len;
            return slot->text;
        }
    }
    char *text = slot ? slot->text : scratch;
    size_t cap = slot ? sizeof slot->text : 64;
    int n = cap_endpoint_format(ep, text, cap);
    *len = n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
    if (slot) {
        slot->ep.family = ep->family;
        slot->ep.port = ep->port;
        memcpy(slot->ep.addr, ep->addr, sizeof ep->addr);
        slot->len = (uint8_t)*len;
    }
    return text;
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
