/* mqtk codec — SUBSCRIBE / UNSUBSCRIBE payloads: iterate a validated payload, or write one from a list. */
#ifndef MQTT_PACKET_H
#define MQTT_PACKET_H

#include "mqtt/errors.h"
#include "mqtt/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mqtt_payload_iter {
    const uint8_t *pos;
    const uint8_t *end;
} mqtt_payload_iter;

void mqtt_subscribe_iter_init(mqtt_payload_iter *it, const mqtt_subscribe *sub);
bool mqtt_subscribe_next(mqtt_payload_iter *it, mqtt_subscription *out);
void mqtt_unsubscribe_iter_init(mqtt_payload_iter *it, const mqtt_unsubscribe *unsub);
bool mqtt_unsubscribe_next(mqtt_payload_iter *it, mqtt_bytes *filter);

/* Write the payload for n subscriptions into buf and point sub->payload / sub->count at it.
 * The options byte is built from the fields (3.1 / 3.1.1 use qos only). */
mqtt_err mqtt_subscribe_payload_write(mqtt_subscribe *sub, const mqtt_subscription *list, size_t n, uint8_t *buf,
                                      size_t cap);
mqtt_err mqtt_unsubscribe_payload_write(mqtt_unsubscribe *unsub, const mqtt_bytes *filters, size_t n, uint8_t *buf,
                                        size_t cap);

#ifdef __cplusplus
}
#endif
#endif
