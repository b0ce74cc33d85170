/* Pieces every output format of `mqtk pcap` shares: times, endpoints, names. */
#include <stdio.h>
#include <string.h>

#include "pcap_output.h"
#include "text_out.h"

size_t pcap_format_time(const mqtk_pcap_totals *t, const mqtk_event *ev, char *rel, size_t rel_cap, char *abs,
                        size_t abs_cap)
{
    mqtk_time_span d = mqtk_time_between((int64_t)t->first_frame_ts_sec, t->first_frame_ts_nsec, ev->ts_sec,
                                         ev->ts_nsec);
    /* "%s%llu.%06u" by hand: this runs for every event */
    char text[1 + TXT_UINT_MAX_DIGITS + 8];
    size_t n = 0;
    if (d.negative)
        text[n++] = '-';
    n += txt_format_uint(text + n, d.sec);
    text[n++] = '.';
    uint32_t us = d.nsec / 1000;
    for (int i = 5; i >= 0; i--, us /= 10)
        text[n + (size_t)i] = (char)('0' + us % 10);
    n += 6;
    if (n >= rel_cap)
        n = rel_cap - 1;
    memcpy(rel, text, n);
    rel[n] = '\0';
    mqtk_time_format(ev->ts_sec, ev->ts_nsec, abs, abs_cap);
    return n;
}

void pcap_event_endpoints(const mqtk_event *ev, const mqtk_endpoint **src, const mqtk_endpoint **dst)
{
    if (ev->dir == MQTK_S2C) {
        *src = &ev->stream->server;
        *dst = &ev->stream->client;
    } else {
        *src = &ev->stream->client;
        *dst = &ev->stream->server;
    }
}

const char *pcap_version_source_name(mqtk_version_source s)
{
    static const char *const names[] = {
        [MQTK_VERSION_NONE] = "none",
        [MQTK_VERSION_CONNECT] = "connect",
        [MQTK_VERSION_ASSUMED] = "assumed",
        [MQTK_VERSION_INFERRED] = "inferred",
    };
    return names[s];
}
