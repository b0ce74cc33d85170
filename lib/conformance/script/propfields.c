#include "propfields.h"

#include <string.h>

#include "fields.h"
#include "match.h"

enum { MAX_PER_ID = 32 };

unsigned cs_prop_key_id(const char *key, const char *prefix)
{
    size_t n = strlen(prefix);
    if (!key || strncmp(key, prefix, n) != 0)
        return 0;
    return mqtt_prop_by_name(key + n);
}

bool cs_prop_numeric(unsigned id)
{
    mqtt_prop_type t = mqtt_prop_type_of(id);
    return t == MQTT_PTYPE_BYTE || t == MQTT_PTYPE_U16 || t == MQTT_PTYPE_U32 || t == MQTT_PTYPE_VARINT;
}

bool cs_type_has_props(mqtt_packet_type type)
{
    return type != MQTT_PINGREQ && type != MQTT_PINGRESP && type >= MQTT_CONNECT && type <= MQTT_AUTH;
}

static uint32_t max_of(mqtt_prop_type t)
{
    switch (t) {
    case MQTT_PTYPE_BYTE: return 255;
    case MQTT_PTYPE_U16: return 65535;
    case MQTT_PTYPE_VARINT: return 268435455;
    default: return UINT32_MAX;
    }
}

int cs_props_build(const cs_token *args, size_t nargs, const char *prefix, const cs_vars *vars, uint8_t *buf,
                   size_t cap, mqtt_props *out, base_strbuf *err)
{
    mqtt_props_builder b;
    mqtt_props_builder_init(&b, buf, cap);
    int rc = 0;
    for (size_t i = 0; i < nargs && rc == 0; i++) {
        unsigned id = cs_prop_key_id(args[i].key, prefix);
        if (!id)
            continue;
        base_strbuf v = {0};
        if (cs_expand(vars, &args[i].value, &v, err) < 0) {
            rc = -1;
        } else if (cs_prop_numeric(id)) {
            uint32_t n;
            mqtt_prop_type t = mqtt_prop_type_of(id);
            if (!cs_parse_uint(base_sb_str(&v), v.len, max_of(t), &n)) {
                base_sb_printf(err, "%s=%s: expected a number from 0 to %u", args[i].key, base_sb_str(&v), max_of(t));
                rc = -1;
            } else {
                mqtt_props_add_int(&b, id, n);
            }
        } else if (mqtt_prop_type_of(id) == MQTT_PTYPE_STRING_PAIR) {
            const char *eq = memchr(v.data ? v.data : "", '=', v.len);
            if (!eq) {
                base_sb_printf(err, "%s: expected NAME=VALUE, got '%s'", args[i].key, base_sb_str(&v));
                rc = -1;
            } else {
                mqtt_bytes name = {(const uint8_t *)v.data, (uint32_t)(eq - v.data)};
                mqtt_bytes value = {(const uint8_t *)eq + 1, (uint32_t)(v.len - (size_t)(eq - v.data) - 1)};
                mqtt_props_add_pair(&b, id, name, value);
            }
        } else {
            mqtt_props_add_bytes(&b, id, (mqtt_bytes){(const uint8_t *)base_sb_str(&v), (uint32_t)v.len});
        }
        base_sb_free(&v);
    }
    if (rc == 0 && mqtt_props_finish(&b, out) != MQTT_OK) {
        base_sb_printf(err, "cannot build the %sproperties: %s",
                       strcmp(prefix, CS_WILL_PROP_PREFIX) == 0 ? "will " : "", mqtt_err_description(b.err));
        rc = -1;
    }
    return rc;
}

/* The property's value as text: a number in decimal, bytes as they are, a pair as NAME=VALUE. */
static void value_text(const mqtt_property *pr, base_strbuf *out)
{
    switch (pr->type) {
    case MQTT_PTYPE_BINARY:
    case MQTT_PTYPE_STRING:
        base_sb_append(out, pr->data.data, pr->data.len);
        break;
    case MQTT_PTYPE_STRING_PAIR:
        base_sb_append(out, pr->data.data, pr->data.len);
        base_sb_putc(out, '=');
        base_sb_append(out, pr->data2.data, pr->data2.len);
        break;
    default:
        base_sb_printf(out, "%u", pr->value);
        break;
    }
}

