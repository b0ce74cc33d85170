#include "match.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "format/packet_fields.h"
#include "propfields.h"

#define BIT(t) (1u << (t))
#define ANY_TYPE 0xFFFEu

/* The fields scripts match are lib/format's one table, by their script alias ("pid" for packet_id). */
typedef packet_field match_field;
typedef pf_value field_value;

void cf_describe_bytes(cf_strbuf *out, mqtt_bytes v)
{
    cf_sb_putc(out, '"');
    size_t shown = v.len < 80 ? v.len : 80;
    for (size_t i = 0; i < shown; i++) {
        uint8_t c = v.data[i];
        if (c == '"' || c == '\\')
            cf_sb_printf(out, "\\%c", c);
        else if (c >= 0x20 && c < 0x7f)
            cf_sb_putc(out, (char)c);
        else
            cf_sb_printf(out, "\\x%02x", c);
    }
    cf_sb_putc(out, '"');
    if (shown < v.len)
        cf_sb_printf(out, "...(%u bytes)", v.len);
}

static void describe_codes(cf_strbuf *out, mqtt_bytes v)
{
    for (uint32_t i = 0; i < v.len; i++)
        cf_sb_printf(out, "%s%02x", i ? "," : "", v.data[i]);
    if (v.len == 0)
        cf_sb_puts(out, "(none)");
}

/* Split s[0..len) at '|' when alternatives are allowed; calls back each part until one says yes. */
typedef bool (*alt_fn)(const char *s, size_t len, const void *ctx, bool *bad);

static bool any_alternative(const char *s, size_t len, bool split, alt_fn fn, const void *ctx, bool *bad)
{
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || (split && s[i] == '|')) {
            if (fn(s + start, i - start, ctx, bad))
                return true;
            if (*bad)
                return false;
            start = i + 1;
        }
    }
    return false;
}

static bool num_equals(const char *s, size_t len, const void *ctx, bool *bad)
{
    uint32_t v;
    if (!cf_parse_uint(s, len, UINT32_MAX, &v)) {
        *bad = true;
        return false;
    }
    return v == *(const uint32_t *)ctx;
}

static bool bytes_equal(const char *s, size_t len, const void *ctx, bool *bad)
{
    (void)bad;
    const mqtt_bytes *b = ctx;
    return b->len == len && (len == 0 || memcmp(b->data, s, len) == 0);
}

/* Expected codes "00,01|80": each comma-separated element a hex byte or alternatives. */
static bool codes_equal(const char *s, size_t len, mqtt_bytes got, bool *bad)
{
    size_t idx = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] != ',')
            continue;
        if (idx >= got.len)
            return false;
        uint32_t want = got.data[idx];
        size_t el = start;
        bool hit = false;
        for (size_t j = start; j <= i; j++) {
            if (j < i && s[j] != '|')
                continue;
            const char *e = s + el;
            size_t elen = j - el;
            uint32_t v;
            char tmp[16];
            if (elen + 2 >= sizeof tmp) {
                *bad = true;
                return false;
            }
            /* codes are hex bytes, with or without 0x */
            if (elen > 2 && e[0] == '0' && (e[1] == 'x' || e[1] == 'X')) {
                memcpy(tmp, e, elen);
                tmp[elen] = 0;
            } else {
                tmp[0] = '0';
                tmp[1] = 'x';
                memcpy(tmp + 2, e, elen);
                tmp[elen + 2] = 0;
            }
            if (!cf_parse_uint(tmp, strlen(tmp), 255, &v)) {
                *bad = true;
                return false;
            }
            hit = hit || v == want;
            el = j + 1;
        }
        if (!hit)
            return false;
        idx++;
        start = i + 1;
    }
    return idx == got.len;
}

static void describe_value(cf_strbuf *out, const match_field *f, const field_value *v)
{
    if (f->kind == PF_INT)
        cf_sb_printf(out, "%u", v->num);
    else if (f->kind == PF_BYTES)
        cf_describe_bytes(out, v->bytes);
    else
        describe_codes(out, v->bytes);
}

static cf_match_result compare(const match_field *f, const cf_token *tok, const field_value *got, const char *want,
                               size_t wlen, cf_strbuf *why)
{
    bool bad = false, equal;
    bool split = !tok->value.quoted;
    if (tok->op == CF_OP_LE || tok->op == CF_OP_GE) {
        uint32_t limit = 0;
        bad = f->kind != PF_INT || !cf_parse_uint(want, wlen, UINT32_MAX, &limit);
        equal = !bad && (tok->op == CF_OP_LE ? got->num <= limit : got->num >= limit);
    } else switch (f->kind) {
    case PF_INT: equal = any_alternative(want, wlen, split, num_equals, &got->num, &bad); break;
    case PF_BYTES:
        if (tok->op == CF_OP_PREFIX)
            equal = got->bytes.len >= wlen && (wlen == 0 || memcmp(got->bytes.data, want, wlen) == 0);
        else
            equal = any_alternative(want, wlen, split, bytes_equal, &got->bytes, &bad);
        break;
    default: equal = codes_equal(want, wlen, got->bytes, &bad); break;
    }
    if (bad) {
        cf_sb_printf(why, "%s: cannot read the expected value '%.*s'", f->alias, (int)wlen, want);
        return CF_MATCH_ERROR;
    }
    bool ok = tok->op == CF_OP_NE ? !equal : equal;
    if (ok)
        return CF_MATCHED;
    static const char *const op_words[] = {"", "", "not ", "prefix ", "", "<= ", ">= "};
    cf_sb_printf(why, "%s: expected %s", f->alias, op_words[tok->op]);
    if (f->kind == PF_BYTES) {
        mqtt_bytes w = {(const uint8_t *)want, (uint32_t)wlen};
        cf_describe_bytes(why, w);
    } else {
        cf_sb_printf(why, "%.*s", (int)wlen, want);
    }
    cf_sb_puts(why, ", got ");
    describe_value(why, f, got);
    return CF_MISMATCH;
}

