/* mqtk fuzz — seed-corpus generator. Builds packets from the encoder (every packet type in every
 * version, every property in each place it is allowed, edge values, deliberately broken packets
 * written with MQTT_ENCODE_UNCHECKED, multi-packet streams) and writes one seed file per input in
 * the layout each target reads (see the targets' header comments):
 *   OUT/decode OUT/roundtrip OUT/stream OUT/properties OUT/topic OUT/json
 * It checks what it writes: every checked encoding must decode back completely, every unchecked
 * one must be rejected. Exit 0 ok, 1 a seed failed that check, 2 usage or I/O error.
 * Usage: fuzz_gen_corpus OUTDIR */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_support.h"
#include "format/json_write.h"
#include "mqtt/codec.h"
#include "format/packet_json.h"

enum { STREAM_CAP = 1 << 16 };

typedef struct gen {
    const char *out;
    unsigned files;
    int failed;
    uint8_t stream[3][STREAM_CAP]; /* valid packets per version, in generation order */
    size_t stream_len[3];
    size_t ends[3][1024]; /* where each of those packets ends */
    size_t npackets[3];
} gen;

static void die(const char *what, const char *path)
{
    fprintf(stderr, "gen_corpus: %s %s: %s\n", what, path, strerror(errno));
    exit(2);
}

static void write_seed(gen *g, const char *target, const char *name, const uint8_t *a, size_t alen,
                       const uint8_t *b, size_t blen)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/%s", g->out, target, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        die("cannot create", path);
    if (fwrite(a, 1, alen, f) != alen || (blen && fwrite(b, 1, blen, f) != blen) || fclose(f) != 0)
        die("cannot write", path);
    g->files++;
}

static int vindex(mqtt_version v)
{
    return v == MQTT_V31 ? 0 : v == MQTT_V311 ? 1 : 2;
}

static const char *vtag(mqtt_version v)
{
    return v == MQTT_V31 ? "v31" : v == MQTT_V311 ? "v311" : "v5";
}

/* Who normally sends a packet type; both-way types stay unknown. */
static mqtt_direction sender(mqtt_packet_type t)
{
    switch (t) {
    case MQTT_CONNECT:
    case MQTT_SUBSCRIBE:
    case MQTT_UNSUBSCRIBE:
    case MQTT_PINGREQ: return MQTT_DIR_TO_SERVER;
    case MQTT_CONNACK:
    case MQTT_SUBACK:
    case MQTT_UNSUBACK:
    case MQTT_PINGRESP: return MQTT_DIR_TO_CLIENT;
    default: return MQTT_DIR_UNKNOWN;
    }
}

