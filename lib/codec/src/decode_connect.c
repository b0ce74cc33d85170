/* CONNECT (3.1.2, 3.1.3 of both texts). The packet is read by the protocol level it announces. */
#include <string.h>

#include "decode_internal.h"

enum {
    CONNECT_RESERVED = 0x01,
    CONNECT_CLEAN = 0x02,
    CONNECT_WILL = 0x04,
    CONNECT_WILL_QOS = 0x18,
    CONNECT_WILL_RETAIN = 0x20,
    CONNECT_PASSWORD = 0x40,
    CONNECT_USERNAME = 0x80,
};

/* Protocol name each level must carry. */
static const struct {
    uint8_t level;
    const char *name;
    uint8_t name_len;
} protocol_names[] = {
    {MQTT_V31, "MQIsdp", 6},
    {MQTT_V311, "MQTT", 4},
    {MQTT_V5, "MQTT", 4},
};

static const statement_pair client_id_utf8 = {"MQTT-3.1.3-4", "MQTT-3.1.3-4"};
static const statement_pair will_topic_utf8 = {"MQTT-3.1.3-10", "MQTT-3.1.3-11"};
static const statement_pair will_topic_wildcard = {"MQTT-4.7.1-1", "MQTT-4.7.0-1"};
static const statement_pair username_utf8 = {"MQTT-3.1.3-11", "MQTT-3.1.3-12"};

static mqtt_err check_protocol(decoder *d, mqtt_connect *c, const uint8_t *name_at, const uint8_t *level_at)
{
    for (size_t i = 0; i < sizeof protocol_names / sizeof protocol_names[0]; i++) {
        if (protocol_names[i].level != c->protocol_level)
            continue;
        if (c->protocol_name.len == protocol_names[i].name_len &&
            memcmp(c->protocol_name.data, protocol_names[i].name, c->protocol_name.len) == 0)
            return MQTT_OK;
        return dec_fail(d, MQTT_ERR_PROTOCOL_NAME, name_at);
    }
    return dec_fail(d, MQTT_ERR_PROTOCOL_LEVEL, level_at);
}

static mqtt_err check_flags(decoder *d, uint8_t flags, const uint8_t *at)
{
    unsigned will_qos = (flags & CONNECT_WILL_QOS) >> 3;
    if (flags & CONNECT_RESERVED)
        return dec_fail(d, MQTT_ERR_CONNECT_RESERVED_FLAG, at);
    if (!(flags & CONNECT_WILL) && will_qos != 0)
        return dec_fail(d, MQTT_ERR_WILL_QOS_WITHOUT_WILL, at);
    if (!(flags & CONNECT_WILL) && (flags & CONNECT_WILL_RETAIN))
        return dec_fail(d, MQTT_ERR_WILL_RETAIN_WITHOUT_WILL, at);
    if (will_qos == 3)
        return dec_fail(d, MQTT_ERR_WILL_QOS_3, at);
    if (d->version != MQTT_V5 && (flags & CONNECT_PASSWORD) && !(flags & CONNECT_USERNAME))
        return dec_fail(d, MQTT_ERR_PASSWORD_WITHOUT_USERNAME, at);
    return MQTT_OK;
}

static mqtt_err decode_will(decoder *d, mqtt_connect *c)
{
    mqtt_err e;
    if (d->version == MQTT_V5 && (e = dec_props(d, MQTT_PROPS_IN_WILL, &c->will_props, NULL)) != MQTT_OK)
        return e;
    const uint8_t *topic_at = d->pos;
    e = dec_text(d, &c->will_topic, will_topic_utf8, true);
    if (e == MQTT_ERR_TOPIC_WILDCARD)
        d->err->statement = dec_pick(d, will_topic_wildcard);
    if (e != MQTT_OK)
        return e;
    if (c->will_topic.len == 0)
        return dec_fail(d, MQTT_ERR_TOPIC_EMPTY, topic_at);
    return dec_binary(d, &c->will_payload);
}

mqtt_err decode_connect(decoder *d, mqtt_packet *pkt)
{
    mqtt_connect *c = &pkt->u.connect;
    memset(c, 0, sizeof *c);
    mqtt_err e;
    const uint8_t *name_at = d->pos;
    if ((e = dec_binary(d, &c->protocol_name)) != MQTT_OK)
        return e;
    const uint8_t *level_at = d->pos;
    if ((e = dec_u8(d, &c->protocol_level)) != MQTT_OK || (e = check_protocol(d, c, name_at, level_at)) != MQTT_OK)
        return e;
    const uint8_t *flags_at = d->pos;
    uint8_t flags;
    if ((e = dec_u8(d, &flags)) != MQTT_OK || (e = check_flags(d, flags, flags_at)) != MQTT_OK)
        return e;
    c->clean_start = flags & CONNECT_CLEAN;
    c->will = flags & CONNECT_WILL;
    c->will_qos = (uint8_t)((flags & CONNECT_WILL_QOS) >> 3);
    c->will_retain = flags & CONNECT_WILL_RETAIN;
    c->has_username = flags & CONNECT_USERNAME;
    c->has_password = flags & CONNECT_PASSWORD;
    if ((e = dec_u16(d, &c->keep_alive)) != MQTT_OK)
        return e;
    if (d->version == MQTT_V5 && (e = dec_props(d, MQTT_CONNECT, &c->props, NULL)) != MQTT_OK)
        return e;

    const uint8_t *client_id_at = d->pos;
    if ((e = dec_text(d, &c->client_id, client_id_utf8, false)) != MQTT_OK)
        return e;
    if (d->version == MQTT_V311 && c->client_id.len == 0 && !c->clean_start)
        return dec_fail(d, MQTT_ERR_EMPTY_CLIENT_ID_NEEDS_CLEAN, client_id_at);
    if (c->will && (e = decode_will(d, c)) != MQTT_OK)
        return e;
    if (c->has_username && (e = dec_text(d, &c->username, username_utf8, false)) != MQTT_OK)
        return e;
    if (c->has_password && (e = dec_binary(d, &c->password)) != MQTT_OK)
        return e;
    return dec_finish(d);
}
