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

/* "[-]S.NNNNNNNNN" as snprintf would write it into cap bytes, by hand: it runs for every event. */
static int time_text(bool negative, uint64_t whole, uint32_t nsec, char *buf, size_t cap)
{
    char text[32], digits[20];
    size_t n = 0, k = 0;
    if (negative)
        text[n++] = '-';
    do {
        digits[k++] = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    while (k)
        text[n++] = digits[--k];
    text[n++] = '.';
    for (int i = 8; i >= 0; i--, nsec /= 10)
        text[n + (size_t)i] = (char)('0' + nsec % 10);
    n += 9;
    if (cap) {
        size_t copy = n < cap ? n : cap - 1;
        memcpy(buf, text, copy);
        buf[copy] = '\0';
    }
    return (int)n;
}

int cap_time_format(int64_t sec, uint32_t nsec, char *buf, size_t cap)
{
    if (sec >= 0 || nsec == 0) /* magnitude of a negative sec without overflow at INT64_MIN */
        return time_text(sec < 0, sec < 0 ? (uint64_t)0 - (uint64_t)sec : (uint64_t)sec, nsec, buf, cap);
    /* sec + nsec/1e9 is negative: print its magnitude, -(sec + 1) whole seconds and the rest */
    return time_text(true, (uint64_t)-(sec + 1), NSEC_PER_SEC - nsec, buf, cap);
}

void cap_emit(const cap_emitter *em, cap_event *ev)
{
    ev->frame = em->frame;
    ev->ts_sec = em->ts_sec;
    ev->ts_nsec = em->ts_nsec;
    cap_pcap_totals *t = em->totals;
    switch (ev->kind) {
    case CAP_EV_PACKET:
        t->packets++;
        t->type_counts[ev->packet->type & 15]++;
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
    em->sink(em->ctx, ev);
}
