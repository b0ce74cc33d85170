#include "bf_mutate.h"

#include <string.h>

static const char *const names[BF_MUT_COUNT] = {
    "none",          "flags",         "qos3",     "pid0",     "bad-utf8", "wildcard-topic", "prop-inject",
    "prop-repeat",   "prop-length",   "vbi-form", "length-delta", "truncate", "append",   "bitflip",
    "connect-flags", "protocol",      "shared-no-local", "empty-list", "packet-type", "dup", "drop",
    "swap",          "split",
};

const char *bf_mutation_name(unsigned m)
{
    return m < BF_MUT_COUNT ? names[m] : "?";
}

bool bf_step_header(const bf_step *st, uint32_t *remaining, unsigned *header_len)
{
    uint32_t v = 0;
    for (unsigned i = 1; i < 5 && i < st->len; i++) {
        v |= (uint32_t)(st->bytes[i] & 0x7f) << (7 * (i - 1));
        if (!(st->bytes[i] & 0x80)) {
            *remaining = v;
            *header_len = i + 1;
            return true;
        }
    }
    return false;
}

static unsigned vbi_write(uint8_t *out, uint32_t v)
{
    unsigned n = 0;
    do {
        uint8_t b = v & 0x7f;
        v >>= 7;
        out[n++] = (uint8_t)(v ? b | 0x80 : b);
    } while (v && n < 4);
    return n;
}

/* Rewrite a step as first byte + Remaining Length (claimed) + body. */
static bool rewrap(bf_step *st, uint8_t first, uint32_t claimed, const uint8_t *body, size_t blen)
{
    uint8_t tmp[BF_MAX_STEP_BYTES];
    uint8_t hdr[5];
    hdr[0] = first;
    unsigned h = 1 + vbi_write(hdr + 1, claimed);
    if (h + blen > sizeof tmp)
        return false;
    memcpy(tmp, hdr, h);
    memcpy(tmp + h, body, blen);
    memcpy(st->bytes, tmp, h + blen);
    st->len = (uint16_t)(h + blen);
    return true;
}

/* The body of a step (after its header) as it stands. */
static bool body_of(const bf_step *st, const uint8_t **body, size_t *blen)
{
    uint32_t rl;
    unsigned h;
    if (st->kind != BF_SEND || !bf_step_header(st, &rl, &h))
        return false;
    *body = st->bytes + h;
    *blen = st->len - h;
    return true;
}

/* Decode a step that is still valid; its views point into st->bytes. */
static bool decoded(const bf_session *s, const bf_step *st, mqtt_packet *p)
{
    mqtt_frame f;
    return st->kind == BF_SEND && bf_step_decode(s, st, p, &f) == MQTT_COMPLETE && f.packet_len == st->len;
}

static size_t off_in(const bf_step *st, const uint8_t *p)
{
    return (size_t)(p - st->bytes);
}

static bool encode_into(const bf_session *s, bf_step *st, const mqtt_packet *p)
{
    uint8_t tmp[BF_MAX_STEP_BYTES];
    size_t n = 0;
    mqtt_encode_opts o = {s->version, MQTT_DIR_TO_SERVER, MQTT_ENCODE_UNCHECKED};
    if (mqtt_encode(p, &o, tmp, sizeof tmp, &n, NULL) != MQTT_OK)
        return false;
    memcpy(st->bytes, tmp, n);
    st->len = (uint16_t)n;
    return true;
}

static bool m_flags(bf_rng *r, bf_session *s, bf_step *st)
{
    (void)s;
    if (st->kind != BF_SEND || st->len < 2)
        return false;
    uint8_t type = st->bytes[0] >> 4;
    if (type == MQTT_PUBLISH)
        st->bytes[0] |= 0x06;
    else
        st->bytes[0] ^= (uint8_t)(1 + bf_rng_below(r, 15));
    return true;
}

