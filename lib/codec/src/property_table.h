/* The MQTT 5.0 property matrix (section 2.2.2.2, Table 2-4), shared by the validator and iterator. */
#ifndef MQTT_PROPERTY_TABLE_H
#define MQTT_PROPERTY_TABLE_H

#include "mqtt/properties.h"

/* The value rule a property must also satisfy. */
typedef enum prop_rule {
    PROP_RULE_ANY = 0,
    PROP_RULE_BOOL,       /* 0 or 1 */
    PROP_RULE_NONZERO,    /* 0 is a protocol error */
    PROP_RULE_TOPIC_NAME, /* a topic name: non-empty, no wildcards */
} prop_rule;

#define PROP_PLACE(p) (1u << (p))

typedef struct prop_row {
    const char *name;
    uint8_t type;        /* mqtt_prop_type; MQTT_PTYPE_NONE for an unassigned id */
    uint8_t rule;        /* prop_rule */
    uint32_t places;     /* PROP_PLACE(packet type) and PROP_PLACE(MQTT_PROPS_IN_WILL) */
    uint32_t repeatable; /* places where it may appear more than once */
    const char *rule_statement; /* cited when the value rule fails */
    const char *utf8_statement; /* cited for ill-formed UTF-8; NULL: the generic statement */
    /* A rule binding one sender: in place one_sided_place, a packet from sender one_sided_dir must
     * not carry it (0: no such rule). */
    uint8_t one_sided_place;
    uint8_t one_sided_dir;
    uint8_t one_sided_err; /* mqtt_err */
} prop_row;

extern const prop_row mqtt_prop_table[MQTT_PROP_ID_MAX + 1];

#define PROP_IN(t) PROP_PLACE(MQTT_##t)
#define PROP_WILL PROP_PLACE(MQTT_PROPS_IN_WILL)
#define PROP_MESSAGE_PLACES (PROP_IN(PUBLISH) | PROP_WILL)
#define PROP_SESSION_PLACES (PROP_IN(CONNECT) | PROP_IN(CONNACK))
#define PROP_AUTH_PLACES (PROP_IN(CONNECT) | PROP_IN(CONNACK) | PROP_IN(AUTH))
#define PROP_REASON_STRING_PLACES                                                                                    \
    (PROP_IN(CONNACK) | PROP_IN(PUBACK) | PROP_IN(PUBREC) | PROP_IN(PUBREL) | PROP_IN(PUBCOMP) | PROP_IN(SUBACK) | PROP_IN(UNSUBACK) |             \
     PROP_IN(DISCONNECT) | PROP_IN(AUTH))
#define PROP_USER_PROPERTY_PLACES (PROP_REASON_STRING_PLACES | PROP_IN(CONNECT) | PROP_IN(PUBLISH) | PROP_IN(SUBSCRIBE) | PROP_IN(UNSUBSCRIBE) | PROP_WILL)

/* THE matrix, one row per property:
 *   id, name, type, value rule, where it may stand, where it may repeat, the statement cited when
 *   the value rule fails and for ill-formed UTF-8 (NULL: the generic one), and a rule binding one
 *   sender: (place, sender that must not send it there, error), PROP_ANY_SENDER when there is none.
 * Expanded into mqtt_prop_table and the per-place tables (property_table.c), and into the cases of
 * the quick walk (props_quick.h). */
