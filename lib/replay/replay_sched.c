/* mqtk replay — the scheduler and the connections' I/O (see replay_sched.h). */
#include "replay_sched.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "replay_rewrite.h"
#include "base/xalloc.h"

typedef struct conn {
    net_conn *net;        /* NULL before it is opened and after it is closed */
    bool opened;
    bool dead;            /* cannot send any more: the broker closed it, or it could not be opened */
    uint8_t *rx;          /* received bytes not yet cut into packets */
    size_t rx_len, rx_cap;
    uint32_t sends_left, replies_left;
    uint32_t max_reply;      /* largest reply kept: REPLAY_MAX_REPLY, or the session's largest captured one */
    uint64_t stray_packets;  /* replies with no captured counterpart (unexpected, malformed) ... */
    uint64_t stray_bytes;    /* ... and their bytes: a flood past REPLAY_FLOOD_PACKETS / _BYTES */
    replay_rewrite rw;
} conn;

typedef struct sched {
    replay_capture *cap;
    const replay_config *cfg;
    replay_report *rep;
    replay_stats *stats;
    conn *conns;
    size_t first_pending; /* no PENDING server->client step before this index */
    int64_t start_ns, first_step_ns, last_progress_ns;
    double cut_ns;        /* captured pauses cut short by --max-gap, in total (scaled time) */
    bool any_connected;
    net_waiter *waiters;
    uint32_t *waiter_session;
    bool failed;          /* replay's own error (err holds it): stop, blame nothing on the broker */
    char *err;
    size_t errcap;
} sched;

static void own_error(sched *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void own_error(sched *s, const char *fmt, ...)
{
    if (s->failed)
        return;
    s->failed = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, s->errcap, fmt, ap);
    va_end(ap);
}

static void session_done_check(sched *s, uint32_t session)
{
    conn *c = &s->conns[session];
    if (c->net && c->sends_left == 0 && c->replies_left == 0) {
        net_close(c->net);
        c->net = NULL;
    }
}

static void resolve(sched *s, replay_step *st, replay_step_state state)
{
    st->state = state;
    s->conns[st->session].replies_left--;
    while (s->first_pending < s->cap->step_count &&
           (s->cap->steps[s->first_pending].dir == CAP_C2S || s->cap->steps[s->first_pending].state != REPLAY_PENDING))
        s->first_pending++;
}

static void report_missing(sched *s, replay_step *st, const char *why)
{
    replay_report_divergence(s->rep, &s->cap->sessions[st->session], REPLAY_DIV_MISSING, st, st->type, NULL, why);
    resolve(s, st, REPLAY_MISSING);
}

/* Every pending reply of a session that can no longer come: each reported, or (when the session
 * never had a connection) only counted as missing. */
static void give_up_session(sched *s, uint32_t session, const char *why, bool report_each)
{
    for (size_t i = s->first_pending; i < s->cap->step_count; i++) {
        replay_step *st = &s->cap->steps[i];
        if (st->session != session || st->dir != CAP_S2C || st->state != REPLAY_PENDING)
            continue;
        if (report_each)
            report_missing(s, st, why);
        else
            resolve(s, st, REPLAY_MISSING);
    }
}

/* The broker closed the connection (or it failed): what the capture still shows cannot happen. */
static void kill_conn(sched *s, uint32_t session, const char *why)
{
    conn *c = &s->conns[session];
    net_close(c->net);
    c->net = NULL;
    c->dead = true;
    if (c->sends_left) {
        char detail[200];
        snprintf(detail, sizeof detail, "%s; %u captured client packet%s not sent", why, c->sends_left,
                 c->sends_left == 1 ? "" : "s");
        replay_report_divergence(s->rep, &s->cap->sessions[session], REPLAY_DIV_CLOSED, NULL, 0, NULL, detail);
    }
    give_up_session(s, session, why, true);
}

/* ---- matching replies ---- */

/* The packet identifier a reply carries, -1 where it is not compared (PUBLISH: the broker picks it anew). */
static int32_t replayed_reply_id(const mqtt_packet *p)
{
    return p->type == MQTT_PUBLISH ? -1 : mqtt_packet_id(p);
}

