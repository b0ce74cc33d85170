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

/* THE matrix, one row per property:
 *   id, name, type, value rule, where it may stand, where it may repeat, the statement cited when
 *   the value rule fails and for ill-formed UTF-8 (NULL: the generic one), and a rule binding one
 *   sender: (place, sender that must not send it there, error), ANY_SENDER when there is none.
 * Expanded twice: into mqtt_prop_table, and into the per-place codes of the validator. */
#define ANY_SENDER (0, MQTT_DIR_UNKNOWN, MQTT_OK)
#define NOWHERE 0u
#define PROPERTY_MATRIX(X, arg)                                                                                  \
    X(arg, 0x01, payload_format_indicator, BYTE, BOOL, MESSAGE_PLACES, NOWHERE, NULL, NULL, ANY_SENDER)          \
    X(arg, 0x02, message_expiry_interval, U32, ANY, MESSAGE_PLACES, NOWHERE, NULL, NULL, ANY_SENDER)             \
    X(arg, 0x03, content_type, STRING, ANY, MESSAGE_PLACES, NOWHERE, NULL, "MQTT-3.3.2-19", ANY_SENDER)          \
    X(arg, 0x08, response_topic, STRING, TOPIC_NAME, MESSAGE_PLACES, NOWHERE, NULL, "MQTT-3.3.2-13", ANY_SENDER) \
    X(arg, 0x09, correlation_data, BINARY, ANY, MESSAGE_PLACES, NOWHERE, NULL, NULL, ANY_SENDER)                 \
    X(arg, 0x0B, subscription_identifier, VARINT, NONZERO, IN(PUBLISH) | IN(SUBSCRIBE), IN(PUBLISH), NULL, NULL, \
      (MQTT_PUBLISH, MQTT_DIR_TO_SERVER, MQTT_ERR_SUBSCRIPTION_ID_FROM_CLIENT))                                  \
    X(arg, 0x11, session_expiry_interval, U32, ANY, SESSION_PLACES | IN(DISCONNECT), NOWHERE, NULL, NULL,        \
      (MQTT_DISCONNECT, MQTT_DIR_TO_CLIENT, MQTT_ERR_SESSION_EXPIRY_FROM_SERVER))                                \
    X(arg, 0x12, assigned_client_identifier, STRING, ANY, IN(CONNACK), NOWHERE, NULL, NULL, ANY_SENDER)          \
    X(arg, 0x13, server_keep_alive, U16, ANY, IN(CONNACK), NOWHERE, NULL, NULL, ANY_SENDER)                      \
    X(arg, 0x15, authentication_method, STRING, ANY, AUTH_PLACES, NOWHERE, NULL, NULL, ANY_SENDER)               \
    X(arg, 0x16, authentication_data, BINARY, ANY, AUTH_PLACES, NOWHERE, NULL, NULL, ANY_SENDER)                 \
    X(arg, 0x17, request_problem_information, BYTE, BOOL, IN(CONNECT), NOWHERE, NULL, NULL, ANY_SENDER)          \
    X(arg, 0x18, will_delay_interval, U32, ANY, WILL, NOWHERE, NULL, NULL, ANY_SENDER)                           \
    X(arg, 0x19, request_response_information, BYTE, BOOL, IN(CONNECT), NOWHERE, NULL, NULL, ANY_SENDER)         \
    X(arg, 0x1A, response_information, STRING, ANY, IN(CONNACK), NOWHERE, NULL, NULL, ANY_SENDER)                \
    X(arg, 0x1C, server_reference, STRING, ANY, IN(CONNACK) | IN(DISCONNECT), NOWHERE, NULL, NULL, ANY_SENDER)   \
    X(arg, 0x1F, reason_string, STRING, ANY, REASON_STRING_PLACES, NOWHERE, NULL, NULL, ANY_SENDER)              \
    X(arg, 0x21, receive_maximum, U16, NONZERO, SESSION_PLACES, NOWHERE, NULL, NULL, ANY_SENDER)                 \
    X(arg, 0x22, topic_alias_maximum, U16, ANY, SESSION_PLACES, NOWHERE, NULL, NULL, ANY_SENDER)                 \
    X(arg, 0x23, topic_alias, U16, NONZERO, IN(PUBLISH), NOWHERE, "MQTT-3.3.2-8", NULL, ANY_SENDER)              \
    X(arg, 0x24, maximum_qos, BYTE, BOOL, IN(CONNACK), NOWHERE, NULL, NULL, ANY_SENDER)                          \
    X(arg, 0x25, retain_available, BYTE, BOOL, IN(CONNACK), NOWHERE, NULL, NULL, ANY_SENDER)                     \
    X(arg, 0x26, user_property, STRING_PAIR, ANY, USER_PROPERTY_PLACES, USER_PROPERTY_PLACES, NULL,              \
      "MQTT-1.5.7-1", ANY_SENDER)                                                                                \
    X(arg, 0x27, maximum_packet_size, U32, NONZERO, SESSION_PLACES, NOWHERE, NULL, NULL, ANY_SENDER)             \
    X(arg, 0x28, wildcard_subscription_available, BYTE, BOOL, IN(CONNACK), NOWHERE, NULL, NULL, ANY_SENDER)      \
    X(arg, 0x29, subscription_identifier_available, BYTE, BOOL, IN(CONNACK), NOWHERE, NULL, NULL, ANY_SENDER)    \
    X(arg, 0x2A, shared_subscription_available, BYTE, BOOL, IN(CONNACK), NOWHERE, NULL, NULL, ANY_SENDER)