/* The string a step carries that mutators of text aim at. */
static bool text_of(const bf_session *s, bf_step *st, mqtt_bytes *out)
{
    mqtt_packet p;
    if (!decoded(s, st, &p))
        return false;
    mqtt_payload_iter it;
    mqtt_subscription sub;
    switch (p.type) {
    case MQTT_PUBLISH:
        *out = p.u.publish.topic;
        return out->len > 0;
    case MQTT_CONNECT:
        *out = p.u.connect.client_id;
        return out->len > 0;
    case MQTT_SUBSCRIBE:
        mqtt_subscribe_iter_init(&it, &p.u.subscribe);
        if (!mqtt_subscribe_next(&it, &sub))
            return false;
        *out = sub.filter;
        return out->len > 0;
    case MQTT_UNSUBSCRIBE:
        mqtt_unsubscribe_iter_init(&it, &p.u.unsubscribe);
        return mqtt_unsubscribe_next(&it, out) && out->len > 0;
    default:
        return false;
    }
}

static bool m_bad_utf8(bf_rng *r, bf_session *s, bf_step *st)
{
    mqtt_bytes t;
    if (!text_of(s, st, &t))
        return false;
    static const uint8_t singles[] = {0xff, 0xc0, 0x80, 0x00, 0xfe};
    size_t at = off_in(st, t.data) + bf_rng_below(r, t.len);
    if (t.len >= 3 && bf_rng_chance(r, 30)) {
        at = off_in(st, t.data) + bf_rng_below(r, t.len - 2);
        st->bytes[at] = 0xed; /* a UTF-16 surrogate, U+D800 */
        st->bytes[at + 1] = 0xa0;
        st->bytes[at + 2] = 0x80;
    } else
        st->bytes[at] = singles[bf_rng_below(r, sizeof singles)];
    return true;
}

static bool m_wildcard(bf_rng *r, bf_session *s, bf_step *st)
{
    mqtt_packet p;
    if (!decoded(s, st, &p) || p.type != MQTT_PUBLISH || p.u.publish.topic.len == 0)
        return false;
    st->bytes[off_in(st, p.u.publish.topic.data) + p.u.publish.topic.len - 1] = bf_rng_chance(r, 50) ? '#' : '+';
    return true;
}

static bool m_qos3(bf_rng *r, bf_session *s, bf_step *st)
{
    (void)r;
    mqtt_packet p;
    if (!decoded(s, st, &p))
        return false;
    if (p.type == MQTT_SUBSCRIBE) {
        mqtt_payload_iter it;
        mqtt_subscription sub;
        mqtt_subscribe_iter_init(&it, &p.u.subscribe);
        if (!mqtt_subscribe_next(&it, &sub))
            return false;
        st->bytes[off_in(st, sub.filter.data) + sub.filter.len] |= 0x03;
        return true;
    }
    if (p.type == MQTT_CONNECT && p.u.connect.will) {
        size_t flags = off_in(st, p.u.connect.protocol_name.data) + p.u.connect.protocol_name.len + 1;
        st->bytes[flags] |= 0x18;
        return true;
    }
    return false;
}

/* Where a step's packet identifier sits, when it has one. */
static bool pid_at(const bf_session *s, bf_step *st, size_t *at)
{
    mqtt_packet p;
    if (!decoded(s, st, &p))
        return false;
    uint32_t rl = 0;
    unsigned h = 0;
    bf_step_header(st, &rl, &h);
    switch (p.type) {
    case MQTT_PUBLISH:
        if (!p.u.publish.qos)
            return false;
        *at = off_in(st, p.u.publish.topic.data) + p.u.publish.topic.len;
        return true;
    case MQTT_PUBACK: case MQTT_PUBREC: case MQTT_PUBREL: case MQTT_PUBCOMP: case MQTT_SUBSCRIBE:
    case MQTT_UNSUBSCRIBE:
        *at = h;
        return true;
    default:
        return false;
    }
}

static bool m_pid0(bf_rng *r, bf_session *s, bf_step *st)
{
    (void)r;
    size_t at;
    if (!pid_at(s, st, &at))
        return false;
    st->bytes[at] = 0;
    st->bytes[at + 1] = 0;
    return true;
}

