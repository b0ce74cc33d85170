#include "discover.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "probe.h"
#include "conformance/script/fields.h"
#include "format/json_write.h"
#include "conformance/script/match.h"

/* Send one CONNECT (5.0, Keep Alive 60, Clean Start) with client_id and wait for its CONNACK. */
static int connect_once(const cr_run_opts *opts, const char *client_id, cr_conn *c, const mqtt_packet **ack,
                        base_strbuf *err)
{
    int64_t deadline = base_now_ms() + opts->timeout_ms;
    mqtt_packet p = {.type = MQTT_CONNECT};
    p.u.connect.clean_start = true;
    p.u.connect.keep_alive = 60;
    p.u.connect.client_id = mqtt_cstr(client_id);
    cr_connect_set_credentials(&p.u.connect, opts);
    uint8_t buf[512];
    size_t n = 0;
    mqtt_encode_opts eo = {MQTT_V5, MQTT_DIR_TO_SERVER, 0};
    *ack = NULL;
    if (mqtt_encode(&p, &eo, buf, sizeof buf, &n, NULL) != MQTT_OK) {
        base_sb_puts(err, "cannot encode the probe CONNECT");
        return -1;
    }
    if (cr_conn_open(c, &opts->target, MQTT_V5, deadline, err) < 0)
        return -1;
    if (cr_conn_send(c, buf, n, deadline, err) != 0) {
        if (!err->len)
            base_sb_printf(err, "the broker closed the connection before the CONNECT was sent (%s)", c->why);
        return -1;
    }
    while (c->nrx == 0 && c->state == CR_CONN_OPEN && base_now_ms() < deadline)
        cr_conn_wait(c, deadline);
    if (c->nrx == 0 || c->rx[0].pkt.type != MQTT_CONNACK) {
        base_sb_printf(err, "no CONNACK to a 5.0 CONNECT (%s)",
                       c->state == CR_CONN_BROKEN || c->state == CR_CONN_PEER_CLOSED ? c->why : "timed out");
        return -1;
    }
    *ack = &c->rx[0].pkt;
    return 0;
}

static void disconnect(cr_conn *c, const cr_run_opts *opts)
{
    static const uint8_t normal[] = {0xe0, 0x00};
    base_strbuf err = {0};
    cr_conn_send(c, normal, sizeof normal, base_now_ms() + opts->timeout_ms, &err);
    cr_conn_half_close(c, base_now_ms() + opts->settle_ms);
    base_sb_free(&err);
}

static uint32_t prop_or(mqtt_props props, unsigned id, uint32_t dflt)
{
    mqtt_property pr;
    return mqtt_props_find(props, id, &pr) ? pr.value : dflt;
}

int cr_discover(const cr_run_opts *opts, cr_server_caps *caps, base_strbuf *err)
{
    memset(caps, 0, sizeof *caps);
    cr_conn c;
    cr_conn_init(&c, "probe", NULL);
    char id[32];
    snprintf(id, sizeof id, "%sprobe5", opts->prefix);
    const mqtt_packet *ack;
    int rc = connect_once(opts, id, &c, &ack, err);
    if (rc == 0 && ack->u.connack.reason_code != 0) {
        const char *name = mqtt_reason_name(MQTT_V5, MQTT_CONNACK, ack->u.connack.reason_code);
        base_sb_printf(err, "the broker refused a 5.0 CONNECT with reason 0x%02x (%s)", ack->u.connack.reason_code,
                       name ? name : "?");
        rc = -1;
    }
    if (rc == 0) {
        mqtt_props props = ack->u.connack.props;
        caps->maximum_qos = (uint8_t)prop_or(props, MQTT_PROP_MAXIMUM_QOS, 2);
        caps->retain_available = prop_or(props, MQTT_PROP_RETAIN_AVAILABLE, 1) != 0;
        caps->wildcard_available = prop_or(props, MQTT_PROP_WILDCARD_SUBSCRIPTION_AVAILABLE, 1) != 0;
        caps->subscription_ids_available = prop_or(props, MQTT_PROP_SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1) != 0;
        caps->shared_available = prop_or(props, MQTT_PROP_SHARED_SUBSCRIPTION_AVAILABLE, 1) != 0;
        caps->topic_alias_maximum = (uint16_t)prop_or(props, MQTT_PROP_TOPIC_ALIAS_MAXIMUM, 0);
        caps->receive_maximum = (uint16_t)prop_or(props, MQTT_PROP_RECEIVE_MAXIMUM, 65535);
        caps->maximum_packet_size = prop_or(props, MQTT_PROP_MAXIMUM_PACKET_SIZE, 0);
        caps->server_keep_alive = (int32_t)prop_or(props, MQTT_PROP_SERVER_KEEP_ALIVE, UINT32_MAX);
        disconnect(&c, opts);
        /* an empty client id: accepted with an assigned one, or refused */
        base_strbuf ignored = {0};
        if (connect_once(opts, "", &c, &ack, &ignored) == 0 && ack->u.connack.reason_code == 0) {
            mqtt_property pr;
            caps->assigns_client_id = true;
            if (mqtt_props_find(ack->u.connack.props, MQTT_PROP_ASSIGNED_CLIENT_IDENTIFIER, &pr))
                snprintf(caps->assigned_client_id, sizeof caps->assigned_client_id, "%.*s", (int)pr.data.len,
                         (const char *)pr.data.data);
            disconnect(&c, opts);
        }
        base_sb_free(&ignored);
    }
    cr_conn_free(&c);
    return rc;
}

