/* The names scripts use for packet types and their fields (lib/format's packet-field table by
 * alias, and the keys a sent packet may set). Building is build.h, matching match.h. */
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

/* Parse a number written as decimal or 0x-hex; false when it is not one or exceeds max. */
bool cf_parse_uint(const char *s, size_t len, uint32_t max, uint32_t *out);

#endif
