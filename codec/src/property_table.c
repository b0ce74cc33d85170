/* THE property matrix of MQTT 5.0 (Table 2-4 and each packet's property section): type, where each
 * property may stand, where it may repeat, and the rule its value must meet. */
#include <string.h>

#include "property_table.h"

#define IN(t) PROP_PLACE(MQTT_##t)
#define WILL PROP_PLACE(MQTT_PROPS_IN_WILL)
#define MESSAGE_PLACES (IN(PUBLISH) | WILL)
#define SESSION_PLACES (IN(CONNECT) | IN(CONNACK))
#define AUTH_PLACES (IN(CONNECT) | IN(CONNACK) | IN(AUTH))
#define REASON_STRING_PLACES                                                                                    \
    (IN(CONNACK) | IN(PUBACK) | IN(PUBREC) | IN(PUBREL) | IN(PUBCOMP) | IN(SUBACK) | IN(UNSUBACK) |             \
     IN(DISCONNECT) | IN(AUTH))
#define USER_PROPERTY_PLACES (REASON_STRING_PLACES | IN(CONNECT) | IN(PUBLISH) | IN(SUBSCRIBE) | IN(UNSUBSCRIBE) | WILL)

#define ROW(id_, name_, type_, rule_, places_)                                                                  \
    [id_] = {.name = name_, .type = MQTT_PTYPE_##type_, .rule = PROP_RULE_##rule_, .places = (places_)}

const prop_row mqtt_prop_table[MQTT_PROP_ID_MAX + 1] = {
    ROW(0x01, "payload_format_indicator", BYTE, BOOL, MESSAGE_PLACES),
    ROW(0x02, "message_expiry_interval", U32, ANY, MESSAGE_PLACES),
    [0x03] = {.name = "content_type", .type = MQTT_PTYPE_STRING, .places = MESSAGE_PLACES,
              .utf8_statement = "MQTT-3.3.2-19"},
    [0x08] = {.name = "response_topic", .type = MQTT_PTYPE_STRING, .rule = PROP_RULE_TOPIC_NAME,
              .places = MESSAGE_PLACES, .utf8_statement = "MQTT-3.3.2-13"},
    ROW(0x09, "correlation_data", BINARY, ANY, MESSAGE_PLACES),
    [0x0B] = {.name = "subscription_identifier", .type = MQTT_PTYPE_VARINT, .rule = PROP_RULE_NONZERO,
              .places = IN(PUBLISH) | IN(SUBSCRIBE), .repeatable = IN(PUBLISH),
              .one_sided_place = MQTT_PUBLISH, .one_sided_dir = MQTT_DIR_TO_SERVER,
              .one_sided_err = MQTT_ERR_SUBSCRIPTION_ID_FROM_CLIENT},
    [0x11] = {.name = "session_expiry_interval", .type = MQTT_PTYPE_U32,
              .places = SESSION_PLACES | IN(DISCONNECT), .one_sided_place = MQTT_DISCONNECT,
              .one_sided_dir = MQTT_DIR_TO_CLIENT, .one_sided_err = MQTT_ERR_SESSION_EXPIRY_FROM_SERVER},
    ROW(0x12, "assigned_client_identifier", STRING, ANY, IN(CONNACK)),
    ROW(0x13, "server_keep_alive", U16, ANY, IN(CONNACK)),
    ROW(0x15, "authentication_method", STRING, ANY, AUTH_PLACES),
    ROW(0x16, "authentication_data", BINARY, ANY, AUTH_PLACES),
    ROW(0x17, "request_problem_information", BYTE, BOOL, IN(CONNECT)),
    ROW(0x18, "will_delay_interval", U32, ANY, WILL),
    ROW(0x19, "request_response_information", BYTE, BOOL, IN(CONNECT)),
    ROW(0x1A, "response_information", STRING, ANY, IN(CONNACK)),
    ROW(0x1C, "server_reference", STRING, ANY, IN(CONNACK) | IN(DISCONNECT)),
    ROW(0x1F, "reason_string", STRING, ANY, REASON_STRING_PLACES),
    ROW(0x21, "receive_maximum", U16, NONZERO, SESSION_PLACES),
    ROW(0x22, "topic_alias_maximum", U16, ANY, SESSION_PLACES),
    [0x23] = {.name = "topic_alias", .type = MQTT_PTYPE_U16, .rule = PROP_RULE_NONZERO, .places = IN(PUBLISH),
              .rule_statement = "MQTT-3.3.2-8"},
    ROW(0x24, "maximum_qos", BYTE, BOOL, IN(CONNACK)),
    ROW(0x25, "retain_available", BYTE, BOOL, IN(CONNACK)),
    [0x26] = {.name = "user_property", .type = MQTT_PTYPE_STRING_PAIR, .places = USER_PROPERTY_PLACES,
              .repeatable = USER_PROPERTY_PLACES, .utf8_statement = "MQTT-1.5.7-1"},
    ROW(0x27, "maximum_packet_size", U32, NONZERO, SESSION_PLACES),
    ROW(0x28, "wildcard_subscription_available", BYTE, BOOL, IN(CONNACK)),
    ROW(0x29, "subscription_identifier_available", BYTE, BOOL, IN(CONNACK)),
    ROW(0x2A, "shared_subscription_available", BYTE, BOOL, IN(CONNACK)),
};

mqtt_prop_type mqtt_prop_type_of(unsigned id)
{
    const prop_row *row = prop_row_of(id);
    return row ? (mqtt_prop_type)row->type : MQTT_PTYPE_NONE;
}

const char *mqtt_prop_name(unsigned id)
{
    const prop_row *row = prop_row_of(id);
    return row ? row->name : NULL;
}

unsigned mqtt_prop_by_name(const char *name)
{
    if (!name)
        return 0;
    for (unsigned id = 1; id <= MQTT_PROP_ID_MAX; id++)
        if (mqtt_prop_table[id].name && strcmp(mqtt_prop_table[id].name, name) == 0)
            return id;
    return 0;
}

bool mqtt_prop_allowed_in(unsigned id, unsigned place)
{
    const prop_row *row = prop_row_of(id);
    return row && place <= MQTT_PROPS_IN_WILL && (row->places & PROP_PLACE(place));
}

bool mqtt_prop_may_repeat(unsigned id, unsigned place)
{
    const prop_row *row = prop_row_of(id);
    return row && place <= MQTT_PROPS_IN_WILL && (row->repeatable & PROP_PLACE(place));
}