/* CONNACK codes by which a broker refuses the client's credentials or authorisation. */
static bool auth_refusal(bool v5_format, uint8_t rc)
{
    return v5_format ? rc == 0x86 || rc == 0x87 || rc == 0x8c : rc == 0x04 || rc == 0x05;
}

/* CONNACK codes by which a broker refuses the protocol version itself. */
static bool version_refusal(bool v5_format, uint8_t rc)
{
    return v5_format ? rc == 0x84 : rc == 0x01;
}

static int encode_connect(const cr_run_opts *opts, mqtt_version v, const char *id, uint8_t *buf, size_t cap, size_t *n)
{
    mqtt_packet p = {.type = MQTT_CONNECT};
    p.u.connect.clean_start = true;
    p.u.connect.keep_alive = 60;
    p.u.connect.client_id = mqtt_cstr(id);
    cr_connect_set_credentials(&p.u.connect, opts);
    mqtt_encode_opts eo = {v, MQTT_DIR_TO_SERVER, 0};
    return mqtt_encode(&p, &eo, buf, cap, n, NULL) == MQTT_OK ? 0 : -1;
}

int cr_probe_protocol(const cr_run_opts *opts, mqtt_version v, cr_version_probe *out, int64_t *rtt_ms, base_strbuf *err)
{
    memset(out, 0, sizeof *out);
    out->version = v;
    *rtt_ms = 0;
    char id[32];
    snprintf(id, sizeof id, "%sv%d", opts->prefix, (int)v);
    uint8_t buf[512 + 2 * 65536];
    size_t n = 0;
    if (encode_connect(opts, v, id, buf, sizeof buf, &n) < 0) {
        base_sb_puts(err, "cannot encode a CONNECT with the run's credentials (too long?)");
        return -1;
    }
    cr_conn c;
    cr_conn_init(&c, "probe", NULL);
    /* patient: the round trip measured here is what scales the run's deadlines to a slow broker */
    int wait_ms = opts->timeout_ms > 5000 ? 2 * opts->timeout_ms : 10000;
    int64_t deadline = base_now_ms() + wait_ms;
    if (cr_conn_open(&c, &opts->target, v, deadline, err) < 0) {
        cr_conn_free(&c);
        return -2;
    }
    c.any_connack_format = true; /* a refusal may come in another version's format */
    int64_t sent = base_now_ms();
    base_strbuf ignored = {0};
    cr_conn_send(&c, buf, n, deadline, &ignored);
    base_sb_free(&ignored);
    while (c.nrx == 0 && c.state == CR_CONN_OPEN && base_now_ms() < deadline)
        cr_conn_wait(&c, deadline);
    int rc = 0;
    const char *vname = mqtt_version_name(v);
    if (c.nrx > 0 && c.rx[0].pkt.type == MQTT_CONNACK) {
        const mqtt_packet *ack = &c.rx[0].pkt;
        uint8_t code = ack->u.connack.reason_code;
        /* the CONNACK's own format: a 5.0 one has a property length after the code */
        bool v5_format = v == MQTT_V5 && c.rx[0].len > 4;
        const char *name = mqtt_reason_name(v5_format ? MQTT_V5 : MQTT_V311, MQTT_CONNACK, code);
        *rtt_ms = c.rx[0].at_ms - sent;
        if (code == 0) {
            out->state = CR_VS_SPOKEN;
            snprintf(out->evidence, sizeof out->evidence, "CONNACK 0x00 to a %s CONNECT", vname);
            disconnect(&c, opts);
        } else if (auth_refusal(v5_format, code)) {
            base_sb_printf(err, "the broker refused the run's credentials: CONNACK 0x%02x (%s) to a %s CONNECT%s", code,
                           name ? name : "?", vname, opts->username ? "" : " without --username/--password");
            rc = -1;
        } else {
            out->state = CR_VS_UNSUPPORTED;
            snprintf(out->evidence, sizeof out->evidence, "CONNACK 0x%02x (%s) in the %s format to a %s CONNECT%s", code,
                     name ? name : "?", v5_format ? "5.0" : "3.1.1", vname,
                     version_refusal(v5_format, code) ? "" : " (a refusal other than the version's)");
        }
    } else if (c.nrx > 0) {
        out->state = CR_VS_BROKEN;
        out->statement = "MQTT-3.2.0-1";
        base_strbuf d = {0};
        cs_packet_describe(&c.rx[0].pkt, v, &d);
        snprintf(out->evidence, sizeof out->evidence,
                 "the broker answered a %s CONNECT with %s instead of a CONNACK "
                 "[MQTT-3.2.0-1]",
                 vname, base_sb_str(&d));
        base_sb_free(&d);
    } else if (c.state == CR_CONN_BROKEN) {
        out->state = CR_VS_BROKEN;
        out->statement = c.violation;
        snprintf(out->evidence, sizeof out->evidence, "answer to a %s CONNECT: %s", vname, c.why);
    } else if (c.state == CR_CONN_PEER_CLOSED) {
        out->state = CR_VS_UNSUPPORTED;
        snprintf(out->evidence, sizeof out->evidence, "the broker closed the connection without a CONNACK to a %s "
                 "CONNECT (%s)", vname, c.why);
    } else {
        out->state = CR_VS_BROKEN;
        snprintf(out->evidence, sizeof out->evidence, "no answer to a %s CONNECT within %d ms: the broker accepted the "
                 "connection but sent nothing", vname, wait_ms);
    }
    cr_conn_free(&c);
    return rc;
}

