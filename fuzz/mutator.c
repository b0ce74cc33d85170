/* mqtk fuzz — structure-aware mutation (LLVMFuzzerCustomMutator), linked into the *_structured
 * builds of decode and roundtrip (libFuzzer only: it calls LLVMFuzzerMutate).
 * Input layout as the targets read it: [selector][packet bytes]. The mutator decodes the packet,
 * changes one field (QoS, a flag, the packet id, a string, a property value, a property added or
 * removed, a reason code, a SUBSCRIBE options byte, the version) and re-encodes it UNCHECKED, so the
 * result is a well-framed packet that breaks one rule deep inside instead of dying at the fixed
 * header. When the bytes do not decode (or now and then anyway) it falls back to LLVMFuzzerMutate. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "fuzz_target.h"

typedef struct rng {
    uint32_t s;
} rng;

static uint32_t next(rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 17;
    r->s ^= r->s << 5;
    return r->s;
}

static uint32_t below(rng *r, uint32_t n)
{
    return n ? next(r) % n : 0u;
}

/* Strings that sit on validation edges: wildcards, $-topics, shared filters, bad UTF-8, U+0000. */
static const char *const string_tokens[] = {
    "", "a", "#", "+", "/", "a/+/b", "a/#", "a/#/b", "a+", "#a", "+/+", "$SYS/broker/uptime", "$share/g/t",
    "$share//t", "$share/g+/t", "$share/g/", "$share/g", "MQTT", "MQIsdp", "\xc0\x80", "\xed\xa0\x80",
    "\xf4\x90\x80\x80", "\xef\xbf\xbf", "\xe2\x82", "a\x7f", "\xc2\x80"};
#define N_TOKENS (sizeof string_tokens / sizeof string_tokens[0])

static const uint8_t reason_tokens[] = {0x00, 0x01, 0x02, 0x04, 0x10, 0x11, 0x18, 0x19, 0x80, 0x81, 0x82, 0x83,
                                        0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8B, 0x8C, 0x8D, 0x8E, 0x8F,
                                        0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B,
                                        0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2, 0x03, 0x05, 0x06, 0xFF};

static const uint32_t int_tokens[] = {0, 1, 2, 3, 127, 128, 255, 256, 16383, 16384, 65535, 65536,
                                      2097151, 2097152, 268435455, 268435456, 0xFFFFFFFFu};

/* Scratch memory the mutated packet's views point into until it is encoded. */
typedef struct scratch {
    uint8_t strings[4][128];
    unsigned nstrings;
    uint8_t props[2048];
    uint8_t payload[2048];
} scratch;

static mqtt_bytes new_string(rng *r, scratch *s, mqtt_bytes old)
{
    uint8_t *dst = s->strings[s->nstrings++ & 3u];
    if (below(r, 3) == 0 && old.len > 0 && old.len < 128) {
        /* keep the string, change one byte */
        memcpy(dst, old.data, old.len);
        dst[below(r, old.len)] = (uint8_t)next(r);
        return (mqtt_bytes){dst, old.len};
    }
    const char *t = string_tokens[below(r, N_TOKENS)];
    size_t n = strlen(t);
    if (below(r, 4) == 0)
        n += 1; /* keep the terminating NUL: U+0000 inside the string */
    memcpy(dst, t, n);
    return (mqtt_bytes){dst, (uint32_t)n};
}

static uint32_t new_int(rng *r)
{
    return below(r, 2) ? int_tokens[below(r, sizeof int_tokens / sizeof int_tokens[0])] : next(r);
}

static size_t put_varint(uint8_t *p, uint32_t v)
{
    size_t n = 0;
    do {
        uint8_t b = v & 0x7Fu;
        v >>= 7;
        p[n++] = (uint8_t)(b | (v ? 0x80u : 0u));
    } while (v && n < 4);
    return n;
}

