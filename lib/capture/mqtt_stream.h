/* One TCP connection seen as MQTT: decides whether it is MQTT, which side is the client and which
 * protocol version it speaks, cuts each direction's reassembled bytes into packets, decodes them,
 * and finds the next packet boundary again after a gap or a mid-stream start. */
#ifndef MQTK_MQTT_STREAM_H
#define MQTK_MQTT_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event_emit.h"
#include "capture.h"

typedef enum mqtt_detect {
    MQTT_DETECT_PENDING = 0, /* waiting for the first bytes */
    MQTT_DETECT_YES,
    MQTT_DETECT_NO
} mqtt_detect;

/* One direction, indexed by which endpoint of the flow sent it. */
typedef struct mqtt_half {
    uint8_t *buf; /* bytes not yet decoded: an unfinished packet, or bytes held while hunting */
    size_t len, cap;
    bool seen;            /* some bytes arrived */
    bool hunting;         /* looking for a packet boundary */
    const char *hunt_reason;
    uint64_t hunt_skipped;
    uint64_t skip_left;   /* bytes of an oversized packet still to pass over */
    uint64_t pos;         /* stream position of the first byte not yet used */
} mqtt_half;

typedef struct mqtt_stream {
    mqtk_stream_info info;
    mqtk_endpoint ep[2];  /* the flow's endpoints; ep[0] sent the first segment seen */
    int client;           /* index into ep of the client, -1 while unknown */
    bool mqtt_port[2];    /* ep[i] uses an MQTT port */
    mqtt_detect detect;
    mqtt_half half[2];
    const mqtk_emitter *em;
    uint32_t max_packet;
} mqtt_stream;

/* client: index of the endpoint known to be the client (it sent the SYN), or -1. */
void mqtt_stream_init(mqtt_stream *s, uint64_t id, const mqtk_endpoint ep[2], const bool mqtt_port[2], int client,
                      const mqtk_emitter *em, uint32_t max_packet);

/* Hand an event about this stream to the sink (for the transport layer in front of it). */
void mqtt_stream_emit(mqtt_stream *s, mqtk_event *ev);

/* The transport layer found the stream's carrier (WebSocket, TLS) and its client: the stream is
 * taken as MQTT (TLS: reported only, no bytes follow). */
void mqtt_stream_set_transport(mqtt_stream *s, mqtk_transport transport, int client);

/* In-order bytes from endpoint sender; from_start says the direction's SYN was captured. */
void mqtt_stream_data(mqtt_stream *s, int sender, bool from_start, const uint8_t *p, size_t n);

/* missing bytes from sender will never be seen. */
void mqtt_stream_gap(mqtt_stream *s, int sender, uint32_t seq, uint32_t missing);

/* Retransmitted bytes the reassembly dropped, for the stream's statistics. */
void mqtt_stream_add_retransmitted(mqtt_stream *s, uint64_t bytes);

/* The connection is over: report unfinished packets, then the stream's totals. */
void mqtt_stream_end(mqtt_stream *s);

void mqtt_stream_free(mqtt_stream *s);

#endif
