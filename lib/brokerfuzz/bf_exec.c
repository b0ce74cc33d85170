#include "bf_exec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "bf_verdict.h"
#include "conformance/run/conn.h"

static const char *const oracle_names[BF_OR_COUNT] = {
    "none", "must-close", "malformed-output", "ack", "delivery-qos", "after-unsubscribe", "takeover", "hang", "crash",
};

const char *bf_oracle_name(unsigned o)
{
    return o < BF_OR_COUNT ? oracle_names[o] : "?";
}

/* The deciding statement per oracle variant: [3.1.1, 5.0]. Each binds the server. */
static const struct {
    unsigned oracle, variant;
    const char *v311, *v5;
} statements[] = {
    {BF_OR_MUST_CLOSE, BF_ST_GENERIC, "MQTT-4.8.0-1", "MQTT-4.13.1-1"},
    {BF_OR_MUST_CLOSE, BF_ST_FLAGS, "MQTT-2.2.2-2", "MQTT-4.13.1-1"},
    {BF_OR_MUST_CLOSE, BF_ST_SECOND_CONNECT, "MQTT-3.1.0-2", "MQTT-3.1.0-2"},
    {BF_OR_MUST_CLOSE, BF_ST_REFUSED_CONNECT, "MQTT-3.2.2-5", "MQTT-3.2.2-7"},
    {BF_OR_ACK, BF_ST_PUB_ACK_ID, "MQTT-2.3.1-6", "MQTT-2.2.1-5"},
    {BF_OR_ACK, BF_ST_SUB_ACK_ID, "MQTT-2.3.1-7", "MQTT-2.2.1-6"},
    {BF_OR_ACK, BF_ST_PUB_ACK_MISSING, "MQTT-3.3.4-1", "MQTT-3.3.4-1"},
    {BF_OR_ACK, BF_ST_SUBACK_MISSING, "MQTT-3.8.4-1", "MQTT-3.8.4-1"},
    {BF_OR_ACK, BF_ST_UNSUBACK_MISSING, "MQTT-3.10.4-4", "MQTT-3.10.4-4"},
    {BF_OR_DELIVERY_QOS, BF_ST_GENERIC, "MQTT-3.3.5-1", "MQTT-3.3.4-2"},
    {BF_OR_DELIVERY_QOS, BF_ST_OVER_GRANTED, "MQTT-3.8.4-6", "MQTT-3.8.4-8"},
    {BF_OR_DELIVERY_QOS, BF_ST_NO_LOCAL, NULL, "MQTT-3.8.3-3"},
    {BF_OR_AFTER_UNSUB, BF_ST_GENERIC, "MQTT-3.10.4-2", "MQTT-3.10.4-2"},
    {BF_OR_TAKEOVER, BF_ST_GENERIC, "MQTT-3.1.4-2", "MQTT-3.1.4-3"},
};

const char *bf_oracle_statement(unsigned oracle, unsigned variant, mqtt_version v)
{
    for (size_t i = 0; i < sizeof statements / sizeof statements[0]; i++)
        if (statements[i].oracle == oracle && statements[i].variant == variant)
            return v == MQTT_V5 ? statements[i].v5 : statements[i].v311;
    return NULL;
}

uint64_t bf_finding_key(const bf_finding *f)
{
    uint64_t h = 1469598103934665603ull;
    const char *st = f->statement ? f->statement : "";
    /* a Remaining Length encoding error is the same finding whatever packet carries it */
    bool framing = f->codec_err == MQTT_ERR_VARINT_NOT_MINIMAL || f->codec_err == MQTT_ERR_VARINT_TOO_LONG;
    bool any_step = framing || f->oracle == BF_OR_MALFORMED_OUT || f->oracle == BF_OR_DELIVERY_QOS;
    uint64_t parts[5] = {f->oracle, any_step ? 0u : f->sent_type, f->got_type, f->codec_err, f->want_type};
    for (int i = 0; i < 5; i++)
        h = (h ^ parts[i]) * 1099511628211ull;
    for (; *st; st++)
        h = (h ^ (uint8_t)*st) * 1099511628211ull;
    return h;
}

/* ---- the model the oracles judge by ---- */

enum { MAX_SUBS = 16, MAX_EXPECT = 64, MAX_OWED = 32 };

typedef struct msub {
    char filter[64];
    uint8_t granted;
    bool no_local;
    bool rap; /* Retain As Published: forwarded copies keep the publisher's RETAIN flag */
} msub;

typedef struct owed {
    uint8_t type; /* the acknowledgement due */
    uint16_t pid;
    int step;
} owed;

typedef struct client {
    cr_conn conn;
    bool used;      /* a TCP connection was opened once */
    bool connect_sent, connected, done; /* done: nothing more is sent on it (closed, desynchronised) */
    bool limited;   /* announced a Maximum Packet Size: deliveries may be dropped */
    bool shared;    /* a shared subscription or a resumed session: deliveries are not judged */
    unsigned pingresp_due;
    bool probed;    /* the step's PINGREQ went out with it */
    char cid[32];   /* the client id its accepted CONNECT named */
    size_t seen;    /* rx packets handled */
    msub subs[MAX_SUBS];
    unsigned nsubs;
    char removed[MAX_SUBS][64]; /* filters unsubscribed */
    unsigned nremoved;
    owed owe[MAX_OWED];
    unsigned nowe;
    uint16_t rec[8];  /* packet ids the broker answered with PUBREC: a PUBREL for them is owed a PUBCOMP */
    unsigned nrec;
    uint32_t asked[64]; /* every (acknowledgement type << 16 | packet id) a request on this connection called for */
    unsigned nasked;
} bclient;

typedef struct expect {
    uint32_t key;   /* payload "m<key>" */
    uint8_t client; /* who must receive it */
    uint8_t qos;    /* at this QoS (one copy at least) */
    uint8_t maxqos; /* no copy above this */
    int nl_qos;     /* the highest QoS among the publisher's own No Local subscriptions that match (-1: none) */
    bool rap;       /* a matching subscription has Retain As Published: a copy may carry RETAIN 1 */
    bool forbidden; /* no copy at all: its subscription was removed */
    bool got_due, got_any;
    bool ambiguous; /* another publication carried the same key: its copies cannot be told apart */
    uint8_t got_low;
    int step;
    char topic[64];
} expect;

