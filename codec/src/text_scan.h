/* String scanning shared by the decoders, the property validator and topic checks: well-formed
 * UTF-8 without U+0000, optionally without the wildcards '+' and '#'. ASCII is checked eight bytes
 * at a time; only a word that holds something unusual goes to the careful per-character path. */
#ifndef MQTT_TEXT_SCAN_H
#define MQTT_TEXT_SCAN_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "mqtt/errors.h"

#define SWAR_ONES 0x0101010101010101ull
#define SWAR_HIGH 0x8080808080808080ull

/* Non-zero when w holds a non-ASCII byte, a NUL, or (reject_wildcards) '+' or '#'. Each test is
 * exact as a yes/no answer: a borrow can only start at a byte that is itself a hit. '+' (0x2B) and
 * '#' (0x23) differ only in bit 3, so one compare against 0x2B after setting that bit finds both. */
static inline uint64_t swar_unusual(uint64_t w, bool reject_wildcards)
{
    uint64_t m = (w - SWAR_ONES) | w; /* high bit: byte >= 0x80, or a zero byte */
    if (reject_wildcards) {
        uint64_t y = (w | (SWAR_ONES * 0x08)) ^ (SWAR_ONES * 0x2B);
        m |= (y - SWAR_ONES) & ~y;
    }
    return m & SWAR_HIGH;
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
static inline uint64_t load_short(const uint8_t *s, uint32_t n)
{
    if (n >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, s, 4);
        memcpy(&hi, s + n - 4, 4);
        return lo | (uint64_t)hi << 32;
    }
    return s[0] | (uint64_t)s[n >> 1] << 8 | (uint64_t)s[n - 1] << 16 | (SWAR_ONES * 'a' & ~0xFFFFFFull);
}

/* MQTT_OK, MQTT_ERR_UTF8_INVALID, MQTT_ERR_UTF8_NULL or (reject_wildcards) MQTT_ERR_TOPIC_WILDCARD
 * with the offending byte's index in *bad. */
static inline mqtt_err text_scan(const uint8_t *s, uint32_t len, bool reject_wildcards, uint32_t *bad)
{
    if (len < 8) {
        if (len == 0 || !swar_unusual(load_short(s, len), reject_wildcards))
            return MQTT_OK;
        return text_scan_from(s, len, 0, reject_wildcards, bad);
    }
    uint32_t i = 0;
    for (; len - i > 8; i += 8)
        if (swar_unusual(load_u64(s + i), reject_wildcards))
            return text_scan_from(s, len, i, reject_wildcards, bad);
    /* the last 8 bytes, overlapping what was already seen */
    if (swar_unusual(load_u64(s + len - 8), reject_wildcards))
        return text_scan_from(s, len, i, reject_wildcards, bad);
    return MQTT_OK;
}

#endif
