#include "text_out.h"

#include <stdarg.h>

void fmt_txt_init(fmt_text_out *t, FILE *file)
{
    t->file = file;
    t->len = 0;
}

void fmt_txt_flush(fmt_text_out *t)
{
    if (t->len)
        fwrite(t->buf, 1, t->len, t->file);
    t->len = 0;
}

void fmt_txt_put_slow(fmt_text_out *t, const void *s, size_t n)
{
    fmt_txt_flush(t);
    if (n >= sizeof t->buf) {
        fwrite(s, 1, n, t->file);
        return;
    }
    memcpy(t->buf, s, n);
    t->len = n;
}

size_t fmt_txt_format_uint(char *buf, uint64_t v)
{
    char tmp[FMT_TXT_UINT_MAX_DIGITS];
    size_t n = 0;
    do {
        tmp[sizeof tmp - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    memcpy(buf, tmp + sizeof tmp - n, n);
    return n;
}

void fmt_txt_uint(fmt_text_out *t, uint64_t v)
{
    char buf[FMT_TXT_UINT_MAX_DIGITS];
    fmt_txt_put(t, buf, fmt_txt_format_uint(buf, v));
}

void fmt_txt_pad(fmt_text_out *t, const char *s, size_t n, int width)
{
    size_t w = (size_t)(width < 0 ? -(long)width : width);
    size_t fill = n < w ? w - n : 0;
    if (n + fill > sizeof t->buf - t->len)
        fmt_txt_flush(t);
    if (n + fill > sizeof t->buf) { /* wider than the buffer: piece by piece */
        for (size_t i = 0; width > 0 && i < fill; i++)
            fmt_txt_putc(t, ' ');
        fmt_txt_put(t, s, n);
        for (size_t i = 0; width < 0 && i < fill; i++)
            fmt_txt_putc(t, ' ');
        return;
    }
    char *p = t->buf + t->len;
    memset(p, ' ', fill);
    memcpy(width > 0 ? p + fill : p, s, n);
    if (width < 0)
        memset(p + n, ' ', fill);
    t->len += n + fill;
}

void fmt_txt_uint_pad(fmt_text_out *t, uint64_t v, int width)
{
    char buf[FMT_TXT_UINT_MAX_DIGITS];
    fmt_txt_pad(t, buf, fmt_txt_format_uint(buf, v), width);
}

void fmt_txt_hex2(fmt_text_out *t, uint8_t b)
{
    static const char digits[] = "0123456789abcdef";
    char two[2] = {digits[b >> 4], digits[b & 15]};
    fmt_txt_put(t, two, 2);
}

void fmt_txt_printf(fmt_text_out *t, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof line) {
        fmt_txt_put(t, line, (size_t)n);
        return;
    }
    fmt_txt_flush(t); /* longer than the line buffer: straight to the file */
    va_start(ap, fmt);
    vfprintf(t->file, fmt, ap);
    va_end(ap);
}
