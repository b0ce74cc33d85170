/* Event stamping and the capture-wide counters. */
#include "event_emit.h"

void mqtk_emit(const mqtk_emitter *em, mqtk_event *ev)
{
    ev->frame = em->frame;
    ev->ts_sec = em->ts_sec;
    ev->ts_nsec = em->ts_nsec;
    mqtk_pcap_totals *t = em->totals;
    switch (ev->kind) {
    case MQTK_EV_PACKET:
        t->packets++;
        t->type_counts[ev->packet->type & 15]++;
        break;
    case MQTK_EV_MALFORMED:
        t->malformed++;
        break;
    case MQTK_EV_TRUNCATED:
        t->truncated++;
        break;
    case MQTK_EV_GAP:
        t->gaps++;
        t->gap_bytes += ev->count;
        break;
    case MQTK_EV_RESYNC:
        t->resyncs++;
        break;
    case MQTK_EV_FRAME_WARNING:
        t->frame_warnings++;
        break;
    case MQTK_EV_VERSION:
    case MQTK_EV_STREAM_END:
        break;
    }
    em->sink(em->ctx, ev);
}
