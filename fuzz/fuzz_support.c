/* mqtk fuzz — shared invariants and helpers (see fuzz_support.h). */
#include "fuzz_support.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("mqtk fuzz invariant broken: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

void fuzz_decode_opts_from_selector(uint8_t selector, mqtt_decode_opts *opts)
{
    static const mqtt_version versions[4] = {MQTT_V31, MQTT_V311, MQTT_V5, MQTT_V5};
    static const mqtt_direction directions[4] = {MQTT_DIR_UNKNOWN, MQTT_DIR_TO_SERVER, MQTT_DIR_TO_CLIENT,
                                                 MQTT_DIR_UNKNOWN};
    /* the whole struct, so a field added to it later starts defined (zero_id_acks stays false) */
    *opts = (mqtt_decode_opts){
        .version = versions[selector & 3u],
        .direction = directions[(selector >> 2) & 3u],
        .max_packet_size = (selector & 0x80u) ? 2u + 8u * ((selector >> 4) & 7u) : 0u,
    };
}

uint8_t fuzz_selector_for(mqtt_version v, mqtt_direction d)
{
    unsigned vbits = v == MQTT_V31 ? 0u : v == MQTT_V311 ? 1u : 2u;
    return (uint8_t)(vbits | ((unsigned)d << 2));
}

mqtt_version fuzz_effective_version(const mqtt_packet *pkt, const mqtt_decode_opts *opts)
{
    if (pkt->type == MQTT_CONNECT)
        return mqtt_version_from_level(pkt->u.connect.protocol_level);
    return opts->version;
}

bool fuzz_view_inside(const uint8_t *data, uint32_t len, const uint8_t *lo, const uint8_t *hi)
{
    if (len == 0)
        return true;
    if (data == NULL || data < lo || data > hi)
        return false;
    return (size_t)(hi - data) >= len;
}

static uint32_t varint_size(uint32_t v)
{
    return v < 128u ? 1u : v < 16384u ? 2u : v < 2097152u ? 3u : 4u;
}

/* Bytes a property list occupies with its length prefix; 0 before 5.0. */
static uint32_t props_wire_size(mqtt_props p, mqtt_version v)
{
    return v == MQTT_V5 ? varint_size(p.len) + p.len : 0u;
}

static uint32_t property_wire_size(const mqtt_property *p)
{
    switch (p->type) {
    case MQTT_PTYPE_BYTE: return 2u;
    case MQTT_PTYPE_U16: return 3u;
    case MQTT_PTYPE_U32: return 5u;
    case MQTT_PTYPE_VARINT: return 1u + varint_size(p->value);
    case MQTT_PTYPE_BINARY:
    case MQTT_PTYPE_STRING: return 3u + p->data.len;
    case MQTT_PTYPE_STRING_PAIR: return 5u + p->data.len + p->data2.len;
    case MQTT_PTYPE_NONE: break;
    }
    return 0u;
}

/* A validated list: inside the packet, revalidates, iterates property by property to its exact end,
 * every property allowed in place, and find() agrees with iteration. */
