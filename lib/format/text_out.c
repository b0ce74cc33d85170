#include "text_out.h"

#include <stdarg.h>

#include "base/utf8.h"

void fmt_txt_init(fmt_text_out *t, FILE *file)
{
    t->file = file;
    t->sb = NULL;
    t->len = 0;
}

void fmt_txt_init_strbuf(fmt_text_out *t, base_strbuf *sb)
{
    t->file = NULL;
    t->sb = sb;
    t->len = 0;
}

static void write_out(fmt_text_out *t, const void *s, size_t n)
{
    if (t->sb)
        base_sb_append(t->sb, s, n);
    else
        fwrite(s, 1, n, t->file);
}

void fmt_txt_flush(fmt_text_out *t)
{
    if (t->len)
        write_out(t, t->buf, t->len);
    t->len = 0;
}

void fmt_txt_put_slow(fmt_text_out *t, const void *s, size_t n)
{
    fmt_txt_flush(t);
    if (n >= sizeof t->buf) {
        write_out(t, s, n);
        return;
    }
    memcpy(t->buf, s, n);
    t->len = n;
}

/* Numbers are written in place, two digits per division, and short runs of spaces as one 16-byte
 * store: these run several times per line of a capture listing, where calls to memcpy and memset
 * of a few bytes cost more than the bytes. */
static const char digit_pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                  "8081828384858687888990919293949596979899";
static const char spaces16[] = "                ";
enum { SPACES_STORE = 16 };

static size_t uint_digit_count(uint64_t v)
{
    size_t n = 1;
    for (uint64_t limit = 10; v >= limit; limit *= 10) {
        if (++n == FMT_TXT_UINT_MAX_DIGITS) /* 10^19 is the last power of ten below 2^64 */
            break;
    }
    return n;
}

/* The n digits of v at p (n from uint_digit_count), last digit first. */
static void put_digits(char *p, size_t n, uint64_t v)
{
    char *q = p + n;
    while (v >= 100) {
        const unsigned r = (unsigned)(v % 100);
        v /= 100;
        q -= 2;
        memcpy(q, digit_pairs + 2 * r, 2);
    }
    if (v >= 10) {
        q -= 2;
        memcpy(q, digit_pairs + 2 * v, 2);
    } else {
        *--q = (char)('0' + v);
    }
}

void fmt_txt_format_digits(char *buf, uint64_t v, size_t n)
{
    char *q = buf + n;
    if (v <= UINT32_MAX) { /* fractions of a second: 32-bit divisions are a few instructions fewer */
        uint32_t w = (uint32_t)v;
        for (; n >= 2; n -= 2, w /= 100) {
            q -= 2;
            memcpy(q, digit_pairs + 2 * (w % 100), 2);
        }
        if (n)
            *--q = (char)('0' + w % 10);
        return;
    }
    for (; n >= 2; n -= 2, v /= 100) {
        q -= 2;
        memcpy(q, digit_pairs + 2 * (v % 100), 2);
    }
    if (n)
        *--q = (char)('0' + v % 10);
}

size_t fmt_txt_format_uint(char *buf, uint64_t v)
{
    size_t n = uint_digit_count(v);
    put_digits(buf, n, v);
    return n;
}

void fmt_txt_uint(fmt_text_out *t, uint64_t v)
{
    if (sizeof t->buf - t->len < FMT_TXT_UINT_MAX_DIGITS)
        fmt_txt_flush(t);
    size_t n = uint_digit_count(v);
    put_digits(t->buf + t->len, n, v);
    t->len += n;
}

/* fill spaces at p in 16-byte stores: up to 15 bytes past them are overwritten too, so callers keep
 * fill + SPACES_STORE bytes free. */
static void put_spaces(char *p, size_t fill)
{
    for (size_t i = 0; i < fill; i += SPACES_STORE)
        memcpy(p + i, spaces16, SPACES_STORE);
}

void fmt_txt_pad(fmt_text_out *t, const char *s, size_t n, int width)
{
    size_t w = (size_t)(width < 0 ? -(long)width : width);
    size_t fill = n < w ? w - n : 0;
    if (n + fill + SPACES_STORE > sizeof t->buf - t->len)
        fmt_txt_flush(t);
    if (n + fill + SPACES_STORE > sizeof t->buf) { /* wider than the buffer: piece by piece */
        for (size_t i = 0; width > 0 && i < fill; i++)
            fmt_txt_putc(t, ' ');
        fmt_txt_put(t, s, n);
        for (size_t i = 0; width < 0 && i < fill; i++)
            fmt_txt_putc(t, ' ');
        return;
    }
    char *p = t->buf + t->len;
    if (width > 0) {
        put_spaces(p, fill);
        fmt_txt_copy_short(p + fill, s, n);
    } else {
        fmt_txt_copy_short(p, s, n);
        put_spaces(p + n, fill);
    }
    t->len += n + fill;
}

