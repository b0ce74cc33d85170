/* mqtk-bench — corpus construction. Sizes follow what MQTT traffic usually looks like: topics of
 * 20-60 bytes, payloads spread log-uniformly from 10 B to 4 KB, QoS 0 most common, 5.0 publishes
 * carrying message expiry, content type and a couple of user properties, acks mostly in their short
 * form. A fixed-seed generator makes the corpus identical on every run. */
#include "bench_corpus.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
    CORPUS_BYTES_CAP = 1u << 20,
    CORPUS_ENTRIES_CAP = 1024,
    PUBLISHES_PER_SESSION = 48,
    PUBLISHES_PER_PING = 16,
    TOPIC_MIN = 20,
    TOPIC_MAX = 60,
    PAYLOAD_MIN = 10,
    PAYLOAD_MAX = 4096
};

typedef struct corpus_builder {
    bench_corpus *corpus;
    mqtt_version version;
    uint64_t rng;
    uint16_t packet_id;
    bool failed;
    char *why;
    size_t why_cap;
    uint8_t props_buf[2][512];
    uint8_t payload_buf[PAYLOAD_MAX];
    uint8_t list_buf[1024];
    char topic_buf[TOPIC_MAX + 1];
    char text_buf[64];
} corpus_builder;

static const mqtt_direction OPPOSITE[] = {
    [MQTT_DIR_UNKNOWN] = MQTT_DIR_UNKNOWN,
    [MQTT_DIR_TO_SERVER] = MQTT_DIR_TO_CLIENT,
    [MQTT_DIR_TO_CLIENT] = MQTT_DIR_TO_SERVER,
};