#define PROP_ANY_SENDER (0, MQTT_DIR_UNKNOWN, MQTT_OK)
#define PROP_NOWHERE 0u
#define PROPERTY_MATRIX(X, arg)                                                                                  \
    X(arg, 0x01, payload_format_indicator, BYTE, BOOL, PROP_MESSAGE_PLACES, PROP_NOWHERE, NULL, NULL, PROP_ANY_SENDER)          \
    X(arg, 0x02, message_expiry_interval, U32, ANY, PROP_MESSAGE_PLACES, PROP_NOWHERE, NULL, NULL, PROP_ANY_SENDER)             \
    X(arg, 0x03, content_type, STRING, ANY, PROP_MESSAGE_PLACES, PROP_NOWHERE, NULL, "MQTT-3.3.2-19", PROP_ANY_SENDER)          \
    X(arg, 0x08, response_topic, STRING, TOPIC_NAME, PROP_MESSAGE_PLACES, PROP_NOWHERE, NULL, "MQTT-3.3.2-13", PROP_ANY_SENDER) \
    X(arg, 0x09, correlation_data, BINARY, ANY, PROP_MESSAGE_PLACES, PROP_NOWHERE, NULL, NULL, PROP_ANY_SENDER)                 \
    X(arg, 0x0B, subscription_identifier, VARINT, NONZERO, PROP_IN(PUBLISH) | PROP_IN(SUBSCRIBE), PROP_IN(PUBLISH), NULL, NULL, \
      (MQTT_PUBLISH, MQTT_DIR_TO_SERVER, MQTT_ERR_SUBSCRIPTION_ID_FROM_CLIENT))                                  \
    X(arg, 0x11, session_expiry_interval, U32, ANY, PROP_SESSION_PLACES | PROP_IN(DISCONNECT), PROP_NOWHERE, NULL, NULL,        \
      (MQTT_DISCONNECT, MQTT_DIR_TO_CLIENT, MQTT_ERR_SESSION_EXPIRY_FROM_SERVER))                                \
    X(arg, 0x12, assigned_client_identifier, STRING, ANY, PROP_IN(CONNACK), PROP_NOWHERE, NULL, NULL, PROP_ANY_SENDER)          \
    X(arg, 0x13, server_keep_alive, U16, ANY, PROP_IN(CONNACK), PROP_NOWHERE, NULL, NULL, PROP_ANY_SENDER)                      \
    X(arg, 0x15, authentication_method, STRING, ANY, PROP_AUTH_PLACES, PROP_NOWHERE, NULL, NULL, PROP_ANY_SENDER)               \
    X(arg, 0x16, authentication_data, BINARY, ANY, PROP_AUTH_PLACES, PROP_NOWHERE, NULL, NULL, PROP_ANY_SENDER)                 \
    X(arg, 0x17, request_problem_information, BYTE, BOOL, PROP_IN(CONNECT), PROP_NOWHERE, NULL, NULL, PROP_ANY_SENDER)          \
    X(arg, 0x18, will_delay_interval, U32, ANY, PROP_WILL, PROP_NOWHERE, NULL, NULL, PROP_ANY_SENDER)                           \
    X(arg, 0x19, request_response_information, BYTE, BOOL, PROP_IN(CONNECT), PROP_NOWHERE, NULL, NULL, PROP_ANY_SENDER)         \
    X(arg, 0x1A, response_information, STRING, ANY, PROP_IN(CONNACK), PROP_NOWHERE, NULL, NULL, PROP_ANY_SENDER)                \
    X(arg, 0x1C, server_reference, STRING, ANY, PROP_IN(CONNACK) | PROP_IN(DISCONNECT), PROP_NOWHERE, NULL, NULL, PROP_ANY_SENDER)   \
    X(arg, 0x1F, reason_string, STRING, ANY, PROP_REASON_STRING_PLACES, PROP_NOWHERE, NULL, NULL, PROP_ANY_SENDER)              \
    X(arg, 0x21, receive_maximum, U16, NONZERO, PROP_SESSION_PLACES, PROP_NOWHERE, NULL, NULL, PROP_ANY_SENDER)                 \
    X(arg, 0x22, topic_alias_maximum, U16, ANY, PROP_SESSION_PLACES, PROP_NOWHERE, NULL, NULL, PROP_ANY_SENDER)                 \
    X(arg, 0x23, topic_alias, U16, NONZERO, PROP_IN(PUBLISH), PROP_NOWHERE, "MQTT-3.3.2-8", NULL, PROP_ANY_SENDER)              \
    X(arg, 0x24, maximum_qos, BYTE, BOOL, PROP_IN(CONNACK), PROP_NOWHERE, NULL, NULL, PROP_ANY_SENDER)                          \
    X(arg, 0x25, retain_available, BYTE, BOOL, PROP_IN(CONNACK), PROP_NOWHERE, NULL, NULL, PROP_ANY_SENDER)                     \
    X(arg, 0x26, user_property, STRING_PAIR, ANY, PROP_USER_PROPERTY_PLACES, PROP_USER_PROPERTY_PLACES, NULL,              \
      "MQTT-1.5.7-1", PROP_ANY_SENDER)                                                                                \
    X(arg, 0x27, maximum_packet_size, U32, NONZERO, PROP_SESSION_PLACES, PROP_NOWHERE, NULL, NULL, PROP_ANY_SENDER)             \
    X(arg, 0x28, wildcard_subscription_available, BYTE, BOOL, PROP_IN(CONNACK), PROP_NOWHERE, NULL, NULL, PROP_ANY_SENDER)      \
    X(arg, 0x29, subscription_identifier_available, BYTE, BOOL, PROP_IN(CONNACK), PROP_NOWHERE, NULL, NULL, PROP_ANY_SENDER)    \
    X(arg, 0x2A, shared_subscription_available, BYTE, BOOL, PROP_IN(CONNACK), PROP_NOWHERE, NULL, NULL, PROP_ANY_SENDER)

static inline const prop_row *prop_row_of(unsigned id)
{
    return id <= MQTT_PROP_ID_MAX && mqtt_prop_table[id].type != MQTT_PTYPE_NONE ? &mqtt_prop_table[id] : NULL;
}

/* The matrix as one place sees it, derived from the same rows as mqtt_prop_table at compile time
 * (property_table.c):
 * - mqtt_prop_repeatable: the ids (as PROP_SEEN bits) that may appear more than once there;
 * - mqtt_prop_one_sided: per sender, the ids that sender must not put there. */
extern const uint64_t mqtt_prop_repeatable[MQTT_PROPS_IN_WILL + 1];
extern const uint64_t mqtt_prop_one_sided[MQTT_PROPS_IN_WILL + 1][MQTT_DIR_TO_CLIENT + 1];

/* Validate a list for place in one pass (properties.c). *seen gets a bit per id present, so a
 * decoder can ask about presence (Topic Alias, Authentication Method) without a second walk. */
mqtt_err props_check(const uint8_t *data, uint32_t len, unsigned place, mqtt_direction direction,
                     uint32_t base_offset, mqtt_error *err, uint64_t *seen);

/* The exact walk alone, for a caller whose quick walk already said no: every rule in the order the
 * list meets them, so the first one broken is named. */
mqtt_err props_check_exact(const uint8_t *data, uint32_t len, unsigned place, mqtt_direction direction,
                           uint32_t base_offset, mqtt_error *err, uint64_t *seen);

#define PROP_SEEN(id) (1ull << (id))

#endif
