/* mqtk codec — reason / return codes: which codes each packet type may carry, per version and
 * sender, and their names. One constant table (codec/src/reason_table.c). */
#ifndef MQTT_REASON_CODES_H
#define MQTT_REASON_CODES_H

#include "mqtt/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Whether code may stand in a packet of this type for this version and sender: CONNACK return
 * codes and SUBACK codes in 3.x; every reason-carrying packet in 5.0. */
bool mqtt_reason_allowed(mqtt_version v, mqtt_packet_type type, uint8_t code, mqtt_direction dir);
/* Name of the code in that packet type ("success", "normal_disconnection", "granted_qos_1",
 * "not_authorized", …); NULL when the code is not defined there. */
const char *mqtt_reason_name(mqtt_version v, mqtt_packet_type type, uint8_t code);

#ifdef __cplusplus
}
#endif
#endif