typedef struct delivery {
    uint32_t key;
    uint8_t client, qos;
    int step;
    bool retain;
} delivery;

enum { MAX_DELIVERIES = 128 };

typedef struct run {
    delivery dl[MAX_DELIVERIES]; /* what arrived, for expectations made after it came */
    unsigned ndl;
    int step; /* being played */
    const bf_session *s;
    const bf_exec_opts *o;
    bf_result *res;
    bclient c[BF_MAX_CLIENTS];
    expect ex[MAX_EXPECT];
    unsigned nex;
    uint32_t keys[MAX_EXPECT]; /* payload keys published and accepted */
    unsigned nkeys;
    int judging_close; /* client + 1 whose connection must close: its answers are judged by must_close */
    int64_t t0_us;
    uint64_t sig; /* of the step being played */
    char said[72]; /* what the broker answered in this step, for people */
    uint64_t acc;  /* the answers of this step, summed */
} run;

static int64_t now_us(void)
{
    return base_clock_real_ns() / 1000;
}

/* Copy a string between fields of one struct (snprintf may not: its arguments must not overlap). */
static void copy_cstr(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memmove(dst, src, n);
    dst[n] = '\0';
}

static void record(run *r, uint8_t who, uint8_t dir, const uint8_t *bytes, size_t len)
{
    bf_result *res = r->res;
    if (!r->o->record)
        return;
    if (res->nevents == res->evcap) {
        size_t cap = res->evcap ? res->evcap * 2 : 64;
        bf_event *grown = realloc(res->events, cap * sizeof *grown);
        if (!grown)
            abort();
        res->events = grown;
        res->evcap = cap;
    }
    bf_event *e = &res->events[res->nevents++];
    e->client = who;
    e->dir = dir;
    e->len = (uint16_t)len;
    e->at_us = now_us() - r->t0_us;
    e->bytes = NULL;
    if (len) {
        e->bytes = malloc(len);
        if (!e->bytes)
            abort();
        memcpy(e->bytes, bytes, len);
    }
}

static void mix(run *r, uint64_t v)
{
    r->sig = (r->sig ^ v) * 1099511628211ull;
}

/* An answer joins the step's signature as a multiset: the order in which packets on different
 * connections (or a delivery and a PINGRESP) arrive is timing, not behaviour. */
static void answer(run *r, uint64_t v)
{
    uint64_t z = v + 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    r->acc += z ^ (z >> 31);
}

static void say(run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(run *r, const char *fmt, ...)
{
    if (!r->o->describe)
        return; /* formatting every answer of every session cost a seventh of mqtk's own instructions */
    size_t n = strlen(r->said);
    if (n + 4 >= sizeof r->said)
        return;
    if (n)
        r->said[n++] = ',', r->said[n++] = ' ', r->said[n] = '\0';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->said + n, sizeof r->said - n, fmt, ap);
    va_end(ap);
}

static void finding(run *r, unsigned oracle, unsigned variant, int step, uint8_t who, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void finding(run *r, unsigned oracle, unsigned variant, int step, uint8_t who, const char *fmt, ...)
{
    if (r->res->found)
        return;
    bf_finding *f = &r->res->f;
    memset(f, 0, sizeof *f);
    f->oracle = oracle;
    f->statement = bf_oracle_statement(oracle, variant, r->s->version);
    f->step = step;
    f->client = who;
    if (step >= 0 && step < r->s->nsteps && r->s->steps[step].len)
        f->sent_type = r->s->steps[step].bytes[0] >> 4;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->what, sizeof f->what, fmt, ap);
    va_end(ap);
    r->res->found = true;
}

static bool send_bytes(run *r, uint8_t ci, const uint8_t *b, size_t len, unsigned splits)
{
    bclient *c = &r->c[ci];
    base_strbuf err = {0};
    if (splits < 2)
        splits = 1;
    if (splits > len)
        splits = (unsigned)len;
    size_t off = 0;
    int rc = 0;
    for (unsigned k = 0; k < splits && rc == 0; k++) {
        size_t piece = k + 1 == splits ? len - off : len / splits;
        rc = cr_conn_send(&c->conn, b + off, piece, base_now_ms() + r->o->timeout_ms, &err);
        off += piece;
    }
    base_sb_free(&err);
    record(r, ci, 0, b, len);
    r->res->sent++;
    return rc == 0;
}

static uint32_t payload_key(mqtt_bytes p, bool *ok)
{
    uint32_t k = 0;
    *ok = false;
    if (p.len < 2 || p.data[0] != 'm')
        return 0;
    for (uint32_t i = 1; i < p.len && p.data[i] >= '0' && p.data[i] <= '9'; i++) {
        k = k * 10 + (uint32_t)(p.data[i] - '0');
        *ok = true;
    }
    return k;
}

/* A request went out that a broker may answer with (type, pid), whether or not it is owed: an
 * answer to a request sent twice, or a PUBCOMP to a PUBREL whose PUBREC we never saw, is no wrong
 * packet identifier. */
static void ask(bclient *c, uint8_t type, uint16_t pid)
{
    if (c->nasked < sizeof c->asked / sizeof c->asked[0])
        c->asked[c->nasked++] = (uint32_t)type << 16 | pid;
}

static bool was_asked(const bclient *c, uint8_t type, uint16_t pid)
{
    for (unsigned i = 0; i < c->nasked; i++)
        if (c->asked[i] == ((uint32_t)type << 16 | pid))
            return true;
    /* the list is full: do not judge */
    return c->nasked == sizeof c->asked / sizeof c->asked[0];
}

static void owe(bclient *c, uint8_t type, uint16_t pid, int step)
{
    ask(c, type, pid);
    if (c->nowe < MAX_OWED)
        c->owe[c->nowe++] = (owed){type, pid, step};
}

/* Take the acknowledgement (type, pid) off what is owed; false when nothing like it was. */
static bool settle(bclient *c, uint8_t type, uint16_t pid)
{
    for (unsigned i = 0; i < c->nowe; i++)
        if (c->owe[i].type == type && c->owe[i].pid == pid) {
            c->owe[i] = c->owe[--c->nowe];
            return true;
        }
    return false;
}