bool cs_props_capture(const mqtt_packet *pkt, unsigned id, base_strbuf *out)
{
    mqtt_property pr;
    if (!mqtt_props_find(mqtt_packet_props(pkt), id, &pr))
        return false;
    value_text(&pr, out);
    return true;
}

/* Whether value v (text of the property) equals want, which unquoted may list alternatives a|b. */
static bool value_equals(const mqtt_property *pr, const char *want, size_t wlen, bool split, bool *bad)
{
    base_strbuf got = {0};
    value_text(pr, &got);
    bool numeric = cs_prop_numeric(pr->id);
    bool hit = false;
    size_t start = 0;
    for (size_t i = 0; i <= wlen && !hit; i++) {
        if (i < wlen && !(split && want[i] == '|'))
            continue;
        const char *alt = want + start;
        size_t alen = i - start;
        if (numeric) {
            uint32_t n;
            if (!cs_parse_uint(alt, alen, UINT32_MAX, &n)) {
                *bad = true;
                break;
            }
            hit = n == pr->value;
        } else {
            hit = got.len == alen && (alen == 0 || memcmp(got.data, alt, alen) == 0);
        }
        start = i + 1;
    }
    base_sb_free(&got);
    return hit;
}

static size_t occurrences(mqtt_props props, unsigned id, mqtt_property *out, size_t max)
{
    mqtt_prop_iter it;
    mqtt_property pr;
    size_t n = 0;
    mqtt_prop_iter_init(&it, props);
    while (mqtt_prop_next(&it, &pr))
        if (pr.id == id && n < max)
            out[n++] = pr;
    return n;
}

static bool is_star(const cs_token *t, const char *want)
{
    return !t->value.quoted && strcmp(want, "*") == 0;
}

static void describe_got(mqtt_property *occ, size_t n, base_strbuf *why)
{
    if (n == 0) {
        base_sb_puts(why, "none");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        base_strbuf v = {0};
        value_text(&occ[i], &v);
        base_sb_puts(why, i ? ", " : "");
        cs_describe_bytes(why, (mqtt_bytes){(const uint8_t *)base_sb_str(&v), (uint32_t)v.len});
        base_sb_free(&v);
    }
}

/* One token other than a plain `=`: present/absent, !=, ^=, <=, >=. */
static int match_single(const cs_token *t, unsigned id, const char *want, size_t wlen, mqtt_property *occ, size_t n,
                        base_strbuf *why)
{
    bool bad = false, ok;
    const char *name = mqtt_prop_name(id);
    if (t->op == CS_OP_NE && is_star(t, want)) {
        ok = n == 0;
    } else if (t->op == CS_OP_NE) {
        ok = true;
        for (size_t i = 0; i < n && ok; i++)
            ok = !value_equals(&occ[i], want, wlen, !t->value.quoted, &bad);
    } else if (t->op == CS_OP_PREFIX) {
        base_strbuf got = {0};
        if (n)
            value_text(&occ[0], &got);
        ok = n && got.len >= wlen && (wlen == 0 || memcmp(got.data, want, wlen) == 0);
        base_sb_free(&got);
    } else { /* <= >= */
        uint32_t limit;
        if (!cs_parse_uint(want, wlen, UINT32_MAX, &limit))
            bad = true;
        ok = n > 0;
        for (size_t i = 0; i < n && ok && !bad; i++)
            ok = t->op == CS_OP_LE ? occ[i].value <= limit : occ[i].value >= limit;
    }
    if (bad) {
        base_sb_printf(why, "prop.%s: cannot read the expected value '%.*s'", name, (int)wlen, want);
        return 2;
    }
    if (ok)
        return 0;
    base_sb_printf(why, "prop.%s: expected %s%.*s, got ", name,
                   t->op == CS_OP_NE       ? (is_star(t, want) ? "none" : "not ")
                   : t->op == CS_OP_PREFIX ? "prefix "
                   : t->op == CS_OP_LE     ? "<= "
                                           : ">= ",
                   is_star(t, want) ? 0 : (int)wlen, want);
    describe_got(occ, n, why);
    return 1;
}

/* Every plain `prop.X=` token of id together: the packet's occurrences must be exactly those values
 * (User Property in order, other ids in any order); `prop.X=*` alone means present. */
