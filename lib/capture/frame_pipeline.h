/* One captured frame at a time: link layer, IP, TCP, then the frame's connection (reassembly and
 * MQTT). Knows nothing of libpcap, so it can be driven from anywhere. */
#ifndef CAP_FRAME_PIPELINE_H
#define CAP_FRAME_PIPELINE_H

#include "event_emit.h"
#include "flow_table.h"
#include "capture.h"

typedef struct cap_frame_pipeline {
    cap_pcap_opts opts;
    cap_emitter em;
    cap_event packet_event; /* em.packet_event */
    cap_flow_table flows;
    int linktype;
    uint64_t next_stream_id;
    char message[256]; /* text of the latest frame warning */
} cap_frame_pipeline;

/* False when memory ran out. */
bool cap_frame_pipeline_init(cap_frame_pipeline *p, int linktype, const cap_pcap_opts *opts, cap_event_sink sink,
                             void *ctx, cap_pcap_totals *totals);
/* Frame number frame (1-based) of caplen captured bytes out of len on the wire. */
void cap_frame_pipeline_frame(cap_frame_pipeline *p, uint64_t frame, int64_t ts_sec, uint32_t ts_nsec,
                              const uint8_t *data, size_t caplen, size_t len);
/* The capture is over: end every open stream, in stream order, and free everything. */
void cap_frame_pipeline_finish(cap_frame_pipeline *p);

#endif
