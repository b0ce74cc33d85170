/* JSON record -> mqtt_packet. Which keys a record may hold is table-driven (per packet type, with
 * the fields that exist only in 5.0 marked); derived keys (offset, length, names) are accepted and
 * ignored. Missing fields take their zero value: false, 0, empty, null. */
#include "packet_json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hex.h"
#include "protocol_arg.h"
#include "base/xalloc.h"

typedef struct ctx {
    mqtt_version version;
    fmt_packet_store *store;
    fmt_packet_json_error *err;
} ctx;

typedef struct field_rule {
    const char *key;
    bool v5_only;
} field_rule;

#define RULES(...) (const field_rule[]){__VA_ARGS__}, sizeof((const field_rule[]){__VA_ARGS__}) / sizeof(field_rule)

typedef struct type_schema {
    const field_rule *fields;
    size_t count;
} type_schema;

/* Keys every record may have besides its type's own. */
static const field_rule record_keys[] = {{"type", false}, {"version", false}, {"offset", false}, {"length", false}};

static const type_schema type_schemas[16] = {
    [MQTT_CONNECT] = {RULES({"protocol_name", false}, {"protocol_level", false}, {"clean_start", false},
                            {"keep_alive", false}, {"properties", true}, {"client_id", false}, {"will", false},
                            {"username", false}, {"password", false})},
    [MQTT_CONNACK] = {RULES({"session_present", false}, {"reason_code", false}, {"properties", true})},
    [MQTT_PUBLISH] = {RULES({"dup", false}, {"qos", false}, {"retain", false}, {"topic", false},
                            {"packet_id", false}, {"properties", true}, {"payload", false})},
    [MQTT_PUBACK] = {RULES({"packet_id", false}, {"reason_code", true}, {"properties", true}, {"tail", true})},
    [MQTT_PUBREC] = {RULES({"packet_id", false}, {"reason_code", true}, {"properties", true}, {"tail", true})},
    [MQTT_PUBREL] = {RULES({"packet_id", false}, {"reason_code", true}, {"properties", true}, {"tail", true})},
    [MQTT_PUBCOMP] = {RULES({"packet_id", false}, {"reason_code", true}, {"properties", true}, {"tail", true})},
    [MQTT_SUBSCRIBE] = {RULES({"packet_id", false}, {"properties", true}, {"subscriptions", false})},
    [MQTT_SUBACK] = {RULES({"packet_id", false}, {"properties", true}, {"reason_codes", false})},
    [MQTT_UNSUBSCRIBE] = {RULES({"packet_id", false}, {"properties", true}, {"filters", false})},
    [MQTT_UNSUBACK] = {RULES({"packet_id", false}, {"properties", true}, {"reason_codes", true})},
    [MQTT_PINGREQ] = {NULL, 0},
    [MQTT_PINGRESP] = {NULL, 0},
    [MQTT_DISCONNECT] = {RULES({"reason_code", true}, {"properties", true}, {"tail", true})},
    [MQTT_AUTH] = {RULES({"reason_code", true}, {"properties", true}, {"tail", true})},
};

static const field_rule will_keys[] = {
    {"qos", false}, {"retain", false}, {"properties", true}, {"topic", false}, {"payload", false}};
static const field_rule subscription_keys[] = {{"filter", false},
                                               {"qos", false},
                                               {"no_local", true},
                                               {"retain_as_published", true},
                                               {"retain_handling", true}};
static const field_rule data_keys[] = {{"hex", false}, {"text", false}};
static const field_rule reason_keys[] = {{"code", false}, {"name", false}};
static const field_rule property_keys[] = {{"name", false}, {"id", false}, {"key", false}, {"value", false}};

void fmt_packet_store_free(fmt_packet_store *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->blocks[i]);
    free(s->blocks);
    s->blocks = NULL;
    s->count = s->cap = 0;
}