/* Encode pkt and write its seeds. broken: encode unchecked and require the decoder to reject it. */
static void emit(gen *g, mqtt_version v, const mqtt_packet *pkt, const char *label, bool broken)
{
    mqtt_direction dir = sender(pkt->type);
    mqtt_encode_opts eo = {v, dir, broken ? MQTT_ENCODE_UNCHECKED : 0u};
    static uint8_t buf[1 << 16];
    size_t len = 0;
    mqtt_error err = {0};
    char name[160];
    snprintf(name, sizeof name, "%s-%s%s-%s", vtag(v), broken ? "bad-" : "", mqtt_packet_type_name(pkt->type), label);
    for (char *p = name; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    mqtt_err rc = mqtt_encode(pkt, &eo, buf, sizeof buf, &len, &err);
    if (rc != MQTT_OK) {
        fprintf(stderr, "gen_corpus: %s: the encoder refuses it: %s\n", name, mqtt_err_name(rc));
        g->failed = 1;
        return;
    }
    mqtt_decode_opts dopts = {.version = v, .direction = dir};
    mqtt_packet back;
    mqtt_frame frame;
    mqtt_result r = mqtt_decode(buf, len, &dopts, &back, &frame);
    if (broken ? r == MQTT_COMPLETE : (r != MQTT_COMPLETE || frame.packet_len != len)) {
        char msg[200] = "accepted";
        if (r == MQTT_MALFORMED)
            mqtt_error_format(&frame.error, msg, sizeof msg);
        fprintf(stderr, "gen_corpus: %s: %s decodes with result %d (%s)\n", name, broken ? "broken packet" : "seed",
                (int)r, msg);
        g->failed = 1;
        return;
    }
    uint8_t sel = fuzz_selector_for(v, dir);
    write_seed(g, "decode", name, &sel, 1, buf, len);
    if (broken)
        return;
    write_seed(g, "roundtrip", name, &sel, 1, buf, len);
    int vi = vindex(v);
    if (g->stream_len[vi] + len <= STREAM_CAP && g->npackets[vi] < 1024) {
        memcpy(g->stream[vi] + g->stream_len[vi], buf, len);
        g->stream_len[vi] += len;
        g->ends[vi][g->npackets[vi]++] = g->stream_len[vi];
    }
    fmt_json_writer w;
    fmt_jw_init(&w);
    fmt_packet_json_write(&w, &back, v, 0, len);
    write_seed(g, "json", name, &sel, 1, (const uint8_t *)w.buf, w.len);
    fmt_jw_free(&w);
}

/* ---- property lists ---- */

typedef struct prop_set {
    uint8_t buf[1024];
    mqtt_props_builder b;
} prop_set;

static mqtt_props finish(prop_set *s)
{
    mqtt_props p = {NULL, 0};
    if (mqtt_props_finish(&s->b, &p) != MQTT_OK) {
        fprintf(stderr, "gen_corpus: property builder fails\n");
        exit(1);
    }
    return p;
}

static void start(prop_set *s)
{
    mqtt_props_builder_init(&s->b, s->buf, sizeof s->buf);
}

static mqtt_props user_props(prop_set *s, int n)
{
    start(s);
    for (int i = 0; i < n; i++)
        mqtt_props_add_pair(&s->b, MQTT_PROP_USER_PROPERTY, mqtt_cstr(i ? "k2" : "region"), mqtt_cstr("eu-west"));
    return finish(s);
}

/* A value of the id's type, on an edge when edge is set. */
static void add_sample(mqtt_props_builder *b, unsigned id, bool edge)
{
    switch (mqtt_prop_type_of(id)) {
    case MQTT_PTYPE_BYTE: mqtt_props_add_int(b, id, edge ? 0u : 1u); break;
    case MQTT_PTYPE_U16: mqtt_props_add_int(b, id, edge ? 65535u : 10u); break;
    case MQTT_PTYPE_U32: mqtt_props_add_int(b, id, edge ? 0xFFFFFFFFu : 3600u); break;
    case MQTT_PTYPE_VARINT: mqtt_props_add_int(b, id, edge ? 268435455u : 1u); break;
    case MQTT_PTYPE_BINARY: mqtt_props_add_bytes(b, id, edge ? mqtt_cstr("") : mqtt_cstr("\x01\x02\xff")); break;
    case MQTT_PTYPE_STRING: mqtt_props_add_bytes(b, id, mqtt_cstr(edge ? "caf\xc3\xa9/\xf0\x9f\x98\x80" : "a/b")); break;
    case MQTT_PTYPE_STRING_PAIR: mqtt_props_add_pair(b, id, mqtt_cstr("k"), mqtt_cstr(edge ? "" : "v")); break;
    case MQTT_PTYPE_NONE: break;
    }
}

/* Every property allowed in place, once (both samples of repeatable ones). */
static mqtt_props all_allowed(prop_set *s, unsigned place, mqtt_direction dir)
{
    start(s);
    bool method = false;
    for (unsigned id = 1; id <= MQTT_PROP_ID_MAX; id++) {
        if (!mqtt_prop_allowed_in(id, place))
            continue;
        if (id == MQTT_PROP_SUBSCRIPTION_IDENTIFIER && place == MQTT_PUBLISH && dir != MQTT_DIR_TO_CLIENT)
            continue;
        if (id == MQTT_PROP_AUTHENTICATION_DATA && !method)
            continue;
        if (id == MQTT_PROP_RESPONSE_TOPIC) {
            mqtt_props_add_bytes(&s->b, id, mqtt_cstr("reply/to"));
            continue;
        }
        method |= id == MQTT_PROP_AUTHENTICATION_METHOD;
        add_sample(&s->b, id, false);
        if (mqtt_prop_may_repeat(id, place))
            add_sample(&s->b, id, true);
    }
    return finish(s);
}

/* properties target: [place][direction][base][list] for each id in each place it may stand. */
static void gen_properties(gen *g)
{
    for (unsigned place = 1; place <= MQTT_PROPS_IN_WILL; place++) {
        for (unsigned id = 1; id <= MQTT_PROP_ID_MAX; id++) {
            if (!mqtt_prop_allowed_in(id, place))
                continue;
            for (int edge = 0; edge < 2; edge++) {
                prop_set s;
                start(&s);
                add_sample(&s.b, id, edge);
                mqtt_props p = finish(&s);
                uint8_t head[3] = {(uint8_t)place, 0, (uint8_t)(edge ? 17 : 0)};
                char name[96];
                snprintf(name, sizeof name, "place%02u-%s%s", place, mqtt_prop_name(id), edge ? "-edge" : "");
                write_seed(g, "properties", name, head, 3, p.data, p.len);
            }
        }
        prop_set s;
        mqtt_props p = all_allowed(&s, place, MQTT_DIR_TO_CLIENT);
        uint8_t head[3] = {(uint8_t)place, MQTT_DIR_TO_CLIENT, 5};
        char name[64];
        snprintf(name, sizeof name, "place%02u-all", place);
        write_seed(g, "properties", name, head, 3, p.data, p.len);
    }
    /* raw edge cases: duplicate, unknown id, truncated value, non-minimal varint, zero values */
    static const struct {
        const char *name;
        uint8_t place;
        uint8_t bytes[12];
        uint8_t len;
    } raw[] = {
        {"dup-session-expiry", 1, {0x11, 0, 0, 0, 1, 0x11, 0, 0, 0, 2}, 10},
        {"unknown-id", 3, {0x7f, 0}, 2},
        {"truncated-u32", 3, {0x02, 0, 0}, 3},
        {"varint-not-minimal", 8, {0x0b, 0x81, 0x00}, 3},
        {"varint-5-bytes", 8, {0x0b, 0xff, 0xff, 0xff, 0xff, 0x7f}, 6},
        {"topic-alias-zero", 3, {0x23, 0, 0}, 3},
        {"receive-max-zero", 1, {0x21, 0, 0}, 3},
        {"byte-2", 3, {0x01, 2}, 2},
        {"auth-data-alone", 15, {0x16, 0, 1, 'x'}, 4},
        {"string-overlong-utf8", 3, {0x03, 0, 2, 0xc0, 0x80}, 5},
        {"string-len-past-end", 3, {0x03, 0, 9, 'a'}, 4},
        {"pair-truncated", 14, {0x26, 0, 1, 'k', 0, 5, 'v'}, 7},
    };
    for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++) {
        uint8_t head[3] = {raw[i].place, 0, 0};
        write_seed(g, "properties", raw[i].name, head, 3, raw[i].bytes, raw[i].len);
    }
}

