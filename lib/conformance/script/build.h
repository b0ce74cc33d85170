/* Building a packet from a script's "key=value" tokens, with the codec's checked (or unchecked) encoder. */
#ifndef CF_BUILD_H
#define CF_BUILD_H

#include <stdbool.h>
#include <stdint.h>

#include "base/strbuf.h"
#include "lexer.h"
#include "mqtt/codec.h"
#include "vars.h"

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

#endif
