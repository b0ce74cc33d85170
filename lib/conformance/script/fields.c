#include "fields.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "format/packet_fields.h"
#include "propfields.h"

#define BIT(t) (1u << (t))
#define ACKS (BIT(MQTT_PUBACK) | BIT(MQTT_PUBREC) | BIT(MQTT_PUBREL) | BIT(MQTT_PUBCOMP))
#define ANY_TYPE 0xFFFEu

/* The fields scripts match are lib/format's one table, by their script alias ("pid" for packet_id). */
typedef packet_field match_field;
typedef pf_value field_value;

/* Keys a script may set per packet type when sending it. */
static const char *const send_keys[16][17] = {
    [MQTT_CONNECT] = {"id", "clean", "keepalive", "username", "password", "will_topic", "will_payload", "will_qos",
                      "will_retain", "will", "username_flag", "password_flag", "protocol", "level", "creds", NULL},
    [MQTT_PUBLISH] = {"topic", "payload", "qos", "retain", "dup", "pid", NULL},
    [MQTT_PUBACK] = {"pid", "rc", NULL},
    [MQTT_PUBREC] = {"pid", "rc", NULL},
    [MQTT_PUBREL] = {"pid", "rc", NULL},
    [MQTT_PUBCOMP] = {"pid", "rc", NULL},
    [MQTT_SUBSCRIBE] = {"pid", "filter", "qos", "nl", "rap", "rh", NULL},
    [MQTT_UNSUBSCRIBE] = {"pid", "filter", NULL},
    [MQTT_PINGREQ] = {NULL},
    [MQTT_DISCONNECT] = {"rc", NULL},
    [MQTT_AUTH] = {"rc", NULL},
};

/* By the codec's names (mqtt_packet_type_name): one table of packet type names. */
mqtt_packet_type cf_packet_type_by_name(const char *name)
{
    for (unsigned t = 1; t < 16; t++)
        if (strcmp(mqtt_packet_type_name(t), name) == 0)
            return (mqtt_packet_type)t;
    return 0;
}

static const match_field *match_field_of(const char *key)
{
    return pf_by_alias(key);
}

bool cf_field_sendable(mqtt_packet_type type, const char *key)
{
    if ((unsigned)type >= 16)
        return false;
    if (cf_prop_key_id(key, CF_PROP_PREFIX))
        return cf_type_has_props(type);
    if (cf_prop_key_id(key, CF_WILL_PROP_PREFIX))
        return type == MQTT_CONNECT;
    for (const char *const *k = send_keys[type]; *k; k++)
        if (strcmp(*k, key) == 0)
            return true;
    return false;
}

bool cf_field_matchable(mqtt_packet_type type, const char *key)
{
    if (cf_prop_key_id(key, CF_PROP_PREFIX))
        return cf_type_has_props(type) && type != MQTT_CONNECT;
    const match_field *f = match_field_of(key);
    return f && (f->types & BIT(type));
}

bool cf_field_numeric(const char *key)
{
    unsigned id = cf_prop_key_id(key, CF_PROP_PREFIX);
    if (id)
        return cf_prop_numeric(id);
    const match_field *f = match_field_of(key);
    return f && f->kind == PF_INT;
}

void cf_field_list(mqtt_packet_type type, bool send, mqtt_version version, cf_strbuf *out)
{
    size_t before = out->len;
    if (send) {
        for (const char *const *k = send_keys[type]; *k; k++)
            cf_sb_printf(out, "%s%s", out->len > before ? " " : "", *k);
    } else {
        for (size_t i = 0; i < PF_COUNT; i++)
            if (pf_fields[i].types & BIT(type))
                cf_sb_printf(out, "%s%s", out->len > before ? " " : "", pf_fields[i].alias);
    }
    if (version == MQTT_V5 && cf_type_has_props(type) && (send || type != MQTT_CONNECT))
        cf_sb_printf(out, "%sprop.NAME", out->len > before ? " " : "");
    if (version == MQTT_V5 && send && type == MQTT_CONNECT)
        cf_sb_puts(out, " wprop.NAME");
    if (out->len == before)
        cf_sb_puts(out, "(none)");
}

