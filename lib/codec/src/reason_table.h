/* Reason / return codes per packet type, version and sender (reason_table.c). */
#ifndef MQTT_REASON_TABLE_H
#define MQTT_REASON_TABLE_H

#include "mqtt/reason_codes.h"

/* The statement a code outside the allowed set breaks in a packet of this type; may be NULL. */
const char *reason_statement(mqtt_version v, mqtt_packet_type type);

#endif
