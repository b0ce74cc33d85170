/* Matching a decoded packet against a script's expectations, and describing packets in script terms. */
#ifndef CS_MATCH_H
#define CS_MATCH_H

#include <stdbool.h>

#include "base/strbuf.h"
#include "lexer.h"
#include "mqtt/codec.h"
#include "vars.h"

typedef enum cs_match_result { CS_MATCHED = 0, CS_MISMATCH = 1, CS_MATCH_ERROR = 2 } cs_match_result;

/* Compare pkt with the expectations in args (unknown fields of pkt are ignored). On CS_MATCHED and
 * capture, store the captures (key->name) in vars. why gets "field: expected X, got Y" on a mismatch,
 * or the error (an undefined variable, a bad number). */
cs_match_result cs_match(const mqtt_packet *pkt, const cs_token *args, size_t nargs, cs_vars *vars, bool capture,
                         base_strbuf *why);

/* Bytes as a quoted, escaped string (at most 80 shown). */
void cs_describe_bytes(base_strbuf *out, mqtt_bytes v);

/* A decoded packet on one line in script terms (lib/format's fmt_packet_line, FMT_LINE_SCRIPT),
 * then its properties: "PUBLISH qos=1 pid=3 dup=0 retain=0 topic=\"a/b\" payload=\"x\" prop.NAME=…". */
void cs_packet_describe(const mqtt_packet *pkt, mqtt_version v, base_strbuf *out);

#endif
