/* Matching a decoded packet against a script's expectations, and describing packets in script terms. */
#ifndef CF_MATCH_H
#define CF_MATCH_H

#include <stdbool.h>

#include "base/strbuf.h"
#include "lexer.h"
#include "mqtt/codec.h"
#include "vars.h"

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

#endif