/* The parts of a one-sided rule: SIDE_PLACE sided_ is the place of (place, dir, err). */
#define SIDE_PLACE(place, dir, err) (place)
#define SIDE_DIR(place, dir, err) (dir)
#define SIDE_ERR(place, dir, err) (err)

#define TABLE_ROW(unused, id_, name_, type_, rule_, places_, repeatable_, rule_statement_, utf8_statement_, sided_) \
    [id_] = {.name = #name_,                                                                                    \
             .type = MQTT_PTYPE_##type_,                                                                        \
             .rule = PROP_RULE_##rule_,                                                                         \
             .places = (places_),                                                                               \
             .repeatable = (repeatable_),                                                                       \
             .rule_statement = rule_statement_,                                                                 \
             .utf8_statement = utf8_statement_,                                                                 \
             .one_sided_place = SIDE_PLACE sided_,                                                              \
             .one_sided_dir = SIDE_DIR sided_,                                                                  \
             .one_sided_err = SIDE_ERR sided_},

const prop_row mqtt_prop_table[MQTT_PROP_ID_MAX + 1] = {PROPERTY_MATRIX(TABLE_ROW, 0)};

#define TYPE_OF(unused, id_, name_, type_, rule_, places_, repeatable_, rule_statement_, utf8_statement_, sided_) \
    [id_] = MQTT_PTYPE_##type_,
const uint8_t mqtt_prop_types[256] = {PROPERTY_MATRIX(TYPE_OF, 0)};

/* What a row gives the per-place tables (see property_table.h). */
#define PLACE_CODE(place, id_, name_, type_, rule_, places_, repeatable_, rule_statement_, utf8_statement_, sided_) \
    [id_] = ((places_) & PROP_PLACE(place)) ? (uint8_t)PROP_CODE(type_, rule_) : 0,
#define REPEATABLE_BIT(place, id_, name_, type_, rule_, places_, repeatable_, rule_statement_, utf8_statement_,     \
                       sided_)                                                                                   \
    | ((repeatable_) & PROP_PLACE(place) ? PROP_SEEN(id_) : 0)
#define ONE_SIDED_BIT(place_dir, id_, name_, type_, rule_, places_, repeatable_, rule_statement_, utf8_statement_,  \
                      sided_)                                                                                    \
    | (SIDE_PLACE sided_ == SIDE_PLACE place_dir && SIDE_DIR sided_ == SIDE_DIR place_dir ? PROP_SEEN(id_) : 0)

#define PLACE_CODES(place) [place] = {PROPERTY_MATRIX(PLACE_CODE, place)}
#define PLACE_REPEATABLE(place) [place] = 0 PROPERTY_MATRIX(REPEATABLE_BIT, place)
#define PLACE_ONE_SIDED(place)                                                                                  \
    [place] = {[MQTT_DIR_TO_SERVER] = 0 PROPERTY_MATRIX(ONE_SIDED_BIT, (place, MQTT_DIR_TO_SERVER, 0)),           \
               [MQTT_DIR_TO_CLIENT] = 0 PROPERTY_MATRIX(ONE_SIDED_BIT, (place, MQTT_DIR_TO_CLIENT, 0))}
#define EVERY_PLACE(F)                                                                                          \
    F(MQTT_CONNECT), F(MQTT_CONNACK), F(MQTT_PUBLISH), F(MQTT_PUBACK), F(MQTT_PUBREC), F(MQTT_PUBREL),          \
        F(MQTT_PUBCOMP), F(MQTT_SUBSCRIBE), F(MQTT_SUBACK), F(MQTT_UNSUBSCRIBE), F(MQTT_UNSUBACK), F(MQTT_PINGREQ), \
        F(MQTT_PINGRESP), F(MQTT_DISCONNECT), F(MQTT_AUTH), F(MQTT_PROPS_IN_WILL)

const uint8_t mqtt_prop_codes[MQTT_PROPS_IN_WILL + 1][PROP_CODE_IDS] = {EVERY_PLACE(PLACE_CODES)};
const uint64_t mqtt_prop_repeatable[MQTT_PROPS_IN_WILL + 1] = {EVERY_PLACE(PLACE_REPEATABLE)};
const uint64_t mqtt_prop_one_sided[MQTT_PROPS_IN_WILL + 1][MQTT_DIR_TO_CLIENT + 1] = {EVERY_PLACE(PLACE_ONE_SIDED)};

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