/* ---- packets ---- */

static mqtt_packet packet(mqtt_packet_type t)
{
    mqtt_packet p;
    memset(&p, 0, sizeof p);
    p.type = t;
    return p;
}

static void gen_connect(gen *g, mqtt_version v)
{
    bool v5 = v == MQTT_V5;
    prop_set ps, ws;
    mqtt_packet p = packet(MQTT_CONNECT);
    p.u.connect.clean_start = true;
    p.u.connect.keep_alive = 60;
    p.u.connect.client_id = mqtt_cstr("mqtk-client");
    emit(g, v, &p, "minimal", false);

    p.u.connect.client_id = mqtt_cstr("");
    emit(g, v, &p, "empty-client-id", false);

    mqtt_connect *c = &p.u.connect;
    c->client_id = mqtt_cstr("sensor-42");
    c->keep_alive = 65535;
    c->will = true;
    c->will_qos = 1;
    c->will_retain = true;
    c->will_topic = mqtt_cstr("status/sensor-42");
    c->will_payload = mqtt_cstr("offline");
    c->has_username = true;
    c->username = mqtt_cstr("user");
    c->has_password = true;
    c->password = mqtt_cstr("\x00\xffsecret");
    if (v5) {
        c->props = all_allowed(&ps, MQTT_CONNECT, MQTT_DIR_TO_SERVER);
        c->will_props = all_allowed(&ws, MQTT_PROPS_IN_WILL, MQTT_DIR_TO_SERVER);
    }
    emit(g, v, &p, "full", false);
    c->will_qos = 2;
    c->clean_start = false;
    emit(g, v, &p, "will-qos2", false);

    c->will_qos = 3;
    emit(g, v, &p, "will-qos3", true);
    c->will_qos = 1;
    c->will = false; /* will QoS without the will */
    emit(g, v, &p, "will-qos-without-will", true);
    c->will = true;
    c->will_topic = mqtt_cstr("a/\xed\xa0\x80");
    emit(g, v, &p, "will-topic-surrogate", true);
    c->will_topic = mqtt_cstr("status");
    c->protocol_name = mqtt_cstr(v == MQTT_V31 ? "MQTT" : "MQIsdp");
    emit(g, v, &p, "wrong-protocol-name", true);
    c->protocol_name = mqtt_cstr("");
    c->protocol_level = 6;
    emit(g, v, &p, "level-6", true);
    c->protocol_level = 0;
    if (v == MQTT_V311) {
        c->has_username = false;
        c->username = mqtt_cstr("");
        emit(g, v, &p, "password-without-username", true);
    }
}

