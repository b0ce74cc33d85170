#include "text_out.h"

#include <stdarg.h>

void txt_init(text_out *t, FILE *file)
{
    t->file = file;
    t->len = 0;
}

void txt_flush(text_out *t)
{
    if (t->len)
        fwrite(t->buf, 1, t->len, t->file);
    t->len = 0;
}

void txt_put_slow(text_out *t, const void *s, size_t n)
{
    txt_flush(t);
    if (n >= sizeof t->buf) {
        fwrite(s, 1, n, t->file);
        return;
    }
    memcpy(t->buf, s, n);
    t->len = n;
}

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

void txt_uint(text_out *t, uint64_t v)
{
    char buf[TXT_UINT_MAX_DIGITS];
    txt_put(t, buf, txt_format_uint(buf, v));
}

void txt_pad(text_out *t, const char *s, size_t n, int width)
{
    size_t w = (size_t)(width < 0 ? -(long)width : width);
    size_t fill = n < w ? w - n : 0;
    if (n + fill > sizeof t->buf - t->len)
        txt_flush(t);
    if (n + fill > sizeof t->buf) { /* wider than the buffer: piece by piece */
        for (size_t i = 0; width > 0 && i < fill; i++)
            txt_putc(t, ' ');
        txt_put(t, s, n);
        for (size_t i = 0; width < 0 && i < fill; i++)
            txt_putc(t, ' ');
        return;
    }
    char *p = t->buf + t->len;
    memset(p, ' ', fill);
    memcpy(width > 0 ? p + fill : p, s, n);
    if (width < 0)
        memset(p + n, ' ', fill);
    t->len += n + fill;
}

void txt_uint_pad(text_out *t, uint64_t v, int width)
{
    char buf[TXT_UINT_MAX_DIGITS];
    txt_pad(t, buf, txt_format_uint(buf, v), width);
}

void txt_hex2(text_out *t, uint8_t b)
{
    static const char digits[] = "0123456789abcdef";
    char two[2] = {digits[b >> 4], digits[b & 15]};
    txt_put(t, two, 2);
}

void txt_printf(text_out *t, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof line) {
        txt_put(t, line, (size_t)n);
        return;
    }
    txt_flush(t); /* longer than the line buffer: straight to the file */
    va_start(ap, fmt);
    vfprintf(t->file, fmt, ap);
    va_end(ap);
}
