#include "text_out.h"

#include <string.h>

size_t txt_format_uint(char *buf, uint64_t v)
{
    char tmp[TXT_UINT_MAX_DIGITS];
    size_t n = 0;
    do {
        tmp[sizeof tmp - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    memcpy(buf, tmp + sizeof tmp - n, n);
    return n;
}

void txt_put(FILE *out, const void *s, size_t n)
{
    fwrite(s, 1, n, out);
}

void txt_puts(FILE *out, const char *s)
{
    fwrite(s, 1, strlen(s), out);
}

void txt_uint(FILE *out, uint64_t v)
{
    char buf[TXT_UINT_MAX_DIGITS];
    fwrite(buf, 1, txt_format_uint(buf, v), out);
}

static void spaces(FILE *out, size_t n)
{
    static const char blank[] = "                                ";
    while (n) {
        size_t k = n < sizeof blank - 1 ? n : sizeof blank - 1;
        fwrite(blank, 1, k, out);
        n -= k;
    }
}

void txt_pad(FILE *out, const char *s, size_t n, int width)
{
    size_t w = (size_t)(width < 0 ? -(long)width : width);
    size_t fill = n < w ? w - n : 0;
    if (width > 0)
        spaces(out, fill);
    fwrite(s, 1, n, out);
    if (width < 0)
        spaces(out, fill);
}

void txt_uint_pad(FILE *out, uint64_t v, int width)
{
    char buf[TXT_UINT_MAX_DIGITS];
    txt_pad(out, buf, txt_format_uint(buf, v), width);
}

void txt_hex2(FILE *out, uint8_t b)
{
    static const char digits[] = "0123456789abcdef";
    char two[2] = {digits[b >> 4], digits[b & 15]};
    fwrite(two, 1, 2, out);
}