/* One copy (client ci, key, qos) against one expectation. */
static void judge_copy(run *r, expect *e, uint8_t ci, uint8_t qos, bool retain)
{
    if (e->ambiguous)
        return;
    if (retain) { /* maybe a retained message: it may only satisfy, never fail */
        if (qos == e->qos)
            e->got_due = e->got_any = true;
        return;
    }
    if (e->forbidden) {
        finding(r, BF_OR_AFTER_UNSUB, BF_ST_GENERIC, e->step, ci,
                "client %u received the message published to %s after unsubscribing from every filter that "
                "matched it (UNSUBACK received before the PUBLISH was sent)", ci, e->topic);
        r->res->f.got_type = MQTT_PUBLISH;
        copy_cstr(r->res->f.topic, sizeof r->res->f.topic, e->topic);
        return;
    }
    e->got_any = true;
    if (qos == e->qos)
        e->got_due = true;
    else if (qos < e->qos)
        e->got_low = qos;
    else if (qos > e->maxqos && e->nl_qos >= (int)qos && r->s->version == MQTT_V5) {
        finding(r, BF_OR_DELIVERY_QOS, BF_ST_NO_LOCAL, e->step, ci,
                "client %u received its own message published to %s at QoS %u, which only a No Local "
                "subscription of its own grants", ci, e->topic, qos);
        r->res->f.want_qos = e->maxqos;
        copy_cstr(r->res->f.topic, sizeof r->res->f.topic, e->topic);
    } else if (qos > e->maxqos && e->nl_qos < 0) {
        finding(r, BF_OR_DELIVERY_QOS, BF_ST_OVER_GRANTED, e->step, ci,
                "client %u received the message published to %s at QoS %u, above the %u its subscriptions and "
                "the publication allow", ci, e->topic, qos, e->maxqos);
        r->res->f.want_qos = e->maxqos;
        copy_cstr(r->res->f.topic, sizeof r->res->f.topic, e->topic);
    }
}

static void note_delivery(run *r, uint8_t ci, const mqtt_publish *pub)
{
    bool ok;
    uint32_t key = payload_key(pub->payload, &ok);
    if (!ok)
        return;
    /* a copy with RETAIN 1 answers a subscription (a retained message), unless a Retain As Published
     * subscription forwards the publisher's flag: then it may be either, and only the due copy counts */
    if (r->ndl < MAX_DELIVERIES)
        r->dl[r->ndl++] = (delivery){key, ci, pub->qos, r->step, pub->retain};
    for (unsigned i = 0; i < r->nex; i++)
        if (r->ex[i].client == ci && r->ex[i].key == key && (!pub->retain || r->ex[i].rap))
            judge_copy(r, &r->ex[i], ci, pub->qos, pub->retain);
}

/* Handle what arrived on one connection since last time: acknowledge deliveries, settle what was
 * owed, mix it into the step's signature. step: the step being played. */
static void absorb(run *r, uint8_t ci, int step)
{
    bclient *c = &r->c[ci];
    while (c->seen < c->conn.nrx) {
        cr_rx_packet *rx = &c->conn.rx[c->seen++];
        const mqtt_packet *p = &rx->pkt;
        record(r, ci, 1, rx->bytes, rx->len);
        r->res->received++;
        int reason = mqtt_packet_reason(p);
        uint8_t rc = reason >= 0 ? (uint8_t)reason : 0;
        if (p->type == MQTT_SUBACK || p->type == MQTT_UNSUBACK)
            rc = p->u.suback.reason_codes.len ? p->u.suback.reason_codes.data[0] : 0;
        else if (p->type == MQTT_PUBLISH)
            rc = (uint8_t)(p->u.publish.qos | (p->u.publish.retain ? 4 : 0));
        answer(r, (uint64_t)ci << 16 | (uint64_t)p->type << 8 | rc);
        if (p->type == MQTT_PINGRESP || p->type == MQTT_PINGREQ)
            say(r, "c%u %s", ci, mqtt_packet_type_name(p->type));
        else
            say(r, "c%u %s %02x", ci, mqtt_packet_type_name(p->type), rc);
        switch (p->type) {
        case MQTT_PUBLISH: {
            const mqtt_publish *pub = &p->u.publish;
            note_delivery(r, ci, pub);
            if (pub->qos && !c->done && c->conn.state == CR_CONN_OPEN) {
                uint8_t ack[4] = {(uint8_t)((pub->qos == 1 ? MQTT_PUBACK : MQTT_PUBREC) << 4), 2,
                                  (uint8_t)(pub->packet_id >> 8), (uint8_t)pub->packet_id};
                send_bytes(r, ci, ack, 4, 1);
            }
            break;
        }
        case MQTT_PUBREL:
            if (!c->done && c->conn.state == CR_CONN_OPEN) {
                uint8_t ack[4] = {MQTT_PUBCOMP << 4, 2, (uint8_t)(p->u.ack.packet_id >> 8),
                                  (uint8_t)p->u.ack.packet_id};
                send_bytes(r, ci, ack, 4, 1);
            }
            break;
        case MQTT_PINGRESP:
            if (c->pingresp_due)
                c->pingresp_due--;
            break;
        case MQTT_PUBACK: case MQTT_PUBREC: case MQTT_PUBCOMP:
            if (p->type == MQTT_PUBREC && p->u.ack.reason_code < 0x80 && c->nrec < 8)
                c->rec[c->nrec++] = p->u.ack.packet_id;
            if (!settle(c, (uint8_t)p->type, p->u.ack.packet_id) && !was_asked(c, (uint8_t)p->type, p->u.ack.packet_id))
                for (unsigned i = 0; i < c->nowe; i++)
                    if (c->owe[i].type >= MQTT_PUBACK && c->owe[i].type <= MQTT_PUBCOMP) {
                        finding(r, BF_OR_ACK, BF_ST_PUB_ACK_ID, c->owe[i].step, ci,
                                "the broker answered with %s for packet id %u, but what it owes is %s for packet "
                                "id %u", mqtt_packet_type_name(p->type), p->u.ack.packet_id,
                                mqtt_packet_type_name(c->owe[i].type), c->owe[i].pid);
                        r->res->f.got_type = (uint8_t)p->type;
                        r->res->f.want_type = c->owe[i].type;
                        r->res->f.want_pid = c->owe[i].pid;
                        break;
                    }
            break;
        case MQTT_SUBACK: case MQTT_UNSUBACK:
            if (!settle(c, (uint8_t)p->type, p->u.suback.packet_id) &&
                !was_asked(c, (uint8_t)p->type, p->u.suback.packet_id))
                for (unsigned i = 0; i < c->nowe; i++)
                    if (c->owe[i].type == p->type) {
                        finding(r, BF_OR_ACK, BF_ST_SUB_ACK_ID, c->owe[i].step, ci,
                                "the broker answered with %s for packet id %u, but the request it answers has "
                                "packet id %u", mqtt_packet_type_name(p->type), p->u.suback.packet_id,
                                c->owe[i].pid);
                        r->res->f.got_type = (uint8_t)p->type;
                        r->res->f.want_type = c->owe[i].type;
                        r->res->f.want_pid = c->owe[i].pid;
                        break;
                    }
            break;
        default:
            break;
        }
        (void)step;
    }
    if (c->conn.state == CR_CONN_BROKEN && c->conn.violated && c->conn.violation && !r->res->found &&
        r->judging_close != ci + 1) {
        finding(r, BF_OR_MALFORMED_OUT, BF_ST_GENERIC, step, ci, "%s", c->conn.why);
        r->res->f.statement = c->conn.violation;
        r->res->f.codec_err = c->conn.violation_err;
        r->res->f.got_type = c->conn.violation_type;
    }
}

