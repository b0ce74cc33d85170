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
    if (end - p < 2)
        return NULL;
    *n = wire_u16(p);
    *s = p + 2;
    return (size_t)(end - *s) < *n ? NULL : *s + *n;
}

/* The quick walk: whether the list is surely valid in place (then *seen_out as props_check gives
 * it). It tests the same rules as the exact walk but in whatever order is cheapest (the per-place
 * table first, one-sided rules and strings summed up after the loop), as the order only matters for
 * naming the first rule broken: false hands the list to the exact walk. Each case is one pairing of
 * type and value rule that the matrix has; any other code is left to the exact walk too. */
WIRE_HOT_INLINE bool props_surely_valid(const uint8_t *p, const uint8_t *end, unsigned place,
                                        mqtt_direction direction, uint64_t *seen_out)
{
    const uint8_t *codes = mqtt_prop_codes[place];
    uint64_t seen = 0, unusual = 0;
    while (p < end) {
        const unsigned id = *p++;
        uint32_t value;
        const uint8_t *s;
        const unsigned code = codes[id];
        switch (code) {
        case PROP_CODE(BYTE, BOOL):
            if (p == end || *p > 1)
                return false;
            p += 1;
            break;
        case PROP_CODE(U16, ANY):
        case PROP_CODE(U16, NONZERO):
        case PROP_CODE(U32, ANY):
        case PROP_CODE(U32, NONZERO): {
            const ptrdiff_t size = (code & PROP_CODE_TYPE) == MQTT_PTYPE_U16 ? 2 : 4;
            if (end - p < size)
                return false;
            if (code >> PROP_CODE_RULE_SHIFT == PROP_RULE_NONZERO && (size == 2 ? wire_u16(p) : wire_u32(p)) == 0)
                return false;
            p += size;
            break;
        }
        case PROP_CODE(VARINT, NONZERO):
            if (wire_varint(p, end, &value, &p) != MQTT_OK || value == 0)
                return false;
            break;
        case PROP_CODE(BINARY, ANY):
            if (!(p = field_at(p, end, &s, &value)))
                return false;
            break;
        case PROP_CODE(STRING, ANY):
            if (!(p = field_at(p, end, &s, &value)))
                return false;
            unusual |= text_unusual(s, value, false);
            break;
        case PROP_CODE(STRING, TOPIC_NAME):
            if (!(p = field_at(p, end, &s, &value)) || value == 0)
                return false;
            unusual |= text_unusual(s, value, true);
            break;
        case PROP_CODE(STRING_PAIR, ANY):
            if (!(p = field_at(p, end, &s, &value)))
                return false;
            unusual |= text_unusual(s, value, false);
            if (!(p = field_at(p, end, &s, &value)))
                return false;
            unusual |= text_unusual(s, value, false);
            break;
        default: /* 0: unknown, or not allowed here */
            return false;
        }
        /* a known id: below 64 */
        if (seen & PROP_SEEN(id) && !(mqtt_prop_repeatable[place] & PROP_SEEN(id)))
            return false;
        seen |= PROP_SEEN(id);
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
