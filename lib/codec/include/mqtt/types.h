/* mqtk codec — protocol versions, packet types, zero-copy views and packet structs.
 *
 * Every mqtt_bytes a decoder fills points into the caller's buffer: the buffer must outlive the
 * packet struct. Nothing here owns memory. */
#ifndef MQTT_TYPES_H
#define MQTT_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Protocol versions, valued as the CONNECT "protocol level" byte that announces them. */
typedef enum mqtt_version {
    MQTT_V31 = 3,  /* MQTT 3.1, protocol name "MQIsdp" */
    MQTT_V311 = 4, /* MQTT 3.1.1, protocol name "MQTT" */
    MQTT_V5 = 5    /* MQTT 5.0, protocol name "MQTT" */
} mqtt_version;

/* Control packet types, valued as the high nibble of the fixed header's first byte. */
typedef enum mqtt_packet_type {
    MQTT_CONNECT = 1,
    MQTT_CONNACK = 2,
    MQTT_PUBLISH = 3,
    MQTT_PUBACK = 4,
    MQTT_PUBREC = 5,
    MQTT_PUBREL = 6,
    MQTT_PUBCOMP = 7,
    MQTT_SUBSCRIBE = 8,
    MQTT_SUBACK = 9,
    MQTT_UNSUBSCRIBE = 10,
    MQTT_UNSUBACK = 11,
    MQTT_PINGREQ = 12,
    MQTT_PINGRESP = 13,
    MQTT_DISCONNECT = 14,
    MQTT_AUTH = 15 /* 5.0 only */
} mqtt_packet_type;

/* Who sent the bytes. Rules that bind only one side (e.g. no Subscription Identifier in a PUBLISH
 * a client sends, [MQTT-3.3.4-6]) are checked only when the direction is known. */
typedef enum mqtt_direction {
    MQTT_DIR_UNKNOWN = 0,
    MQTT_DIR_TO_SERVER = 1, /* sent by a client */
    MQTT_DIR_TO_CLIENT = 2  /* sent by a server */
} mqtt_direction;

/* A view of bytes: UTF-8 strings (not NUL-terminated), binary data, payloads. */
typedef struct mqtt_bytes {
    const uint8_t *data;
    uint32_t len;
} mqtt_bytes;

/* The raw bytes of a v5 property list, without its Property Length prefix.
 * Read it with the iterator and accessors in properties.h. Empty (len 0) for 3.1 / 3.1.1. */
typedef struct mqtt_props {
    const uint8_t *data;
    uint32_t len;
} mqtt_props;

typedef struct mqtt_connect {
    mqtt_bytes protocol_name; /* "MQTT" or "MQIsdp"; the encoder fills it from the version when empty */
    uint8_t protocol_level;   /* 3, 4 or 5; the encoder uses the encode version when 0 */
    bool clean_start;         /* "Clean Session" in 3.1 / 3.1.1 */
    bool will;
    uint8_t will_qos;
    bool will_retain;
    bool has_username;
    bool has_password;
    uint16_t keep_alive;
    mqtt_props props;
    mqtt_bytes client_id;
    mqtt_props will_props; /* v5, when will */
    mqtt_bytes will_topic; /* when will */
    mqtt_bytes will_payload;
    mqtt_bytes username; /* when has_username */
    mqtt_bytes password; /* when has_password */
} mqtt_connect;

typedef struct mqtt_connack {
    bool session_present;
    uint8_t reason_code; /* "return code" in 3.1 / 3.1.1 */
    mqtt_props props;
} mqtt_connack;

typedef struct mqtt_publish {
    bool dup;
    uint8_t qos;
    bool retain;
    mqtt_bytes topic;
    uint16_t packet_id; /* present on the wire only when qos > 0 */
    mqtt_props props;
    mqtt_bytes payload;
} mqtt_publish;

/* How much of the optional 5.0 tail of an acknowledgement, DISCONNECT or AUTH is on the wire. The
 * decoder reports what was present; the encoder writes at least that much, and more when the fields
 * need it (a reason other than 0 needs the code, properties need the Property Length). The zero value
 * writes the shortest form the fields allow. AUTH has no form with the code alone, so
 * MQTT_TAIL_REASON writes an AUTH as MQTT_TAIL_PROPERTIES; values above MQTT_TAIL_PROPERTIES read as
 * it. Ignored for 3.1 / 3.1.1. */
typedef enum mqtt_tail {
    MQTT_TAIL_SHORTEST = 0,  /* nothing that the fields do not need */
    MQTT_TAIL_REASON = 1,    /* at least the reason code */
    MQTT_TAIL_PROPERTIES = 2 /* the reason code and the Property Length (even when 0) */
} mqtt_tail;

