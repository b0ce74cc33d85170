/* JSON text into a growable buffer. The writer inserts commas and colons itself: call key() before
 * each member value of an object, nothing before array items. Compact by default (JSON Lines, the
 * packet JSON); a report people read sets `spaced` and places its line breaks with jw_break. */
#ifndef MQTK_JSON_WRITE_H
#define MQTK_JSON_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>


typedef struct json_writer {
    char *buf;
    size_t len;
    size_t cap;
    bool need_comma; /* a value was written at this level */
    bool spaced;     /* ", " between items and ": " after keys */
    unsigned line_break; /* 0, or 1 + the indent of a new line that the next item or bracket starts */
} json_writer;

void jw_init(json_writer *w);
void jw_free(json_writer *w);
void jw_reset(json_writer *w); /* empty the buffer, keep the memory */
/* Write the buffer to f and empty it. */
int jw_flush(json_writer *w, FILE *f);

void jw_object_begin(json_writer *w);
void jw_object_end(json_writer *w);
void jw_array_begin(json_writer *w);
void jw_array_end(json_writer *w);
/* key: one of the program's own names, printable ASCII without '"' or '\\' (written as it is).
 * Inline so that the length of a literal key is known when compiling, and the compact layout with
 * room in the buffer (every key of a packet line) is a few stores. */
void jw_key_n(json_writer *w, const char *key, size_t n);
static inline void jw_key(json_writer *w, const char *key)
{
    size_t n = strlen(key);
    if (!w->spaced && !w->line_break && w->cap - w->len >= n + 4) { /* compact, room: written here */
        char *p = w->buf + w->len;
        if (w->need_comma)
            *p++ = ',';
        p[0] = '"';
        memcpy(p + 1, key, n);
        p[n + 1] = '"';
        p[n + 2] = ':';
        w->len = (size_t)(p + n + 3 - w->buf);
        w->need_comma = false;
        return;
    }
    jw_key_n(w, key, n);
}
/* The next item of this level (or its closing bracket) starts a new line, indented by indent spaces. */
void jw_break(json_writer *w, unsigned indent);
/* A key that comes from data (a statement id read from a file): escaped as a string value is. */
void jw_key_text(json_writer *w, const char *key);
/* A newline after a top-level value (JSON Lines): the next value starts a new line. */
void jw_line_end(json_writer *w);

/* A string value. Bytes that are not well-formed UTF-8 cannot travel in a JSON string: each one is
 * written as U+FFFD, so callers that must keep every byte check with mqtk_utf8_valid() first
 * and write such data as hex instead. Control characters are escaped. */
void jw_string(json_writer *w, const uint8_t *s, size_t n);
void jw_cstring(json_writer *w, const char *s);
/* A string value known to need no escaping, as jw_key's keys are (names, numbers, addresses):
 * written without scanning it. */
void jw_name_any(json_writer *w, const char *s, size_t n);
static inline void jw_name(json_writer *w, const char *s, size_t n)
{
    if (!w->spaced && !w->line_break && w->cap - w->len >= n + 3) { /* as jw_key: compact, room */
        char *p = w->buf + w->len;
        if (w->need_comma)
            *p++ = ',';
        p[0] = '"';
        memcpy(p + 1, s, n);
        p[n + 1] = '"';
        w->len = (size_t)(p + n + 2 - w->buf);
        w->need_comma = true;
        return;
    }
    jw_name_any(w, s, n);
}
static inline void jw_cname(json_writer *w, const char *s)
{
    jw_name(w, s, strlen(s));
}
void jw_uint(json_writer *w, uint64_t v);
void jw_int(json_writer *w, int64_t v);
void jw_bool(json_writer *w, bool v);
void jw_null(json_writer *w);
/* A string of lowercase hex digits for n bytes. */
void jw_hex(json_writer *w, const uint8_t *data, size_t n);

#endif