/* One property of id with a value of its type (edge values included). */
static size_t prop_write(bf_rng *r, unsigned id, uint8_t *out)
{
    size_t n = 0;
    out[n++] = (uint8_t)id;
    static const uint32_t u32s[] = {0, 1, 0xffffffffu, 60};
    switch (mqtt_prop_type_of(id)) {
    case MQTT_PTYPE_BYTE:
        out[n++] = (uint8_t)bf_rng_below(r, 3);
        break;
    case MQTT_PTYPE_U16: {
        uint16_t v = bf_rng_chance(r, 30) ? 0 : (uint16_t)(1 + bf_rng_below(r, 4));
        out[n++] = (uint8_t)(v >> 8);
        out[n++] = (uint8_t)v;
        break;
    }
    case MQTT_PTYPE_U32: {
        uint32_t v = u32s[bf_rng_below(r, 4)];
        for (int k = 3; k >= 0; k--)
            out[n++] = (uint8_t)(v >> (8 * k));
        break;
    }
    case MQTT_PTYPE_VARINT:
        n += vbi_write(out + n, bf_rng_chance(r, 30) ? 0 : 1 + bf_rng_below(r, 300));
        break;
    case MQTT_PTYPE_BINARY:
    case MQTT_PTYPE_STRING:
        out[n++] = 0;
        out[n++] = 2;
        out[n++] = 'f';
        out[n++] = bf_rng_chance(r, 20) ? 0xff : 'z';
        break;
    case MQTT_PTYPE_STRING_PAIR: {
        static const uint8_t pair[] = {0, 1, 'k', 0, 1, 'v'};
        memcpy(out + n, pair, sizeof pair);
        n += sizeof pair;
        break;
    }
    default:
        out[n++] = 0;
        break;
    }
    return n;
}

static bool m_prop(bf_rng *r, bf_session *s, bf_step *st, bool repeat)
{
    mqtt_packet p;
    if (s->version != MQTT_V5 || !decoded(s, st, &p))
        return false;
    mqtt_props *pr = mqtt_packet_props_field(&p);
    if (!pr)
        return false;
    uint8_t buf[BF_MAX_STEP_BYTES];
    if (pr->len + 16u > sizeof buf)
        return false;
    if (pr->len)
        memcpy(buf, pr->data, pr->len);
    size_t n = pr->len;
    if (repeat) {
        mqtt_prop_iter it;
        mqtt_property one, next;
        mqtt_prop_iter_init(&it, *pr);
        uint32_t count = mqtt_props_count(*pr);
        if (!count)
            return false;
        uint32_t k = bf_rng_below(r, count), i = 0;
        while (mqtt_prop_next(&it, &one) && i < k)
            i++;
        uint32_t end = mqtt_prop_next(&it, &next) ? next.offset : pr->len;
        if (n + (end - one.offset) > sizeof buf)
            return false;
        memcpy(buf + n, pr->data + one.offset, end - one.offset);
        n += end - one.offset;
    } else {
        /* mostly the known ids, sometimes 0 or one past the last */
        unsigned id = bf_rng_chance(r, 10) ? (bf_rng_chance(r, 50) ? 0 : MQTT_PROP_ID_MAX + 1)
                                           : 1 + bf_rng_below(r, MQTT_PROP_ID_MAX);
        n += prop_write(r, id, buf + n);
    }
    *pr = (mqtt_props){buf, (uint32_t)n};
    if (p.type == MQTT_PUBACK || p.type == MQTT_PUBREC || p.type == MQTT_PUBREL || p.type == MQTT_PUBCOMP)
        p.u.ack.tail = MQTT_TAIL_PROPERTIES;
    if (p.type == MQTT_DISCONNECT || p.type == MQTT_AUTH)
        p.u.reason.tail = MQTT_TAIL_PROPERTIES;
    return encode_into(s, st, &p);
}

static bool m_prop_inject(bf_rng *r, bf_session *s, bf_step *st)
{
    return m_prop(r, s, st, false);
}

static bool m_prop_repeat(bf_rng *r, bf_session *s, bf_step *st)
{
    return m_prop(r, s, st, true);
}

