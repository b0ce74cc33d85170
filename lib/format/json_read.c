#include "json_read.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"

typedef struct parser {
    const uint8_t *s;
    size_t len;
    size_t pos;
    uint32_t line;
    size_t line_start; /* pos of the first byte of the current line */
    int depth;
    fmt_json_error *err;
    bool failed;
} parser;

static uint32_t column_at(const parser *p, size_t pos)
{
    return (uint32_t)(pos - p->line_start + 1);
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void fail_at(parser *p, size_t pos, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = true;
    p->err->line = p->line;
    p->err->column = column_at(p, pos);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err->message, sizeof p->err->message, fmt, ap);
    va_end(ap);
}

/* What stands at pos, for "expected X, found Y" messages. */
static const char *found(const parser *p)
{
    if (p->pos >= p->len)
        return "end of input";
    switch (p->s[p->pos]) {
    case '{': return "'{'";
    case '}': return "'}'";
    case '[': return "'['";
    case ']': return "']'";
    case ',': return "','";
    case ':': return "':'";
    case '"': return "a string";
    default: return "another character";
    }
}

static void skip_ws(parser *p)
{
    while (p->pos < p->len) {
        uint8_t c = p->s[p->pos];
        if (c == '\n') {
            p->pos++;
            p->line++;
            p->line_start = p->pos;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            p->pos++;
        } else {
            break;
        }
    }
}

static void *alloc_or_fail(parser *p, size_t size)
{
    void *m = calloc(1, size ? size : 1);
    if (!m)
        fail_at(p, p->pos, "out of memory");
    return m;
}

static fmt_json_value *new_value(parser *p, fmt_json_kind kind, size_t start)
{
    fmt_json_value *v = alloc_or_fail(p, sizeof *v);
    if (v) {
        v->kind = kind;
        v->line = p->line;
        v->column = column_at(p, start);
    }
    return v;
}

static fmt_json_value *parse_value(parser *p);

static bool match_word(parser *p, const char *word)
{
    size_t n = strlen(word);
    if (p->len - p->pos >= n && memcmp(p->s + p->pos, word, n) == 0) {
        p->pos += n;
        return true;
    }
    return false;
}

