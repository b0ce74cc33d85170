/* mqtk fuzz target "roundtrip": decoder and encoder agree.
 * Input: [selector][bytes]. Selector bit 4 picks the mode:
 *  0 decode first: whatever decodes re-encodes (checked) to exactly the bytes it was decoded from
 *    (the 5.0 long forms included: the packet's tail keeps them), which decode to the same packet,
 *    field by field; re-encoding that is byte-identical, unchecked encoding of a valid packet writes
 *    the same bytes, the size query matches, and a buffer one byte short is refused.
 *  1 encode first: a packet built field by field from the bytes that the checked encoder accepts
 *    must decode to the same packet (what the encoder emits, the decoder accepts); for PUBLISH the
 *    header-only encoder plus the payload gives the same bytes.
 * MQTK_FUZZ_STRUCTURED: yes
 * MQTK_FUZZ_MAX_LEN: 1024 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "fuzz_target.h"

/* Encode pkt (size query, then into an exact-size heap buffer); NULL when the encoder refuses. */
static uint8_t *encode_exact(const mqtt_packet *pkt, const mqtt_encode_opts *eo, size_t *len)
{
    uint32_t size = 0;
    if (mqtt_encoded_size(pkt, eo, &size) != MQTT_OK)
        return NULL;
    FUZZ_REQUIRE(size >= 2 && size <= MQTT_MAX_PACKET_SIZE, "encoded size %u", (unsigned)size);
    uint8_t *buf = malloc(size);
    if (!buf)
        return NULL;
    size_t written = 0;
    mqtt_error err = {0};
    mqtt_err rc = mqtt_encode(pkt, eo, buf, size, &written, &err);
    /* The size query only sizes; rules are checked by mqtt_encode. But the size must be enough. */
    FUZZ_REQUIRE(rc != MQTT_ERR_BUFFER_TOO_SMALL, "%s: a buffer of the queried size %u is too small",
                 mqtt_packet_type_name(pkt->type), (unsigned)size);
    if (rc != MQTT_OK) {
        free(buf);
        return NULL;
    }
    FUZZ_REQUIRE(written == size, "%s: encoded %zu bytes, size query said %u", mqtt_packet_type_name(pkt->type),
                 written, (unsigned)size);
    size_t short_written = 0;
    rc = mqtt_encode(pkt, eo, buf, size - 1u, &short_written, NULL);
    FUZZ_REQUIRE(rc == MQTT_ERR_BUFFER_TOO_SMALL, "encoding into a buffer one byte short gives %s", mqtt_err_name(rc));
    rc = mqtt_encode(pkt, eo, buf, size, &written, &err); /* the refused call may have scribbled on buf */
    FUZZ_REQUIRE(rc == MQTT_OK, "second encode refuses");
    *len = size;
    return buf;
}

/* Decode enc (which must be exactly one packet) and require it to equal want. */
static void require_decodes_to(const uint8_t *enc, size_t len, const mqtt_decode_opts *opts, const mqtt_packet *want,
                               mqtt_packet *got, const char *what)
{
    mqtt_frame frame;
    mqtt_result r = mqtt_decode(enc, len, opts, got, &frame);
    if (r == MQTT_MALFORMED) {
        char msg[256];
        mqtt_error_format(&frame.error, msg, sizeof msg);
        fuzz_fail("%s: the decoder rejects the encoder's %s: %s", what, mqtt_packet_type_name(want->type), msg);
    }
    FUZZ_REQUIRE(r == MQTT_COMPLETE && frame.packet_len == len, "%s: %s decodes to result %d, %u of %zu bytes", what,
                 mqtt_packet_type_name(want->type), (int)r, (unsigned)frame.packet_len, len);
    fuzz_check_decoded(enc, len, opts, got, &frame);
    fuzz_require_same_packet(want, got, opts->version, what);
}

static void decode_first(const uint8_t *buf, size_t len, const mqtt_decode_opts *opts)
{
    mqtt_packet pkt, again, third;
    mqtt_frame frame;
    if (mqtt_decode(buf, len, opts, &pkt, &frame) != MQTT_COMPLETE)
        return;
    mqtt_encode_opts eo = {fuzz_effective_version(&pkt, opts), opts->direction, 0};
    size_t elen = 0;
    uint8_t *enc = encode_exact(&pkt, &eo, &elen);
    FUZZ_REQUIRE(enc != NULL, "a decoded %s (%s) is refused by the checked encoder", mqtt_packet_type_name(pkt.type),
                 mqtt_version_name(eo.version));
    FUZZ_REQUIRE(elen == frame.packet_len && memcmp(enc, buf, elen) == 0,
                 "a decoded %s (%s) of %u bytes re-encodes to %zu different bytes", mqtt_packet_type_name(pkt.type),
                 mqtt_version_name(eo.version), (unsigned)frame.packet_len, elen);
    require_decodes_to(enc, elen, opts, &pkt, &again, "re-encoded");

    size_t elen2 = 0;
    uint8_t *enc2 = encode_exact(&again, &eo, &elen2);
    FUZZ_REQUIRE(enc2 && elen2 == elen && memcmp(enc, enc2, elen) == 0, "re-encoding is not stable");
    free(enc2);

    mqtt_encode_opts raw = eo;
    raw.flags = MQTT_ENCODE_UNCHECKED;
    enc2 = encode_exact(&pkt, &raw, &elen2);
    FUZZ_REQUIRE(enc2 && elen2 == elen && memcmp(enc, enc2, elen) == 0, "unchecked encoding of a valid %s differs",
                 mqtt_packet_type_name(pkt.type));
    require_decodes_to(enc2, elen2, opts, &pkt, &third, "unchecked");
    free(enc2);
    free(enc);
}

