/* mqtk codec — errors. Each value has a stable name, a one-line description and, where the
 * standard states the rule as a normative statement, that statement's ID for each version.
 * The catalogue lives in one table (codec/src/errors.c). */
#ifndef MQTT_ERRORS_H
#define MQTT_ERRORS_H

#include "mqtt/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mqtt_err {
    MQTT_OK = 0,
    /* framing and sizes */
    MQTT_ERR_TRUNCATED,              /* for tools: the input ended inside a packet (decode says NEED_MORE) */
    MQTT_ERR_BAD_PACKET_TYPE,        /* type 0, or 15 before 5.0 */
    MQTT_ERR_BAD_FIXED_HEADER_FLAGS, /* reserved flag bits of byte 0 differ from the table */
    MQTT_ERR_VARINT_TOO_LONG,        /* a Variable Byte Integer / Remaining Length over 4 bytes */
    MQTT_ERR_VARINT_NOT_MINIMAL,     /* encoded with more bytes than its value needs */
    MQTT_ERR_PACKET_TOO_LARGE,       /* over the caller's maximum packet size */
    MQTT_ERR_WRONG_REMAINING_LENGTH, /* a fixed-size packet with another Remaining Length */
    MQTT_ERR_FIELD_OVERRUNS_PACKET,  /* a field or length prefix runs past the packet's end */
    MQTT_ERR_TRAILING_BYTES,         /* bytes left after the last field */
    /* strings */
    MQTT_ERR_UTF8_INVALID,           /* ill-formed UTF-8: bad sequence, overlong, surrogate, > U+10FFFF */
    MQTT_ERR_UTF8_NULL,              /* U+0000 in a string */
    /* packet identifiers */
    MQTT_ERR_PACKET_ID_ZERO,
    /* CONNECT */
    MQTT_ERR_PROTOCOL_NAME,          /* not "MQTT" (or "MQIsdp" with level 3) */
    MQTT_ERR_PROTOCOL_LEVEL,         /* a level this codec does not know */
    MQTT_ERR_CONNECT_RESERVED_FLAG,
    MQTT_ERR_WILL_QOS_WITHOUT_WILL,
    MQTT_ERR_WILL_RETAIN_WITHOUT_WILL,
    MQTT_ERR_WILL_QOS_3,
    MQTT_ERR_PASSWORD_WITHOUT_USERNAME,
    MQTT_ERR_EMPTY_CLIENT_ID_NEEDS_CLEAN, /* 3.1.1: zero-length ClientId with CleanSession 0 */
    /* CONNACK */
    MQTT_ERR_CONNACK_RESERVED_FLAGS,
    MQTT_ERR_SESSION_PRESENT_ON_ERROR,
    /* PUBLISH */
    MQTT_ERR_PUBLISH_QOS_3,
    MQTT_ERR_PUBLISH_DUP_QOS_0,
    MQTT_ERR_TOPIC_EMPTY,
    MQTT_ERR_TOPIC_WILDCARD,
    /* SUBSCRIBE / UNSUBSCRIBE */
    MQTT_ERR_NO_TOPIC_FILTERS,
    MQTT_ERR_FILTER_EMPTY,
    MQTT_ERR_FILTER_MULTI_WILDCARD,  /* '#' not alone in the last level */
    MQTT_ERR_FILTER_SINGLE_WILDCARD, /* '+' not alone in its level */
    MQTT_ERR_SUBSCRIBE_RESERVED_BITS,
    MQTT_ERR_SUBSCRIBE_QOS_3,
    MQTT_ERR_RETAIN_HANDLING_3,
    MQTT_ERR_SHARE_NAME_INVALID,     /* $share/{name}/{filter}: name empty, wildcard, or no filter */
    MQTT_ERR_SHARED_NO_LOCAL,
    /* SUBACK / UNSUBACK */
    MQTT_ERR_NO_REASON_CODES,
    /* reason codes */
    MQTT_ERR_REASON_CODE_NOT_ALLOWED, /* not a code of this packet type (or of this sender) */
    /* v5 properties */
    MQTT_ERR_PROPERTY_UNKNOWN,
    MQTT_ERR_PROPERTY_NOT_ALLOWED,   /* known, but not in this packet / in Will Properties */
    MQTT_ERR_PROPERTY_DUPLICATE,
    MQTT_ERR_PROPERTY_BAD_VALUE,     /* a byte property other than 0/1, Maximum QoS over 1 */
    MQTT_ERR_PROPERTY_ZERO,          /* Receive Maximum, Maximum Packet Size, Topic Alias, Subscription Identifier of 0 */
    MQTT_ERR_RESPONSE_TOPIC_WILDCARD,
    MQTT_ERR_AUTH_DATA_WITHOUT_METHOD,
    MQTT_ERR_SUBSCRIPTION_ID_FROM_CLIENT,
    MQTT_ERR_SESSION_EXPIRY_FROM_SERVER,
    /* encoder */
    MQTT_ERR_BUFFER_TOO_SMALL,       /* the caller's output buffer cannot hold the packet */
    MQTT_ERR_VALUE_OUT_OF_RANGE,     /* a field the encoder cannot represent (length > 65535, …) */
    MQTT_ERR_AUTH_METHOD_MISSING,    /* v5 AUTH with properties but no Authentication Method */
    MQTT_ERR_COUNT
} mqtt_err;

/* An error and where it is. offset counts from the first byte of the packet (for framing, of the
 * buffer given): 32 bits hold it, a packet being at most 268,435,460 bytes. A position in a longer
 * stream is the packet's own 64-bit offset plus this one (mqtt_error_format_at). statement is the normative statement ID for the version and context the rule was
 * found in ("MQTT-3.1.2-22"), or NULL when the standard states the rule without an ID. */
typedef struct mqtt_error {
    mqtt_err code;
    uint32_t offset;
    const char *statement;
} mqtt_error;

/* Stable snake_case name, e.g. "password_without_username"; "unknown_error" out of range. */
const char *mqtt_err_name(mqtt_err e);
/* One-line description in plain words. */
const char *mqtt_err_description(mqtt_err e);
/* The statement ID this rule has in version v when no context gives a more precise one; may be NULL. */
const char *mqtt_err_statement(mqtt_err e, mqtt_version v);
/* "name: description [MQTT-x.y.z-n] at byte N" into buf (always NUL-terminated when cap > 0).
 * Returns the length it would have written, like snprintf. */
int mqtt_error_format(const mqtt_error *err, char *buf, size_t cap);
/* The same, with "at byte base + offset": the error's position in a stream where the packet starts
 * at byte base (64 bits: a capture's or a file's stream can pass 4 GiB). */
int mqtt_error_format_at(const mqtt_error *err, uint64_t base, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
