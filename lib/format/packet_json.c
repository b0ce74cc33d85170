/* Decoded packet -> JSON object. Key order is fixed: type, version, offset, length, then the
 * packet's fields in wire order. */
#include "packet_json.h"

#include "base/utf8.h"

/* A UTF-8 string field: a JSON string, or {"hex": …} when the bytes are not well-formed UTF-8
 * (a JSON string cannot carry them). */
static void write_text(fmt_json_writer *w, mqtt_bytes s)
{
    if (base_utf8_valid(s.data, s.len)) {
        fmt_jw_string(w, s.data, s.len);
        return;
    }
    fmt_jw_object_begin(w);
    fmt_jw_key(w, "hex");
    fmt_jw_hex(w, s.data, s.len);
    fmt_jw_object_end(w);
}

/* A UTF-8 string member: when every byte is printable ASCII without '"' or '\\' (topics, client ids:
 * nearly always), key and string in one step, without the UTF-8 check and the escaping scan. */
static void write_text_member(fmt_json_writer *w, const char *key, mqtt_bytes s)
{
    if (base_plain_prefix(s.data, s.len) == s.len) {
        fmt_jw_key_name(w, key, (const char *)s.data, s.len);
        return;
    }
    fmt_jw_key(w, key);
    write_text(w, s);
}

/* Binary data: {"hex": …} plus "text" when the bytes are well-formed UTF-8. */
static void write_data(fmt_json_writer *w, mqtt_bytes d)
{
    fmt_jw_object_begin(w);
    fmt_jw_key(w, "hex");
    fmt_jw_hex(w, d.data, d.len);
    if (base_utf8_valid(d.data, d.len)) {
        fmt_jw_key(w, "text");
        fmt_jw_string(w, d.data, d.len);
    }
    fmt_jw_object_end(w);
}

static void write_reason(fmt_json_writer *w, mqtt_version v, mqtt_packet_type type, uint8_t code)
{
    fmt_jw_object_begin(w);
    fmt_jw_key(w, "code");
    fmt_jw_uint(w, code);
    fmt_jw_key(w, "name");
    const char *name = mqtt_reason_name(v, type, code);
    if (name)
        fmt_jw_cstring(w, name);
    else
        fmt_jw_null(w);
    fmt_jw_object_end(w);
}

static void write_props(fmt_json_writer *w, mqtt_props props)
{
    fmt_jw_key(w, "properties");
    fmt_jw_array_begin(w);
    mqtt_prop_iter it;
    mqtt_property p;
    mqtt_prop_iter_init(&it, props);
    while (mqtt_prop_next(&it, &p)) {
        fmt_jw_object_begin(w);
        fmt_jw_key(w, "name");
        fmt_jw_cstring(w, mqtt_prop_name(p.id));
        fmt_jw_key(w, "id");
        fmt_jw_uint(w, p.id);
        switch (p.type) {
        case MQTT_PTYPE_BYTE:
        case MQTT_PTYPE_U16:
        case MQTT_PTYPE_U32:
        case MQTT_PTYPE_VARINT:
            fmt_jw_key(w, "value");
            fmt_jw_uint(w, p.value);
            break;
        case MQTT_PTYPE_STRING:
            fmt_jw_key(w, "value");
            write_text(w, p.data);
            break;
        case MQTT_PTYPE_BINARY:
            fmt_jw_key(w, "value");
            write_data(w, p.data);
            break;
        case MQTT_PTYPE_STRING_PAIR:
            fmt_jw_key(w, "key");
            write_text(w, p.data);
            fmt_jw_key(w, "value");
            write_text(w, p.data2);
            break;
        case MQTT_PTYPE_NONE:
            break;
        }
        fmt_jw_object_end(w);
    }
    fmt_jw_array_end(w);
}

const char *const fmt_packet_json_tail_names[3] = {
    [MQTT_TAIL_SHORTEST] = "shortest", [MQTT_TAIL_REASON] = "reason_code", [MQTT_TAIL_PROPERTIES] = "properties"};

/* "tail", only when the packet spells out more of its 5.0 tail than its fields need: then the
 * encoder's shortest form is shorter than the packet, and the record must say so to survive
 * `decode --json | encode`. Ordinary packets keep their records unchanged. */
static void write_tail(fmt_json_writer *w, const mqtt_packet *pkt, mqtt_version v, mqtt_tail tail, size_t length)
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
    fmt_jw_key(w, "tail");
    fmt_jw_cstring(w, fmt_packet_json_tail_names[tail]);
}

static void write_v5_props(fmt_json_writer *w, mqtt_version v, mqtt_props props)
{
    if (v == MQTT_V5)
        write_props(w, props);
}

