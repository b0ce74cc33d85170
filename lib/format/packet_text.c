#include "packet_text.h"

#include "protocol_arg.h"
#include "base/utf8.h"
#include "text_out.h"

#define INDENT "    "

static void put_quoted(fmt_text_out *out, mqtt_bytes s)
{
    fmt_txt_quoted(out, s.data, s.len);
}

static void put_hexdump(fmt_text_out *out, mqtt_bytes d, const char *indent)
{
    for (uint32_t row = 0; row < d.len; row += 16) {
        char line[96];
        size_t n = 0;
        static const char digits[] = "0123456789abcdef";
        line[n++] = digits[row >> 12 & 15];
        line[n++] = digits[row >> 8 & 15];
        line[n++] = digits[row >> 4 & 15];
        line[n++] = digits[row & 15];
        line[n++] = ' ';
        line[n++] = ' ';
        for (uint32_t i = row; i < row + 16; i++) {
            if (i < d.len) {
                line[n++] = digits[d.data[i] >> 4];
                line[n++] = digits[d.data[i] & 15];
            } else {
                line[n++] = ' ';
                line[n++] = ' ';
            }
            line[n++] = ' ';
            if (i == row + 7)
                line[n++] = ' ';
        }
        line[n++] = ' ';
        for (uint32_t i = row; i < row + 16 && i < d.len; i++)
            line[n++] = d.data[i] >= 0x20 && d.data[i] < 0x7F ? (char)d.data[i] : '.';
        line[n++] = '\n';
        fmt_txt_puts(out, indent);
        if (row >= 0x10000) /* past 4 hex digits the offset widens, as %04x does */
            for (int shift = 28; shift >= 16; shift -= 4)
                if (row >> shift)
                    fmt_txt_putc(out, digits[row >> shift & 15]);
        fmt_txt_put(out, line, n);
    }
}

static void put_uint_line(fmt_text_out *out, const char *indent, const char *label, uint64_t v)
{
    fmt_txt_puts(out, indent);
    fmt_txt_puts(out, label);
    fmt_txt_puts(out, ": ");
    fmt_txt_uint(out, v);
    fmt_txt_putc(out, '\n');
}

static void put_count(fmt_text_out *out, uint32_t n, const char *one, const char *many)
{
    fmt_txt_uint(out, n);
    fmt_txt_putc(out, ' ');
    fmt_txt_puts(out, n == 1 ? one : many);
}

/* Binary data: quoted when it is well-formed UTF-8, else a hex dump under the label. */
static void put_data_field(fmt_text_out *out, const char *indent, const char *label, mqtt_bytes d)
{
    fmt_txt_puts(out, indent);
    fmt_txt_puts(out, label);
    fmt_txt_puts(out, " (");
    put_count(out, d.len, "byte", "bytes");
    fmt_txt_puts(out, "):");
    if (d.len > 0 && base_utf8_valid(d.data, d.len)) {
        fmt_txt_putc(out, ' ');
        put_quoted(out, d);
        fmt_txt_putc(out, '\n');
        return;
    }
    fmt_txt_putc(out, '\n');
    char deeper[32];
    snprintf(deeper, sizeof deeper, "%s" INDENT, indent);
    put_hexdump(out, d, deeper);
}

static void put_text_field(fmt_text_out *out, const char *indent, const char *label, mqtt_bytes s)
{
    fmt_txt_puts(out, indent);
    fmt_txt_puts(out, label);
    fmt_txt_puts(out, ": ");
    put_quoted(out, s);
    fmt_txt_putc(out, '\n');
}

static void put_reason(fmt_text_out *out, mqtt_version v, mqtt_packet_type type, uint8_t code)
{
    const char *name = mqtt_reason_name(v, type, code);
    fmt_txt_puts(out, "0x");
    fmt_txt_hex2(out, code);
    fmt_txt_puts(out, " (");
    fmt_txt_puts(out, name ? name : "undefined");
    fmt_txt_putc(out, ')');
}

static void put_reason_code_line(fmt_text_out *out, mqtt_version v, mqtt_packet_type type, uint8_t code)
{
    fmt_txt_puts(out, INDENT "Reason Code: ");
    put_reason(out, v, type, code);
    fmt_txt_putc(out, '\n');
}

