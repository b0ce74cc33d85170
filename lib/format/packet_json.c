/* Decoded packet -> JSON object. Key order is fixed: type, version, offset, length, then the
 * packet's fields in wire order. */
#include "packet_json.h"

#include "base/utf8.h"

/* A UTF-8 string field: a JSON string, or {"hex": …} when the bytes are not well-formed UTF-8
 * (a JSON string cannot carry them). */
static void write_text(json_writer *w, mqtt_bytes s)
{
    if (mqtk_utf8_valid(s.data, s.len)) {
        jw_string(w, s.data, s.len);
        return;
    }
    jw_object_begin(w);
    jw_key(w, "hex");
    jw_hex(w, s.data, s.len);
    jw_object_end(w);
}

/* Binary data: {"hex": …} plus "text" when the bytes are well-formed UTF-8. */
static void write_data(json_writer *w, mqtt_bytes d)
{
    jw_object_begin(w);
    jw_key(w, "hex");
    jw_hex(w, d.data, d.len);
    if (mqtk_utf8_valid(d.data, d.len)) {
        jw_key(w, "text");
        jw_string(w, d.data, d.len);
    }
    jw_object_end(w);
}

static void write_reason(json_writer *w, mqtt_version v, mqtt_packet_type type, uint8_t code)
{
    jw_object_begin(w);
    jw_key(w, "code");
    jw_uint(w, code);
    jw_key(w, "name");
    const char *name = mqtt_reason_name(v, type, code);
    if (name)
        jw_cstring(w, name);
    else
        jw_null(w);
    jw_object_end(w);
}

static void write_props(json_writer *w, mqtt_props props)
{
    jw_key(w, "properties");
    jw_array_begin(w);
    mqtt_prop_iter it;
    mqtt_property p;
    mqtt_prop_iter_init(&it, props);
    while (mqtt_prop_next(&it, &p)) {
        jw_object_begin(w);
        jw_key(w, "name");
        jw_cstring(w, mqtt_prop_name(p.id));
        jw_key(w, "id");
        jw_uint(w, p.id);
        switch (p.type) {
        case MQTT_PTYPE_BYTE:
        case MQTT_PTYPE_U16:
        case MQTT_PTYPE_U32:
        case MQTT_PTYPE_VARINT:
            jw_key(w, "value");
            jw_uint(w, p.value);
            break;
        case MQTT_PTYPE_STRING:
            jw_key(w, "value");
            write_text(w, p.data);
            break;
        case MQTT_PTYPE_BINARY:
            jw_key(w, "value");
            write_data(w, p.data);
            break;
        case MQTT_PTYPE_STRING_PAIR:
            jw_key(w, "key");
            write_text(w, p.data);
            jw_key(w, "value");
            write_text(w, p.data2);
            break;
        case MQTT_PTYPE_NONE:
            break;
        }
        jw_object_end(w);
    }
    jw_array_end(w);
}

const char *const packet_json_tail_names[3] = {
    [MQTT_TAIL_SHORTEST] = "shortest", [MQTT_TAIL_REASON] = "reason_code", [MQTT_TAIL_PROPERTIES] = "properties"};

/* "tail", only when the packet spells out more of its 5.0 tail than its fields need: then the
 * encoder's shortest form is shorter than the packet, and the record must say so to survive
 * `decode --json | encode`. Ordinary packets keep their records unchanged. */
static void write_tail(json_writer *w, const mqtt_packet *pkt, mqtt_version v, mqtt_tail tail, size_t length)
{
    mqtt_packet shortest = *pkt;
    if (pkt->type == MQTT_DISCONNECT || pkt->type == MQTT_AUTH)
        shortest.u.reason.tail = MQTT_TAIL_SHORTEST;
    else
        shortest.u.ack.tail = MQTT_TAIL_SHORTEST;
    const mqtt_encode_opts sizing = {v, MQTT_DIR_UNKNOWN, MQTT_ENCODE_UNCHECKED};
    uint32_t size;
    if ((unsigned)tail > MQTT_TAIL_PROPERTIES || mqtt_encoded_size(&shortest, &sizing, &size) != MQTT_OK ||
        size >= length)
        return;
    jw_key(w, "tail");
    jw_cstring(w, packet_json_tail_names[tail]);
}

static void write_v5_props(json_writer *w, mqtt_version v, mqtt_props props)
{
    if (v == MQTT_V5)
        write_props(w, props);
}

static void write_connect(json_writer *w, const mqtt_connect *c, mqtt_version v)
{
    jw_key(w, "protocol_name");
    write_text(w, c->protocol_name);
    jw_key(w, "protocol_level");
    jw_uint(w, c->protocol_level);
    jw_key(w, "clean_start");
    jw_bool(w, c->clean_start);
    jw_key(w, "keep_alive");
    jw_uint(w, c->keep_alive);
    write_v5_props(w, v, c->props);
    jw_key(w, "client_id");
    write_text(w, c->client_id);
    jw_key(w, "will");
    if (c->will) {
        jw_object_begin(w);
        jw_key(w, "qos");
        jw_uint(w, c->will_qos);
        jw_key(w, "retain");
        jw_bool(w, c->will_retain);
        write_v5_props(w, v, c->will_props);
        jw_key(w, "topic");
        write_text(w, c->will_topic);
        jw_key(w, "payload");
        write_data(w, c->will_payload);
        jw_object_end(w);
    } else {
        jw_null(w);
    }
    jw_key(w, "username");
    if (c->has_username)
        write_text(w, c->username);
    else
        jw_null(w);
    jw_key(w, "password");
    if (c->has_password)
        write_data(w, c->password);
    else
        jw_null(w);
}