/* Read every open connection until done(r, arg) or the deadline. */
static void pump(run *r, int64_t deadline, bool (*done)(run *, void *), void *arg, int step)
{
    for (;;) {
        for (uint8_t i = 0; i < r->s->nclients; i++)
            absorb(r, i, step);
        if (done && done(r, arg))
            return;
        net_waiter wt[BF_MAX_CLIENTS];
        uint8_t who[BF_MAX_CLIENTS];
        size_t n = 0;
        for (uint8_t i = 0; i < r->s->nclients; i++)
            if (r->c[i].conn.state == CR_CONN_OPEN) {
                memset(&wt[n], 0, sizeof wt[n]);
                wt[n].conn = r->c[i].conn.net;
                who[n++] = i;
            }
        int64_t left = deadline - base_now_ms();
        if (n == 0 || left <= 0) {
            if (getenv("BF_DEBUG") && left <= 0 && done)
                fprintf(stderr, "bf: wait ran out at step %d (%s)\n", step,
                        step >= 0 && step < r->s->nsteps && r->s->steps[step].len
                            ? mqtt_packet_type_name(r->s->steps[step].bytes[0] >> 4) : "-");
            return;
        }
        if (net_wait(wt, n, (int)left) <= 0)
            continue;
        for (size_t k = 0; k < n; k++)
            if (wt[k].readable) {
                bclient *c = &r->c[who[k]];
                cr_conn_state before = c->conn.state;
                cr_conn_wait(&c->conn, base_now_ms());
                if (before == CR_CONN_OPEN && c->conn.state != CR_CONN_OPEN) {
                    record(r, who[k], 3, NULL, 0);
                    answer(r, 0xC105Eu + who[k]);
                    say(r, "c%u closed", who[k]);
                }
            }
    }
}

typedef struct wait_arg {
    uint8_t who;
    uint8_t type; /* a packet of this type arrived (0: only close / pingresp count) */
    size_t from;
} wait_arg;

/* The client's probe PINGRESP has come, or its connection is no longer open. */
static bool probe_done(run *r, void *arg)
{
    bclient *c = &r->c[((wait_arg *)arg)->who];
    return c->conn.state != CR_CONN_OPEN || c->pingresp_due == 0;
}

static bool closed_or_type(run *r, void *arg)
{
    wait_arg *w = arg;
    bclient *c = &r->c[w->who];
    if (c->conn.state != CR_CONN_OPEN)
        return true;
    for (size_t i = w->from; i < c->conn.nrx; i++)
        if (c->conn.rx[i].pkt.type == w->type)
            return true;
    return false;
}

static bool owed_settled(run *r, void *arg)
{
    bclient *c = &r->c[((wait_arg *)arg)->who];
    return c->conn.state != CR_CONN_OPEN || c->nowe == 0;
}

static bool expectations_met(run *r, void *arg)
{
    (void)arg;
    for (unsigned i = 0; i < r->nex; i++) {
        expect *e = &r->ex[i];
        if (!e->forbidden && !e->ambiguous && !e->got_due && r->c[e->client].conn.state == CR_CONN_OPEN)
            return false;
    }
    return true;
}

static void send_probe(run *r, uint8_t ci)
{
    static const uint8_t ping[2] = {MQTT_PINGREQ << 4, 0};
    bclient *c = &r->c[ci];
    c->pingresp_due++;
    send_bytes(r, ci, ping, 2, 1);
}

/* After something the broker must close the connection on: probe with PINGREQ and wait. */
static void must_close(run *r, int step, uint8_t ci, unsigned variant, unsigned codec_err, const char *why,
                       const char *statement)
{
    bclient *c = &r->c[ci];
    wait_arg w = {ci, 0, 0};
    if (c->conn.state == CR_CONN_OPEN && !c->probed)
        send_probe(r, ci);
    c->probed = false;
    r->judging_close = ci + 1;
    pump(r, base_now_ms() + r->o->timeout_ms, probe_done, &w, step);
    r->judging_close = 0;
    bool closing = c->conn.violation_type == MQTT_DISCONNECT || c->conn.violation_type == MQTT_CONNACK;
    if (c->conn.state == CR_CONN_BROKEN && c->conn.violated && c->conn.violation && closing) {
        /* a DISCONNECT (or refusing CONNACK) is how a broker closes: whether it would have closed after
         * it is unknown, but the packet itself breaks a MUST on the broker's output */
        finding(r, BF_OR_MALFORMED_OUT, BF_ST_GENERIC, step, ci, "%s", c->conn.why);
        r->res->f.statement = c->conn.violation;
        r->res->f.codec_err = c->conn.violation_err;
        r->res->f.got_type = c->conn.violation_type;
    } else if (c->conn.state == CR_CONN_BROKEN && c->conn.violated && variant != BF_ST_NONE) {
        /* it answered (with a packet the codec refuses) instead of closing */
        finding(r, BF_OR_MUST_CLOSE, variant, step, ci, "%s; the broker answered instead of closing: %s", why,
                c->conn.why);
        r->res->f.codec_err = codec_err;
        r->res->f.got_type = c->conn.violation_type;
        if (statement)
            r->res->f.statement = statement;
    }
    if (c->conn.state == CR_CONN_OPEN) {
        if (c->pingresp_due == 0 && variant == BF_ST_NONE) {
            mix(r, 0x0FE11);
            say(r, "c%u kept open (no MUST to close)", ci);
        }
        else if (c->pingresp_due == 0) {
            finding(r, BF_OR_MUST_CLOSE, variant, step, ci,
                    "%s; the broker kept the connection open and answered the PINGREQ that followed", why);
            r->res->f.codec_err = codec_err;
            r->res->f.got_type = MQTT_PINGRESP;
            if (statement)
                r->res->f.statement = statement;
        } else
            r->res->stalled = true;
    }
    c->done = true;
    cr_conn_close(&c->conn);
}

