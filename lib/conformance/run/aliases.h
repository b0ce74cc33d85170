/* The Topic Alias mappings a broker sets on one network connection (5.0 section 3.3.2.3.4), so that a
 * PUBLISH carrying an alias and an empty Topic Name is matched against the topic the alias stands for.
 * Mappings live as long as the network connection: cr_aliases_reset when it is reopened [MQTT-3.3.2-7]. */
#ifndef CR_ALIASES_H
#define CR_ALIASES_H

#include <stdbool.h>
#include <stdint.h>

#include "mqtt/types.h"

typedef struct cr_aliases {
    mqtt_bytes *topics; /* index = alias value; data owned (NULL: not set) */
    uint32_t cap;
} cr_aliases;

/* Forget every mapping (a new network connection, or the end of the connection). */
void cr_aliases_reset(cr_aliases *a);

/* A PUBLISH carrying Topic Alias `alias` (1..65535) and *topic: a non-empty topic sets the mapping; an
 * empty one is replaced by a copy of the mapped topic, stored in *owned for the caller to free (the
 * mapping may change while the packet still waits). False when the topic is empty and the alias was
 * never set: a Protocol Error of the sender (section 3.3.4). */
bool cr_aliases_apply(cr_aliases *a, uint16_t alias, mqtt_bytes *topic, uint8_t **owned);

#endif
