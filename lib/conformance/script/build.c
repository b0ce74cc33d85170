#include "build.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "propfields.h"

#define BIT(t) (1u << (t))

enum { MAX_SCRATCH = 12, MAX_SUBS = 16 };

/* Room for a property list or payload built from the tokens: their text plus what variables add. */
static size_t room_for(const cs_token *args, size_t nargs)
{
    size_t room = 16;
    for (size_t i = 0; i < nargs; i++)
        for (size_t s = 0; s < args[i].value.nsegs; s++)
            room += args[i].value.segs[s].len + 64; /* variables expand to short values; +64 covers ids */
    return room;
}

typedef struct builder {
    const cs_build_ctx *ctx;
    const cs_token *args;
    size_t nargs;
    base_strbuf scratch[MAX_SCRATCH];
    size_t nscratch;
    base_strbuf *err;
} builder;

static const cs_token *arg_of(const builder *b, const char *key)
{
    const cs_token *found = NULL;
    for (size_t i = 0; i < b->nargs; i++)
        if (b->args[i].key && strcmp(b->args[i].key, key) == 0)
            found = &b->args[i];
    return found;
}

/* Expand tok into a fresh scratch buffer; NULL on error. */
static base_strbuf *expand(builder *b, const cs_token *tok)
{
    if (b->nscratch == MAX_SCRATCH) {
        base_sb_puts(b->err, "too many string fields in one packet");
        return NULL;
    }
    base_strbuf *sb = &b->scratch[b->nscratch++];
    if (cs_expand(b->ctx->vars, &tok->value, sb, b->err) < 0)
        return NULL;
    return sb;
}

static bool bytes_of(builder *b, const char *key, mqtt_bytes *out, bool *present)
{
    const cs_token *tok = arg_of(b, key);
    if (present)
        *present = tok != NULL;
    if (!tok)
        return true;
    base_strbuf *sb = expand(b, tok);
    if (!sb)
        return false;
    out->data = (const uint8_t *)base_sb_str(sb);
    out->len = (uint32_t)sb->len;
    return true;
}

static bool uint_of_tok(builder *b, const cs_token *tok, uint32_t max, uint32_t *out)
{
    base_strbuf sb = {0};
    bool ok = cs_expand(b->ctx->vars, &tok->value, &sb, b->err) == 0;
    if (ok && !cs_parse_uint(base_sb_str(&sb), sb.len, max, out)) {
        base_sb_printf(b->err, "%s=%s: expected a number from 0 to %u", tok->key, base_sb_str(&sb), max);
        ok = false;
    }
    base_sb_free(&sb);
    return ok;
}

static bool uint_of(builder *b, const char *key, uint32_t max, uint32_t dflt, uint32_t *out)
{
    const cs_token *tok = arg_of(b, key);
    *out = dflt;
    return !tok || uint_of_tok(b, tok, max, out);
}

static uint16_t auto_pid(const cs_build_ctx *ctx)
{
    uint16_t pid = *ctx->next_pid;
    *ctx->next_pid = (uint16_t)(pid == 65535 ? 1 : pid + 1);
    return pid ? pid : 1;
}

static bool pid_of(builder *b, bool required_default, uint16_t *out)
{
    uint32_t v = 0;
    const cs_token *tok = arg_of(b, "pid");
    if (tok) {
        if (!uint_of_tok(b, tok, 65535, &v))
            return false;
        *out = (uint16_t)v;
    } else if (required_default) {
        *out = auto_pid(b->ctx);
    }
    return true;
}

static bool build_connect(builder *b, mqtt_packet *p, cs_build_info *info)
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
    base_sb_append(&info->client_id, c->client_id.data, c->client_id.len);
    if (!clean)
        base_sb_append(&info->session_client_id, c->client_id.data, c->client_id.len);
    if (c->will && c->will_retain)
        base_sb_append(&info->retained_topic, c->will_topic.data, c->will_topic.len);
    return true;
}

static bool build_publish(builder *b, mqtt_packet *p, cs_build_info *info)
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
        base_sb_append(&info->retained_topic, pub->topic.data, pub->topic.len);
    return true;
}

/* The four acks, DISCONNECT and AUTH: rc=, and pid= on the types with a packet id (the acks), set
 * through the codec's accessors. */
static bool build_reason_packet(builder *b, mqtt_packet *p)
{
    uint32_t rc;
    uint16_t *id = mqtt_packet_id_field(p);
    if (id && !arg_of(b, "pid")) {
        base_sb_puts(b->err, "acknowledgements need pid=");
        return false;
    }
    if (!uint_of(b, "rc", 255, 0, &rc))
        return false;
    *mqtt_packet_reason_field(p) = (uint8_t)rc;
    return !id || pid_of(b, false, id);
}

