/* mqtk replay — rewriting captured client packets for a new connection (see replay_rewrite.h). */
#include "replay_rewrite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

void replay_rewrite_init(replay_rewrite *rw, const char *client_prefix)
{
    memset(rw, 0, sizeof *rw);
    rw->client_prefix = client_prefix && *client_prefix ? client_prefix : NULL;
}

static void alias_table_free(replay_alias_table *t)
{
    for (size_t i = 0; i < t->count; i++)
        free(t->items[i].topic);
    free(t->items);
    memset(t, 0, sizeof *t);
}

void replay_rewrite_free(replay_rewrite *rw)
{
    free(rw->server_ids);
    alias_table_free(&rw->client_aliases);
    alias_table_free(&rw->captured_server_aliases);
    alias_table_free(&rw->replayed_server_aliases);
    free(rw->buf);
    memset(rw, 0, sizeof *rw);
}

static replay_alias *alias_find(replay_alias_table *t, uint16_t alias)
{
    for (size_t i = 0; i < t->count; i++)
        if (t->items[i].alias == alias)
            return &t->items[i];
    return NULL;
}

static void alias_set(replay_alias_table *t, uint16_t alias, mqtt_bytes topic)
{
    replay_alias *a = alias_find(t, alias);
    if (!a) {
        if (t->count == t->cap) {
            t->cap = t->cap ? t->cap * 2 : 8;
            t->items = base_xrealloc(t->items, t->cap * sizeof *t->items);
        }
        a = &t->items[t->count++];
        a->alias = alias;
        a->topic = NULL;
    }
    a->topic = base_xrealloc(a->topic, topic.len);
    memcpy(a->topic, topic.data, topic.len);
    a->len = topic.len;
}

static bool publish_alias(const mqtt_publish *pub, mqtt_version v, uint16_t *alias)
{
    mqtt_property p;
    if (v != MQTT_V5 || !mqtt_props_find(pub->props, MQTT_PROP_TOPIC_ALIAS, &p))
        return false;
    *alias = (uint16_t)p.value;
    return true;
}

bool replay_publish_topic(replay_alias_table *t, const mqtt_publish *pub, mqtt_version v, mqtt_bytes *topic)
{
    uint16_t alias;
    bool has_alias = publish_alias(pub, v, &alias);
    if (pub->topic.len || !has_alias) {
        if (has_alias)
            alias_set(t, alias, pub->topic);
        *topic = pub->topic;
        return true;
    }
    replay_alias *a = alias_find(t, alias);
    if (!a)
        return false;
    topic->data = a->topic;
    topic->len = a->len;
    return true;
}

void replay_map_server_id(replay_rewrite *rw, uint16_t captured, uint16_t now)
{
    if (!rw->server_ids) {
        rw->server_ids = base_xmalloc(65536 * sizeof *rw->server_ids);
        memset(rw->server_ids, 0, 65536 * sizeof *rw->server_ids);
    }
    rw->server_ids[captured] = now;
}

uint16_t replay_server_id(const replay_rewrite *rw, uint16_t captured)
{
    return rw->server_ids && rw->server_ids[captured] ? rw->server_ids[captured] : captured;
}

void replay_note_connack(replay_rewrite *rw, const mqtt_packet *connack)
{
    mqtt_property p;
    rw->broker_alias_max = mqtt_props_find(connack->u.connack.props, MQTT_PROP_TOPIC_ALIAS_MAXIMUM, &p)
                               ? (uint16_t)p.value
                               : 0;
}

/* The list without its Topic Alias, into memory of at least props.len bytes. */
static mqtt_err props_without_alias(mqtt_props props, uint8_t *mem, mqtt_props *out)
{
    mqtt_props_builder b;
    mqtt_props_builder_init(&b, mem, props.len);
    mqtt_prop_iter it;
    mqtt_property p;
    mqtt_prop_iter_init(&it, props);
    while (mqtt_prop_next(&it, &p)) {
        if (p.id == MQTT_PROP_TOPIC_ALIAS)
            continue;
        switch (p.type) {
        case MQTT_PTYPE_BINARY:
        case MQTT_PTYPE_STRING:
            mqtt_props_add_bytes(&b, p.id, p.data);
            break;
        case MQTT_PTYPE_STRING_PAIR:
            mqtt_props_add_pair(&b, p.id, p.data, p.data2);
            break;
        default:
            mqtt_props_add_int(&b, p.id, p.value);
            break;
        }
    }
    return mqtt_props_finish(&b, out);
}

