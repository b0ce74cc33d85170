/* Pieces every output format of `mqtk pcap` shares: times, endpoints, names. */
#include <stdio.h>

#include "pcap_output.h"

void pcap_format_time(const mqtk_pcap_totals *t, const mqtk_event *ev, char *rel, size_t rel_cap, char *abs,
                      size_t abs_cap)
{
    int64_t ns = (ev->ts_sec - (int64_t)t->first_frame_ts_sec) * 1000000000 + (int64_t)ev->ts_nsec -
                 (int64_t)t->first_frame_ts_nsec;
    const char *sign = ns < 0 ? "-" : "";
    uint64_t mag = ns < 0 ? (uint64_t)-ns : (uint64_t)ns;
    snprintf(rel, rel_cap, "%s%llu.%06llu", sign, (unsigned long long)(mag / 1000000000),
             (unsigned long long)(mag % 1000000000 / 1000));
    snprintf(abs, abs_cap, "%lld.%09u", (long long)ev->ts_sec, (unsigned)ev->ts_nsec);
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