/* A handful of properties of the kinds this id takes, values from the input. */
static mqtt_props build_props(fuzz_reader *r, uint8_t *space, size_t cap)
{
    mqtt_props_builder b;
    mqtt_props out = {NULL, 0};
    mqtt_props_builder_init(&b, space, cap);
    unsigned n = fuzz_take_u8(r) % 4u;
    for (unsigned i = 0; i < n; i++) {
        unsigned id = 1u + fuzz_take_u8(r) % MQTT_PROP_ID_MAX;
        switch (mqtt_prop_type_of(id)) {
        case MQTT_PTYPE_NONE: break;
        case MQTT_PTYPE_BYTE: mqtt_props_add_int(&b, id, fuzz_take_u8(r) % 3u); break;
        case MQTT_PTYPE_U16: mqtt_props_add_int(&b, id, fuzz_take_u16(r)); break;
        case MQTT_PTYPE_U32: mqtt_props_add_int(&b, id, fuzz_take_u32(r)); break;
        case MQTT_PTYPE_VARINT: mqtt_props_add_int(&b, id, fuzz_take_u32(r) >> 4); break;
        case MQTT_PTYPE_BINARY:
        case MQTT_PTYPE_STRING: mqtt_props_add_bytes(&b, id, fuzz_take_bytes(r, 32)); break;
        case MQTT_PTYPE_STRING_PAIR: {
            mqtt_bytes name = fuzz_take_bytes(r, 16);
            mqtt_props_add_pair(&b, id, name, fuzz_take_bytes(r, 16));
            break;
        }
        }
    }
    if (mqtt_props_finish(&b, &out) != MQTT_OK)
        out.len = 0;
    return out;
}

typedef struct build_space {
    uint8_t props[256];
    uint8_t will_props[256];
    uint8_t payload[256];
} build_space;

