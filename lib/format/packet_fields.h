/* The one table of packet fields: the canonical name (also the JSON key of docs/json-schema.md and
 * the name `mqtk replay` reports), the short alias conformance scripts use, the kind of value, the
 * packet types that carry it, its getter, a description, and how the one-line description of a
 * packet (fmt_packet_line) names and writes it. Scripts, replay, the JSON vocabulary and both
 * one-line styles all read this table. */
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
    /* on the summary line only (no script alias) */
    FMT_PF_CLIENT_ID,
    FMT_PF_CLEAN_START,
    FMT_PF_KEEP_ALIVE,
    FMT_PF_WILL,
    FMT_PF_HAS_USERNAME,
    FMT_PF_HAS_PASSWORD,
    FMT_PF_FILTER_COUNT,
    FMT_PF_COUNT
} fmt_pf_id;

/* How the summary line writes a value after its name. */
typedef enum fmt_pf_show {
    FMT_PF_SHOW_NUMBER, /* id=3 */
    FMT_PF_SHOW_QUOTED, /* topic="a/b" */
    FMT_PF_SHOW_SIZE,   /* payload=2 bytes */
    FMT_PF_SHOW_COUNT,  /* codes=2: how many */
    FMT_PF_SHOW_REASON, /* reason=0x00 (Success) */
    FMT_PF_SHOW_FLAG    /* " dup": the name alone, when set */
} fmt_pf_show;

enum { FMT_PF_SUMMARY_SIZE = 24 };

typedef struct fmt_packet_field {
    const char *name;  /* canonical: "packet_id" */
    const char *alias; /* in scripts: "pid"; NULL: scripts do not match it */
    fmt_pf_kind kind;
    unsigned types;                                     /* bit (1 << type) per packet type that carries it */
    bool (*get)(const mqtt_packet *p, fmt_pf_value *v); /* false: absent in this packet (QoS 0 packet id) */
    const char *description;
    unsigned v5_types; /* of types, those that carry it only from 5.0 on (the acks' reason code) */
    /* its text on the summary line, space and '=' included (" id=", a flag's " dup"); "": not
     * there. An array, so the line copies it whole in a fixed-size copy (a few stores, no strlen) */
    char summary[FMT_PF_SUMMARY_SIZE];
    uint8_t summary_len;
    fmt_pf_show show; /* and how its value is written after it */
} fmt_packet_field;

extern const fmt_packet_field fmt_pf_fields[FMT_PF_COUNT];

/* The fields of each packet type's one-line description (both styles), in wire order; a listed
 * field the packet lacks (fmt_pf_get) is left out. */
typedef struct fmt_pf_line_fields {
    uint8_t count;
    uint8_t ids[6]; /* fmt_pf_id */
} fmt_pf_line_fields;
extern const fmt_pf_line_fields fmt_pf_line[16];

/* By canonical name or by script alias; NULL when none. */
const fmt_packet_field *fmt_pf_by_name(const char *name);
const fmt_packet_field *fmt_pf_by_alias(const char *alias);
/* Whether p's type carries f. */
bool fmt_pf_on(const fmt_packet_field *f, const mqtt_packet *p);
/* Whether p carries f in version v, and its value: fmt_pf_on, before 5.0 not the fields 5.0 added
 * to a type, and what the getter says. */
static inline bool fmt_pf_get(const fmt_packet_field *f, const mqtt_packet *p, mqtt_version v, fmt_pf_value *out)
{
    unsigned bit = (unsigned)p->type < 16 ? 1u << p->type : 0;
    if (!(f->types & bit) || (v != MQTT_V5 && (f->v5_types & bit)))
        return false;
    return f->get(p, out);
}

#endif
