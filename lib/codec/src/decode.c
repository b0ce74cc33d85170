/* mqtt_decode: frame, check the fixed header against its table, then hand the body to the decoder
 * of its packet type. */
#include "decode_internal.h"
#include "fixed_header_table.h"
#include "publish_quick.h"
#include "reason_table.h"

static const body_decoder body_decoders[16] = {
    [MQTT_CONNECT] = decode_connect,         [MQTT_CONNACK] = decode_connack,
    [MQTT_PUBLISH] = decode_publish,         [MQTT_PUBACK] = decode_ack,
    [MQTT_PUBREC] = decode_ack,              [MQTT_PUBREL] = decode_ack,
    [MQTT_PUBCOMP] = decode_ack,             [MQTT_SUBSCRIBE] = decode_subscribe,
    [MQTT_SUBACK] = decode_suback,           [MQTT_UNSUBSCRIBE] = decode_unsubscribe,
    [MQTT_UNSUBACK] = decode_suback,         [MQTT_PINGREQ] = decode_empty,
    [MQTT_PINGRESP] = decode_empty,          [MQTT_DISCONNECT] = decode_disconnect,
    [MQTT_AUTH] = decode_auth,
};

static mqtt_result malformed(mqtt_frame *frame, mqtt_err code, uint32_t offset, const char *statement)
{
    frame->error = (mqtt_error){code, offset, statement};
    return MQTT_MALFORMED;
}

/* Not a whole packet within the limit: framing says what is missing or wrong. */
WIRE_COLD mqtt_result decode_unframed(const uint8_t *buf, size_t len, mqtt_version version, uint32_t max_packet_size,
                                      mqtt_frame *frame)
{
    mqtt_result r = mqtt_frame_packet(buf, len, max_packet_size, frame);
    if (r == MQTT_MALFORMED && version_known(version))
        frame->error.statement = mqtt_err_statement(frame->error.code, version);
    return r;
}

/* A fixed header read whole, but the packet too large or not all there: what mqtt_frame_packet says
 * then, in its order, without reading the header again (the stream fuzz target meets this often). */
WIRE_COLD mqtt_result decode_unfinished(uint64_t packet_len, mqtt_version version, uint32_t max_packet_size,
                                        mqtt_frame *frame)
{
    if (packet_len > (max_packet_size ? max_packet_size : MQTT_MAX_PACKET_SIZE)) {
        const char *statement = version_known(version) ? mqtt_err_statement(MQTT_ERR_PACKET_TOO_LARGE, version) : NULL;
        return malformed(frame, MQTT_ERR_PACKET_TOO_LARGE, 0, statement);
    }
    frame->need = (uint32_t)packet_len;
    return MQTT_NEED_MORE;
}

/* The fixed header breaks its row of the table (or the version is not one): which rule, checked in
 * the order mqtt_decode lists them; the Remaining Length is the last. */
WIRE_COLD mqtt_result decode_bad_header(mqtt_version version, unsigned type, unsigned flags, mqtt_frame *frame)
{
    if (!version_known(version))
        return malformed(frame, MQTT_ERR_PROTOCOL_LEVEL, 0, NULL); /* opts->version is not a version */
    const fixed_header_rule *rule = &mqtt_fixed_header_rules[type];
    if (rule->min_version == 0 || version < rule->min_version)
        return malformed(frame, MQTT_ERR_BAD_PACKET_TYPE, 0, mqtt_err_statement(MQTT_ERR_BAD_PACKET_TYPE, version));
    if ((flags & rule->flags_mask) != rule->flags_required)
        return malformed(frame, MQTT_ERR_BAD_FIXED_HEADER_FLAGS, 0, rule->flags_statement[version_column(version)]);
    return malformed(frame, MQTT_ERR_WRONG_REMAINING_LENGTH, 1,
                     mqtt_err_statement(MQTT_ERR_WRONG_REMAINING_LENGTH, version));
}

/* A PUBACK, PUBREC, PUBREL or PUBCOMP of two bytes (its Packet Identifier alone) or, in 5.0, three
 * (a reason code after it), framed at buf: the commonest packets after PUBLISH. true when every rule
 * decode_framed and decode_ack test holds, with *pkt filled as they fill it; false leaves it to them,
 * so errors are named as before. */