static void store_capture_text(cf_vars *vars, const cf_token *tok, const cf_strbuf *value)
{
    char name[64];
    size_t n = 0;
    for (size_t i = 0; i < tok->value.nsegs && n < sizeof name - 1; i++)
        for (size_t j = 0; j < tok->value.segs[i].len && n < sizeof name - 1; j++)
            name[n++] = tok->value.segs[i].text[j];
    name[n] = '\0';
    cf_vars_set(vars, name, value->data ? value->data : "", value->len);
}

static void store_capture(cf_vars *vars, const cf_token *tok, const match_field *f, const field_value *got)
{
    cf_strbuf sb = {0};
    if (f->kind == PF_BYTES)
        cf_sb_append(&sb, got->bytes.data, got->bytes.len);
    else if (f->kind == PF_INT)
        cf_sb_printf(&sb, "%u", got->num);
    else
        describe_codes(&sb, got->bytes);
    store_capture_text(vars, tok, &sb);
    cf_sb_free(&sb);
}

cf_match_result cf_match(const mqtt_packet *pkt, const cf_token *args, size_t nargs, cf_vars *vars, bool capture,
                         cf_strbuf *why)
{
    for (size_t i = 0; i < nargs; i++) {
        const cf_token *tok = &args[i];
        unsigned prop = cf_prop_key_id(tok->key, CF_PROP_PREFIX);
        if (prop) {
            if (!cf_type_has_props(pkt->type)) {
                cf_sb_printf(why, "%s is not a field of %s", tok->key, mqtt_packet_type_name(pkt->type));
                return CF_MATCH_ERROR;
            }
            if (tok->op == CF_OP_CAPTURE && !mqtt_props_find(mqtt_packet_props(pkt), prop, &(mqtt_property){0})) {
                cf_sb_printf(why, "%s: the packet has none", tok->key);
                return CF_MISMATCH;
            }
            continue;
        }
        const match_field *f = tok->key ? pf_by_alias(tok->key) : NULL;
        if (!f || !(f->types & BIT(pkt->type))) {
            cf_sb_printf(why, "%s is not a field of %s", tok->key ? tok->key : tok->text,
                         mqtt_packet_type_name(pkt->type));
            return CF_MATCH_ERROR;
        }
        field_value got = {0};
        if (!f->get(pkt, &got)) {
            if (tok->op == CF_OP_CAPTURE || tok->op == CF_OP_EQ || tok->op == CF_OP_PREFIX) {
                cf_sb_printf(why, "%s: the packet has none", f->alias);
                return CF_MISMATCH;
            }
            continue;
        }
        if (tok->op == CF_OP_CAPTURE)
            continue;
        cf_strbuf want = {0};
        if (cf_expand(vars, &tok->value, &want, why) < 0) {
            cf_sb_free(&want);
            return CF_MATCH_ERROR;
        }
        cf_match_result r = compare(f, tok, &got, cf_sb_str(&want), want.len, why);
        cf_sb_free(&want);
        if (r != CF_MATCHED)
            return r;
    }
    int prc = cf_props_match(pkt, args, nargs, vars, why);
    if (prc)
        return prc == 1 ? CF_MISMATCH : CF_MATCH_ERROR;
    if (capture) {
        for (size_t i = 0; i < nargs; i++) {
            if (args[i].op != CF_OP_CAPTURE)
                continue;
            unsigned prop = cf_prop_key_id(args[i].key, CF_PROP_PREFIX);
            if (prop) {
                cf_strbuf value = {0};
                cf_props_capture(pkt, prop, &value);
                store_capture_text(vars, &args[i], &value);
                cf_sb_free(&value);
                continue;
            }
            const match_field *f = pf_by_alias(args[i].key);
            field_value got = {0};
            f->get(pkt, &got);
            store_capture(vars, &args[i], f, &got);
        }
    }
    return CF_MATCHED;
}

void cf_packet_describe(const mqtt_packet *pkt, cf_strbuf *out)
{
    const char *name = mqtt_packet_type_name(pkt->type);
    cf_sb_puts(out, name ? name : "?");
    for (size_t i = 0; i < PF_COUNT; i++) {
        const match_field *f = &pf_fields[i];
        if (!(f->types & BIT(pkt->type)) || f->types == ANY_TYPE)
            continue;
        if (f == &pf_fields[PF_REASON_CODE] && pkt->type != MQTT_CONNACK && pkt->remaining_length <= 2 &&
            !(pkt->type == MQTT_DISCONNECT && pkt->remaining_length == 1))
            continue;
        if (f == &pf_fields[PF_REASON_CODE] && pkt->type == MQTT_DISCONNECT && pkt->remaining_length == 0)
            continue;
        field_value v = {0};
        if (!f->get(pkt, &v))
            continue;
        cf_sb_printf(out, " %s=", f->alias);
        describe_value(out, f, &v);
    }
    cf_props_describe(mqtt_packet_props(pkt), out);
}