/* The same for a captured reply, whose PUBREL names the identifier the broker gave the PUBLISH. */
static int32_t captured_reply_id(const conn *c, const mqtt_packet *p)
{
    if (p->type == MQTT_PUBREL)
        return replay_server_id(&c->rw, p->u.ack.packet_id);
    return replayed_reply_id(p);
}

static void describe_unexpected(const mqtt_packet *p, const replay_reply *r, char *buf, size_t cap)
{
    if (p->type == MQTT_PUBLISH) {
        snprintf(buf, cap, "the capture shows no such reply (qos %u, topic \"%.*s\", %u payload bytes)",
                 p->u.publish.qos, (int)(r->topic.len > 60 ? 60 : r->topic.len), (const char *)r->topic.data,
                 p->u.publish.payload.len);
    } else if (r->packet_id >= 0) {
        snprintf(buf, cap, "the capture shows no such reply (packet id %ld)", (long)r->packet_id);
    } else {
        snprintf(buf, cap, "the capture shows no such reply");
    }
}

/* A reply the broker sent now on session's connection. False when the capture has no counterpart. */
static bool match_reply(sched *s, uint32_t session, const mqtt_packet *got)
{
    conn *c = &s->conns[session];
    replay_session *ses = &s->cap->sessions[session];
    s->stats->received++;
    if (got->type == MQTT_CONNACK)
        replay_note_connack(&c->rw, got);
    replay_reply now = {got, {NULL, 0}, replayed_reply_id(got)};
    if (got->type == MQTT_PUBLISH && !replay_publish_topic(&c->rw.replayed_server_aliases, &got->u.publish,
                                                           ses->version, &now.topic))
        now.topic = mqtt_cstr("(unknown topic alias)");

    replay_step *fallback = NULL, *same_id = NULL;
    mqtt_packet fallback_pkt, same_id_pkt, want;
    replay_reply fallback_reply = {0}, same_id_reply = {0};
    for (size_t i = s->first_pending; i < s->cap->step_count; i++) {
        replay_step *st = &s->cap->steps[i];
        if (st->session != session || st->dir != CAP_S2C || st->state != REPLAY_PENDING || st->type != got->type ||
            !replay_step_decode(s->cap, st, &want))
            continue;
        replay_reply then = {&want, {NULL, 0}, captured_reply_id(c, &want)};
        if (want.type == MQTT_PUBLISH && !replay_publish_topic(&c->rw.captured_server_aliases, &want.u.publish,
                                                               ses->version, &then.topic))
            then.topic = mqtt_cstr("(unknown topic alias)");
        replay_diff diffs[REPLAY_MAX_DIFFS];
        if (replay_compare(&then, &now, diffs, REPLAY_MAX_DIFFS) == 0) {
            if (want.type == MQTT_PUBLISH && want.u.publish.qos)
                replay_map_server_id(&c->rw, want.u.publish.packet_id, got->u.publish.packet_id);
            s->stats->matched++;
            resolve(s, st, REPLAY_DONE);
            session_done_check(s, session);
            return true;
        }
        if (!fallback) {
            fallback = st;
            fallback_pkt = want;
            fallback_reply = then;
        }
        if (!same_id && then.packet_id >= 0 && then.packet_id == now.packet_id) {
            same_id = st;
            same_id_pkt = want;
            same_id_reply = then;
        }
    }
    if (same_id) {
        fallback = same_id;
        fallback_pkt = same_id_pkt;
        fallback_reply = same_id_reply;
    }
    if (!fallback) {
        char detail[200];
        describe_unexpected(got, &now, detail, sizeof detail);
        replay_report_divergence(s->rep, ses, REPLAY_DIV_UNEXPECTED, NULL, got->type, NULL, detail);
        return false;
    }
    fallback_reply.pkt = &fallback_pkt;
    replay_diff diffs[REPLAY_MAX_DIFFS];
    size_t n = replay_compare(&fallback_reply, &now, diffs, REPLAY_MAX_DIFFS);
    for (size_t k = 0; k < n; k++)
        replay_report_divergence(s->rep, ses, REPLAY_DIV_FIELD, fallback, got->type, &diffs[k], NULL);
    if (fallback_pkt.type == MQTT_PUBLISH && fallback_pkt.u.publish.qos && got->u.publish.qos)
        replay_map_server_id(&c->rw, fallback_pkt.u.publish.packet_id, got->u.publish.packet_id);
    resolve(s, fallback, REPLAY_DONE);
    session_done_check(s, session);
    return true;
}

