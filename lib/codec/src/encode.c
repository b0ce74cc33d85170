/* mqtt_encoded_size and mqtt_encode: size the body through the per-type table, frame it with the
 * fixed header, serialize, and (checked mode) hand the bytes to mqtt_decode so that the encoder
 * enforces exactly the rules the decoder does; a PUBLISH its fields show surely valid skips that. */
#include "mqtt/decode.h"
#include "mqtt/encode.h"

#include "encode_body.h"
#include "fixed_header_table.h"
#include "wire_write.h"

typedef struct body_codec {
    enc_size_fn size;
    enc_write_fn write;
} body_codec;

static uint64_t empty_size(const mqtt_packet *pkt, mqtt_version v)
{
    (void)pkt;
    (void)v;
    return 0;
}

static uint8_t *empty_write(const mqtt_packet *pkt, mqtt_version v, uint8_t *p)
{
    (void)pkt;
    (void)v;
    return p;
}

static const body_codec body_codecs[16] = {
    [MQTT_CONNECT] = {enc_connect_size, enc_connect_write},
    [MQTT_CONNACK] = {enc_connack_size, enc_connack_write},
    [MQTT_PUBLISH] = {enc_publish_size, enc_publish_write},
    [MQTT_PUBACK] = {enc_ack_size, enc_ack_write},
    [MQTT_PUBREC] = {enc_ack_size, enc_ack_write},
    [MQTT_PUBREL] = {enc_ack_size, enc_ack_write},
    [MQTT_PUBCOMP] = {enc_ack_size, enc_ack_write},
    [MQTT_SUBSCRIBE] = {enc_id_list_size, enc_id_list_write},
    [MQTT_SUBACK] = {enc_id_list_size, enc_id_list_write},
    [MQTT_UNSUBSCRIBE] = {enc_id_list_size, enc_id_list_write},
    [MQTT_UNSUBACK] = {enc_unsuback_size, enc_unsuback_write},
    [MQTT_PINGREQ] = {empty_size, empty_write},
    [MQTT_PINGRESP] = {empty_size, empty_write},
    [MQTT_DISCONNECT] = {enc_disconnect_size, enc_disconnect_write},
    [MQTT_AUTH] = {enc_auth_size, enc_auth_write},
};

bool enc_checked(const mqtt_encode_opts *opts)
{
    return !(opts && (opts->flags & MQTT_ENCODE_UNCHECKED));
}

mqtt_direction enc_direction(const mqtt_encode_opts *opts)
{
    return opts ? opts->direction : MQTT_DIR_UNKNOWN;
}

mqtt_err enc_total_size(uint64_t body_len, uint32_t *total)
{
    if (body_len > MQTT_MAX_REMAINING_LENGTH)
        return MQTT_ERR_VALUE_OUT_OF_RANGE;
    *total = 1u + wire_varint_size((uint32_t)body_len) + (uint32_t)body_len;
    return MQTT_OK;
}

uint8_t *enc_fixed_header_write(uint8_t *p, uint8_t byte0, uint32_t remaining_length)
{
    *p++ = byte0;
    return wire_write_varint(p, remaining_length);
}

mqtt_err enc_fail(mqtt_error *err, mqtt_err code, uint32_t offset, mqtt_version v)
{
    if (err) {
        err->code = code;
        err->offset = offset;
        err->statement = mqtt_err_statement(code, v);
    }
    return code;
}

/* The table row for pkt's type, or NULL when the type is not 1..15. */
static const body_codec *codec_of(const mqtt_packet *pkt)
{
    unsigned type = (unsigned)pkt->type;
    return type >= 1u && type <= 15u ? &body_codecs[type] : NULL;
}

/* Byte 0: the type and the flags the fixed-header table requires (the decoder's table, the one
 * statement of that rule); PUBLISH carries its fields there instead. */
static uint8_t first_byte(const mqtt_packet *pkt)
{
    if (pkt->type == MQTT_PUBLISH)
        return enc_publish_byte0(&pkt->u.publish);
    return (uint8_t)((unsigned)pkt->type << 4 | mqtt_fixed_header_rules[pkt->type].flags_required);
}

/* Everything mqtt_encoded_size and mqtt_encode share: the row, the version and the body size. */
static mqtt_err size_packet(const mqtt_packet *pkt, const mqtt_encode_opts *opts, const body_codec **codec,
                            mqtt_version *v, uint32_t *body_len, uint32_t *total)
{
    *v = enc_version(opts);
    *codec = codec_of(pkt);
    if (!*codec)
        return MQTT_ERR_BAD_PACKET_TYPE;
    if (!*v)
        return MQTT_ERR_VALUE_OUT_OF_RANGE;
    uint64_t body = (*codec)->size(pkt, *v);
    mqtt_err rc = enc_total_size(body, total);
    *body_len = (uint32_t)body;
    return rc;
}

mqtt_err mqtt_encoded_size(const mqtt_packet *pkt, const mqtt_encode_opts *opts, uint32_t *size)
{
    const body_codec *codec;
    mqtt_version v;
    uint32_t body_len;
    return size_packet(pkt, opts, &codec, &v, &body_len, size);
}

mqtt_err enc_check_by_decoding(const uint8_t *buf, size_t len, mqtt_version v, const mqtt_encode_opts *opts,
                               mqtt_error *err)
{
    mqtt_decode_opts dopts = {.version = v, .direction = enc_direction(opts)};
    mqtt_packet decoded;
    mqtt_frame frame;
    mqtt_result res = mqtt_decode(buf, len, &dopts, &decoded, &frame);
    if (res == MQTT_COMPLETE)
        return MQTT_OK;
    if (res == MQTT_NEED_MORE) /* cannot happen for a packet sized by the same rules; say so loudly */
        return enc_fail(err, MQTT_ERR_TRUNCATED, (uint32_t)len, v);
    if (err)
        *err = frame.error;
    return frame.error.code;
}

mqtt_err mqtt_encode(const mqtt_packet *pkt, const mqtt_encode_opts *opts, uint8_t *buf, size_t cap,
                     size_t *written, mqtt_error *err)
{
    const body_codec *codec;
    mqtt_version v;
    uint32_t body_len, total;
    *written = 0;
    mqtt_err rc = size_packet(pkt, opts, &codec, &v, &body_len, &total);
    if (rc != MQTT_OK)
        return enc_fail(err, rc, 0, v);
    if (cap < total)
        return enc_fail(err, MQTT_ERR_BUFFER_TOO_SMALL, (uint32_t)cap, v);

    uint8_t *p = enc_fixed_header_write(buf, first_byte(pkt), body_len);
    codec->write(pkt, v, p);

    /* checked: validated on the fields when that is sure (the common PUBLISH), else by decoding */
    if (enc_checked(opts) &&
        !(pkt->type == MQTT_PUBLISH && enc_publish_surely_valid(&pkt->u.publish, v, enc_direction(opts)))) {
        rc = enc_check_by_decoding(buf, total, v, opts, err);
        if (rc != MQTT_OK)
            return rc;
    }
    *written = total;
    return MQTT_OK;
}
