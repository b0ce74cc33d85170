#include "json_write.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "base/hex.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "text_out.h"

void fmt_jw_init(fmt_json_writer *w)
{
    w->buf = NULL;
    w->len = w->cap = 0;
    w->need_comma = false;
    w->spaced = false;
    w->line_break = 0;
}

void fmt_jw_free(fmt_json_writer *w)
{
    free(w->buf);
    fmt_jw_init(w);
}

void fmt_jw_reset(fmt_json_writer *w)
{
    w->len = 0;
    w->need_comma = false;
    w->line_break = 0;
}

int fmt_jw_flush(fmt_json_writer *w, FILE *f)
{
    size_t n = fwrite(w->buf, 1, w->len, f);
    int rc = n == w->len ? 0 : -1;
    fmt_jw_reset(w);
    return rc;
}

static char *reserve(fmt_json_writer *w, size_t n)
{
    if (w->cap - w->len < n) {
        size_t cap = w->cap ? w->cap : 256;
        while (cap - w->len < n)
            cap *= 2;
        w->buf = base_xrealloc(w->buf, cap);
        w->cap = cap;
    }
    return w->buf + w->len;
}

void fmt_jw_reserve(fmt_json_writer *w, size_t n)
{
    reserve(w, n);
}

static void put(fmt_json_writer *w, const char *s, size_t n)
{
    memcpy(reserve(w, n), s, n);
    w->len += n;
}

static void putc_(fmt_json_writer *w, char c)
{
    *reserve(w, 1) = c;
    w->len++;
}

static void new_line(fmt_json_writer *w)
{
    size_t indent = w->line_break - 1;
    char *p = reserve(w, indent + 1);
    p[0] = '\n';
    memset(p + 1, ' ', indent);
    w->len += indent + 1;
    w->line_break = 0;
}

/* Comma before a value or key that follows another at the same level. */
static void separate(fmt_json_writer *w)
{
    if (w->need_comma) {
        putc_(w, ',');
        if (w->spaced && !w->line_break)
            putc_(w, ' ');
    }
    if (w->line_break)
        new_line(w);
    w->need_comma = true;
}

/* separate(), then room for n more bytes at the returned pointer (not yet counted in len). The
 * compact layout, every line of `mqtk pcap --json`, takes one reserve for the comma and the item. */
static char *item(fmt_json_writer *w, size_t n)
{
    if (w->spaced || w->line_break) {
        separate(w);
        return reserve(w, n);
    }
    char *p = reserve(w, n + 1);
    if (w->need_comma) {
        *p++ = ',';
        w->len++;
    }
    w->need_comma = true;
    return p;
}

/* Before a closing bracket: the line break asked for, no comma. */
static void close_level(fmt_json_writer *w, char bracket)
{
    if (w->line_break)
        new_line(w);
    putc_(w, bracket);
    w->need_comma = true;
}

void fmt_jw_break(fmt_json_writer *w, unsigned indent)
{
    w->line_break = indent + 1;
}

void fmt_jw_object_begin_any(fmt_json_writer *w)
{
    *item(w, 1) = '{';
    w->len++;
    w->need_comma = false;
}

void fmt_jw_object_end(fmt_json_writer *w)
{
    close_level(w, '}');
}

void fmt_jw_array_begin(fmt_json_writer *w)
{
    separate(w);
    putc_(w, '[');
    w->need_comma = false;
}

void fmt_jw_array_end(fmt_json_writer *w)
{
    close_level(w, ']');
}