/* splitmix64: tiny, good enough spread, and the same sequence everywhere. */
static uint32_t rng_next(corpus_builder *b)
{
    uint64_t z = (b->rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (uint32_t)((z ^ (z >> 31)) >> 32);
}

static uint32_t rng_range(corpus_builder *b, uint32_t lo, uint32_t hi)
{
    return lo + rng_next(b) % (hi - lo + 1u);
}

/* Log-uniform in [lo, hi]: as many 10-100 B payloads as 100 B-1 KB ones. */
static uint32_t rng_log_uniform(corpus_builder *b, uint32_t lo, uint32_t hi)
{
    double u = (double)rng_next(b) / 4294967296.0;
    double v = (double)lo * exp(u * log((double)hi / (double)lo));
    uint32_t out = (uint32_t)(v + 0.5);
    return out < lo ? lo : out > hi ? hi : out;
}

static void fail(corpus_builder *b, const char *what, mqtt_err err)
{
    if (b->failed)
        return;
    b->failed = true;
    snprintf(b->why, b->why_cap, "building the %s %s: %s", mqtt_version_name(b->version), what, mqtt_err_name(err));
}

static uint16_t next_packet_id(corpus_builder *b)
{
    b->packet_id = (uint16_t)(b->packet_id + 1u);
    if (b->packet_id == 0)
        b->packet_id = 1;
    return b->packet_id;
}

/* Encode pkt at the end of the corpus and record it. */
static void emit(corpus_builder *b, const mqtt_packet *pkt, mqtt_direction dir, bool headline)
{
    bench_corpus *c = b->corpus;
    if (b->failed)
        return;
    if (c->count == c->entries_cap) {
        fail(b, "corpus (entry table full)", MQTT_ERR_BUFFER_TOO_SMALL);
        return;
    }
    mqtt_encode_opts opts = {.version = b->version, .direction = dir, .flags = 0};
    size_t written = 0;
    mqtt_error err = {0};
    mqtt_err rc = mqtt_encode(pkt, &opts, c->bytes + c->bytes_len, c->bytes_cap - c->bytes_len, &written, &err);
    if (rc != MQTT_OK) {
        fail(b, mqtt_packet_type_name(pkt->type), rc);
        return;
    }
    if (headline)
        c->headline = c->count;
    c->entries[c->count++] = (bench_entry){
        .data = c->bytes + c->bytes_len,
        .len = (uint32_t)written,
        .type = pkt->type,
        .version = b->version,
        .direction = dir,
        .headline = headline,
    };
    c->bytes_len += written;
}

static mqtt_props finish_props(corpus_builder *b, const mqtt_props_builder *pb, const char *what)
{
    mqtt_props props = {0};
    mqtt_err rc = mqtt_props_finish(pb, &props);
    if (rc != MQTT_OK)
        fail(b, what, rc);
    return props;
}

/* A topic of exactly len bytes made of plausible levels ("plant-3/line-12/cell-07/…"). */
static mqtt_bytes make_topic(corpus_builder *b, uint32_t len)
{
    static const char *const LEVELS[] = {"plant", "line", "cell", "sensor", "gateway", "zone", "meter", "device"};
    static const char *const LEAVES[] = {"temperature", "humidity", "pressure", "state", "telemetry", "power"};
    char tmp[2 * TOPIC_MAX];
    int n = 0;
    while (n < (int)len) {
        const char *level = LEVELS[rng_next(b) % (sizeof LEVELS / sizeof LEVELS[0])];
        n += snprintf(tmp + n, sizeof tmp - (size_t)n, "%s-%u/", level, (unsigned)rng_range(b, 1, 99));
    }
    const char *leaf = LEAVES[rng_next(b) % (sizeof LEAVES / sizeof LEAVES[0])];
    size_t leaf_len = strlen(leaf);
    /* the leaf ends the topic; the levels before it are cut to make the length exact */
    size_t head = len - leaf_len;
    memcpy(b->topic_buf, tmp, head);
    memcpy(b->topic_buf + head, leaf, leaf_len);
    b->topic_buf[head - 1] = '/';
    if (b->topic_buf[head - 2] == '/')
        b->topic_buf[head - 2] = '7'; /* no empty level */
    return (mqtt_bytes){(const uint8_t *)b->topic_buf, len};
}

/* A JSON-looking payload of len bytes. */
static mqtt_bytes make_payload(corpus_builder *b, uint32_t len)
{
    uint32_t n = 0;
    while (n < len) {
        char rec[48];
        int k = snprintf(rec, sizeof rec, "{\"ts\":%u,\"v\":%u.%02u},", (unsigned)(1700000000u + rng_next(b) % 1000000u),
                         (unsigned)rng_range(b, 0, 999), (unsigned)rng_range(b, 0, 99));
        uint32_t take = (uint32_t)k < len - n ? (uint32_t)k : len - n;
        memcpy(b->payload_buf + n, rec, take);
        n += take;
    }
    return (mqtt_bytes){b->payload_buf, len};
}

static mqtt_bytes hex_text(corpus_builder *b, size_t digits)
{
    static const char HEX[] = "0123456789abcdef";
    for (size_t i = 0; i < digits; i++)
        b->text_buf[i] = HEX[rng_next(b) & 15u];
    return (mqtt_bytes){(const uint8_t *)b->text_buf, (uint32_t)digits};
}

static void add_connect(corpus_builder *b)
{
    mqtt_packet pkt = {.type = MQTT_CONNECT};
    mqtt_connect *c = &pkt.u.connect;
    c->clean_start = true;
    c->keep_alive = 60;
    c->client_id = mqtt_cstr("bench-sensor-00042");
    c->will = true;
    c->will_qos = 1;
    c->will_retain = true;
    c->will_topic = mqtt_cstr("status/bench-sensor-00042");
    c->will_payload = mqtt_cstr("{\"state\":\"offline\",\"reason\":\"connection lost\"}");
    c->has_username = true;
    c->username = mqtt_cstr("sensor-00042");
    c->has_password = true;
    c->password = mqtt_cstr("tok-5f2d8c1e9a7b4e03b6d1");
    if (b->version == MQTT_V5) {
        mqtt_props_builder pb;
        mqtt_props_builder_init(&pb, b->props_buf[0], sizeof b->props_buf[0]);
        mqtt_props_add_int(&pb, MQTT_PROP_SESSION_EXPIRY_INTERVAL, 3600);
        mqtt_props_add_int(&pb, MQTT_PROP_RECEIVE_MAXIMUM, 32);
        mqtt_props_add_int(&pb, MQTT_PROP_MAXIMUM_PACKET_SIZE, 262144);
        mqtt_props_add_int(&pb, MQTT_PROP_TOPIC_ALIAS_MAXIMUM, 16);
        mqtt_props_add_pair(&pb, MQTT_PROP_USER_PROPERTY, mqtt_cstr("app"), mqtt_cstr("mqtk-bench"));
        c->props = finish_props(b, &pb, "CONNECT properties");
        mqtt_props_builder wb;
        mqtt_props_builder_init(&wb, b->props_buf[1], sizeof b->props_buf[1]);
        mqtt_props_add_int(&wb, MQTT_PROP_WILL_DELAY_INTERVAL, 30);
        mqtt_props_add_int(&wb, MQTT_PROP_PAYLOAD_FORMAT_INDICATOR, 1);
        mqtt_props_add_int(&wb, MQTT_PROP_MESSAGE_EXPIRY_INTERVAL, 600);
        mqtt_props_add_bytes(&wb, MQTT_PROP_CONTENT_TYPE, mqtt_cstr("application/json"));
        mqtt_props_add_pair(&wb, MQTT_PROP_USER_PROPERTY, mqtt_cstr("site"), mqtt_cstr("plant-7"));
        c->will_props = finish_props(b, &wb, "CONNECT will properties");
    }
    emit(b, &pkt, MQTT_DIR_TO_SERVER, false);
}

static void add_connack(corpus_builder *b)
{
    mqtt_packet pkt = {.type = MQTT_CONNACK};
    if (b->version == MQTT_V5) {
        mqtt_props_builder pb;
        mqtt_props_builder_init(&pb, b->props_buf[0], sizeof b->props_buf[0]);
        mqtt_props_add_int(&pb, MQTT_PROP_SESSION_EXPIRY_INTERVAL, 3600);
        mqtt_props_add_int(&pb, MQTT_PROP_RECEIVE_MAXIMUM, 64);
        mqtt_props_add_int(&pb, MQTT_PROP_MAXIMUM_PACKET_SIZE, 1048576);
        mqtt_props_add_int(&pb, MQTT_PROP_TOPIC_ALIAS_MAXIMUM, 10);
        mqtt_props_add_int(&pb, MQTT_PROP_RETAIN_AVAILABLE, 1);
        mqtt_props_add_int(&pb, MQTT_PROP_WILDCARD_SUBSCRIPTION_AVAILABLE, 1);
        mqtt_props_add_int(&pb, MQTT_PROP_SHARED_SUBSCRIPTION_AVAILABLE, 1);
        mqtt_props_add_int(&pb, MQTT_PROP_SERVER_KEEP_ALIVE, 60);
        pkt.u.connack.props = finish_props(b, &pb, "CONNACK properties");
    }
    emit(b, &pkt, MQTT_DIR_TO_CLIENT, false);
}

static void add_subscribe(corpus_builder *b, size_t first, size_t n)
{
    static const char *const FILTERS[] = {
        "plant-7/+/temperature", "plant-7/line-2/#",      "cmd/bench-sensor-00042/#", "alerts/critical",
        "$share/ingest/telemetry/+/raw", "config/bench-sensor-00042", "+/status",
    };
    mqtt_subscription list[8];
    uint8_t granted[8];
    for (size_t i = 0; i < n; i++) {
        const char *filter = FILTERS[(first + i) % (sizeof FILTERS / sizeof FILTERS[0])];
        if (b->version != MQTT_V5 && filter[0] == '$')
            filter = "telemetry/+/raw"; /* shared subscriptions are a 5.0 feature */
        bool shared = filter[0] == '$';
        list[i] = (mqtt_subscription){.filter = mqtt_cstr(filter), .qos = (uint8_t)((first + i) % 3u)};
        if (b->version == MQTT_V5) {
            list[i].no_local = !shared && i % 2u == 0;
            list[i].retain_as_published = i % 3u == 1;
            list[i].retain_handling = (uint8_t)(i % 3u);
        }
        granted[i] = list[i].qos;
    }
    mqtt_packet pkt = {.type = MQTT_SUBSCRIBE};
    mqtt_subscribe *s = &pkt.u.subscribe;
    s->packet_id = next_packet_id(b);
    mqtt_err rc = mqtt_subscribe_payload_write(s, list, n, b->list_buf, sizeof b->list_buf);
    if (rc != MQTT_OK)
        fail(b, "SUBSCRIBE payload", rc);
    if (b->version == MQTT_V5) {
        mqtt_props_builder pb;
        mqtt_props_builder_init(&pb, b->props_buf[0], sizeof b->props_buf[0]);
        mqtt_props_add_int(&pb, MQTT_PROP_SUBSCRIPTION_IDENTIFIER, (uint32_t)(first + 1));
        mqtt_props_add_pair(&pb, MQTT_PROP_USER_PROPERTY, mqtt_cstr("purpose"), mqtt_cstr("telemetry"));
        s->props = finish_props(b, &pb, "SUBSCRIBE properties");
    }
    emit(b, &pkt, MQTT_DIR_TO_SERVER, false);

    mqtt_packet ack = {.type = MQTT_SUBACK};
    ack.u.suback.packet_id = s->packet_id;
    ack.u.suback.reason_codes = (mqtt_bytes){granted, (uint32_t)n};
    emit(b, &ack, MQTT_DIR_TO_CLIENT, false);
}

static void add_unsubscribe(corpus_builder *b)
{
    const mqtt_bytes filters[] = {mqtt_cstr("plant-7/+/temperature"), mqtt_cstr("alerts/critical"),
                                  mqtt_cstr("+/status")};
    const size_t n = sizeof filters / sizeof filters[0];
    mqtt_packet pkt = {.type = MQTT_UNSUBSCRIBE};
    mqtt_unsubscribe *u = &pkt.u.unsubscribe;
    u->packet_id = next_packet_id(b);
    mqtt_err rc = mqtt_unsubscribe_payload_write(u, filters, n, b->list_buf, sizeof b->list_buf);
    if (rc != MQTT_OK)
        fail(b, "UNSUBSCRIBE payload", rc);
    if (b->version == MQTT_V5) {
        mqtt_props_builder pb;
        mqtt_props_builder_init(&pb, b->props_buf[0], sizeof b->props_buf[0]);
        mqtt_props_add_pair(&pb, MQTT_PROP_USER_PROPERTY, mqtt_cstr("purpose"), mqtt_cstr("cleanup"));
        u->props = finish_props(b, &pb, "UNSUBSCRIBE properties");
    }
    emit(b, &pkt, MQTT_DIR_TO_SERVER, false);

    /* 3.x UNSUBACK carries no reason codes; 5.0 one per filter */
    static const uint8_t CODES[] = {0x00, 0x11, 0x00};
    mqtt_packet ack = {.type = MQTT_UNSUBACK};
    ack.u.suback.packet_id = u->packet_id;
    if (b->version == MQTT_V5)
        ack.u.suback.reason_codes = (mqtt_bytes){CODES, (uint32_t)n};
    emit(b, &ack, MQTT_DIR_TO_CLIENT, false);
}

/* PUBACK / PUBREC / PUBREL / PUBCOMP. In 5.0 one ack in four carries a reason code and a Reason
 * String, one in four a reason code alone, the rest are the 2-byte short form. */
static void add_ack(corpus_builder *b, mqtt_packet_type type, uint16_t packet_id, mqtt_direction dir, unsigned nth)
{
    mqtt_packet pkt = {.type = type};
    pkt.u.ack.packet_id = packet_id;
    if (b->version == MQTT_V5 && nth % 4u < 2u) {
        /* success-class codes every ack type accepts: 0x10 no matching subscribers (PUBACK, PUBREC),
         * 0x92 packet identifier not found (PUBREL, PUBCOMP) */
        pkt.u.ack.reason_code = (type == MQTT_PUBACK || type == MQTT_PUBREC) ? 0x10 : 0x92;
        if (nth % 4u == 0) {
            mqtt_props_builder pb;
            mqtt_props_builder_init(&pb, b->props_buf[0], sizeof b->props_buf[0]);
            mqtt_props_add_bytes(&pb, MQTT_PROP_REASON_STRING, mqtt_cstr("no subscribers for this topic"));
            pkt.u.ack.props = finish_props(b, &pb, "ack properties");
        }
    }
    emit(b, &pkt, dir, false);
}

static void add_publish(corpus_builder *b, unsigned nth, unsigned *acks)
{
    uint32_t roll = rng_range(b, 0, 99);
    uint8_t qos = roll < 50 ? 0 : roll < 85 ? 1 : 2;
    mqtt_direction dir = nth % 2u ? MQTT_DIR_TO_CLIENT : MQTT_DIR_TO_SERVER;
    mqtt_packet pkt = {.type = MQTT_PUBLISH};
    mqtt_publish *p = &pkt.u.publish;
    p->qos = qos;
    p->retain = nth % 10u == 3;
    p->topic = make_topic(b, rng_range(b, TOPIC_MIN, TOPIC_MAX));
    p->payload = make_payload(b, rng_log_uniform(b, PAYLOAD_MIN, PAYLOAD_MAX));
    if (qos > 0)
        p->packet_id = next_packet_id(b);
    if (b->version == MQTT_V5) {
        mqtt_props_builder pb;
        mqtt_props_builder_init(&pb, b->props_buf[0], sizeof b->props_buf[0]);
        mqtt_props_add_int(&pb, MQTT_PROP_PAYLOAD_FORMAT_INDICATOR, 1);
        mqtt_props_add_int(&pb, MQTT_PROP_MESSAGE_EXPIRY_INTERVAL, rng_range(b, 60, 86400));
        mqtt_props_add_bytes(&pb, MQTT_PROP_CONTENT_TYPE, mqtt_cstr("application/json"));
        if (nth % 6u == 0) {
            mqtt_props_add_bytes(&pb, MQTT_PROP_RESPONSE_TOPIC, mqtt_cstr("reply/bench-sensor-00042/cmd"));
            mqtt_props_add_bytes(&pb, MQTT_PROP_CORRELATION_DATA, hex_text(b, 16));
        }
        if (dir == MQTT_DIR_TO_CLIENT)
            mqtt_props_add_int(&pb, MQTT_PROP_SUBSCRIPTION_IDENTIFIER, rng_range(b, 1, 2));
        mqtt_props_add_pair(&pb, MQTT_PROP_USER_PROPERTY, mqtt_cstr("trace-id"), hex_text(b, 16));
        mqtt_props_add_pair(&pb, MQTT_PROP_USER_PROPERTY, mqtt_cstr("origin"), mqtt_cstr("gw-07"));
        p->props = finish_props(b, &pb, "PUBLISH properties");
    }
    emit(b, &pkt, dir, false);

    mqtt_direction back = OPPOSITE[dir];
    if (qos == 1) {
        add_ack(b, MQTT_PUBACK, p->packet_id, back, (*acks)++);
    } else if (qos == 2) {
        add_ack(b, MQTT_PUBREC, p->packet_id, back, (*acks)++);
        add_ack(b, MQTT_PUBREL, p->packet_id, dir, (*acks)++);
        add_ack(b, MQTT_PUBCOMP, p->packet_id, back, (*acks)++);
    }
}

/* The headline packet: a 5.0 QoS 1 PUBLISH of about 100 bytes with message expiry, content type and
 * one user property — the shape of most telemetry on a 5.0 broker. */
static void add_headline_publish(corpus_builder *b)
{
    mqtt_packet pkt = {.type = MQTT_PUBLISH};
    mqtt_publish *p = &pkt.u.publish;
    p->qos = 1;
    p->packet_id = next_packet_id(b);
    p->topic = mqtt_cstr("plant-7/line-2/temperature");
    p->payload = mqtt_cstr("{\"t\":1717171717,\"v\":21.5}");
    mqtt_props_builder pb;
    mqtt_props_builder_init(&pb, b->props_buf[0], sizeof b->props_buf[0]);
    mqtt_props_add_int(&pb, MQTT_PROP_MESSAGE_EXPIRY_INTERVAL, 3600);
    mqtt_props_add_bytes(&pb, MQTT_PROP_CONTENT_TYPE, mqtt_cstr("application/json"));
    mqtt_props_add_pair(&pb, MQTT_PROP_USER_PROPERTY, mqtt_cstr("trace"), mqtt_cstr("7f3a9c21"));
    p->props = finish_props(b, &pb, "headline PUBLISH properties");
    emit(b, &pkt, MQTT_DIR_TO_SERVER, true);
    unsigned short_form = 2; /* the ack takes the common 2-byte form */
    add_ack(b, MQTT_PUBACK, p->packet_id, MQTT_DIR_TO_CLIENT, short_form);
}

static void add_ping(corpus_builder *b)
{
    mqtt_packet req = {.type = MQTT_PINGREQ};
    mqtt_packet resp = {.type = MQTT_PINGRESP};
    emit(b, &req, MQTT_DIR_TO_SERVER, false);
    emit(b, &resp, MQTT_DIR_TO_CLIENT, false);
}

/* 5.0 re-authentication: client starts, server challenges, client answers, server confirms. */
static void add_auth_exchange(corpus_builder *b)
{
    static const struct {
        uint8_t reason;
        mqtt_direction dir;
        unsigned data_len;
    } STEPS[] = {
        {0x19, MQTT_DIR_TO_SERVER, 32},
        {0x18, MQTT_DIR_TO_CLIENT, 48},
        {0x18, MQTT_DIR_TO_SERVER, 44},
        {0x00, MQTT_DIR_TO_CLIENT, 0},
    };
    uint8_t data[64];
    for (size_t s = 0; s < sizeof STEPS / sizeof STEPS[0]; s++) {
        for (unsigned i = 0; i < STEPS[s].data_len; i++)
            data[i] = (uint8_t)rng_next(b);
        mqtt_packet pkt = {.type = MQTT_AUTH};
        pkt.u.reason.reason_code = STEPS[s].reason;
        mqtt_props_builder pb;
        mqtt_props_builder_init(&pb, b->props_buf[0], sizeof b->props_buf[0]);
        mqtt_props_add_bytes(&pb, MQTT_PROP_AUTHENTICATION_METHOD, mqtt_cstr("SCRAM-SHA-256"));
        if (STEPS[s].data_len)
            mqtt_props_add_bytes(&pb, MQTT_PROP_AUTHENTICATION_DATA, (mqtt_bytes){data, STEPS[s].data_len});
        pkt.u.reason.props = finish_props(b, &pb, "AUTH properties");
        emit(b, &pkt, STEPS[s].dir, false);
    }
}

static void add_disconnect(corpus_builder *b)
{
    mqtt_packet pkt = {.type = MQTT_DISCONNECT};
    if (b->version == MQTT_V5) {
        pkt.u.reason.reason_code = 0x04; /* disconnect with will message */
        mqtt_props_builder pb;
        mqtt_props_builder_init(&pb, b->props_buf[0], sizeof b->props_buf[0]);
        mqtt_props_add_int(&pb, MQTT_PROP_SESSION_EXPIRY_INTERVAL, 0);
        mqtt_props_add_bytes(&pb, MQTT_PROP_REASON_STRING, mqtt_cstr("shutting down for maintenance"));
        pkt.u.reason.props = finish_props(b, &pb, "DISCONNECT properties");
    }
    emit(b, &pkt, MQTT_DIR_TO_SERVER, false);
}

static void add_session(corpus_builder *b)
{
    unsigned acks = 0;
    add_connect(b);
    add_connack(b);
    if (b->version == MQTT_V5)
        add_auth_exchange(b);
    add_subscribe(b, 0, 3);
    add_subscribe(b, 3, 4);
    for (unsigned i = 0; i < PUBLISHES_PER_SESSION; i++) {
        if (i > 0 && i % PUBLISHES_PER_PING == 0)
            add_ping(b);
        if (b->version == MQTT_V5 && i == PUBLISHES_PER_SESSION / 2)
            add_headline_publish(b);
        add_publish(b, i, &acks);
    }
    add_unsubscribe(b);
    add_ping(b);
    add_disconnect(b);
}

bool bench_corpus_build(bench_corpus *c, char *why, size_t why_cap)
{
    static const mqtt_version VERSIONS[] = {MQTT_V31, MQTT_V311, MQTT_V5};
    *c = (bench_corpus){0};
    c->bytes = malloc(CORPUS_BYTES_CAP);
    c->entries = malloc(CORPUS_ENTRIES_CAP * sizeof *c->entries);
    if (!c->bytes || !c->entries) {
        snprintf(why, why_cap, "out of memory");
        bench_corpus_free(c);
        return false;
    }
    c->bytes_cap = CORPUS_BYTES_CAP;
    c->entries_cap = CORPUS_ENTRIES_CAP;
    corpus_builder *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(why, why_cap, "out of memory");
        bench_corpus_free(c);
        return false;
    }
    b->corpus = c;
    b->why = why;
    b->why_cap = why_cap;
    b->rng = 20240611u;
    for (size_t v = 0; v < sizeof VERSIONS / sizeof VERSIONS[0] && !b->failed; v++) {
        b->version = VERSIONS[v];
        b->packet_id = 0;
        add_session(b);
    }
    bool ok = !b->failed;
    free(b);
    if (!ok)
        bench_corpus_free(c);
    return ok;
}