/* Close a connection on mqtk's side after the broker sent more than replay keeps; what the
 * capture still shows for the session is reported missing. */
static void stop_flood(sched *s, uint32_t session, const char *what)
{
    conn *c = &s->conns[session];
    char detail[400];
    snprintf(detail, sizeof detail, "%s; mqtk closed the connection, %u captured client packet%s not sent", what,
             c->sends_left, c->sends_left == 1 ? "" : "s");
    replay_report_divergence(s->rep, &s->cap->sessions[session], REPLAY_DIV_FLOOD, NULL, 0, NULL, detail);
    net_close(c->net);
    c->net = NULL;
    c->dead = true;
    c->rx_len = 0;
    give_up_session(s, session, "mqtk closed the connection after the broker's flood", true);
}

/* Past the per-connection limits on replies without a captured counterpart: a flood. */
static bool flood_check(sched *s, uint32_t session)
{
    conn *c = &s->conns[session];
    if (c->stray_packets <= REPLAY_FLOOD_PACKETS && c->stray_bytes <= REPLAY_FLOOD_BYTES)
        return false;
    char what[200];
    snprintf(what, sizeof what, "%llu packets, %llu bytes without a counterpart in the capture (limits: %u packets, "
                                "%u bytes per connection)",
             (unsigned long long)c->stray_packets, (unsigned long long)c->stray_bytes, REPLAY_FLOOD_PACKETS,
             REPLAY_FLOOD_BYTES);
    stop_flood(s, session, what);
    return true;
}

/* The Remaining Length a packet at p announces (the header is known to be complete and valid in
 * form: the codec refused the packet only for its size). */
static uint32_t announced_length(const uint8_t *p, size_t n)
{
    uint32_t v = 0;
    for (size_t i = 1; i < n && i < 5; i++) {
        v |= (uint32_t)(p[i] & 0x7F) << (7 * (i - 1));
        if (!(p[i] & 0x80))
            break;
    }
    return v;
}

/* Cut the received bytes into packets and match each. */
static void take_replies(sched *s, uint32_t session)
{
    conn *c = &s->conns[session];
    replay_session *ses = &s->cap->sessions[session];
    size_t pos = 0;
    mqtt_decode_opts o = {.version = ses->version, .direction = MQTT_DIR_TO_CLIENT, .max_packet_size = c->max_reply};
    while (c->net && pos < c->rx_len) {
        mqtt_packet pkt;
        mqtt_frame fr;
        mqtt_result r = mqtt_decode(c->rx + pos, c->rx_len - pos, &o, &pkt, &fr);
        if (r == MQTT_NEED_MORE)
            break;
        if (r == MQTT_MALFORMED && fr.error.code == MQTT_ERR_PACKET_TOO_LARGE) {
            char what[200];
            snprintf(what, sizeof what, "a %s of %u bytes announced, more than the %u bytes replay keeps for one reply",
                     mqtt_packet_type_name(c->rx[pos] >> 4) ? mqtt_packet_type_name(c->rx[pos] >> 4) : "packet",
                     announced_length(c->rx + pos, c->rx_len - pos), c->max_reply);
            stop_flood(s, session, what);
            return;
        }
        if (r == MQTT_MALFORMED) {
            char text[256];
            mqtt_error_format(&fr.error, text, sizeof text);
            mqtt_frame f2;
            bool framed = mqtt_frame_packet(c->rx + pos, c->rx_len - pos, 0, &f2) == MQTT_COMPLETE;
            replay_report_divergence(s->rep, ses, REPLAY_DIV_MALFORMED, NULL, c->rx[pos] >> 4, NULL, text);
            if (!framed) { /* no packet boundary to go on from */
                kill_conn(s, session, "the broker's bytes cannot be framed as MQTT");
                break;
            }
            pos += f2.packet_len;
            c->stray_packets++;
            c->stray_bytes += f2.packet_len;
            if (flood_check(s, session))
                return;
            continue;
        }
        if (!match_reply(s, session, &pkt)) {
            c->stray_packets++;
            c->stray_bytes += fr.packet_len;
            if (flood_check(s, session))
                return;
        }
        pos += fr.packet_len;
    }
    if (pos && c->net) {
        memmove(c->rx, c->rx + pos, c->rx_len - pos);
        c->rx_len -= pos;
    }
}