/* Connect (3.1.1, clean) as client id; 0 when accepted. */
static int connect_v311(const cr_run_opts *opts, cr_conn *c, const char *id)
{
    uint8_t buf[512 + 2 * 65536];
    size_t n = 0;
    int64_t deadline = base_now_ms() + opts->timeout_ms;
    base_strbuf err = {0};
    int rc = encode_connect(opts, MQTT_V311, id, buf, sizeof buf, &n) == 0 &&
                     cr_conn_open(c, &opts->target, MQTT_V311, deadline, &err) == 0 &&
                     cr_conn_send(c, buf, n, deadline, &err) == 0
                 ? 0
                 : -1;
    base_sb_free(&err);
    while (rc == 0 && c->nrx == 0 && c->state == CR_CONN_OPEN && base_now_ms() < deadline)
        cr_conn_wait(c, deadline);
    return rc == 0 && c->nrx && c->rx[0].pkt.type == MQTT_CONNACK && c->rx[0].pkt.u.connack.reason_code == 0 ? 0 : -1;
}

/* SUBSCRIBE to one filter at qos; the code granted, or -1 (no SUBACK: closed or timed out). */
static int subscribe_code(const cr_run_opts *opts, cr_conn *c, const char *filter, uint8_t qos, uint16_t pid)
{
    uint8_t payload[300];
    mqtt_subscription sub = {.filter = mqtt_cstr(filter), .qos = qos};
    mqtt_packet s = {.type = MQTT_SUBSCRIBE};
    s.u.subscribe.packet_id = pid;
    int64_t deadline = base_now_ms() + opts->timeout_ms;
    if (mqtt_subscribe_payload_write(&s.u.subscribe, &sub, 1, payload, sizeof payload) != MQTT_OK ||
        cr_probe_send(c, &s, deadline) != 0)
        return -1;
    const mqtt_packet *ack = cr_probe_await(c, MQTT_SUBACK, deadline);
    return ack && ack->u.suback.reason_codes.len == 1 ? ack->u.suback.reason_codes.data[0] : -1;
}