static void put_props(fmt_text_out *out, const char *indent, const char *label, mqtt_props props)
{
    fmt_txt_puts(out, indent);
    fmt_txt_puts(out, label);
    fmt_txt_puts(out, " (");
    fmt_txt_uint(out, mqtt_props_count(props));
    fmt_txt_puts(out, "):\n");
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
            put_uint_line(out, deeper, name, p.value);
            break;
        case MQTT_PTYPE_STRING:
            put_text_field(out, deeper, name, p.data);
            break;
        case MQTT_PTYPE_BINARY:
            put_data_field(out, deeper, name, p.data);
            break;
        case MQTT_PTYPE_STRING_PAIR:
            fmt_txt_puts(out, deeper);
            fmt_txt_puts(out, name);
            fmt_txt_puts(out, ": ");
            put_quoted(out, p.data);
            fmt_txt_puts(out, " = ");
            put_quoted(out, p.data2);
            fmt_txt_putc(out, '\n');
            break;
        case MQTT_PTYPE_NONE:
            break;
        }
    }
}

static void put_v5_props(fmt_text_out *out, mqtt_version v, mqtt_props props)
{
    if (v == MQTT_V5)
        put_props(out, INDENT, "Properties", props);
}

/* The fields SUBSCRIBE, UNSUBSCRIBE, SUBACK and UNSUBACK begin with. */
static void put_packet_id_and_props(fmt_text_out *out, mqtt_version v, uint16_t packet_id, mqtt_props props)
{
    put_uint_line(out, INDENT, "Packet Identifier", packet_id);
    put_v5_props(out, v, props);
}

static const char *yes_no(bool b)
{
    return b ? "1" : "0";
}

/* The script style's value: a number, bytes quoted (80 at most shown), codes as hex "00,80". */
void fmt_pf_write_value(fmt_text_out *out, const fmt_packet_field *f, const fmt_pf_value *v)
{
    if (f->kind == FMT_PF_INT) {
        fmt_txt_uint(out, v->num);
    } else if (f->kind == FMT_PF_BYTES) {
        fmt_txt_quoted_capped(out, v->bytes.data, v->bytes.len, FMT_SCRIPT_BYTES_SHOWN);
    } else {
        for (uint32_t i = 0; i < v->bytes.len; i++) {
            if (i)
                fmt_txt_putc(out, ',');
            fmt_txt_hex2(out, v->bytes.data[i]);
        }
        if (v->bytes.len == 0)
            fmt_txt_puts(out, "(none)");
    }
}

/* A field's summary text: the whole array in one fixed-size copy when the buffer has room. */
static inline void put_summary_text(fmt_text_out *out, const fmt_packet_field *f)
{
    if (sizeof out->buf - out->len >= FMT_PF_SUMMARY_SIZE) {
        memcpy(out->buf + out->len, f->summary, FMT_PF_SUMMARY_SIZE);
        out->len += f->summary_len;
    } else {
        fmt_txt_put(out, f->summary, f->summary_len);
    }
}

/* The summary style's value, by the table's form. */
static void put_summary_value(fmt_text_out *out, const fmt_packet_field *f, const fmt_pf_value *val,
                              const mqtt_packet *pkt, mqtt_version v)
{
    switch (f->show) {
    case FMT_PF_SHOW_NUMBER:
        if (val->num < 10) /* QoS, flags, most ids of a short capture: no digit loop */
            fmt_txt_putc(out, (char)('0' + val->num));
        else
            fmt_txt_uint(out, val->num);
        break;
    case FMT_PF_SHOW_QUOTED:
        put_quoted(out, val->bytes);
        break;
    case FMT_PF_SHOW_SIZE:
        put_count(out, val->bytes.len, "byte", "bytes");
        break;
    case FMT_PF_SHOW_COUNT:
        fmt_txt_uint(out, val->bytes.len);
        break;
    case FMT_PF_SHOW_REASON:
        put_reason(out, v, pkt->type, (uint8_t)val->num);
        break;
    case FMT_PF_SHOW_FLAG:
        break;
    }
}