/* One property's raw bytes (id, value) into p, with fuzzed values; unknown ids get one byte. */
static size_t raw_property(rng *r, uint8_t *p, scratch *s)
{
    unsigned id = below(r, 8) == 0 ? below(r, 128) : 1u + below(r, MQTT_PROP_ID_MAX);
    size_t n = 0;
    p[n++] = (uint8_t)id;
    uint32_t v = new_int(r);
    switch (mqtt_prop_type_of(id)) {
    case MQTT_PTYPE_NONE: p[n++] = (uint8_t)v; break;
    case MQTT_PTYPE_BYTE: p[n++] = (uint8_t)(below(r, 2) ? v % 3u : v); break;
    case MQTT_PTYPE_U16: p[n++] = (uint8_t)(v >> 8); p[n++] = (uint8_t)v; break;
    case MQTT_PTYPE_U32:
        for (int k = 3; k >= 0; k--)
            p[n++] = (uint8_t)(v >> (8 * k));
        break;
    case MQTT_PTYPE_VARINT: n += put_varint(p + n, v & 0x0FFFFFFFu); break;
    case MQTT_PTYPE_BINARY:
    case MQTT_PTYPE_STRING:
    case MQTT_PTYPE_STRING_PAIR: {
        int parts = mqtt_prop_type_of(id) == MQTT_PTYPE_STRING_PAIR ? 2 : 1;
        for (int k = 0; k < parts; k++) {
            mqtt_bytes b = new_string(r, s, (mqtt_bytes){NULL, 0});
            p[n++] = (uint8_t)(b.len >> 8);
            p[n++] = (uint8_t)b.len;
            memcpy(p + n, b.data, b.len);
            n += b.len;
        }
        break;
    }
    }
    return n;
}

/* Add, remove or replace one property of a raw list; the result lives in s->props. */
static mqtt_props mutate_props(rng *r, mqtt_props in, scratch *s)
{
    if (in.len > sizeof s->props - 600)
        return in;
    uint32_t offs[64], count = 0;
    mqtt_prop_iter it;
    mqtt_property p;
    mqtt_prop_iter_init(&it, in);
    while (count < 64 && mqtt_prop_next(&it, &p))
        offs[count++] = p.offset;
    uint32_t pick = below(r, count + 1), cut_from, cut_to;
    unsigned op = count ? below(r, 3) : 0; /* 0 add, 1 remove, 2 replace */
    if (op == 0) {
        cut_from = cut_to = pick < count ? offs[pick] : in.len;
    } else {
        pick %= count;
        cut_from = offs[pick];
        cut_to = pick + 1 < count ? offs[pick + 1] : in.len;
    }
    uint8_t prop[600];
    size_t plen = op == 1 ? 0 : raw_property(r, prop, s);
    uint8_t *out = s->props;
    if (cut_from > 0)
        memcpy(out, in.data, cut_from);
    memcpy(out + cut_from, prop, plen);
    if (in.len > cut_to)
        memcpy(out + cut_from + plen, in.data + cut_to, in.len - cut_to);
    return (mqtt_props){out, (uint32_t)(cut_from + plen + in.len - cut_to)};
}

/* A string field of the packet, or NULL. */
static mqtt_bytes *string_of(rng *r, mqtt_packet *pkt)
{
    if (pkt->type == MQTT_PUBLISH)
        return below(r, 4) ? &pkt->u.publish.topic : &pkt->u.publish.payload;
    if (pkt->type != MQTT_CONNECT)
        return NULL;
    mqtt_connect *c = &pkt->u.connect;
    mqtt_bytes *fields[] = {&c->client_id, &c->will_topic, &c->username, &c->password, &c->protocol_name,
                            &c->will_payload};
    return fields[below(r, 6)];
}

/* Change one SUBSCRIBE options byte, one SUBSCRIBE/UNSUBSCRIBE filter, or one SUBACK code. */
static bool mutate_payload(rng *r, mqtt_packet *pkt, scratch *s)
{
    mqtt_bytes *raw = pkt->type == MQTT_SUBSCRIBE     ? &pkt->u.subscribe.payload
                      : pkt->type == MQTT_UNSUBSCRIBE ? &pkt->u.unsubscribe.payload
                      : (pkt->type == MQTT_SUBACK || pkt->type == MQTT_UNSUBACK) ? &pkt->u.suback.reason_codes
                                                                                  : NULL;
    if (!raw || raw->len == 0 || raw->len > sizeof s->payload - 200)
        return false;
    memcpy(s->payload, raw->data, raw->len);
    uint32_t len = raw->len;
    if (pkt->type == MQTT_SUBACK || pkt->type == MQTT_UNSUBACK) {
        s->payload[below(r, len)] = reason_tokens[below(r, sizeof reason_tokens)];
    } else if (pkt->type == MQTT_SUBSCRIBE && below(r, 2)) {
        /* the options byte follows each filter: find entry k's */
        mqtt_payload_iter it;
        mqtt_subscription e;
        uint32_t k = below(r, pkt->u.subscribe.count), i = 0;
        mqtt_subscribe_iter_init(&it, &pkt->u.subscribe);
        while (mqtt_subscribe_next(&it, &e) && i++ < k)
            ;
        uint32_t at = (uint32_t)(e.filter.data + e.filter.len - raw->data);
        if (at < len)
            s->payload[at] = (uint8_t)(1u << below(r, 8)) ^ s->payload[at];
    } else {
        /* append one more filter (with an options byte for SUBSCRIBE) */
        mqtt_bytes f = new_string(r, s, (mqtt_bytes){NULL, 0});
        s->payload[len++] = (uint8_t)(f.len >> 8);
        s->payload[len++] = (uint8_t)f.len;
        memcpy(s->payload + len, f.data, f.len);
        len += f.len;
        if (pkt->type == MQTT_SUBSCRIBE) {
            s->payload[len++] = (uint8_t)next(r);
            pkt->u.subscribe.count++;
        } else {
            pkt->u.unsubscribe.count++;
        }
    }
    raw->data = s->payload;
    raw->len = len;
    return true;
}

