/* The decoder's cursor and the field readers every per-type decoder shares. Errors carry the
 * offset of the offending field's first byte (in a string: of the offending character), counted
 * from the packet start. */
#ifndef MQTT_DECODE_INTERNAL_H
#define MQTT_DECODE_INTERNAL_H

#include "mqtt/decode.h"
#include "mqtt/properties.h"
#include "property_table.h"
#include "props_quick.h"
#include "text_scan.h"
#include "wire.h"

typedef struct decoder {
    const uint8_t *start; /* first byte of the packet */
    const uint8_t *pos;   /* next unread byte */
    const uint8_t *end;   /* one past the packet's last byte */
    mqtt_version version;
    mqtt_direction direction;
    mqtt_error *err;
    bool zero_id_acks; /* mqtt_decode_opts.zero_id_acks */
} decoder;

/* The statement a field names in 3.1 / 3.1.1 and in 5.0. */
typedef struct statement_pair {
    const char *v311;
    const char *v5;
} statement_pair;

typedef mqtt_err (*body_decoder)(decoder *d, mqtt_packet *pkt);

mqtt_err decode_connect(decoder *d, mqtt_packet *pkt);
mqtt_err decode_connack(decoder *d, mqtt_packet *pkt);
mqtt_err decode_publish(decoder *d, mqtt_packet *pkt);
mqtt_err decode_ack(decoder *d, mqtt_packet *pkt);
mqtt_err decode_subscribe(decoder *d, mqtt_packet *pkt);
mqtt_err decode_unsubscribe(decoder *d, mqtt_packet *pkt);
mqtt_err decode_suback(decoder *d, mqtt_packet *pkt);
mqtt_err decode_empty(decoder *d, mqtt_packet *pkt);
mqtt_err decode_disconnect(decoder *d, mqtt_packet *pkt);
mqtt_err decode_auth(decoder *d, mqtt_packet *pkt);

static inline uint32_t dec_offset(const decoder *d, const uint8_t *at)
{
    return (uint32_t)(at - d->start);
}

static inline const char *dec_pick(const decoder *d, statement_pair s)
{
    return d->version == MQTT_V5 ? s.v5 : s.v311;
}

static inline mqtt_err dec_fail_cited(decoder *d, mqtt_err code, const uint8_t *at, const char *statement)
{
    d->err->code = code;
    d->err->offset = dec_offset(d, at);
    d->err->statement = statement;
    return code;
}

/* With the rule's default statement for the version. */
static inline mqtt_err dec_fail(decoder *d, mqtt_err code, const uint8_t *at)
{
    return dec_fail_cited(d, code, at, mqtt_err_statement(code, d->version));
}

static inline size_t dec_left(const decoder *d)
{
    return (size_t)(d->end - d->pos);
}

static inline mqtt_err dec_u8(decoder *d, uint8_t *out)
{
    if (d->pos >= d->end)
        return dec_fail(d, MQTT_ERR_FIELD_OVERRUNS_PACKET, d->pos);
    *out = *d->pos++;
    return MQTT_OK;
}

static inline mqtt_err dec_u16(decoder *d, uint16_t *out)
{
    if (dec_left(d) < 2)
        return dec_fail(d, MQTT_ERR_FIELD_OVERRUNS_PACKET, d->pos);
    *out = wire_u16(d->pos);
    d->pos += 2;
    return MQTT_OK;
}

/* A Packet Identifier, which may never be 0: zero_rule is the statement each version gives for the
 * packet at hand (an acknowledgement carries the non-zero id of what it answers). */
static inline mqtt_err dec_packet_id(decoder *d, uint16_t *out, statement_pair zero_rule)
{
    const uint8_t *at = d->pos;
    mqtt_err e = dec_u16(d, out);
    if (e == MQTT_OK && *out == 0)
        return dec_fail_cited(d, MQTT_ERR_PACKET_ID_ZERO, at, dec_pick(d, zero_rule));
    return e;
}

/* An acknowledgement's Packet Identifier: 0 only where the receiver sent 0 itself (the option). */
static inline mqtt_err dec_ack_packet_id(decoder *d, uint16_t *out, statement_pair zero_rule)
{
    if (d->zero_id_acks)
        return dec_u16(d, out);
    return dec_packet_id(d, out, zero_rule);
}

/* The zero rules: a sender's own new packet (5.0 splits it by sender), an acknowledgement of a
 * PUBLISH, of a SUBSCRIBE / UNSUBSCRIBE. */