/* PUBACK, PUBREC, PUBREL, PUBCOMP. In 5.0 a decoded short form (Remaining Length 2 or 3) reads as
 * reason 0x00 / no properties, and tail says which form it was. */
typedef struct mqtt_ack {
    uint16_t packet_id;
    uint8_t reason_code;
    mqtt_props props;
    mqtt_tail tail;
} mqtt_ack;

/* One entry of a SUBSCRIBE payload. In 3.1 / 3.1.1 only filter and qos exist. */
typedef struct mqtt_subscription {
    mqtt_bytes filter;
    uint8_t qos;
    bool no_local;
    bool retain_as_published;
    uint8_t retain_handling;
} mqtt_subscription;

/* SUBSCRIBE and UNSUBSCRIBE carry their payload as raw, validated bytes; walk them with the
 * iterators in packet.h, build them with the payload writers there. */
typedef struct mqtt_subscribe {
    uint16_t packet_id;
    mqtt_props props;
    mqtt_bytes payload; /* filter + options byte, repeated */
    uint32_t count;     /* number of entries (set by the decoder and the payload writer) */
} mqtt_subscribe;

typedef struct mqtt_unsubscribe {
    uint16_t packet_id;
    mqtt_props props;
    mqtt_bytes payload; /* filters, repeated */
    uint32_t count;
} mqtt_unsubscribe;

/* SUBACK and UNSUBACK: one reason code byte per filter (3.1.1 UNSUBACK has none). */
typedef struct mqtt_suback {
    uint16_t packet_id;
    mqtt_props props;
    mqtt_bytes reason_codes;
} mqtt_suback;

/* DISCONNECT (5.0 body; empty in 3.x) and AUTH; tail as for mqtt_ack. */
typedef struct mqtt_reason_packet {
    uint8_t reason_code;
    mqtt_props props;
    mqtt_tail tail;
} mqtt_reason_packet;

typedef struct mqtt_packet {
    mqtt_packet_type type;
    uint8_t flags;             /* decoded: low nibble of byte 0; ignored by the encoder (derived) */
    uint32_t remaining_length; /* decoded: Remaining Length; ignored by the encoder */
    union {
        mqtt_connect connect;
        mqtt_connack connack;
        mqtt_publish publish;
        mqtt_ack ack;                 /* PUBACK, PUBREC, PUBREL, PUBCOMP */
        mqtt_subscribe subscribe;
        mqtt_suback suback;           /* SUBACK, UNSUBACK */
        mqtt_unsubscribe unsubscribe;
        mqtt_reason_packet reason;    /* DISCONNECT, AUTH */
    } u;
} mqtt_packet;

/* Fields several packet types share, read without switching on the type (one table, types.c). */
/* The Packet Identifier: PUBLISH (QoS > 0), the four acks, (UN)SUBSCRIBE, (UN)SUBACK; -1 otherwise. */
int32_t mqtt_packet_id(const mqtt_packet *p);
/* Where the Packet Identifier is kept, or NULL (PUBLISH: also at QoS 0). */
uint16_t *mqtt_packet_id_field(mqtt_packet *p);
/* The property list (v5) of every type that has one; empty for PINGREQ, PINGRESP. */
mqtt_props mqtt_packet_props(const mqtt_packet *p);
/* Where it is kept, or NULL. */
mqtt_props *mqtt_packet_props_field(mqtt_packet *p);
/* The one reason code of CONNACK, the four acks, DISCONNECT and AUTH; -1 for other types
 * ((UN)SUBACK carry a list: u.suback.reason_codes). */
int mqtt_packet_reason(const mqtt_packet *p);
/* Where it is kept, or NULL. */
uint8_t *mqtt_packet_reason_field(mqtt_packet *p);
/* How much of the optional 5.0 tail of the acks, DISCONNECT and AUTH was on the wire
 * (MQTT_TAIL_SHORTEST for other types). */
mqtt_tail mqtt_packet_tail(const mqtt_packet *p);
/* Where it is kept, or NULL. */
mqtt_tail *mqtt_packet_tail_field(mqtt_packet *p);

/* "CONNECT", "PUBLISH", …; NULL for a value outside 1..15. */
const char *mqtt_packet_type_name(unsigned type);

/* The codec's version: mqtk's one version number, CMake's project version ("unknown" when built
 * outside CMake). */
const char *mqtt_codec_version(void);
/* MQTT_V31 / MQTT_V311 / MQTT_V5 for a protocol level byte; 0 when unknown. */
mqtt_version mqtt_version_from_level(unsigned level);
/* "3.1", "3.1.1", "5.0". */
const char *mqtt_version_name(mqtt_version v);

/* View of a NUL-terminated C string (for tests and tools). */
mqtt_bytes mqtt_cstr(const char *s);

#ifdef __cplusplus
}
#endif
#endif
