#include "packet_text.h"

#include "protocol_arg.h"
#include "base/utf8.h"

#define INDENT "    "

/* A string in double quotes: printable ASCII and well-formed UTF-8 as they are, quotes and
 * backslashes escaped, control characters and ill-formed bytes as \xNN, and the code points that
 * would steer the terminal (C1 controls, bidi overrides: mqtk_codepoint_escaped) as \uXXXX. */
static void put_quoted(FILE *out, mqtt_bytes s)
{
    fputc('"', out);
    size_t i = 0;
    while (i < s.len) {
        uint8_t c = s.data[i];
        uint32_t cp = 0;
        size_t seq = mqtk_utf8_sequence(s.data + i, s.len - i, &cp);
        if (c == '"' || c == '\\') {
            fprintf(out, "\\%c", c);
        } else if (c >= 0x20 && c < 0x7F) {
            fputc(c, out);
        } else if (c >= 0x80 && seq && mqtk_codepoint_escaped(cp)) {
            fprintf(out, "\\u%04x", (unsigned)cp);
            i += seq;
            continue;
        } else if (c >= 0x80 && seq) {
            fwrite(s.data + i, 1, seq, out);
            i += seq;
            continue;
        } else {
            fprintf(out, "\\x%02x", c);
        }
        i++;
    }
    fputc('"', out);
}

static void put_hexdump(FILE *out, mqtt_bytes d, const char *indent)
{
    for (uint32_t row = 0; row < d.len; row += 16) {
        fprintf(out, "%s%04x  ", indent, (unsigned)row);
        for (uint32_t i = row; i < row + 16; i++) {
            if (i < d.len)
                fprintf(out, "%02x ", d.data[i]);
            else
                fputs("   ", out);
            if (i == row + 7)
                fputc(' ', out);
        }
        fputc(' ', out);
        for (uint32_t i = row; i < row + 16 && i < d.len; i++)
            fputc(d.data[i] >= 0x20 && d.data[i] < 0x7F ? d.data[i] : '.', out);
        fputc('\n', out);
    }
}

/* Binary data: quoted when it is well-formed UTF-8, else a hex dump under the label. */
static void put_data_field(FILE *out, const char *indent, const char *label, mqtt_bytes d)
{
    fprintf(out, "%s%s (%u %s):", indent, label, (unsigned)d.len, d.len == 1 ? "byte" : "bytes");
    if (d.len > 0 && mqtk_utf8_valid(d.data, d.len)) {
        fputc(' ', out);
        put_quoted(out, d);
        fputc('\n', out);
        return;
    }
    fputc('\n', out);
    char deeper[32];
    snprintf(deeper, sizeof deeper, "%s" INDENT, indent);
    put_hexdump(out, d, deeper);
}

static void put_text_field(FILE *out, const char *indent, const char *label, mqtt_bytes s)
{
    fprintf(out, "%s%s: ", indent, label);
    put_quoted(out, s);
    fputc('\n', out);
}

static void put_reason(FILE *out, mqtt_version v, mqtt_packet_type type, uint8_t code)
{
    const char *name = mqtt_reason_name(v, type, code);
    fprintf(out, "0x%02x (%s)", code, name ? name : "undefined");
}

static void put_reason_code_line(FILE *out, mqtt_version v, mqtt_packet_type type, uint8_t code)
{
    fputs(INDENT "Reason Code: ", out);
    put_reason(out, v, type, code);
    fputc('\n', out);
}

static void put_props(FILE *out, const char *indent, const char *label, mqtt_props props)
{
    fprintf(out, "%s%s (%u):\n", indent, label, (unsigned)mqtt_props_count(props));
    mqtt_prop_iter it;
    mqtt_property p;
    mqtt_prop_iter_init(&it, props);
    while (mqtt_prop_next(&it, &p)) {
        char deeper[40], name[64];
        snprintf(deeper, sizeof deeper, "%s" INDENT, indent);
        snprintf(name, sizeof name, "%s (0x%02x)", mqtt_prop_name(p.id), (unsigned)p.id);
        switch (p.type) {
        case MQTT_PTYPE_BYTE:
        case MQTT_PTYPE_U16:
        case MQTT_PTYPE_U32:
        case MQTT_PTYPE_VARINT:
            fprintf(out, "%s%s: %lu\n", deeper, name, (unsigned long)p.value);
            break;
        case MQTT_PTYPE_STRING:
            put_text_field(out, deeper, name, p.data);
            break;
        case MQTT_PTYPE_BINARY:
            put_data_field(out, deeper, name, p.data);
            break;
        case MQTT_PTYPE_STRING_PAIR:
            fprintf(out, "%s%s: ", deeper, name);
            put_quoted(out, p.data);
            fputs(" = ", out);
            put_quoted(out, p.data2);
            fputc('\n', out);
            break;
        case MQTT_PTYPE_NONE:
            break;
        }
    }
}

