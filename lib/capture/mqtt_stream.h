/* One TCP connection seen as MQTT: decides whether it is MQTT, which side is the client and which
 * protocol version it speaks, cuts each direction's reassembled bytes into packets, decodes them,
 * and finds the next packet boundary again after a gap or a mid-stream start. */
#ifndef CAP_MQTT_STREAM_H
#define CAP_MQTT_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event_emit.h"
#include "capture.h"

typedef enum cap_detect {
    CAP_DETECT_PENDING = 0, /* waiting for the first bytes */
    CAP_DETECT_YES,
    CAP_DETECT_NO
} cap_detect;

/* One direction, indexed by which endpoint of the flow sent it. */
typedef struct cap_half {
    uint8_t *buf; /* bytes not yet decoded: an unfinished packet, or bytes held while hunting */
    size_t len, cap;
    bool seen;            /* some bytes arrived */
    bool hunting;         /* looking for a packet boundary */
    const char *hunt_reason;
    uint64_t hunt_skipped;
    uint64_t skip_left;   /* bytes of an oversized packet still to pass over */
    uint64_t pos;         /* stream position of the first byte not yet used */
} cap_half;

typedef struct cap_stream {
    cap_stream_info info;
    cap_endpoint ep[2];   /* the flow's endpoints; ep[0] sent the first segment seen */
    int client;           /* index into ep of the client, -1 while unknown */
    bool mqtt_port[2];    /* ep[i] uses an MQTT port */
    cap_detect detect;
    cap_half half[2];
    const cap_emitter *em;
    uint32_t max_packet;
} cap_stream;

/* client: index of the endpoint known to be the client (it sent the SYN), or -1. */
void cap_stream_init(cap_stream *s, uint64_t id, const cap_endpoint ep[2], const bool mqtt_port[2], int client,
                     const cap_emitter *em, uint32_t max_packet);

/* Hand an event about this stream to the sink (for the transport layer in front of it). */
void cap_stream_emit(cap_stream *s, cap_event *ev);

/* The transport layer found the stream's carrier (WebSocket, TLS) and its client: the stream is
 * taken as MQTT (TLS: reported only, no bytes follow). */
void cap_stream_set_transport(cap_stream *s, cap_transport transport, int client);

/* In-order bytes from endpoint sender; from_start says the direction's SYN was captured. */
void cap_stream_data(cap_stream *s, int sender, bool from_start, const uint8_t *p, size_t n);

/* missing bytes from sender will never be seen. */
void cap_stream_gap(cap_stream *s, int sender, uint32_t seq, uint32_t missing);

/* Retransmitted bytes the reassembly dropped, for the stream's statistics. */
void cap_stream_add_retransmitted(cap_stream *s, uint64_t bytes);

/* The connection is over: report unfinished packets, then the stream's totals. */
void cap_stream_end(cap_stream *s);

void cap_stream_free(cap_stream *s);

#endif