bool cf_parse_uint(const char *s, size_t len, uint32_t max, uint32_t *out)
{
    unsigned base = 10;
    if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        len -= 2;
    }
    if (len == 0 || len > 10)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        int d;
        if (isdigit((unsigned char)s[i]))
            d = s[i] - '0';
        else if (base == 16 && isxdigit((unsigned char)s[i]))
            d = tolower((unsigned char)s[i]) - 'a' + 10;
        else
            return false;
        v = v * base + (unsigned)d;
    }
    if (v > max)
        return false;
    *out = (uint32_t)v;
    return true;
}

/* ---- building ---- */

enum { MAX_SCRATCH = 12, MAX_SUBS = 16 };

/* Room for a property list or payload built from the tokens: their text plus what variables add. */
static size_t room_for(const cf_token *args, size_t nargs)
{
    size_t room = 16;
    for (size_t i = 0; i < nargs; i++)
        for (size_t s = 0; s < args[i].value.nsegs; s++)
            room += args[i].value.segs[s].len + 64; /* variables expand to short values; +64 covers ids */
    return room;
}

typedef struct builder {
    const cf_build_ctx *ctx;
    const cf_token *args;
    size_t nargs;
    cf_strbuf scratch[MAX_SCRATCH];
    size_t nscratch;
    cf_strbuf *err;
} builder;

static const cf_token *arg_of(const builder *b, const char *key)
{
    const cf_token *found = NULL;
    for (size_t i = 0; i < b->nargs; i++)
        if (b->args[i].key && strcmp(b->args[i].key, key) == 0)
            found = &b->args[i];
    return found;
}

/* Expand tok into a fresh scratch buffer; NULL on error. */
static cf_strbuf *expand(builder *b, const cf_token *tok)
{
    if (b->nscratch == MAX_SCRATCH) {
        cf_sb_puts(b->err, "too many string fields in one packet");
        return NULL;
    }
    cf_strbuf *sb = &b->scratch[b->nscratch++];
    if (cf_expand(b->ctx->vars, &tok->value, sb, b->err) < 0)
        return NULL;
    return sb;
}

static bool bytes_of(builder *b, const char *key, mqtt_bytes *out, bool *present)
{
    const cf_token *tok = arg_of(b, key);
    if (present)
        *present = tok != NULL;
    if (!tok)
        return true;
    cf_strbuf *sb = expand(b, tok);
    if (!sb)
        return false;
    out->data = (const uint8_t *)cf_sb_str(sb);
    out->len = (uint32_t)sb->len;
    return true;
}

static bool uint_of_tok(builder *b, const cf_token *tok, uint32_t max, uint32_t *out)
{
    cf_strbuf sb = {0};
    bool ok = cf_expand(b->ctx->vars, &tok->value, &sb, b->err) == 0;
    if (ok && !cf_parse_uint(cf_sb_str(&sb), sb.len, max, out)) {
        cf_sb_printf(b->err, "%s=%s: expected a number from 0 to %u", tok->key, cf_sb_str(&sb), max);
        ok = false;
    }
    cf_sb_free(&sb);
    return ok;
}

static bool uint_of(builder *b, const char *key, uint32_t max, uint32_t dflt, uint32_t *out)
{
    const cf_token *tok = arg_of(b, key);
    *out = dflt;
    return !tok || uint_of_tok(b, tok, max, out);
}

static uint16_t auto_pid(const cf_build_ctx *ctx)
{
    uint16_t pid = *ctx->next_pid;
    *ctx->next_pid = (uint16_t)(pid == 65535 ? 1 : pid + 1);
    return pid ? pid : 1;
}

static bool pid_of(builder *b, bool required_default, uint16_t *out)
{
    uint32_t v = 0;
    const cf_token *tok = arg_of(b, "pid");
    if (tok) {
        if (!uint_of_tok(b, tok, 65535, &v))
            return false;
        *out = (uint16_t)v;
    } else if (required_default) {
        *out = auto_pid(b->ctx);
    }
    return true;
}

