#include "bf_gen.h"

#include <stdio.h>
#include <string.h>

/* What the generator tracks per connection to keep the session valid. */
typedef struct gclient {
    bool connected;
    uint8_t slot;      /* client id slot (a takeover reuses another's) */
    uint16_t next_pid;
    uint16_t qos2_pending[4];
    unsigned nqos2;
    uint8_t subs[6];   /* filter indexes subscribed */
    unsigned nsubs;
} gclient;

typedef struct gen {
    bf_rng *r;
    const bf_gen_opts *o;
    bf_session *s;
    gclient c[BF_MAX_CLIENTS];
    char root[16];
    unsigned npub;
} gen;

static const char *const topics[] = {"a", "b", "a/c"};
static const char *const filters[] = {"a", "+", "#", "a/+", "+/c", "b"};
enum { NTOPICS = 3, NFILTERS = 6 };

void bf_gen_topic_root(uint32_t tag, char out[16])
{
    snprintf(out, 16, "fz/%08x/", (unsigned)tag);
}

static uint16_t next_pid(gclient *c)
{
    if (++c->next_pid == 0)
        c->next_pid = 1;
    return c->next_pid;
}

static bool v5(const gen *g)
{
    return g->s->version == MQTT_V5;
}

static void add(gen *g, uint8_t client, const mqtt_packet *p)
{
    bf_session_add_packet(g->s, client, p, false);
}

static void gen_connect(gen *g, uint8_t ci, bool clean)
{
    char id[24], wtopic[32];
    uint8_t props[96], wprops[48];
    snprintf(id, sizeof id, "fz%08xc%u", (unsigned)g->s->tag, g->c[ci].slot);
    snprintf(wtopic, sizeof wtopic, "%sw", g->root);
    mqtt_packet p = {0};
    p.type = MQTT_CONNECT;
    mqtt_connect *c = &p.u.connect;
    c->clean_start = clean;
    c->keep_alive = 60;
    c->client_id = mqtt_cstr(id);
    if (g->o->username) {
        c->has_username = true;
        c->username = mqtt_cstr(g->o->username);
    }
    if (g->o->password) {
        c->has_password = true;
        c->password = mqtt_cstr(g->o->password);
    }
    if (bf_rng_chance(g->r, 20)) {
        c->will = true;
        c->will_qos = (uint8_t)bf_rng_below(g->r, 3);
        c->will_retain = bf_rng_chance(g->r, 10);
        c->will_topic = mqtt_cstr(wtopic);
        c->will_payload = mqtt_cstr("will");
    }
    if (v5(g)) {
        mqtt_props_builder b;
        mqtt_props_builder_init(&b, props, sizeof props);
        if (!clean || bf_rng_chance(g->r, 20))
            mqtt_props_add_int(&b, MQTT_PROP_SESSION_EXPIRY_INTERVAL, clean ? bf_rng_below(g->r, 3) : 60);
        if (bf_rng_chance(g->r, 25))
            mqtt_props_add_int(&b, MQTT_PROP_RECEIVE_MAXIMUM, 1 + bf_rng_below(g->r, 10));
        if (bf_rng_chance(g->r, 15))
            mqtt_props_add_int(&b, MQTT_PROP_MAXIMUM_PACKET_SIZE, 64 + bf_rng_below(g->r, 512));
        if (bf_rng_chance(g->r, 25))
            mqtt_props_add_int(&b, MQTT_PROP_TOPIC_ALIAS_MAXIMUM, bf_rng_below(g->r, 6));
        if (bf_rng_chance(g->r, 10))
            mqtt_props_add_int(&b, MQTT_PROP_REQUEST_PROBLEM_INFORMATION, bf_rng_below(g->r, 2));
        if (bf_rng_chance(g->r, 10))
            mqtt_props_add_pair(&b, MQTT_PROP_USER_PROPERTY, mqtt_cstr("k"), mqtt_cstr("v"));
        mqtt_props_finish(&b, &c->props);
        if (c->will) {
            mqtt_props_builder_init(&b, wprops, sizeof wprops);
            if (bf_rng_chance(g->r, 30))
                mqtt_props_add_int(&b, MQTT_PROP_WILL_DELAY_INTERVAL, bf_rng_below(g->r, 2));
            if (bf_rng_chance(g->r, 20))
                mqtt_props_add_bytes(&b, MQTT_PROP_CONTENT_TYPE, mqtt_cstr("text/plain"));
            mqtt_props_finish(&b, &c->will_props);
        }
    }
    add(g, ci, &p);
    g->c[ci].connected = true;
    g->c[ci].nqos2 = 0;
}

