/* Plain text into a buffer written out to a stdio stream in large pieces, without printf. The
 * packet printers run once per packet of a capture, where printf's parsing of its format string
 * and stdio's per-call work cost more than decoding the packet. */
#ifndef FMT_TEXT_OUT_H
#define FMT_TEXT_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/strbuf.h"

enum { FMT_TXT_UINT_MAX_DIGITS = 20, FMT_TXT_BUF_SIZE = 32 * 1024 };

typedef struct fmt_text_out {
    FILE *file;
    base_strbuf *sb; /* set by fmt_txt_init_strbuf: written out there instead of to file */
    size_t len;
    char buf[FMT_TXT_BUF_SIZE];
} fmt_text_out;

void fmt_txt_init(fmt_text_out *t, FILE *file);
/* The same writer into a growable buffer, so a line has one writer whether it goes to a file or
 * into a message (fmt_txt_flush appends what is buffered to sb). */
void fmt_txt_init_strbuf(fmt_text_out *t, base_strbuf *sb);
/* Write what is buffered to the file (and leave the file's own flushing to its owner). */
void fmt_txt_flush(fmt_text_out *t);

/* The decimal digits of v at buf (room for FMT_TXT_UINT_MAX_DIGITS), not NUL-terminated; returns how
 * many. */
size_t fmt_txt_format_uint(char *buf, uint64_t v);
/* The last n decimal digits of v at buf, with leading zeros (a fraction: "000123"), two a step. */
void fmt_txt_format_digits(char *buf, uint64_t v, size_t n);

void fmt_txt_put_slow(fmt_text_out *t, const void *s, size_t n);

/* Inline even where the compiler would rather not: with LTO it kept out-of-line copies, so a literal's
 * length became a strlen call and a few bytes a memcpy call. */
#if defined(__GNUC__)
#define FMT_TXT_INLINE static inline __attribute__((always_inline))
#else
#define FMT_TXT_INLINE static inline
#endif

/* n bytes from s to p, inline up to 16 as two overlapping word copies (a name, a time: memcpy of a
 * length not known when compiling was a call); reads nothing outside s. */
FMT_TXT_INLINE void fmt_txt_copy_short(char *p, const char *s, size_t n)
{
    if (n >= 8 && n <= 16) {
        uint64_t a, b;
        memcpy(&a, s, 8);
        memcpy(&b, s + n - 8, 8);
        memcpy(p, &a, 8);
        memcpy(p + n - 8, &b, 8);
    } else if (n >= 4 && n < 8) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + n - 4, 4);
        memcpy(p, &a, 4);
        memcpy(p + n - 4, &b, 4);
    } else {
        memcpy(p, s, n);
    }
}

FMT_TXT_INLINE void fmt_txt_put(fmt_text_out *t, const void *s, size_t n)
{
    if (n <= sizeof t->buf - t->len) {
        memcpy(t->buf + t->len, s, n);
        t->len += n;
    } else {
        fmt_txt_put_slow(t, s, n);
    }
}

FMT_TXT_INLINE void fmt_txt_putc(fmt_text_out *t, char c)
{
    if (t->len == sizeof t->buf)
        fmt_txt_flush(t);
    t->buf[t->len++] = c;
}

FMT_TXT_INLINE void fmt_txt_puts(fmt_text_out *t, const char *s)
{
    fmt_txt_put(t, s, strlen(s));
}

void fmt_txt_uint(fmt_text_out *t, uint64_t v);
/* n bytes of s in at least |width| columns, padded with spaces: on the left for width > 0, on the
 * right for width < 0 (printf's %*s and %-*s). */
void fmt_txt_pad(fmt_text_out *t, const char *s, size_t n, int width);
/* v as fmt_txt_pad lays out text (printf's %*llu and %-*llu). */
void fmt_txt_uint_pad(fmt_text_out *t, uint64_t v, int width);
/* Two lower-case hex digits (printf's %02x). */
void fmt_txt_hex2(fmt_text_out *t, uint8_t b);
/* Bytes in double quotes: printable ASCII and well-formed UTF-8 as they are, quotes and
 * backslashes escaped, control characters and ill-formed bytes as \xNN, and the code points that
 * would steer the terminal (C1 controls, bidi overrides: base_codepoint_escaped) as \uXXXX. */
void fmt_txt_quoted(fmt_text_out *t, const uint8_t *s, size_t len);
/* The same, with at most max bytes shown, then "...(N bytes)" when there are more. */
void fmt_txt_quoted_capped(fmt_text_out *t, const uint8_t *s, size_t len, size_t max);
/* printf, for the rare lines where a format string reads better than pieces. */
void fmt_txt_printf(fmt_text_out *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
