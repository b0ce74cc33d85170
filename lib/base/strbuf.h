/* A growable byte buffer, NUL-terminated for convenience (the bytes may contain NULs). */
#ifndef CF_STRBUF_H
#define CF_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cf_strbuf {
    char *data;
    size_t len;
    size_t cap;
} cf_strbuf;

void cf_sb_append(cf_strbuf *sb, const void *bytes, size_t len);
void cf_sb_puts(cf_strbuf *sb, const char *s);
void cf_sb_putc(cf_strbuf *sb, char c);
void cf_sb_printf(cf_strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cf_sb_vprintf(cf_strbuf *sb, const char *fmt, va_list ap);
/* Bytes as lowercase hex pairs separated by spaces; at most max bytes, then " …(+N)". */
void cf_sb_hex(cf_strbuf *sb, const uint8_t *bytes, size_t len, size_t max);
void cf_sb_reset(cf_strbuf *sb);
void cf_sb_free(cf_strbuf *sb);
/* The contents ("" when empty, never NULL). */
const char *cf_sb_str(const cf_strbuf *sb);

#endif