static void gen_publish(gen *g, uint8_t ci)
{
    gclient *c = &g->c[ci];
    char topic[32], payload[600];
    uint8_t props[80];
    unsigned t = bf_rng_below(g->r, NTOPICS);
    snprintf(topic, sizeof topic, "%s%s", g->root, topics[t]);
    size_t plen = (size_t)snprintf(payload, sizeof payload, "m%u", g->npub++);
    size_t extra = bf_rng_chance(g->r, 10) ? 100 + bf_rng_below(g->r, 400) : bf_rng_below(g->r, 24);
    memset(payload + plen, 'x', extra);
    plen += extra;
    mqtt_packet p = {0};
    p.type = MQTT_PUBLISH;
    mqtt_publish *pub = &p.u.publish;
    pub->topic = mqtt_cstr(topic);
    pub->payload = (mqtt_bytes){(const uint8_t *)payload, (uint32_t)plen};
    unsigned q = bf_rng_below(g->r, 10);
    pub->qos = q < 4 ? 0 : q < 7 ? 1 : 2;
    pub->retain = bf_rng_chance(g->r, 5);
    if (pub->qos)
        pub->packet_id = next_pid(c);
    if (v5(g) && bf_rng_chance(g->r, 30)) {
        mqtt_props_builder b;
        mqtt_props_builder_init(&b, props, sizeof props);
        if (bf_rng_chance(g->r, 40))
            mqtt_props_add_int(&b, MQTT_PROP_MESSAGE_EXPIRY_INTERVAL, 30 + bf_rng_below(g->r, 60));
        if (bf_rng_chance(g->r, 30))
            mqtt_props_add_int(&b, MQTT_PROP_PAYLOAD_FORMAT_INDICATOR, 1);
        if (bf_rng_chance(g->r, 30))
            mqtt_props_add_bytes(&b, MQTT_PROP_RESPONSE_TOPIC, mqtt_cstr("fz/r"));
        if (bf_rng_chance(g->r, 30))
            mqtt_props_add_bytes(&b, MQTT_PROP_CORRELATION_DATA, mqtt_cstr("c1"));
        if (bf_rng_chance(g->r, 30))
            mqtt_props_add_pair(&b, MQTT_PROP_USER_PROPERTY, mqtt_cstr("k"), mqtt_cstr("v"));
        if (bf_rng_chance(g->r, 20))
            mqtt_props_add_int(&b, MQTT_PROP_TOPIC_ALIAS, 1 + bf_rng_below(g->r, 3));
        mqtt_props_finish(&b, &pub->props);
    }
    add(g, ci, &p);
    if (pub->qos == 2 && c->nqos2 < 4)
        c->qos2_pending[c->nqos2++] = pub->packet_id;
    /* the release usually follows at once, so QoS 2 flows complete */
    if (pub->qos == 2 && bf_rng_chance(g->r, 80)) {
        mqtt_packet rel = {0};
        rel.type = MQTT_PUBREL;
        rel.u.ack.packet_id = pub->packet_id;
        add(g, ci, &rel);
        c->nqos2--;
    }
}

static void gen_subscribe(gen *g, uint8_t ci)
{
    gclient *c = &g->c[ci];
    char names[3][48];
    mqtt_subscription list[3];
    uint8_t payload[200], props[16];
    unsigned n = 1 + bf_rng_below(g->r, 3);
    for (unsigned i = 0; i < n; i++) {
        unsigned f = bf_rng_below(g->r, NFILTERS);
        bool shared = v5(g) && bf_rng_chance(g->r, 8);
        snprintf(names[i], sizeof names[i], "%s%s%s", shared ? "$share/g/" : "", g->root, filters[f]);
        memset(&list[i], 0, sizeof list[i]);
        list[i].filter = mqtt_cstr(names[i]);
        list[i].qos = (uint8_t)bf_rng_below(g->r, 3);
        if (v5(g)) {
            list[i].no_local = !shared && bf_rng_chance(g->r, 10);
            list[i].retain_as_published = bf_rng_chance(g->r, 10);
            list[i].retain_handling = bf_rng_chance(g->r, 20) ? (uint8_t)bf_rng_below(g->r, 3) : 0;
        }
        if (!shared && c->nsubs < 6)
            c->subs[c->nsubs++] = (uint8_t)f;
    }
    mqtt_packet p = {0};
    p.type = MQTT_SUBSCRIBE;
    p.u.subscribe.packet_id = next_pid(c);
    if (mqtt_subscribe_payload_write(&p.u.subscribe, list, n, payload, sizeof payload) != MQTT_OK)
        return;
    if (v5(g) && bf_rng_chance(g->r, 20)) {
        mqtt_props_builder b;
        mqtt_props_builder_init(&b, props, sizeof props);
        mqtt_props_add_int(&b, MQTT_PROP_SUBSCRIPTION_IDENTIFIER, 1 + bf_rng_below(g->r, 5));
        mqtt_props_finish(&b, &p.u.subscribe.props);
    }
    add(g, ci, &p);
}

static void gen_unsubscribe(gen *g, uint8_t ci)
{
    gclient *c = &g->c[ci];
    char name[48];
    uint8_t payload[64];
    unsigned f = c->nsubs ? c->subs[bf_rng_below(g->r, c->nsubs)] : bf_rng_below(g->r, NFILTERS);
    snprintf(name, sizeof name, "%s%s", g->root, filters[f]);
    mqtt_bytes fl = mqtt_cstr(name);
    mqtt_packet p = {0};
    p.type = MQTT_UNSUBSCRIBE;
    p.u.unsubscribe.packet_id = next_pid(c);
    if (mqtt_unsubscribe_payload_write(&p.u.unsubscribe, &fl, 1, payload, sizeof payload) != MQTT_OK)
        return;
    add(g, ci, &p);
}

