#include "probe.h"

#include <stdio.h>
#include <string.h>

#include "base/clock.h"

/* How long the probe listens after a TLS handshake for the server's refusal of the client. */
enum { TLS_REFUSAL_WAIT_MS = 300 };

int cr_probe_reachable(const cr_run_opts *opts, char *transport, size_t cap, net_tls_session *tls, base_strbuf *err)
{
    cr_conn c;
    cr_conn_init(&c, "probe", NULL);
    int rc = cr_conn_open(&c, &opts->target, MQTT_V311, base_now_ms() + opts->timeout_ms, err);
    if (rc == 0 && transport)
        net_describe(c.net, transport, cap);
    net_tls_session session;
    if (rc == 0)
        net_tls_session_info(c.net, &session);
    if (rc == 0 && session.used) {
        /* In TLS 1.3 a server refuses a client (no certificate, or one it does not trust) only after
         * the client's handshake is complete: listen a moment, so that refusal is the setup error it
         * is instead of every test's connection closing. */
        uint8_t b[256];
        size_t got;
        int wait = opts->timeout_ms < TLS_REFUSAL_WAIT_MS ? opts->timeout_ms : TLS_REFUSAL_WAIT_MS;
        net_status st = net_recv(c.net, b, sizeof b, &got, base_now_ms() + wait);
        if (st != NET_OK && st != NET_TIMEOUT) {
            base_sb_printf(err, "the broker ended the TLS session right after the handshake: %s", net_error(c.net));
            rc = -1;
        }
    }
    if (rc == 0 && tls)
        *tls = session;
    cr_conn_free(&c);
    return rc;
}

int cr_probe_send(cr_conn *c, mqtt_packet *p, int64_t deadline)
{
    uint8_t buf[512];
    size_t n = 0;
    mqtt_encode_opts o = {MQTT_V311, MQTT_DIR_TO_SERVER, 0};
    base_strbuf err = {0};
    int rc = mqtt_encode(p, &o, buf, sizeof buf, &n, NULL) == MQTT_OK ? cr_conn_send(c, buf, n, deadline, &err) : -1;
    base_sb_free(&err);
    return rc;
}

const mqtt_packet *cr_probe_await(cr_conn *c, mqtt_packet_type type, int64_t deadline)
{
    for (;;) {
        for (size_t i = 0; i < c->nrx; i++) {
            if (!c->rx[i].consumed && c->rx[i].pkt.type == type) {
                c->rx[i].consumed = true;
                return &c->rx[i].pkt;
            }
        }
        if (c->state != CR_CONN_OPEN || base_now_ms() >= deadline)
            return NULL;
        cr_conn_wait(c, deadline);
    }
}

void cr_connect_set_credentials(mqtt_connect *c, const cr_run_opts *opts)
{
    if (!opts->username)
        return;
    c->has_username = true;
    c->username = mqtt_cstr(opts->username);
    if (opts->password) {
        c->has_password = true;
        c->password = mqtt_cstr(opts->password);
    }
}

void cr_probe_version(const cr_run_opts *opts, int wait_ms, char *out, size_t cap)
{
    out[0] = '\0';
    cr_conn c;
    cr_conn_init(&c, "probe", NULL);
    int64_t deadline = base_now_ms() + opts->timeout_ms;
    base_strbuf err = {0};
    char id[32];
    snprintf(id, sizeof id, "%sprobe", opts->prefix);
    mqtt_packet p = {.type = MQTT_CONNECT};
    p.u.connect.clean_start = true;
    p.u.connect.client_id = mqtt_cstr(id);
    cr_connect_set_credentials(&p.u.connect, opts);
    if (cr_conn_open(&c, &opts->target, MQTT_V311, deadline, &err) == 0 && cr_probe_send(&c, &p, deadline) == 0) {
        const mqtt_packet *ack = cr_probe_await(&c, MQTT_CONNACK, deadline);
        if (ack && ack->u.connack.reason_code == 0) {
            uint8_t payload[64];
            mqtt_subscription sub = {.filter = mqtt_cstr("$SYS/broker/version")};
            mqtt_packet s = {.type = MQTT_SUBSCRIBE};
            s.u.subscribe.packet_id = 1;
            if (mqtt_subscribe_payload_write(&s.u.subscribe, &sub, 1, payload, sizeof payload) == MQTT_OK &&
                cr_probe_send(&c, &s, deadline) == 0) {
                const mqtt_packet *pub = cr_probe_await(&c, MQTT_PUBLISH, base_now_ms() + wait_ms);
                if (pub) {
                    size_t n = pub->u.publish.payload.len < cap - 1 ? pub->u.publish.payload.len : cap - 1;
                    for (size_t i = 0; i < n; i++) {
                        uint8_t ch = pub->u.publish.payload.data[i];
                        out[i] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
                    }
                    out[n] = '\0';
                }
            }
            mqtt_packet d = {.type = MQTT_DISCONNECT};
            cr_probe_send(&c, &d, deadline);
        }
    }
    base_sb_free(&err);
    cr_conn_free(&c);
}