/* The Property Length of a 5.0 PUBLISH, SUBSCRIBE or UNSUBSCRIBE: non-minimal, or off by some. */
static bool m_prop_len(bf_rng *r, bf_session *s, bf_step *st)
{
    mqtt_packet p;
    if (s->version != MQTT_V5 || !decoded(s, st, &p))
        return false;
    mqtt_props *pr = mqtt_packet_props_field(&p);
    if (!pr || (p.type != MQTT_PUBLISH && p.type != MQTT_SUBSCRIBE && p.type != MQTT_UNSUBSCRIBE))
        return false;
    size_t vstart = pr->len ? off_in(st, pr->data) : 0;
    if (!pr->len) {
        size_t at;
        if (p.type == MQTT_PUBLISH)
            at = off_in(st, p.u.publish.topic.data) + p.u.publish.topic.len + (p.u.publish.qos ? 2 : 0);
        else if (!pid_at(s, st, &at))
            return false;
        else
            at += 2;
        vstart = at + 1; /* one byte of Property Length 0 */
    }
    size_t vlen = 1;
    while (vstart - vlen > 0 && (st->bytes[vstart - vlen - 1] & 0x80) && vlen < 4)
        vlen++;
    size_t at = vstart - vlen;
    uint8_t body[BF_MAX_STEP_BYTES];
    uint32_t rl = 0;
    unsigned h = 0;
    bf_step_header(st, &rl, &h);
    size_t n = 0;
    memcpy(body, st->bytes + h, at - h);
    n = at - h;
    uint8_t enc[5];
    unsigned elen;
    if (bf_rng_chance(r, 50)) { /* non-minimal: one more continuation byte */
        elen = vbi_write(enc, pr->len);
        enc[elen - 1] |= 0x80;
        enc[elen++] = 0x00;
    } else
        elen = vbi_write(enc, pr->len + 1 + bf_rng_below(r, 200));
    if (n + elen + (st->len - vstart) > sizeof body)
        return false;
    memcpy(body + n, enc, elen);
    n += elen;
    memcpy(body + n, st->bytes + vstart, st->len - vstart);
    n += st->len - vstart;
    return rewrap(st, st->bytes[0], (uint32_t)n, body, n);
}

static bool m_vbi(bf_rng *r, bf_session *s, bf_step *st)
{
    (void)s;
    const uint8_t *body;
    size_t blen;
    if (!body_of(st, &body, &blen) || blen > 127)
        return false;
    uint8_t tmp[BF_MAX_STEP_BYTES + 8];
    size_t n = 0;
    tmp[n++] = st->bytes[0];
    if (bf_rng_chance(r, 50)) { /* the same value in two bytes: not the minimum */
        tmp[n++] = (uint8_t)(blen | 0x80);
        tmp[n++] = 0x00;
    } else { /* five bytes: past the four a Variable Byte Integer may take */
        tmp[n++] = (uint8_t)(blen | 0x80);
        tmp[n++] = 0x80;
        tmp[n++] = 0x80;
        tmp[n++] = 0x80;
        tmp[n++] = 0x00;
    }
    if (n + blen > BF_MAX_STEP_BYTES)
        return false;
    memcpy(tmp + n, body, blen);
    memcpy(st->bytes, tmp, n + blen);
    st->len = (uint16_t)(n + blen);
    return true;
}

static bool m_len_delta(bf_rng *r, bf_session *s, bf_step *st)
{
    (void)s;
    const uint8_t *body;
    size_t blen;
    if (!body_of(st, &body, &blen))
        return false;
    uint8_t copy[BF_MAX_STEP_BYTES];
    memcpy(copy, body, blen);
    int delta = (int)bf_rng_below(r, 3) + 1;
    if (bf_rng_chance(r, 70))
        delta = -delta; /* shorter: the broker must find a field overrunning the packet */
    if ((int)blen + delta < 0)
        return false;
    return rewrap(st, st->bytes[0], (uint32_t)((int)blen + delta), copy, blen);
}

static bool m_truncate(bf_rng *r, bf_session *s, bf_step *st)
{
    (void)s;
    const uint8_t *body;
    size_t blen;
    if (!body_of(st, &body, &blen) || blen < 2)
        return false;
    uint8_t copy[BF_MAX_STEP_BYTES];
    size_t n = 1 + bf_rng_below(r, (uint32_t)blen - 1);
    memcpy(copy, body, n);
    return rewrap(st, st->bytes[0], (uint32_t)n, copy, n);
}