/* An acknowledgement the broker did not ask for, or the release a QoS 2 publication still owes. */
static void gen_ack(gen *g, uint8_t ci)
{
    gclient *c = &g->c[ci];
    mqtt_packet p = {0};
    if (c->nqos2) {
        p.type = MQTT_PUBREL;
        p.u.ack.packet_id = c->qos2_pending[--c->nqos2];
    } else {
        static const mqtt_packet_type kinds[] = {MQTT_PUBACK, MQTT_PUBREC, MQTT_PUBCOMP, MQTT_PUBREL};
        p.type = kinds[bf_rng_below(g->r, 4)];
        p.u.ack.packet_id = (uint16_t)(1 + bf_rng_below(g->r, 4));
    }
    add(g, ci, &p);
}

static void gen_simple(gen *g, uint8_t ci, mqtt_packet_type type, uint8_t rc)
{
    mqtt_packet p = {0};
    p.type = type;
    p.u.reason.reason_code = rc;
    add(g, ci, &p);
}

static void gen_auth(gen *g, uint8_t ci)
{
    uint8_t props[24];
    mqtt_packet p = {0};
    p.type = MQTT_AUTH;
    p.u.reason.reason_code = 0x19; /* re-authenticate */
    mqtt_props_builder b;
    mqtt_props_builder_init(&b, props, sizeof props);
    mqtt_props_add_bytes(&b, MQTT_PROP_AUTHENTICATION_METHOD, mqtt_cstr("fz"));
    mqtt_props_finish(&b, &p.u.reason.props);
    add(g, ci, &p);
}

static int pick_client(gen *g, bool connected)
{
    int found[BF_MAX_CLIENTS], n = 0;
    for (int i = 0; i < (int)g->o->clients; i++)
        if (g->c[i].connected == connected)
            found[n++] = i;
    return n ? found[bf_rng_below(g->r, (uint32_t)n)] : -1;
}

/* One action of a connected client, by weight. */
static void gen_action(gen *g)
{
    int ci = pick_client(g, true);
    int idle = pick_client(g, false);
    unsigned w = bf_rng_below(g->r, 100);
    if (ci < 0 || (idle >= 0 && w < 8)) {
        if (idle < 0)
            return;
        /* reconnect (resuming the session when it was not clean) or take over a live client id */
        int victim = pick_client(g, true);
        if (victim >= 0 && bf_rng_chance(g->r, 35)) {
            g->c[idle].slot = g->c[victim].slot;
            g->c[victim].connected = false;
        }
        gen_connect(g, (uint8_t)idle, !bf_rng_chance(g->r, 40));
        return;
    }
    uint8_t c = (uint8_t)ci;
    if (w < 40)
        gen_publish(g, c);
    else if (w < 62)
        gen_subscribe(g, c);
    else if (w < 70)
        gen_unsubscribe(g, c);
    else if (w < 76)
        gen_simple(g, c, MQTT_PINGREQ, 0);
    else if (w < 86)
        gen_ack(g, c);
    else if (w < 92) {
        gen_simple(g, c, MQTT_DISCONNECT, v5(g) && bf_rng_chance(g->r, 30) ? 0x04 : 0);
        g->c[c].connected = false;
    } else if (w < 96) {
        bf_session_add_drop(g->s, c);
        g->c[c].connected = false;
    } else if (v5(g))
        gen_auth(g, c);
    else
        gen_simple(g, c, MQTT_PINGREQ, 0);
}

void bf_gen_session(bf_rng *r, const bf_gen_opts *o, uint32_t tag, bf_session *s)
{
    gen g;
    memset(&g, 0, sizeof g);
    g.r = r;
    g.o = o;
    g.s = s;
    s->version = o->version;
    s->tag = tag;
    s->nclients = 0;
    s->nsteps = 0;
    bf_gen_topic_root(tag, g.root);
    unsigned clients = o->clients < 1 ? 1 : o->clients > BF_MAX_CLIENTS ? BF_MAX_CLIENTS : o->clients;
    bf_gen_opts local = *o;
    local.clients = clients;
    g.o = &local;
    for (unsigned i = 0; i < clients; i++)
        g.c[i].slot = (uint8_t)i;
    /* the first two connect at once; the others join later (or take over) */
    unsigned first = clients < 2 ? clients : 2;
    for (unsigned i = 0; i < first; i++)
        gen_connect(&g, (uint8_t)i, !bf_rng_chance(r, 15));
    unsigned cap = o->max_steps ? o->max_steps : 12;
    unsigned n = 2 + bf_rng_below(r, cap);
    for (unsigned i = 0; i < n && s->nsteps < BF_MAX_STEPS - 2; i++)
        gen_action(&g);
}