static void gen_connack(gen *g, mqtt_version v)
{
    prop_set ps;
    mqtt_packet p = packet(MQTT_CONNACK);
    p.u.connack.session_present = v != MQTT_V31; /* 3.1 has no Session Present flag */
    emit(g, v, &p, "accepted", false);
    p.u.connack.session_present = false;
    static const uint8_t v3_codes[] = {1, 2, 3, 4, 5};
    static const uint8_t v5_codes[] = {0x80, 0x81, 0x82, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C,
                                       0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F};
    const uint8_t *codes = v == MQTT_V5 ? v5_codes : v3_codes;
    size_t n = v == MQTT_V5 ? sizeof v5_codes : sizeof v3_codes;
    for (size_t i = 0; i < n; i++) {
        char label[32];
        p.u.connack.reason_code = codes[i];
        snprintf(label, sizeof label, "code-%02x", codes[i]);
        emit(g, v, &p, label, false);
    }
    if (v == MQTT_V5) {
        p.u.connack.reason_code = 0;
        p.u.connack.props = all_allowed(&ps, MQTT_CONNACK, MQTT_DIR_TO_CLIENT);
        emit(g, v, &p, "all-properties", false);
    }
    p.u.connack.reason_code = 0x06;
    p.u.connack.props = (mqtt_props){NULL, 0};
    emit(g, v, &p, "code-06", true);
    p.u.connack.reason_code = v == MQTT_V5 ? 0x80 : 5;
    p.u.connack.session_present = true;
    emit(g, v, &p, "session-present-on-error", true);
}

static void gen_publish(gen *g, mqtt_version v)
{
    bool v5 = v == MQTT_V5;
    prop_set ps;
    static uint8_t big[400];
    memset(big, 'x', sizeof big);
    mqtt_packet p = packet(MQTT_PUBLISH);
    mqtt_publish *pub = &p.u.publish;
    pub->topic = mqtt_cstr("sensors/kitchen/temp");
    emit(g, v, &p, "qos0-empty", false);
    pub->payload = mqtt_cstr("21.5");
    pub->retain = true;
    emit(g, v, &p, "qos0-retain", false);
    pub->qos = 1;
    pub->packet_id = 1;
    pub->dup = true;
    emit(g, v, &p, "qos1-dup", false);
    pub->qos = 2;
    pub->packet_id = 65535;
    pub->dup = false;
    pub->payload = (mqtt_bytes){big, 100};
    emit(g, v, &p, "qos2-100-bytes", false);
    pub->payload = (mqtt_bytes){big, sizeof big};
    emit(g, v, &p, "qos2-two-byte-length", false);
    pub->payload = mqtt_cstr("{\"t\":21.5}");
    pub->topic = mqtt_cstr("$SYS/broker/uptime");
    emit(g, v, &p, "sys-topic", false);
    pub->topic = mqtt_cstr("caf\xc3\xa9/\xe6\xb8\xa9\xe5\xba\xa6/\xf0\x9f\x8c\xa1");
    emit(g, v, &p, "utf8-topic", false);
    if (v5) {
        pub->topic = mqtt_cstr("a/b");
        pub->props = all_allowed(&ps, MQTT_PUBLISH, MQTT_DIR_UNKNOWN);
        emit(g, v, &p, "all-properties", false);
        start(&ps);
        mqtt_props_add_int(&ps.b, MQTT_PROP_TOPIC_ALIAS, 7);
        pub->props = finish(&ps);
        pub->topic = mqtt_cstr("");
        emit(g, v, &p, "empty-topic-with-alias", false);
        pub->props = user_props(&ps, 3);
        pub->topic = mqtt_cstr("a");
        emit(g, v, &p, "user-properties", false);
        pub->props = (mqtt_props){NULL, 0};
    }
    pub->topic = mqtt_cstr("a/+/b");
    emit(g, v, &p, "wildcard-topic", true);
    pub->topic = mqtt_cstr("");
    emit(g, v, &p, "empty-topic", true);
    pub->topic = mqtt_cstr("a");
    pub->qos = 3;
    emit(g, v, &p, "qos3", true);
    pub->qos = 1;
    pub->packet_id = 0;
    emit(g, v, &p, "packet-id-0", true);
    pub->qos = 0;
    pub->dup = true;
    emit(g, v, &p, "dup-qos0", true);
    pub->dup = false;
    pub->topic = (mqtt_bytes){(const uint8_t *)"a\0b", 3};
    emit(g, v, &p, "topic-nul", true);
}

