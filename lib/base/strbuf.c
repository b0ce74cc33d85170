#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reserve(base_strbuf *sb, size_t extra)
{
    if (sb->len + extra + 1 <= sb->cap)
        return;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < sb->len + extra + 1)
        cap *= 2;
    char *p = realloc(sb->data, cap);
    if (!p) {
        fprintf(stderr, "mqtk: out of memory\n");
        abort();
    }
    sb->data = p;
    sb->cap = cap;
}

void base_sb_append(base_strbuf *sb, const void *bytes, size_t len)
{
    reserve(sb, len);
    if (len)
        memcpy(sb->data + sb->len, bytes, len);
    sb->len += len;
    sb->data[sb->len] = '\0';
}

void base_sb_puts(base_strbuf *sb, const char *s)
{
    base_sb_append(sb, s, strlen(s));
}

void base_sb_putc(base_strbuf *sb, char c)
{
    base_sb_append(sb, &c, 1);
}

void base_sb_vprintf(base_strbuf *sb, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n <= 0)
        return;
    reserve(sb, (size_t)n);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void base_sb_printf(base_strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    base_sb_vprintf(sb, fmt, ap);
    va_end(ap);
}

void base_sb_hex(base_strbuf *sb, const uint8_t *bytes, size_t len, size_t max)
{
    static const char digits[] = "0123456789abcdef";
    size_t shown = len < max ? len : max;
    for (size_t i = 0; i < shown; i++) {
        char pair[3] = {digits[bytes[i] >> 4], digits[bytes[i] & 15], ' '};
        base_sb_append(sb, pair, i + 1 < shown ? 3 : 2);
    }
    if (shown < len)
        base_sb_printf(sb, " ...(+%zu bytes)", len - shown);
}

void base_sb_reset(base_strbuf *sb)
{
    sb->len = 0;
    if (sb->data)
        sb->data[0] = '\0';
}

void base_sb_free(base_strbuf *sb)
{
    free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
}

const char *base_sb_str(const base_strbuf *sb)
{
    return sb->data ? sb->data : "";
}