void bench_corpus_free(bench_corpus *c)
{
    free(c->bytes);
    free(c->entries);
    *c = (bench_corpus){0};
}

const char *bench_direction_name(mqtt_direction d)
{
    return d == MQTT_DIR_TO_SERVER ? "to-server" : d == MQTT_DIR_TO_CLIENT ? "to-client" : "unknown";
}

bool bench_corpus_write(const bench_corpus *c, FILE *out)
{
    static const char HEX[] = "0123456789abcdef";
    fprintf(out, "# mqtk-bench corpus: %zu packets, %zu bytes\n", c->count, c->bytes_len);
    fprintf(out, "# one packet per line: <version 3.1|3.1.1|5.0> <TYPE> <to-server|to-client> <headline|-> <hex>\n");
    for (size_t i = 0; i < c->count; i++) {
        const bench_entry *e = &c->entries[i];
        fprintf(out, "%s %s %s %s ", mqtt_version_name(e->version), mqtt_packet_type_name(e->type),
                bench_direction_name(e->direction), e->headline ? "headline" : "-");
        for (uint32_t k = 0; k < e->len; k++) {
            fputc(HEX[e->data[k] >> 4], out);
            fputc(HEX[e->data[k] & 15u], out);
        }
        fputc('\n', out);
    }
    return fflush(out) == 0 && !ferror(out);
}
