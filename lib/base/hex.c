#include "hex.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

int base_hex_digit_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool is_separator(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':';
}

bool base_hex_parse(const char *text, size_t len, uint8_t *out, size_t *out_len, base_hex_error *err)
{
    size_t i = 0, n = 0;
    while (i < len) {
        if (is_separator(text[i])) {
            i++;
            continue;
        }
        size_t group_start = i;
        if (i + 1 < len && text[i] == '0' && (text[i + 1] == 'x' || text[i + 1] == 'X'))
            i += 2;
        size_t digits_start = i;
        while (i < len && !is_separator(text[i])) {
            if (base_hex_digit_value((unsigned char)text[i]) < 0) {
                err->column = i + 1;
                err->message = "not a hex digit";
                return false;
            }
            i++;
        }
        size_t digits = i - digits_start;
        if (digits == 0) {
            err->column = group_start + 1;
            err->message = "\"0x\" without hex digits";
            return false;
        }
        if (digits % 2) {
            err->column = group_start + 1;
            err->message = "odd number of hex digits in a group";
            return false;
        }
        for (size_t k = digits_start; k < i; k += 2)
            out[n++] = (uint8_t)(base_hex_digit_value((unsigned char)text[k]) << 4 |
                                 base_hex_digit_value((unsigned char)text[k + 1]));
    }
    *out_len = n;
    return true;
}

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define HEX_AVX2 1

/* 32 bytes a step on a CPU with AVX2 (checked at run time; the build targets plain x86-64): the
 * nibbles look their digit up with one shuffle, no compare-and-add. The input's quarters are
 * reordered first so that the in-lane interleave yields the digits in order. Lengths that are not a
 * multiple of the step finish with one step over the last bytes, overlapping what was written with
 * the same digits. At least 16 bytes. */
__attribute__((target("avx2"))) static void hex_avx2(const uint8_t *data, size_t n, char *out)
{
    const __m256i low4 = _mm256_set1_epi8(0x0F);
    const __m256i lut = _mm256_setr_epi8('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e',
                                         'f', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd',
                                         'e', 'f');
    if (n < 32) { /* 16 to 31 bytes: the first 16 and the last 16 */
        const __m128i low4x = _mm256_castsi256_si128(low4), lutx = _mm256_castsi256_si128(lut);
        for (size_t at = 0;; at = n - 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(data + at));
            __m128i hi = _mm_shuffle_epi8(lutx, _mm_and_si128(_mm_srli_epi16(v, 4), low4x));
            __m128i lo = _mm_shuffle_epi8(lutx, _mm_and_si128(v, low4x));
            _mm_storeu_si128((__m128i *)(void *)(out + 2 * at), _mm_unpacklo_epi8(hi, lo));
            _mm_storeu_si128((__m128i *)(void *)(out + 2 * at + 16), _mm_unpackhi_epi8(hi, lo));
            if (at == n - 16)
                return;
        }
    }
    for (size_t at = 0;; at = at + 64 <= n ? at + 32 : n - 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(data + at));
        v = _mm256_permute4x64_epi64(v, 0xD8); /* quarters 0, 2 | 1, 3 */
        __m256i hi = _mm256_shuffle_epi8(lut, _mm256_and_si256(_mm256_srli_epi16(v, 4), low4));
        __m256i lo = _mm256_shuffle_epi8(lut, _mm256_and_si256(v, low4));
        _mm256_storeu_si256((__m256i *)(void *)(out + 2 * at), _mm256_unpacklo_epi8(hi, lo));
        _mm256_storeu_si256((__m256i *)(void *)(out + 2 * at + 32), _mm256_unpackhi_epi8(hi, lo));
        if (at == n - 32)
            return;
    }
}
#endif

void base_hex_format(const uint8_t *data, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    size_t i = 0;
#if defined(HEX_AVX2)
    if (n >= 16 && __builtin_cpu_supports("avx2")) {
        hex_avx2(data, n, out);
        out[2 * n] = 0;
        return;
    }
#endif
#if defined(__SSE2__)
    /* 16 bytes at a time: split the nibbles, interleave high and low, then '0' + n, plus 39 more
     * for n > 9 ('a' - '0' - 10) */
    const __m128i low4 = _mm_set1_epi8(0x0F), nine = _mm_set1_epi8(9), zero = _mm_set1_epi8('0');
    const __m128i to_letter = _mm_set1_epi8('a' - '0' - 10);
    for (; n - i >= 16; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(data + i));
        __m128i hi = _mm_and_si128(_mm_srli_epi16(v, 4), low4), lo = _mm_and_si128(v, low4);
        __m128i a = _mm_unpacklo_epi8(hi, lo), b = _mm_unpackhi_epi8(hi, lo);
        a = _mm_add_epi8(_mm_add_epi8(a, zero), _mm_and_si128(_mm_cmpgt_epi8(a, nine), to_letter));
        b = _mm_add_epi8(_mm_add_epi8(b, zero), _mm_and_si128(_mm_cmpgt_epi8(b, nine), to_letter));
        _mm_storeu_si128((__m128i *)(void *)(out + 2 * i), a);
        _mm_storeu_si128((__m128i *)(void *)(out + 2 * i + 16), b);
    }
#endif
    for (; i < n; i++) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 15];
    }
    out[2 * n] = 0;
}