void fuzz_check_props(mqtt_props props, unsigned place, mqtt_version v, mqtt_direction dir, const uint8_t *lo,
                        const uint8_t *hi, const char *where)
{
    FUZZ_REQUIRE(fuzz_view_inside(props.data, props.len, lo, hi), "%s: property list outside the packet", where);
    if (v != MQTT_V5) {
        FUZZ_REQUIRE(props.len == 0, "%s: properties before 5.0", where);
        return;
    }
    mqtt_error err = {0};
    mqtt_err rc = mqtt_props_validate(props, place, dir, 0, &err);
    FUZZ_REQUIRE(rc == MQTT_OK, "%s: decoded property list fails mqtt_props_validate (%s at %u)", where,
                 mqtt_err_name(rc), (unsigned)err.offset);

    mqtt_prop_iter it;
    mqtt_property p;
    uint32_t expected_offset = 0, count = 0;
    unsigned first_id = 0;
    uint32_t first_offset = 0;
    mqtt_prop_iter_init(&it, props);
    while (mqtt_prop_next(&it, &p)) {
        FUZZ_REQUIRE(count < props.len, "%s: property iterator does not terminate", where);
        FUZZ_REQUIRE(p.offset == expected_offset, "%s: property %u at offset %u, expected %u", where, count,
                     (unsigned)p.offset, (unsigned)expected_offset);
        FUZZ_REQUIRE(p.type != MQTT_PTYPE_NONE && p.type == mqtt_prop_type_of(p.id),
                     "%s: property 0x%02x has type %d", where, (unsigned)p.id, (int)p.type);
        FUZZ_REQUIRE(mqtt_prop_allowed_in(p.id, place), "%s: property 0x%02x not allowed in place %u", where,
                     (unsigned)p.id, place);
        const uint8_t *plo = props.data, *phi = props.data + props.len;
        FUZZ_REQUIRE(fuzz_view_inside(p.data.data, p.data.len, plo, phi) &&
                         fuzz_view_inside(p.data2.data, p.data2.len, plo, phi),
                     "%s: property 0x%02x value outside the list", where, (unsigned)p.id);
        if (p.type == MQTT_PTYPE_STRING || p.type == MQTT_PTYPE_STRING_PAIR)
            FUZZ_REQUIRE(mqtt_utf8_check(p.data, NULL) == MQTT_OK && mqtt_utf8_check(p.data2, NULL) == MQTT_OK,
                         "%s: property 0x%02x string is not valid UTF-8", where, (unsigned)p.id);
        if (count == 0) {
            first_id = p.id;
            first_offset = p.offset;
        }
        expected_offset += property_wire_size(&p);
        FUZZ_REQUIRE(expected_offset <= props.len, "%s: property 0x%02x runs past the list", where, (unsigned)p.id);
        count++;
    }
    FUZZ_REQUIRE(expected_offset == props.len, "%s: iteration stopped at %u of %u bytes", where,
                 (unsigned)expected_offset, (unsigned)props.len);
    FUZZ_REQUIRE(count == mqtt_props_count(props), "%s: iterated %u properties, count says %u", where,
                 (unsigned)count, (unsigned)mqtt_props_count(props));
    if (count > 0) {
        FUZZ_REQUIRE(mqtt_props_find(props, first_id, &p) && p.offset == first_offset,
                     "%s: find(0x%02x) disagrees with the iterator", where, first_id);
    }
}

static void check_string(mqtt_bytes s, const uint8_t *lo, const uint8_t *hi, const char *what)
{
    FUZZ_REQUIRE(fuzz_view_inside(s.data, s.len, lo, hi), "%s outside the packet", what);
    FUZZ_REQUIRE(mqtt_utf8_check(s, NULL) == MQTT_OK, "%s accepted but not valid UTF-8", what);
}

static void check_connect(const mqtt_connect *c, mqtt_version v, mqtt_direction dir, const uint8_t *lo,
                          const uint8_t *hi, uint32_t body_len)
{
    FUZZ_REQUIRE(v != 0, "CONNECT accepted with protocol level %u", c->protocol_level);
    bool mqisdp = c->protocol_name.len == 6 && memcmp(c->protocol_name.data, "MQIsdp", 6) == 0;
    bool mqtt = c->protocol_name.len == 4 && memcmp(c->protocol_name.data, "MQTT", 4) == 0;
    FUZZ_REQUIRE(v == MQTT_V31 ? mqisdp : mqtt, "CONNECT protocol name does not match level %u",
                 c->protocol_level);
    FUZZ_REQUIRE(c->will || (c->will_qos == 0 && !c->will_retain), "CONNECT Will QoS/Retain without Will");
    FUZZ_REQUIRE(c->will_qos <= 2, "CONNECT Will QoS %u", c->will_qos);
    FUZZ_REQUIRE(v != MQTT_V311 || !c->has_password || c->has_username, "3.1.1 CONNECT password without username");
    check_string(c->protocol_name, lo, hi, "CONNECT protocol name");
    check_string(c->client_id, lo, hi, "CONNECT client id");
    fuzz_check_props(c->props, MQTT_CONNECT, v, dir, lo, hi, "CONNECT properties");
    uint32_t total = 2u + c->protocol_name.len + 4u + props_wire_size(c->props, v) + 2u + c->client_id.len;
    if (c->will) {
        fuzz_check_props(c->will_props, MQTT_PROPS_IN_WILL, v, dir, lo, hi, "CONNECT will properties");
        check_string(c->will_topic, lo, hi, "CONNECT will topic");
        FUZZ_REQUIRE(fuzz_view_inside(c->will_payload.data, c->will_payload.len, lo, hi),
                     "CONNECT will payload outside the packet");
        total += props_wire_size(c->will_props, v) + 4u + c->will_topic.len + c->will_payload.len;
    } else {
        FUZZ_REQUIRE(c->will_props.len == 0 && c->will_topic.len == 0 && c->will_payload.len == 0,
                     "CONNECT will fields without the Will Flag");
    }
    if (c->has_username) {
        check_string(c->username, lo, hi, "CONNECT username");
        total += 2u + c->username.len;
    }
    if (c->has_password) {
        FUZZ_REQUIRE(fuzz_view_inside(c->password.data, c->password.len, lo, hi), "CONNECT password outside");
        total += 2u + c->password.len;
    }
    FUZZ_REQUIRE(total == body_len, "CONNECT fields add up to %u, Remaining Length %u", (unsigned)total,
                 (unsigned)body_len);
}