/* Read what the broker sent, at most REPLAY_READ_BUDGET bytes: a socket that never runs dry must
 * not keep replay here past its deadlines. The buffer holds at most one unfinished reply (itself
 * bounded by max_reply) besides the budget. */
static void read_conn(sched *s, uint32_t session)
{
    conn *c = &s->conns[session];
    size_t budget = REPLAY_READ_BUDGET;
    while (budget && c->net) {
        if (c->rx_cap - c->rx_len < 65536) {
            c->rx_cap = c->rx_cap ? c->rx_cap * 2 : 131072;
            c->rx = base_xrealloc(c->rx, c->rx_cap);
        }
        size_t room = c->rx_cap - c->rx_len;
        size_t n = 0;
        net_status st = net_recv(c->net, c->rx + c->rx_len, room < budget ? room : budget, &n, 0 /* no wait */);
        if (st == NET_OK) {
            c->rx_len += n;
            budget -= n;
            if (c->rx_len >= REPLAY_READ_BUDGET)
                take_replies(s, session); /* keep the buffer to one unfinished reply */
            continue;
        }
        if (st == NET_TIMEOUT)
            break;
        if (st == NET_LOCAL) {
            own_error(s, "reading from the broker (#%llu): %s",
                      (unsigned long long)s->cap->sessions[session].stream_id, net_error(c->net));
            return;
        }
        char why[500] = "the broker closed the connection";
        if (st != NET_CLOSED)
            snprintf(why, sizeof why, "the connection failed: %s", net_error(c->net));
        take_replies(s, session); /* what came before the close */
        if (c->net)
            kill_conn(s, session, why);
        return;
    }
    take_replies(s, session);
}

/* One round of I/O: wait until a connection is readable (or write_session's writable) or until
 * until_ns. Returns true when write_session's connection became writable. */
static bool pump(sched *s, int64_t until_ns, int64_t write_session)
{
    size_t n = 0;
    for (uint32_t i = 0; i < s->cap->session_count; i++) {
        if (!s->conns[i].net)
            continue;
        s->waiters[n] = (net_waiter){.conn = s->conns[i].net, .want_write = i == write_session};
        s->waiter_session[n++] = i;
    }
    int64_t left = until_ns - base_clock_real_ns();
    int ms = left <= 0 ? 0 : left >= 3600000000000 ? 3600000 : (int)((left + 999999) / 1000000);
    int rc = net_wait(s->waiters, n, ms);
    if (rc < 0)
        own_error(s, "poll: %s", strerror(errno));
    if (rc <= 0)
        return false;
    bool writable = false;
    for (size_t i = 0; i < n && !s->failed; i++) {
        if (s->waiters[i].writable)
            writable = true;
        if (s->waiters[i].readable && s->conns[s->waiter_session[i]].net)
            read_conn(s, s->waiter_session[i]);
    }
    return writable;
}

/* ---- sending ---- */

static bool send_all(sched *s, uint32_t session, const uint8_t *p, size_t len)
{
    conn *c = &s->conns[session];
    int64_t deadline = base_clock_real_ns() + s->cfg->timeout_ns;
    while (len && c->net && !s->failed) {
        size_t n = 0;
        net_status st = net_send(c->net, p, len, &n, 0 /* no wait: read the others meanwhile */);
        p += n;
        len -= n;
        if (n)
            deadline = base_clock_real_ns() + s->cfg->timeout_ns;
        if (st == NET_OK)
            continue;
        if (st == NET_TIMEOUT) {
            if (base_clock_real_ns() >= deadline) {
                kill_conn(s, session, "the broker stopped reading");
                return false;
            }
            pump(s, deadline, session);
        } else if (st == NET_LOCAL) {
            own_error(s, "sending to the broker (#%llu): %s", (unsigned long long)s->cap->sessions[session].stream_id,
                      net_error(c->net));
            return false;
        } else {
            read_conn(s, session); /* take what it said before it went away */
            if (c->net)
                kill_conn(s, session, "the broker closed the connection");
            return false;
        }
    }
    return c->net != NULL;
}

