/* Hands events to the caller's sink, stamped with the frame being read, and keeps the totals. */
#ifndef CAP_EVENT_EMIT_H
#define CAP_EVENT_EMIT_H

#include "capture.h"

typedef struct cap_emitter {
    cap_event_sink sink;
    void *ctx;
    cap_pcap_totals *totals;
    uint64_t frame; /* the frame being processed */
    int64_t ts_sec;
    uint32_t ts_nsec;
    /* Every PACKET event: zeroed once, then each packet writes the same fields, so the rest stay
     * zero and a packet does not clear a whole event (about 200 bytes) on the stack. */
    cap_event *packet_event;
    bool counts_only; /* cap_pcap_opts.counts_only: PACKET events stop at the totals */
} cap_emitter;

/* For the static functions each frame or packet goes through once, where the compiler kept a call
 * (saved registers and arguments: 10 to 25 instructions each, measured with callgrind). */
#if defined(__GNUC__)
#define CAP_HOT_INLINE inline __attribute__((always_inline))
#else
#define CAP_HOT_INLINE inline
#endif

/* Stamp ev with the current frame and time, count it, pass it on. A PACKET event is counted by
 * cap_count_packet instead, before it is built. */
void cap_emit(const cap_emitter *em, cap_event *ev);

/* A well-formed packet of this type into the totals; true when the sink wants its PACKET event
 * (false under counts_only: no event is built, no call made, about 20 instructions a packet). */
static inline bool cap_count_packet(const cap_emitter *em, unsigned type)
{
    em->totals->packets++;
    em->totals->type_counts[type & 15]++;
    return !em->counts_only;
}

#endif