static void check_publish(const mqtt_publish *p, mqtt_version v, mqtt_direction dir, const uint8_t *lo,
                          const uint8_t *hi, uint32_t body_len)
{
    FUZZ_REQUIRE(p->qos <= 2, "PUBLISH QoS %u accepted", p->qos);
    FUZZ_REQUIRE(!p->dup || p->qos > 0, "PUBLISH DUP with QoS 0 accepted");
    FUZZ_REQUIRE(p->qos == 0 || p->packet_id != 0, "PUBLISH QoS %u with packet id 0 accepted", p->qos);
    FUZZ_REQUIRE(p->qos > 0 || p->packet_id == 0, "PUBLISH QoS 0 reports packet id %u", p->packet_id);
    fuzz_check_props(p->props, MQTT_PUBLISH, v, dir, lo, hi, "PUBLISH properties");
    if (p->topic.len > 0) {
        FUZZ_REQUIRE(fuzz_view_inside(p->topic.data, p->topic.len, lo, hi), "PUBLISH topic outside the packet");
        FUZZ_REQUIRE(mqtt_topic_name_check(p->topic, NULL) == MQTT_OK, "PUBLISH topic accepted but invalid");
    } else {
        mqtt_property alias;
        FUZZ_REQUIRE(v == MQTT_V5 && mqtt_props_find(p->props, MQTT_PROP_TOPIC_ALIAS, &alias),
                     "PUBLISH empty topic accepted without a Topic Alias");
    }
    FUZZ_REQUIRE(fuzz_view_inside(p->payload.data, p->payload.len, lo, hi), "PUBLISH payload outside the packet");
    FUZZ_REQUIRE(p->payload.len == 0 || p->payload.data + p->payload.len == hi, "PUBLISH payload does not end the packet");
    uint32_t total = 2u + p->topic.len + (p->qos ? 2u : 0u) + props_wire_size(p->props, v) + p->payload.len;
    FUZZ_REQUIRE(total == body_len, "PUBLISH fields add up to %u, Remaining Length %u", (unsigned)total,
                 (unsigned)body_len);
}

static void check_subscribe(const mqtt_subscribe *s, mqtt_version v, const uint8_t *lo, const uint8_t *hi,
                            uint32_t body_len)
{
    FUZZ_REQUIRE(s->packet_id != 0, "SUBSCRIBE packet id 0 accepted");
    FUZZ_REQUIRE(s->count > 0 && s->payload.len > 0, "SUBSCRIBE without filters accepted");
    FUZZ_REQUIRE(fuzz_view_inside(s->payload.data, s->payload.len, lo, hi) && s->payload.data + s->payload.len == hi,
                 "SUBSCRIBE payload is not the packet's tail");
    mqtt_payload_iter it;
    mqtt_subscription e;
    uint32_t n = 0, used = 0;
    mqtt_subscribe_iter_init(&it, s);
    while (mqtt_subscribe_next(&it, &e)) {
        FUZZ_REQUIRE(n < s->count, "SUBSCRIBE iterator yields more than count %u", (unsigned)s->count);
        FUZZ_REQUIRE(fuzz_view_inside(e.filter.data, e.filter.len, s->payload.data, hi),
                     "SUBSCRIBE filter %u outside the payload", (unsigned)n);
        FUZZ_REQUIRE(mqtt_topic_filter_check(e.filter, v, NULL) == MQTT_OK, "SUBSCRIBE filter %u accepted but invalid",
                     (unsigned)n);
        FUZZ_REQUIRE(e.qos <= 2 && e.retain_handling <= 2, "SUBSCRIBE options out of range");
        FUZZ_REQUIRE(v == MQTT_V5 || (!e.no_local && !e.retain_as_published && e.retain_handling == 0),
                     "SUBSCRIBE v5 options before 5.0");
        mqtt_bytes share, inner;
        FUZZ_REQUIRE(v != MQTT_V5 || !e.no_local || !mqtt_topic_shared_split(e.filter, &share, &inner),
                     "shared SUBSCRIBE with No Local accepted");
        used += 3u + e.filter.len;
        n++;
    }
    FUZZ_REQUIRE(n == s->count && used == s->payload.len, "SUBSCRIBE iterated %u entries / %u bytes of %u / %u",
                 (unsigned)n, (unsigned)used, (unsigned)s->count, (unsigned)s->payload.len);
    FUZZ_REQUIRE(2u + props_wire_size(s->props, v) + s->payload.len == body_len, "SUBSCRIBE lengths do not add up");
}

