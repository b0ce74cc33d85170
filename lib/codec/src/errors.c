/* The error catalogue: one row per mqtt_err, with the statement ID each version gives the rule.
 * A NULL ID means the standard states the rule (in a table or in prose) without numbering it. */
#include <stdio.h>

#include "mqtt/errors.h"

typedef struct error_row {
    const char *name;
    const char *description;
    const char *statement_v311; /* also used for 3.1, which has no numbered statements */
    const char *statement_v5;
} error_row;

static const error_row error_table[MQTT_ERR_COUNT] = {
    [MQTT_OK] = {"ok", "no error", NULL, NULL},
    [MQTT_ERR_TRUNCATED] = {"truncated", "input ends inside a packet", NULL, NULL},
    [MQTT_ERR_BAD_PACKET_TYPE] = {"bad_packet_type", "packet type is reserved in this protocol version", NULL, NULL},
    [MQTT_ERR_BAD_FIXED_HEADER_FLAGS] = {"bad_fixed_header_flags",
                                         "reserved flag bits of the fixed header differ from the required value",
                                         "MQTT-2.2.2-1", "MQTT-2.1.3-1"},
    [MQTT_ERR_VARINT_TOO_LONG] = {"varint_too_long", "variable byte integer is longer than 4 bytes", NULL, NULL},
    [MQTT_ERR_VARINT_NOT_MINIMAL] = {"varint_not_minimal",
                                     "variable byte integer uses more bytes than its value needs", NULL,
                                     "MQTT-1.5.5-1"},
    [MQTT_ERR_PACKET_TOO_LARGE] = {"packet_too_large", "packet is larger than the maximum packet size", NULL, NULL},
    [MQTT_ERR_WRONG_REMAINING_LENGTH] = {"wrong_remaining_length",
                                         "remaining length is not one this packet type allows", NULL, NULL},
    [MQTT_ERR_FIELD_OVERRUNS_PACKET] = {"field_overruns_packet", "a field runs past the end of the packet", NULL,
                                        NULL},
    [MQTT_ERR_TRAILING_BYTES] = {"trailing_bytes", "bytes are left over after the last field of the packet", NULL,
                                 NULL},
    [MQTT_ERR_UTF8_INVALID] = {"utf8_invalid",
                               "string is not well-formed UTF-8 (bad sequence, overlong form, surrogate or above "
                               "U+10FFFF)",
                               "MQTT-1.5.3-1", "MQTT-1.5.4-1"},
    [MQTT_ERR_UTF8_NULL] = {"utf8_null", "string contains the null character U+0000", "MQTT-1.5.3-2",
                            "MQTT-1.5.4-2"},
    [MQTT_ERR_PACKET_ID_ZERO] = {"packet_id_zero", "packet identifier is 0 where a non-zero one is required",
                                 "MQTT-2.3.1-1", "MQTT-2.2.1-3"},
    [MQTT_ERR_PROTOCOL_NAME] = {"protocol_name", "protocol name does not match the protocol level",
                                "MQTT-3.1.2-1", "MQTT-3.1.2-1"},
    [MQTT_ERR_PROTOCOL_LEVEL] = {"protocol_level", "protocol level is not 3, 4 or 5", "MQTT-3.1.2-2",
                                 "MQTT-3.1.2-2"},
    [MQTT_ERR_CONNECT_RESERVED_FLAG] = {"connect_reserved_flag", "reserved bit 0 of the connect flags is set",
                                        "MQTT-3.1.2-3", "MQTT-3.1.2-3"},
    [MQTT_ERR_WILL_QOS_WITHOUT_WILL] = {"will_qos_without_will", "Will QoS is not 0 while the Will Flag is 0",
                                        "MQTT-3.1.2-13", "MQTT-3.1.2-11"},
    [MQTT_ERR_WILL_RETAIN_WITHOUT_WILL] = {"will_retain_without_will", "Will Retain is set while the Will Flag is 0",
                                           "MQTT-3.1.2-15", "MQTT-3.1.2-13"},
    [MQTT_ERR_WILL_QOS_3] = {"will_qos_3", "Will QoS is 3", "MQTT-3.1.2-14", "MQTT-3.1.2-12"},
    [MQTT_ERR_PASSWORD_WITHOUT_USERNAME] = {"password_without_username",
                                            "Password Flag is set while the User Name Flag is 0", "MQTT-3.1.2-22",
                                            NULL},
    [MQTT_ERR_EMPTY_CLIENT_ID_NEEDS_CLEAN] = {"empty_client_id_needs_clean_session",
                                              "zero-length client identifier with CleanSession 0", "MQTT-3.1.3-7",
                                              NULL},
    [MQTT_ERR_CONNACK_RESERVED_FLAGS] = {"connack_reserved_flags", "reserved bits 7-1 of the CONNACK flags are set",
                                         NULL, "MQTT-3.2.2-1"},
    [MQTT_ERR_SESSION_PRESENT_ON_ERROR] = {"session_present_on_error",
                                           "Session Present is 1 in a CONNACK that refuses the connection",
                                           "MQTT-3.2.2-4", "MQTT-3.2.2-6"},
    [MQTT_ERR_PUBLISH_QOS_3] = {"publish_qos_3", "PUBLISH has both QoS bits set", "MQTT-3.3.1-4", "MQTT-3.3.1-4"},
    [MQTT_ERR_PUBLISH_DUP_QOS_0] = {"publish_dup_qos_0", "PUBLISH has DUP set with QoS 0", "MQTT-3.3.1-2",
                                    "MQTT-3.3.1-2"},
    [MQTT_ERR_TOPIC_EMPTY] = {"topic_empty", "topic name is empty", "MQTT-4.7.3-1", "MQTT-4.7.3-1"},
    [MQTT_ERR_TOPIC_WILDCARD] = {"topic_wildcard", "topic name contains a wildcard character ('+' or '#')",
                                 "MQTT-3.3.2-2", "MQTT-3.3.2-2"},
    [MQTT_ERR_NO_TOPIC_FILTERS] = {"no_topic_filters", "SUBSCRIBE or UNSUBSCRIBE carries no topic filter",
                                   "MQTT-3.8.3-3", "MQTT-3.8.3-2"},
    [MQTT_ERR_FILTER_EMPTY] = {"filter_empty", "topic filter is empty", "MQTT-4.7.3-1", "MQTT-4.7.3-1"},
    [MQTT_ERR_FILTER_MULTI_WILDCARD] = {"filter_multi_wildcard",
                                        "'#' is not alone in the last level of the topic filter", "MQTT-4.7.1-2",
                                        "MQTT-4.7.1-1"},
    [MQTT_ERR_FILTER_SINGLE_WILDCARD] = {"filter_single_wildcard", "'+' does not occupy a whole topic filter level",
                                         "MQTT-4.7.1-3", "MQTT-4.7.1-2"},
    [MQTT_ERR_SUBSCRIBE_RESERVED_BITS] = {"subscribe_reserved_bits",
                                          "reserved bits of a subscription options byte are set", "MQTT-3.8.3-4",
                                          "MQTT-3.8.3-5"},
    [MQTT_ERR_SUBSCRIBE_QOS_3] = {"subscribe_qos_3", "requested QoS is 3", "MQTT-3.8.3-4", NULL},
    [MQTT_ERR_RETAIN_HANDLING_3] = {"retain_handling_3", "Retain Handling is 3", NULL, NULL},
    [MQTT_ERR_SHARE_NAME_INVALID] = {"share_name_invalid",
                                     "shared subscription needs a non-empty share name without '/', '+' or '#', "
                                     "then '/' and a topic filter",
                                     NULL, "MQTT-4.8.2-2"},
    [MQTT_ERR_SHARED_NO_LOCAL] = {"shared_no_local", "No Local is set on a shared subscription", NULL,
                                  "MQTT-3.8.3-4"},
    [MQTT_ERR_NO_REASON_CODES] = {"no_reason_codes", "SUBACK or UNSUBACK carries no reason code", "MQTT-3.8.4-5",
                                  "MQTT-3.8.4-6"},
    [MQTT_ERR_REASON_CODE_NOT_ALLOWED] = {"reason_code_not_allowed",
                                          "reason or return code is not one this packet type may carry", NULL, NULL},
    [MQTT_ERR_PROPERTY_UNKNOWN] = {"property_unknown", "property identifier is not defined", NULL, NULL},
    [MQTT_ERR_PROPERTY_NOT_ALLOWED] = {"property_not_allowed", "property is not allowed in this packet", NULL, NULL},
    [MQTT_ERR_PROPERTY_DUPLICATE] = {"property_duplicate", "property appears more than once", NULL, NULL},
    [MQTT_ERR_PROPERTY_BAD_VALUE] = {"property_bad_value", "property value is outside its allowed set", NULL, NULL},
    [MQTT_ERR_PROPERTY_ZERO] = {"property_zero", "property value is 0 where 0 is not allowed", NULL, NULL},
    [MQTT_ERR_RESPONSE_TOPIC_WILDCARD] = {"response_topic_wildcard", "Response Topic contains a wildcard character",
                                          NULL, "MQTT-3.3.2-14"},
    [MQTT_ERR_AUTH_DATA_WITHOUT_METHOD] = {"auth_data_without_method",
                                           "Authentication Data is present without an Authentication Method", NULL,
                                           NULL},
    [MQTT_ERR_SUBSCRIPTION_ID_FROM_CLIENT] = {"subscription_id_from_client",
                                              "PUBLISH sent by a client carries a Subscription Identifier", NULL,
                                              "MQTT-3.3.4-6"},
    [MQTT_ERR_SESSION_EXPIRY_FROM_SERVER] = {"session_expiry_from_server",
                                             "DISCONNECT sent by a server carries a Session Expiry Interval", NULL,
                                             "MQTT-3.14.2-2"},
    [MQTT_ERR_BUFFER_TOO_SMALL] = {"buffer_too_small", "output buffer is too small for the packet", NULL, NULL},
    [MQTT_ERR_VALUE_OUT_OF_RANGE] = {"value_out_of_range", "a field's value cannot be encoded", NULL, NULL},
    [MQTT_ERR_AUTH_METHOD_MISSING] = {"auth_method_missing",
                                      "AUTH packet with a reason code carries no Authentication Method", NULL,
                                      "MQTT-4.12.0-5"},
};