/* The long forms of "success, no properties" a 5.0 sender may choose: the reason code written out, and
 * also a Property Length of 0. *tail is the packet's own tail field; it is left at the shortest form. */
static void emit_long_forms(gen *g, mqtt_version v, mqtt_packet *p, mqtt_tail *tail)
{
    *tail = MQTT_TAIL_REASON;
    emit(g, v, p, "long-reason-0", false);
    *tail = MQTT_TAIL_PROPERTIES;
    emit(g, v, p, "long-empty-properties", false);
    *tail = MQTT_TAIL_SHORTEST;
}

static void gen_acks(gen *g, mqtt_version v)
{
    prop_set ps;
    static const mqtt_packet_type types[] = {MQTT_PUBACK, MQTT_PUBREC, MQTT_PUBREL, MQTT_PUBCOMP};
    static const uint8_t v5_codes[] = {0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x92, 0x97, 0x99};
    for (size_t t = 0; t < 4; t++) {
        mqtt_packet p = packet(types[t]);
        p.u.ack.packet_id = 1;
        emit(g, v, &p, "id-1", false);
        p.u.ack.packet_id = 65535;
        emit(g, v, &p, "id-65535", false);
        if (v == MQTT_V5) {
            for (size_t i = 0; i < sizeof v5_codes; i++) {
                if (!mqtt_reason_allowed(v, types[t], v5_codes[i], MQTT_DIR_UNKNOWN))
                    continue;
                char label[32];
                p.u.ack.reason_code = v5_codes[i];
                snprintf(label, sizeof label, "code-%02x", v5_codes[i]);
                emit(g, v, &p, label, false);
            }
            start(&ps);
            mqtt_props_add_bytes(&ps.b, MQTT_PROP_REASON_STRING, mqtt_cstr("why not"));
            mqtt_props_add_pair(&ps.b, MQTT_PROP_USER_PROPERTY, mqtt_cstr("k"), mqtt_cstr("v"));
            p.u.ack.props = finish(&ps);
            emit(g, v, &p, "properties", false);
            p.u.ack.props = (mqtt_props){NULL, 0};
            p.u.ack.reason_code = 0;
            emit_long_forms(g, v, &p, &p.u.ack.tail);
            p.u.ack.reason_code = 0x8F;
            emit(g, v, &p, "code-8f", true);
            p.u.ack.reason_code = 0;
        }
    }
}

static void gen_subscribe(gen *g, mqtt_version v)
{
    bool v5 = v == MQTT_V5;
    prop_set ps;
    uint8_t payload[512];
    mqtt_packet p = packet(MQTT_SUBSCRIBE);
    p.u.subscribe.packet_id = 10;
    mqtt_subscription one = {mqtt_cstr("sensors/#"), 1, false, false, 0};
    mqtt_subscribe_payload_write(&p.u.subscribe, &one, 1, payload, sizeof payload);
    emit(g, v, &p, "one", false);
    mqtt_subscription many[] = {{mqtt_cstr("a/+/c"), 0, false, false, 0},
                                {mqtt_cstr("#"), 2, v5, v5, v5 ? 2 : 0},
                                {mqtt_cstr("+"), 1, false, v5, v5 ? 1 : 0},
                                {mqtt_cstr("/"), 0, false, false, 0},
                                {mqtt_cstr("$SYS/#"), 0, false, false, 0}};
    mqtt_subscribe_payload_write(&p.u.subscribe, many, 5, payload, sizeof payload);
    if (v5) {
        start(&ps);
        mqtt_props_add_int(&ps.b, MQTT_PROP_SUBSCRIPTION_IDENTIFIER, 268435455);
        mqtt_props_add_pair(&ps.b, MQTT_PROP_USER_PROPERTY, mqtt_cstr("k"), mqtt_cstr("v"));
        p.u.subscribe.props = finish(&ps);
    }
    emit(g, v, &p, "many", false);
    if (v5) {
        mqtt_subscription shared = {mqtt_cstr("$share/group/a/+"), 1, false, true, 1};
        mqtt_subscribe_payload_write(&p.u.subscribe, &shared, 1, payload, sizeof payload);
        emit(g, v, &p, "shared", false);
        shared.no_local = true;
        mqtt_subscribe_payload_write(&p.u.subscribe, &shared, 1, payload, sizeof payload);
        emit(g, v, &p, "shared-no-local", true);
        shared = (mqtt_subscription){mqtt_cstr("$share/g+/t"), 0, false, false, 0};
        mqtt_subscribe_payload_write(&p.u.subscribe, &shared, 1, payload, sizeof payload);
        emit(g, v, &p, "share-name-wildcard", true);
        shared = (mqtt_subscription){mqtt_cstr("a"), 0, false, false, 3};
        mqtt_subscribe_payload_write(&p.u.subscribe, &shared, 1, payload, sizeof payload);
        emit(g, v, &p, "retain-handling-3", true);
    }
    mqtt_subscription bad[] = {{mqtt_cstr("a/#/b"), 0, false, false, 0}};
    mqtt_subscribe_payload_write(&p.u.subscribe, bad, 1, payload, sizeof payload);
    emit(g, v, &p, "hash-not-last", true);
    bad[0] = (mqtt_subscription){mqtt_cstr("a+"), 0, false, false, 0};
    mqtt_subscribe_payload_write(&p.u.subscribe, bad, 1, payload, sizeof payload);
    emit(g, v, &p, "plus-in-level", true);
    bad[0] = (mqtt_subscription){mqtt_cstr("a"), 3, false, false, 0};
    mqtt_subscribe_payload_write(&p.u.subscribe, bad, 1, payload, sizeof payload);
    emit(g, v, &p, "qos3", true);
    p.u.subscribe.payload = (mqtt_bytes){NULL, 0};
    p.u.subscribe.count = 0;
    emit(g, v, &p, "no-filters", true);
}