static bool build_connect(builder *b, mqtt_packet *p, cf_build_info *info)
{
    mqtt_connect *c = &p->u.connect;
    uint32_t clean, keep_alive, will_qos, will_retain, creds, level;
    bool has_id, has_user, has_pass, has_will_topic;
    if (!uint_of(b, "clean", 1, 1, &clean) || !uint_of(b, "keepalive", 65535, 60, &keep_alive) ||
        !uint_of(b, "will_qos", 3, 0, &will_qos) || !uint_of(b, "will_retain", 1, 0, &will_retain) ||
        !uint_of(b, "creds", 1, 1, &creds) || !uint_of(b, "level", 255, (uint32_t)b->ctx->version, &level))
        return false;
    c->clean_start = clean;
    c->keep_alive = (uint16_t)keep_alive;
    c->protocol_level = (uint8_t)level;
    if (!bytes_of(b, "protocol", &c->protocol_name, NULL) || !bytes_of(b, "id", &c->client_id, &has_id) ||
        !bytes_of(b, "username", &c->username, &has_user) || !bytes_of(b, "password", &c->password, &has_pass) ||
        !bytes_of(b, "will_topic", &c->will_topic, &has_will_topic) ||
        !bytes_of(b, "will_payload", &c->will_payload, NULL))
        return false;
    if (!has_id)
        c->client_id = mqtt_cstr(b->ctx->client_id);
    if (!has_user && creds && b->ctx->username) {
        has_user = true;
        c->username = mqtt_cstr(b->ctx->username);
        if (!has_pass && b->ctx->password) {
            has_pass = true;
            c->password = mqtt_cstr(b->ctx->password);
        }
    }
    uint32_t flag;
    c->has_username = has_user;
    c->has_password = has_pass;
    c->will = has_will_topic;
    if (!uint_of(b, "username_flag", 1, has_user, &flag))
        return false;
    c->has_username = flag;
    if (!uint_of(b, "password_flag", 1, has_pass, &flag))
        return false;
    c->has_password = flag;
    if (!uint_of(b, "will", 1, has_will_topic, &flag))
        return false;
    c->will = flag;
    c->will_qos = (uint8_t)will_qos;
    c->will_retain = will_retain;
    cf_sb_append(&info->client_id, c->client_id.data, c->client_id.len);
    if (!clean)
        cf_sb_append(&info->session_client_id, c->client_id.data, c->client_id.len);
    if (c->will && c->will_retain)
        cf_sb_append(&info->retained_topic, c->will_topic.data, c->will_topic.len);
    return true;
}

static bool build_publish(builder *b, mqtt_packet *p, cf_build_info *info)
{
    mqtt_publish *pub = &p->u.publish;
    uint32_t qos, retain, dup;
    if (!uint_of(b, "qos", 3, 0, &qos) || !uint_of(b, "retain", 1, 0, &retain) || !uint_of(b, "dup", 1, 0, &dup) ||
        !bytes_of(b, "topic", &pub->topic, NULL) || !bytes_of(b, "payload", &pub->payload, NULL))
        return false;
    pub->qos = (uint8_t)qos;
    pub->retain = retain;
    pub->dup = dup;
    if (!pid_of(b, qos > 0, &pub->packet_id))
        return false;
    if (retain)
        cf_sb_append(&info->retained_topic, pub->topic.data, pub->topic.len);
    return true;
}

static bool build_ack(builder *b, mqtt_packet *p, cf_build_info *info)
{
    (void)info;
    uint32_t rc;
    if (!arg_of(b, "pid")) {
        cf_sb_puts(b->err, "acknowledgements need pid=");
        return false;
    }
    if (!uint_of(b, "rc", 255, 0, &rc))
        return false;
    p->u.ack.reason_code = (uint8_t)rc;
    return pid_of(b, false, &p->u.ack.packet_id);
}