void fmt_txt_uint_pad(fmt_text_out *t, uint64_t v, int width)
{
    static const uint64_t pow10[] = {1u, 10u, 100u, 1000u, 10000u, 100000u, 1000000u, 10000000u, 100000000u};
    /* right-aligned in a column wide enough (a listing's frame numbers): spaces over the column, then
     * the digits backwards from its end, without counting them first */
    if (width > 0 && (size_t)width < sizeof pow10 / sizeof pow10[0] && v < pow10[width] &&
        (size_t)width + SPACES_STORE <= sizeof t->buf - t->len) {
        char *p = t->buf + t->len;
        put_spaces(p, (size_t)width);
        put_digits(p, (size_t)width, v);
        t->len += (size_t)width;
        return;
    }
    size_t n = uint_digit_count(v);
    size_t w = (size_t)(width < 0 ? -(long)width : width);
    size_t fill = n < w ? w - n : 0;
    if (n + fill + SPACES_STORE > sizeof t->buf - t->len)
        fmt_txt_flush(t);
    if (n + fill + SPACES_STORE > sizeof t->buf) { /* wider than the buffer */
        char buf[FMT_TXT_UINT_MAX_DIGITS];
        put_digits(buf, n, v);
        fmt_txt_pad(t, buf, n, width);
        return;
    }
    char *p = t->buf + t->len;
    if (width > 0) {
        put_spaces(p, fill);
        put_digits(p + fill, n, v);
    } else {
        put_digits(p, n, v);
        put_spaces(p + n, fill);
    }
    t->len += n + fill;
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
    fmt_txt_flush(t); /* longer than the line buffer: straight out */
    va_start(ap, fmt);
    if (t->sb)
        base_sb_vprintf(t->sb, fmt, ap);
    else
        vfprintf(t->file, fmt, ap);
    va_end(ap);
}

void fmt_txt_quoted(fmt_text_out *t, const uint8_t *s, size_t len)
{
    size_t run = base_plain_prefix(s, len);
    if (run == len && len + 2 <= sizeof t->buf - t->len) { /* plain and room: the usual topic, one copy */
        char *p = t->buf + t->len;
        p[0] = '"';
        if (len) /* an empty field's data may be NULL */
            fmt_txt_copy_short(p + 1, (const char *)s, len);
        p[len + 1] = '"';
        t->len += len + 2;
        return;
    }
    fmt_txt_putc(t, '"');
    size_t i = 0;
    for (;;) {
        if (run) { /* plain ASCII, the common case, in one write */
            fmt_txt_put(t, s + i, run);
            i += run;
        }
        if (i >= len)
            break;
        /* s[i] is not plain */
        uint8_t c = s[i];
        uint32_t cp = 0;
        size_t seq = base_utf8_sequence(s + i, len - i, &cp);
        if (c == '"' || c == '\\') {
            fmt_txt_putc(t, '\\');
            fmt_txt_putc(t, (char)c);
            i++;
        } else if (c >= 0x80 && seq && base_codepoint_escaped(cp)) {
            fmt_txt_puts(t, "\\u");
            fmt_txt_hex2(t, (uint8_t)(cp >> 8));
            fmt_txt_hex2(t, (uint8_t)cp);
            i += seq;
        } else if (c >= 0x80 && seq) {
            fmt_txt_put(t, s + i, seq);
            i += seq;
        } else {
            fmt_txt_puts(t, "\\x");
            fmt_txt_hex2(t, c);
            i++;
        }
        run = i < len ? base_plain_prefix(s + i, len - i) : 0;
    }
    fmt_txt_putc(t, '"');
}

void fmt_txt_quoted_capped(fmt_text_out *t, const uint8_t *s, size_t len, size_t max)
{
    fmt_txt_quoted(t, s, len < max ? len : max);
    if (len > max) {
        fmt_txt_puts(t, "...(");
        fmt_txt_uint(t, len);
        fmt_txt_puts(t, " bytes)");
    }
}