int cr_discover_v311(const cr_run_opts *opts, cs_profile *p, base_strbuf *notes)
{
    char id[32], topic[96], filter[96];
    snprintf(id, sizeof id, "%sd4s", opts->prefix);
    snprintf(topic, sizeof topic, "mqtk/%s/discover/r", opts->prefix);
    snprintf(filter, sizeof filter, "mqtk/%s/discover/+", opts->prefix);
    cr_conn c;
    cr_conn_init(&c, "discover", NULL);
    if (connect_v311(opts, &c, id) < 0) {
        cr_conn_free(&c);
        return -1;
    }
    int granted = subscribe_code(opts, &c, topic, 2, 1);
    int wild = granted >= 0 ? subscribe_code(opts, &c, filter, 0, 2) : -1;
    if (granted < 0 || granted >= 0x80 || wild < 0) {
        cr_conn_free(&c);
        return -1;
    }
    cs_profile_set(p, "qos1", granted >= 1);
    cs_profile_set(p, "qos2", granted >= 2);
    cs_profile_set(p, "max-qos-below-2", granted < 2);
    cs_profile_set(p, "wildcards", wild < 0x80);
    cs_profile_set(p, "wildcards-unavailable", wild >= 0x80);
    base_sb_printf(notes, "MQTT 3.1.1 grants: QoS %d at most, wildcard filters %s", granted,
                   wild < 0x80 ? "accepted" : "refused");
    disconnect(&c, opts);
    /* retained: publish one, then a new subscriber must get it; then clear it */
    bool retained = false;
    snprintf(id, sizeof id, "%sd4p", opts->prefix);
    if (connect_v311(opts, &c, id) == 0) {
        mqtt_packet pub = {.type = MQTT_PUBLISH};
        pub.u.publish.retain = true;
        pub.u.publish.qos = 1;
        pub.u.publish.packet_id = 1;
        pub.u.publish.topic = mqtt_cstr(topic);
        pub.u.publish.payload = mqtt_cstr("r");
        int64_t deadline = base_now_ms() + opts->timeout_ms;
        if (cr_probe_send(&c, &pub, deadline) == 0 && cr_probe_await(&c, MQTT_PUBACK, deadline)) {
            cr_conn sub;
            cr_conn_init(&sub, "discover", NULL);
            snprintf(id, sizeof id, "%sd4r", opts->prefix);
            if (connect_v311(opts, &sub, id) == 0 && subscribe_code(opts, &sub, topic, 0, 1) == 0)
                retained = cr_probe_await(&sub, MQTT_PUBLISH, base_now_ms() + opts->timeout_ms) != NULL;
            if (sub.state == CR_CONN_OPEN)
                disconnect(&sub, opts);
            cr_conn_free(&sub);
            pub.u.publish.payload = mqtt_cstr("");
            pub.u.publish.packet_id = 2;
            cr_probe_send(&c, &pub, deadline);
            cr_probe_await(&c, MQTT_PUBACK, base_now_ms() + opts->timeout_ms);
        }
        if (c.state == CR_CONN_OPEN)
            disconnect(&c, opts);
    }
    cr_conn_free(&c);
    cs_profile_set(p, "retain", retained);
    cs_profile_set(p, "retain-unavailable", !retained);
    base_sb_printf(notes, ", retained messages %s", retained ? "kept" : "not kept");
    return 0;
}

