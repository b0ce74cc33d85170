/* JSON text into a growable buffer. The writer inserts commas and colons itself: call key() before
 * each member value of an object, nothing before array items. Compact by default (JSON Lines, the
 * packet JSON); a report people read sets `spaced` and places its line breaks with fmt_jw_break. */
#ifndef FMT_JSON_WRITE_H
#define FMT_JSON_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "text_out.h"

typedef struct fmt_json_writer {
    char *buf;
    size_t len;
    size_t cap;
    bool need_comma; /* a value was written at this level */
    bool spaced;     /* ", " between items and ": " after keys */
    unsigned line_break; /* 0, or 1 + the indent of a new line that the next item or bracket starts */
} fmt_json_writer;

void fmt_jw_init(fmt_json_writer *w);
void fmt_jw_free(fmt_json_writer *w);
void fmt_jw_reset(fmt_json_writer *w); /* empty the buffer, keep the memory */
/* Room for n more bytes now, so that a writer whose size is known (a buffer flushed at a mark)
 * does not grow through every power of two, each growth a copy. */
void fmt_jw_reserve(fmt_json_writer *w, size_t n);
/* Write the buffer to f and empty it. */
int fmt_jw_flush(fmt_json_writer *w, FILE *f);

void fmt_jw_object_begin_any(fmt_json_writer *w);
void fmt_jw_object_end(fmt_json_writer *w);
void fmt_jw_array_begin(fmt_json_writer *w);
void fmt_jw_array_end(fmt_json_writer *w);
/* Inline even where the compiler would rather not (with LTO it kept an out-of-line copy that called
 * strlen for every key of a --json capture listing: about 150 instructions a packet). */
#if defined(__GNUC__)
#define FMT_JW_INLINE static inline __attribute__((always_inline))
#else
#define FMT_JW_INLINE static inline
#endif

/* The compact layout with room for n more bytes (a comma included): the inline writers below then
 * store their item themselves; otherwise their _any form does the general work. */
FMT_JW_INLINE bool fmt_jw_fast(const fmt_json_writer *w, size_t n)
{
    return !w->spaced && !w->line_break && w->cap - w->len >= n;
}

/* Where the next item goes on the fast path: after its comma, when one is due. */
FMT_JW_INLINE char *fmt_jw_fast_item(fmt_json_writer *w)
{
    char *p = w->buf + w->len;
    if (w->need_comma)
        *p++ = ',';
    return p;
}

FMT_JW_INLINE void fmt_jw_object_begin(fmt_json_writer *w)
{
    if (fmt_jw_fast(w, 2)) {
        char *p = fmt_jw_fast_item(w);
        *p++ = '{';
        w->len = (size_t)(p - w->buf);
        w->need_comma = false;
        return;
    }
    fmt_jw_object_begin_any(w);
}

/* key: one of the program's own names, printable ASCII without '"' or '\\' (written as it is).
 * Inline so that the length of a literal key is known when compiling, and the compact layout with
 * room in the buffer (every key of a packet line) is a few stores. */
void fmt_jw_key_n(fmt_json_writer *w, const char *key, size_t n);
FMT_JW_INLINE void fmt_jw_key(fmt_json_writer *w, const char *key)
{
    size_t n = strlen(key);
    if (fmt_jw_fast(w, n + 4)) {
        char *p = fmt_jw_fast_item(w);
        p[0] = '"';
        memcpy(p + 1, key, n);
        p[n + 1] = '"';
        p[n + 2] = ':';
        w->len = (size_t)(p + n + 3 - w->buf);
        w->need_comma = false;
        return;
    }
    fmt_jw_key_n(w, key, n);
}
/* The next item of this level (or its closing bracket) starts a new line, indented by indent spaces. */
void fmt_jw_break(fmt_json_writer *w, unsigned indent);
/* A key that comes from data (a statement id read from a file): escaped as a string value is. */
void fmt_jw_key_text(fmt_json_writer *w, const char *key);
/* A newline after a top-level value (JSON Lines): the next value starts a new line. */
void fmt_jw_line_end(fmt_json_writer *w);

/* A string value. Bytes that are not well-formed UTF-8 cannot travel in a JSON string: each one is
 * written as U+FFFD, so callers that must keep every byte check with base_utf8_valid() first
 * and write such data as hex instead. Control characters are escaped. */
void fmt_jw_string(fmt_json_writer *w, const uint8_t *s, size_t n);
void fmt_jw_cstring(fmt_json_writer *w, const char *s);
/* A string value known to need no escaping, as fmt_jw_key's keys are (names, numbers, addresses):
 * written without scanning it. */
void fmt_jw_name_any(fmt_json_writer *w, const char *s, size_t n);
FMT_JW_INLINE void fmt_jw_name(fmt_json_writer *w, const char *s, size_t n)
{
    if (fmt_jw_fast(w, n + 3)) {
        char *p = fmt_jw_fast_item(w);
        p[0] = '"';
        memcpy(p + 1, s, n);
        p[n + 1] = '"';
        w->len = (size_t)(p + n + 2 - w->buf);
        w->need_comma = true;
        return;
    }
    fmt_jw_name_any(w, s, n);
}
FMT_JW_INLINE void fmt_jw_cname(fmt_json_writer *w, const char *s)
{
    fmt_jw_name(w, s, strlen(s));
}
/* n bytes this writer produced before, at the same level and with need_comma set (a run of members
 * a caller kept to repeat), appended as they are; what follows is separated from them. */