/* Classify a step's bytes as the broker reads them: 0 valid packets, 1 one is refused (its error in
 * *err), 2 they end inside a packet. */
static int classify(const bf_session *s, const bf_step *st, mqtt_err *err, const char **statement,
                    mqtt_packet *first, uint8_t *refused_type)
{
    size_t off = 0;
    int count = 0;
    mqtt_decode_opts o = {.version = s->version, .direction = MQTT_DIR_TO_SERVER};
    while (off < st->len) {
        mqtt_packet p;
        mqtt_frame f;
        mqtt_result res = mqtt_decode(st->bytes + off, st->len - off, &o, &p, &f);
        if (res == MQTT_NEED_MORE)
            return 2;
        if (res == MQTT_MALFORMED) {
            *err = f.error.code;
            *refused_type = st->bytes[off] >> 4;
            *statement = f.error.statement ? f.error.statement : mqtt_err_statement(f.error.code, s->version);
            return 1;
        }
        if (count++ == 0)
            *first = p;
        off += f.packet_len;
    }
    return count ? 0 : 2;
}

static void copy_text(char *out, size_t cap, mqtt_bytes b)
{
    size_t n = b.len < cap - 1 ? b.len : cap - 1;
    if (n)
        memcpy(out, b.data, n);
    out[n] = '\0';
}

/* A publication the broker accepted: what each other client must (or must not) receive. */
static void expect_deliveries(run *r, int step, uint8_t from, const mqtt_publish *pub)
{
    bool ok;
    uint32_t key = payload_key(pub->payload, &ok);
    if (!ok || pub->topic.len == 0)
        return;
    /* a key published twice (a duplicated or mutated step) names two messages: judge neither */
    bool again = false;
    for (unsigned i = 0; i < r->nkeys; i++)
        if (r->keys[i] == key)
            again = true;
    if (again || r->nkeys == MAX_EXPECT) {
        for (unsigned i = 0; i < r->nex; i++)
            if (r->ex[i].key == key)
                r->ex[i].ambiguous = true;
        return;
    }
    r->keys[r->nkeys++] = key;
    for (uint8_t k = 0; k < r->s->nclients; k++) {
        bclient *c = &r->c[k];
        if (!c->connected || c->done || c->limited || c->shared || c->conn.state != CR_CONN_OPEN)
            continue;
        int best = -1, nl = -1;
        bool any_match = false, rap = false;
        for (unsigned i = 0; i < c->nsubs; i++) {
            if (!mqtt_topic_matches(mqtt_cstr(c->subs[i].filter), pub->topic))
                continue;
            any_match = true;
            if (k == from && c->subs[i].no_local) {
                if (c->subs[i].granted > nl)
                    nl = c->subs[i].granted;
                continue;
            }
            if (c->subs[i].granted > best)
                best = c->subs[i].granted;
            rap = rap || c->subs[i].rap;
        }
        if (best < 0 && any_match)
            continue; /* only No Local subscriptions match: not judged here */
        bool removed = false;
        for (unsigned i = 0; i < c->nremoved && best < 0; i++)
            if (mqtt_topic_matches(mqtt_cstr(c->removed[i]), pub->topic))
                removed = true;
        if ((best < 0 && !removed) || r->nex >= MAX_EXPECT)
            continue;
        expect *e = &r->ex[r->nex++];
        memset(e, 0, sizeof *e);
        e->key = key;
        e->client = k;
        e->forbidden = best < 0;
        e->qos = (uint8_t)(best < pub->qos ? best : pub->qos);
        e->maxqos = e->qos;
        e->nl_qos = nl < pub->qos ? nl : pub->qos;
        e->rap = rap;
        e->step = step;
        copy_text(e->topic, sizeof e->topic, pub->topic);
        for (unsigned d = 0; d < r->ndl; d++)
            if (r->dl[d].step == step && r->dl[d].client == k && r->dl[d].key == key && (!r->dl[d].retain || e->rap))
                judge_copy(r, e, k, r->dl[d].qos, r->dl[d].retain);
    }
}

static bool closed_client(run *r, void *arg)
{
    return r->c[*(uint8_t *)arg].conn.state != CR_CONN_OPEN;
}

/* Client ci's CONNECT was accepted: an older connection with the same (non-empty) client id must be
 * closed by the broker. */
static void takeover(run *r, int step, uint8_t ci)
{
    if (!r->c[ci].cid[0])
        return;
    for (uint8_t k = 0; k < r->s->nclients; k++) {
        bclient *old = &r->c[k];
        if (k == ci || !old->connected || old->done || old->conn.state != CR_CONN_OPEN ||
            strcmp(old->cid, r->c[ci].cid) != 0)
            continue;
        pump(r, base_now_ms() + r->o->timeout_ms, closed_client, &k, step);
        if (old->conn.state == CR_CONN_OPEN) {
            wait_arg w = {k, 0, 0};
            send_probe(r, k);
            pump(r, base_now_ms() + r->o->timeout_ms, probe_done, &w, step);
            if (old->conn.state == CR_CONN_OPEN && old->pingresp_due == 0) {
                finding(r, BF_OR_TAKEOVER, BF_ST_GENERIC, step, k,
                        "a new connection with client id %s was accepted, but the older one stayed open and "
                        "answered a PINGREQ", old->cid);
                r->res->f.got_type = MQTT_PINGRESP;
            }
        }
        old->connected = false;
        old->done = true;
        cr_conn_close(&old->conn);
    }
}