static void add_var(cr_run_opts *opts, const char *name, const char *value)
{
    if (value && opts->nvars < sizeof opts->vars / sizeof opts->vars[0])
        opts->vars[opts->nvars++] = (cr_kv){name, value};
}

static const char *num(base_arena *arena, uint32_t v)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%u", v);
    return base_arena_strdup(arena, buf);
}

void cr_profile_vars(const cs_profile *p, cr_run_opts *opts)
{
    add_var(opts, "profile.refused_client_id", p->refused_client_id);
    add_var(opts, "profile.forbidden_topic", p->forbidden_topic);
    add_var(opts, "profile.auth_method", p->auth_method);
    add_var(opts, "profile.auth_data", p->auth_method ? (p->auth_data ? p->auth_data : "") : NULL);
}

void cr_caps_apply(const cr_server_caps *caps, cs_profile *p, cr_run_opts *opts, base_arena *arena)
{
    cs_profile_set(p, "qos1", caps->maximum_qos >= 1);
    cs_profile_set(p, "qos2", caps->maximum_qos >= 2);
    cs_profile_set(p, "max-qos-below-2", caps->maximum_qos < 2);
    cs_profile_set(p, "retain", caps->retain_available);
    cs_profile_set(p, "retain-unavailable", !caps->retain_available);
    cs_profile_set(p, "wildcards", caps->wildcard_available);
    cs_profile_set(p, "wildcards-unavailable", !caps->wildcard_available);
    cs_profile_set(p, "subscription-ids", caps->subscription_ids_available);
    cs_profile_set(p, "shared-subs", caps->shared_available);
    cs_profile_set(p, "topic-alias", caps->topic_alias_maximum > 0);
    cs_profile_set(p, "client-keep-alive", caps->server_keep_alive < 0);
    if (caps->assigns_client_id)
        cs_profile_set(p, "empty-client-id", true);
    add_var(opts, "server.maximum_qos", num(arena, caps->maximum_qos));
    add_var(opts, "server.topic_alias_maximum", num(arena, caps->topic_alias_maximum));
    add_var(opts, "server.receive_maximum", num(arena, caps->receive_maximum));
    add_var(opts, "server.maximum_packet_size", num(arena, caps->maximum_packet_size));
}

/* One member on its own line: the probe's JSON is read by people as well as scripts. */
static void json_key(fmt_json_writer *w, const char *key)
{
    fmt_jw_break(w, 2);
    fmt_jw_key(w, key);
}

static void caps_json(FILE *out, const cr_server_caps *caps, const char *broker, const char *transport,
                      const char *capslist)
{
    fmt_json_writer w;
    fmt_jw_init(&w);
    w.spaced = true;
    fmt_jw_object_begin(&w);
    json_key(&w, "broker");
    fmt_jw_cstring(&w, broker);
    json_key(&w, "transport");
    fmt_jw_cstring(&w, transport);
    json_key(&w, "maximum_qos");
    fmt_jw_uint(&w, caps->maximum_qos);
    json_key(&w, "retain_available");
    fmt_jw_bool(&w, caps->retain_available);
    json_key(&w, "wildcard_subscription_available");
    fmt_jw_bool(&w, caps->wildcard_available);
    json_key(&w, "subscription_identifier_available");
    fmt_jw_bool(&w, caps->subscription_ids_available);
    json_key(&w, "shared_subscription_available");
    fmt_jw_bool(&w, caps->shared_available);
    json_key(&w, "topic_alias_maximum");
    fmt_jw_uint(&w, caps->topic_alias_maximum);
    json_key(&w, "receive_maximum");
    fmt_jw_uint(&w, caps->receive_maximum);
    json_key(&w, "maximum_packet_size");
    fmt_jw_uint(&w, caps->maximum_packet_size);
    json_key(&w, "server_keep_alive");
    if (caps->server_keep_alive >= 0)
        fmt_jw_uint(&w, (uint64_t)caps->server_keep_alive);
    else
        fmt_jw_null(&w);
    json_key(&w, "assigns_client_identifier");
    fmt_jw_bool(&w, caps->assigns_client_id);
    json_key(&w, "capabilities");
    fmt_jw_cstring(&w, capslist);
    fmt_jw_break(&w, 0);
    fmt_jw_object_end(&w);
    fmt_jw_line_end(&w);
    fmt_jw_flush(&w, out);
    fmt_jw_free(&w);
}

