/* THE fixed-header table: which versions know each packet type, the reserved flag bits it must
 * carry (3.1.1 Table 2.2, 5.0 section 2.1.3) and the Remaining Lengths it may have. */
#include "fixed_header_table.h"
#include "mqtt/decode.h"

#define GENERIC {"MQTT-2.2.2-1", "MQTT-2.1.3-1"}
#define PUBREL_RULE {"MQTT-3.6.1-1", "MQTT-3.6.1-1"}
#define SUBSCRIBE_RULE {"MQTT-3.8.1-1", "MQTT-3.8.1-1"}
#define UNSUBSCRIBE_RULE {"MQTT-3.10.1-1", "MQTT-3.10.1-1"}
#define DISCONNECT_RULE {"MQTT-3.14.1-1", "MQTT-3.14.1-1"}
#define AUTH_RULE {NULL, "MQTT-3.15.1-1"}
#define MAX_RL MQTT_MAX_REMAINING_LENGTH

/* {first version, required flags, flag mask, statements, {min RL 3.x, 5.0}, {max RL 3.x, 5.0}};
 * Remaining Lengths the body decoder checks better itself are left open. */
const fixed_header_rule mqtt_fixed_header_rules[16] = {
    [MQTT_CONNECT] = {MQTT_V31, 0x0, 0xF, GENERIC, {0, 0}, {MAX_RL, MAX_RL}},
    [MQTT_CONNACK] = {MQTT_V31, 0x0, 0xF, GENERIC, {2, 3}, {2, MAX_RL}},
    [MQTT_PUBLISH] = {MQTT_V31, 0x0, 0x0, GENERIC, {0, 0}, {MAX_RL, MAX_RL}},
    [MQTT_PUBACK] = {MQTT_V31, 0x0, 0xF, GENERIC, {2, 2}, {2, MAX_RL}},
    [MQTT_PUBREC] = {MQTT_V31, 0x0, 0xF, GENERIC, {2, 2}, {2, MAX_RL}},
    [MQTT_PUBREL] = {MQTT_V31, 0x2, 0xF, PUBREL_RULE, {2, 2}, {2, MAX_RL}},
    [MQTT_PUBCOMP] = {MQTT_V31, 0x0, 0xF, GENERIC, {2, 2}, {2, MAX_RL}},
    [MQTT_SUBSCRIBE] = {MQTT_V31, 0x2, 0xF, SUBSCRIBE_RULE, {0, 0}, {MAX_RL, MAX_RL}},
    [MQTT_SUBACK] = {MQTT_V31, 0x0, 0xF, GENERIC, {0, 0}, {MAX_RL, MAX_RL}},
    [MQTT_UNSUBSCRIBE] = {MQTT_V31, 0x2, 0xF, UNSUBSCRIBE_RULE, {0, 0}, {MAX_RL, MAX_RL}},
    [MQTT_UNSUBACK] = {MQTT_V31, 0x0, 0xF, GENERIC, {2, 0}, {2, MAX_RL}},
    [MQTT_PINGREQ] = {MQTT_V31, 0x0, 0xF, GENERIC, {0, 0}, {0, 0}},
    [MQTT_PINGRESP] = {MQTT_V31, 0x0, 0xF, GENERIC, {0, 0}, {0, 0}},
    [MQTT_DISCONNECT] = {MQTT_V31, 0x0, 0xF, DISCONNECT_RULE, {0, 0}, {0, MAX_RL}},
    [MQTT_AUTH] = {MQTT_V5, 0x0, 0xF, AUTH_RULE, {0, 0}, {MAX_RL, MAX_RL}},
};