/* What a valid step means for the model once the broker has answered. */
static void after_valid(run *r, int step, uint8_t ci, const mqtt_packet *p, size_t rx_from)
{
    bclient *c = &r->c[ci];
    switch (p->type) {
    case MQTT_SUBSCRIBE: {
        const mqtt_suback *ack = NULL;
        for (size_t i = rx_from; i < c->conn.nrx; i++)
            if (c->conn.rx[i].pkt.type == MQTT_SUBACK && c->conn.rx[i].pkt.u.suback.packet_id ==
                                                             p->u.subscribe.packet_id)
                ack = &c->conn.rx[i].pkt.u.suback;
        if (!ack)
            return;
        mqtt_payload_iter it;
        mqtt_subscription sub;
        uint32_t k = 0;
        mqtt_subscribe_iter_init(&it, &p->u.subscribe);
        /* one filter twice in a SUBSCRIBE: which entry wins is not what the model should guess */
        mqtt_payload_iter it2 = it;
        mqtt_subscription a, b;
        for (unsigned ia = 0; mqtt_subscribe_next(&it2, &a); ia++) {
            mqtt_payload_iter it3;
            mqtt_subscribe_iter_init(&it3, &p->u.subscribe);
            for (unsigned ib = 0; mqtt_subscribe_next(&it3, &b) && ib < ia; ib++)
                if (a.filter.len == b.filter.len && memcmp(a.filter.data, b.filter.data, a.filter.len) == 0)
                    c->shared = true;
        }
        while (mqtt_subscribe_next(&it, &sub)) {
            uint8_t code = k < ack->reason_codes.len ? ack->reason_codes.data[k] : 0x80;
            k++;
            mqtt_bytes share, inner;
            if (r->s->version == MQTT_V5 && mqtt_topic_shared_split(sub.filter, &share, &inner)) {
                c->shared = true;
                continue;
            }
            if (code >= 0x80 || sub.filter.len >= 64)
                continue;
            unsigned slot = c->nsubs;
            for (unsigned i = 0; i < c->nsubs; i++)
                if (strlen(c->subs[i].filter) == sub.filter.len &&
                    memcmp(c->subs[i].filter, sub.filter.data, sub.filter.len) == 0)
                    slot = i;
            if (slot == MAX_SUBS)
                continue;
            copy_text(c->subs[slot].filter, sizeof c->subs[slot].filter, sub.filter);
            c->subs[slot].granted = code;
            c->subs[slot].no_local = sub.no_local;
            c->subs[slot].rap = r->s->version == MQTT_V5 && sub.retain_as_published;
            if (slot == c->nsubs)
                c->nsubs++;
            /* a removed filter subscribed again no longer forbids deliveries */
            for (unsigned i = 0; i < c->nremoved; i++)
                if (strcmp(c->removed[i], c->subs[slot].filter) == 0)
                    c->removed[i][0] = '\0';
        }
        return;
    }
    case MQTT_UNSUBSCRIBE: {
        bool acked = false;
        for (size_t i = rx_from; i < c->conn.nrx; i++)
            if (c->conn.rx[i].pkt.type == MQTT_UNSUBACK)
                acked = true;
        if (!acked)
            return;
        mqtt_payload_iter it;
        mqtt_bytes f;
        mqtt_unsubscribe_iter_init(&it, &p->u.unsubscribe);
        while (mqtt_unsubscribe_next(&it, &f)) {
            for (unsigned i = 0; i < c->nsubs; i++)
                if (strlen(c->subs[i].filter) == f.len && memcmp(c->subs[i].filter, f.data, f.len) == 0) {
                    if (c->nremoved < MAX_SUBS)
                        copy_cstr(c->removed[c->nremoved++], 64, c->subs[i].filter);
                    c->subs[i] = c->subs[--c->nsubs];
                    break;
                }
        }
        return;
    }
    case MQTT_PUBLISH: {
        const mqtt_publish *pub = &p->u.publish;
        if (r->s->version == MQTT_V5 && pub->props.len) {
            mqtt_property al;
            if (mqtt_props_find(pub->props, MQTT_PROP_TOPIC_ALIAS, &al))
                return; /* an alias may be refused, or map to another topic */
        }
        if (pub->qos == 0) {
            if (c->conn.state == CR_CONN_OPEN)
                expect_deliveries(r, step, ci, pub);
            return;
        }
        /* a QoS 2 message may go out at the PUBLISH or at the PUBREL: judged only when the PUBREL is
         * the very next step, so the subscriptions are the same at both */
        if (pub->qos == 2) {
            const bf_step *next = step + 1 < r->s->nsteps ? &r->s->steps[step + 1] : NULL;
            if (!next || next->client != ci || next->kind != BF_SEND || next->len != 4 || next->bytes[0] != 0x62 ||
                next->bytes[2] != (uint8_t)(pub->packet_id >> 8) || next->bytes[3] != (uint8_t)pub->packet_id)
                return;
        }
        uint8_t want = pub->qos == 1 ? MQTT_PUBACK : MQTT_PUBREC;
        for (size_t i = rx_from; i < c->conn.nrx; i++) {
            const mqtt_packet *a = &c->conn.rx[i].pkt;
            if (a->type == want && a->u.ack.packet_id == pub->packet_id && a->u.ack.reason_code < 0x80) {
                expect_deliveries(r, step, ci, pub);
                return;
            }
        }
        return;
    }
    default:
        return;
    }
}