static bool build_reason(builder *b, mqtt_packet *p)
{
    uint32_t rc;
    if (!uint_of(b, "rc", 255, 0, &rc))
        return false;
    p->u.reason.reason_code = (uint8_t)rc;
    return true;
}

/* Where the packet's property list goes (NULL: none). */
static mqtt_props *props_slot(mqtt_packet *p)
{
    switch (p->type) {
    case MQTT_CONNECT: return &p->u.connect.props;
    case MQTT_PUBLISH: return &p->u.publish.props;
    case MQTT_PUBACK:
    case MQTT_PUBREC:
    case MQTT_PUBREL:
    case MQTT_PUBCOMP: return &p->u.ack.props;
    case MQTT_SUBSCRIBE: return &p->u.subscribe.props;
    case MQTT_UNSUBSCRIBE: return &p->u.unsubscribe.props;
    case MQTT_DISCONNECT:
    case MQTT_AUTH: return &p->u.reason.props;
    default: return NULL;
    }
}

/* The limits a CONNECT announces, which the connection then holds the broker to. */
static void note_connect_limits(const mqtt_connect *c, cf_build_info *info)
{
    mqtt_property pr;
    if (mqtt_props_find(c->props, MQTT_PROP_MAXIMUM_PACKET_SIZE, &pr))
        info->max_packet_size = pr.value;
    if (mqtt_props_find(c->props, MQTT_PROP_TOPIC_ALIAS_MAXIMUM, &pr))
        info->topic_alias_max = (uint16_t)pr.value;
    if (mqtt_props_find(c->props, MQTT_PROP_RECEIVE_MAXIMUM, &pr))
        info->receive_max = (uint16_t)pr.value;
    /* a 5.0 session outlives the connection when it has an expiry interval, whatever Clean Start says */
    if (mqtt_props_find(c->props, MQTT_PROP_SESSION_EXPIRY_INTERVAL, &pr) && pr.value && !info->session_client_id.len)
        cf_sb_append(&info->session_client_id, c->client_id.data, c->client_id.len);
}

static bool build_subscribe(builder *b, mqtt_packet *p, uint8_t *payload, size_t cap)
{
    mqtt_subscription list[MAX_SUBS];
    size_t n = 0;
    memset(list, 0, sizeof list);
    for (size_t i = 0; i < b->nargs; i++) {
        const cf_token *tok = &b->args[i];
        if (strcmp(tok->key, "filter") == 0) {
            if (n == MAX_SUBS) {
                cf_sb_printf(b->err, "at most %d filters per packet", MAX_SUBS);
                return false;
            }
            cf_strbuf *sb = expand(b, tok);
            if (!sb)
                return false;
            list[n].filter.data = (const uint8_t *)cf_sb_str(sb);
            list[n].filter.len = (uint32_t)sb->len;
            n++;
        } else if (strcmp(tok->key, "qos") == 0 || strcmp(tok->key, "nl") == 0 || strcmp(tok->key, "rap") == 0 ||
                   strcmp(tok->key, "rh") == 0) {
            uint32_t v;
            if (n == 0) {
                cf_sb_printf(b->err, "%s= must follow the filter= it applies to", tok->key);
                return false;
            }
            if (!uint_of_tok(b, tok, 255, &v))
                return false;
            if (tok->key[0] == 'q')
                list[n - 1].qos = (uint8_t)v;
            else if (tok->key[0] == 'n')
                list[n - 1].no_local = v != 0;
            else if (tok->key[1] == 'a')
                list[n - 1].retain_as_published = v != 0;
            else
                list[n - 1].retain_handling = (uint8_t)v;
        }
    }
    mqtt_err e;
    if (p->type == MQTT_SUBSCRIBE) {
        e = mqtt_subscribe_payload_write(&p->u.subscribe, list, n, payload, cap);
    } else {
        mqtt_bytes filters[MAX_SUBS];
        for (size_t i = 0; i < n; i++)
            filters[i] = list[i].filter;
        e = mqtt_unsubscribe_payload_write(&p->u.unsubscribe, filters, n, payload, cap);
    }
    if (e != MQTT_OK && !(b->ctx->unchecked && n == 0)) {
        cf_sb_printf(b->err, "cannot write the payload: %s", mqtt_err_description(e));
        return false;
    }
    uint16_t *pid = p->type == MQTT_SUBSCRIBE ? &p->u.subscribe.packet_id : &p->u.unsubscribe.packet_id;
    return pid_of(b, true, pid);
}