static void gen_unsubscribe(gen *g, mqtt_version v)
{
    uint8_t payload[256];
    mqtt_packet p = packet(MQTT_UNSUBSCRIBE);
    p.u.unsubscribe.packet_id = 11;
    mqtt_bytes filters[] = {mqtt_cstr("a/+/c"), mqtt_cstr("#"), mqtt_cstr("$share/g/x")};
    mqtt_unsubscribe_payload_write(&p.u.unsubscribe, filters, 3, payload, sizeof payload);
    emit(g, v, &p, "three", false);
    mqtt_unsubscribe_payload_write(&p.u.unsubscribe, filters + 1, 1, payload, sizeof payload);
    emit(g, v, &p, "one", false);
    p.u.unsubscribe.packet_id = 0;
    emit(g, v, &p, "packet-id-0", true);
}

static void gen_acks_with_codes(gen *g, mqtt_version v)
{
    prop_set ps;
    mqtt_packet p = packet(MQTT_SUBACK);
    p.u.suback.packet_id = 10;
    static const uint8_t v3[] = {0, 1, 2, 0x80};
    static const uint8_t v5[] = {0, 1, 2, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2};
    p.u.suback.reason_codes = v == MQTT_V5 ? (mqtt_bytes){v5, sizeof v5} : (mqtt_bytes){v3, sizeof v3};
    if (v == MQTT_V31) /* 3.1 has no failure code */
        p.u.suback.reason_codes.len = 3;
    if (v == MQTT_V5) {
        start(&ps);
        mqtt_props_add_bytes(&ps.b, MQTT_PROP_REASON_STRING, mqtt_cstr("partly"));
        p.u.suback.props = finish(&ps);
    }
    emit(g, v, &p, "codes", false);
    static const uint8_t bad[] = {3};
    p.u.suback.reason_codes = (mqtt_bytes){bad, 1};
    emit(g, v, &p, "code-03", true);

    p = packet(MQTT_UNSUBACK);
    p.u.suback.packet_id = 11;
    if (v == MQTT_V5) {
        static const uint8_t un[] = {0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91};
        p.u.suback.reason_codes = (mqtt_bytes){un, sizeof un};
    }
    emit(g, v, &p, "codes", false);
}