static int hex4(parser *p, size_t at, uint32_t *out)
{
    if (p->len - at < 4)
        return -1;
    uint32_t v = 0;
    for (size_t i = 0; i < 4; i++) {
        uint8_t c = p->s[at + i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        v = v << 4 | (uint32_t)d;
    }
    *out = v;
    return 0;
}

/* Decodes the string at p->pos (the opening quote) into a new NUL-terminated buffer. */
static char *parse_string_raw(parser *p, size_t *out_len)
{
    size_t start = p->pos++;
    /* The decoded form is never longer than its source text, up to the closing quote. */
    size_t end = p->pos;
    while (end < p->len && p->s[end] != '"')
        end += p->s[end] == '\\' ? 2 : 1;
    uint8_t *out = alloc_or_fail(p, end - p->pos + 1);
    if (!out)
        return NULL;
    size_t n = 0;
    for (;;) {
        if (p->pos >= p->len) {
            fail_at(p, start, "unterminated string");
            break;
        }
        uint8_t c = p->s[p->pos];
        if (c == '"') {
            p->pos++;
            out[n] = 0;
            *out_len = n;
            return (char *)out;
        }
        if (c < 0x20) {
            fail_at(p, p->pos, "control character U+%04X must be escaped in a string", c);
            break;
        }
        if (c != '\\') {
            size_t seq = base_utf8_sequence(p->s + p->pos, p->len - p->pos, NULL);
            if (!seq) {
                fail_at(p, p->pos, "ill-formed UTF-8 byte 0x%02x in a string", c);
                break;
            }
            memcpy(out + n, p->s + p->pos, seq);
            n += seq;
            p->pos += seq;
            continue;
        }
        size_t esc = p->pos++;
        if (p->pos >= p->len) {
            fail_at(p, esc, "unterminated escape sequence");
            break;
        }
        uint8_t e = p->s[p->pos++];
        const char *simple = strchr("\"\\/bfnrt", e);
        if (simple && e) {
            static const char decoded[] = "\"\\/\b\f\n\r\t";
            out[n++] = (uint8_t)decoded[simple - "\"\\/bfnrt"];
            continue;
        }
        if (e != 'u') {
            fail_at(p, esc, "expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
            break;
        }
        uint32_t cp;
        if (hex4(p, p->pos, &cp)) {
            fail_at(p, esc, "expected four hex digits after \\u");
            break;
        }
        p->pos += 4;
        if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail_at(p, esc, "lone low surrogate \\u%04X", (unsigned)cp);
            break;
        }
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t low;
            if (p->len - p->pos < 6 || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u' ||
                hex4(p, p->pos + 2, &low) || low < 0xDC00 || low > 0xDFFF) {
                fail_at(p, esc, "high surrogate \\u%04X not followed by a low surrogate escape", (unsigned)cp);
                break;
            }
            p->pos += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        n += base_utf8_encode(cp, out + n);
    }
    free(out);
    return NULL;
}

static fmt_json_value *parse_string(parser *p)
{
    fmt_json_value *v = new_value(p, FMT_JSON_STRING, p->pos);
    if (!v)
        return NULL;
    v->u.string.data = parse_string_raw(p, &v->u.string.len);
    if (!v->u.string.data) {
        free(v);
        return NULL;
    }
    return v;
}

static bool is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

static fmt_json_value *parse_number(parser *p)
{
    size_t start = p->pos;
    bool negative = false;
    if (p->s[p->pos] == '-') {
        negative = true;
        p->pos++;
    }
    if (p->pos >= p->len || !is_digit(p->s[p->pos])) {
        fail_at(p, p->pos, "expected a digit");
        return NULL;
    }
    bool fits = true;
    uint64_t magnitude = 0;
    if (p->s[p->pos] == '0') {
        p->pos++;
        if (p->pos < p->len && is_digit(p->s[p->pos])) {
            fail_at(p, start, "numbers must not have leading zeros");
            return NULL;
        }
    } else {
        while (p->pos < p->len && is_digit(p->s[p->pos])) {
            unsigned d = p->s[p->pos++] - '0';
            if (magnitude > (UINT64_MAX - d) / 10)
                fits = false;
            else
                magnitude = magnitude * 10 + d;
        }
    }
    bool integral = true;
    if (p->pos < p->len && p->s[p->pos] == '.') {
        integral = false;
        p->pos++;
        if (p->pos >= p->len || !is_digit(p->s[p->pos])) {
            fail_at(p, p->pos, "expected a digit after '.'");
            return NULL;
        }
        while (p->pos < p->len && is_digit(p->s[p->pos]))
            p->pos++;
    }
    if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
        integral = false;
        p->pos++;
        if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
            p->pos++;
        if (p->pos >= p->len || !is_digit(p->s[p->pos])) {
            fail_at(p, p->pos, "expected a digit in the exponent");
            return NULL;
        }
        while (p->pos < p->len && is_digit(p->s[p->pos]))
            p->pos++;
    }
    fmt_json_value *v = new_value(p, FMT_JSON_NUMBER, start);
    if (!v)
        return NULL;
    uint64_t limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    v->u.number.is_integer = integral && fits && magnitude <= limit;
    if (v->u.number.is_integer)
        v->u.number.integer = negative ? (int64_t)(0 - magnitude) : (int64_t)magnitude;
    return v;
}

static fmt_json_value *parse_array(parser *p)
{
    fmt_json_value *v = new_value(p, FMT_JSON_ARRAY, p->pos);
    if (!v)
        return NULL;
    p->pos++;
    size_t cap = 0;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == ']') {
        p->pos++;
        return v;
    }
    for (;;) {
        fmt_json_value *item = parse_value(p);
        if (!item)
            break;
        if (v->u.array.count == cap) {
            cap = cap ? cap * 2 : 4;
            fmt_json_value **items = realloc(v->u.array.items, cap * sizeof *items);
            if (!items) {
                fmt_json_free(item);
                fail_at(p, p->pos, "out of memory");
                break;
            }
            v->u.array.items = items;
        }
        v->u.array.items[v->u.array.count++] = item;
        skip_ws(p);
        if (p->pos < p->len && p->s[p->pos] == ',') {
            p->pos++;
            continue;
        }
        if (p->pos < p->len && p->s[p->pos] == ']') {
            p->pos++;
            return v;
        }
        fail_at(p, p->pos, "expected ',' or ']' after an array item, found %s", found(p));
        break;
    }
    fmt_json_free(v);
    return NULL;
}

static bool duplicate_key(const fmt_json_value *obj, const char *key, size_t len)
{
    for (size_t i = 0; i < obj->u.object.count; i++)
        if (obj->u.object.members[i].key_len == len && memcmp(obj->u.object.members[i].key, key, len) == 0)
            return true;
    return false;
}

