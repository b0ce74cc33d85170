/* mqtk codec — MQTT 5.0 properties: identifiers, the property matrix, validation, reading and
 * building. A property list is kept as raw bytes (mqtt_props); the decoder validates it in one
 * pass, after which the iterator and accessors read it with no fixed pool, so any number of User
 * Properties works. */
#ifndef MQTT_PROPERTIES_H
#define MQTT_PROPERTIES_H

#include "mqtt/errors.h"
#include "mqtt/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mqtt_prop_id {
    MQTT_PROP_PAYLOAD_FORMAT_INDICATOR = 0x01,
    MQTT_PROP_MESSAGE_EXPIRY_INTERVAL = 0x02,
    MQTT_PROP_CONTENT_TYPE = 0x03,
    MQTT_PROP_RESPONSE_TOPIC = 0x08,
    MQTT_PROP_CORRELATION_DATA = 0x09,
    MQTT_PROP_SUBSCRIPTION_IDENTIFIER = 0x0B,
    MQTT_PROP_SESSION_EXPIRY_INTERVAL = 0x11,
    MQTT_PROP_ASSIGNED_CLIENT_IDENTIFIER = 0x12,
    MQTT_PROP_SERVER_KEEP_ALIVE = 0x13,
    MQTT_PROP_AUTHENTICATION_METHOD = 0x15,
    MQTT_PROP_AUTHENTICATION_DATA = 0x16,
    MQTT_PROP_REQUEST_PROBLEM_INFORMATION = 0x17,
    MQTT_PROP_WILL_DELAY_INTERVAL = 0x18,
    MQTT_PROP_REQUEST_RESPONSE_INFORMATION = 0x19,
    MQTT_PROP_RESPONSE_INFORMATION = 0x1A,
    MQTT_PROP_SERVER_REFERENCE = 0x1C,
    MQTT_PROP_REASON_STRING = 0x1F,
    MQTT_PROP_RECEIVE_MAXIMUM = 0x21,
    MQTT_PROP_TOPIC_ALIAS_MAXIMUM = 0x22,
    MQTT_PROP_TOPIC_ALIAS = 0x23,
    MQTT_PROP_MAXIMUM_QOS = 0x24,
    MQTT_PROP_RETAIN_AVAILABLE = 0x25,
    MQTT_PROP_USER_PROPERTY = 0x26,
    MQTT_PROP_MAXIMUM_PACKET_SIZE = 0x27,
    MQTT_PROP_WILDCARD_SUBSCRIPTION_AVAILABLE = 0x28,
    MQTT_PROP_SUBSCRIPTION_IDENTIFIER_AVAILABLE = 0x29,
    MQTT_PROP_SHARED_SUBSCRIPTION_AVAILABLE = 0x2A
} mqtt_prop_id;

#define MQTT_PROP_ID_MAX 0x2A

typedef enum mqtt_prop_type {
    MQTT_PTYPE_NONE = 0, /* not a property id */
    MQTT_PTYPE_BYTE,
    MQTT_PTYPE_U16,
    MQTT_PTYPE_U32,
    MQTT_PTYPE_VARINT,
    MQTT_PTYPE_BINARY,
    MQTT_PTYPE_STRING,
    MQTT_PTYPE_STRING_PAIR
} mqtt_prop_type;

/* Where a property list stands: a packet type, or the Will Properties of a CONNECT. */
#define MQTT_PROPS_IN_WILL 16u

typedef struct mqtt_property {
    mqtt_prop_id id;
    mqtt_prop_type type;
    uint32_t offset; /* of the identifier byte, from the start of the list's bytes */
    uint32_t value;  /* BYTE, U16, U32, VARINT */
    mqtt_bytes data; /* BINARY, STRING; the name for STRING_PAIR */
    mqtt_bytes data2; /* the value for STRING_PAIR */
} mqtt_property;

/* Matrix look-ups (one constant table, codec/src/property_table.c). */
mqtt_prop_type mqtt_prop_type_of(unsigned id);
const char *mqtt_prop_name(unsigned id);       /* "session_expiry_interval"; NULL if unknown */
unsigned mqtt_prop_by_name(const char *name);  /* 0 if unknown */
/* Whether property id may stand in place (a packet type or MQTT_PROPS_IN_WILL). */
bool mqtt_prop_allowed_in(unsigned id, unsigned place);
/* Whether it may appear more than once in that place (User Property; Subscription Identifier in PUBLISH). */
bool mqtt_prop_may_repeat(unsigned id, unsigned place);

/* Validate a whole list for place: known ids, allowed there, no forbidden repeats, values in range,
 * UTF-8 strings, lengths inside the list, Authentication Data only with a Method, and the one-sided
 * rules when direction is known. base_offset is added to error offsets (the list's position in the
 * packet). */
mqtt_err mqtt_props_validate(mqtt_props props, unsigned place, mqtt_direction direction, uint32_t base_offset,
                             mqtt_error *err);

