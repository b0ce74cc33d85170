/* THE property matrix of MQTT 5.0 (Table 2-4 and each packet's property section): type, where each
 * property may stand, where it may repeat, and the rule its value must meet. */
#include <string.h>

#include "property_table.h"

/* The parts of a one-sided rule: SIDE_PLACE sided_ is the place of (place, dir, err). */
#define SIDE_PLACE(place, dir, err) (place)
#define SIDE_DIR(place, dir, err) (dir)
#define SIDE_ERR(place, dir, err) (err)

#define TABLE_ROW(unused, id_, name_, type_, rule_, places_, repeatable_, rule_statement_, utf8_statement_, sided_) \
    [id_] = {.name = #name_,                                                                                    \
             .type = MQTT_PTYPE_##type_,                                                                        \
             .rule = PROP_RULE_##rule_,                                                                         \
             .places = (places_),                                                                               \
             .repeatable = (repeatable_),                                                                       \
             .rule_statement = rule_statement_,                                                                 \
             .utf8_statement = utf8_statement_,                                                                 \
             .one_sided_place = SIDE_PLACE sided_,                                                              \
             .one_sided_dir = SIDE_DIR sided_,                                                                  \
             .one_sided_err = SIDE_ERR sided_},

const prop_row mqtt_prop_table[MQTT_PROP_ID_MAX + 1] = {PROPERTY_MATRIX(TABLE_ROW, 0)};

#define TYPE_OF(unused, id_, name_, type_, rule_, places_, repeatable_, rule_statement_, utf8_statement_, sided_) \
    [id_] = MQTT_PTYPE_##type_,
const uint8_t mqtt_prop_types[256] = {PROPERTY_MATRIX(TYPE_OF, 0)};

/* What a row gives the per-place tables (see property_table.h). */
#define REPEATABLE_BIT(place, id_, name_, type_, rule_, places_, repeatable_, rule_statement_, utf8_statement_,     \
                       sided_)                                                                                   \
    | ((repeatable_) & PROP_PLACE(place) ? PROP_SEEN(id_) : 0)
#define ONE_SIDED_BIT(place_dir, id_, name_, type_, rule_, places_, repeatable_, rule_statement_, utf8_statement_,  \
                      sided_)                                                                                    \
    | (SIDE_PLACE sided_ == SIDE_PLACE place_dir && SIDE_DIR sided_ == SIDE_DIR place_dir ? PROP_SEEN(id_) : 0)

#define PLACE_REPEATABLE(place) [place] = 0 PROPERTY_MATRIX(REPEATABLE_BIT, place)
#define PLACE_ONE_SIDED(place)                                                                                  \
    [place] = {[MQTT_DIR_TO_SERVER] = 0 PROPERTY_MATRIX(ONE_SIDED_BIT, (place, MQTT_DIR_TO_SERVER, 0)),           \
               [MQTT_DIR_TO_CLIENT] = 0 PROPERTY_MATRIX(ONE_SIDED_BIT, (place, MQTT_DIR_TO_CLIENT, 0))}
#define EVERY_PLACE(F)                                                                                          \
    F(MQTT_CONNECT), F(MQTT_CONNACK), F(MQTT_PUBLISH), F(MQTT_PUBACK), F(MQTT_PUBREC), F(MQTT_PUBREL),          \
        F(MQTT_PUBCOMP), F(MQTT_SUBSCRIBE), F(MQTT_SUBACK), F(MQTT_UNSUBSCRIBE), F(MQTT_UNSUBACK), F(MQTT_PINGREQ), \
        F(MQTT_PINGRESP), F(MQTT_DISCONNECT), F(MQTT_AUTH), F(MQTT_PROPS_IN_WILL)

const uint64_t mqtt_prop_repeatable[MQTT_PROPS_IN_WILL + 1] = {EVERY_PLACE(PLACE_REPEATABLE)};
const uint64_t mqtt_prop_one_sided[MQTT_PROPS_IN_WILL + 1][MQTT_DIR_TO_CLIENT + 1] = {EVERY_PLACE(PLACE_ONE_SIDED)};

mqtt_prop_type mqtt_prop_type_of(unsigned id)
{
    const prop_row *row = prop_row_of(id);
    return row ? (mqtt_prop_type)row->type : MQTT_PTYPE_NONE;
}

const char *mqtt_prop_name(unsigned id)
{
    const prop_row *row = prop_row_of(id);
    return row ? row->name : NULL;
}

unsigned mqtt_prop_by_name(const char *name)
{
    if (!name)
        return 0;
    for (unsigned id = 1; id <= MQTT_PROP_ID_MAX; id++)
        if (mqtt_prop_table[id].name && strcmp(mqtt_prop_table[id].name, name) == 0)
            return id;
    return 0;
}

bool mqtt_prop_allowed_in(unsigned id, unsigned place)
{
    const prop_row *row = prop_row_of(id);
    return row && place <= MQTT_PROPS_IN_WILL && (row->places & PROP_PLACE(place));
}

bool mqtt_prop_may_repeat(unsigned id, unsigned place)
{
    const prop_row *row = prop_row_of(id);
    return row && place <= MQTT_PROPS_IN_WILL && (row->repeatable & PROP_PLACE(place));
}