static fmt_json_value *parse_object(parser *p)
{
    fmt_json_value *v = new_value(p, FMT_JSON_OBJECT, p->pos);
    if (!v)
        return NULL;
    p->pos++;
    size_t cap = 0;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == '}') {
        p->pos++;
        return v;
    }
    for (;;) {
        skip_ws(p);
        if (p->pos >= p->len || p->s[p->pos] != '"') {
            fail_at(p, p->pos, "expected a string key, found %s", found(p));
            break;
        }
        size_t key_pos = p->pos;
        size_t key_len;
        char *key = parse_string_raw(p, &key_len);
        if (!key)
            break;
        if (duplicate_key(v, key, key_len)) {
            fail_at(p, key_pos, "duplicate key \"%.40s\"", key);
            free(key);
            break;
        }
        skip_ws(p);
        if (p->pos >= p->len || p->s[p->pos] != ':') {
            fail_at(p, p->pos, "expected ':' after a key, found %s", found(p));
            free(key);
            break;
        }
        p->pos++;
        fmt_json_value *item = parse_value(p);
        if (!item) {
            free(key);
            break;
        }
        if (v->u.object.count == cap) {
            cap = cap ? cap * 2 : 8;
            fmt_json_member *members = realloc(v->u.object.members, cap * sizeof *members);
            if (!members) {
                free(key);
                fmt_json_free(item);
                fail_at(p, p->pos, "out of memory");
                break;
            }
            v->u.object.members = members;
        }
        v->u.object.members[v->u.object.count++] = (fmt_json_member){key, key_len, item};
        skip_ws(p);
        if (p->pos < p->len && p->s[p->pos] == ',') {
            p->pos++;
            continue;
        }
        if (p->pos < p->len && p->s[p->pos] == '}') {
            p->pos++;
            return v;
        }
        fail_at(p, p->pos, "expected ',' or '}' after an object member, found %s", found(p));
        break;
    }
    fmt_json_free(v);
    return NULL;
}

static fmt_json_value *parse_value(parser *p)
{
    skip_ws(p);
    if (p->pos >= p->len) {
        fail_at(p, p->pos, "expected a value, found end of input");
        return NULL;
    }
    size_t start = p->pos;
    uint8_t c = p->s[p->pos];
    if (c == '{' || c == '[') {
        if (p->depth >= FMT_JSON_MAX_DEPTH) {
            fail_at(p, start, "nesting deeper than %d levels", FMT_JSON_MAX_DEPTH);
            return NULL;
        }
        p->depth++;
        fmt_json_value *v = c == '{' ? parse_object(p) : parse_array(p);
        p->depth--;
        return v;
    }
    if (c == '"')
        return parse_string(p);
    if (c == '-' || is_digit(c))
        return parse_number(p);
    fmt_json_value *v = NULL;
    if (match_word(p, "true") || match_word(p, "false")) {
        v = new_value(p, FMT_JSON_BOOL, start);
        if (v)
            v->u.boolean = p->s[start] == 't';
    } else if (match_word(p, "null")) {
        v = new_value(p, FMT_JSON_NULL, start);
    } else {
        fail_at(p, start, "expected a value (object, array, string, number, true, false or null), found %s",
                found(p));
    }
    return v;
}

int fmt_json_parse(const char *text, size_t len, fmt_json_value **root, fmt_json_error *err)
{
    parser p = {(const uint8_t *)text, len, 0, 1, 0, 0, err, false};
    *root = NULL;
    fmt_json_value *v = parse_value(&p);
    if (v) {
        skip_ws(&p);
        if (p.pos < p.len) {
            fail_at(&p, p.pos, "expected end of record after the value, found %s", found(&p));
            fmt_json_free(v);
            return -1;
        }
        *root = v;
        return 0;
    }
    if (!p.failed)
        fail_at(&p, p.pos, "out of memory");
    return -1;
}

void fmt_json_free(fmt_json_value *v)
{
    if (!v)
        return;
    switch (v->kind) {
    case FMT_JSON_STRING:
        free(v->u.string.data);
        break;
    case FMT_JSON_ARRAY:
        for (size_t i = 0; i < v->u.array.count; i++)
            fmt_json_free(v->u.array.items[i]);
        free(v->u.array.items);
        break;
    case FMT_JSON_OBJECT:
        for (size_t i = 0; i < v->u.object.count; i++) {
            free(v->u.object.members[i].key);
            fmt_json_free(v->u.object.members[i].value);
        }
        free(v->u.object.members);
        break;
    default:
        break;
    }
    free(v);
}

const fmt_json_value *fmt_json_object_get(const fmt_json_value *obj, const char *key)
{
    size_t len = strlen(key);
    for (size_t i = 0; i < obj->u.object.count; i++)
        if (obj->u.object.members[i].key_len == len && memcmp(obj->u.object.members[i].key, key, len) == 0)
            return obj->u.object.members[i].value;
    return NULL;
}

const char *fmt_json_kind_name(fmt_json_kind k)
{
    static const char *const names[] = {"null", "boolean", "number", "string", "array", "object"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "value";
}
