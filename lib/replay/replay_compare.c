/* mqtk replay — the key fields of each reply type and how they are shown (see replay_compare.h).
 * Fields that legitimately differ on a new connection (assigned client ids, the broker's packet
 * ids for its own flows, property values such as server keep-alive) are not compared. */
#include "replay_compare.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "format/packet_fields.h"

typedef void (*field_show)(const replay_reply *r, char *buf, size_t cap);

/* A number field of lib/format's table, in decimal. */
static void show_number(const replay_reply *r, fmt_pf_id id, char *buf, size_t cap)
{
    fmt_pf_value v = {0};
    fmt_pf_fields[id].get(r->pkt, &v);
    snprintf(buf, cap, "%u", v.num);
}

static void show_session_present(const replay_reply *r, char *buf, size_t cap)
{
    show_number(r, FMT_PF_SESSION_PRESENT, buf, cap);
}

static void show_reason(const replay_reply *r, char *buf, size_t cap)
{
    fmt_pf_value v = {0};
    fmt_pf_fields[FMT_PF_REASON_CODE].get(r->pkt, &v);
    snprintf(buf, cap, "0x%02x", v.num);
}

static void show_packet_id(const replay_reply *r, char *buf, size_t cap)
{
    snprintf(buf, cap, "%ld", (long)r->packet_id);
}

static void show_reason_codes(const replay_reply *r, char *buf, size_t cap)
{
    mqtt_bytes codes = r->pkt->u.suback.reason_codes;
    size_t n = (size_t)snprintf(buf, cap, "[");
    for (uint32_t i = 0; i < codes.len && n + 8 < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, "%s0x%02x", i ? " " : "", codes.data[i]);
    snprintf(buf + n, cap - n, "%s]", n + 8 < cap ? "" : " …");
}

static void show_qos(const replay_reply *r, char *buf, size_t cap)
{
    show_number(r, FMT_PF_QOS, buf, cap);
}

static void show_retain(const replay_reply *r, char *buf, size_t cap)
{
    show_number(r, FMT_PF_RETAIN, buf, cap);
}

/* Bytes as "quoted text" when printable, else hex; long ones cut with their length. */
static void show_bytes(mqtt_bytes b, char *buf, size_t cap)
{
    bool text = true;
    for (uint32_t i = 0; i < b.len && text; i++)
        text = b.data[i] >= 0x20 && b.data[i] < 0x7f && b.data[i] != '"';
    size_t n = (size_t)snprintf(buf, cap, "%u bytes %s", b.len, text ? "\"" : "0x");
    uint32_t shown = 0;
    for (; shown < b.len && n + 12 < cap; shown++)
        n += (size_t)snprintf(buf + n, cap - n, text ? "%c" : "%02x", b.data[shown]);
    snprintf(buf + n, cap - n, "%s%s", shown < b.len ? "…" : "", text ? "\"" : "");
}

static void show_topic(const replay_reply *r, char *buf, size_t cap)
{
    show_bytes(r->topic, buf, cap);
}

static void show_payload(const replay_reply *r, char *buf, size_t cap)
{
    show_bytes(r->pkt->u.publish.payload, buf, cap);
}

/* Two payloads can agree in their shown prefix and still differ: compare them whole. */
static bool payloads_differ(const replay_reply *a, const replay_reply *b)
{
    mqtt_bytes x = a->pkt->u.publish.payload, y = b->pkt->u.publish.payload;
    return x.len != y.len || (x.len && memcmp(x.data, y.data, x.len) != 0);
}

static bool topics_differ(const replay_reply *a, const replay_reply *b)
{
    return a->topic.len != b->topic.len || (a->topic.len && memcmp(a->topic.data, b->topic.data, a->topic.len) != 0);
}

typedef struct key_field {
    fmt_pf_id field; /* its name is the table's canonical one */
    field_show show;
    bool (*differ)(const replay_reply *, const replay_reply *); /* NULL: the shown forms are compared */
} key_field;

enum {
    F_SESSION = 1u << 0,
    F_REASON = 1u << 1,
    F_ID = 1u << 2,
    F_CODES = 1u << 3,
    F_QOS = 1u << 4,
    F_RETAIN = 1u << 5,
    F_TOPIC = 1u << 6,
    F_PAYLOAD = 1u << 7,
};

static const key_field key_fields[] = {
    {FMT_PF_SESSION_PRESENT, show_session_present, NULL},
    {FMT_PF_REASON_CODE, show_reason, NULL},
    {FMT_PF_PACKET_ID, show_packet_id, NULL},
    {FMT_PF_REASON_CODES, show_reason_codes, NULL},
    {FMT_PF_QOS, show_qos, NULL},
    {FMT_PF_RETAIN, show_retain, NULL},
    {FMT_PF_TOPIC, show_topic, topics_differ},
    {FMT_PF_PAYLOAD, show_payload, payloads_differ},
};

/* The key fields of each packet a broker sends. */
static const unsigned fields_of_type[16] = {
    [MQTT_CONNACK] = F_SESSION | F_REASON,
    [MQTT_PUBLISH] = F_QOS | F_RETAIN | F_TOPIC | F_PAYLOAD,
    [MQTT_PUBACK] = F_ID | F_REASON,
    [MQTT_PUBREC] = F_ID | F_REASON,
    [MQTT_PUBREL] = F_ID | F_REASON,
    [MQTT_PUBCOMP] = F_ID | F_REASON,
    [MQTT_SUBACK] = F_ID | F_CODES,
    [MQTT_UNSUBACK] = F_ID | F_CODES,
    [MQTT_DISCONNECT] = F_REASON,
    [MQTT_AUTH] = F_REASON,
};

size_t replay_compare(const replay_reply *captured, const replay_reply *replayed, replay_diff *diffs, size_t max)
{
    unsigned fields = fields_of_type[captured->pkt->type & 15];
    if (captured->packet_id < 0 || replayed->packet_id < 0)
        fields &= ~(unsigned)F_ID;
    size_t n = 0;
    for (size_t i = 0; i < sizeof key_fields / sizeof key_fields[0] && n < max; i++) {
        if (!(fields & (1u << i)))
            continue;
        const key_field *f = &key_fields[i];
        replay_diff *d = &diffs[n];
        f->show(captured, d->captured, sizeof d->captured);
        f->show(replayed, d->replayed, sizeof d->replayed);
        bool differ = f->differ ? f->differ(captured, replayed) : strcmp(d->captured, d->replayed) != 0;
        if (differ) {
            d->field = fmt_pf_fields[f->field].name;
            n++;
        }
    }
    return n;
}