static inline bool ack_quick(const uint8_t *buf, uint32_t remaining, const mqtt_decode_opts *opts, mqtt_packet *pkt)
{
    const unsigned type = buf[0] >> 4, flags = buf[0] & 0x0Fu;
    const mqtt_version version = opts->version;
    if (type < MQTT_PUBACK || type > MQTT_PUBCOMP || !version_known(version) ||
        (flags & mqtt_fixed_header_rules[type].flags_mask) != mqtt_fixed_header_rules[type].flags_required ||
        (remaining == 3 && version != MQTT_V5))
        return false;
    const uint16_t packet_id = wire_u16(buf + 2);
    /* the 5.0 short form stands for reason code 0, which the sender must be allowed to send too */
    const uint8_t code = remaining == 3 ? buf[4] : 0;
    if ((packet_id == 0 && !opts->zero_id_acks) ||
        (version == MQTT_V5 && !mqtt_reason_allowed(version, (mqtt_packet_type)type, code, opts->direction)))
        return false;
    pkt->type = (mqtt_packet_type)type;
    pkt->flags = (uint8_t)flags;
    pkt->remaining_length = remaining;
    pkt->u.ack = (mqtt_ack){packet_id, code, {NULL, 0}, remaining == 3 ? MQTT_TAIL_REASON : MQTT_TAIL_SHORTEST};
    return true;
}

/* A whole packet (its sizes in *frame) by every rule in order: the type's row of the table, then its
 * body decoder; a valid short acknowledgement first goes the short way (ack_quick: corpus decode
 * 266 -> 251 instructions a packet, the stream fuzz target 15 % fewer; here rather than in mqtt_decode,
 * where it cost the PUBLISH path 3). */
WIRE_OUT_OF_LINE mqtt_result decode_framed(const uint8_t *buf, const mqtt_decode_opts *opts, mqtt_packet *pkt,
                                           mqtt_frame *frame)
{
    if ((frame->remaining_length == 2 || frame->remaining_length == 3) &&
        ack_quick(buf, frame->remaining_length, opts, pkt))
        return MQTT_COMPLETE;
    mqtt_version version = opts->version;
    const uint32_t remaining = frame->remaining_length, packet_len = frame->packet_len;
    const unsigned type = buf[0] >> 4, flags = buf[0] & 0x0Fu;
    if (type == MQTT_CONNECT) { /* a CONNECT is read by the level it announces */
        mqtt_version own = mqtt_version_from_level(mqtt_peek_connect_level(buf, packet_len));
        if (own)
            version = own;
    }
    const fixed_header_rule *rule = &mqtt_fixed_header_rules[type];
    const int col = version_column(version);
    if (!version_known(version) || rule->min_version == 0 || version < rule->min_version ||
        (flags & rule->flags_mask) != rule->flags_required || remaining < rule->min_remaining[col] ||
        remaining > rule->max_remaining[col])
        return decode_bad_header(version, type, flags, frame);

    pkt->type = (mqtt_packet_type)type;
    pkt->flags = (uint8_t)flags;
    pkt->remaining_length = remaining;
    decoder d = {buf, buf + frame->header_len, buf + packet_len, version, opts->direction, &frame->error,
                 opts->zero_id_acks};
    return body_decoders[type](&d, pkt) == MQTT_OK ? MQTT_COMPLETE : MQTT_MALFORMED;
}

static const mqtt_decode_opts default_opts = {.version = MQTT_V5, .direction = MQTT_DIR_UNKNOWN};

/* A framed packet (its sizes in *frame): the hot path, a valid PUBLISH read by publish_quick, inline.
 * Any other packet, or any doubt, goes to decode_framed, which reads it by every rule in order (and
 * writes *pkt again). */
WIRE_HOT_INLINE mqtt_result decode_whole(const uint8_t *buf, const mqtt_decode_opts *opts, mqtt_packet *pkt,
                                         mqtt_frame *frame)
{
    /* a PUBLISH with flags it may carry: the first byte less the type's is one of 16, and its bit is set */
    const unsigned flags = buf[0] - (unsigned)(MQTT_PUBLISH << 4);
    if (flags > 15u || !(PUBLISH_FLAGS_OK >> flags & 1u) || !version_known(opts->version))
        return decode_framed(buf, opts, pkt, frame);
    pkt->type = MQTT_PUBLISH;
    pkt->flags = (uint8_t)flags;
    pkt->remaining_length = frame->remaining_length;
    if (!publish_quick(buf + frame->header_len, buf + frame->packet_len, flags, opts, &pkt->u.publish))
        return decode_framed(buf, opts, pkt, frame);
    return MQTT_COMPLETE;
}

