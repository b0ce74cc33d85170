/* The one table of packet fields: the canonical name (also the JSON key of docs/json-schema.md and
 * the name `mqtk replay` reports), the short alias conformance scripts use, the kind of value, the
 * packet types that carry it, its getter and a one-line description. Scripts, replay and the JSON
 * vocabulary all read this table. */
#ifndef FMT_PACKET_FIELDS_H
#define FMT_PACKET_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mqtt/codec.h"

typedef enum fmt_pf_kind { FMT_PF_INT, FMT_PF_BYTES, FMT_PF_CODES } fmt_pf_kind;

typedef struct fmt_pf_value {
    uint32_t num;     /* FMT_PF_INT */
    mqtt_bytes bytes; /* FMT_PF_BYTES, FMT_PF_CODES */
} fmt_pf_value;

typedef enum fmt_pf_id {
    FMT_PF_SESSION_PRESENT,
    FMT_PF_REASON_CODE,
    FMT_PF_TOPIC,
    FMT_PF_PAYLOAD,
    FMT_PF_QOS,
    FMT_PF_RETAIN,
    FMT_PF_DUP,
    FMT_PF_PACKET_ID,
    FMT_PF_REASON_CODES,
    FMT_PF_FLAGS,
    FMT_PF_REMAINING_LENGTH,
    FMT_PF_PACKET_SIZE,
    FMT_PF_COUNT
} fmt_pf_id;

typedef struct fmt_packet_field {
    const char *name;  /* canonical: "packet_id" */
    const char *alias; /* in scripts: "pid" */
    fmt_pf_kind kind;
    unsigned types;    /* bit (1 << type) per packet type that carries it */
    bool (*get)(const mqtt_packet *p, fmt_pf_value *v); /* false: absent in this packet (QoS 0 packet id) */
    const char *description;
} fmt_packet_field;

extern const fmt_packet_field fmt_pf_fields[FMT_PF_COUNT];

/* By canonical name or by script alias; NULL when none. */
const fmt_packet_field *fmt_pf_by_name(const char *name);
const fmt_packet_field *fmt_pf_by_alias(const char *alias);
/* Whether p's type carries f. */
bool fmt_pf_on(const fmt_packet_field *f, const mqtt_packet *p);

#endif