static void write_publish(json_writer *w, const mqtt_publish *p, mqtt_version v)
{
    jw_key(w, "dup");
    jw_bool(w, p->dup);
    jw_key(w, "qos");
    jw_uint(w, p->qos);
    jw_key(w, "retain");
    jw_bool(w, p->retain);
    jw_key(w, "topic");
    write_text(w, p->topic);
    jw_key(w, "packet_id");
    if (p->qos > 0)
        jw_uint(w, p->packet_id);
    else
        jw_null(w);
    write_v5_props(w, v, p->props);
    jw_key(w, "payload");
    write_data(w, p->payload);
}

/* The members SUBSCRIBE, UNSUBSCRIBE, SUBACK and UNSUBACK begin with. */
static void write_packet_id_and_props(json_writer *w, mqtt_version v, uint16_t packet_id, mqtt_props props)
{
    jw_key(w, "packet_id");
    jw_uint(w, packet_id);
    write_v5_props(w, v, props);
}

static void write_subscribe(json_writer *w, const mqtt_subscribe *s, mqtt_version v)
{
    write_packet_id_and_props(w, v, s->packet_id, s->props);
    jw_key(w, "subscriptions");
    jw_array_begin(w);
    mqtt_payload_iter it;
    mqtt_subscription sub;
    mqtt_subscribe_iter_init(&it, s);
    while (mqtt_subscribe_next(&it, &sub)) {
        jw_object_begin(w);
        jw_key(w, "filter");
        write_text(w, sub.filter);
        jw_key(w, "qos");
        jw_uint(w, sub.qos);
        if (v == MQTT_V5) {
            jw_key(w, "no_local");
            jw_bool(w, sub.no_local);
            jw_key(w, "retain_as_published");
            jw_bool(w, sub.retain_as_published);
            jw_key(w, "retain_handling");
            jw_uint(w, sub.retain_handling);
        }
        jw_object_end(w);
    }
    jw_array_end(w);
}

static void write_unsubscribe(json_writer *w, const mqtt_unsubscribe *u, mqtt_version v)
{
    write_packet_id_and_props(w, v, u->packet_id, u->props);
    jw_key(w, "filters");
    jw_array_begin(w);
    mqtt_payload_iter it;
    mqtt_bytes filter;
    mqtt_unsubscribe_iter_init(&it, u);
    while (mqtt_unsubscribe_next(&it, &filter))
        write_text(w, filter);
    jw_array_end(w);
}

static void write_suback(json_writer *w, const mqtt_suback *s, mqtt_packet_type type, mqtt_version v)
{
    write_packet_id_and_props(w, v, s->packet_id, s->props);
    if (type == MQTT_UNSUBACK && v != MQTT_V5)
        return; /* a 3.x UNSUBACK carries no reason codes */
    jw_key(w, "reason_codes");
    jw_array_begin(w);
    for (uint32_t i = 0; i < s->reason_codes.len; i++)
        write_reason(w, v, type, s->reason_codes.data[i]);
    jw_array_end(w);
}

void packet_json_write(json_writer *w, const mqtt_packet *pkt, mqtt_version v, uint64_t offset, size_t length)
{
    jw_object_begin(w);
    jw_key(w, "type");
    jw_cname(w, mqtt_packet_type_name(pkt->type));
    jw_key(w, "version");
    jw_cname(w, mqtt_version_name(v));
    jw_key(w, "offset");
    jw_uint(w, offset);
    jw_key(w, "length");
    jw_uint(w, length);

    switch (pkt->type) {
    case MQTT_CONNECT:
        write_connect(w, &pkt->u.connect, v);
        break;
    case MQTT_CONNACK:
        jw_key(w, "session_present");
        jw_bool(w, pkt->u.connack.session_present);
        jw_key(w, "reason_code");
        write_reason(w, v, pkt->type, pkt->u.connack.reason_code);
        write_v5_props(w, v, pkt->u.connack.props);
        break;
    case MQTT_PUBLISH:
        write_publish(w, &pkt->u.publish, v);
        break;
    case MQTT_PUBACK:
    case MQTT_PUBREC:
    case MQTT_PUBREL:
    case MQTT_PUBCOMP:
        jw_key(w, "packet_id");
        jw_uint(w, pkt->u.ack.packet_id);
        if (v == MQTT_V5) {
            jw_key(w, "reason_code");
            write_reason(w, v, pkt->type, pkt->u.ack.reason_code);
            write_props(w, pkt->u.ack.props);
            write_tail(w, pkt, v, pkt->u.ack.tail, length);
        }
        break;
    case MQTT_SUBSCRIBE:
        write_subscribe(w, &pkt->u.subscribe, v);
        break;
    case MQTT_SUBACK:
    case MQTT_UNSUBACK:
        write_suback(w, &pkt->u.suback, pkt->type, v);
        break;
    case MQTT_UNSUBSCRIBE:
        write_unsubscribe(w, &pkt->u.unsubscribe, v);
        break;
    case MQTT_PINGREQ:
    case MQTT_PINGRESP:
        break;
    case MQTT_DISCONNECT:
    case MQTT_AUTH:
        if (v == MQTT_V5) {
            jw_key(w, "reason_code");
            write_reason(w, v, pkt->type, pkt->u.reason.reason_code);
            write_props(w, pkt->u.reason.props);
            write_tail(w, pkt, v, pkt->u.reason.tail, length);
        }
        break;
    }
    jw_object_end(w);
}