/* Framing first (a packet not all there goes to decode_unframed), then decode_whole. */
mqtt_result mqtt_decode(const uint8_t *buf, size_t len, const mqtt_decode_opts *opts, mqtt_packet *pkt,
                        mqtt_frame *frame)
{
    if (!opts)
        opts = &default_opts;
    uint32_t remaining = 0, header_len = 2;
    if (len < 2 || buf[1] >= 0x80) { /* a Remaining Length of one byte is the common case */
        if (len < 2 || wire_fixed_header(buf, len, &remaining, &header_len) != MQTT_OK)
            return decode_unframed(buf, len, opts->version, opts->max_packet_size, frame);
    } else {
        remaining = buf[1];
    }
    const uint64_t packet_len = (uint64_t)header_len + remaining;
    if (packet_len > len || (opts->max_packet_size && packet_len > opts->max_packet_size))
        return decode_unfinished(packet_len, opts->version, opts->max_packet_size, frame);
    frame->packet_len = (uint32_t)packet_len;
    frame->remaining_length = remaining;
    frame->header_len = (uint8_t)header_len;
    return decode_whole(buf, opts, pkt, frame);
}

mqtt_result mqtt_decode_framed(const uint8_t *buf, const mqtt_frame *framed, const mqtt_decode_opts *opts,
                               mqtt_packet *pkt, mqtt_frame *frame)
{
    frame->packet_len = framed->packet_len;
    frame->remaining_length = framed->remaining_length;
    frame->header_len = framed->header_len;
    return decode_whole(buf, opts ? opts : &default_opts, pkt, frame);
}

unsigned mqtt_peek_connect_level(const uint8_t *buf, size_t len)
{
    if (len < 2 || (buf[0] >> 4) != MQTT_CONNECT)
        return 0;
    const uint8_t *end = buf + len, *p;
    uint32_t remaining;
    if (wire_varint(buf + 1, end, &remaining, &p) != MQTT_OK)
        return 0;
    mqtt_bytes name;
    if (wire_prefixed(p, end, &name, &p) != MQTT_OK || p >= end)
        return 0;
    return *p;
}

bool mqtt_peek_packet_id(const uint8_t *buf, size_t len, uint16_t *packet_id)
{
    uint32_t remaining, header_len;
    if (len < 2 || wire_fixed_header(buf, len, &remaining, &header_len) != MQTT_OK)
        return false;
    const unsigned type = buf[0] >> 4;
    const uint8_t *at = buf + header_len, *end = buf + len;
    if (type == MQTT_PUBLISH) {
        if (((buf[0] >> 1) & 3u) == 0 || end - at < 2)
            return false;
        at += 2 + wire_u16(at); /* past the Topic Name */
    } else if (type < MQTT_PUBACK || type > MQTT_UNSUBACK) {
        return false;
    }
    if (end - at < 2)
        return false;
    *packet_id = wire_u16(at);
    return true;
}

mqtt_err dec_reason_check(decoder *d, mqtt_packet_type type, uint8_t code, const uint8_t *at)
{
    if (mqtt_reason_allowed(d->version, type, code, d->direction))
        return MQTT_OK;
    return dec_fail_cited(d, MQTT_ERR_REASON_CODE_NOT_ALLOWED, at, reason_statement(d->version, type));
}

mqtt_err dec_reason_tail(decoder *d, mqtt_packet_type type, uint8_t *code, mqtt_props *props, mqtt_tail *tail,
                         uint64_t *seen)
{
    *code = 0;
    *props = (mqtt_props){NULL, 0};
    *tail = MQTT_TAIL_SHORTEST;
    *seen = 0;
    if (d->pos == d->end) /* a 5.0 short form implies code 0, which not every sender may use */
        return d->version == MQTT_V5 ? dec_reason_check(d, type, 0, d->start) : MQTT_OK;
    const uint8_t *code_at = d->pos;
    *code = *d->pos++;
    *tail = MQTT_TAIL_REASON;
    mqtt_err e = dec_reason_check(d, type, *code, code_at);
    if (e != MQTT_OK || d->pos == d->end)
        return e;
    *tail = MQTT_TAIL_PROPERTIES;
    if ((e = dec_props(d, type, props, seen)) != MQTT_OK)
        return e;
    return dec_finish(d);
}