void cf_build_info_free(cf_build_info *info)
{
    cf_sb_free(&info->retained_topic);
    cf_sb_free(&info->session_client_id);
    cf_sb_free(&info->client_id);
}

int cf_build(const cf_build_ctx *ctx, mqtt_packet_type type, const cf_token *args, size_t nargs, cf_strbuf *bytes,
             cf_build_info *info, cf_strbuf *err)
{
    builder b = {.ctx = ctx, .args = args, .nargs = nargs, .err = err};
    mqtt_packet p;
    memset(&p, 0, sizeof p);
    p.type = type;
    size_t room = room_for(args, nargs);
    uint8_t *payload = calloc(3, room); /* payload, properties, will properties */
    if (!payload)
        abort();
    bool ok = true;
    mqtt_props *slot = props_slot(&p);
    if (ctx->version == MQTT_V5 && slot)
        ok = cf_props_build(args, nargs, CF_PROP_PREFIX, ctx->vars, payload + room, room, slot, err) == 0;
    if (ok && ctx->version == MQTT_V5 && type == MQTT_CONNECT)
        ok = cf_props_build(args, nargs, CF_WILL_PROP_PREFIX, ctx->vars, payload + 2 * room, room,
                            &p.u.connect.will_props, err) == 0;
    if (!ok) {
        free(payload);
        return -1;
    }
    switch (type) {
    case MQTT_CONNECT:
        ok = build_connect(&b, &p, info);
        note_connect_limits(&p.u.connect, info);
        break;
    case MQTT_PUBLISH: ok = build_publish(&b, &p, info); break;
    case MQTT_PUBACK:
    case MQTT_PUBREC:
    case MQTT_PUBREL:
    case MQTT_PUBCOMP: ok = build_ack(&b, &p, info); break;
    case MQTT_SUBSCRIBE:
    case MQTT_UNSUBSCRIBE: ok = build_subscribe(&b, &p, payload, room); break;
    case MQTT_PINGREQ: ok = true; break;
    case MQTT_DISCONNECT:
    case MQTT_AUTH: ok = build_reason(&b, &p); break;
    default:
        cf_sb_printf(err, "a client does not send %s", mqtt_packet_type_name(type));
        ok = false;
    }
    if (ok) {
        mqtt_encode_opts opts = {ctx->version, MQTT_DIR_TO_SERVER, ctx->unchecked ? MQTT_ENCODE_UNCHECKED : 0u};
        uint32_t size = 0;
        mqtt_error e = {0};
        mqtt_err rc = mqtt_encoded_size(&p, &opts, &size);
        if (rc == MQTT_OK) {
            uint8_t *out = malloc(size ? size : 1);
            size_t written = 0;
            if (!out)
                abort();
            rc = mqtt_encode(&p, &opts, out, size, &written, &e);
            if (rc == MQTT_OK)
                cf_sb_append(bytes, out, written);
            free(out);
        } else {
            e.code = rc;
            e.statement = mqtt_err_statement(rc, ctx->version);
        }
        if (rc != MQTT_OK) {
            char msg[256];
            mqtt_error_format(&e, msg, sizeof msg);
            cf_sb_printf(err, "the codec refuses this %s (%s); add 'unchecked' to send it anyway",
                         mqtt_packet_type_name(type), msg);
            ok = false;
        }
    }
    for (size_t i = 0; i < b.nscratch; i++)
        cf_sb_free(&b.scratch[i]);
    free(payload);
    return ok ? 0 : -1;
}

/* ---- matching ---- */

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
        const match_field *f = tok->key ? match_field_of(tok->key) : NULL;
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
            const match_field *f = match_field_of(args[i].key);
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