static bool m_append(bf_rng *r, bf_session *s, bf_step *st)
{
    (void)s;
    const uint8_t *body;
    size_t blen;
    if (!body_of(st, &body, &blen) || blen + 8 > BF_MAX_STEP_BYTES - 5)
        return false;
    uint8_t copy[BF_MAX_STEP_BYTES];
    memcpy(copy, body, blen);
    size_t k = 1 + bf_rng_below(r, 4);
    for (size_t i = 0; i < k; i++)
        copy[blen + i] = (uint8_t)bf_rng_next(r);
    return rewrap(st, st->bytes[0], (uint32_t)(blen + k), copy, blen + k);
}

static bool m_bitflip(bf_rng *r, bf_session *s, bf_step *st)
{
    (void)s;
    const uint8_t *body;
    size_t blen;
    if (!body_of(st, &body, &blen) || blen == 0)
        return false;
    size_t at = (size_t)(body - st->bytes) + bf_rng_below(r, (uint32_t)blen);
    st->bytes[at] ^= (uint8_t)(1u << bf_rng_below(r, 8));
    return true;
}

static bool m_connect_flags(bf_rng *r, bf_session *s, bf_step *st)
{
    mqtt_packet p;
    if (!decoded(s, st, &p) || p.type != MQTT_CONNECT)
        return false;
    size_t at = off_in(st, p.u.connect.protocol_name.data) + p.u.connect.protocol_name.len + 1;
    static const uint8_t bits[] = {0x01, 0x40, 0x08, 0x20, 0x80};
    uint8_t b = bits[bf_rng_below(r, sizeof bits)];
    if ((b == 0x08 || b == 0x20) && p.u.connect.will)
        b = 0x01;
    st->bytes[at] ^= b;
    return true;
}

static bool m_protocol(bf_rng *r, bf_session *s, bf_step *st)
{
    mqtt_packet p;
    if (!decoded(s, st, &p) || p.type != MQTT_CONNECT)
        return false;
    size_t name = off_in(st, p.u.connect.protocol_name.data);
    if (bf_rng_chance(r, 30))
        st->bytes[name + p.u.connect.protocol_name.len - 1] ^= 0x20; /* "MQTt" */
    else {
        /* none a broker may support (mosquitto takes 0x80 | level from bridges) */
        static const uint8_t levels[] = {0, 1, 2, 6, 7, 0x7f};
        st->bytes[name + p.u.connect.protocol_name.len] = levels[bf_rng_below(r, sizeof levels)];
    }
    return true;
}

static bool m_shared_nl(bf_rng *r, bf_session *s, bf_step *st)
{
    (void)r;
    mqtt_packet p;
    if (s->version != MQTT_V5 || !decoded(s, st, &p) || p.type != MQTT_SUBSCRIBE)
        return false;
    mqtt_payload_iter it;
    mqtt_subscription list[4];
    size_t n = 0;
    mqtt_subscribe_iter_init(&it, &p.u.subscribe);
    while (n < 4 && mqtt_subscribe_next(&it, &list[n]))
        n++;
    if (!n)
        return false;
    char shared[128];
    if (list[0].filter.len + 10 > sizeof shared)
        return false;
    bool already = list[0].filter.len > 7 && memcmp(list[0].filter.data, "$share/", 7) == 0;
    size_t k = 0;
    if (!already) {
        memcpy(shared, "$share/g/", 9);
        k = 9;
    }
    memcpy(shared + k, list[0].filter.data, list[0].filter.len);
    list[0].filter = (mqtt_bytes){(const uint8_t *)shared, (uint32_t)(k + list[0].filter.len)};
    list[0].no_local = true;
    uint8_t payload[BF_MAX_STEP_BYTES];
    if (mqtt_subscribe_payload_write(&p.u.subscribe, list, n, payload, sizeof payload) != MQTT_OK)
        return false;
    return encode_into(s, st, &p);
}

