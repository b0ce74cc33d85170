/* mqtk codec — UTF-8 strings, topic names and topic filters: validation and matching. */
#ifndef MQTT_TOPIC_H
#define MQTT_TOPIC_H

#include "mqtt/errors.h"
#include "mqtt/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Well-formed UTF-8 with no U+0000: MQTT_OK, MQTT_ERR_UTF8_INVALID or MQTT_ERR_UTF8_NULL, with the
 * offending byte's index in *bad_offset (may be NULL). */
mqtt_err mqtt_utf8_check(mqtt_bytes s, uint32_t *bad_offset);

/* A topic name: non-empty, valid UTF-8, no wildcard. */
mqtt_err mqtt_topic_name_check(mqtt_bytes name, uint32_t *bad_offset);
/* A topic filter: non-empty, valid UTF-8, '#' alone in the last level, '+' alone in its level; in
 * 5.0 a $share/ filter needs a non-empty share name without wildcards and a filter after it. */
mqtt_err mqtt_topic_filter_check(mqtt_bytes filter, mqtt_version v, uint32_t *bad_offset);

/* Split "$share/{name}/{filter}" (5.0); false when filter is not a shared subscription. */
bool mqtt_topic_shared_split(mqtt_bytes filter, mqtt_bytes *share_name, mqtt_bytes *inner_filter);

/* Whether a valid topic name matches a valid (non-shared) filter, with the rule that '#' and '+'
 * in the first level do not match names starting with '$' [MQTT-4.7.2-1]. */
bool mqtt_topic_matches(mqtt_bytes filter, mqtt_bytes name);

#ifdef __cplusplus
}
#endif
#endif
