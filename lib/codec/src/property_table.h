/* The MQTT 5.0 property matrix (section 2.2.2.2, Table 2-4), shared by the validator and iterator. */
#ifndef MQTT_PROPERTY_TABLE_H
#define MQTT_PROPERTY_TABLE_H

#include "mqtt/properties.h"

/* The value rule a property must also satisfy. */
typedef enum prop_rule {
    PROP_RULE_ANY = 0,
    PROP_RULE_BOOL,       /* 0 or 1 */
    PROP_RULE_NONZERO,    /* 0 is a protocol error */
    PROP_RULE_TOPIC_NAME, /* a topic name: non-empty, no wildcards */
} prop_rule;

#define PROP_PLACE(p) (1u << (p))

typedef struct prop_row {
    const char *name;
    uint8_t type;        /* mqtt_prop_type; MQTT_PTYPE_NONE for an unassigned id */
    uint8_t rule;        /* prop_rule */
    uint32_t places;     /* PROP_PLACE(packet type) and PROP_PLACE(MQTT_PROPS_IN_WILL) */
    uint32_t repeatable; /* places where it may appear more than once */
    const char *rule_statement; /* cited when the value rule fails */
    const char *utf8_statement; /* cited for ill-formed UTF-8; NULL: the generic statement */
    /* A rule binding one sender: in place one_sided_place, a packet from sender one_sided_dir must
     * not carry it (0: no such rule). */
    uint8_t one_sided_place;
    uint8_t one_sided_dir;
    uint8_t one_sided_err; /* mqtt_err */
} prop_row;

extern const prop_row mqtt_prop_table[MQTT_PROP_ID_MAX + 1];

static inline const prop_row *prop_row_of(unsigned id)
{
    return id <= MQTT_PROP_ID_MAX && mqtt_prop_table[id].type != MQTT_PTYPE_NONE ? &mqtt_prop_table[id] : NULL;
}

/* The matrix as one place sees it, for the validator's quick walk, derived from the same rows as
 * mqtt_prop_table at compile time (property_table.c):
 * - mqtt_prop_codes: one byte per id, 0 when the id is unknown or not allowed there, else its type
 *   and value rule;
 * - mqtt_prop_repeatable: the ids (as PROP_SEEN bits) that may appear more than once there;
 * - mqtt_prop_one_sided: per sender, the ids that sender must not put there. */
enum {
    PROP_CODE_TYPE = 0x07,    /* mqtt_prop_type */
    PROP_CODE_RULE_SHIFT = 3, /* prop_rule above it */
    PROP_CODE_IDS = 256       /* every byte, so an id byte needs no range check */
};

/* The code of a type and value rule, e.g. PROP_CODE(U16, NONZERO). */
#define PROP_CODE(type, rule) (MQTT_PTYPE_##type | PROP_RULE_##rule << PROP_CODE_RULE_SHIFT)

extern const uint8_t mqtt_prop_codes[MQTT_PROPS_IN_WILL + 1][PROP_CODE_IDS];
extern const uint64_t mqtt_prop_repeatable[MQTT_PROPS_IN_WILL + 1];
extern const uint64_t mqtt_prop_one_sided[MQTT_PROPS_IN_WILL + 1][MQTT_DIR_TO_CLIENT + 1];

/* Validate a list for place in one pass (properties.c). *seen gets a bit per id present, so a
 * decoder can ask about presence (Topic Alias, Authentication Method) without a second walk. */
mqtt_err props_check(const uint8_t *data, uint32_t len, unsigned place, mqtt_direction direction,
                     uint32_t base_offset, mqtt_error *err, uint64_t *seen);

#define PROP_SEEN(id) (1ull << (id))

#endif