static void gen_simple(gen *g, mqtt_version v)
{
    prop_set ps;
    mqtt_packet p = packet(MQTT_PINGREQ);
    emit(g, v, &p, "empty", false);
    p = packet(MQTT_PINGRESP);
    emit(g, v, &p, "empty", false);
    p = packet(MQTT_DISCONNECT);
    emit(g, v, &p, "normal", false);
    if (v != MQTT_V5)
        return;
    static const uint8_t codes[] = {0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x93, 0x94, 0x95,
                                    0x97, 0x98, 0x99, 0x9A, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2};
    for (size_t i = 0; i < sizeof codes; i++) {
        char label[32];
        p.u.reason.reason_code = codes[i];
        snprintf(label, sizeof label, "code-%02x", codes[i]);
        emit(g, v, &p, label, false);
    }
    p.u.reason.reason_code = 0;
    emit_long_forms(g, v, &p, &p.u.reason.tail);
    p.u.reason.props = all_allowed(&ps, MQTT_DISCONNECT, MQTT_DIR_TO_CLIENT);
    emit(g, v, &p, "properties", false);
    p = packet(MQTT_AUTH);
    emit(g, v, &p, "success-short", false);
    p.u.reason.tail = MQTT_TAIL_PROPERTIES; /* a Property Length makes the Authentication Method due */
    emit(g, v, &p, "success-long-no-method", true);
    p.u.reason.tail = MQTT_TAIL_SHORTEST;
    start(&ps);
    mqtt_props_add_bytes(&ps.b, MQTT_PROP_AUTHENTICATION_METHOD, mqtt_cstr("SCRAM-SHA-256"));
    mqtt_props_add_bytes(&ps.b, MQTT_PROP_AUTHENTICATION_DATA, mqtt_cstr("n,,n=user,r=abc"));
    p.u.reason.props = finish(&ps);
    p.u.reason.reason_code = 0x18;
    emit(g, v, &p, "continue", false);
    p.u.reason.reason_code = 0x19;
    emit(g, v, &p, "reauthenticate", false);
    p.u.reason.reason_code = 0x80;
    emit(g, v, &p, "code-80", true);
    start(&ps);
    mqtt_props_add_bytes(&ps.b, MQTT_PROP_AUTHENTICATION_DATA, mqtt_cstr("x"));
    p.u.reason.props = finish(&ps);
    p.u.reason.reason_code = 0x18;
    emit(g, v, &p, "data-without-method", true);
}

/* Hand-written bytes on framing edges. */
static void gen_raw(gen *g)
{
    static const struct {
        const char *name;
        uint8_t sel;
        uint8_t bytes[16];
        uint8_t len;
    } raw[] = {
        {"raw-type-0", 2, {0x00, 0x00}, 2},
        {"raw-auth-in-v311", 1, {0xf0, 0x00}, 2},
        {"raw-rl-127", 2, {0x30, 0x7f, 0x00, 0x01, 'a'}, 5},
        {"raw-rl-128", 2, {0x30, 0x80, 0x01, 0x00, 0x01, 'a'}, 6},
        {"raw-rl-max", 2, {0x30, 0xff, 0xff, 0xff, 0x7f}, 5},
        {"raw-rl-5-bytes", 2, {0x30, 0xff, 0xff, 0xff, 0xff, 0x01}, 6},
        {"raw-rl-not-minimal", 2, {0xc0, 0x80, 0x00}, 3},
        {"raw-rl-truncated", 2, {0x30, 0x80}, 2},
        {"raw-pingreq-flags", 2, {0xc1, 0x00}, 2},
        {"raw-pubrel-flags-0", 2, {0x60, 0x02, 0x00, 0x01}, 4},
        {"raw-puback-rl-3", 2, {0x40, 0x03, 0x00, 0x01, 0x10}, 5},
        {"raw-puback-rl-1", 2, {0x40, 0x01, 0x00}, 3},
        {"raw-pingreq-rl-1", 2, {0xc0, 0x01, 0x00}, 3},
        {"raw-disconnect-rl-1", 2, {0xe0, 0x01, 0x00}, 3},
        {"raw-connack-rl-3-v311", 1, {0x20, 0x03, 0x00, 0x00, 0x00}, 5},
        {"raw-max-size-2", 0x82, {0x30, 0x03, 0x00, 0x01, 'a'}, 5},
    };
    for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++)
        write_seed(g, "decode", raw[i].name, &raw[i].sel, 1, raw[i].bytes, raw[i].len);
}

/* stream target: [selector][n][sizes][stream]. Each version's valid packets, cut into short
 * streams of whole packets (at most STREAM_SEED_MAX bytes, so the target stays fast), each read
 * with one of several chunkings in turn. */
enum { STREAM_SEED_MAX = 128 };

