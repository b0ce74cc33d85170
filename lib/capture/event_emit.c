/* Event stamping, the capture-wide counters, and time arithmetic on capture timestamps. */
#include "event_emit.h"

#include <stdio.h>
#include <string.h>

#define NSEC_PER_SEC 1000000000u

cap_time_span cap_time_between(int64_t a_sec, uint32_t a_nsec, int64_t b_sec, uint32_t b_nsec)
{
    cap_time_span d = {false, 0, 0};
    if (b_sec < a_sec || (b_sec == a_sec && b_nsec < a_nsec)) { /* order them, remember the sign */
        int64_t ts = a_sec;
        uint32_t tn = a_nsec;
        a_sec = b_sec;
        a_nsec = b_nsec;
        b_sec = ts;
        b_nsec = tn;
        d.negative = true;
    }
    /* b >= a, so b - a lies in [0, 2^64): unsigned subtraction gives it exactly */
    d.sec = (uint64_t)b_sec - (uint64_t)a_sec;
    if (b_nsec >= a_nsec) {
        d.nsec = b_nsec - a_nsec;
    } else {
        d.sec -= 1;
        d.nsec = b_nsec + NSEC_PER_SEC - a_nsec;
    }
    return d;
}

int64_t cap_time_span_ns(cap_time_span span)
{
    if (span.sec > (uint64_t)INT64_MAX / NSEC_PER_SEC - 1)
        return span.negative ? INT64_MIN : INT64_MAX;
    int64_t ns = (int64_t)span.sec * NSEC_PER_SEC + span.nsec;
    return span.negative ? -ns : ns;
}

void cap_emit(const cap_emitter *em, cap_event *ev)
{
    cap_pcap_totals *t = em->totals;
    switch (ev->kind) {
    case CAP_EV_PACKET: /* counted by cap_count_packet */
        break;
    case CAP_EV_MALFORMED:
        t->malformed++;
        break;
    case CAP_EV_TRUNCATED:
        t->truncated++;
        break;
    case CAP_EV_GAP:
        t->gaps++;
        t->gap_bytes += ev->count;
        break;
    case CAP_EV_RESYNC:
        t->resyncs++;
        break;
    case CAP_EV_FRAME_WARNING:
        t->frame_warnings++;
        break;
    case CAP_EV_WS_ERROR:
        t->ws_errors++;
        break;
    case CAP_EV_TRANSPORT:
    case CAP_EV_VERSION:
    case CAP_EV_STREAM_END:
        break;
    }
    ev->frame = em->frame;
    ev->ts_sec = em->ts_sec;
    ev->ts_nsec = em->ts_nsec;
    em->sink(em->ctx, ev);
}
