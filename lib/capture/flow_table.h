/* The open TCP connections, found by their address/port pair in either direction. A flow holds its
 * two reassembly directions and its MQTT state; it is freed when the connection closes. */
#ifndef CAP_FLOW_TABLE_H
#define CAP_FLOW_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture.h"
#include "mqtt_stream.h"
#include "reassembly.h"
#include "stream_transport.h"

typedef struct cap_flow cap_flow;

/* What a reassembly direction's sink needs to reach back to its flow. */
typedef struct cap_flow_side {
    cap_flow *f;
    int sender;
} cap_flow_side;

struct cap_flow {
    cap_flow *next_in_bucket;
    uint32_t hash;
    cap_endpoint ep[2];  /* ep[0] sent the first segment seen */
    uint32_t isn[2];     /* initial sequence numbers, when the SYN was seen */
    cap_reasm_dir reasm[2]; /* by sender */
    cap_flow_side side[2];
    cap_reasm_sink sink[2];  /* by sender: where its reassembled bytes go (set by the frame pipeline) */
    cap_stream_transport xport; /* WebSocket or TLS in front of mqtt, or plain */
    cap_stream mqtt;
    bool ignored;        /* filtered out by --stream: followed only to see it close */
};

typedef struct cap_flow_table {
    cap_flow **buckets;
    size_t bucket_count; /* a power of two */
    size_t count;
} cap_flow_table;

bool cap_flow_table_init(cap_flow_table *t);
/* The flow between src and dst in either direction; *sender is src's index in it. */
cap_flow *cap_flow_find(const cap_flow_table *t, const cap_endpoint *src, const cap_endpoint *dst, int *sender);
/* A new zeroed flow with ep[0] = src, ep[1] = dst; NULL when memory ran out. */
cap_flow *cap_flow_insert(cap_flow_table *t, const cap_endpoint *src, const cap_endpoint *dst);
/* Unlink f (the caller frees what it holds, then f itself with free()). */
void cap_flow_remove(cap_flow_table *t, cap_flow *f);
/* Every flow, unlinked, into a new array (caller frees); *n its length. */
cap_flow **cap_flow_table_take_all(cap_flow_table *t, size_t *n);
void cap_flow_table_free(cap_flow_table *t);

#endif