static void *store_alloc(ctx *c, size_t size)
{
    fmt_packet_store *s = c->store;
    if (s->count == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->blocks = base_xrealloc(s->blocks, s->cap * sizeof *s->blocks);
    }
    void *m = base_xmalloc(size);
    s->blocks[s->count++] = m;
    return m;
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
fail(ctx *c, const fmt_json_value *at, const char *fmt, ...)
{
    c->err->line = at->line;
    c->err->column = at->column;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err->message, sizeof c->err->message, fmt, ap);
    va_end(ap);
    return -1;
}

static int expect_kind(ctx *c, const fmt_json_value *v, fmt_json_kind kind, const char *key)
{
    if (v->kind == kind)
        return 0;
    return fail(c, v, "field \"%s\": expected %s %s, found %s", key, kind == FMT_JSON_OBJECT ? "an" : "a",
                fmt_json_kind_name(kind), fmt_json_kind_name(v->kind));
}

/* JSON strings may hold U+0000: names are compared by length and bytes, never as C strings, so
 * "PINGREQ\u0000garbage" is not PINGREQ. */
static bool string_is(const fmt_json_value *v, const char *name)
{
    return strlen(name) == v->u.string.len && memcmp(name, v->u.string.data, v->u.string.len) == 0;
}

static bool holds_nul(const fmt_json_value *v)
{
    return memchr(v->u.string.data, '\0', v->u.string.len) != NULL;
}

/* A string value for an error message: at most ~40 bytes, NUL and control characters as \xNN so the
 * message shows what was really given ("PINGREQ\x00garbage", not "PINGREQ"). */
static const char *shown(const fmt_json_value *v, char out[200])
{
    size_t o = 0;
    for (size_t i = 0; i < v->u.string.len && o < 160; i++) {
        unsigned char ch = (unsigned char)v->u.string.data[i];
        if (ch < 0x20 || ch == 0x7f)
            o += (size_t)snprintf(out + o, 200 - o, "\\x%02x", ch);
        else
            out[o++] = (char)ch;
    }
    out[o] = '\0';
    return out;
}

static const field_rule *find_rule(const field_rule *rules, size_t n, const char *key, size_t key_len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(rules[i].key) == key_len && memcmp(rules[i].key, key, key_len) == 0)
            return &rules[i];
    return NULL;
}

/* Every key of obj must be in rules (or in extra), and a 5.0-only key needs version 5.0. */
static int check_keys(ctx *c, const fmt_json_value *obj, const field_rule *rules, size_t n, const field_rule *extra,
                      size_t extra_n, const char *where)
{
    for (size_t i = 0; i < obj->u.object.count; i++) {
        const fmt_json_member *m = &obj->u.object.members[i];
        const field_rule *r = find_rule(rules, n, m->key, m->key_len);
        if (!r && extra)
            r = find_rule(extra, extra_n, m->key, m->key_len);
        if (!r)
            return fail(c, m->value, "unknown field \"%.40s\" in %s", m->key, where);
        if (r->v5_only && c->version != MQTT_V5)
            return fail(c, m->value, "field \"%s\" of %s exists only in MQTT 5.0, not in %s", r->key, where,
                        mqtt_version_name(c->version));
    }
    return 0;
}

static int get_uint(ctx *c, const fmt_json_value *obj, const char *key, uint32_t max, uint32_t *out)
{
    const fmt_json_value *v = fmt_json_object_get(obj, key);
    *out = 0;
    if (!v)
        return 0;
    if (v->kind != FMT_JSON_NUMBER || !v->u.number.is_integer)
        return fail(c, v, "field \"%s\": expected an integer, found %s", key,
                    v->kind == FMT_JSON_NUMBER ? "a fraction or an out-of-range number" : fmt_json_kind_name(v->kind));
    if (v->u.number.integer < 0 || (uint64_t)v->u.number.integer > max)
        return fail(c, v, "field \"%s\": %lld is outside 0..%lu", key, (long long)v->u.number.integer,
                    (unsigned long)max);
    *out = (uint32_t)v->u.number.integer;
    return 0;
}

