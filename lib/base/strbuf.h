/* A growable byte buffer, NUL-terminated for convenience (the bytes may contain NULs). */
#ifndef BASE_STRBUF_H
#define BASE_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct base_strbuf {
    char *data;
    size_t len;
    size_t cap;
} base_strbuf;

void base_sb_append(base_strbuf *sb, const void *bytes, size_t len);
void base_sb_puts(base_strbuf *sb, const char *s);
void base_sb_putc(base_strbuf *sb, char c);
void base_sb_printf(base_strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void base_sb_vprintf(base_strbuf *sb, const char *fmt, va_list ap);
/* Bytes as lowercase hex pairs separated by spaces; at most max bytes, then " …(+N)". */
void base_sb_hex(base_strbuf *sb, const uint8_t *bytes, size_t len, size_t max);
void base_sb_reset(base_strbuf *sb);
void base_sb_free(base_strbuf *sb);
/* The contents ("" when empty, never NULL). */
const char *base_sb_str(const base_strbuf *sb);

#endif