void cr_caps_print(FILE *out, const cr_server_caps *caps, const cs_profile *p, const char *broker,
                   const char *transport, bool json)
{
    base_strbuf capslist = {0};
    for (size_t i = 0; i < p->ncaps; i++)
        base_sb_printf(&capslist, "%s%s", i ? " " : "", p->caps[i]);
    if (json) {
        caps_json(out, caps, broker, transport, base_sb_str(&capslist));
    } else {
        fprintf(out, "# discovered by mqtk probe from the CONNACK of %s (absent properties at their defaults)\n",
                broker);
        fprintf(out, "# over %s\n", transport);
        fprintf(out, "broker %s\n", broker);
        fprintf(out, "capabilities %s\n", base_sb_str(&capslist));
        fprintf(out, "#   maximum_qos                        %u\n", caps->maximum_qos);
        fprintf(out, "#   retain_available                   %s\n", caps->retain_available ? "yes" : "no");
        fprintf(out, "#   wildcard_subscription_available    %s\n", caps->wildcard_available ? "yes" : "no");
        fprintf(out, "#   subscription_identifier_available  %s\n", caps->subscription_ids_available ? "yes" : "no");
        fprintf(out, "#   shared_subscription_available      %s\n", caps->shared_available ? "yes" : "no");
        fprintf(out, "#   topic_alias_maximum                %u\n", caps->topic_alias_maximum);
        fprintf(out, "#   receive_maximum                    %u\n", caps->receive_maximum);
        if (caps->maximum_packet_size)
            fprintf(out, "#   maximum_packet_size                %u\n", caps->maximum_packet_size);
        else
            fputs("#   maximum_packet_size                (none announced)\n", out);
        if (caps->server_keep_alive >= 0)
            fprintf(out, "#   server_keep_alive                  %d\n", caps->server_keep_alive);
        else
            fputs("#   server_keep_alive                  (none: the client's Keep Alive applies)\n", out);
        fprintf(out, "#   empty client id                    %s%s%s\n",
                caps->assigns_client_id ? "accepted, assigned " : "refused", caps->assigned_client_id,
                "");
        fputs("# a profile file may add: refused-client-id ID, forbidden-topic TOPIC, auth-method METHOD [DATA]\n",
              out);
    }
    base_sb_free(&capslist);
}

int cr_health_check(const cr_run_opts *run_opts, unsigned index, base_strbuf *why)
{
    /* as patient as a late packet: a slow broker is not an unhealthy one */
    cr_run_opts patient = *run_opts;
    patient.timeout_ms += run_opts->late_ms;
    const cr_run_opts *opts = &patient;
    char id[32], topic[96];
    snprintf(id, sizeof id, "%.7sh%u", opts->prefix, index);
    snprintf(topic, sizeof topic, "mqtk/%.7s/health/%u", opts->prefix, index);
    cr_conn c;
    cr_conn_init(&c, "health", NULL);
    int rc = -1;
    if (connect_v311(opts, &c, id) < 0) {
        base_sb_printf(why, "a fresh 3.1.1 CONNECT was not accepted (%s)", c.why[0] ? c.why : "no CONNACK 0x00");
    } else if (subscribe_code(opts, &c, topic, 0, 1) != 0) {
        base_sb_puts(why, "a QoS 0 SUBSCRIBE got no SUBACK 0x00");
    } else {
        mqtt_packet pub = {.type = MQTT_PUBLISH};
        pub.u.publish.topic = mqtt_cstr(topic);
        pub.u.publish.payload = mqtt_cstr("ok");
        cr_probe_send(&c, &pub, base_now_ms() + opts->timeout_ms);
        if (cr_probe_await(&c, MQTT_PUBLISH, base_now_ms() + opts->timeout_ms))
            rc = 0;
        else
            base_sb_puts(why, "a QoS 0 message to its own subscription did not come back");
    }
    if (c.state == CR_CONN_OPEN)
        disconnect(&c, opts);
    cr_conn_free(&c);
    return rc;
}
