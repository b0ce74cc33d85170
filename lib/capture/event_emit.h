/* Hands events to the caller's sink, stamped with the frame being read, and keeps the totals. */
#ifndef MQTK_EVENT_EMIT_H
#define MQTK_EVENT_EMIT_H

#include "capture.h"

typedef struct mqtk_emitter {
    mqtk_event_sink sink;
    void *ctx;
    mqtk_pcap_totals *totals;
    uint64_t frame; /* the frame being processed */
    int64_t ts_sec;
    uint32_t ts_nsec;
} mqtk_emitter;

/* Stamp ev with the current frame and time, count it, pass it on. */
void mqtk_emit(const mqtk_emitter *em, mqtk_event *ev);

#endif
