/* Packets by fields: the names scripts use for packet types and their fields, building a packet
 * from "key=value" tokens with the codec, and matching a decoded packet against expectations.
 * One table of fields drives all three. */
#ifndef CF_FIELDS_H
#define CF_FIELDS_H

#include <stdbool.h>
#include <stdint.h>

#include "lexer.h"
#include "mqtt/codec.h"
#include "base/strbuf.h"
#include "vars.h"

/* MQTT packet type for "PUBLISH" etc.; 0 when unknown. */
mqtt_packet_type cf_packet_type_by_name(const char *name);
/* Whether a script may set key when sending type / check it when expecting type. */
bool cf_field_sendable(mqtt_packet_type type, const char *key);
bool cf_field_matchable(mqtt_packet_type type, const char *key);
/* Whether the field holds a number (no ^= on numbers). */
bool cf_field_numeric(const char *key);
/* Space-separated list of the keys, for error messages. */
void cf_field_list(mqtt_packet_type type, bool send, mqtt_version version, cf_strbuf *out);

typedef struct cf_build_ctx {
    mqtt_version version;
    const cf_vars *vars;
    const char *client_id; /* CONNECT's default id */
    const char *username;  /* the run's credentials, used unless the script sets its own */
    const char *password;
    uint16_t *next_pid;    /* packet ids for packets that need one and do not set pid= */
    bool unchecked;
} cf_build_ctx;

/* What a sent packet leaves behind on the broker, for cleanup after the test. */
typedef struct cf_build_info {
    cf_strbuf retained_topic;   /* PUBLISH retain=1, or CONNECT with a retained will */
    cf_strbuf session_client_id; /* CONNECT clean=0 (or a 5.0 Session Expiry Interval) */
    cf_strbuf client_id;        /* CONNECT */
    uint32_t max_packet_size;   /* CONNECT: the Maximum Packet Size it announces (0: none) */
    uint16_t topic_alias_max;   /* CONNECT: its Topic Alias Maximum */
    uint16_t receive_max;       /* CONNECT: its Receive Maximum (0: none) */
} cf_build_info;

void cf_build_info_free(cf_build_info *info);

/* Encode a packet of type from args into bytes. -1 with a message in err when a value is bad or
 * the codec refuses the packet (name the rule). */
int cf_build(const cf_build_ctx *ctx, mqtt_packet_type type, const cf_token *args, size_t nargs, cf_strbuf *bytes,
             cf_build_info *info, cf_strbuf *err);

typedef enum cf_match_result { CF_MATCHED = 0, CF_MISMATCH = 1, CF_MATCH_ERROR = 2 } cf_match_result;

/* Compare pkt with the expectations in args (unknown fields of pkt are ignored). On CF_MATCHED and
 * capture, store the captures (key->name) in vars. why gets "field: expected X, got Y" on a mismatch,
 * or the error (an undefined variable, a bad number). */
cf_match_result cf_match(const mqtt_packet *pkt, const cf_token *args, size_t nargs, cf_vars *vars, bool capture,
                         cf_strbuf *why);

/* Bytes as a quoted, escaped string (at most 80 shown). */
void cf_describe_bytes(cf_strbuf *out, mqtt_bytes v);

/* One-line summary of a decoded packet: "PUBLISH qos=1 pid=3 retain=0 topic=\"a/b\" payload=\"x\"". */
void cf_packet_describe(const mqtt_packet *pkt, cf_strbuf *out);

/* Parse a number written as decimal or 0x-hex; false when it is not one or exceeds max. */
bool cf_parse_uint(const char *s, size_t len, uint32_t max, uint32_t *out);

#endif