static void gen_streams(gen *g)
{
    static const struct {
        const char *name;
        uint8_t n;
        uint8_t sizes[4];
    } chunkings[] = {
        {"bytewise", 0, {0}}, {"chunks-3", 1, {3}}, {"chunks-1-2-7", 3, {1, 2, 7}}, {"chunks-0-200", 2, {0, 200}},
        {"chunks-64", 1, {64}}};
    enum { N_CHUNKINGS = sizeof chunkings / sizeof chunkings[0] };
    static const mqtt_version versions[] = {MQTT_V31, MQTT_V311, MQTT_V5};
    unsigned turn = 0;
    for (int vi = 0; vi < 3; vi++) {
        size_t start = 0, k = 0, seq = 0;
        while (k < g->npackets[vi]) {
            size_t end = g->ends[vi][k++];
            while (k < g->npackets[vi] && g->ends[vi][k] - start <= STREAM_SEED_MAX)
                end = g->ends[vi][k++];
            unsigned c = turn++ % N_CHUNKINGS;
            uint8_t head[6] = {fuzz_selector_for(versions[vi], MQTT_DIR_UNKNOWN), chunkings[c].n};
            memcpy(head + 2, chunkings[c].sizes, chunkings[c].n);
            char name[64];
            snprintf(name, sizeof name, "%s-%02zu-%s", vtag(versions[vi]), seq++, chunkings[c].name);
            write_seed(g, "stream", name, head, 2u + chunkings[c].n, g->stream[vi] + start, end - start);
            start = end;
        }
    }
    /* two packets, the second's Remaining Length split mid-varint, then garbage */
    static const uint8_t tail[] = {0xc0, 0x00, 0x30, 0x82, 0x01, 0x00, 0x01, 'a', 0xff};
    uint8_t head[4] = {2, 2, 3, 1};
    write_seed(g, "stream", "v5-split-varint-then-garbage", head, 4, tail, sizeof tail);
}

/* topic target: [mode][filter][0xFF][name]. */
static void gen_topics(gen *g)
{
    static const char *const pairs[][2] = {
        {"sport/tennis/player1/#", "sport/tennis/player1"}, {"sport/#", "sport"}, {"sport/+", "sport/"},
        {"+/+", "/finance"}, {"/+", "/finance"}, {"+", "/finance"}, {"#", "$SYS/monitor"}, {"+/monitor", "$SYS/monitor"},
        {"$SYS/#", "$SYS/monitor"}, {"$SYS/monitor/+", "$SYS/monitor/Clients"}, {"a/b", "a/b"}, {"a//b", "a//b"},
        {"$share/g/a/+", "a/b"}, {"$share//a", "a"}, {"$share/g", "x"}, {"$share/g+/a", "a"}, {"a/#/b", "a"},
        {"a+", "a"}, {"caf\xc3\xa9/+", "caf\xc3\xa9/x"}, {"\xed\xa0\x80", "\xc0\x80"}, {"a", "\xf4\x90\x80\x80"},
        {"+/+/+", "a/b/c"}, {"/", "/"}, {"#", "a"}, {"a/+/#", "a/b"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        for (uint8_t mode = 0; mode < 2; mode++) {
            uint8_t buf[128];
            size_t fl = strlen(pairs[i][0]), nl = strlen(pairs[i][1]);
            buf[0] = mode;
            memcpy(buf + 1, pairs[i][0], fl);
            buf[1 + fl] = 0xFF;
            memcpy(buf + 2 + fl, pairs[i][1], nl);
            char name[32];
            snprintf(name, sizeof name, "pair-%02zu-%s", i, mode ? "v5" : "v311");
            write_seed(g, "topic", name, buf, 2 + fl + nl, NULL, 0);
        }
    }
    static const uint8_t nul[] = {1, 'a', 0, 'b'};
    write_seed(g, "topic", "nul", nul, sizeof nul, NULL, 0);
}

static void make_dir(const char *path)
{
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        die("cannot create", path);
}

int main(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: %s OUTDIR\nWrites seed corpora for every fuzz target into OUTDIR/<target>/.\n",
                argv[0]);
        return 2;
    }
    static gen g;
    g.out = argv[1];
    make_dir(g.out);
    static const char *const targets[] = {"decode", "roundtrip", "stream", "properties", "topic", "json"};
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", g.out, targets[i]);
        make_dir(path);
    }
    static const mqtt_version versions[] = {MQTT_V31, MQTT_V311, MQTT_V5};
    for (int i = 0; i < 3; i++) {
        mqtt_version v = versions[i];
        gen_connect(&g, v);
        gen_connack(&g, v);
        gen_publish(&g, v);
        gen_acks(&g, v);
        gen_subscribe(&g, v);
        gen_acks_with_codes(&g, v);
        gen_unsubscribe(&g, v);
        gen_simple(&g, v);
    }
    gen_raw(&g);
    gen_streams(&g);
    gen_properties(&g);
    gen_topics(&g);
    printf("gen_corpus: %u seed files in %s\n", g.files, g.out);
    return g.failed ? 1 : 0;
}