static void put_v5_props(FILE *out, mqtt_version v, mqtt_props props)
{
    if (v == MQTT_V5)
        put_props(out, INDENT, "Properties", props);
}

/* The fields SUBSCRIBE, UNSUBSCRIBE, SUBACK and UNSUBACK begin with. */
static void put_packet_id_and_props(FILE *out, mqtt_version v, uint16_t packet_id, mqtt_props props)
{
    fprintf(out, INDENT "Packet Identifier: %u\n", (unsigned)packet_id);
    put_v5_props(out, v, props);
}

static const char *yes_no(bool b)
{
    return b ? "1" : "0";
}

static void summary(FILE *out, const mqtt_packet *pkt, mqtt_version v)
{
    fprintf(out, "%s (%s)", mqtt_packet_type_name(pkt->type), mqtk_version_label(v));
    switch (pkt->type) {
    case MQTT_CONNECT:
        fputs(" client_id=", out);
        put_quoted(out, pkt->u.connect.client_id);
        fprintf(out, " clean_start=%s keep_alive=%u%s%s%s", yes_no(pkt->u.connect.clean_start),
                (unsigned)pkt->u.connect.keep_alive, pkt->u.connect.will ? " will" : "",
                pkt->u.connect.has_username ? " username" : "", pkt->u.connect.has_password ? " password" : "");
        break;
    case MQTT_CONNACK:
        fprintf(out, " session_present=%s reason=", yes_no(pkt->u.connack.session_present));
        put_reason(out, v, pkt->type, pkt->u.connack.reason_code);
        break;
    case MQTT_PUBLISH:
        fprintf(out, " qos=%u", pkt->u.publish.qos);
        if (pkt->u.publish.qos)
            fprintf(out, " id=%u", (unsigned)pkt->u.publish.packet_id);
        fprintf(out, "%s%s topic=", pkt->u.publish.dup ? " dup" : "", pkt->u.publish.retain ? " retain" : "");
        put_quoted(out, pkt->u.publish.topic);
        fprintf(out, " payload=%u %s", (unsigned)pkt->u.publish.payload.len,
                pkt->u.publish.payload.len == 1 ? "byte" : "bytes");
        break;
    case MQTT_PUBACK:
    case MQTT_PUBREC:
    case MQTT_PUBREL:
    case MQTT_PUBCOMP:
        fprintf(out, " id=%u", (unsigned)pkt->u.ack.packet_id);
        if (v == MQTT_V5) {
            fputs(" reason=", out);
            put_reason(out, v, pkt->type, pkt->u.ack.reason_code);
        }
        break;
    case MQTT_SUBSCRIBE:
        fprintf(out, " id=%u filters=%u", (unsigned)pkt->u.subscribe.packet_id, (unsigned)pkt->u.subscribe.count);
        break;
    case MQTT_UNSUBSCRIBE:
        fprintf(out, " id=%u filters=%u", (unsigned)pkt->u.unsubscribe.packet_id,
                (unsigned)pkt->u.unsubscribe.count);
        break;
    case MQTT_SUBACK:
    case MQTT_UNSUBACK:
        fprintf(out, " id=%u codes=%u", (unsigned)pkt->u.suback.packet_id, (unsigned)pkt->u.suback.reason_codes.len);
        break;
    case MQTT_DISCONNECT:
    case MQTT_AUTH:
        if (v == MQTT_V5) {
            fputs(" reason=", out);
            put_reason(out, v, pkt->type, pkt->u.reason.reason_code);
        }
        break;
    case MQTT_PINGREQ:
    case MQTT_PINGRESP:
        break;
    }
    fputc('\n', out);
}

static void connect_fields(FILE *out, const mqtt_connect *c, mqtt_version v)
{
    put_text_field(out, INDENT, "Protocol Name", c->protocol_name);
    fprintf(out, INDENT "Protocol Level: %u\n", c->protocol_level);
    fprintf(out, INDENT "Connect Flags: %s %s, Will %s (QoS %u, Retain %s), User Name %s, Password %s\n",
            v == MQTT_V5 ? "Clean Start" : "Clean Session", yes_no(c->clean_start), yes_no(c->will), c->will_qos,
            yes_no(c->will_retain), yes_no(c->has_username), yes_no(c->has_password));
    fprintf(out, INDENT "Keep Alive: %u\n", (unsigned)c->keep_alive);
    put_v5_props(out, v, c->props);
    put_text_field(out, INDENT, "Client Identifier", c->client_id);
    if (c->will) {
        if (v == MQTT_V5)
            put_props(out, INDENT, "Will Properties", c->will_props);
        put_text_field(out, INDENT, "Will Topic", c->will_topic);
        put_data_field(out, INDENT, "Will Payload", c->will_payload);
    }
    if (c->has_username)
        put_text_field(out, INDENT, "User Name", c->username);
    if (c->has_password)
        put_data_field(out, INDENT, "Password", c->password);
}

