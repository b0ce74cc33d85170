#include "conn.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "conformance/script/fields.h"
#include "net/ws.h"
#include "conformance/script/script.h"
#include "conformance/script/match.h"

/* A test keeps its transcript to the end of the run (every report carries it): 32 KiB each, six times
 * the longest seen against mosquitto, bounds what a flooding broker makes a whole run keep. */
enum { TRANSCRIPT_MAX = 32 * 1024, HEX_SHOWN = 96 };

void cr_log(cr_transcript *log, const char *fmt, ...)
{
    if (!log || log->text.len > TRANSCRIPT_MAX)
        return;
    va_list ap;
    base_sb_printf(&log->text, "%+7.3fs ", (double)(base_now_ms() - log->t0) / 1000.0);
    va_start(ap, fmt);
    base_sb_vprintf(&log->text, fmt, ap);
    va_end(ap);
    base_sb_putc(&log->text, '\n');
    if (log->text.len > TRANSCRIPT_MAX)
        base_sb_puts(&log->text, "(transcript truncated)\n");
}

void cr_conn_init(cr_conn *c, const char *name, cr_transcript *log)
{
    memset(c, 0, sizeof *c);
    c->name = name;
    c->log = log;
    c->next_pid = 1;
}

static void drop_packets(cr_conn *c)
{
    for (size_t i = 0; i < c->nrx; i++) {
        free(c->rx[i].bytes);
        free(c->rx[i].topic);
    }
    c->nrx = 0;
    c->rlen = 0;
    c->rx_bytes = 0;
}

/* Hand the settings to the open connection's WebSocket layer. */
static void ws_apply(cr_conn *c, net_conn *ws)
{
    if (!c->ws_framed)
        return; /* no ws step yet: the run's framing (--ws-frame) stays */
    net_ws_split(ws, c->ws_split, c->ws_fragment);
    net_ws_text(ws, c->ws_text);
    if (c->ws_hold)
        net_ws_hold(ws);
}

int cr_conn_open(cr_conn *c, const net_target *target, mqtt_version version, int64_t deadline, base_strbuf *err)
{
    cr_conn_close(c);
    drop_packets(c);
    cr_aliases_reset(&c->aliases); /* mappings end with the network connection [MQTT-3.3.2-7] */
    cr_quota_reset(&c->quota);
    c->broker_max_packet = 0;
    c->max_packet_size = 0;
    c->topic_alias_max = 0;
    c->any_connack_format = false;
    c->version = version;
    c->why[0] = '\0';
    c->violation = NULL;
    c->violated = false;
    c->violation_err = MQTT_OK;
    c->violation_type = 0;
    c->closed_at_ms = 0;
    char why[400];
    const net_target *t = target;
    net_target v31;
    if (version == MQTT_V31 && net_scheme_ws(target->address.scheme) && !target->opts.ws.subprotocol) {
        v31 = *target; /* a 3.1 client offers "mqttv3.1" (MQTT over WebSocket predates the "mqtt" name) */
        v31.opts.ws.subprotocol = "mqttv3.1";
        t = &v31;
    }
    if (net_connect(t, deadline, &c->net, why, sizeof why) != NET_OK) {
        base_sb_printf(err, "cannot connect to the broker: %s", why);
        return -1;
    }
    c->state = CR_CONN_OPEN;
    net_conn *ws = net_ws_of(c->net);
    if (ws)
        ws_apply(c, ws);
    if (c->log) {
        char desc[400];
        net_describe(c->net, desc, sizeof desc);
        cr_log(c->log, "%s: connection opened (%s)", c->name, desc);
    }
    return 0;
}

/* What the transport said, in the transcript's words. */
static const char *closed_why(const cr_conn *c, net_status st, bool sending)
{
    if (net_ws_of(c->net) && net_error(c->net)[0])
        return net_error(c->net); /* the WebSocket layer says how: a close code, mid-frame, a bad frame */
    if (st == NET_CLOSED)
        return sending ? "connection closed by the broker (seen while sending)" : "connection closed by the broker";
    if (st == NET_RESET)
        return sending ? "connection closed by the broker (seen while sending)" : "connection reset by the broker";
    return net_error(c->net);
}

/* A transport error the broker caused: the rule it broke, when an MQTT statement (a text frame
 * [MQTT-6.0.0-1]). */
static const char *transport_violation(const cr_conn *c)
{
    return net_ws_of(c->net) ? net_ws_statement(net_ws_of(c->net)) : NULL;
}