static void play_step(run *r, int i)
{
    const bf_step *st = &r->s->steps[i];
    uint8_t ci = st->client;
    bclient *c = &r->c[ci];
    r->sig = 0xcbf29ce484222325ull;
    r->acc = 0;
    r->said[0] = '\0';
    mix(r, (uint64_t)r->s->version << 24 | (uint64_t)(st->len ? st->bytes[0] : 0) << 8 | st->mutation);
    if (st->kind == BF_DROP) {
        if (c->conn.state == CR_CONN_OPEN) {
            cr_conn_close(&c->conn);
            record(r, ci, 3, NULL, 0);
        }
        c->connected = false;
        c->done = true;
        return;
    }
    mqtt_packet p;
    mqtt_err err = MQTT_OK;
    const char *codec_statement = NULL;
    uint8_t refused_type = 0;
    int cls = classify(r->s, st, &err, &codec_statement, &p, &refused_type);
    bool is_connect = st->len && st->bytes[0] >> 4 == MQTT_CONNECT;
    mix(r, (uint64_t)cls << 4 | err);
    bool fresh = false;
    if (c->conn.state != CR_CONN_OPEN || c->done) {
        if (c->used && !is_connect) {
            mix(r, 0x5E1F);
            return; /* nothing to send on */
        }
        base_strbuf e = {0};
        if (cr_conn_open(&c->conn, r->o->target, r->s->version, base_now_ms() + r->o->timeout_ms, &e) != 0) {
            snprintf(r->res->note, sizeof r->res->note, "%s", base_sb_str(&e));
            base_sb_free(&e);
            r->res->unreachable = true;
            return;
        }
        base_sb_free(&e);
        record(r, ci, 2, NULL, 0);
        memset((char *)c + offsetof(bclient, used), 0, sizeof *c - offsetof(bclient, used));
        c->used = true;
        fresh = true;
    }
    bool second_connect = is_connect && c->connect_sent && !fresh;
    bool not_first = !is_connect && fresh;
    size_t rx_from = c->conn.nrx;
    if (is_connect) {
        c->connect_sent = true;
        /* a broken CONNECT may be refused in either version's CONNACK format */
        c->conn.any_connack_format = cls != 0;
        /* a resumed session brings subscriptions the model did not see */
        if (cls == 0 && !p.u.connect.clean_start)
            c->shared = true;
    }
    /* the PINGREQ that shows the step was processed goes in the same write when nothing else
     * must come first (a CONNACK, a close): one send for both, as a client's stack would coalesce */
    bool valid_connect = is_connect && cls == 0 && !second_connect;
    bool disconnect = cls == 0 && !is_connect && p.type == MQTT_DISCONNECT;
    c->probed = false;
    if (st->splits <= 1 && cls != 2 && !valid_connect && !disconnect && st->len + 2u <= BF_MAX_STEP_BYTES) {
        uint8_t both[BF_MAX_STEP_BYTES];
        memcpy(both, st->bytes, st->len);
        both[st->len] = MQTT_PINGREQ << 4;
        both[st->len + 1] = 0;
        c->pingresp_due++;
        c->probed = true;
        send_bytes(r, ci, both, st->len + 2u, 1);
        r->res->sent++; /* the PINGREQ */
    } else
        send_bytes(r, ci, st->bytes, st->len, st->splits);
    if (cls == 2) {
        /* the broker waits for the rest: nothing more is sent on this connection */
        pump(r, base_now_ms() + 20, NULL, NULL, i);
        c->done = true;
        cr_conn_close(&c->conn);
        return;
    }
    char why[200];
    if (cls == 1) {
        /* only a statement that makes the receiver close obliges the broker to (bf_verdict.c says which
         * and why); a rule that binds only the sender leaves it free: that step is not judged */
        const char *close_st = bf_close_statement(refused_type, err, codec_statement, r->s->version);
        if (!close_st) {
            must_close(r, i, ci, BF_ST_NONE, err, NULL, NULL);
            return;
        }
        snprintf(why, sizeof why, "%s breaking %s (%s)",
                 mqtt_packet_type_name(refused_type) ? mqtt_packet_type_name(refused_type) : "packet type 0",
                 codec_statement ? codec_statement : "the packet format", mqtt_err_name(err));
        must_close(r, i, ci, err == MQTT_ERR_BAD_FIXED_HEADER_FLAGS ? BF_ST_FLAGS : BF_ST_GENERIC, err, why, close_st);
        return;
    }
    if (second_connect) {
        must_close(r, i, ci, BF_ST_SECOND_CONNECT, 0, "a second CONNECT on the connection", NULL);
        return;
    }
    if (not_first) {
        snprintf(why, sizeof why, "%s as the first packet of a connection (before CONNECT)",
                 mqtt_packet_type_name(p.type));
        /* not judged: [MQTT-3.1.0-1] binds the client, and a server that gets no CONNECT only SHOULD
         * close (3.1.4); neither version calls the packet malformed or makes the server close on it */
        must_close(r, i, ci, BF_ST_NONE, 0, why, NULL);
        return;
    }
    wait_arg w = {ci, 0, rx_from};
    if (is_connect) {
        w.type = MQTT_CONNACK;
        pump(r, base_now_ms() + r->o->timeout_ms, closed_or_type, &w, i);
        const cr_rx_packet *ack = NULL;
        for (size_t k = rx_from; k < c->conn.nrx && !ack; k++)
            if (c->conn.rx[k].pkt.type == MQTT_CONNACK)
                ack = &c->conn.rx[k];
        if (!ack) {
            if (c->conn.state == CR_CONN_OPEN)
                r->res->stalled = true;
            c->done = true;
            cr_conn_close(&c->conn);
            return;
        }
        /* 3.1.1 closes after any non-zero return code [MQTT-3.2.2-5], 5.0 after a code of 0x80 or
         * above [MQTT-3.2.2-7] (a lower non-zero one is no code 5.0 defines: malformed output) */
        uint8_t refused_from = r->s->version == MQTT_V5 ? 0x80 : 0x01;
        if (ack->pkt.u.connack.reason_code >= refused_from) {
            snprintf(why, sizeof why, "a CONNACK refusing the connection (code 0x%02x)",
                     ack->pkt.u.connack.reason_code);
            must_close(r, i, ci, BF_ST_REFUSED_CONNECT, 0, why, NULL);
            return;
        }
        c->connected = true;
        copy_text(c->cid, sizeof c->cid, p.u.connect.client_id);
        takeover(r, i, ci);
        if (r->s->version == MQTT_V5) {
            mqtt_property mp, ta;
            bool has_mp = mqtt_props_find(p.u.connect.props, MQTT_PROP_MAXIMUM_PACKET_SIZE, &mp);
            bool has_ta = mqtt_props_find(p.u.connect.props, MQTT_PROP_TOPIC_ALIAS_MAXIMUM, &ta);
            cr_conn_set_limits(&c->conn, has_mp ? mp.value : 0, has_ta ? (uint16_t)ta.value : 0, 0);
            c->limited = has_mp;
        }
        return;
    }
    if (p.type == MQTT_DISCONNECT) {
        cr_conn_close(&c->conn);
        record(r, ci, 3, NULL, 0);
        c->connected = false;
        c->done = true;
        return;
    }
    switch (p.type) {
    case MQTT_PUBLISH:
        if (p.u.publish.qos)
            owe(c, p.u.publish.qos == 1 ? MQTT_PUBACK : MQTT_PUBREC, p.u.publish.packet_id, i);
        break;
    case MQTT_PUBREL:
        ask(c, MQTT_PUBCOMP, p.u.ack.packet_id);
        for (unsigned k = 0; k < c->nrec; k++)
            if (c->rec[k] == p.u.ack.packet_id) {
                owe(c, MQTT_PUBCOMP, p.u.ack.packet_id, i);
                c->rec[k] = c->rec[--c->nrec];
                break;
            }
        break;
    case MQTT_SUBSCRIBE: owe(c, MQTT_SUBACK, p.u.subscribe.packet_id, i); break;
    case MQTT_UNSUBSCRIBE: owe(c, MQTT_UNSUBACK, p.u.unsubscribe.packet_id, i); break;
    case MQTT_PINGREQ: c->pingresp_due++; break;
    default: break;
    }
    if (!c->probed)
        send_probe(r, ci);
    c->probed = false;
    pump(r, base_now_ms() + r->o->timeout_ms, probe_done, &w, i);
    if (c->conn.state == CR_CONN_OPEN && c->pingresp_due)
        r->res->stalled = true;
    if (c->conn.state == CR_CONN_OPEN && c->nowe) {
        /* answers may trail the PINGRESP: give them the rest of the wait */
        pump(r, base_now_ms() + r->o->timeout_ms, owed_settled, &w, i);
        if (c->conn.state == CR_CONN_OPEN && c->nowe && !c->conn.violated) {
            owed *o = &c->owe[0];
            unsigned variant = o->type == MQTT_SUBACK ? BF_ST_SUBACK_MISSING
                               : o->type == MQTT_UNSUBACK ? BF_ST_UNSUBACK_MISSING : BF_ST_PUB_ACK_MISSING;
            /* a PUBCOMP to a PUBREL we invented (no QoS 2 flow) is not judged */
            if (o->type != MQTT_PUBCOMP) {
                finding(r, BF_OR_ACK, variant, o->step, ci,
                        "no %s for packet id %u within %d ms, though the connection stayed open and PINGREQ was "
                        "answered", mqtt_packet_type_name(o->type), o->pid, r->o->timeout_ms);
                r->res->f.want_type = o->type;
                r->res->f.want_pid = o->pid;
            }
            c->nowe = 0;
        }
    }
    after_valid(r, i, ci, &p, rx_from);
}

