/* MQTT 5.0 properties in scripts: `prop.NAME=value` (and `wprop.NAME` for Will Properties) when
 * sending, `prop.NAME` with = != ^= <= >= -> when expecting. NAME is the codec's property name
 * (mqtt_prop_name: session_expiry_interval, user_property, ...). A User Property value is written
 * NAME=VALUE. Expected values: several `prop.X=` tokens for one id list every occurrence (User
 * Properties in order, other repeatable ids in any order); `prop.X=*` means present, `prop.X!=*`
 * absent. Properties with different ids are compared regardless of their order in the packet. */
#ifndef CS_PROPFIELDS_H
#define CS_PROPFIELDS_H

#include <stdbool.h>

#include "lexer.h"
#include "mqtt/codec.h"
#include "base/strbuf.h"
#include "vars.h"

#define CS_PROP_PREFIX "prop."
#define CS_WILL_PROP_PREFIX "wprop."

/* The property id a key names ("prop.topic_alias" -> 0x23), with the prefix given; 0 when key is not
 * such a key or names no property. */
unsigned cs_prop_key_id(const char *key, const char *prefix);
/* Whether the property holds a number (BYTE, U16, U32, VARINT). */
bool cs_prop_numeric(unsigned id);
/* Whether packets of type carry a property list (5.0). */
bool cs_type_has_props(mqtt_packet_type type);

/* Build the list of every token whose key has prefix, in the order written, into buf[0..cap).
 * -1 with a message in err when a value is bad or the list does not fit. */
int cs_props_build(const cs_token *args, size_t nargs, const char *prefix, const cs_vars *vars, uint8_t *buf,
                   size_t cap, mqtt_props *out, base_strbuf *err);

/* Compare the `prop.` tokens of args with pkt's properties. Returns 0 when they match, 1 on a
 * mismatch, 2 on a script error (why says which). */
int cs_props_match(const mqtt_packet *pkt, const cs_token *args, size_t nargs, const cs_vars *vars, base_strbuf *why);
/* The value of a captured property (first occurrence): false when absent. */
bool cs_props_capture(const mqtt_packet *pkt, unsigned id, base_strbuf *out);

/* " prop.name=value" for each property of the list. */
void cs_props_describe(mqtt_props props, base_strbuf *out);

#endif
