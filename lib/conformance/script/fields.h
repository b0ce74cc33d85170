/* The names scripts use for packet types and their fields (lib/format's packet-field table by
 * alias, and the keys a sent packet may set). Building is build.h, matching match.h. */
#ifndef CS_FIELDS_H
#define CS_FIELDS_H

#include <stdbool.h>
#include <stdint.h>

#include "lexer.h"
#include "mqtt/codec.h"
#include "base/strbuf.h"
#include "vars.h"

/* MQTT packet type for "PUBLISH" etc.; 0 when unknown. */
mqtt_packet_type cs_packet_type_by_name(const char *name);
/* Whether a script may set key when sending type / check it when expecting type. */
bool cs_field_sendable(mqtt_packet_type type, const char *key);
bool cs_field_matchable(mqtt_packet_type type, const char *key);
/* Whether the field holds a number (no ^= on numbers). */
bool cs_field_numeric(const char *key);
/* Space-separated list of the keys, for error messages. */
void cs_field_list(mqtt_packet_type type, bool send, mqtt_version version, base_strbuf *out);

/* Parse a number written as decimal or 0x-hex; false when it is not one or exceeds max. */
bool cs_parse_uint(const char *s, size_t len, uint32_t max, uint32_t *out);

#endif
