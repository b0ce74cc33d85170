/* The open TCP connections, found by their address/port pair in either direction. A flow holds its
 * two reassembly directions and its MQTT state; it is freed when the connection closes. */
#ifndef MQTK_FLOW_TABLE_H
#define MQTK_FLOW_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture.h"
#include "mqtt_stream.h"
#include "reassembly.h"
#include "stream_transport.h"

typedef struct flow flow;

/* What a reassembly direction's sink needs to reach back to its flow. */
typedef struct flow_side {
    flow *f;
    int sender;
} flow_side;

struct flow {
    flow *next_in_bucket;
    uint32_t hash;
    mqtk_endpoint ep[2]; /* ep[0] sent the first segment seen */
    uint32_t isn[2];     /* initial sequence numbers, when the SYN was seen */
    reasm_dir reasm[2];  /* by sender */
    flow_side side[2];
    stream_transport xport; /* WebSocket or TLS in front of mqtt, or plain */
    cap_stream mqtt;
    bool ignored;        /* filtered out by --stream: followed only to see it close */
};

typedef struct flow_table {
    flow **buckets;
    size_t bucket_count; /* a power of two */
    size_t count;
} flow_table;

bool flow_table_init(flow_table *t);
/* The flow between src and dst in either direction; *sender is src's index in it. */
flow *flow_find(const flow_table *t, const mqtk_endpoint *src, const mqtk_endpoint *dst, int *sender);
/* A new zeroed flow with ep[0] = src, ep[1] = dst; NULL when memory ran out. */
flow *flow_insert(flow_table *t, const mqtk_endpoint *src, const mqtk_endpoint *dst);
/* Unlink f (the caller frees what it holds, then f itself with free()). */
void flow_remove(flow_table *t, flow *f);
/* Every flow, unlinked, into a new array (caller frees); *n its length. */
flow **flow_table_take_all(flow_table *t, size_t *n);
void flow_table_free(flow_table *t);

#endif