static int match_list(const cs_token *args, size_t nargs, unsigned id, mqtt_property *occ, size_t n,
                      const cs_vars *vars, base_strbuf *why)
{
    const char *name = mqtt_prop_name(id);
    bool used[MAX_PER_ID] = {false};
    size_t expected = 0;
    bool ordered = id == MQTT_PROP_USER_PROPERTY;
    int rc = 0;
    for (size_t i = 0; i < nargs && rc == 0; i++) {
        const cs_token *t = &args[i];
        if (t->op != CS_OP_EQ || cs_prop_key_id(t->key, CS_PROP_PREFIX) != id)
            continue;
        base_strbuf want = {0};
        if (cs_expand(vars, &t->value, &want, why) < 0) {
            base_sb_free(&want);
            return 2;
        }
        if (is_star(t, base_sb_str(&want))) {
            if (n == 0) {
                base_sb_printf(why, "prop.%s: expected present, got none", name);
                rc = 1;
            }
            base_sb_free(&want);
            continue;
        }
        bool bad = false, hit = false;
        if (ordered) {
            hit = expected < n && value_equals(&occ[expected], want.data ? want.data : "", want.len,
                                               !t->value.quoted, &bad);
        } else {
            for (size_t k = 0; k < n && !hit && !bad; k++)
                if (!used[k] && value_equals(&occ[k], want.data ? want.data : "", want.len, !t->value.quoted, &bad))
                    used[k] = hit = true;
        }
        if (bad) {
            base_sb_printf(why, "prop.%s: cannot read the expected value '%s'", name, base_sb_str(&want));
            rc = 2;
        } else if (!hit) {
            base_sb_printf(why, "prop.%s: expected ", name);
            cs_describe_bytes(why, (mqtt_bytes){(const uint8_t *)base_sb_str(&want), (uint32_t)want.len});
            base_sb_printf(why, "%s, got ", ordered ? " at this position" : "");
            describe_got(occ, n, why);
            rc = 1;
        }
        expected++;
        base_sb_free(&want);
    }
    if (rc == 0 && expected && expected != n) {
        base_sb_printf(why, "prop.%s: expected %zu occurrence(s), got %zu: ", name, expected, n);
        describe_got(occ, n, why);
        rc = 1;
    }
    return rc;
}

int cs_props_match(const mqtt_packet *pkt, const cs_token *args, size_t nargs, const cs_vars *vars, base_strbuf *why)
{
    mqtt_props props = mqtt_packet_props(pkt);
    mqtt_property occ[MAX_PER_ID];
    for (size_t i = 0; i < nargs; i++) {
        const cs_token *t = &args[i];
        unsigned id = cs_prop_key_id(t->key, CS_PROP_PREFIX);
        if (!id || t->op == CS_OP_CAPTURE)
            continue;
        size_t n = occurrences(props, id, occ, MAX_PER_ID);
        int rc;
        if (t->op == CS_OP_EQ) {
            bool first = true; /* judge each id's list once, at its first token */
            for (size_t k = 0; k < i && first; k++)
                first = !(args[k].op == CS_OP_EQ && cs_prop_key_id(args[k].key, CS_PROP_PREFIX) == id);
            if (!first)
                continue;
            rc = match_list(args, nargs, id, occ, n, vars, why);
        } else {
            base_strbuf want = {0};
            if (cs_expand(vars, &t->value, &want, why) < 0) {
                base_sb_free(&want);
                return 2;
            }
            rc = match_single(t, id, want.data ? want.data : "", want.len, occ, n, why);
            base_sb_free(&want);
        }
        if (rc)
            return rc;
    }
    return 0;
}

void cs_props_describe(mqtt_props props, base_strbuf *out)
{
    mqtt_prop_iter it;
    mqtt_property pr;
    mqtt_prop_iter_init(&it, props);
    while (mqtt_prop_next(&it, &pr)) {
        base_strbuf v = {0};
        value_text(&pr, &v);
        const char *name = mqtt_prop_name(pr.id);
        base_sb_printf(out, " prop.%s=", name ? name : "?");
        if (cs_prop_numeric(pr.id))
            base_sb_puts(out, base_sb_str(&v));
        else
            cs_describe_bytes(out, (mqtt_bytes){(const uint8_t *)base_sb_str(&v), (uint32_t)v.len});
        base_sb_free(&v);
    }
}