static void peer_closed(cr_conn *c, const char *why)
{
    c->state = CR_CONN_PEER_CLOSED;
    c->closed_at_ms = base_now_ms();
    if (c->rlen)
        snprintf(c->why, sizeof c->why, "%s in the middle of a packet (%zu bytes pending)", why, c->rlen);
    else
        snprintf(c->why, sizeof c->why, "%s", why);
    cr_log(c->log, "%s: %s", c->name, c->why);
}

/* The answers a packet with an identifier draws, by its type. */
static const uint16_t id_answers[16] = {
    [MQTT_PUBLISH] = 1u << MQTT_PUBACK | 1u << MQTT_PUBREC, [MQTT_PUBREC] = 1u << MQTT_PUBREL,
    [MQTT_PUBREL] = 1u << MQTT_PUBCOMP,                    [MQTT_SUBSCRIBE] = 1u << MQTT_SUBACK,
    [MQTT_UNSUBSCRIBE] = 1u << MQTT_UNSUBACK,
};

/* A test (or the fuzzer) that sends Packet Identifier 0 makes a broker's answer carrying 0 an echo,
 * not a malformed packet: note which answers may. Sends that cut a packet before its identifier are
 * not seen (only the fuzzer's splits do). */
static void note_zero_ids(cr_conn *c, const uint8_t *bytes, size_t len)
{
    size_t off = 0;
    while (off < len) {
        uint16_t pid;
        if (mqtt_peek_packet_id(bytes + off, len - off, &pid) && pid == 0)
            c->zero_id_answers |= id_answers[bytes[off] >> 4];
        mqtt_frame f;
        if (mqtt_frame_packet(bytes + off, len - off, 0, &f) != MQTT_COMPLETE)
            break;
        off += f.packet_len;
    }
}

int cr_conn_send(cr_conn *c, const uint8_t *bytes, size_t len, int64_t deadline, base_strbuf *err)
{
    if (c->state != CR_CONN_OPEN) {
        cr_log(c->log, "%s: not sent, the connection is already closed (%s)", c->name, c->why);
        return 1;
    }
    note_zero_ids(c, bytes, len);
    size_t sent = 0;
    net_status st = net_send_all(c->net, bytes, len, &sent, deadline);
    if (st == NET_OK)
        return 0;
    if (st == NET_TIMEOUT) {
        base_sb_printf(err, "timed out sending to %s: the broker does not read (%zu of %zu bytes sent)", c->name, sent,
                       len);
        return -1;
    }
    peer_closed(c, closed_why(c, st, true));
    return 1;
}

cr_send_check cr_conn_check_send(cr_conn *c, const uint8_t *bytes, size_t len, base_strbuf *why)
{
    if (c->version != MQTT_V5 || len == 0)
        return CR_SEND_OK;
    if (c->broker_max_packet && len > c->broker_max_packet) {
        base_sb_printf(why, "%s would send a %s of %zu bytes, over the Maximum Packet Size of %u the broker's "
                       "CONNACK set [MQTT-3.2.2-15]", c->name, mqtt_packet_type_name((mqtt_packet_type)(bytes[0] >> 4)),
                       len, (unsigned)c->broker_max_packet);
        return CR_SEND_TOO_LARGE;
    }
    uint16_t id;
    if (bytes[0] >> 4 != MQTT_PUBLISH || !(bytes[0] & 0x06) || !mqtt_peek_packet_id(bytes, len, &id))
        return CR_SEND_OK;
    /* acknowledgements already waiting in the socket were sent before this PUBLISH: they count */
    bool fits;
    while (!(fits = cr_quota_take(&c->quota, id)) && c->state == CR_CONN_OPEN && cr_conn_wait(c, base_now_ms()))
        ;
    if (fits)
        return CR_SEND_OK;
    base_sb_printf(why, "%s would have %u QoS 1/2 PUBLISH packets unacknowledged, over the Receive Maximum of %u "
                   "the broker's CONNACK set [MQTT-3.3.4-7]: the test must wait for an acknowledgement first",
                   c->name, (unsigned)c->quota.n + 1, (unsigned)c->quota.max);
    return CR_SEND_OVER_QUOTA;
}

void cr_conn_set_limits(cr_conn *c, uint32_t max_packet_size, uint16_t topic_alias_max, uint32_t session_expiry)
{
    c->max_packet_size = max_packet_size;
    c->topic_alias_max = topic_alias_max;
    c->asked_expiry = c->granted_expiry = session_expiry;
}