static inline statement_pair dec_new_packet_id_rule(const decoder *d)
{
    return (statement_pair){"MQTT-2.3.1-1", d->direction == MQTT_DIR_TO_CLIENT ? "MQTT-2.2.1-4" : "MQTT-2.2.1-3"};
}
#define PUBLISH_ACK_ID_RULE ((statement_pair){"MQTT-2.3.1-6", "MQTT-2.2.1-5"})
#define SUBSCRIBE_ACK_ID_RULE ((statement_pair){"MQTT-2.3.1-7", "MQTT-2.2.1-6"})

/* Length-prefixed binary data. */
static inline mqtt_err dec_binary(decoder *d, mqtt_bytes *out)
{
    const uint8_t *at = d->pos;
    if (wire_prefixed(at, d->end, out, &d->pos) != MQTT_OK)
        return dec_fail(d, MQTT_ERR_FIELD_OVERRUNS_PACKET, at);
    return MQTT_OK;
}

/* Topic names and filters have their own rule against U+0000, in both versions. */
#define TOPIC_NULL_STATEMENT "MQTT-4.7.3-2"

/* Length-prefixed UTF-8 string; utf8 names the field's own statement for ill-formed UTF-8 (NULL
 * pair members: the generic one). With reject_wildcards the string is a topic name: a '+' or '#'
 * gives MQTT_ERR_TOPIC_WILDCARD and U+0000 cites the topic rule. */
static inline mqtt_err dec_text(decoder *d, mqtt_bytes *out, statement_pair utf8, bool reject_wildcards)
{
    const uint8_t *at = d->pos;
    if (wire_prefixed(at, d->end, out, &d->pos) != MQTT_OK)
        return dec_fail(d, MQTT_ERR_FIELD_OVERRUNS_PACKET, at);
    uint32_t bad;
    mqtt_err e = text_scan(out->data, out->len, reject_wildcards, &bad);
    if (e == MQTT_OK)
        return MQTT_OK;
    const char *statement = e == MQTT_ERR_UTF8_INVALID ? dec_pick(d, utf8) : NULL;
    if (e == MQTT_ERR_UTF8_NULL && reject_wildcards)
        statement = TOPIC_NULL_STATEMENT;
    return dec_fail_cited(d, e, out->data + bad, statement ? statement : mqtt_err_statement(e, d->version));
}

/* Property Length and the bytes of the list it announces, not yet validated. */
static inline mqtt_err dec_props_bytes(decoder *d, mqtt_props *out)
{
    const uint8_t *at = d->pos;
    uint32_t len;
    mqtt_err e = wire_varint(at, d->end, &len, &d->pos);
    if (e != MQTT_OK)
        return dec_fail(d, e, at);
    if (dec_left(d) < len)
        return dec_fail(d, MQTT_ERR_FIELD_OVERRUNS_PACKET, at);
    out->data = d->pos;
    out->len = len;
    d->pos += len;
    return MQTT_OK;
}

/* Property Length then a property list valid in place; *seen as props_check gives it. */
static inline mqtt_err dec_props(decoder *d, unsigned place, mqtt_props *out, uint64_t *seen)
{
    mqtt_err e = dec_props_bytes(d, out);
    if (e != MQTT_OK)
        return e;
    return props_check(out->data, out->len, place, d->direction, dec_offset(d, out->data), d->err, seen);
}

/* The same with the quick walk inline (place a constant), for the PUBLISH hot path. */
WIRE_HOT_INLINE mqtt_err dec_props_hot(decoder *d, unsigned place, mqtt_props *out, uint64_t *seen)
{
    mqtt_err e = dec_props_bytes(d, out);
    if (e != MQTT_OK || props_surely_valid(out->data, out->data + out->len, place, d->direction, seen))
        return e;
    return props_check_exact(out->data, out->len, place, d->direction, dec_offset(d, out->data), d->err, seen);
}

/* No bytes may follow the last field. */
static inline mqtt_err dec_finish(decoder *d)
{
    return d->pos == d->end ? MQTT_OK : dec_fail(d, MQTT_ERR_TRAILING_BYTES, d->pos);
}

/* A reason code allowed in this packet type, version and direction. */
mqtt_err dec_reason_check(decoder *d, mqtt_packet_type type, uint8_t code, const uint8_t *at);

/* 5.0 short forms: nothing left means code 0 without properties; one byte, the code alone; more,
 * the code then properties filling the rest. *tail says which of the three was on the wire. */
mqtt_err dec_reason_tail(decoder *d, mqtt_packet_type type, uint8_t *code, mqtt_props *props, mqtt_tail *tail,
                         uint64_t *seen);

#endif