/* The one walk; always inlined with a constant style, so each style compiles to its own straight
 * loop (the summary runs once per packet of a capture listing). */
static inline __attribute__((always_inline)) void walk_line(fmt_text_out *out, const mqtt_packet *pkt, mqtt_version v,
                                                            const fmt_line_style style)
{
    fmt_txt_puts(out, mqtt_packet_type_name(pkt->type)); /* a decoded packet: never NULL */
    if (style == FMT_LINE_SUMMARY) {
        fmt_txt_puts(out, " (");
        fmt_txt_puts(out, fmt_version_label(v));
        fmt_txt_putc(out, ')');
    }
    /* the table lists for each type only fields it carries: what is left to ask is the version and
     * the packet (a QoS 0 PUBLISH has no packet id) */
    const fmt_pf_line_fields *line = &fmt_pf_line[(unsigned)pkt->type & 15];
    unsigned before_v5 = v != MQTT_V5 ? 1u << ((unsigned)pkt->type & 15) : 0;
    const size_t count = line->count; /* locals: the writes below may alias anything */
    fmt_pf_value val;
    for (size_t i = 0; i < count; i++) {
        const fmt_packet_field *f = &fmt_pf_fields[line->ids[i]];
        if ((f->v5_types & before_v5) || !f->get(pkt, &val))
            continue;
        if (style == FMT_LINE_SUMMARY) {
            if (f->show == FMT_PF_SHOW_FLAG && !val.num)
                continue;
            put_summary_text(out, f);
            put_summary_value(out, f, &val, pkt, v);
        } else if (f->alias) {
            fmt_txt_putc(out, ' ');
            fmt_txt_puts(out, f->alias);
            fmt_txt_putc(out, '=');
            fmt_pf_write_value(out, f, &val);
        }
    }
}

void fmt_packet_line(fmt_text_out *out, const mqtt_packet *pkt, mqtt_version v, fmt_line_style style)
{
    if (style == FMT_LINE_SUMMARY)
        walk_line(out, pkt, v, FMT_LINE_SUMMARY);
    else
        walk_line(out, pkt, v, FMT_LINE_SCRIPT);
}

