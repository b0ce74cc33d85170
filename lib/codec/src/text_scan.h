/* String scanning shared by the decoders, the property validator and topic checks: well-formed
 * UTF-8 without U+0000, optionally without the wildcards '+' and '#'. ASCII is checked eight bytes
 * at a time; only a word that holds something unusual goes to the careful per-character path. */
#ifndef MQTT_TEXT_SCAN_H
#define MQTT_TEXT_SCAN_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "mqtt/errors.h"
#include "wire.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define SWAR_ONES 0x0101010101010101ull
#define SWAR_HIGH 0x8080808080808080ull

/* The high bit of each byte of the result is set for a non-ASCII byte, a NUL, or (reject_wildcards)
 * '+' or '#'; other bits are noise, so callers OR words together and mask with SWAR_HIGH once.
 * Each test is exact as a yes/no answer: a borrow can only start at a byte that is itself a hit.
 * '+' (0x2B) and '#' (0x23) differ only in bit 3, so after setting that bit one compare against
 * 0x2B finds both: y has a zero byte exactly there, and y - 1 sets the high bit of a zero byte (of
 * a byte >= 0x81 too, but that came from a byte >= 0x80 of w, already a hit). */
static inline uint64_t swar_unusual_bits(uint64_t w, bool reject_wildcards)
{
    uint64_t m = (w - SWAR_ONES) | w; /* high bit: byte >= 0x80, or a zero byte */
    if (reject_wildcards) {
        uint64_t y = (w | (SWAR_ONES * 0x08)) ^ (SWAR_ONES * 0x2B);
        m |= y - SWAR_ONES;
    }
    return m;
}

/* Non-zero when w holds a byte swar_unusual_bits flags. */
static inline uint64_t swar_unusual(uint64_t w, bool reject_wildcards)
{
    return swar_unusual_bits(w, reject_wildcards) & SWAR_HIGH;
}

/* The careful path, from index `from` on (utf8.c). */
mqtt_err text_scan_from(const uint8_t *s, uint32_t len, uint32_t from, bool reject_wildcards, uint32_t *bad);

static inline uint64_t load_u64(const uint8_t *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

/* 1..7 bytes as one word, from overlapping loads inside [s, s+n): duplicated bytes change no
 * yes/no answer, and no store has to be forwarded into a load. */
WIRE_HOT_INLINE uint64_t load_short(const uint8_t *s, uint32_t n)
{
    if (n >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, s, 4);
        memcpy(&hi, s + n - 4, 4);
        return lo | (uint64_t)hi << 32;
    }
    return s[0] | (uint64_t)s[n >> 1] << 8 | (uint64_t)s[n - 1] << 16 | (SWAR_ONES * 'a' & ~0xFFFFFFull);
}

#if defined(__SSE2__)
/* 16 bytes at once where the target has SSE2 (every x86-64); the SWAR words below otherwise.
 * Bit i of the result is set when s[i] is >= 0x80, NUL, or (reject_wildcards) '+' or '#'. */
static inline unsigned sse2_unusual(const uint8_t *s, bool reject_wildcards)
{
    const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
    __m128i hit = _mm_or_si128(v, _mm_cmpeq_epi8(v, _mm_setzero_si128())); /* high bit: >= 0x80 or NUL */
    if (reject_wildcards) /* as in swar_unusual: '+' and '#' are 0x2B once bit 3 is set */
        hit = _mm_or_si128(hit, _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(0x08)), _mm_set1_epi8(0x2B)));
    return (unsigned)_mm_movemask_epi8(hit);
}
#endif

/* Non-zero when s[0..len) holds anything but ASCII without NUL (and, reject_wildcards, without '+'
 * and '#'). One branch per 16 bytes at most: valid text is the common case. Reads only s[0..len). */
WIRE_HOT_INLINE uint64_t text_unusual(const uint8_t *s, uint32_t len, bool reject_wildcards)
{
    if (len < 8)
        return len ? swar_unusual(load_short(s, len), reject_wildcards) : 0;
#if defined(__SSE2__)
    if (len >= 16) {
        /* the last 16 bytes; past 16, the first 16 too (overlapping), then any between */
        unsigned m = sse2_unusual(s + len - 16, reject_wildcards);
        if (len == 16)
            return m;
        m |= sse2_unusual(s, reject_wildcards);
        for (uint32_t i = 16; len - i > 16; i += 16)
            m |= sse2_unusual(s + i, reject_wildcards);
        return m;
    }
    return swar_unusual(load_u64(s), reject_wildcards) | swar_unusual(load_u64(s + len - 8), reject_wildcards);
#else
    /* 16 bytes a round; the last 8 bytes overlap what the rounds saw */
    uint64_t m = swar_unusual_bits(load_u64(s + len - 8), reject_wildcards);
    uint32_t i = 0;
    for (; len - i > 16; i += 16) {
        m |= swar_unusual_bits(load_u64(s + i), reject_wildcards) |
             swar_unusual_bits(load_u64(s + i + 8), reject_wildcards);
        if (m & SWAR_HIGH)
            return m & SWAR_HIGH;
    }
    if (len - i > 8)
        m |= swar_unusual_bits(load_u64(s + i), reject_wildcards);
    return m & SWAR_HIGH;
#endif
}

/* MQTT_OK, MQTT_ERR_UTF8_INVALID, MQTT_ERR_UTF8_NULL or (reject_wildcards) MQTT_ERR_TOPIC_WILDCARD
 * with the offending byte's index in *bad. */
static inline mqtt_err text_scan(const uint8_t *s, uint32_t len, bool reject_wildcards, uint32_t *bad)
{
    if (!text_unusual(s, len, reject_wildcards))
        return MQTT_OK;
    return text_scan_from(s, len, 0, reject_wildcards, bad);
}

#endif