static void check_unsubscribe(const mqtt_unsubscribe *u, mqtt_version v, const uint8_t *lo, const uint8_t *hi,
                              uint32_t body_len)
{
    FUZZ_REQUIRE(u->packet_id != 0, "UNSUBSCRIBE packet id 0 accepted");
    FUZZ_REQUIRE(u->count > 0 && u->payload.len > 0, "UNSUBSCRIBE without filters accepted");
    FUZZ_REQUIRE(fuzz_view_inside(u->payload.data, u->payload.len, lo, hi) && u->payload.data + u->payload.len == hi,
                 "UNSUBSCRIBE payload is not the packet's tail");
    mqtt_payload_iter it;
    mqtt_bytes f;
    uint32_t n = 0, used = 0;
    mqtt_unsubscribe_iter_init(&it, u);
    while (mqtt_unsubscribe_next(&it, &f)) {
        FUZZ_REQUIRE(n < u->count, "UNSUBSCRIBE iterator yields more than count %u", (unsigned)u->count);
        FUZZ_REQUIRE(fuzz_view_inside(f.data, f.len, u->payload.data, hi), "UNSUBSCRIBE filter outside the payload");
        FUZZ_REQUIRE(mqtt_topic_filter_check(f, v, NULL) == MQTT_OK, "UNSUBSCRIBE filter %u accepted but invalid",
                     (unsigned)n);
        used += 2u + f.len;
        n++;
    }
    FUZZ_REQUIRE(n == u->count && used == u->payload.len, "UNSUBSCRIBE iterated %u entries / %u bytes of %u / %u",
                 (unsigned)n, (unsigned)used, (unsigned)u->count, (unsigned)u->payload.len);
    FUZZ_REQUIRE(2u + props_wire_size(u->props, v) + u->payload.len == body_len, "UNSUBSCRIBE lengths do not add up");
}

static void check_reason(mqtt_version v, mqtt_packet_type type, uint8_t code, mqtt_direction dir)
{
    FUZZ_REQUIRE(mqtt_reason_allowed(v, type, code, dir), "%s reason code 0x%02x accepted but not allowed",
                 mqtt_packet_type_name(type), code);
}

/* 5.0 ACK / DISCONNECT / AUTH: the short forms and the full form, lengths exact, and the tail the
 * decoder reports is the one on the wire. */
static void check_short_form(uint32_t body_len, uint32_t fixed, uint8_t reason, mqtt_props props, mqtt_tail tail,
                             const char *what)
{
    if (body_len == fixed) {
        FUZZ_REQUIRE(reason == 0 && props.len == 0, "%s short form reads reason 0x%02x", what, reason);
        FUZZ_REQUIRE(tail == MQTT_TAIL_SHORTEST, "%s without a tail reports tail %d", what, (int)tail);
    } else if (body_len == fixed + 1u) {
        FUZZ_REQUIRE(props.len == 0, "%s without property length has properties", what);
        FUZZ_REQUIRE(tail == MQTT_TAIL_REASON, "%s with the reason code alone reports tail %d", what, (int)tail);
    } else {
        FUZZ_REQUIRE(body_len == fixed + 1u + varint_size(props.len) + props.len, "%s lengths do not add up", what);
        FUZZ_REQUIRE(tail == MQTT_TAIL_PROPERTIES, "%s with a Property Length reports tail %d", what, (int)tail);
    }
}