static void connect_fields(fmt_text_out *out, const mqtt_connect *c, mqtt_version v)
{
    put_text_field(out, INDENT, "Protocol Name", c->protocol_name);
    put_uint_line(out, INDENT, "Protocol Level", c->protocol_level);
    fmt_txt_printf(out, INDENT "Connect Flags: %s %s, Will %s (QoS %u, Retain %s), User Name %s, Password %s\n",
                   v == MQTT_V5 ? "Clean Start" : "Clean Session", yes_no(c->clean_start), yes_no(c->will), c->will_qos,
                   yes_no(c->will_retain), yes_no(c->has_username), yes_no(c->has_password));
    put_uint_line(out, INDENT, "Keep Alive", c->keep_alive);
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

static void body_fields(fmt_text_out *out, const mqtt_packet *pkt, mqtt_version v)
{
    mqtt_payload_iter it;
    switch (pkt->type) {
    case MQTT_CONNECT:
        connect_fields(out, &pkt->u.connect, v);
        break;
    case MQTT_CONNACK:
        fmt_txt_puts(out, INDENT "Session Present: ");
        fmt_txt_puts(out, yes_no(pkt->u.connack.session_present));
        fmt_txt_puts(out, v == MQTT_V5 ? "\n" INDENT "Reason Code: " : "\n" INDENT "Return Code: ");
        put_reason(out, v, pkt->type, pkt->u.connack.reason_code);
        fmt_txt_putc(out, '\n');
        put_v5_props(out, v, pkt->u.connack.props);
        break;
    case MQTT_PUBLISH: {
        const mqtt_publish *p = &pkt->u.publish;
        fmt_txt_puts(out, INDENT "Flags: DUP ");
        fmt_txt_puts(out, yes_no(p->dup));
        fmt_txt_puts(out, ", QoS ");
        fmt_txt_uint(out, p->qos);
        fmt_txt_puts(out, ", RETAIN ");
        fmt_txt_puts(out, yes_no(p->retain));
        fmt_txt_putc(out, '\n');
        put_text_field(out, INDENT, "Topic", p->topic);
        if (p->qos)
            put_uint_line(out, INDENT, "Packet Identifier", p->packet_id);
        put_v5_props(out, v, p->props);
        put_data_field(out, INDENT, "Payload", p->payload);
        break;
    }
    case MQTT_PUBACK:
    case MQTT_PUBREC:
    case MQTT_PUBREL:
    case MQTT_PUBCOMP:
        put_uint_line(out, INDENT, "Packet Identifier", pkt->u.ack.packet_id);
        if (v == MQTT_V5) {
            put_reason_code_line(out, v, pkt->type, pkt->u.ack.reason_code);
        }
        put_v5_props(out, v, pkt->u.ack.props);
        break;
    case MQTT_SUBSCRIBE: {
        mqtt_subscription sub;
        put_packet_id_and_props(out, v, pkt->u.subscribe.packet_id, pkt->u.subscribe.props);
        fmt_txt_puts(out, INDENT "Subscriptions (");
        fmt_txt_uint(out, pkt->u.subscribe.count);
        fmt_txt_puts(out, "):\n");
        mqtt_subscribe_iter_init(&it, &pkt->u.subscribe);
        while (mqtt_subscribe_next(&it, &sub)) {
            fmt_txt_puts(out, INDENT INDENT);
            put_quoted(out, sub.filter);
            fmt_txt_puts(out, " QoS ");
            fmt_txt_uint(out, sub.qos);
            if (v == MQTT_V5)
                fmt_txt_printf(out, ", No Local %s, Retain As Published %s, Retain Handling %u", yes_no(sub.no_local),
                               yes_no(sub.retain_as_published), sub.retain_handling);
            fmt_txt_putc(out, '\n');
        }
        break;
    }
    case MQTT_UNSUBSCRIBE: {
        mqtt_bytes filter;
        put_packet_id_and_props(out, v, pkt->u.unsubscribe.packet_id, pkt->u.unsubscribe.props);
        fmt_txt_puts(out, INDENT "Topic Filters (");
        fmt_txt_uint(out, pkt->u.unsubscribe.count);
        fmt_txt_puts(out, "):\n");
        mqtt_unsubscribe_iter_init(&it, &pkt->u.unsubscribe);
        while (mqtt_unsubscribe_next(&it, &filter)) {
            fmt_txt_puts(out, INDENT INDENT);
            put_quoted(out, filter);
            fmt_txt_putc(out, '\n');
        }
        break;
    }
    case MQTT_SUBACK:
    case MQTT_UNSUBACK: {
        const mqtt_suback *s = &pkt->u.suback;
        put_packet_id_and_props(out, v, s->packet_id, s->props);
        if (pkt->type == MQTT_UNSUBACK && v != MQTT_V5)
            break;
        fmt_txt_puts(out, INDENT "Reason Codes (");
        fmt_txt_uint(out, s->reason_codes.len);
        fmt_txt_puts(out, "):\n");
        for (uint32_t i = 0; i < s->reason_codes.len; i++) {
            fmt_txt_puts(out, INDENT INDENT);
            put_reason(out, v, pkt->type, s->reason_codes.data[i]);
            fmt_txt_putc(out, '\n');
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

void fmt_packet_text_fields(fmt_text_out *out, const mqtt_packet *pkt, mqtt_version v, uint64_t offset, size_t length)
{
    fmt_txt_puts(out, INDENT "Offset: ");
    fmt_txt_uint(out, offset);
    fmt_txt_puts(out, ", Length: ");
    fmt_txt_uint(out, length);
    fmt_txt_puts(out, " (Remaining Length ");
    fmt_txt_uint(out, pkt->remaining_length);
    fmt_txt_puts(out, ")\n");
    body_fields(out, pkt, v);
}

void fmt_packet_text_write(fmt_text_out *out, const mqtt_packet *pkt, mqtt_version v, uint64_t offset, size_t length)
{
    fmt_packet_line(out, pkt, v, FMT_LINE_SUMMARY);
    fmt_txt_putc(out, '\n');
    fmt_packet_text_fields(out, pkt, v, offset, length);
}
