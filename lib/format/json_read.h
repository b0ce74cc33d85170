/* A small, strict JSON parser for one JSON Lines record (RFC 8259 grammar, UTF-8 input).
 *
 * Strict means: no comments, no trailing commas, no leading zeros, no duplicate object keys, no
 * unescaped control characters, no ill-formed UTF-8, no lone surrogate escapes, nothing but
 * whitespace after the value. Errors say what was expected, at which line and column (1-based,
 * columns count bytes). Depends only on libc and utf8.c so fuzz targets can link it alone. */
#ifndef FMT_JSON_READ_H
#define FMT_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FMT_JSON_MAX_DEPTH 64

typedef enum fmt_json_kind {
    FMT_JSON_NULL,
    FMT_JSON_BOOL,
    FMT_JSON_NUMBER,
    FMT_JSON_STRING,
    FMT_JSON_ARRAY,
    FMT_JSON_OBJECT
} fmt_json_kind;

typedef struct fmt_json_value fmt_json_value;

typedef struct fmt_json_member {
    char *key; /* NUL-terminated (a key holding U+0000 compares as its prefix) */
    size_t key_len;
    fmt_json_value *value;
} fmt_json_member;

struct fmt_json_value {
    fmt_json_kind kind;
    uint32_t line, column; /* where the value starts */
    union {
        bool boolean;
        struct {
            bool is_integer; /* no fraction or exponent, and fits in int64 */
            int64_t integer;
        } number;
        struct {
            char *data; /* decoded UTF-8, NUL-terminated; may contain U+0000 (use len) */
            size_t len;
        } string;
        struct {
            fmt_json_value **items;
            size_t count;
        } array;
        struct {
            fmt_json_member *members; /* in input order */
            size_t count;
        } object;
    } u;
};

typedef struct fmt_json_error {
    uint32_t line, column;
    char message[112]; /* "expected ',' or '}'" */
} fmt_json_error;

/* Parse text[0..len) as exactly one JSON value. On success *root is the tree (free it with
 * fmt_json_free) and 0 is returned; on failure -1 with *err filled and *root NULL. */
int fmt_json_parse(const char *text, size_t len, fmt_json_value **root, fmt_json_error *err);
void fmt_json_free(fmt_json_value *v);

/* Member of an object by key; NULL when absent. */
const fmt_json_value *fmt_json_object_get(const fmt_json_value *obj, const char *key);
/* "null", "boolean", "number", "string", "array", "object". */
const char *fmt_json_kind_name(fmt_json_kind k);

#endif
