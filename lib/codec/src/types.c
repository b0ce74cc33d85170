/* Names of packet types and protocol versions. */
#include <stddef.h>
#include <string.h>

#include "mqtt/types.h"

static const char *const packet_type_names[16] = {
    NULL,        "CONNECT", "CONNACK",    "PUBLISH",  "PUBACK",      "PUBREC",  "PUBREL",     "PUBCOMP",
    "SUBSCRIBE", "SUBACK",  "UNSUBSCRIBE", "UNSUBACK", "PINGREQ",    "PINGRESP", "DISCONNECT", "AUTH",
};

#ifndef MQTK_VERSION
#define MQTK_VERSION "unknown" /* compiled outside CMake, as fuzz/oss-fuzz/build.sh does */
#endif

const char *mqtt_codec_version(void)
{
    return MQTK_VERSION;
}

/* Offsets (+1, so 0 means "none") of the fields packet types share. */
typedef struct shared_fields {
    uint16_t id, props, reason, tail;
} shared_fields;

#define AT(field) (uint16_t)(offsetof(mqtt_packet, field) + 1)
static const shared_fields shared[16] = {
    [MQTT_CONNECT] = {0, AT(u.connect.props), 0, 0},
    [MQTT_CONNACK] = {0, AT(u.connack.props), AT(u.connack.reason_code), 0},
    [MQTT_PUBLISH] = {AT(u.publish.packet_id), AT(u.publish.props), 0, 0},
    [MQTT_PUBACK] = {AT(u.ack.packet_id), AT(u.ack.props), AT(u.ack.reason_code), AT(u.ack.tail)},
    [MQTT_PUBREC] = {AT(u.ack.packet_id), AT(u.ack.props), AT(u.ack.reason_code), AT(u.ack.tail)},
    [MQTT_PUBREL] = {AT(u.ack.packet_id), AT(u.ack.props), AT(u.ack.reason_code), AT(u.ack.tail)},
    [MQTT_PUBCOMP] = {AT(u.ack.packet_id), AT(u.ack.props), AT(u.ack.reason_code), AT(u.ack.tail)},
    [MQTT_SUBSCRIBE] = {AT(u.subscribe.packet_id), AT(u.subscribe.props), 0, 0},
    [MQTT_SUBACK] = {AT(u.suback.packet_id), AT(u.suback.props), 0, 0},
    [MQTT_UNSUBSCRIBE] = {AT(u.unsubscribe.packet_id), AT(u.unsubscribe.props), 0, 0},
    [MQTT_UNSUBACK] = {AT(u.suback.packet_id), AT(u.suback.props), 0, 0},
    [MQTT_DISCONNECT] = {0, AT(u.reason.props), AT(u.reason.reason_code), AT(u.reason.tail)},
    [MQTT_AUTH] = {0, AT(u.reason.props), AT(u.reason.reason_code), AT(u.reason.tail)},
};
#undef AT

static const shared_fields *shared_of(const mqtt_packet *p)
{
    static const shared_fields none = {0, 0, 0, 0};
    return (unsigned)p->type < 16 ? &shared[p->type] : &none;
}

uint16_t *mqtt_packet_id_field(mqtt_packet *p)
{
    uint16_t off = shared_of(p)->id;
    return off ? (uint16_t *)((char *)p + off - 1) : NULL;
}

int32_t mqtt_packet_id(const mqtt_packet *p)
{
    uint16_t off = shared_of(p)->id;
    if (!off || (p->type == MQTT_PUBLISH && p->u.publish.qos == 0))
        return -1;
    return *(const uint16_t *)((const char *)p + off - 1);
}

mqtt_props *mqtt_packet_props_field(mqtt_packet *p)
{
    uint16_t off = shared_of(p)->props;
    return off ? (mqtt_props *)((char *)p + off - 1) : NULL;
}

mqtt_props mqtt_packet_props(const mqtt_packet *p)
{
    static const mqtt_props none = {NULL, 0};
    uint16_t off = shared_of(p)->props;
    return off ? *(const mqtt_props *)((const char *)p + off - 1) : none;
}

uint8_t *mqtt_packet_reason_field(mqtt_packet *p)
{
    uint16_t off = shared_of(p)->reason;
    return off ? (uint8_t *)p + off - 1 : NULL;
}

int mqtt_packet_reason(const mqtt_packet *p)
{
    uint16_t off = shared_of(p)->reason;
    return off ? *((const uint8_t *)p + off - 1) : -1;
}

mqtt_tail *mqtt_packet_tail_field(mqtt_packet *p)
{
    uint16_t off = shared_of(p)->tail;
    return off ? (mqtt_tail *)((char *)p + off - 1) : NULL;
}

mqtt_tail mqtt_packet_tail(const mqtt_packet *p)
{
    uint16_t off = shared_of(p)->tail;
    return off ? *(const mqtt_tail *)((const char *)p + off - 1) : MQTT_TAIL_SHORTEST;
}

const char *mqtt_packet_type_name(unsigned type)
{
    return type < 16 ? packet_type_names[type] : NULL;
}

mqtt_version mqtt_version_from_level(unsigned level)
{
    switch (level) {
    case MQTT_V31:
    case MQTT_V311:
    case MQTT_V5:
        return (mqtt_version)level;
    default:
        return (mqtt_version)0;
    }
}

const char *mqtt_version_name(mqtt_version v)
{
    switch (v) {
    case MQTT_V31:
        return "3.1";
    case MQTT_V311:
        return "3.1.1";
    case MQTT_V5:
        return "5.0";
    }
    return "unknown";
}

mqtt_bytes mqtt_cstr(const char *s)
{
    return (mqtt_bytes){(const uint8_t *)s, s ? (uint32_t)strlen(s) : 0};
}
