/* Building a packet from a script's "key=value" tokens, with the codec's checked (or unchecked) encoder. */
#ifndef CS_BUILD_H
#define CS_BUILD_H

#include <stdbool.h>
#include <stdint.h>

#include "base/strbuf.h"
#include "lexer.h"
#include "mqtt/codec.h"
#include "vars.h"

typedef struct cs_build_ctx {
    mqtt_version version;
    const cs_vars *vars;
    const char *client_id; /* CONNECT's default id */
    const char *username;  /* the run's credentials, used unless the script sets its own */
    const char *password;
    uint16_t *next_pid;    /* packet ids for packets that need one and do not set pid= */
    bool unchecked;
} cs_build_ctx;

/* What a sent packet leaves behind on the broker, for cleanup after the test. */
typedef struct cs_build_info {
    base_strbuf retained_topic;    /* PUBLISH retain=1, or CONNECT with a retained will */
    base_strbuf session_client_id; /* CONNECT clean=0 (or a 5.0 Session Expiry Interval) */
    base_strbuf client_id;         /* CONNECT */
    uint32_t max_packet_size;   /* CONNECT: the Maximum Packet Size it announces (0: none) */
    uint16_t topic_alias_max;   /* CONNECT: its Topic Alias Maximum */
    uint16_t receive_max;       /* CONNECT: its Receive Maximum (0: none) */
    uint32_t session_expiry;    /* CONNECT: its Session Expiry Interval (0: none) */
} cs_build_info;

void cs_build_info_free(cs_build_info *info);

/* Encode a packet of type from args into bytes. -1 with a message in err when a value is bad or
 * the codec refuses the packet (name the rule). */
int cs_build(const cs_build_ctx *ctx, mqtt_packet_type type, const cs_token *args, size_t nargs, base_strbuf *bytes,
             cs_build_info *info, base_strbuf *err);

#endif