/* Fill pkt from the input: every field the type has, wire-absent fields left zero. */
static bool build_packet(fuzz_reader *r, mqtt_version v, mqtt_packet *pkt, build_space *sp)
{
    memset(pkt, 0, sizeof *pkt);
    pkt->type = (mqtt_packet_type)(1u + fuzz_take_u8(r) % 15u);
    bool v5 = v == MQTT_V5;
    mqtt_props props = {NULL, 0};
    if (v5)
        props = build_props(r, sp->props, sizeof sp->props);
    switch (pkt->type) {
    case MQTT_CONNECT: {
        mqtt_connect *c = &pkt->u.connect;
        uint8_t f = fuzz_take_u8(r);
        c->clean_start = f & 1u;
        c->will = (f >> 1) & 1u;
        c->will_qos = c->will ? (f >> 2) % 3u : 0u;
        c->will_retain = c->will && ((f >> 4) & 1u);
        c->has_username = (f >> 5) & 1u;
        c->has_password = (f >> 6) & 1u;
        c->keep_alive = fuzz_take_u16(r);
        c->props = props;
        c->client_id = fuzz_take_bytes(r, 40);
        if (c->will) {
            if (v5)
                c->will_props = build_props(r, sp->will_props, sizeof sp->will_props);
            c->will_topic = fuzz_take_bytes(r, 40);
            c->will_payload = fuzz_take_bytes(r, 40);
        }
        if (c->has_username)
            c->username = fuzz_take_bytes(r, 20);
        if (c->has_password)
            c->password = fuzz_take_bytes(r, 20);
        break;
    }
    case MQTT_CONNACK:
        pkt->u.connack.session_present = fuzz_take_u8(r) & 1u;
        pkt->u.connack.reason_code = fuzz_take_u8(r);
        pkt->u.connack.props = props;
        break;
    case MQTT_PUBLISH: {
        mqtt_publish *p = &pkt->u.publish;
        uint8_t f = fuzz_take_u8(r);
        p->qos = f % 3u;
        p->dup = p->qos && ((f >> 2) & 1u);
        p->retain = (f >> 3) & 1u;
        p->topic = fuzz_take_bytes(r, 64);
        p->packet_id = p->qos ? fuzz_take_u16(r) : 0u;
        p->props = props;
        p->payload = fuzz_take_bytes(r, 255);
        break;
    }
    case MQTT_PUBACK:
    case MQTT_PUBREC:
    case MQTT_PUBREL:
    case MQTT_PUBCOMP:
        pkt->u.ack.packet_id = fuzz_take_u16(r);
        if (v5) {
            pkt->u.ack.reason_code = fuzz_take_u8(r);
            pkt->u.ack.props = props;
        }
        break;
    case MQTT_SUBSCRIBE: {
        mqtt_subscription list[4];
        size_t n = 1u + fuzz_take_u8(r) % 4u;
        for (size_t i = 0; i < n; i++) {
            uint8_t o = fuzz_take_u8(r);
            list[i] = (mqtt_subscription){fuzz_take_bytes(r, 40), (uint8_t)(o % 3u), v5 && (o & 4u),
                                          v5 && (o & 8u), v5 ? (uint8_t)((o >> 4) % 3u) : 0u};
        }
        pkt->u.subscribe.packet_id = fuzz_take_u16(r);
        pkt->u.subscribe.props = props;
        if (mqtt_subscribe_payload_write(&pkt->u.subscribe, list, n, sp->payload, sizeof sp->payload) != MQTT_OK)
            return false;
        break;
    }
    case MQTT_UNSUBSCRIBE: {
        mqtt_bytes list[4];
        size_t n = 1u + fuzz_take_u8(r) % 4u;
        for (size_t i = 0; i < n; i++)
            list[i] = fuzz_take_bytes(r, 40);
        pkt->u.unsubscribe.packet_id = fuzz_take_u16(r);
        pkt->u.unsubscribe.props = props;
        if (mqtt_unsubscribe_payload_write(&pkt->u.unsubscribe, list, n, sp->payload, sizeof sp->payload) != MQTT_OK)
            return false;
        break;
    }
    case MQTT_SUBACK:
    case MQTT_UNSUBACK:
        pkt->u.suback.packet_id = fuzz_take_u16(r);
        pkt->u.suback.props = props;
        if (v5 || pkt->type == MQTT_SUBACK)
            pkt->u.suback.reason_codes = fuzz_take_bytes(r, 8);
        break;
    case MQTT_PINGREQ:
    case MQTT_PINGRESP: break;
    case MQTT_DISCONNECT:
    case MQTT_AUTH:
        if (v5) {
            pkt->u.reason.reason_code = fuzz_take_u8(r);
            pkt->u.reason.props = props;
        }
        break;
    }
    return true;
}

static void encode_first(const uint8_t *data, size_t size, const mqtt_decode_opts *opts)
{
    fuzz_reader r = {data, data + size};
    build_space sp;
    mqtt_packet pkt, got;
    if (!build_packet(&r, opts->version, &pkt, &sp))
        return;
    mqtt_encode_opts eo = {opts->version, opts->direction, 0};
    size_t elen = 0;
    uint8_t *enc = encode_exact(&pkt, &eo, &elen);
    if (!enc)
        return;
    /* Fields the encoder derives: the fixed-header flags, the CONNECT protocol name and level. */
    if (pkt.type == MQTT_CONNECT) {
        pkt.u.connect.protocol_level = (uint8_t)opts->version;
        pkt.u.connect.protocol_name = mqtt_cstr(opts->version == MQTT_V31 ? "MQIsdp" : "MQTT");
    }
    pkt.flags = (uint8_t)(enc[0] & 15u);
    require_decodes_to(enc, elen, opts, &pkt, &got, "encoded");

    if (pkt.type == MQTT_PUBLISH) {
        uint8_t head[1024]; /* header of at most 5 + 2 + 64 + 2 + 4 + 256 bytes */
        size_t hlen = 0;
        mqtt_err rc = mqtt_encode_publish_header(&pkt.u.publish, &eo, head, sizeof head, &hlen, NULL);
        FUZZ_REQUIRE(rc == MQTT_OK, "PUBLISH encodes but its header alone does not: %s", mqtt_err_name(rc));
        FUZZ_REQUIRE(hlen + pkt.u.publish.payload.len == elen && memcmp(head, enc, hlen) == 0,
                     "PUBLISH header-only encoding differs from the full encoding");
    }
    free(enc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    mqtt_decode_opts opts;
    fuzz_decode_opts_from_selector(data[0], &opts);
    opts.max_packet_size = 0; /* the size limit is the decode target's business */
    if (data[0] & 0x10u) {
        encode_first(data + 1, size - 1, &opts);
        return 0;
    }
    decode_first(data + 1, size - 1, &opts); /* in place: the input buffer is exactly size bytes */
    return 0;
}