static void string_body(fmt_json_writer *w, const uint8_t *s, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    putc_(w, '"');
    size_t i = 0;
    while (i < n) {
        size_t run = base_plain_prefix(s + i, n - i);
        if (run) { /* plain ASCII, the common case, copied in one go */
            put(w, (const char *)s + i, run);
            i += run;
            continue;
        }
        uint8_t c = s[i];
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            put(w, esc, 2);
            i++;
        } else if (c < 0x20) {
            const char *named = c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : c == '\b' ? "\\b"
                              : c == '\f' ? "\\f" : NULL;
            if (named) {
                put(w, named, 2);
            } else {
                char esc[6] = {'\\', 'u', '0', '0', digits[c >> 4], digits[c & 15]};
                put(w, esc, 6);
            }
            i++;
        } else {
            uint32_t cp = 0;
            size_t seq = base_utf8_sequence(s + i, n - i, &cp);
            if (seq && base_codepoint_escaped(cp)) { /* same text, but a terminal shows it safely */
                char esc[6] = {'\\', 'u', digits[cp >> 12 & 15], digits[cp >> 8 & 15], digits[cp >> 4 & 15],
                               digits[cp & 15]};
                put(w, esc, 6);
                i += seq;
            } else if (seq) {
                put(w, (const char *)s + i, seq);
                i += seq;
            } else {
                put(w, "\xEF\xBF\xBD", 3); /* U+FFFD REPLACEMENT CHARACTER */
                i++;
            }
        }
    }
    putc_(w, '"');
}

void fmt_jw_key_n(fmt_json_writer *w, const char *key, size_t n)
{
    assert(base_plain_prefix((const uint8_t *)key, n) == n); /* a name of ours: nothing to escape */
    char *p = item(w, n + 4);
    p[0] = '"';
    memcpy(p + 1, key, n);
    p[n + 1] = '"';
    p[n + 2] = ':';
    size_t k = n + 3;
    if (w->spaced)
        p[k++] = ' ';
    w->len += k;
    w->need_comma = false;
}

void fmt_jw_key_text(fmt_json_writer *w, const char *key)
{
    separate(w);
    string_body(w, (const uint8_t *)key, strlen(key));
    putc_(w, ':');
    if (w->spaced)
        putc_(w, ' ');
    w->need_comma = false;
}

void fmt_jw_line_end(fmt_json_writer *w)
{
    w->line_break = 0;
    putc_(w, '\n');
    w->need_comma = false;
}

void fmt_jw_string(fmt_json_writer *w, const uint8_t *s, size_t n)
{
    separate(w);
    string_body(w, s, n);
}

/* fmt_jw_name when the inline path does not apply: a spaced layout, a line break, a full buffer. */
void fmt_jw_name_any(fmt_json_writer *w, const char *s, size_t n)
{
    assert(base_plain_prefix((const uint8_t *)s, n) == n);
    char *p = item(w, n + 2);
    p[0] = '"';
    memcpy(p + 1, s, n);
    p[n + 1] = '"';
    w->len += n + 2;
}

void fmt_jw_cstring(fmt_json_writer *w, const char *s)
{
    fmt_jw_string(w, (const uint8_t *)s, strlen(s));
}

void fmt_jw_raw(fmt_json_writer *w, const char *s, size_t n)
{
    put(w, s, n);
    w->need_comma = true;
}

void fmt_jw_uint_any(fmt_json_writer *w, uint64_t v)
{
    char *p = item(w, FMT_TXT_UINT_MAX_DIGITS);
    w->len += fmt_txt_format_uint(p, v);
}

void fmt_jw_int(fmt_json_writer *w, int64_t v)
{
    if (v >= 0) {
        fmt_jw_uint(w, (uint64_t)v);
        return;
    }
    separate(w);
    putc_(w, '-');
    w->need_comma = false; /* the digits follow the sign: no comma between them */
    fmt_jw_uint(w, 0 - (uint64_t)v);
}

void fmt_jw_bool_any(fmt_json_writer *w, bool v)
{
    separate(w);
    if (v)
        put(w, "true", 4);
    else
        put(w, "false", 5);
}

void fmt_jw_null_any(fmt_json_writer *w)
{
    separate(w);
    put(w, "null", 4);
}

/* One reserve for the comma, both quotes, the digits and the NUL base_hex_format ends with. */
void fmt_jw_hex(fmt_json_writer *w, const uint8_t *data, size_t n)
{
    char *p = item(w, 2 * n + 3);
    p[0] = '"';
    base_hex_format(data, n, p + 1);
    p[2 * n + 1] = '"';
    w->len = (size_t)(p + 2 * n + 2 - w->buf);
}