bool cr_conn_session_cut(const cr_conn *c, base_strbuf *why)
{
    if (c->version != MQTT_V5 || c->granted_expiry >= c->asked_expiry)
        return false;
    base_sb_printf(why, "the broker's CONNACK to %s cut the Session Expiry Interval from %u to %u s", c->name,
                   (unsigned)c->asked_expiry, (unsigned)c->granted_expiry);
    return true;
}

/* Limits our CONNECT announced: a packet over our Maximum Packet Size, or a Topic Alias above our
 * Topic Alias Maximum, breaks the connection with the statement it violates. */
static bool within_limits(cr_conn *c, const cr_rx_packet *rx)
{
    if (c->version != MQTT_V5)
        return true;
    if (c->max_packet_size && rx->len > c->max_packet_size) {
        c->violation = "MQTT-3.1.2-24";
        snprintf(c->why, sizeof c->why,
                 "the broker sent a %s of %zu bytes, over the Maximum Packet Size of %u the client announced "
                 "[MQTT-3.1.2-24]", mqtt_packet_type_name(rx->pkt.type), rx->len, c->max_packet_size);
        return false;
    }
    mqtt_property alias;
    if (rx->pkt.type == MQTT_PUBLISH && mqtt_props_find(rx->pkt.u.publish.props, MQTT_PROP_TOPIC_ALIAS, &alias) &&
        alias.value > c->topic_alias_max) {
        c->violation = "MQTT-3.3.2-11";
        snprintf(c->why, sizeof c->why,
                 "the broker sent Topic Alias %u, above the Topic Alias Maximum of %u the client announced "
                 "[MQTT-3.3.2-11]", alias.value, c->topic_alias_max);
        return false;
    }
    return true;
}

/* A PUBLISH whose Topic Alias stands for its empty Topic Name is matched with the topic the broker mapped
 * to that alias earlier on this connection. An alias never mapped is a Protocol Error (5.0 section 3.3.4)
 * that no statement ID names. */
static bool resolve_alias(cr_conn *c, cr_rx_packet *rx)
{
    mqtt_property alias;
    if (c->version != MQTT_V5 || rx->pkt.type != MQTT_PUBLISH ||
        !mqtt_props_find(rx->pkt.u.publish.props, MQTT_PROP_TOPIC_ALIAS, &alias))
        return true;
    if (cr_aliases_apply(&c->aliases, (uint16_t)alias.value, &rx->pkt.u.publish.topic, &rx->topic))
        return true;
    c->violation = NULL;
    snprintf(c->why, sizeof c->why,
             "the broker sent Topic Alias %u with an empty Topic Name, but had not set that alias on this "
             "connection (a Protocol Error, section 3.3.4)", alias.value);
    return false;
}

static void broken(cr_conn *c, bool violated)
{
    c->state = CR_CONN_BROKEN;
    c->violated = violated;
    c->closed_at_ms = base_now_ms();
}