static void check_expected_flags(const mqtt_packet *pkt)
{
    unsigned want = 0;
    if (pkt->type == MQTT_PUBLISH)
        want = (pkt->u.publish.dup ? 8u : 0u) | (unsigned)(pkt->u.publish.qos << 1) | (pkt->u.publish.retain ? 1u : 0u);
    else if (pkt->type == MQTT_PUBREL || pkt->type == MQTT_SUBSCRIBE || pkt->type == MQTT_UNSUBSCRIBE)
        want = 2u;
    FUZZ_REQUIRE(pkt->flags == want, "%s accepted with flags 0x%x", mqtt_packet_type_name(pkt->type), pkt->flags);
}

void fuzz_check_decoded(const uint8_t *buf, size_t len, const mqtt_decode_opts *opts, const mqtt_packet *pkt,
                        const mqtt_frame *frame)
{
    FUZZ_REQUIRE(frame->packet_len >= 2 && frame->packet_len <= len, "packet_len %u outside the %zu-byte input",
                 (unsigned)frame->packet_len, len);
    FUZZ_REQUIRE(frame->header_len >= 2 && frame->header_len <= 5, "header_len %u", frame->header_len);
    FUZZ_REQUIRE(frame->packet_len == frame->header_len + frame->remaining_length,
                 "packet_len %u != header %u + remaining %u", (unsigned)frame->packet_len, frame->header_len,
                 (unsigned)frame->remaining_length);
    FUZZ_REQUIRE(pkt->remaining_length == frame->remaining_length, "packet and frame disagree on Remaining Length");
    FUZZ_REQUIRE(frame->header_len == 1u + varint_size(frame->remaining_length), "Remaining Length not minimal");
    if (opts->max_packet_size)
        FUZZ_REQUIRE(frame->packet_len <= opts->max_packet_size, "packet of %u bytes over the maximum %u",
                     (unsigned)frame->packet_len, (unsigned)opts->max_packet_size);
    FUZZ_REQUIRE((unsigned)pkt->type == (unsigned)(buf[0] >> 4) && pkt->flags == (buf[0] & 15u),
                 "type/flags differ from byte 0");

    mqtt_version v = fuzz_effective_version(pkt, opts);
    FUZZ_REQUIRE(pkt->type >= MQTT_CONNECT && (pkt->type != MQTT_AUTH || v == MQTT_V5), "packet type %u accepted in %s",
                 (unsigned)pkt->type, mqtt_version_name(v));
    check_expected_flags(pkt);

    const uint8_t *lo = buf + frame->header_len, *hi = buf + frame->packet_len;
    uint32_t body = frame->remaining_length;
    mqtt_direction dir = opts->direction;
    switch (pkt->type) {
    case MQTT_CONNECT: check_connect(&pkt->u.connect, v, dir, lo, hi, body); break;
    case MQTT_CONNACK:
        FUZZ_REQUIRE(!(pkt->u.connack.session_present && pkt->u.connack.reason_code != 0),
                     "CONNACK session present with an error code");
        check_reason(v, MQTT_CONNACK, pkt->u.connack.reason_code, dir);
        fuzz_check_props(pkt->u.connack.props, MQTT_CONNACK, v, dir, lo, hi, "CONNACK properties");
        FUZZ_REQUIRE(body == 2u + props_wire_size(pkt->u.connack.props, v), "CONNACK lengths do not add up");
        break;
    case MQTT_PUBLISH: check_publish(&pkt->u.publish, v, dir, lo, hi, body); break;
    case MQTT_PUBACK:
    case MQTT_PUBREC:
    case MQTT_PUBREL:
    case MQTT_PUBCOMP:
        fuzz_check_props(pkt->u.ack.props, pkt->type, v, dir, lo, hi, "ack properties");
        if (v == MQTT_V5) {
            check_reason(v, pkt->type, pkt->u.ack.reason_code, dir);
            check_short_form(body, 2u, pkt->u.ack.reason_code, pkt->u.ack.props, pkt->u.ack.tail,
                             mqtt_packet_type_name(pkt->type));
        } else {
            FUZZ_REQUIRE(body == 2u && pkt->u.ack.reason_code == 0, "3.x ack with Remaining Length %u", (unsigned)body);
        }
        break;
    case MQTT_SUBSCRIBE:
        fuzz_check_props(pkt->u.subscribe.props, MQTT_SUBSCRIBE, v, dir, lo, hi, "SUBSCRIBE properties");
        check_subscribe(&pkt->u.subscribe, v, lo, hi, body);
        break;
    case MQTT_UNSUBSCRIBE:
        fuzz_check_props(pkt->u.unsubscribe.props, MQTT_UNSUBSCRIBE, v, dir, lo, hi, "UNSUBSCRIBE properties");
        check_unsubscribe(&pkt->u.unsubscribe, v, lo, hi, body);
        break;
    case MQTT_SUBACK:
    case MQTT_UNSUBACK: {
        const mqtt_suback *s = &pkt->u.suback;
        fuzz_check_props(s->props, pkt->type, v, dir, lo, hi, "SUBACK/UNSUBACK properties");
        FUZZ_REQUIRE(fuzz_view_inside(s->reason_codes.data, s->reason_codes.len, lo, hi), "reason codes outside");
        FUZZ_REQUIRE(2u + props_wire_size(s->props, v) + s->reason_codes.len == body, "%s lengths do not add up",
                     mqtt_packet_type_name(pkt->type));
        bool has_codes = v == MQTT_V5 || pkt->type == MQTT_SUBACK;
        FUZZ_REQUIRE(has_codes ? s->reason_codes.len > 0 : s->reason_codes.len == 0, "%s with %u reason codes",
                     mqtt_packet_type_name(pkt->type), (unsigned)s->reason_codes.len);
        for (uint32_t i = 0; i < s->reason_codes.len; i++)
            check_reason(v, pkt->type, s->reason_codes.data[i], dir);
        break;
    }
    case MQTT_PINGREQ:
    case MQTT_PINGRESP: FUZZ_REQUIRE(body == 0, "PING with Remaining Length %u", (unsigned)body); break;
    case MQTT_DISCONNECT:
    case MQTT_AUTH:
        fuzz_check_props(pkt->u.reason.props, pkt->type, v, dir, lo, hi, "DISCONNECT/AUTH properties");
        if (v == MQTT_V5) {
            check_reason(v, pkt->type, pkt->u.reason.reason_code, dir);
            check_short_form(body, 0u, pkt->u.reason.reason_code, pkt->u.reason.props, pkt->u.reason.tail,
                             mqtt_packet_type_name(pkt->type));
        } else {
            FUZZ_REQUIRE(body == 0, "3.x DISCONNECT with Remaining Length %u", (unsigned)body);
        }
        break;
    }
}

