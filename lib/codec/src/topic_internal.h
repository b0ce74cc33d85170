/* Topic helpers shared inside the codec. */
#ifndef MQTT_TOPIC_INTERNAL_H
#define MQTT_TOPIC_INTERNAL_H

#include "mqtt/topic.h"

/* The statement a MQTT_ERR_SHARE_NAME_INVALID for this filter breaks: an empty share name is
 * MQTT-4.8.2-1, anything else MQTT-4.8.2-2. */
const char *topic_share_statement(mqtt_bytes filter);

#endif
