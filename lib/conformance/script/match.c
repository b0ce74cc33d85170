#include "match.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "format/packet_fields.h"
#include "format/packet_text.h"
#include "propfields.h"

#define BIT(t) (1u << (t))

/* The fields scripts match are lib/format's one table, by their script alias ("pid" for packet_id). */
typedef fmt_packet_field match_field;
typedef fmt_pf_value field_value;

/* A field's value as the one-line description writes it (lib/format), into a message. */
static void describe_value(base_strbuf *out, const match_field *f, const field_value *v)
{
    fmt_text_out t;
    fmt_txt_init_strbuf(&t, out);
    fmt_pf_write_value(&t, f, v);
    fmt_txt_flush(&t);
}

void cs_describe_bytes(base_strbuf *out, mqtt_bytes v)
{
    describe_value(out, &fmt_pf_fields[FMT_PF_PAYLOAD], &(field_value){.bytes = v});
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
    if (!cs_parse_uint(s, len, UINT32_MAX, &v)) {
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
            if (!cs_parse_uint(tmp, strlen(tmp), 255, &v)) {
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

static cs_match_result compare(const match_field *f, const cs_token *tok, const field_value *got, const char *want,
                               size_t wlen, base_strbuf *why)
{
    bool bad = false, equal;
    bool split = !tok->value.quoted;
    if (tok->op == CS_OP_LE || tok->op == CS_OP_GE) {
        uint32_t limit = 0;
        bad = f->kind != FMT_PF_INT || !cs_parse_uint(want, wlen, UINT32_MAX, &limit);
        equal = !bad && (tok->op == CS_OP_LE ? got->num <= limit : got->num >= limit);
    } else
        switch (f->kind) {
        case FMT_PF_INT:
            equal = any_alternative(want, wlen, split, num_equals, &got->num, &bad);
            break;
        case FMT_PF_BYTES:
            if (tok->op == CS_OP_PREFIX)
                equal = got->bytes.len >= wlen && (wlen == 0 || memcmp(got->bytes.data, want, wlen) == 0);
            else
                equal = any_alternative(want, wlen, split, bytes_equal, &got->bytes, &bad);
            break;
        default:
            equal = codes_equal(want, wlen, got->bytes, &bad);
            break;
        }
    if (bad) {
        base_sb_printf(why, "%s: cannot read the expected value '%.*s'", f->alias, (int)wlen, want);
        return CS_MATCH_ERROR;
    }
    bool ok = tok->op == CS_OP_NE ? !equal : equal;
    if (ok)
        return CS_MATCHED;
    static const char *const op_words[] = {"", "", "not ", "prefix ", "", "<= ", ">= "};
    base_sb_printf(why, "%s: expected %s", f->alias, op_words[tok->op]);
    if (f->kind == FMT_PF_BYTES) {
        mqtt_bytes w = {(const uint8_t *)want, (uint32_t)wlen};
        cs_describe_bytes(why, w);
    } else {
        base_sb_printf(why, "%.*s", (int)wlen, want);
    }
    base_sb_puts(why, ", got ");
    describe_value(why, f, got);
    return CS_MISMATCH;
}

static void store_capture_text(cs_vars *vars, const cs_token *tok, const base_strbuf *value)
{
    char name[64];
    size_t n = 0;
    for (size_t i = 0; i < tok->value.nsegs && n < sizeof name - 1; i++)
        for (size_t j = 0; j < tok->value.segs[i].len && n < sizeof name - 1; j++)
            name[n++] = tok->value.segs[i].text[j];
    name[n] = '\0';
    cs_vars_set(vars, name, value->data ? value->data : "", value->len);
}

static void store_capture(cs_vars *vars, const cs_token *tok, const match_field *f, const field_value *got)
{
    base_strbuf sb = {0};
    if (f->kind == FMT_PF_BYTES)
        base_sb_append(&sb, got->bytes.data, got->bytes.len);
    else if (f->kind == FMT_PF_INT)
        base_sb_printf(&sb, "%u", got->num);
    else
        describe_value(&sb, f, got);
    store_capture_text(vars, tok, &sb);
    base_sb_free(&sb);
}

cs_match_result cs_match(const mqtt_packet *pkt, const cs_token *args, size_t nargs, cs_vars *vars, bool capture,
                         base_strbuf *why)
{
    for (size_t i = 0; i < nargs; i++) {
        const cs_token *tok = &args[i];
        unsigned prop = cs_prop_key_id(tok->key, CS_PROP_PREFIX);
        if (prop) {
            if (!cs_type_has_props(pkt->type)) {
                base_sb_printf(why, "%s is not a field of %s", tok->key, mqtt_packet_type_name(pkt->type));
                return CS_MATCH_ERROR;
            }
            if (tok->op == CS_OP_CAPTURE && !mqtt_props_find(mqtt_packet_props(pkt), prop, &(mqtt_property){0})) {
                base_sb_printf(why, "%s: the packet has none", tok->key);
                return CS_MISMATCH;
            }
            continue;
        }
        const match_field *f = tok->key ? fmt_pf_by_alias(tok->key) : NULL;
        if (!f || !(f->types & BIT(pkt->type))) {
            base_sb_printf(why, "%s is not a field of %s", tok->key ? tok->key : tok->text,
                           mqtt_packet_type_name(pkt->type));
            return CS_MATCH_ERROR;
        }
        field_value got = {0};
        if (!f->get(pkt, &got)) {
            if (tok->op == CS_OP_CAPTURE || tok->op == CS_OP_EQ || tok->op == CS_OP_PREFIX) {
                base_sb_printf(why, "%s: the packet has none", f->alias);
                return CS_MISMATCH;
            }
            continue;
        }
        if (tok->op == CS_OP_CAPTURE)
            continue;
        base_strbuf want = {0};
        if (cs_expand(vars, &tok->value, &want, why) < 0) {
            base_sb_free(&want);
            return CS_MATCH_ERROR;
        }
        cs_match_result r = compare(f, tok, &got, base_sb_str(&want), want.len, why);
        base_sb_free(&want);
        if (r != CS_MATCHED)
            return r;
    }
    int prc = cs_props_match(pkt, args, nargs, vars, why);
    if (prc)
        return prc == 1 ? CS_MISMATCH : CS_MATCH_ERROR;
    if (capture) {
        for (size_t i = 0; i < nargs; i++) {
            if (args[i].op != CS_OP_CAPTURE)
                continue;
            unsigned prop = cs_prop_key_id(args[i].key, CS_PROP_PREFIX);
            if (prop) {
                base_strbuf value = {0};
                cs_props_capture(pkt, prop, &value);
                store_capture_text(vars, &args[i], &value);
                base_sb_free(&value);
                continue;
            }
            const match_field *f = fmt_pf_by_alias(args[i].key);
            field_value got = {0};
            f->get(pkt, &got);
            store_capture(vars, &args[i], f, &got);
        }
    }
    return CS_MATCHED;
}

void cs_packet_describe(const mqtt_packet *pkt, mqtt_version v, base_strbuf *out)
{
    fmt_text_out t;
    fmt_txt_init_strbuf(&t, out);
    fmt_packet_line(&t, pkt, v, FMT_LINE_SCRIPT);
    fmt_txt_flush(&t);
    cs_props_describe(mqtt_packet_props(pkt), out);
}
