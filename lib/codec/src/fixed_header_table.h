/* Per packet type: the version it appears in, the fixed-header flag rule and the Remaining Length
 * bounds (fixed_header_table.c). Column [0] is 3.1 / 3.1.1, [1] is 5.0. */
#ifndef MQTT_FIXED_HEADER_TABLE_H
#define MQTT_FIXED_HEADER_TABLE_H

#include "mqtt/types.h"

typedef struct fixed_header_rule {
    uint8_t min_version;     /* 0: reserved type */
    uint8_t flags_required;  /* value of the bits in flags_mask */
    uint8_t flags_mask;      /* PUBLISH: 0, its flags are fields */
    const char *flags_statement[2];
    uint32_t min_remaining[2];
    uint32_t max_remaining[2];
} fixed_header_rule;

extern const fixed_header_rule mqtt_fixed_header_rules[16];

static inline bool version_known(mqtt_version v)
{
    return v >= MQTT_V31 && v <= MQTT_V5;
}

static inline int version_column(mqtt_version v)
{
    return v == MQTT_V5 ? 1 : 0;
}

#endif