int bf_exec_session(const bf_session *s, const bf_exec_opts *o, bf_result *res)
{
    memset(res, 0, sizeof *res);
    run *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    r->s = s;
    r->o = o;
    r->res = res;
    r->t0_us = now_us();
    for (int i = 0; i < BF_MAX_CLIENTS; i++)
        cr_conn_init(&r->c[i].conn, "c", NULL);
    for (int i = 0; i < s->nsteps && !res->unreachable; i++) {
        r->step = i;
        int64_t t0 = base_clock_real_ms();
        play_step(r, i);
        mix(r, r->acc);
        if (o->timing) {
            /* timing class of the step: under 10 ms, 100 ms, 1 s, or longer */
            int64_t ms = base_clock_real_ms() - t0;
            mix(r, 0x7111u + (ms < 10 ? 0u : ms < 100 ? 1u : ms < 1000 ? 2u : 3u));
        }
        if (o->describe)
            copy_cstr(res->answers[res->nsig], sizeof res->answers[0], r->said[0] ? r->said : "nothing");
        res->sig[res->nsig++] = r->sig;
        if (res->found && res->f.oracle != BF_OR_ACK)
            break;
    }
    if (!res->unreachable) {
        /* deliveries still due: a copy below the due QoS is waited on for the whole timeout (the due
         * copy may follow), unless that finding is known already; a copy that never came only
         * shortly (a missing delivery is not judged, so a long wait would find nothing) */
        int wait = 0;
        for (unsigned i = 0; i < r->nex && !res->found; i++) {
            const expect *e = &r->ex[i];
            if (e->forbidden || e->ambiguous || e->got_due || r->c[e->client].conn.state != CR_CONN_OPEN)
                continue;
            int w = e->got_any ? (o->delivery_known ? 0 : o->timeout_ms) : (o->timeout_ms < 250 ? o->timeout_ms : 250);
            if (w > wait)
                wait = w;
        }
        pump(r, base_now_ms() + wait, expectations_met, NULL, s->nsteps - 1);
        bool waited = wait >= o->timeout_ms; /* a copy below the due QoS is judged only after the whole wait */
        for (unsigned i = 0; i < r->nex && getenv("BF_DEBUG"); i++) {
            expect *e = &r->ex[i];
            if (!e->forbidden && !e->got_due)
                fprintf(stderr, "bf: v%d unmet: client %u key %u qos %u got_any %d low %u open %d step %d\n",
                        s->version, e->client, e->key, e->qos, e->got_any, e->got_low,
                        r->c[e->client].conn.state == CR_CONN_OPEN, e->step);
        }
        for (unsigned i = 0; i < r->nex && !res->found; i++) {
            expect *e = &r->ex[i];
            if (e->forbidden || e->ambiguous || e->got_due || !e->got_any || !waited ||
                r->c[e->client].conn.state != CR_CONN_OPEN)
                continue;
            finding(r, BF_OR_DELIVERY_QOS, BF_ST_GENERIC, e->step, e->client,
                    "client %u received the message published to %s only at QoS %u; its subscriptions grant up to "
                    "%u, so one copy is due at QoS %u", e->client, e->topic, e->got_low, e->qos, e->qos);
            res->f.want_qos = e->qos;
            res->f.got_type = MQTT_PUBLISH;
            copy_cstr(res->f.topic, sizeof res->f.topic, e->topic);
        }
        if (res->nsig)
            res->sig[res->nsig - 1] ^= (uint64_t)r->nex * 0x9E37u;
    }
    /* the session is over: reset rather than close, so thousands of sessions leave no TIME_WAIT
     * entries behind that make every connect search longer for a port (kernel time on our side) */
    for (int i = 0; i < BF_MAX_CLIENTS; i++) {
        cr_conn_close_reset(&r->c[i].conn);
        cr_conn_free(&r->c[i].conn);
    }
    free(r);
    return res->unreachable && res->sent == 0 ? -1 : 0;
}

void bf_result_free(bf_result *res)
{
    for (size_t i = 0; i < res->nevents; i++)
        free(res->events[i].bytes);
    free(res->events);
    res->events = NULL;
    res->nevents = res->evcap = 0;
}