void fmt_jw_raw(fmt_json_writer *w, const char *s, size_t n);
/* Numbers and literals inline too: a packet line of `mqtk pcap --json` has several, and the call
 * and the general separator cost more than the item. */
void fmt_jw_uint_any(fmt_json_writer *w, uint64_t v);
FMT_JW_INLINE void fmt_jw_uint(fmt_json_writer *w, uint64_t v)
{
    if (fmt_jw_fast(w, 1 + FMT_TXT_UINT_MAX_DIGITS)) {
        char *p = fmt_jw_fast_item(w);
        w->len = (size_t)(p + fmt_txt_format_uint(p, v) - w->buf);
        w->need_comma = true;
        return;
    }
    fmt_jw_uint_any(w, v);
}
void fmt_jw_int(fmt_json_writer *w, int64_t v);
void fmt_jw_bool_any(fmt_json_writer *w, bool v);
FMT_JW_INLINE void fmt_jw_bool(fmt_json_writer *w, bool v)
{
    static const char words[2][8] = {"false", "true"};
    if (fmt_jw_fast(w, 1 + sizeof words[0])) { /* the word in one 8-byte copy */
        char *p = fmt_jw_fast_item(w);
        memcpy(p, words[v], sizeof words[0]);
        w->len = (size_t)(p + (v ? 4 : 5) - w->buf);
        w->need_comma = true;
        return;
    }
    fmt_jw_bool_any(w, v);
}
void fmt_jw_null_any(fmt_json_writer *w);
FMT_JW_INLINE void fmt_jw_null(fmt_json_writer *w)
{
    if (fmt_jw_fast(w, 5)) {
        char *p = fmt_jw_fast_item(w);
        memcpy(p, "null", 4);
        w->len = (size_t)(p + 4 - w->buf);
        w->need_comma = true;
        return;
    }
    fmt_jw_null_any(w);
}
/* A string of lowercase hex digits for n bytes. */
void fmt_jw_hex(fmt_json_writer *w, const uint8_t *data, size_t n);

/* A member in one step, key and value: the same text as fmt_jw_key and the value's writer, with
 * one room check and no comma test for the value (none follows a key). A packet line of `mqtk pcap
 * --json` has a dozen members: about 10 instructions each. The fast path writes the key and
 * returns where the value goes; NULL: the caller takes the general path. */
FMT_JW_INLINE char *fmt_jw_fast_key(fmt_json_writer *w, const char *key, size_t n, size_t value_room)
{
    if (!fmt_jw_fast(w, n + 4 + value_room))
        return NULL;
    char *p = fmt_jw_fast_item(w);
    p[0] = '"';
    memcpy(p + 1, key, n);
    p[n + 1] = '"';
    p[n + 2] = ':';
    return p + n + 3;
}

FMT_JW_INLINE void fmt_jw_key_uint(fmt_json_writer *w, const char *key, uint64_t v)
{
    const size_t n = strlen(key);
    char *p = fmt_jw_fast_key(w, key, n, FMT_TXT_UINT_MAX_DIGITS);
    if (!p) {
        fmt_jw_key_n(w, key, n);
        fmt_jw_uint_any(w, v);
        return;
    }
    w->len = (size_t)(p + fmt_txt_format_uint(p, v) - w->buf);
    w->need_comma = true;
}

/* s: as fmt_jw_name's. */
FMT_JW_INLINE void fmt_jw_key_name(fmt_json_writer *w, const char *key, const char *s, size_t sn)
{
    const size_t n = strlen(key);
    char *p = fmt_jw_fast_key(w, key, n, sn + 2);
    if (!p) {
        fmt_jw_key_n(w, key, n);
        fmt_jw_name_any(w, s, sn);
        return;
    }
    p[0] = '"';
    fmt_txt_copy_short(p + 1, s, sn);
    p[sn + 1] = '"';
    w->len = (size_t)(p + sn + 2 - w->buf);
    w->need_comma = true;
}

FMT_JW_INLINE void fmt_jw_key_cname(fmt_json_writer *w, const char *key, const char *s)
{
    fmt_jw_key_name(w, key, s, strlen(s));
}

FMT_JW_INLINE void fmt_jw_key_bool(fmt_json_writer *w, const char *key, bool v)
{
    static const char words[2][8] = {"false", "true"};
    const size_t n = strlen(key);
    char *p = fmt_jw_fast_key(w, key, n, sizeof words[0]);
    if (!p) {
        fmt_jw_key_n(w, key, n);
        fmt_jw_bool_any(w, v);
        return;
    }
    memcpy(p, words[v], sizeof words[0]);
    w->len = (size_t)(p + (v ? 4 : 5) - w->buf);
    w->need_comma = true;
}

FMT_JW_INLINE void fmt_jw_key_null(fmt_json_writer *w, const char *key)
{
    const size_t n = strlen(key);
    char *p = fmt_jw_fast_key(w, key, n, 4);
    if (!p) {
        fmt_jw_key_n(w, key, n);
        fmt_jw_null_any(w);
        return;
    }
    memcpy(p, "null", 4);
    w->len = (size_t)(p + 4 - w->buf);
    w->need_comma = true;
}

/* A member whose value is an object: the key and the opening brace. */
FMT_JW_INLINE void fmt_jw_key_object_begin(fmt_json_writer *w, const char *key)
{
    const size_t n = strlen(key);
    char *p = fmt_jw_fast_key(w, key, n, 1);
    if (!p) {
        fmt_jw_key_n(w, key, n);
        fmt_jw_object_begin_any(w);
        return;
    }
    *p++ = '{';
    w->len = (size_t)(p - w->buf);
    w->need_comma = false;
}

#endif
