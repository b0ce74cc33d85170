/* CONNECT body: protocol name and level, connect flags, keep alive, properties (5.0), then client
 * id, will properties (5.0), will topic and payload, user name and password as the flags say. */
#include "encode_body.h"
#include "wire_write.h"

static const uint8_t name_mqisdp[] = {'M', 'Q', 'I', 's', 'd', 'p'};
static const uint8_t name_mqtt[] = {'M', 'Q', 'T', 'T'};

/* The level written: the packet's own, else the encode version. */
static uint8_t connect_level(const mqtt_connect *c, mqtt_version v)
{
    return c->protocol_level ? c->protocol_level : (uint8_t)v;
}

/* The protocol name written: the packet's own, else the one its level goes with. */
static mqtt_bytes connect_name(const mqtt_connect *c, uint8_t level)
{
    if (c->protocol_name.len)
        return c->protocol_name;
    if (level == MQTT_V31)
        return (mqtt_bytes){name_mqisdp, sizeof name_mqisdp};
    return (mqtt_bytes){name_mqtt, sizeof name_mqtt};
}

uint64_t enc_connect_size(const mqtt_packet *pkt, mqtt_version v)
{
    const mqtt_connect *c = &pkt->u.connect;
    uint8_t level = connect_level(c, v);
    bool v5 = level == MQTT_V5;
    uint64_t n = wire_prefixed_size(connect_name(c, level)) + 1u /* level */ + 1u /* flags */ + 2u /* keep alive */;
    n += wire_prefixed_size(c->client_id);
    if (v5)
        n += wire_props_size(c->props);
    if (c->will) {
        if (v5)
            n += wire_props_size(c->will_props);
        n += wire_prefixed_size(c->will_topic) + wire_prefixed_size(c->will_payload);
    }
    if (c->has_username)
        n += wire_prefixed_size(c->username);
    if (c->has_password)
        n += wire_prefixed_size(c->password);
    if (c->will_qos > 3u) /* two bits in the flags */
        n += WIRE_UNENCODABLE;
    return n;
}

static uint8_t connect_flags(const mqtt_connect *c)
{
    return (uint8_t)((unsigned)c->has_username << 7 | (unsigned)c->has_password << 6 |
                     (unsigned)c->will_retain << 5 | (unsigned)c->will_qos << 3 | (unsigned)c->will << 2 |
                     (unsigned)c->clean_start << 1);
}

uint8_t *enc_connect_write(const mqtt_packet *pkt, mqtt_version v, uint8_t *p)
{
    const mqtt_connect *c = &pkt->u.connect;
    uint8_t level = connect_level(c, v);
    bool v5 = level == MQTT_V5;
    p = wire_write_prefixed(p, connect_name(c, level));
    *p++ = level;
    *p++ = connect_flags(c);
    p = wire_write_u16(p, c->keep_alive);
    if (v5)
        p = wire_write_props(p, c->props);
    p = wire_write_prefixed(p, c->client_id);
    if (c->will) {
        if (v5)
            p = wire_write_props(p, c->will_props);
        p = wire_write_prefixed(p, c->will_topic);
        p = wire_write_prefixed(p, c->will_payload);
    }
    if (c->has_username)
        p = wire_write_prefixed(p, c->username);
    if (c->has_password)
        p = wire_write_prefixed(p, c->password);
    return p;
}