/* Rewrite pkt in place; *changed says whether anything differs from the capture. Scratch memory
 * for new strings comes from mem (at least raw_len + prefix bytes). */
static bool rewrite_fields(replay_rewrite *rw, mqtt_version v, mqtt_packet *pkt, uint8_t *mem, bool *changed)
{
    *changed = false;
    switch (pkt->type) { /* a rewrite per type (client id, the broker's ids, aliases): a job, not a field */
    case MQTT_CONNECT: {
        mqtt_connect *c = &pkt->u.connect;
        if (rw->client_prefix && c->client_id.len) {
            size_t plen = strlen(rw->client_prefix);
            memcpy(mem, rw->client_prefix, plen);
            memcpy(mem + plen, c->client_id.data, c->client_id.len);
            c->client_id.data = mem;
            c->client_id.len = (uint32_t)(plen + c->client_id.len);
            *changed = true;
        }
        break;
    }
    case MQTT_PUBACK:
    case MQTT_PUBREC:
    case MQTT_PUBCOMP: { /* answers to the broker's PUBLISH / PUBREL: the broker's id now */
        uint16_t id = replay_server_id(rw, pkt->u.ack.packet_id);
        *changed = id != pkt->u.ack.packet_id;
        pkt->u.ack.packet_id = id;
        break;
    }
    case MQTT_PUBLISH: {
        mqtt_publish *pub = &pkt->u.publish;
        uint16_t alias;
        bool has_alias = publish_alias(pub, v, &alias);
        mqtt_bytes topic;
        if (!replay_publish_topic(&rw->client_aliases, pub, v, &topic))
            return true; /* an alias the capture never set: send as captured */
        if (has_alias && alias > rw->broker_alias_max) { /* the broker now takes fewer aliases: full topic */
            if (props_without_alias(pub->props, mem, &pub->props) != MQTT_OK)
                return false;
            pub->topic = topic;
            *changed = true;
        }
        break;
    }
    default:
        break;
    }
    return true;
}

bool replay_rewrite_packet(replay_rewrite *rw, mqtt_version v, const mqtt_packet *pkt, const uint8_t *raw,
                           size_t raw_len, const uint8_t **out, size_t *out_len, char *err, size_t errcap)
{
    *out = raw;
    *out_len = raw_len;
    if (!pkt)
        return true;
    mqtt_packet copy = *pkt;
    size_t scratch = raw_len + (rw->client_prefix ? strlen(rw->client_prefix) : 0);
    uint8_t *mem = base_xmalloc(scratch);
    bool changed;
    bool ok = rewrite_fields(rw, v, &copy, mem, &changed);
    if (ok && changed) {
        mqtt_encode_opts o = {v, MQTT_DIR_TO_SERVER, 0};
        uint32_t size;
        mqtt_error e = {0};
        mqtt_err rc = mqtt_encoded_size(&copy, &o, &size);
        if (rc == MQTT_OK) {
            if (size > rw->buf_cap) {
                rw->buf = base_xrealloc(rw->buf, size);
                rw->buf_cap = size;
            }
            size_t written;
            rc = mqtt_encode(&copy, &o, rw->buf, rw->buf_cap, &written, &e);
            if (rc == MQTT_OK) {
                *out = rw->buf;
                *out_len = written;
            }
        }
        if (rc != MQTT_OK) {
            snprintf(err, errcap, "cannot rewrite the %s: %s", mqtt_packet_type_name(pkt->type), mqtt_err_name(rc));
            ok = false;
        }
    } else if (!ok) {
        snprintf(err, errcap, "cannot rewrite the %s's properties", mqtt_packet_type_name(pkt->type));
    }
    free(mem);
    return ok;
}
