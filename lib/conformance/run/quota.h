/* The test's own side of 5.0 flow control: a client may have at most the broker's Receive Maximum QoS 1
 * and QoS 2 PUBLISH packets unacknowledged [MQTT-3.3.4-7]. The runner counts them per network
 * connection, so that a test about to break that rule is reported as the test's bug, not left for a
 * strict broker to answer with DISCONNECT 0x93 and a verdict about something else. */
#ifndef CR_QUOTA_H
#define CR_QUOTA_H

#include <stdbool.h>
#include <stdint.h>

#include "mqtt/codec.h"

enum { CR_QUOTA_TRACKED = 64 }; /* identifiers followed at once; past that, counting stops */

typedef struct cr_quota {
    uint16_t max;      /* the broker's Receive Maximum (0: no limit known: not 5.0, or no CONNACK yet) */
    uint16_t n;        /* identifiers unacknowledged */
    bool lost;         /* more than CR_QUOTA_TRACKED at once: no longer counted */
    uint16_t ids[CR_QUOTA_TRACKED];
} cr_quota;

/* A new network connection: nothing in flight, no limit known. */
void cr_quota_reset(cr_quota *q);
/* A 5.0 CONNACK accepting the connection sets the limit (65535 when it carries no Receive Maximum). */
void cr_quota_connack(cr_quota *q, const mqtt_connack *ack);
/* A QoS 1 or 2 PUBLISH with this identifier is about to be sent: false when it would be one over the
 * limit. An identifier already in flight (a resend) takes nothing more. */
bool cr_quota_take(cr_quota *q, uint16_t packet_id);
/* A packet from the broker: PUBACK, PUBCOMP and a PUBREC of 0x80 or more end their identifier's flight. */
void cr_quota_on_ack(cr_quota *q, const mqtt_packet *p);

#endif