static void body_fields(FILE *out, const mqtt_packet *pkt, mqtt_version v)
{
    mqtt_payload_iter it;
    switch (pkt->type) {
    case MQTT_CONNECT:
        connect_fields(out, &pkt->u.connect, v);
        break;
    case MQTT_CONNACK:
        fprintf(out, INDENT "Session Present: %s\n" INDENT "%s: ", yes_no(pkt->u.connack.session_present),
                v == MQTT_V5 ? "Reason Code" : "Return Code");
        put_reason(out, v, pkt->type, pkt->u.connack.reason_code);
        fputc('\n', out);
        put_v5_props(out, v, pkt->u.connack.props);
        break;
    case MQTT_PUBLISH: {
        const mqtt_publish *p = &pkt->u.publish;
        fprintf(out, INDENT "Flags: DUP %s, QoS %u, RETAIN %s\n", yes_no(p->dup), p->qos, yes_no(p->retain));
        put_text_field(out, INDENT, "Topic", p->topic);
        if (p->qos)
            fprintf(out, INDENT "Packet Identifier: %u\n", (unsigned)p->packet_id);
        put_v5_props(out, v, p->props);
        put_data_field(out, INDENT, "Payload", p->payload);
        break;
    }
    case MQTT_PUBACK:
    case MQTT_PUBREC:
    case MQTT_PUBREL:
    case MQTT_PUBCOMP:
        fprintf(out, INDENT "Packet Identifier: %u\n", (unsigned)pkt->u.ack.packet_id);
        if (v == MQTT_V5) {
            put_reason_code_line(out, v, pkt->type, pkt->u.ack.reason_code);
        }
        put_v5_props(out, v, pkt->u.ack.props);
        break;
    case MQTT_SUBSCRIBE: {
        mqtt_subscription sub;
        put_packet_id_and_props(out, v, pkt->u.subscribe.packet_id, pkt->u.subscribe.props);
        fprintf(out, INDENT "Subscriptions (%u):\n", (unsigned)pkt->u.subscribe.count);
        mqtt_subscribe_iter_init(&it, &pkt->u.subscribe);
        while (mqtt_subscribe_next(&it, &sub)) {
            fputs(INDENT INDENT, out);
            put_quoted(out, sub.filter);
            fprintf(out, " QoS %u", sub.qos);
            if (v == MQTT_V5)
                fprintf(out, ", No Local %s, Retain As Published %s, Retain Handling %u", yes_no(sub.no_local),
                        yes_no(sub.retain_as_published), sub.retain_handling);
            fputc('\n', out);
        }
        break;
    }
    case MQTT_UNSUBSCRIBE: {
        mqtt_bytes filter;
        put_packet_id_and_props(out, v, pkt->u.unsubscribe.packet_id, pkt->u.unsubscribe.props);
        fprintf(out, INDENT "Topic Filters (%u):\n", (unsigned)pkt->u.unsubscribe.count);
        mqtt_unsubscribe_iter_init(&it, &pkt->u.unsubscribe);
        while (mqtt_unsubscribe_next(&it, &filter)) {
            fputs(INDENT INDENT, out);
            put_quoted(out, filter);
            fputc('\n', out);
        }
        break;
    }
    case MQTT_SUBACK:
    case MQTT_UNSUBACK: {
        const mqtt_suback *s = &pkt->u.suback;
        put_packet_id_and_props(out, v, s->packet_id, s->props);
        if (pkt->type == MQTT_UNSUBACK && v != MQTT_V5)
            break;
        fprintf(out, INDENT "Reason Codes (%u):\n", (unsigned)s->reason_codes.len);
        for (uint32_t i = 0; i < s->reason_codes.len; i++) {
            fputs(INDENT INDENT, out);
            put_reason(out, v, pkt->type, s->reason_codes.data[i]);
            fputc('\n', out);
        }
        break;
    }
    case MQTT_DISCONNECT:
    case MQTT_AUTH:
        if (v == MQTT_V5) {
            put_reason_code_line(out, v, pkt->type, pkt->u.reason.reason_code);
            put_v5_props(out, v, pkt->u.reason.props);
        }
        break;
    case MQTT_PINGREQ:
    case MQTT_PINGRESP:
        break;
    }
}

void packet_text_write(FILE *out, const mqtt_packet *pkt, mqtt_version v, uint64_t offset, size_t length)
{
    summary(out, pkt, v);
    fprintf(out, INDENT "Offset: %llu, Length: %zu (Remaining Length %u)\n", (unsigned long long)offset, length,
            (unsigned)pkt->remaining_length);
    body_fields(out, pkt, v);
}
