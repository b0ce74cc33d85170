/* The one table of packet fields: the canonical name (also the JSON key of docs/json-schema.md and
 * the name `mqtk replay` reports), the short alias conformance scripts use, the kind of value, the
 * packet types that carry it, its getter and a one-line description. Scripts, replay and the JSON
 * vocabulary all read this table. */
#ifndef MQTK_PACKET_FIELDS_H
#define MQTK_PACKET_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mqtt/codec.h"

typedef enum pf_kind { PF_INT, PF_BYTES, PF_CODES } pf_kind;

typedef struct pf_value {
    uint32_t num;     /* PF_INT */
    mqtt_bytes bytes; /* PF_BYTES, PF_CODES */
} pf_value;

typedef enum pf_id {
    PF_SESSION_PRESENT,
    PF_REASON_CODE,
    PF_TOPIC,
    PF_PAYLOAD,
    PF_QOS,
    PF_RETAIN,
    PF_DUP,
    PF_PACKET_ID,
    PF_REASON_CODES,
    PF_FLAGS,
    PF_REMAINING_LENGTH,
    PF_PACKET_SIZE,
    PF_COUNT
} pf_id;

typedef struct packet_field {
    const char *name;  /* canonical: "packet_id" */
    const char *alias; /* in scripts: "pid" */
    pf_kind kind;
    unsigned types;    /* bit (1 << type) per packet type that carries it */
    bool (*get)(const mqtt_packet *p, pf_value *v); /* false: absent in this packet (QoS 0 packet id) */
    const char *description;
} packet_field;

extern const packet_field pf_fields[PF_COUNT];

/* By canonical name or by script alias; NULL when none. */
const packet_field *pf_by_name(const char *name);
const packet_field *pf_by_alias(const char *alias);
/* Whether p's type carries f. */
bool pf_on(const packet_field *f, const mqtt_packet *p);

#endif