/* The type of each property id, MQTT_PTYPE_NONE for an unassigned one (from the matrix, as
 * mqtt_prop_type_of gives it; a byte indexes it without a range check). */
extern const uint8_t mqtt_prop_types[256];

/* Walk a validated list. The iterator is inline: an application reads the properties right after
 * decoding, and a call per property cost more than reading it. */
typedef struct mqtt_prop_iter {
    const uint8_t *pos;
    const uint8_t *start;
    const uint8_t *end;
} mqtt_prop_iter;

static inline void mqtt_prop_iter_init(mqtt_prop_iter *it, mqtt_props props)
{
    it->start = props.data;
    it->pos = props.data;
    it->end = props.len ? props.data + props.len : props.data;
}

/* A two-byte length then that many bytes, before end: the byte after them, or NULL. */
static inline const uint8_t *mqtt_prop_read_prefixed_(const uint8_t *p, const uint8_t *end, mqtt_bytes *out)
{
    if (end - p < 2)
        return NULL;
    uint32_t n = (uint32_t)p[0] << 8 | p[1];
    if ((size_t)(end - p) - 2 < n)
        return NULL;
    out->data = p + 2;
    out->len = n;
    return p + 2 + n;
}

/* The property at p (before end) into *prop: the byte after it, or NULL when malformed. */
static inline const uint8_t *mqtt_prop_read_(const uint8_t *p, const uint8_t *end, mqtt_property *prop)
{
    switch (prop->type) {
    case MQTT_PTYPE_BYTE:
        if (end - p < 1)
            return NULL;
        prop->value = p[0];
        return p + 1;
    case MQTT_PTYPE_U16:
        if (end - p < 2)
            return NULL;
        prop->value = (uint32_t)p[0] << 8 | p[1];
        return p + 2;
    case MQTT_PTYPE_U32:
        if (end - p < 4)
            return NULL;
        prop->value = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
        return p + 4;
    case MQTT_PTYPE_VARINT: { /* at most 4 bytes; validation saw it minimal */
        uint32_t v = 0;
        for (unsigned i = 0;; i++) {
            if (i == 4 || p == end)
                return NULL;
            v |= (uint32_t)(*p & 0x7Fu) << (7 * i);
            if (!(*p++ & 0x80u))
                break;
        }
        prop->value = v;
        return p;
    }
    case MQTT_PTYPE_BINARY:
    case MQTT_PTYPE_STRING:
        return mqtt_prop_read_prefixed_(p, end, &prop->data);
    case MQTT_PTYPE_STRING_PAIR:
        p = mqtt_prop_read_prefixed_(p, end, &prop->data);
        return p ? mqtt_prop_read_prefixed_(p, end, &prop->data2) : NULL;
    default: /* an unassigned id */
        return NULL;
    }
}

/* Next property into *out (fields its type does not use are 0); false at the end (and, defensively,
 * at anything malformed), with *out all 0. */
static inline bool mqtt_prop_next(mqtt_prop_iter *it, mqtt_property *out)
{
    const uint8_t *p = it->pos, *end = it->end;
    mqtt_property prop = {(mqtt_prop_id)0, MQTT_PTYPE_NONE, 0, 0, {NULL, 0}, {NULL, 0}};
    if (p && p < end) {
        prop.id = (mqtt_prop_id)*p;
        prop.type = (mqtt_prop_type)mqtt_prop_types[*p];
        prop.offset = (uint32_t)(p - it->start);
        p = mqtt_prop_read_(p + 1, end, &prop);
        if (p) {
            it->pos = p;
            *out = prop;
            return true;
        }
    }
    *out = (mqtt_property){(mqtt_prop_id)0, MQTT_PTYPE_NONE, 0, 0, {NULL, 0}, {NULL, 0}};
    return false;
}

/* First property with this id; false when absent. */
bool mqtt_props_find(mqtt_props props, unsigned id, mqtt_property *out);
/* Number of properties in a validated list. */
uint32_t mqtt_props_count(mqtt_props props);

/* Build a list into caller memory. Errors stick: after the first failure further adds do nothing
 * and mqtt_props_finish reports it. The value kind must match the id's type. */
typedef struct mqtt_props_builder {
    uint8_t *buf;
    uint32_t cap;
    uint32_t len;
    mqtt_err err;
} mqtt_props_builder;

void mqtt_props_builder_init(mqtt_props_builder *b, uint8_t *buf, size_t cap);
void mqtt_props_add_int(mqtt_props_builder *b, unsigned id, uint32_t value);       /* BYTE U16 U32 VARINT */
void mqtt_props_add_bytes(mqtt_props_builder *b, unsigned id, mqtt_bytes value);   /* BINARY STRING */
void mqtt_props_add_pair(mqtt_props_builder *b, unsigned id, mqtt_bytes name, mqtt_bytes value);
mqtt_err mqtt_props_finish(const mqtt_props_builder *b, mqtt_props *out);

#ifdef __cplusplus
}
#endif
#endif
