/* The quick walk over a v5 property list: the common, valid list checked with the per-place tables
 * and no error bookkeeping. Inline so that the PUBLISH decoder, where it matters most, has it with
 * its place known; props_check (properties.c) pairs it with the exact walk that names errors. */
#ifndef MQTT_PROPS_QUICK_H
#define MQTT_PROPS_QUICK_H

#include <stddef.h>

#include "property_table.h"
#include "text_scan.h"
#include "wire.h"

/* The length-prefixed field at p, not past end: its bytes in *s / *n and the byte after it, or NULL. */
WIRE_HOT_INLINE const uint8_t *field_at(const uint8_t *p, const uint8_t *end, const uint8_t **s, uint32_t *n)
{
    const size_t avail = (size_t)(end - p);
    if (avail < 2)
        return NULL;
    *n = wire_u16(p);
    *s = p + 2;
    return avail - 2 < *n ? NULL : *s + *n;
}

/* How the quick walk steps over a value of each type and rule in the matrix, at p (not past end):
 * false when it does not fit or breaks its rule. Strings add to `unusual` (judged after the loop). */
#define QUICK_BYTE_BOOL                                                                                         \
    if (p == end || *p > 1)                                                                                     \
        return false;                                                                                           \
    p += 1
#define QUICK_FIXED(size, nonzero)                                                                              \
    if (end - p < (size) || ((nonzero) && ((size) == 2 ? wire_u16(p) : wire_u32(p)) == 0))                     \
        return false;                                                                                           \
    p += (size)
#define QUICK_U16_ANY QUICK_FIXED(2, false)
#define QUICK_U16_NONZERO QUICK_FIXED(2, true)
#define QUICK_U32_ANY QUICK_FIXED(4, false)
#define QUICK_U32_NONZERO QUICK_FIXED(4, true)
#define QUICK_VARINT_NONZERO                                                                                    \
    if (wire_varint(p, end, &value, &p) != MQTT_OK || value == 0)                                               \
        return false
#define QUICK_BINARY_ANY                                                                                        \
    if (!(p = field_at(p, end, &s, &value)))                                                                    \
        return false
#define QUICK_STRING_ANY                                                                                        \
    QUICK_BINARY_ANY;                                                                                           \
    unusual |= text_unusual(s, value, false)
#define QUICK_STRING_TOPIC_NAME                                                                                 \
    if (!(p = field_at(p, end, &s, &value)) || value == 0)                                                      \
        return false;                                                                                           \
    unusual |= text_unusual(s, value, true)
#define QUICK_STRING_PAIR_ANY                                                                                   \
    QUICK_STRING_ANY;                                                                                           \
    QUICK_STRING_ANY

/* One case per row of the matrix: an id not allowed in the place stops the walk, an allowed one has
 * its value stepped over and checked, and its second appearance stops the walk unless it may repeat
 * there. With the place a constant, each case folds to the few instructions its row needs. */
#define QUICK_CASE(place, id_, name_, type_, rule_, places_, repeatable_, rule_statement_, utf8_statement_, sided_) \
    case id_:                                                                                                   \
        if (!((places_) & PROP_PLACE(place)) ||                                                                 \
            (!((repeatable_) & PROP_PLACE(place)) && (seen & PROP_SEEN(id_))))                                  \
            return false;                                                                                       \
        seen |= PROP_SEEN(id_);                                                                                 \
        QUICK_##type_##_##rule_;                                                                                \
        break;

/* The quick walk: whether the list is surely valid in place (then *seen_out as props_check gives
 * it). It tests the same rules as the exact walk but in whatever order is cheapest (one-sided rules
 * and strings summed up after the loop), as the order only matters for naming the first rule
 * broken: false hands the list to the exact walk. The switch is the matrix itself, expanded. */
WIRE_HOT_INLINE bool props_surely_valid(const uint8_t *p, const uint8_t *end, unsigned place,
                                        mqtt_direction direction, uint64_t *seen_out)
{
    uint64_t seen = 0, unusual = 0;
    while (p < end) {
        uint32_t value;
        const uint8_t *s;
        switch (*p++) {
            PROPERTY_MATRIX(QUICK_CASE, place)
        default: /* not a property */
            return false;
        }
    }
    const uint64_t one_sided = direction <= MQTT_DIR_TO_CLIENT ? mqtt_prop_one_sided[place][direction] : 0;
    if (unusual || (seen & one_sided))
        return false;
    if ((seen & PROP_SEEN(MQTT_PROP_AUTHENTICATION_DATA)) && !(seen & PROP_SEEN(MQTT_PROP_AUTHENTICATION_METHOD)))
        return false;
    if (seen_out)
        *seen_out = seen;
    return true;
}

#endif