static int open_conn(sched *s, uint32_t session, char *err, size_t errcap)
{
    conn *c = &s->conns[session];
    c->opened = true;
    char why[300];
    net_status st =
        net_connect(s->cfg->target, base_clock_real_ms() + s->cfg->timeout_ns / 1000000, &c->net, why, sizeof why);
    bool own = st == NET_LOCAL;
    if (st == NET_OK) {
        if (!s->any_connected)
            net_describe(c->net, s->stats->transport, sizeof s->stats->transport);
        s->any_connected = true;
        return 0;
    }
    if (own) { /* no descriptor or local port: mqtk's limit, not the broker's behaviour */
        own_error(s, "session #%llu: %s", (unsigned long long)s->cap->sessions[session].stream_id, why);
        return REPLAY_FAILED;
    }
    if (!s->any_connected) {
        snprintf(err, errcap, "broker unreachable: %s", why);
        return REPLAY_FAILED;
    }
    char detail[400];
    snprintf(detail, sizeof detail, "%s; %u captured client packet%s not sent, %u captured repl%s not awaited", why,
             c->sends_left, c->sends_left == 1 ? "" : "s", c->replies_left, c->replies_left == 1 ? "y" : "ies");
    replay_report_divergence(s->rep, &s->cap->sessions[session], REPLAY_DIV_CONNECT, NULL, 0, NULL, detail);
    c->dead = true;
    give_up_session(s, session, why, false);
    return 0;
}

static void send_step(sched *s, replay_step *st)
{
    conn *c = &s->conns[st->session];
    replay_session *ses = &s->cap->sessions[st->session];
    c->sends_left--;
    st->state = REPLAY_DONE;
    if (c->dead || !c->net)
        return;
    mqtt_packet pkt;
    bool decoded = replay_step_decode(s->cap, st, &pkt);
    const uint8_t *out;
    size_t out_len;
    char err[200];
    if (!replay_rewrite_packet(&c->rw, ses->version, decoded ? &pkt : NULL, st->raw, st->raw_len, &out, &out_len, err,
                               sizeof err))
        fprintf(stderr, "mqtk replay: #%llu frame %llu: %s; sent as captured\n", (unsigned long long)ses->stream_id,
                (unsigned long long)st->frame, err);
    if (out != st->raw)
        s->stats->rewritten++;
    if (send_all(s, st->session, out, out_len))
        s->stats->sent++;
    session_done_check(s, st->session);
}

/* ---- waiting ---- */

static void wait_until(sched *s, int64_t when_ns)
{
    while (!s->failed && base_clock_real_ns() < when_ns)
        pump(s, when_ns, -1);
}

/* When a client step is due with the captured timing: its captured time over the speed factor,
 * less every earlier pause beyond --max-gap (each such cut is announced on stderr). Arithmetic in
 * double: captured times may sit at the ends of the int64 range. */
static int64_t due_time(sched *s, const replay_step *st, int64_t prev_ns)
{
    double gap = ((double)st->time_ns - (double)prev_ns) / s->cfg->speed;
    if (gap > (double)s->cfg->max_gap_ns) {
        double cut = gap - (double)s->cfg->max_gap_ns;
        s->cut_ns += cut;
        s->stats->gaps_shortened++;
        char pause[64] = "more than 292 years"; /* captured times saturate there (replay_model.c) */
        if (st->time_ns != INT64_MAX && prev_ns != INT64_MIN)
            snprintf(pause, sizeof pause, "%.3f s", gap / 1e9 * s->cfg->speed);
        fprintf(stderr, "mqtk replay: notice: the capture pauses %s before frame %llu (#%llu); waiting %.3f s "
                        "instead (--max-gap)\n",
                pause, (unsigned long long)st->frame,
                (unsigned long long)s->cap->sessions[st->session].stream_id, (double)s->cfg->max_gap_ns / 1e9);
    }
    double at = ((double)st->time_ns - (double)s->first_step_ns) / s->cfg->speed - s->cut_ns;
    if (at < 0)
        at = 0;
    if (at > 9e18)
        at = 9e18;
    return s->start_ns + (int64_t)at;
}