static bool m_empty_list(bf_rng *r, bf_session *s, bf_step *st)
{
    (void)r;
    mqtt_packet p;
    if (!decoded(s, st, &p))
        return false;
    mqtt_bytes payload;
    if (p.type == MQTT_SUBSCRIBE)
        payload = p.u.subscribe.payload;
    else if (p.type == MQTT_UNSUBSCRIBE)
        payload = p.u.unsubscribe.payload;
    else
        return false;
    uint32_t rl = 0;
    unsigned h = 0;
    bf_step_header(st, &rl, &h);
    size_t keep = off_in(st, payload.data) - h;
    uint8_t copy[BF_MAX_STEP_BYTES];
    memcpy(copy, st->bytes + h, keep);
    return rewrap(st, st->bytes[0], (uint32_t)keep, copy, keep);
}

static bool m_type(bf_rng *r, bf_session *s, bf_step *st)
{
    if (st->kind != BF_SEND || st->len < 2)
        return false;
    uint8_t t = (s->version != MQTT_V5 && bf_rng_chance(r, 50)) ? 15 : 0;
    st->bytes[0] = (uint8_t)(t << 4);
    return true;
}

typedef bool (*step_mutator)(bf_rng *, bf_session *, bf_step *);

/* Field and byte mutators by bf_mutation; order mutators are handled in bf_mutate_step. */
static const step_mutator step_mutators[BF_MUT_COUNT] = {
    [BF_MUT_FLAGS] = m_flags,         [BF_MUT_QOS3] = m_qos3,         [BF_MUT_PID0] = m_pid0,
    [BF_MUT_BAD_UTF8] = m_bad_utf8,   [BF_MUT_WILDCARD] = m_wildcard, [BF_MUT_PROP_INJECT] = m_prop_inject,
    [BF_MUT_PROP_REPEAT] = m_prop_repeat, [BF_MUT_PROP_LEN] = m_prop_len, [BF_MUT_VBI] = m_vbi,
    [BF_MUT_LEN_DELTA] = m_len_delta, [BF_MUT_TRUNCATE] = m_truncate, [BF_MUT_APPEND] = m_append,
    [BF_MUT_BITFLIP] = m_bitflip,     [BF_MUT_CONNECT_FLAGS] = m_connect_flags, [BF_MUT_PROTOCOL] = m_protocol,
    [BF_MUT_SHARED_NL] = m_shared_nl, [BF_MUT_EMPTY_LIST] = m_empty_list, [BF_MUT_TYPE] = m_type,
};

bool bf_mutate_step(bf_rng *r, bf_session *s, size_t i, unsigned m)
{
    if (i >= s->nsteps || m == BF_MUT_NONE || m >= BF_MUT_COUNT)
        return false;
    bf_step *st = &s->steps[i];
    switch (m) {
    case BF_MUT_DUP:
        if (s->nsteps >= BF_MAX_STEPS || st->kind != BF_SEND)
            return false;
        memmove(&s->steps[i + 1], &s->steps[i], (s->nsteps - i) * sizeof *st);
        s->nsteps++;
        s->steps[i + 1].mutation = BF_MUT_DUP;
        return true;
    case BF_MUT_DROP:
        if (s->nsteps < 2)
            return false;
        bf_session_remove(s, i);
        return true;
    case BF_MUT_SWAP: {
        if (i + 1 >= s->nsteps)
            return false;
        bf_step tmp = s->steps[i];
        s->steps[i] = s->steps[i + 1];
        s->steps[i + 1] = tmp;
        s->steps[i].mutation = BF_MUT_SWAP;
        return true;
    }
    case BF_MUT_SPLIT:
        if (st->kind != BF_SEND || st->len < 2)
            return false;
        st->splits = (uint8_t)(2 + bf_rng_below(r, 3));
        st->mutation = BF_MUT_SPLIT;
        return true;
    default:
        if (!step_mutators[m] || !step_mutators[m](r, s, st))
            return false;
        st->mutation = (uint8_t)m;
        return true;
    }
}

unsigned bf_mutate(bf_rng *r, bf_session *s)
{
    for (int tries = 0; tries < 16 && s->nsteps; tries++) {
        size_t i = bf_rng_below(r, s->nsteps);
        unsigned m = 1 + bf_rng_below(r, BF_MUT_COUNT - 1);
        if (bf_mutate_step(r, s, i, m))
            return m;
    }
    return BF_MUT_NONE;
}