static void push_packet(cr_conn *c, const uint8_t *bytes, size_t len, int64_t at)
{
    if (c->nrx >= CR_CONN_MAX_PACKETS || c->rx_bytes + len > CR_CONN_MAX_BYTES) {
        snprintf(c->why, sizeof c->why, "the broker flooded the connection: %zu packets, %zu bytes kept without the "
                 "test taking them; reading stopped", c->nrx, c->rx_bytes);
        cr_log(c->log, "%s: %s", c->name, c->why);
        broken(c, false);
        return;
    }
    if (c->nrx == c->rxcap) {
        size_t cap = c->rxcap ? c->rxcap * 2 : 16;
        cr_rx_packet *grown = realloc(c->rx, cap * sizeof *grown);
        if (!grown)
            abort();
        c->rx = grown;
        c->rxcap = cap;
    }
    cr_rx_packet *rx = &c->rx[c->nrx];
    memset(rx, 0, sizeof *rx);
    rx->bytes = malloc(len);
    if (!rx->bytes)
        abort();
    memcpy(rx->bytes, bytes, len);
    rx->len = len;
    rx->at_ms = at;
    mqtt_decode_opts opts = {.version = c->version,
                             .direction = MQTT_DIR_TO_CLIENT,
                             .zero_id_acks = len && ((c->zero_id_answers >> (bytes[0] >> 4)) & 1u)};
    mqtt_frame frame;
    base_strbuf line = {0};
    mqtt_result r = mqtt_decode(rx->bytes, len, &opts, &rx->pkt, &frame);
    if (r != MQTT_COMPLETE && c->any_connack_format && len > 0 && bytes[0] >> 4 == MQTT_CONNACK) {
        mqtt_frame other;
        opts.version = c->version == MQTT_V5 ? MQTT_V311 : MQTT_V5;
        /* only a refusal may come in the other version's format: an acceptance must be our version's */
        mqtt_packet alt;
        if (mqtt_decode(rx->bytes, len, &opts, &alt, &other) == MQTT_COMPLETE && alt.u.connack.reason_code != 0) {
            rx->pkt = alt;
            r = MQTT_COMPLETE;
        }
    }
    if (r != MQTT_COMPLETE) {
        char msg[200];
        mqtt_error_format(&frame.error, msg, sizeof msg);
        base_sb_hex(&line, bytes, len, HEX_SHOWN);
        snprintf(c->why, sizeof c->why, "the broker sent a malformed packet: %s", msg);
        cr_log(c->log, "%s <- MALFORMED (%s) | %s", c->name, msg, base_sb_str(&line));
        c->violation = frame.error.statement;
        c->violation_err = frame.error.code;
        c->violation_type = bytes[0] >> 4;
        broken(c, true);
        free(rx->bytes);
        base_sb_free(&line);
        return;
    }
    bool fits = within_limits(c, rx);
    bool mapped = !fits || resolve_alias(c, rx);
    /* the description is for the transcript: a connection without one (the fuzzer's) skips it */
    if (c->log) {
        cs_packet_describe(&rx->pkt, c->version, &line);
        if (rx->topic)
            base_sb_puts(&line, " (topic from its Topic Alias)");
    }
    if (!fits || !mapped) {
        cr_log(c->log, "%s <- VIOLATION (%s) %s", c->name, c->why, base_sb_str(&line));
        broken(c, true);
        free(rx->bytes);
        free(rx->topic);
        base_sb_free(&line);
        return;
    }
    if (c->version == MQTT_V5 && rx->pkt.type == MQTT_CONNACK) {
        mqtt_property pr;
        cr_quota_connack(&c->quota, &rx->pkt.u.connack);
        if (mqtt_props_find(rx->pkt.u.connack.props, MQTT_PROP_MAXIMUM_PACKET_SIZE, &pr))
            c->broker_max_packet = pr.value;
        c->granted_expiry = mqtt_props_find(rx->pkt.u.connack.props, MQTT_PROP_SESSION_EXPIRY_INTERVAL, &pr)
                                ? pr.value
                                : c->asked_expiry;
    }
    cr_quota_on_ack(&c->quota, &rx->pkt);
    c->nrx++;
    c->rx_bytes += len;
    if (c->log) {
        base_sb_puts(&line, " | ");
        base_sb_hex(&line, bytes, len, HEX_SHOWN);
        cr_log(c->log, "%s <- %s", c->name, base_sb_str(&line));
    }
    base_sb_free(&line);
}

/* Cut complete packets out of the read buffer; returns how many. */
static int frame_packets(cr_conn *c, int64_t at)
{
    int count = 0;
    size_t off = 0;
    while (c->state == CR_CONN_OPEN && off < c->rlen) {
        mqtt_frame frame;
        mqtt_result r = mqtt_frame_packet(c->rbuf + off, c->rlen - off, 0, &frame);
        if (r == MQTT_NEED_MORE)
            break;
        if (r == MQTT_MALFORMED) {
            char msg[200];
            base_strbuf hex = {0};
            mqtt_error_format(&frame.error, msg, sizeof msg);
            base_sb_hex(&hex, c->rbuf + off, c->rlen - off, HEX_SHOWN);
            snprintf(c->why, sizeof c->why, "the broker sent bytes that do not frame as MQTT: %s", msg);
            cr_log(c->log, "%s <- UNFRAMEABLE (%s) | %s", c->name, msg, base_sb_str(&hex));
            base_sb_free(&hex);
            c->violation = frame.error.statement;
            broken(c, true);
            count++;
            break;
        }
        push_packet(c, c->rbuf + off, frame.packet_len, at);
        off += frame.packet_len;
        count++;
    }
    memmove(c->rbuf, c->rbuf + off, c->rlen - off);
    c->rlen -= off;
    return count;
}