static void write_connect(fmt_json_writer *w, const mqtt_connect *c, mqtt_version v)
{
    fmt_jw_key(w, "protocol_name");
    write_text(w, c->protocol_name);
    fmt_jw_key(w, "protocol_level");
    fmt_jw_uint(w, c->protocol_level);
    fmt_jw_key(w, "clean_start");
    fmt_jw_bool(w, c->clean_start);
    fmt_jw_key(w, "keep_alive");
    fmt_jw_uint(w, c->keep_alive);
    write_v5_props(w, v, c->props);
    fmt_jw_key(w, "client_id");
    write_text(w, c->client_id);
    fmt_jw_key(w, "will");
    if (c->will) {
        fmt_jw_object_begin(w);
        fmt_jw_key(w, "qos");
        fmt_jw_uint(w, c->will_qos);
        fmt_jw_key(w, "retain");
        fmt_jw_bool(w, c->will_retain);
        write_v5_props(w, v, c->will_props);
        fmt_jw_key(w, "topic");
        write_text(w, c->will_topic);
        fmt_jw_key(w, "payload");
        write_data(w, c->will_payload);
        fmt_jw_object_end(w);
    } else {
        fmt_jw_null(w);
    }
    fmt_jw_key(w, "username");
    if (c->has_username)
        write_text(w, c->username);
    else
        fmt_jw_null(w);
    fmt_jw_key(w, "password");
    if (c->has_password)
        write_data(w, c->password);
    else
        fmt_jw_null(w);
}

static void write_publish(fmt_json_writer *w, const mqtt_publish *p, mqtt_version v)
{
    fmt_jw_key_bool(w, "dup", p->dup);
    fmt_jw_key_uint(w, "qos", p->qos);
    fmt_jw_key_bool(w, "retain", p->retain);
    write_text_member(w, "topic", p->topic);
    if (p->qos > 0)
        fmt_jw_key_uint(w, "packet_id", p->packet_id);
    else
        fmt_jw_key_null(w, "packet_id");
    write_v5_props(w, v, p->props);
    fmt_jw_key(w, "payload");
    write_data(w, p->payload);
}

/* The members SUBSCRIBE, UNSUBSCRIBE, SUBACK and UNSUBACK begin with. */
static void write_packet_id_and_props(fmt_json_writer *w, mqtt_version v, uint16_t packet_id, mqtt_props props)
{
    fmt_jw_key(w, "packet_id");
    fmt_jw_uint(w, packet_id);
    write_v5_props(w, v, props);
}

static void write_subscribe(fmt_json_writer *w, const mqtt_subscribe *s, mqtt_version v)
{
    write_packet_id_and_props(w, v, s->packet_id, s->props);
    fmt_jw_key(w, "subscriptions");
    fmt_jw_array_begin(w);
    mqtt_payload_iter it;
    mqtt_subscription sub;
    mqtt_subscribe_iter_init(&it, s);
    while (mqtt_subscribe_next(&it, &sub)) {
        fmt_jw_object_begin(w);
        fmt_jw_key(w, "filter");
        write_text(w, sub.filter);
        fmt_jw_key(w, "qos");
        fmt_jw_uint(w, sub.qos);
        if (v == MQTT_V5) {
            fmt_jw_key(w, "no_local");
            fmt_jw_bool(w, sub.no_local);
            fmt_jw_key(w, "retain_as_published");
            fmt_jw_bool(w, sub.retain_as_published);
            fmt_jw_key(w, "retain_handling");
            fmt_jw_uint(w, sub.retain_handling);
        }
        fmt_jw_object_end(w);
    }
    fmt_jw_array_end(w);
}

static void write_unsubscribe(fmt_json_writer *w, const mqtt_unsubscribe *u, mqtt_version v)
{
    write_packet_id_and_props(w, v, u->packet_id, u->props);
    fmt_jw_key(w, "filters");
    fmt_jw_array_begin(w);
    mqtt_payload_iter it;
    mqtt_bytes filter;
    mqtt_unsubscribe_iter_init(&it, u);
    while (mqtt_unsubscribe_next(&it, &filter))
        write_text(w, filter);
    fmt_jw_array_end(w);
}

static void write_suback(fmt_json_writer *w, const mqtt_suback *s, mqtt_packet_type type, mqtt_version v)
{
    write_packet_id_and_props(w, v, s->packet_id, s->props);
    if (type == MQTT_UNSUBACK && v != MQTT_V5)
        return; /* a 3.x UNSUBACK carries no reason codes */
    fmt_jw_key(w, "reason_codes");
    fmt_jw_array_begin(w);
    for (uint32_t i = 0; i < s->reason_codes.len; i++)
        write_reason(w, v, type, s->reason_codes.data[i]);
    fmt_jw_array_end(w);
}

void fmt_packet_json_write(fmt_json_writer *w, const mqtt_packet *pkt, mqtt_version v, uint64_t offset, size_t length)
{
    fmt_jw_object_begin(w);
    fmt_jw_key_cname(w, "type", mqtt_packet_type_name(pkt->type));
    fmt_jw_key_cname(w, "version", mqtt_version_name(v));
    fmt_jw_key_uint(w, "offset", offset);
    fmt_jw_key_uint(w, "length", length);

    switch (pkt->type) {
    case MQTT_CONNECT:
        write_connect(w, &pkt->u.connect, v);
        break;
    case MQTT_CONNACK:
        fmt_jw_key(w, "session_present");
        fmt_jw_bool(w, pkt->u.connack.session_present);
        fmt_jw_key(w, "reason_code");
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
        fmt_jw_key_uint(w, "packet_id", pkt->u.ack.packet_id);
        if (v == MQTT_V5) {
            fmt_jw_key(w, "reason_code");
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
            fmt_jw_key(w, "reason_code");
            write_reason(w, v, pkt->type, pkt->u.reason.reason_code);
            write_props(w, pkt->u.reason.props);
            write_tail(w, pkt, v, pkt->u.reason.tail, length);
        }
        break;
    }
    fmt_jw_object_end(w);
}
