/* UTF-8 well-formedness (Unicode table 3-7 / RFC 3629): no overlong forms, no surrogates, nothing
 * above U+10FFFF, and for MQTT no U+0000 [MQTT-1.5.3-1/2, MQTT-1.5.4-1/2]. */
#include "mqtt/topic.h"
#include "text_scan.h"

/* Bytes a sequence led by b occupies (0: b can not lead), and the allowed range of its second byte;
 * the remaining bytes are always 0x80..0xBF. */
typedef struct utf8_lead {
    uint8_t length;
    uint8_t second_min;
    uint8_t second_max;
} utf8_lead;

static utf8_lead lead_of(uint8_t b)
{
    if (b < 0xC2)
        return (utf8_lead){0, 0, 0}; /* continuation byte, or C0/C1 (always overlong) */
    if (b < 0xE0)
        return (utf8_lead){2, 0x80, 0xBF};
    if (b == 0xE0)
        return (utf8_lead){3, 0xA0, 0xBF}; /* no overlong 3-byte forms */
    if (b == 0xED)
        return (utf8_lead){3, 0x80, 0x9F}; /* no surrogates U+D800..U+DFFF */
    if (b < 0xF0)
        return (utf8_lead){3, 0x80, 0xBF};
    if (b == 0xF0)
        return (utf8_lead){4, 0x90, 0xBF}; /* no overlong 4-byte forms */
    if (b < 0xF4)
        return (utf8_lead){4, 0x80, 0xBF};
    if (b == 0xF4)
        return (utf8_lead){4, 0x80, 0x8F}; /* nothing above U+10FFFF */
    return (utf8_lead){0, 0, 0};
}

/* How many bytes of a word, from its first in memory, come before the first one swar_unusual
 * flags: they are plain ASCII. The lowest flagged byte of the value is always a true hit (a borrow
 * only runs upwards from a hit), and on a little-endian machine it is the first in memory; elsewhere
 * 0, which costs only speed. */
static inline uint32_t swar_plain_before(uint64_t m)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return (uint32_t)__builtin_ctzll(m) >> 3;
#else
    (void)m;
    return 0;
#endif
}

mqtt_err text_scan_from(const uint8_t *s, uint32_t len, uint32_t from, bool reject_wildcards, uint32_t *bad)
{
    uint32_t i = from;
    while (i < len) {
        if (len - i >= 8) {
            const uint64_t m = swar_unusual(load_u64(s + i), reject_wildcards);
            if (!m) {
                i += 8;
                continue;
            }
            i += swar_plain_before(m); /* straight to the first byte that needs a look */
        }
        uint8_t b = s[i];
        if (b < 0x80) {
            if (b == 0) {
                *bad = i;
                return MQTT_ERR_UTF8_NULL;
            }
            if (reject_wildcards && (b == '+' || b == '#')) {
                *bad = i;
                return MQTT_ERR_TOPIC_WILDCARD;
            }
            i++;
            continue;
        }
        utf8_lead lead = lead_of(b);
        if (lead.length == 0 || len - i < lead.length || s[i + 1] < lead.second_min || s[i + 1] > lead.second_max) {
            *bad = i;
            return MQTT_ERR_UTF8_INVALID;
        }
        for (uint32_t k = 2; k < lead.length; k++) {
            if ((s[i + k] & 0xC0u) != 0x80u) {
                *bad = i;
                return MQTT_ERR_UTF8_INVALID;
            }
        }
        i += lead.length;
    }
    return MQTT_OK;
}

mqtt_err mqtt_utf8_check(mqtt_bytes s, uint32_t *bad_offset)
{
    uint32_t bad = 0;
    mqtt_err e = s.len ? text_scan(s.data, s.len, false, &bad) : MQTT_OK;
    if (bad_offset)
        *bad_offset = bad;
    return e;
}