/* The limits a CONNECT announces, which the connection then holds the broker to. */
static void note_connect_limits(const mqtt_connect *c, cs_build_info *info)
{
    mqtt_property pr;
    if (mqtt_props_find(c->props, MQTT_PROP_MAXIMUM_PACKET_SIZE, &pr))
        info->max_packet_size = pr.value;
    if (mqtt_props_find(c->props, MQTT_PROP_TOPIC_ALIAS_MAXIMUM, &pr))
        info->topic_alias_max = (uint16_t)pr.value;
    if (mqtt_props_find(c->props, MQTT_PROP_RECEIVE_MAXIMUM, &pr))
        info->receive_max = (uint16_t)pr.value;
    /* a 5.0 session outlives the connection when it has an expiry interval, whatever Clean Start says */
    if (mqtt_props_find(c->props, MQTT_PROP_SESSION_EXPIRY_INTERVAL, &pr))
        info->session_expiry = pr.value;
    if (info->session_expiry && !info->session_client_id.len)
        base_sb_append(&info->session_client_id, c->client_id.data, c->client_id.len);
}

static bool build_subscribe(builder *b, mqtt_packet *p, uint8_t *payload, size_t cap)
{
    mqtt_subscription list[MAX_SUBS];
    size_t n = 0;
    memset(list, 0, sizeof list);
    for (size_t i = 0; i < b->nargs; i++) {
        const cs_token *tok = &b->args[i];
        if (strcmp(tok->key, "filter") == 0) {
            if (n == MAX_SUBS) {
                base_sb_printf(b->err, "at most %d filters per packet", MAX_SUBS);
                return false;
            }
            base_strbuf *sb = expand(b, tok);
            if (!sb)
                return false;
            list[n].filter.data = (const uint8_t *)base_sb_str(sb);
            list[n].filter.len = (uint32_t)sb->len;
            n++;
        } else if (strcmp(tok->key, "qos") == 0 || strcmp(tok->key, "nl") == 0 || strcmp(tok->key, "rap") == 0 ||
                   strcmp(tok->key, "rh") == 0) {
            uint32_t v;
            if (n == 0) {
                base_sb_printf(b->err, "%s= must follow the filter= it applies to", tok->key);
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
        base_sb_printf(b->err, "cannot write the payload: %s", mqtt_err_description(e));
        return false;
    }
    uint16_t *pid = p->type == MQTT_SUBSCRIBE ? &p->u.subscribe.packet_id : &p->u.unsubscribe.packet_id;
    return pid_of(b, true, pid);
}

void cs_build_info_free(cs_build_info *info)
{
    base_sb_free(&info->retained_topic);
    base_sb_free(&info->session_client_id);
    base_sb_free(&info->client_id);
}

int cs_build(const cs_build_ctx *ctx, mqtt_packet_type type, const cs_token *args, size_t nargs, base_strbuf *bytes,
             cs_build_info *info, base_strbuf *err)
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
    mqtt_props *slot = mqtt_packet_props_field(&p);
    if (ctx->version == MQTT_V5 && slot)
        ok = cs_props_build(args, nargs, CS_PROP_PREFIX, ctx->vars, payload + room, room, slot, err) == 0;
    if (ok && ctx->version == MQTT_V5 && type == MQTT_CONNECT)
        ok = cs_props_build(args, nargs, CS_WILL_PROP_PREFIX, ctx->vars, payload + 2 * room, room,
                            &p.u.connect.will_props, err) == 0;
    if (!ok) {
        free(payload);
        return -1;
    }
    switch (type) { /* a builder per layout: a per-type job */
    case MQTT_CONNECT:
        ok = build_connect(&b, &p, info);
        note_connect_limits(&p.u.connect, info);
        break;
    case MQTT_PUBLISH: ok = build_publish(&b, &p, info); break;
    case MQTT_PUBACK:
    case MQTT_PUBREC:
    case MQTT_PUBREL:
    case MQTT_PUBCOMP:
    case MQTT_DISCONNECT:
    case MQTT_AUTH: ok = build_reason_packet(&b, &p); break;
    case MQTT_SUBSCRIBE:
    case MQTT_UNSUBSCRIBE: ok = build_subscribe(&b, &p, payload, room); break;
    case MQTT_PINGREQ: ok = true; break;
    default:
        base_sb_printf(err, "a client does not send %s", mqtt_packet_type_name(type));
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
                base_sb_append(bytes, out, written);
            free(out);
        } else {
            e.code = rc;
            e.statement = mqtt_err_statement(rc, ctx->version);
        }
        if (rc != MQTT_OK) {
            char msg[256];
            mqtt_error_format(&e, msg, sizeof msg);
            base_sb_printf(err, "the codec refuses this %s (%s); add 'unchecked' to send it anyway",
                           mqtt_packet_type_name(type), msg);
            ok = false;
        }
    }
    for (size_t i = 0; i < b.nscratch; i++)
        base_sb_free(&b.scratch[i]);
    free(payload);
    return ok ? 0 : -1;
}

