#include "bf_script.h"

#include "bf_mutate.h"

#include <string.h>

static const char *conn_names[BF_MAX_CLIENTS] = {"c0", "c1", "c2", "c3"};

static void put_value(FILE *f, const uint8_t *d, size_t n)
{
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        uint8_t c = d[i];
        if (c == '"' || c == '\\' || c == '$')
            fprintf(f, "\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            fprintf(f, "\\x%02x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void put_props(FILE *f, const char *prefix, mqtt_props props)
{
    mqtt_prop_iter it;
    mqtt_property p;
    mqtt_prop_iter_init(&it, props);
    while (mqtt_prop_next(&it, &p)) {
        fprintf(f, " %s.%s=", prefix, mqtt_prop_name(p.id));
        switch (p.type) {
        case MQTT_PTYPE_STRING:
        case MQTT_PTYPE_BINARY:
            put_value(f, p.data.data, p.data.len);
            break;
        case MQTT_PTYPE_STRING_PAIR: {
            uint8_t pair[256];
            size_t n = 0;
            if (p.data.len + p.data2.len + 1 < sizeof pair) {
                memcpy(pair, p.data.data, p.data.len);
                n = p.data.len;
                pair[n++] = '=';
                memcpy(pair + n, p.data2.data, p.data2.len);
                n += p.data2.len;
            }
            put_value(f, pair, n);
            break;
        }
        default:
            fprintf(f, "%u", p.value);
            break;
        }
    }
}

static void put_connect(FILE *f, const char *c, const mqtt_connect *k)
{
    fprintf(f, "  connect %s id=", c);
    put_value(f, k->client_id.data, k->client_id.len);
    fprintf(f, " clean=%d keepalive=%u", k->clean_start ? 1 : 0, k->keep_alive);
    if (k->will) {
        fprintf(f, " will_topic=");
        put_value(f, k->will_topic.data, k->will_topic.len);
        fprintf(f, " will_payload=");
        put_value(f, k->will_payload.data, k->will_payload.len);
        fprintf(f, " will_qos=%u will_retain=%d", k->will_qos, k->will_retain ? 1 : 0);
        put_props(f, "wprop", k->will_props);
    }
    put_props(f, "prop", k->props);
    fputc('\n', f);
}

static void put_raw(FILE *f, const char *c, const bf_step *st)
{
    /* one token per byte up to 32 bytes (readable); longer packets in tokens of 16 bytes, since a
     * script line holds at most 128 tokens */
    size_t group = st->len <= 32 ? 1 : 16;
    fprintf(f, "  send %s raw", c);
    for (size_t i = 0; i < st->len; i++)
        fprintf(f, "%s%02x", i % group == 0 ? " " : "", st->bytes[i]);
    fputc('\n', f);
}

/* The expectation that fails on a broker with the finding and passes on one without it. */
static void put_expect(FILE *f, const bf_session *s, const bf_finding *fd)
{
    const char *c = conn_names[fd->client % BF_MAX_CLIENTS];
    const char *st = fd->statement;
    (void)s;
    switch (fd->oracle) {
    case BF_OR_MUST_CLOSE:
        fprintf(f, "  expect %s closed [%s]\n", c, st);
        break;
    case BF_OR_ACK:
        fprintf(f, "  expect %s %s pid=%u [%s]\n", c, mqtt_packet_type_name(fd->want_type), fd->want_pid, st);
        break;
    case BF_OR_DELIVERY_QOS:
        if (fd->got_type == MQTT_PUBLISH) {
            fprintf(f, "  expect %s any PUBLISH topic=", c);
            put_value(f, (const uint8_t *)fd->topic, strlen(fd->topic));
            fprintf(f, " qos=%u [%s]\n", fd->want_qos, st);
        } else {
            fprintf(f, "  expect %s no PUBLISH topic=", c);
            put_value(f, (const uint8_t *)fd->topic, strlen(fd->topic));
            fprintf(f, " qos>=%u [%s]\n", fd->want_qos + 1u, st);
        }
        break;
    case BF_OR_TAKEOVER:
        fprintf(f, "  expect %s closed [%s]\n", c, st);
        break;
    case BF_OR_AFTER_UNSUB:
        fprintf(f, "  expect %s no PUBLISH topic=", c);
        put_value(f, (const uint8_t *)fd->topic, strlen(fd->topic));
        fprintf(f, " [%s]\n", st);
        break;
    case BF_OR_MALFORMED_OUT:
        /* over the client's Maximum Packet Size: a conformant broker drops the message; a Topic Alias
         * over the client's maximum: it sends the message without one */
        if (strcmp(st, "MQTT-3.1.2-24") == 0) {
            fprintf(f, "  expect %s no PUBLISH [%s]\n", c, st);
            break;
        }
        if (strcmp(st, "MQTT-3.3.2-11") == 0) {
            fprintf(f, "  expect %s any PUBLISH [%s]\n", c, st);
            break;
        }
        fprintf(f, "  expect %s next %s [%s]\n", c,
                fd->got_type && mqtt_packet_type_name(fd->got_type) ? mqtt_packet_type_name(fd->got_type) : "PINGRESP",
                st);
        break;
    default:
        break;
    }
}

void bf_script_write(FILE *f, const char *name, const bf_session *s, const bf_finding *fd, const char *header)
{
    bool testable = fd->statement && fd->oracle != BF_OR_CRASH && fd->oracle != BF_OR_HANG;
    const char *lead = testable ? "" : "# ";
    if (header)
        fputs(header, f);
    fprintf(f, "%stest %s\n", lead, name);
    if (testable)
        fprintf(f, "  statements %s\n", fd->statement);
    bool connected[BF_MAX_CLIENTS] = {false};
    bool opened[BF_MAX_CLIENTS] = {false};
    int last = fd->step >= 0 && fd->step < s->nsteps ? fd->step : s->nsteps - 1;
    /* a QoS 2 publication is delivered by the PUBREL that follows it at the latest: keep that step */
    bool delivery = fd->oracle == BF_OR_DELIVERY_QOS || fd->oracle == BF_OR_AFTER_UNSUB;
    if (delivery && last + 1 < s->nsteps && s->steps[last + 1].client == s->steps[last].client &&
        s->steps[last + 1].len == 4 && s->steps[last + 1].bytes[0] == 0x62)
        last++;
    for (int i = 0; i <= last; i++) {
        const bf_step *st = &s->steps[i];
        const char *c = conn_names[st->client % BF_MAX_CLIENTS];
        if (st->kind == BF_DROP) {
            if (opened[st->client])
                fprintf(f, "%s  close %s\n", lead, c);
            opened[st->client] = connected[st->client] = false;
            continue;
        }
        mqtt_packet p;
        mqtt_frame fr;
        bool valid = bf_step_decode(s, st, &p, &fr) == MQTT_COMPLETE && fr.packet_len == st->len;
        bool trigger = i == fd->step;
        if (st->mutation)
            fprintf(f, "%s  # mutation: %s%s\n", lead, bf_mutation_name(st->mutation),
                    st->splits > 1 ? " (the fuzzer split this write; the script sends it whole)" : "");
        if (valid && p.type == MQTT_CONNECT && !connected[st->client] &&
            !(trigger && fd->oracle == BF_OR_MUST_CLOSE)) {
            fputs(lead, f);
            put_connect(f, c, &p.u.connect);
            opened[st->client] = connected[st->client] = true;
            continue;
        }
        if (!opened[st->client]) {
            fprintf(f, "%s  open %s\n", lead, c);
            opened[st->client] = true;
        }
        fputs(lead, f);
        put_raw(f, c, st);
        if (valid && p.type == MQTT_DISCONNECT) {
            fprintf(f, "%s  close %s\n", lead, c);
            opened[st->client] = connected[st->client] = false;
            continue;
        }
        /* the fuzzer waited for the broker after each step; so does the script */
        if (!trigger && valid && connected[st->client])
            fprintf(f, "%s  sync %s\n", lead, c);
    }
    if (testable) {
        put_expect(f, s, fd);
        fputs("end\n", f);
    } else
        fputs("# end\n", f);
}