bool cr_conn_wait(cr_conn *c, int64_t deadline)
{
    if (c->state != CR_CONN_OPEN)
        return false;
    for (;;) {
        if (c->rlen > CR_CONN_MAX_BYTES) {
            snprintf(c->why, sizeof c->why, "the broker sent %zu bytes without completing a packet; reading stopped",
                     c->rlen);
            cr_log(c->log, "%s: %s", c->name, c->why);
            broken(c, false);
            return true;
        }
        if (c->rcap - c->rlen < 4096) {
            size_t cap = c->rcap ? c->rcap * 2 : 8192;
            uint8_t *grown = realloc(c->rbuf, cap);
            if (!grown)
                abort();
            c->rbuf = grown;
            c->rcap = cap;
        }
        size_t n = 0;
        size_t room = c->rcap - c->rlen;
        net_status st = net_recv(c->net, c->rbuf + c->rlen, room, &n, deadline);
        if (st == NET_TIMEOUT)
            return false;
        if (st == NET_ERROR && net_ws_of(c->net)) { /* a bad frame: the broker broke RFC 6455 or MQTT's rule */
            snprintf(c->why, sizeof c->why, "%s", net_error(c->net));
            cr_log(c->log, "%s: VIOLATION %s", c->name, c->why);
            c->violation = transport_violation(c);
            broken(c, true);
            return true;
        }
        if (st != NET_OK) {
            peer_closed(c, closed_why(c, st, false));
            return true;
        }
        c->rlen += n;
        int64_t now = base_now_ms();
        if (frame_packets(c, now) > 0)
            return true;
        /* a read that did not fill the buffer took all there was: when the caller does not want to
         * wait, another read would only say "nothing yet" (a recv and a poll per partial packet) */
        if (n < room && deadline <= now && !net_pending(c->net))
            return false;
    }
}

void cr_conn_half_close(cr_conn *c, int64_t deadline)
{
    if (c->state == CR_CONN_OPEN) {
        net_shutdown(c->net, deadline);
        while (c->state == CR_CONN_OPEN && base_now_ms() < deadline)
            cr_conn_wait(c, deadline);
    }
    cr_conn_close(c);
}

void cr_conn_close(cr_conn *c)
{
    /* a connection the broker has closed keeps its socket for the next one when there is a pool: the
     * broker's side, already closed, gets a reset instead of the FIN exchange */
    if (c->state != CR_CONN_PEER_CLOSED || !net_recycle(c->net))
        net_close(c->net);
    c->net = NULL;
    c->state = CR_CONN_IDLE;
}

void cr_conn_close_reset(cr_conn *c)
{
    net_close_reset(c->net);
    c->net = NULL;
    c->state = CR_CONN_IDLE;
}

void cr_conn_free(cr_conn *c)
{
    cr_conn_close(c);
    drop_packets(c);
    cr_aliases_reset(&c->aliases);
    free(c->rx);
    free(c->rbuf);
    c->rx = NULL;
    c->rbuf = NULL;
}

/* How each ws action changes the connection's framing settings. */
static void ws_settings(cr_conn *c, cs_ws_action action, unsigned size)
{
    c->ws_framed = true;
    switch (action) {
    case CS_WS_SPLIT:
    case CS_WS_FRAGMENT:
        c->ws_split = size;
        c->ws_fragment = action == CS_WS_FRAGMENT;
        break;
    case CS_WS_HOLD:
        c->ws_hold = true;
        break;
    case CS_WS_FLUSH:
        c->ws_hold = false;
        break;
    case CS_WS_TEXT:
    case CS_WS_BINARY:
        c->ws_text = action == CS_WS_TEXT;
        break;
    }
}

int cr_conn_ws(cr_conn *c, cs_ws_action action, unsigned size, int64_t deadline, base_strbuf *err)
{
    ws_settings(c, action, size);
    net_conn *ws = c->state == CR_CONN_OPEN ? net_ws_of(c->net) : NULL;
    if (!ws) {
        if (action == CS_WS_FLUSH && c->state != CR_CONN_IDLE)
            cr_log(c->log, "%s: nothing flushed, the connection is already closed (%s)", c->name, c->why);
        return 0; /* applied when it opens */
    }
    ws_apply(c, ws);
    cr_log(c->log, "%s: ws %s", c->name, cs_ws_action_name(action));
    if (action != CS_WS_FLUSH)
        return 0;
    net_status st = net_ws_flush(ws, deadline);
    if (st == NET_OK)
        return 0;
    if (st == NET_TIMEOUT) {
        base_sb_printf(err, "timed out flushing to %s: the broker does not read", c->name);
        return -1;
    }
    peer_closed(c, closed_why(c, st, true));
    return 0;
}
