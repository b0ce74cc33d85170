#include "utf8.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

size_t base_utf8_sequence(const uint8_t *s, size_t n, uint32_t *cp)
{
    uint8_t c = s[0];
    size_t len;
    uint32_t value, min;
    if (c < 0x80) {
        len = 1, value = c, min = 0;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2, value = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, value = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, value = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        value = value << 6 | (s[i] & 0x3F);
    }
    if (value < min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        return 0;
    if (cp)
        *cp = value;
    return len;
}

/* Bit i set when s[i] is not plain (0x20..0x7E, not '"' or '\\'), for 16 bytes; ascii_only: bit i
 * set when s[i] >= 0x80. SSE2 where the target has it (every x86-64), else 8-byte words. */
#if defined(__SSE2__)
static unsigned not_plain16(const uint8_t *s)
{
    const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
    /* signed compares: bytes >= 0x80 are negative, so "> 0x1F" also rules them out */
    __m128i ok = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(0x1F)), _mm_cmplt_epi8(v, _mm_set1_epi8(0x7F)));
    __m128i special = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
    return (unsigned)_mm_movemask_epi8(_mm_andnot_si128(special, ok)) ^ 0xFFFFu;
}

static unsigned non_ascii16(const uint8_t *s)
{
    return (unsigned)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)s));
}
#endif

/* 1 for the bytes base_plain_prefix takes: a table, since most strings are shorter than 16 bytes */
#define PLAIN16 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
static const uint8_t plain_byte[256] = {
    [0x20] = 1, 1, 0 /* '"' */, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    [0x30] = PLAIN16, PLAIN16, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0 /* '\\' */, 1, 1, 1, PLAIN16,
    [0x70] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0 /* DEL */,
};

size_t base_plain_prefix(const uint8_t *s, size_t n)
{
    size_t i = 0;
#if defined(__SSE2__)
    for (; n - i >= 16; i += 16) {
        unsigned stop = not_plain16(s + i);
        if (stop)
            return i + (size_t)__builtin_ctz(stop);
    }
#endif
    while (i < n && plain_byte[s[i]])
        i++;
    return i;
}

bool base_utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
#if defined(__SSE2__)
        if (n - i >= 16 && !non_ascii16(s + i)) { /* ASCII, 16 bytes at a time */
            i += 16;
            continue;
        }
#endif
        size_t seq = base_utf8_sequence(s + i, n - i, NULL);
        if (!seq)
            return false;
        i += seq;
    }
    return true;
}

size_t base_utf8_encode(uint32_t cp, uint8_t out[4])
{
    if (cp < 0x80) {
        out[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (uint8_t)(0xC0 | cp >> 6);
        out[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (uint8_t)(0xE0 | cp >> 12);
        out[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (uint8_t)(0xF0 | cp >> 18);
    out[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}

bool base_codepoint_escaped(uint32_t cp)
{
    return (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
           (cp >= 0x2066 && cp <= 0x2069);
}