void fuzz_check_rejected(mqtt_result r, size_t len, const mqtt_frame *frame)
{
    if (r == MQTT_NEED_MORE) {
        FUZZ_REQUIRE(frame->need > len && frame->need <= MQTT_MAX_PACKET_SIZE, "NEED_MORE with need %u for %zu bytes",
                     (unsigned)frame->need, len);
        return;
    }
    FUZZ_REQUIRE(r == MQTT_MALFORMED, "result %d is not a mqtt_result", (int)r);
    mqtt_err code = frame->error.code;
    FUZZ_REQUIRE(code > MQTT_OK && code < MQTT_ERR_COUNT && code != MQTT_ERR_TRUNCATED && code != MQTT_ERR_BUFFER_TOO_SMALL,
                 "MALFORMED with error %d (%s)", (int)code, mqtt_err_name(code));
    FUZZ_REQUIRE(frame->error.offset <= len, "error %s at offset %u past the %zu-byte input", mqtt_err_name(code),
                 (unsigned)frame->error.offset, len);
    FUZZ_REQUIRE(frame->error.statement == NULL || strncmp(frame->error.statement, "MQTT-", 5) == 0,
                 "error %s cites statement \"%s\"", mqtt_err_name(code), frame->error.statement);
}

static bool same_bytes(const uint8_t *a, uint32_t alen, const uint8_t *b, uint32_t blen)
{
    return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

#define SAME_VIEW(x, y) same_bytes((x).data, (x).len, (y).data, (y).len)
#define REQUIRE_FIELD(cond, field) FUZZ_REQUIRE(cond, "%s: %s differs in %s", what, mqtt_packet_type_name(a->type), field)

void fuzz_require_same_packet(const mqtt_packet *a, const mqtt_packet *b, mqtt_version v, const char *what)
{
    (void)v;
    FUZZ_REQUIRE(a->type == b->type, "%s: type %u vs %u", what, (unsigned)a->type, (unsigned)b->type);
    REQUIRE_FIELD(a->flags == b->flags, "flags");
    /* what several types carry, through the codec's accessors; the switch has the rest */
    REQUIRE_FIELD(mqtt_packet_id(a) == mqtt_packet_id(b), "packet_id");
    REQUIRE_FIELD(mqtt_packet_reason(a) == mqtt_packet_reason(b), "reason_code");
    REQUIRE_FIELD(SAME_VIEW(mqtt_packet_props(a), mqtt_packet_props(b)), "props");
    switch (a->type) {
    case MQTT_CONNECT: {
        const mqtt_connect *x = &a->u.connect, *y = &b->u.connect;
        REQUIRE_FIELD(SAME_VIEW(x->protocol_name, y->protocol_name), "protocol_name");
        REQUIRE_FIELD(x->protocol_level == y->protocol_level, "protocol_level");
        REQUIRE_FIELD(x->clean_start == y->clean_start, "clean_start");
        REQUIRE_FIELD(x->will == y->will && x->will_qos == y->will_qos && x->will_retain == y->will_retain, "will flags");
        REQUIRE_FIELD(x->has_username == y->has_username && x->has_password == y->has_password, "credential flags");
        REQUIRE_FIELD(x->keep_alive == y->keep_alive, "keep_alive");
        REQUIRE_FIELD(SAME_VIEW(x->client_id, y->client_id), "client_id");
        REQUIRE_FIELD(SAME_VIEW(x->will_props, y->will_props), "will_props");
        REQUIRE_FIELD(SAME_VIEW(x->will_topic, y->will_topic), "will_topic");
        REQUIRE_FIELD(SAME_VIEW(x->will_payload, y->will_payload), "will_payload");
        REQUIRE_FIELD(SAME_VIEW(x->username, y->username), "username");
        REQUIRE_FIELD(SAME_VIEW(x->password, y->password), "password");
        break;
    }
    case MQTT_CONNACK:
        REQUIRE_FIELD(a->u.connack.session_present == b->u.connack.session_present, "session_present");
        break;
    case MQTT_PUBLISH: {
        const mqtt_publish *x = &a->u.publish, *y = &b->u.publish;
        REQUIRE_FIELD(x->dup == y->dup && x->qos == y->qos && x->retain == y->retain, "dup/qos/retain");
        REQUIRE_FIELD(SAME_VIEW(x->topic, y->topic), "topic");
        REQUIRE_FIELD(SAME_VIEW(x->payload, y->payload), "payload");
        break;
    }
    case MQTT_SUBSCRIBE:
        REQUIRE_FIELD(SAME_VIEW(a->u.subscribe.payload, b->u.subscribe.payload), "payload");
        REQUIRE_FIELD(a->u.subscribe.count == b->u.subscribe.count, "count");
        break;
    case MQTT_UNSUBSCRIBE:
        REQUIRE_FIELD(SAME_VIEW(a->u.unsubscribe.payload, b->u.unsubscribe.payload), "payload");
        REQUIRE_FIELD(a->u.unsubscribe.count == b->u.unsubscribe.count, "count");
        break;
    case MQTT_SUBACK:
    case MQTT_UNSUBACK:
        REQUIRE_FIELD(SAME_VIEW(a->u.suback.reason_codes, b->u.suback.reason_codes), "reason_codes");
        break;
    default: /* the acks, PINGREQ/PINGRESP, DISCONNECT, AUTH: nothing beyond id, reason and props */
        break;
    }
}

uint8_t fuzz_take_u8(fuzz_reader *r)
{
    return r->pos < r->end ? *r->pos++ : 0u;
}

uint16_t fuzz_take_u16(fuzz_reader *r)
{
    uint16_t hi = fuzz_take_u8(r);
    return (uint16_t)((hi << 8) | fuzz_take_u8(r));
}

uint32_t fuzz_take_u32(fuzz_reader *r)
{
    uint32_t hi = fuzz_take_u16(r);
    return (hi << 16) | fuzz_take_u16(r);
}

mqtt_bytes fuzz_take_bytes(fuzz_reader *r, uint32_t max)
{
    uint32_t want = fuzz_take_u8(r);
    size_t left = (size_t)(r->end - r->pos);
    if (want > max)
        want %= max + 1u;
    if (want > left)
        want = (uint32_t)left;
    mqtt_bytes b = {r->pos, want};
    r->pos += want;
    return b;
}
