#include "packet_fields.h"

#include <string.h>

#define BIT(t) (1u << (t))
#define ACKS (BIT(MQTT_PUBACK) | BIT(MQTT_PUBREC) | BIT(MQTT_PUBREL) | BIT(MQTT_PUBCOMP))
#define ANY_TYPE 0xFFFEu

static bool get_session_present(const mqtt_packet *p, fmt_pf_value *v)
{
    v->num = p->u.connack.session_present;
    return true;
}

static bool get_reason_code(const mqtt_packet *p, fmt_pf_value *v)
{
    int rc = mqtt_packet_reason(p);
    v->num = rc >= 0 ? (uint32_t)rc : 0;
    return rc >= 0;
}

static bool get_topic(const mqtt_packet *p, fmt_pf_value *v)
{
    v->bytes = p->u.publish.topic;
    return true;
}

static bool get_payload(const mqtt_packet *p, fmt_pf_value *v)
{
    v->bytes = p->u.publish.payload;
    return true;
}

static bool get_qos(const mqtt_packet *p, fmt_pf_value *v)
{
    v->num = p->u.publish.qos;
    return true;
}

static bool get_retain(const mqtt_packet *p, fmt_pf_value *v)
{
    v->num = p->u.publish.retain;
    return true;
}

static bool get_dup(const mqtt_packet *p, fmt_pf_value *v)
{
    v->num = p->u.publish.dup;
    return true;
}

static bool get_packet_id(const mqtt_packet *p, fmt_pf_value *v)
{
    int32_t id = mqtt_packet_id(p);
    v->num = id >= 0 ? (uint32_t)id : 0;
    return id >= 0;
}

static bool get_reason_codes(const mqtt_packet *p, fmt_pf_value *v)
{
    v->bytes = p->u.suback.reason_codes;
    return true;
}

static bool get_flags(const mqtt_packet *p, fmt_pf_value *v)
{
    v->num = p->flags;
    return true;
}

static bool get_remaining_length(const mqtt_packet *p, fmt_pf_value *v)
{
    v->num = p->remaining_length;
    return true;
}

/* The whole packet: type byte, Remaining Length bytes, and what they count. */
static bool get_packet_size(const mqtt_packet *p, fmt_pf_value *v)
{
    uint32_t header = 2;
    for (uint32_t rl = p->remaining_length; rl > 127; rl >>= 7)
        header++;
    v->num = header + p->remaining_length;
    return true;
}

const fmt_packet_field fmt_pf_fields[FMT_PF_COUNT] = {
    [FMT_PF_SESSION_PRESENT] = {"session_present", "sp", FMT_PF_INT, BIT(MQTT_CONNACK), get_session_present,
                                "the broker kept a session for this client (CONNACK)"},
    [FMT_PF_REASON_CODE] = {"reason_code", "rc", FMT_PF_INT,
                            BIT(MQTT_CONNACK) | ACKS | BIT(MQTT_DISCONNECT) | BIT(MQTT_AUTH), get_reason_code,
                            "the one reason (3.1.1: return) code of the packet"},
    [FMT_PF_TOPIC] = {"topic", "topic", FMT_PF_BYTES, BIT(MQTT_PUBLISH), get_topic, "the Topic Name of a PUBLISH"},
    [FMT_PF_PAYLOAD] = {"payload", "payload", FMT_PF_BYTES, BIT(MQTT_PUBLISH), get_payload, "the application message"},
    [FMT_PF_QOS] = {"qos", "qos", FMT_PF_INT, BIT(MQTT_PUBLISH), get_qos, "the QoS of a PUBLISH"},
    [FMT_PF_RETAIN] = {"retain", "retain", FMT_PF_INT, BIT(MQTT_PUBLISH), get_retain, "the RETAIN flag of a PUBLISH"},
    [FMT_PF_DUP] = {"dup", "dup", FMT_PF_INT, BIT(MQTT_PUBLISH), get_dup, "the DUP flag of a PUBLISH"},
    [FMT_PF_PACKET_ID] = {"packet_id", "pid", FMT_PF_INT,
                          BIT(MQTT_PUBLISH) | ACKS | BIT(MQTT_SUBACK) | BIT(MQTT_UNSUBACK), get_packet_id,
                          "the Packet Identifier (absent on a QoS 0 PUBLISH)"},
    [FMT_PF_REASON_CODES] = {"reason_codes", "codes", FMT_PF_CODES, BIT(MQTT_SUBACK) | BIT(MQTT_UNSUBACK),
                             get_reason_codes, "the list of reason codes of a SUBACK or UNSUBACK, one per filter"},
    [FMT_PF_FLAGS] = {"flags", "flags", FMT_PF_INT, ANY_TYPE, get_flags, "the low four bits of the first byte"},
    [FMT_PF_REMAINING_LENGTH] = {"remaining_length", "len", FMT_PF_INT, ANY_TYPE, get_remaining_length,
                                 "the Remaining Length of the fixed header"},
    [FMT_PF_PACKET_SIZE] = {"packet_size", "size", FMT_PF_INT, ANY_TYPE, get_packet_size,
                            "the whole packet in bytes, fixed header included"},
};

const fmt_packet_field *fmt_pf_by_name(const char *name)
{
    for (size_t i = 0; i < FMT_PF_COUNT; i++)
        if (strcmp(fmt_pf_fields[i].name, name) == 0)
            return &fmt_pf_fields[i];
    return NULL;
}

const fmt_packet_field *fmt_pf_by_alias(const char *alias)
{
    for (size_t i = 0; i < FMT_PF_COUNT; i++)
        if (strcmp(fmt_pf_fields[i].alias, alias) == 0)
            return &fmt_pf_fields[i];
    return NULL;
}

bool fmt_pf_on(const fmt_packet_field *f, const mqtt_packet *p)
{
    return (unsigned)p->type < 16 && (f->types & BIT(p->type)) != 0;
}