/* Apply one field mutation; false when this packet has no such field. */
static bool mutate_field(rng *r, mqtt_packet *pkt, scratch *s)
{
    switch (below(r, 8)) {
    case 0: /* QoS */
        if (pkt->type == MQTT_PUBLISH) {
            pkt->u.publish.qos = (uint8_t)below(r, 4);
            return true;
        }
        if (pkt->type == MQTT_CONNECT) {
            pkt->u.connect.will_qos = (uint8_t)below(r, 4);
            return true;
        }
        return false;
    case 1: /* flags */
        if (pkt->type == MQTT_PUBLISH) {
            if (below(r, 2))
                pkt->u.publish.dup = !pkt->u.publish.dup;
            else
                pkt->u.publish.retain = !pkt->u.publish.retain;
            return true;
        }
        if (pkt->type == MQTT_CONNECT) {
            mqtt_connect *c = &pkt->u.connect;
            bool *flags[] = {&c->clean_start, &c->will, &c->will_retain, &c->has_username, &c->has_password};
            bool *f = flags[below(r, 5)];
            *f = !*f;
            return true;
        }
        if (pkt->type == MQTT_CONNACK) {
            pkt->u.connack.session_present = !pkt->u.connack.session_present;
            return true;
        }
        return false;
    case 2: { /* packet id */
        uint16_t *id = mqtt_packet_id_field(pkt);
        if (!id)
            return false;
        *id = below(r, 2) ? 0u : (uint16_t)next(r);
        return true;
    }
    case 3: { /* a string */
        mqtt_bytes *str = string_of(r, pkt);
        if (!str)
            return false;
        *str = new_string(r, s, *str);
        return true;
    }
    case 4:
    case 5: { /* a property value, or one added or removed */
        mqtt_props *props = mqtt_packet_props_field(pkt);
        if (!props)
            return false;
        if (pkt->type == MQTT_CONNECT && pkt->u.connect.will && below(r, 2))
            props = &pkt->u.connect.will_props;
        *props = mutate_props(r, *props, s);
        return true;
    }
    case 6: { /* reason code */
        uint8_t *code = mqtt_packet_reason_field(pkt);
        if (!code)
            return false;
        *code = below(r, 4) ? reason_tokens[below(r, sizeof reason_tokens)] : (uint8_t)next(r);
        return true;
    }
    default:
        return mutate_payload(r, pkt, s);
    }
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    rng r = {seed ? seed : 0x9E3779B9u};
    if (size < 2 || max_size < 3 || below(&r, 8) == 0)
        return LLVMFuzzerMutate(data, size, max_size);

    uint8_t *copy = malloc(size);
    scratch *s = malloc(sizeof *s);
    if (!copy || !s) {
        free(copy);
        free(s);
        return LLVMFuzzerMutate(data, size, max_size);
    }
    memcpy(copy, data, size);
    s->nstrings = 0;
    mqtt_decode_opts opts;
    fuzz_decode_opts_from_selector(copy[0], &opts);
    opts.max_packet_size = 0;
    mqtt_packet pkt;
    mqtt_frame frame;
    size_t out = 0;
    if (mqtt_decode(copy + 1, size - 1, &opts, &pkt, &frame) == MQTT_COMPLETE) {
        int tries = 4;
        while (tries-- > 0 && !mutate_field(&r, &pkt, s))
            ;
        uint8_t selector = copy[0];
        if (below(&r, 16) == 0) /* now and then read the same packet in another version or direction */
            selector = (uint8_t)((selector & 0xF0u) | below(&r, 16));
        mqtt_encode_opts eo = {fuzz_effective_version(&pkt, &opts), opts.direction, MQTT_ENCODE_UNCHECKED};
        size_t written = 0;
        if (mqtt_encode(&pkt, &eo, data + 1, max_size - 1, &written, NULL) == MQTT_OK) {
            data[0] = selector;
            out = written + 1;
        } else {
            memcpy(data, copy, size); /* a failed encode may have written part of data */
        }
    }
    free(copy);
    free(s);
    return out ? out : LLVMFuzzerMutate(data, size, max_size);
}