/* Every reply the capture shows before step index limit: arrived, or reported missing. */
static void await_replies(sched *s, size_t limit)
{
    int64_t deadline = base_clock_real_ns() + s->cfg->timeout_ns;
    size_t seen = s->first_pending;
    while (s->first_pending < limit && !s->failed) {
        if (s->first_pending != seen) { /* progress: a fresh deadline for the next reply */
            seen = s->first_pending;
            deadline = base_clock_real_ns() + s->cfg->timeout_ns;
        }
        if (base_clock_real_ns() >= deadline) {
            char why[80];
            snprintf(why, sizeof why, "no reply within %.1f s", (double)s->cfg->timeout_ns / 1e9);
            for (size_t i = s->first_pending; i < limit; i++) {
                replay_step *st = &s->cap->steps[i];
                if (st->dir == CAP_S2C && st->state == REPLAY_PENDING)
                    report_missing(s, st, why);
            }
            break;
        }
        pump(s, deadline, -1);
    }
}

static void show_progress(sched *s, size_t done)
{
    int64_t now = base_clock_real_ns();
    if (!s->cfg->progress || now - s->last_progress_ns < 1000000000)
        return;
    s->last_progress_ns = now;
    fprintf(stderr, "mqtk replay: %zu of %zu captured packets, %llu divergences\n", done, s->cap->step_count,
            (unsigned long long)s->stats->divergences);
}

int replay_run(replay_capture *cap, const replay_config *cfg, replay_report *rep, char *err, size_t errcap)
{
    sched s = {0};
    s.cap = cap;
    s.cfg = cfg;
    s.rep = rep;
    s.stats = rep->stats;
    s.err = err;
    s.errcap = errcap;
    char why[300];
    if (!net_resolve(&cfg->target->address, &cfg->target->endpoints, why, sizeof why)) {
        snprintf(err, errcap, "broker unreachable: %s", why);
        return REPLAY_FAILED;
    }
    s.conns = base_xmalloc((cap->session_count ? cap->session_count : 1) * sizeof *s.conns);
    s.waiters = base_xmalloc((cap->session_count ? cap->session_count : 1) * sizeof *s.waiters);
    s.waiter_session = base_xmalloc((cap->session_count ? cap->session_count : 1) * sizeof *s.waiter_session);
    for (size_t i = 0; i < cap->session_count; i++) {
        s.conns[i] = (conn){.net = NULL, .sends_left = cap->sessions[i].sends, .replies_left = cap->sessions[i].replies,
                            .max_reply = REPLAY_MAX_REPLY};
        replay_rewrite_init(&s.conns[i].rw, cfg->client_prefix);
        rep->stats->expected += cap->sessions[i].skip_reason ? 0 : cap->sessions[i].replies;
    }
    for (size_t i = 0; i < cap->step_count; i++) { /* a reply as large as a captured one is always kept */
        conn *c = &s.conns[cap->steps[i].session];
        if (cap->steps[i].dir == CAP_S2C && cap->steps[i].raw_len > c->max_reply)
            c->max_reply = cap->steps[i].raw_len;
    }
    s.start_ns = s.last_progress_ns = base_clock_real_ns();
    s.first_step_ns = cap->step_count ? cap->steps[0].time_ns : 0;
    while (s.first_pending < cap->step_count && (cap->steps[s.first_pending].dir == CAP_C2S))
        s.first_pending++;
    int rc = 0;
    int64_t prev_ns = s.first_step_ns;
    for (size_t i = 0; i < cap->step_count && rc == 0 && !s.failed; i++) {
        replay_step *st = &cap->steps[i];
        if (st->dir != CAP_C2S)
            continue;
        if (cfg->speed > 0) {
            wait_until(&s, due_time(&s, st, prev_ns));
            prev_ns = st->time_ns;
        }
        await_replies(&s, i);
        if (s.failed)
            break;
        if (!s.conns[st->session].opened)
            rc = open_conn(&s, st->session, err, errcap);
        if (rc == 0 && !s.failed)
            send_step(&s, st);
        show_progress(&s, i);
    }
    if (rc == 0 && !s.failed)
        await_replies(&s, cap->step_count);
    if (s.failed)
        rc = REPLAY_FAILED;
    for (size_t i = 0; i < cap->session_count; i++) {
        net_close(s.conns[i].net);
        free(s.conns[i].rx);
        replay_rewrite_free(&s.conns[i].rw);
    }
    free(s.conns);
    free(s.waiters);
    free(s.waiter_session);
    rep->stats->seconds = (double)(base_clock_real_ns() - s.start_ns) / 1e9;
    return rc;
}