static const error_row *row_of(mqtt_err e)
{
    return (unsigned)e < MQTT_ERR_COUNT ? &error_table[e] : NULL;
}

const char *mqtt_err_name(mqtt_err e)
{
    const error_row *row = row_of(e);
    return row ? row->name : "unknown_error";
}

const char *mqtt_err_description(mqtt_err e)
{
    const error_row *row = row_of(e);
    return row ? row->description : "unknown error";
}

const char *mqtt_err_statement(mqtt_err e, mqtt_version v)
{
    const error_row *row = row_of(e);
    if (!row)
        return NULL;
    return v == MQTT_V5 ? row->statement_v5 : row->statement_v311;
}

int mqtt_error_format(const mqtt_error *err, char *buf, size_t cap)
{
    return mqtt_error_format_at(err, 0, buf, cap);
}

int mqtt_error_format_at(const mqtt_error *err, uint64_t base, char *buf, size_t cap)
{
    unsigned long long at = (unsigned long long)(base + err->offset);
    if (err->statement)
        return snprintf(buf, cap, "%s: %s [%s] at byte %llu", mqtt_err_name(err->code),
                        mqtt_err_description(err->code), err->statement, at);
    return snprintf(buf, cap, "%s: %s at byte %llu", mqtt_err_name(err->code), mqtt_err_description(err->code), at);
}
