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

static bool get_client_id(const mqtt_packet *p, fmt_pf_value *v)
{
    v->bytes = p->u.connect.client_id;
    return true;
}

static bool get_clean_start(const mqtt_packet *p, fmt_pf_value *v)
{
    v->num = p->u.connect.clean_start;
    return true;
}

static bool get_keep_alive(const mqtt_packet *p, fmt_pf_value *v)
{
    v->num = p->u.connect.keep_alive;
    return true;
}

static bool get_will(const mqtt_packet *p, fmt_pf_value *v)
{
    v->num = p->u.connect.will;
    return true;
}

static bool get_has_username(const mqtt_packet *p, fmt_pf_value *v)
{
    v->num = p->u.connect.has_username;
    return true;
}

static bool get_has_password(const mqtt_packet *p, fmt_pf_value *v)
{
    v->num = p->u.connect.has_password;
    return true;
}

static bool get_filter_count(const mqtt_packet *p, fmt_pf_value *v)
{
    v->num = p->type == MQTT_SUBSCRIBE ? p->u.subscribe.count : p->u.unsubscribe.count;
    return true;
}

/* name, script alias, kind, types, getter, description, types only 5.0 has it on, summary text and form */
#define SUMMARY(text, show) text, sizeof text - 1, show
/* not on the summary line (every member written out: clang warns about a designated entry left short) */
#define NO_SUMMARY "", 0, FMT_PF_SHOW_NUMBER
const fmt_packet_field fmt_pf_fields[FMT_PF_COUNT] = {
    [FMT_PF_SESSION_PRESENT] = {"session_present", "sp", FMT_PF_INT, BIT(MQTT_CONNACK), get_session_present,
                                "the broker kept a session for this client (CONNACK)", 0,
                                SUMMARY(" session_present=", FMT_PF_SHOW_NUMBER)},
    [FMT_PF_REASON_CODE] = {"reason_code", "rc", FMT_PF_INT,
                            BIT(MQTT_CONNACK) | ACKS | BIT(MQTT_DISCONNECT) | BIT(MQTT_AUTH), get_reason_code,
                            "the one reason (3.1.1: return) code of the packet",
                            ACKS | BIT(MQTT_DISCONNECT) | BIT(MQTT_AUTH), SUMMARY(" reason=", FMT_PF_SHOW_REASON)},
    [FMT_PF_TOPIC] = {"topic", "topic", FMT_PF_BYTES, BIT(MQTT_PUBLISH), get_topic, "the Topic Name of a PUBLISH", 0,
                      SUMMARY(" topic=", FMT_PF_SHOW_QUOTED)},
    [FMT_PF_PAYLOAD] = {"payload", "payload", FMT_PF_BYTES, BIT(MQTT_PUBLISH), get_payload, "the application message",
                        0, SUMMARY(" payload=", FMT_PF_SHOW_SIZE)},
    [FMT_PF_QOS] = {"qos", "qos", FMT_PF_INT, BIT(MQTT_PUBLISH), get_qos, "the QoS of a PUBLISH", 0,
                    SUMMARY(" qos=", FMT_PF_SHOW_NUMBER)},
    [FMT_PF_RETAIN] = {"retain", "retain", FMT_PF_INT, BIT(MQTT_PUBLISH), get_retain, "the RETAIN flag of a PUBLISH", 0,
                       SUMMARY(" retain", FMT_PF_SHOW_FLAG)},
    [FMT_PF_DUP] = {"dup", "dup", FMT_PF_INT, BIT(MQTT_PUBLISH), get_dup, "the DUP flag of a PUBLISH", 0,
                    SUMMARY(" dup", FMT_PF_SHOW_FLAG)},
    [FMT_PF_PACKET_ID] = {"packet_id", "pid", FMT_PF_INT,
                          BIT(MQTT_PUBLISH) | ACKS | BIT(MQTT_SUBSCRIBE) | BIT(MQTT_SUBACK) | BIT(MQTT_UNSUBSCRIBE) |
                              BIT(MQTT_UNSUBACK),
                          get_packet_id, "the Packet Identifier (absent on a QoS 0 PUBLISH)", 0,
                          SUMMARY(" id=", FMT_PF_SHOW_NUMBER)},
    [FMT_PF_REASON_CODES] = {"reason_codes", "codes", FMT_PF_CODES, BIT(MQTT_SUBACK) | BIT(MQTT_UNSUBACK),
                             get_reason_codes, "the list of reason codes of a SUBACK or UNSUBACK, one per filter", 0,
                             SUMMARY(" codes=", FMT_PF_SHOW_COUNT)},
    [FMT_PF_FLAGS] = {"flags", "flags", FMT_PF_INT, ANY_TYPE, get_flags, "the low four bits of the first byte", 0,
                      NO_SUMMARY},
    [FMT_PF_REMAINING_LENGTH] = {"remaining_length", "len", FMT_PF_INT, ANY_TYPE, get_remaining_length,
                                 "the Remaining Length of the fixed header", 0, NO_SUMMARY},
    [FMT_PF_PACKET_SIZE] = {"packet_size", "size", FMT_PF_INT, ANY_TYPE, get_packet_size,
                            "the whole packet in bytes, fixed header included", 0, NO_SUMMARY},
    [FMT_PF_CLIENT_ID] = {"client_id", NULL, FMT_PF_BYTES, BIT(MQTT_CONNECT), get_client_id,
                          "the Client Identifier of a CONNECT", 0, SUMMARY(" client_id=", FMT_PF_SHOW_QUOTED)},
    [FMT_PF_CLEAN_START] = {"clean_start", NULL, FMT_PF_INT, BIT(MQTT_CONNECT), get_clean_start,
                            "Clean Start (3.1.1: Clean Session) of a CONNECT", 0,
                            SUMMARY(" clean_start=", FMT_PF_SHOW_NUMBER)},
    [FMT_PF_KEEP_ALIVE] = {"keep_alive", NULL, FMT_PF_INT, BIT(MQTT_CONNECT), get_keep_alive,
                           "the Keep Alive of a CONNECT, in seconds", 0, SUMMARY(" keep_alive=", FMT_PF_SHOW_NUMBER)},
    [FMT_PF_WILL] = {"will", NULL, FMT_PF_INT, BIT(MQTT_CONNECT), get_will, "a CONNECT carries a Will Message", 0,
                     SUMMARY(" will", FMT_PF_SHOW_FLAG)},
    [FMT_PF_HAS_USERNAME] = {"has_username", NULL, FMT_PF_INT, BIT(MQTT_CONNECT), get_has_username,
                             "a CONNECT carries a User Name", 0, SUMMARY(" username", FMT_PF_SHOW_FLAG)},
    [FMT_PF_HAS_PASSWORD] = {"has_password", NULL, FMT_PF_INT, BIT(MQTT_CONNECT), get_has_password,
                             "a CONNECT carries a Password", 0, SUMMARY(" password", FMT_PF_SHOW_FLAG)},
    [FMT_PF_FILTER_COUNT] = {"filter_count", NULL, FMT_PF_INT, BIT(MQTT_SUBSCRIBE) | BIT(MQTT_UNSUBSCRIBE),
                             get_filter_count, "how many topic filters a SUBSCRIBE or UNSUBSCRIBE lists", 0,
                             SUMMARY(" filters=", FMT_PF_SHOW_NUMBER)},
};