static int get_u8(ctx *c, const fmt_json_value *obj, const char *key, uint8_t *out)
{
    uint32_t v;
    int rc = get_uint(c, obj, key, UINT8_MAX, &v);
    *out = (uint8_t)v;
    return rc;
}

static int get_u16(ctx *c, const fmt_json_value *obj, const char *key, uint16_t *out)
{
    uint32_t v;
    int rc = get_uint(c, obj, key, UINT16_MAX, &v);
    *out = (uint16_t)v;
    return rc;
}

static int get_bool(ctx *c, const fmt_json_value *obj, const char *key, bool *out)
{
    const fmt_json_value *v = fmt_json_object_get(obj, key);
    *out = false;
    if (!v)
        return 0;
    if (expect_kind(c, v, FMT_JSON_BOOL, key))
        return -1;
    *out = v->u.boolean;
    return 0;
}

/* Strict hex: digit pairs only, as decode --json writes them. */
static int decode_hex(ctx *c, const fmt_json_value *v, const char *key, mqtt_bytes *out)
{
    size_t n = v->u.string.len;
    const char *s = v->u.string.data;
    if (n % 2)
        return fail(c, v, "field \"%s\": odd number of hex digits", key);
    uint8_t *buf = store_alloc(c, n / 2);
    for (size_t i = 0; i < n; i += 2) {
        int hi = base_hex_digit_value((unsigned char)s[i]), lo = base_hex_digit_value((unsigned char)s[i + 1]);
        if (hi < 0 || lo < 0)
            return fail(c, v, "field \"%s\": not a hex digit at character %zu", key, hi < 0 ? i + 1 : i + 2);
        buf[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    out->data = buf;
    out->len = (uint32_t)(n / 2);
    return 0;
}

static int check_length(ctx *c, const fmt_json_value *v, const char *key, size_t len)
{
    if (len > UINT32_MAX)
        return fail(c, v, "field \"%s\": longer than 4 GiB", key);
    return 0;
}

/* {"hex": …, "text": …}: either one; when both are given they must be the same bytes. */
static int data_value(ctx *c, const fmt_json_value *v, const char *key, mqtt_bytes *out)
{
    if (expect_kind(c, v, FMT_JSON_OBJECT, key) || check_keys(c, v, data_keys, 2, NULL, 0, key))
        return -1;
    const fmt_json_value *hex = fmt_json_object_get(v, "hex"), *text = fmt_json_object_get(v, "text");
    if (hex && (expect_kind(c, hex, FMT_JSON_STRING, "hex") || decode_hex(c, hex, key, out)))
        return -1;
    if (text) {
        if (expect_kind(c, text, FMT_JSON_STRING, "text") || check_length(c, text, key, text->u.string.len))
            return -1;
        mqtt_bytes t = {(const uint8_t *)text->u.string.data, (uint32_t)text->u.string.len};
        if (hex && (t.len != out->len || memcmp(t.data, out->data, t.len) != 0))
            return fail(c, v, "field \"%s\": \"hex\" and \"text\" hold different bytes", key);
        *out = t;
    }
    if (!hex && !text)
        return fail(c, v, "field \"%s\": expected \"hex\" or \"text\"", key);
    return 0;
}

/* A UTF-8 string field: a JSON string, or {"hex": …} for bytes that are not UTF-8. */
static int text_value(ctx *c, const fmt_json_value *v, const char *key, mqtt_bytes *out)
{
    if (v->kind == FMT_JSON_STRING) {
        if (check_length(c, v, key, v->u.string.len))
            return -1;
        out->data = (const uint8_t *)v->u.string.data;
        out->len = (uint32_t)v->u.string.len;
        return 0;
    }
    if (v->kind == FMT_JSON_OBJECT) {
        const fmt_json_value *hex = fmt_json_object_get(v, "hex");
        if (check_keys(c, v, data_keys, 1, NULL, 0, key))
            return -1;
        if (!hex)
            return fail(c, v, "field \"%s\": expected \"hex\"", key);
        if (expect_kind(c, hex, FMT_JSON_STRING, "hex"))
            return -1;
        return decode_hex(c, hex, key, out);
    }
    return fail(c, v, "field \"%s\": expected a string, found %s", key, fmt_json_kind_name(v->kind));
}

static int get_text(ctx *c, const fmt_json_value *obj, const char *key, mqtt_bytes *out)
{
    const fmt_json_value *v = fmt_json_object_get(obj, key);
    *out = (mqtt_bytes){(const uint8_t *)"", 0};
    return v ? text_value(c, v, key, out) : 0;
}

static int get_data(ctx *c, const fmt_json_value *obj, const char *key, mqtt_bytes *out)
{
    const fmt_json_value *v = fmt_json_object_get(obj, key);
    *out = (mqtt_bytes){(const uint8_t *)"", 0};
    return v ? data_value(c, v, key, out) : 0;
}

/* {"code": N, "name": …}: the code wins; a name alone is looked up for this packet type. */
static int reason_value(ctx *c, const fmt_json_value *v, mqtt_packet_type type, const char *key, uint8_t *out)
{
    if (expect_kind(c, v, FMT_JSON_OBJECT, key) || check_keys(c, v, reason_keys, 2, NULL, 0, key))
        return -1;
    const fmt_json_value *code = fmt_json_object_get(v, "code"), *name = fmt_json_object_get(v, "name");
    if (code)
        return get_u8(c, v, "code", out);
    if (!name || name->kind == FMT_JSON_NULL)
        return fail(c, v, "field \"%s\": expected \"code\"", key);
    if (expect_kind(c, name, FMT_JSON_STRING, "name"))
        return -1;
    for (unsigned i = 0; i < 256; i++) {
        const char *known = mqtt_reason_name(c->version, type, (uint8_t)i);
        if (known && string_is(name, known)) {
            *out = (uint8_t)i;
            return 0;
        }
    }
    char buf[200];
    return fail(c, name, "field \"%s\": \"%.40s\" is not a reason code name of %s in %s", key, shown(name, buf),
                mqtt_packet_type_name(type), mqtt_version_name(c->version));
}

static int get_reason(ctx *c, const fmt_json_value *obj, mqtt_packet_type type, uint8_t *out)
{
    const fmt_json_value *v = fmt_json_object_get(obj, "reason_code");
    *out = 0;
    return v ? reason_value(c, v, type, "reason_code", out) : 0;
}

/* "tail": how much of the optional 5.0 tail to write; absent means the shortest form. */
static int get_tail(ctx *c, const fmt_json_value *obj, mqtt_tail *out)
{
    const fmt_json_value *v = fmt_json_object_get(obj, "tail");
    *out = MQTT_TAIL_SHORTEST;
    if (!v)
        return 0;
    if (expect_kind(c, v, FMT_JSON_STRING, "tail"))
        return -1;
    for (unsigned i = 0; i < sizeof fmt_packet_json_tail_names / sizeof *fmt_packet_json_tail_names; i++) {
        const char *name = fmt_packet_json_tail_names[i];
        if (strlen(name) == v->u.string.len && memcmp(name, v->u.string.data, v->u.string.len) == 0) {
            *out = (mqtt_tail)i;
            return 0;
        }
    }
    char buf[200];
    return fail(c, v, "field \"tail\": \"%.40s\" is not \"shortest\", \"reason_code\" or \"properties\"",
                shown(v, buf));
}

static const uint32_t prop_type_max[] = {
    [MQTT_PTYPE_BYTE] = UINT8_MAX,
    [MQTT_PTYPE_U16] = UINT16_MAX,
    [MQTT_PTYPE_U32] = UINT32_MAX,
    [MQTT_PTYPE_VARINT] = MQTT_MAX_REMAINING_LENGTH,
};

/* The property's identifier from "id", or from "name" when "id" is absent. */
static int property_id(ctx *c, const fmt_json_value *p, unsigned *id)
{
    const fmt_json_value *idv = fmt_json_object_get(p, "id"), *name = fmt_json_object_get(p, "name");
    if (idv) {
        uint32_t raw;
        if (get_uint(c, p, "id", UINT8_MAX, &raw))
            return -1;
        if (mqtt_prop_type_of(raw) == MQTT_PTYPE_NONE)
            return fail(c, idv, "property id %u is not an MQTT 5.0 property", (unsigned)raw);
        *id = raw;
        return 0;
    }
    if (!name)
        return fail(c, p, "property: expected \"id\" or \"name\"");
    if (expect_kind(c, name, FMT_JSON_STRING, "name"))
        return -1;
    *id = holds_nul(name) ? 0 : mqtt_prop_by_name(name->u.string.data);
    char buf[200];
    if (!*id)
        return fail(c, name, "property: unknown name \"%.40s\"", shown(name, buf));
    return 0;
}

static int add_property(ctx *c, const fmt_json_value *p, mqtt_props_builder *b)
{
    unsigned id;
    if (expect_kind(c, p, FMT_JSON_OBJECT, "properties") || check_keys(c, p, property_keys, 4, NULL, 0, "a property") ||
        property_id(c, p, &id))
        return -1;
    mqtt_prop_type type = mqtt_prop_type_of(id);
    const fmt_json_value *key = fmt_json_object_get(p, "key"), *value = fmt_json_object_get(p, "value");
    if (key && type != MQTT_PTYPE_STRING_PAIR)
        return fail(c, key, "property %s has no \"key\" (only user_property has)", mqtt_prop_name(id));
    if (!value)
        return fail(c, p, "property %s: expected \"value\"", mqtt_prop_name(id));
    uint32_t n;
    mqtt_bytes a, d;
    switch (type) {
    case MQTT_PTYPE_BYTE:
    case MQTT_PTYPE_U16:
    case MQTT_PTYPE_U32:
    case MQTT_PTYPE_VARINT:
        if (get_uint(c, p, "value", prop_type_max[type], &n))
            return -1;
        mqtt_props_add_int(b, id, n);
        return 0;
    case MQTT_PTYPE_STRING:
        if (text_value(c, value, "value", &a))
            return -1;
        mqtt_props_add_bytes(b, id, a);
        return 0;
    case MQTT_PTYPE_BINARY:
        if (data_value(c, value, "value", &a))
            return -1;
        mqtt_props_add_bytes(b, id, a);
        return 0;
    case MQTT_PTYPE_STRING_PAIR:
        if (!key)
            return fail(c, p, "property %s: expected \"key\"", mqtt_prop_name(id));
        if (text_value(c, key, "key", &a) || text_value(c, value, "value", &d))
            return -1;
        mqtt_props_add_pair(b, id, a, d);
        return 0;
    case MQTT_PTYPE_NONE:
        break;
    }
    return fail(c, p, "property id %u is not an MQTT 5.0 property", id);
}

/* Upper bound of the encoded size of a property list given as JSON: every value is at most its
 * JSON text's bytes, plus id, length prefixes and variable byte integers. */
static size_t props_capacity(const fmt_json_value *list)
{
    size_t cap = 0;
    for (size_t i = 0; i < list->u.array.count; i++) {
        const fmt_json_value *p = list->u.array.items[i];
        cap += 16;
        if (p->kind != FMT_JSON_OBJECT)
            continue;
        for (size_t k = 0; k < p->u.object.count; k++) {
            const fmt_json_value *v = p->u.object.members[k].value;
            if (v->kind == FMT_JSON_STRING)
                cap += v->u.string.len;
            else if (v->kind == FMT_JSON_OBJECT)
                for (size_t j = 0; j < v->u.object.count; j++)
                    if (v->u.object.members[j].value->kind == FMT_JSON_STRING)
                        cap += v->u.object.members[j].value->u.string.len;
        }
    }
    return cap;
}

static int get_props(ctx *c, const fmt_json_value *obj, mqtt_props *out)
{
    const fmt_json_value *list = fmt_json_object_get(obj, "properties");
    *out = (mqtt_props){NULL, 0};
    if (!list)
        return 0;
    if (expect_kind(c, list, FMT_JSON_ARRAY, "properties"))
        return -1;
    size_t cap = props_capacity(list);
    mqtt_props_builder b;
    mqtt_props_builder_init(&b, store_alloc(c, cap), cap);
    for (size_t i = 0; i < list->u.array.count; i++)
        if (add_property(c, list->u.array.items[i], &b))
            return -1;
    mqtt_err e = mqtt_props_finish(&b, out);
    if (e != MQTT_OK)
        return fail(c, list, "properties: cannot build the list: %s: %s", mqtt_err_name(e), mqtt_err_description(e));
    return 0;
}

static int read_will(ctx *c, const fmt_json_value *will, mqtt_connect *cn)
{
    if (expect_kind(c, will, FMT_JSON_OBJECT, "will") || check_keys(c, will, will_keys, 5, NULL, 0, "will"))
        return -1;
    cn->will = true;
    return get_u8(c, will, "qos", &cn->will_qos) || get_bool(c, will, "retain", &cn->will_retain) ||
                   get_props(c, will, &cn->will_props) || get_text(c, will, "topic", &cn->will_topic) ||
                   get_data(c, will, "payload", &cn->will_payload)
               ? -1
               : 0;
}

static int read_connect(ctx *c, const fmt_json_value *rec, mqtt_connect *cn)
{
    if (get_text(c, rec, "protocol_name", &cn->protocol_name) || get_u8(c, rec, "protocol_level", &cn->protocol_level) ||
        get_bool(c, rec, "clean_start", &cn->clean_start) || get_u16(c, rec, "keep_alive", &cn->keep_alive) ||
        get_props(c, rec, &cn->props) || get_text(c, rec, "client_id", &cn->client_id))
        return -1;
    const fmt_json_value *will = fmt_json_object_get(rec, "will");
    if (will && will->kind != FMT_JSON_NULL && read_will(c, will, cn))
        return -1;
    const fmt_json_value *user = fmt_json_object_get(rec, "username"), *pass = fmt_json_object_get(rec, "password");
    if (user && user->kind != FMT_JSON_NULL) {
        cn->has_username = true;
        if (text_value(c, user, "username", &cn->username))
            return -1;
    }
    if (pass && pass->kind != FMT_JSON_NULL) {
        cn->has_password = true;
        if (data_value(c, pass, "password", &cn->password))
            return -1;
    }
    return 0;
}

static int read_publish(ctx *c, const fmt_json_value *rec, mqtt_publish *p)
{
    if (get_bool(c, rec, "dup", &p->dup) || get_u8(c, rec, "qos", &p->qos) || get_bool(c, rec, "retain", &p->retain) ||
        get_text(c, rec, "topic", &p->topic) || get_props(c, rec, &p->props) || get_data(c, rec, "payload", &p->payload))
        return -1;
    const fmt_json_value *id = fmt_json_object_get(rec, "packet_id");
    if (id && id->kind == FMT_JSON_NULL)
        return 0; /* QoS 0 as decode --json writes it */
    return get_u16(c, rec, "packet_id", &p->packet_id);
}

static const fmt_json_value *get_array(ctx *c, const fmt_json_value *rec, const char *key, bool *failed)
{
    const fmt_json_value *v = fmt_json_object_get(rec, key);
    *failed = v && expect_kind(c, v, FMT_JSON_ARRAY, key);
    return *failed ? NULL : v;
}

static int read_subscribe(ctx *c, const fmt_json_value *rec, mqtt_subscribe *s)
{
    bool failed;
    if (get_u16(c, rec, "packet_id", &s->packet_id) || get_props(c, rec, &s->props))
        return -1;
    const fmt_json_value *list = get_array(c, rec, "subscriptions", &failed);
    if (failed)
        return -1;
    size_t n = list ? list->u.array.count : 0, cap = 0;
    mqtt_subscription *subs = store_alloc(c, n * sizeof *subs);
    for (size_t i = 0; i < n; i++) {
        const fmt_json_value *e = list->u.array.items[i];
        mqtt_subscription *sub = &subs[i];
        if (expect_kind(c, e, FMT_JSON_OBJECT, "subscriptions") ||
            check_keys(c, e, subscription_keys, 5, NULL, 0, "a subscription") ||
            get_text(c, e, "filter", &sub->filter) || get_u8(c, e, "qos", &sub->qos) ||
            get_bool(c, e, "no_local", &sub->no_local) ||
            get_bool(c, e, "retain_as_published", &sub->retain_as_published) ||
            get_u8(c, e, "retain_handling", &sub->retain_handling))
            return -1;
        cap += sub->filter.len + 3;
    }
    mqtt_err e = mqtt_subscribe_payload_write(s, subs, n, store_alloc(c, cap), cap);
    if (e != MQTT_OK)
        return fail(c, list ? list : rec, "subscriptions: %s: %s", mqtt_err_name(e), mqtt_err_description(e));
    return 0;
}

static int read_unsubscribe(ctx *c, const fmt_json_value *rec, mqtt_unsubscribe *u)
{
    bool failed;
    if (get_u16(c, rec, "packet_id", &u->packet_id) || get_props(c, rec, &u->props))
        return -1;
    const fmt_json_value *list = get_array(c, rec, "filters", &failed);
    if (failed)
        return -1;
    size_t n = list ? list->u.array.count : 0, cap = 0;
    mqtt_bytes *filters = store_alloc(c, n * sizeof *filters);
    for (size_t i = 0; i < n; i++) {
        if (text_value(c, list->u.array.items[i], "filters", &filters[i]))
            return -1;
        cap += filters[i].len + 2;
    }
    mqtt_err e = mqtt_unsubscribe_payload_write(u, filters, n, store_alloc(c, cap), cap);
    if (e != MQTT_OK)
        return fail(c, list ? list : rec, "filters: %s: %s", mqtt_err_name(e), mqtt_err_description(e));
    return 0;
}

static int read_suback(ctx *c, const fmt_json_value *rec, mqtt_packet_type type, mqtt_suback *s)
{
    bool failed;
    if (get_u16(c, rec, "packet_id", &s->packet_id) || get_props(c, rec, &s->props))
        return -1;
    const fmt_json_value *list = get_array(c, rec, "reason_codes", &failed);
    if (failed)
        return -1;
    size_t n = list ? list->u.array.count : 0;
    uint8_t *codes = store_alloc(c, n);
    for (size_t i = 0; i < n; i++)
        if (reason_value(c, list->u.array.items[i], type, "reason_codes", &codes[i]))
            return -1;
    s->reason_codes = (mqtt_bytes){codes, (uint32_t)n};
    return 0;
}

/* The four acks, DISCONNECT and AUTH: a packet id (the acks), reason code, properties and tail,
 * each through the codec's accessor for it. */
static int read_reason_packet(ctx *c, const fmt_json_value *rec, mqtt_packet *pkt)
{
    uint16_t *id = mqtt_packet_id_field(pkt);
    uint8_t *reason = mqtt_packet_reason_field(pkt);
    mqtt_tail *tail = mqtt_packet_tail_field(pkt);
    if (!reason || !tail) /* not a type read_type lets through */
        return -1;
    return (id && get_u16(c, rec, "packet_id", id)) || get_reason(c, rec, pkt->type, reason) ||
                   get_props(c, rec, mqtt_packet_props_field(pkt)) || get_tail(c, rec, tail)
               ? -1
               : 0;
}

static int read_body(ctx *c, const fmt_json_value *rec, mqtt_packet *pkt)
{
    switch (pkt->type) { /* a reader per layout */
    case MQTT_CONNECT:
        return read_connect(c, rec, &pkt->u.connect);
    case MQTT_CONNACK:
        return get_bool(c, rec, "session_present", &pkt->u.connack.session_present) ||
                       get_reason(c, rec, pkt->type, &pkt->u.connack.reason_code) ||
                       get_props(c, rec, &pkt->u.connack.props)
                   ? -1
                   : 0;
    case MQTT_PUBLISH:
        return read_publish(c, rec, &pkt->u.publish);
    case MQTT_SUBSCRIBE:
        return read_subscribe(c, rec, &pkt->u.subscribe);
    case MQTT_SUBACK:
    case MQTT_UNSUBACK:
        return read_suback(c, rec, pkt->type, &pkt->u.suback);
    case MQTT_UNSUBSCRIBE:
        return read_unsubscribe(c, rec, &pkt->u.unsubscribe);
    case MQTT_PINGREQ:
    case MQTT_PINGRESP:
        return 0;
    default: /* the acks, DISCONNECT, AUTH */
        return read_reason_packet(c, rec, pkt);
    }
    return -1;
}

static int read_type(ctx *c, const fmt_json_value *rec, mqtt_packet_type *type)
{
    const fmt_json_value *t = fmt_json_object_get(rec, "type");
    if (!t)
        return fail(c, rec, "expected a \"type\" field");
    if (expect_kind(c, t, FMT_JSON_STRING, "type"))
        return -1;
    for (unsigned i = 1; i < 16; i++) {
        if (string_is(t, mqtt_packet_type_name(i))) {
            *type = (mqtt_packet_type)i;
            return 0;
        }
    }
    char buf[200];
    return fail(c, t, "unknown packet type \"%.40s\" (expected CONNECT, CONNACK, PUBLISH, …, AUTH)", shown(t, buf));
}

static int read_version(ctx *c, const fmt_json_value *rec, mqtt_packet_type type, mqtt_version fallback)
{
    const fmt_json_value *v = fmt_json_object_get(rec, "version");
    c->version = fallback;
    if (v) {
        if (expect_kind(c, v, FMT_JSON_STRING, "version"))
            return -1;
        c->version = holds_nul(v) ? 0 : fmt_parse_version(v->u.string.data);
        if (!c->version)
            return fail(c, v, "field \"version\": expected \"3.1\", \"3.1.1\" or \"5.0\"");
        return 0;
    }
    const fmt_json_value *level = fmt_json_object_get(rec, "protocol_level");
    if (type == MQTT_CONNECT && level && level->kind == FMT_JSON_NUMBER && level->u.number.is_integer &&
        level->u.number.integer >= 0 && level->u.number.integer <= 255 &&
        mqtt_version_from_level((unsigned)level->u.number.integer))
        c->version = mqtt_version_from_level((unsigned)level->u.number.integer);
    return 0;
}

int fmt_packet_from_json(const fmt_json_value *rec, mqtt_version default_version, mqtt_packet *pkt,
                         mqtt_version *version, fmt_packet_store *store, fmt_packet_json_error *err)
{
    ctx c = {default_version, store, err};
    memset(pkt, 0, sizeof *pkt);
    if (rec->kind != FMT_JSON_OBJECT)
        return fail(&c, rec, "expected a JSON object per line, found %s", fmt_json_kind_name(rec->kind));
    if (read_type(&c, rec, &pkt->type) || read_version(&c, rec, pkt->type, default_version))
        return -1;
    const type_schema *schema = &type_schemas[pkt->type];
    char where[32];
    snprintf(where, sizeof where, "%s", mqtt_packet_type_name(pkt->type));
    if (check_keys(&c, rec, schema->fields, schema->count, record_keys, 4, where) || read_body(&c, rec, pkt))
        return -1;
    *version = c.version;
    return 0;
}