#undef SUMMARY

#define LINE(...)                                                                                                      \
    {                                                                                                                  \
        sizeof((uint8_t[]){__VA_ARGS__}),                                                                              \
        {                                                                                                              \
            __VA_ARGS__                                                                                                \
        }                                                                                                              \
    }
#define ACK_LINE LINE(FMT_PF_PACKET_ID, FMT_PF_REASON_CODE)
/* The summary line of `mqtk pcap` and the transcripts of `mqtk run` both follow it. */
const fmt_pf_line_fields fmt_pf_line[16] = {
    [MQTT_CONNECT] = LINE(FMT_PF_CLIENT_ID, FMT_PF_CLEAN_START, FMT_PF_KEEP_ALIVE, FMT_PF_WILL, FMT_PF_HAS_USERNAME,
                          FMT_PF_HAS_PASSWORD),
    [MQTT_CONNACK] = LINE(FMT_PF_SESSION_PRESENT, FMT_PF_REASON_CODE),
    [MQTT_PUBLISH] = LINE(FMT_PF_QOS, FMT_PF_PACKET_ID, FMT_PF_DUP, FMT_PF_RETAIN, FMT_PF_TOPIC, FMT_PF_PAYLOAD),
    [MQTT_PUBACK] = ACK_LINE,
    [MQTT_PUBREC] = ACK_LINE,
    [MQTT_PUBREL] = ACK_LINE,
    [MQTT_PUBCOMP] = ACK_LINE,
    [MQTT_SUBSCRIBE] = LINE(FMT_PF_PACKET_ID, FMT_PF_FILTER_COUNT),
    [MQTT_SUBACK] = LINE(FMT_PF_PACKET_ID, FMT_PF_REASON_CODES),
    [MQTT_UNSUBSCRIBE] = LINE(FMT_PF_PACKET_ID, FMT_PF_FILTER_COUNT),
    [MQTT_UNSUBACK] = LINE(FMT_PF_PACKET_ID, FMT_PF_REASON_CODES),
    [MQTT_DISCONNECT] = LINE(FMT_PF_REASON_CODE),
    [MQTT_AUTH] = LINE(FMT_PF_REASON_CODE),
};
#undef ACK_LINE
#undef LINE

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
        if (fmt_pf_fields[i].alias && strcmp(fmt_pf_fields[i].alias, alias) == 0)
            return &fmt_pf_fields[i];
    return NULL;
}

bool fmt_pf_on(const fmt_packet_field *f, const mqtt_packet *p)
{
    return (unsigned)p->type < 16 && (f->types & BIT(p->type)) != 0;
}
