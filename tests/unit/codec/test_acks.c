/* PUBACK, PUBREC, PUBREL, PUBCOMP, PINGREQ, PINGRESP, DISCONNECT and AUTH: golden bytes, the 5.0
 * short forms, exact lengths, reason codes per packet type and sender. */
#include <string.h>

#include "support.h"

typedef struct ack_golden {
    const char *name;
    mqtt_version version;
    mqtt_packet_type type;
    uint16_t packet_id;
    uint8_t reason_code;
    const char *props; /* hex, may be "" */
    const char *hex;
} ack_golden;

static const ack_golden ack_goldens[] = {
    /* 3.1.1 and 3.1: packet identifier only, Remaining Length 2 */
    {"3.1.1 PUBACK", MQTT_V311, MQTT_PUBACK, 7, 0, "", "40 02 00 07"},   /* 0100 0000; RL 2; id 7 */
    {"3.1.1 PUBREC", MQTT_V311, MQTT_PUBREC, 7, 0, "", "50 02 00 07"},   /* 0101 0000 */
    {"3.1.1 PUBREL", MQTT_V311, MQTT_PUBREL, 7, 0, "", "62 02 00 07"},   /* 0110 0010: flags 0010 required */
    {"3.1.1 PUBCOMP", MQTT_V311, MQTT_PUBCOMP, 0xfffe, 0, "", "70 02 ff fe"},
    {"3.1 PUBACK", MQTT_V31, MQTT_PUBACK, 1, 0, "", "40 02 00 01"},
    {"3.1 PUBREC", MQTT_V31, MQTT_PUBREC, 1, 0, "", "50 02 00 01"},
    {"3.1 PUBREL", MQTT_V31, MQTT_PUBREL, 1, 0, "", "62 02 00 01"},
    {"3.1 PUBCOMP", MQTT_V31, MQTT_PUBCOMP, 1, 0, "", "70 02 00 01"},
    /* 5.0: success without properties takes the short form (RL 2) */
    {"5.0 PUBACK success", MQTT_V5, MQTT_PUBACK, 7, 0x00, "", "40 02 00 07"},
    {"5.0 PUBREC success", MQTT_V5, MQTT_PUBREC, 7, 0x00, "", "50 02 00 07"},
    {"5.0 PUBREL success", MQTT_V5, MQTT_PUBREL, 7, 0x00, "", "62 02 00 07"},
    {"5.0 PUBCOMP success", MQTT_V5, MQTT_PUBCOMP, 7, 0x00, "", "70 02 00 07"},
    /* a reason code without properties: RL 3, no Property Length */
    {"5.0 PUBACK no matching subscribers", MQTT_V5, MQTT_PUBACK, 7, 0x10, "", "40 03 00 07 10"},
    {"5.0 PUBREC quota exceeded", MQTT_V5, MQTT_PUBREC, 7, 0x97, "", "50 03 00 07 97"},
    {"5.0 PUBREL packet id not found", MQTT_V5, MQTT_PUBREL, 7, 0x92, "", "62 03 00 07 92"},
    {"5.0 PUBCOMP packet id not found", MQTT_V5, MQTT_PUBCOMP, 7, 0x92, "", "70 03 00 07 92"},
    /* with properties: id, reason, Property Length, Reason String "e" (1f 00 01 65) */
    {"5.0 PUBACK with reason string", MQTT_V5, MQTT_PUBACK, 7, 0x80, "1f 00 01 65", "40 08 00 07 80 04 1f 00 01 65"},
    /* success with a property still needs the reason byte */
    {"5.0 PUBCOMP success + user property", MQTT_V5, MQTT_PUBCOMP, 2, 0x00, "26 00 01 6b 00 01 76",
     "70 0b 00 02 00 07 26 00 01 6b 00 01 76"},
};

START_TEST(ack_golden_table)
{
    const ack_golden *g = &ack_goldens[_i];
    uint8_t pb[32], buf[64];
    mqtt_packet p, d;
    memset(&p, 0, sizeof p);
    p.type = g->type;
    p.u.ack.packet_id = g->packet_id;
    p.u.ack.reason_code = g->reason_code;
    p.u.ack.props = props_view(g->props, pb, sizeof pb);
    ENCODE_EQ(&p, g->version, MQTT_DIR_UNKNOWN, g->hex);
    DECODE_OK(g->hex, g->version, MQTT_DIR_UNKNOWN, buf, &d);
    ck_assert_int_eq(d.type, g->type);
    ck_assert_uint_eq(d.u.ack.packet_id, g->packet_id);
    ck_assert_uint_eq(d.u.ack.reason_code, g->reason_code);
    ck_assert_view_hex(props_bytes(d.u.ack.props), g->props);
    ROUNDTRIP(g->hex, g->version, MQTT_DIR_UNKNOWN);
}
END_TEST

/* 5.0 decodes the longer forms of a success too (RL 3 with reason 0; RL 4 with empty properties). */
static const decode_ok_case ack_ok[] = {
    {"5.0 PUBACK RL 3 success", "40 03 00 07 00", MQTT_V5, MQTT_DIR_UNKNOWN},
    {"5.0 PUBACK RL 4 success, props 0", "40 04 00 07 00 00", MQTT_V5, MQTT_DIR_UNKNOWN},
    {"5.0 PUBREL RL 3", "62 03 00 07 00", MQTT_V5, MQTT_DIR_UNKNOWN},
    {"5.0 DISCONNECT RL 1", "e0 01 00", MQTT_V5, MQTT_DIR_UNKNOWN},
    {"5.0 DISCONNECT RL 2", "e0 02 00 00", MQTT_V5, MQTT_DIR_UNKNOWN},
    {"5.0 DISCONNECT with will, from client", "e0 01 04", MQTT_V5, MQTT_DIR_TO_SERVER},
    {"5.0 DISCONNECT session taken over, from server", "e0 01 8e", MQTT_V5, MQTT_DIR_TO_CLIENT},
    {"5.0 DISCONNECT session expiry, from client", "e0 07 00 05 11 00 00 00 0a", MQTT_V5, MQTT_DIR_TO_SERVER},
    {"5.0 DISCONNECT session expiry, unknown sender", "e0 07 00 05 11 00 00 00 0a", MQTT_V5, MQTT_DIR_UNKNOWN},
    {"5.0 AUTH RL 0", "f0 00", MQTT_V5, MQTT_DIR_UNKNOWN},
    /* 0x19 re-authenticate; Property Length 5; Authentication Method "ab" (required once properties exist) */
    {"5.0 AUTH re-authenticate", "f0 07 19 05 15 00 02 61 62", MQTT_V5, MQTT_DIR_TO_SERVER},
    {"3.1 PINGREQ", "c0 00", MQTT_V31, MQTT_DIR_UNKNOWN},
    {"5.0 PINGRESP", "d0 00", MQTT_V5, MQTT_DIR_UNKNOWN},
};

START_TEST(ack_ok_table)
{
    RUN_OK_CASE(&ack_ok[_i]);
}
END_TEST

START_TEST(ack_short_forms_read_as_success)
{
    uint8_t buf[16];
    mqtt_packet d;
    DECODE_OK("40 03 00 07 00", MQTT_V5, MQTT_DIR_UNKNOWN, buf, &d);
    ck_assert_uint_eq(d.u.ack.reason_code, 0);
    ck_assert_uint_eq(d.u.ack.props.len, 0);
    DECODE_OK("e0 00", MQTT_V5, MQTT_DIR_UNKNOWN, buf, &d);
    ck_assert_int_eq(d.type, MQTT_DISCONNECT);
    ck_assert_uint_eq(d.u.reason.reason_code, 0);
    ck_assert_uint_eq(d.u.reason.props.len, 0);
    DECODE_OK("e0 01 04", MQTT_V5, MQTT_DIR_UNKNOWN, buf, &d);
    ck_assert_uint_eq(d.u.reason.reason_code, 4);
    DECODE_OK("f0 00", MQTT_V5, MQTT_DIR_UNKNOWN, buf, &d);
    ck_assert_int_eq(d.type, MQTT_AUTH);
    ck_assert_uint_eq(d.u.reason.reason_code, 0);
}
END_TEST

/* ---- the optional 5.0 tail spelled out ------------------------------------------------------ */

/* A 5.0 packet that spells out more of its tail than its fields need. The decoder reports the tail;
 * re-encoding the decoded packet, or the same fields with that tail, gives the long form again; the
 * fields with MQTT_TAIL_SHORTEST give the short form. */
typedef struct tail_case {
    const char *name;
    mqtt_direction direction;
    mqtt_packet_type type;
    uint8_t reason_code;
    mqtt_tail tail;
    const char *hex;       /* the long form */
    const char *short_hex; /* the same fields, shortest */
} tail_case;

static const tail_case tail_cases[] = {
    /* 3.4.2.1: RL 2 may stand for success without properties; here the reason byte 00 is sent anyway */
    {"PUBACK RL 3 success", MQTT_DIR_UNKNOWN, MQTT_PUBACK, 0x00, MQTT_TAIL_REASON, "40 03 00 07 00", "40 02 00 07"},
    /* 3.4.2.2.1: RL 3 may stand for no properties; here Property Length 00 is sent anyway */
    {"PUBACK RL 4 success, props 0", MQTT_DIR_UNKNOWN, MQTT_PUBACK, 0x00, MQTT_TAIL_PROPERTIES, "40 04 00 07 00 00",
     "40 02 00 07"},
    {"PUBREC RL 3 success", MQTT_DIR_UNKNOWN, MQTT_PUBREC, 0x00, MQTT_TAIL_REASON, "50 03 00 07 00", "50 02 00 07"},
    /* 0x10 no matching subscribers needs the code, not the Property Length */
    {"PUBREC RL 4 0x10, props 0", MQTT_DIR_UNKNOWN, MQTT_PUBREC, 0x10, MQTT_TAIL_PROPERTIES, "50 04 00 07 10 00",
     "50 03 00 07 10"},
    {"PUBREL RL 3 success", MQTT_DIR_UNKNOWN, MQTT_PUBREL, 0x00, MQTT_TAIL_REASON, "62 03 00 07 00", "62 02 00 07"},
    {"PUBREL RL 4 0x92, props 0", MQTT_DIR_UNKNOWN, MQTT_PUBREL, 0x92, MQTT_TAIL_PROPERTIES, "62 04 00 07 92 00",
     "62 03 00 07 92"},
    {"PUBCOMP RL 3 success", MQTT_DIR_UNKNOWN, MQTT_PUBCOMP, 0x00, MQTT_TAIL_REASON, "70 03 00 07 00", "70 02 00 07"},
    {"PUBCOMP RL 4 success, props 0", MQTT_DIR_UNKNOWN, MQTT_PUBCOMP, 0x00, MQTT_TAIL_PROPERTIES,
     "70 04 00 07 00 00", "70 02 00 07"},
    /* 3.14.2.1: RL 0 may stand for normal disconnection; 3.14.2.2.1: RL 1 for no properties */
    {"DISCONNECT RL 1 normal", MQTT_DIR_UNKNOWN, MQTT_DISCONNECT, 0x00, MQTT_TAIL_REASON, "e0 01 00", "e0 00"},
    {"DISCONNECT RL 2 normal, props 0", MQTT_DIR_UNKNOWN, MQTT_DISCONNECT, 0x00, MQTT_TAIL_PROPERTIES, "e0 02 00 00",
     "e0 00"},
    {"DISCONNECT RL 2 with will, props 0", MQTT_DIR_TO_SERVER, MQTT_DISCONNECT, 0x04, MQTT_TAIL_PROPERTIES,
     "e0 02 04 00", "e0 01 04"},
};

static void tail_set(mqtt_packet *p, mqtt_packet_type type, uint8_t reason_code, mqtt_props props, mqtt_tail tail)
{
    memset(p, 0, sizeof *p);
    p->type = type;
    if (type == MQTT_DISCONNECT || type == MQTT_AUTH) {
        p->u.reason.reason_code = reason_code;
        p->u.reason.props = props;
        p->u.reason.tail = tail;
    } else {
        p->u.ack.packet_id = 7;
        p->u.ack.reason_code = reason_code;
        p->u.ack.props = props;
        p->u.ack.tail = tail;
    }
}

static mqtt_tail tail_of(const mqtt_packet *p)
{
    return p->type == MQTT_DISCONNECT || p->type == MQTT_AUTH ? p->u.reason.tail : p->u.ack.tail;
}

START_TEST(long_tail_table)
{
    const tail_case *c = &tail_cases[_i];
    uint8_t buf[16];
    mqtt_packet d, p;
    DECODE_OK(c->hex, MQTT_V5, c->direction, buf, &d);
    ck_assert_msg(tail_of(&d) == c->tail, "%s: decoded tail %d", c->name, (int)tail_of(&d));
    ROUNDTRIP(c->hex, MQTT_V5, c->direction);
    tail_set(&p, c->type, c->reason_code, (mqtt_props){NULL, 0}, c->tail);
    ENCODE_EQ(&p, MQTT_V5, c->direction, c->hex);
    tail_set(&p, c->type, c->reason_code, (mqtt_props){NULL, 0}, MQTT_TAIL_SHORTEST);
    ENCODE_EQ(&p, MQTT_V5, c->direction, c->short_hex);
    DECODE_OK(c->short_hex, MQTT_V5, c->direction, buf, &d);
    ck_assert_msg(tail_of(&d) < c->tail, "%s: short form decodes with tail %d", c->name, (int)tail_of(&d));
}
END_TEST

/* The decoder reports the tail that was there, even when it is the shortest one; 3.x has none. */
START_TEST(tail_reported_as_on_the_wire)
{
    uint8_t buf[32];
    mqtt_packet d;
    DECODE_OK("40 02 00 07", MQTT_V5, MQTT_DIR_UNKNOWN, buf, &d);
    ck_assert_int_eq(d.u.ack.tail, MQTT_TAIL_SHORTEST);
    DECODE_OK("40 03 00 07 10", MQTT_V5, MQTT_DIR_UNKNOWN, buf, &d);
    ck_assert_int_eq(d.u.ack.tail, MQTT_TAIL_REASON);
    DECODE_OK("40 08 00 07 80 04 1f 00 01 65", MQTT_V5, MQTT_DIR_UNKNOWN, buf, &d);
    ck_assert_int_eq(d.u.ack.tail, MQTT_TAIL_PROPERTIES);
    DECODE_OK("40 02 00 07", MQTT_V311, MQTT_DIR_UNKNOWN, buf, &d);
    ck_assert_int_eq(d.u.ack.tail, MQTT_TAIL_SHORTEST);
    DECODE_OK("e0 00", MQTT_V5, MQTT_DIR_UNKNOWN, buf, &d);
    ck_assert_int_eq(d.u.reason.tail, MQTT_TAIL_SHORTEST);
    DECODE_OK("e0 00", MQTT_V311, MQTT_DIR_UNKNOWN, buf, &d);
    ck_assert_int_eq(d.u.reason.tail, MQTT_TAIL_SHORTEST);
    DECODE_OK("f0 00", MQTT_V5, MQTT_DIR_UNKNOWN, buf, &d);
    ck_assert_int_eq(d.u.reason.tail, MQTT_TAIL_SHORTEST);
    DECODE_OK("f0 07 19 05 15 00 02 61 62", MQTT_V5, MQTT_DIR_TO_SERVER, buf, &d);
    ck_assert_int_eq(d.u.reason.tail, MQTT_TAIL_PROPERTIES);
}
END_TEST

/* The encoder writes more than the tail asks when the fields need it, and ignores it in 3.x. */
START_TEST(tail_grows_with_the_fields)
{
    uint8_t pb[8];
    mqtt_packet p;
    tail_set(&p, MQTT_PUBACK, 0x80, props_view("1f 00 01 65", pb, sizeof pb), MQTT_TAIL_REASON);
    ENCODE_EQ(&p, MQTT_V5, MQTT_DIR_UNKNOWN, "40 08 00 07 80 04 1f 00 01 65");
    tail_set(&p, MQTT_PUBACK, 0x10, (mqtt_props){NULL, 0}, MQTT_TAIL_SHORTEST);
    ENCODE_EQ(&p, MQTT_V5, MQTT_DIR_UNKNOWN, "40 03 00 07 10");
    tail_set(&p, MQTT_PUBACK, 0x00, (mqtt_props){NULL, 0}, MQTT_TAIL_PROPERTIES);
    ENCODE_EQ(&p, MQTT_V311, MQTT_DIR_UNKNOWN, "40 02 00 07");
    tail_set(&p, MQTT_DISCONNECT, 0x00, (mqtt_props){NULL, 0}, MQTT_TAIL_PROPERTIES);
    ENCODE_EQ(&p, MQTT_V311, MQTT_DIR_UNKNOWN, "e0 00");
}
END_TEST

/* AUTH has no form with the code alone (3.15.2.1): a tail of MQTT_TAIL_REASON writes the Property
 * Length too. Reason 0 with an empty property list lacks the Authentication Method, so only the
 * unchecked encoder writes it, and the checked one refuses it as the decoder would. */
START_TEST(auth_tail_reason_writes_property_length)
{
    mqtt_packet p;
    uint8_t out[8];
    size_t written = 0;
    tail_set(&p, MQTT_AUTH, 0x00, (mqtt_props){NULL, 0}, MQTT_TAIL_REASON);
    mqtt_encode_opts raw = encode_opts(MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ENCODE_UNCHECKED);
    ck_assert_int_eq(mqtt_encode(&p, &raw, out, sizeof out, &written, NULL), MQTT_OK);
    uint8_t want[8];
    size_t n = hex_to_bytes("f0 02 00 00", want, sizeof want);
    ck_assert_bytes_eq(out, written, want, n);
    mqtt_encode_opts checked = encode_opts(MQTT_V5, MQTT_DIR_UNKNOWN, 0);
    mqtt_error err = {MQTT_OK, 0, NULL};
    ck_assert_int_eq(mqtt_encode(&p, &checked, out, sizeof out, &written, &err), MQTT_ERR_AUTH_METHOD_MISSING);
    tail_set(&p, MQTT_AUTH, 0x00, (mqtt_props){NULL, 0}, MQTT_TAIL_SHORTEST);
    ENCODE_EQ(&p, MQTT_V5, MQTT_DIR_UNKNOWN, "f0 00");
}
END_TEST

/* ---- PINGREQ, PINGRESP, DISCONNECT, AUTH goldens ------------------------------------------ */

typedef struct reason_golden {
    const char *name;
    mqtt_version version;
    mqtt_direction direction;
    mqtt_packet_type type;
    uint8_t reason_code;
    const char *props;
    const char *hex;
} reason_golden;

static const reason_golden reason_goldens[] = {
    {"3.1.1 PINGREQ", MQTT_V311, MQTT_DIR_TO_SERVER, MQTT_PINGREQ, 0, "", "c0 00"},   /* 1100 0000; RL 0 */
    {"3.1.1 PINGRESP", MQTT_V311, MQTT_DIR_TO_CLIENT, MQTT_PINGRESP, 0, "", "d0 00"}, /* 1101 0000; RL 0 */
    {"3.1 PINGREQ", MQTT_V31, MQTT_DIR_TO_SERVER, MQTT_PINGREQ, 0, "", "c0 00"},
    {"3.1 PINGRESP", MQTT_V31, MQTT_DIR_TO_CLIENT, MQTT_PINGRESP, 0, "", "d0 00"},
    {"5.0 PINGREQ", MQTT_V5, MQTT_DIR_TO_SERVER, MQTT_PINGREQ, 0, "", "c0 00"},
    {"5.0 PINGRESP", MQTT_V5, MQTT_DIR_TO_CLIENT, MQTT_PINGRESP, 0, "", "d0 00"},
    {"3.1.1 DISCONNECT", MQTT_V311, MQTT_DIR_TO_SERVER, MQTT_DISCONNECT, 0, "", "e0 00"}, /* 1110 0000; RL 0 */
    {"3.1 DISCONNECT", MQTT_V31, MQTT_DIR_TO_SERVER, MQTT_DISCONNECT, 0, "", "e0 00"},
    /* 5.0 normal disconnection without properties: RL 0 */
    {"5.0 DISCONNECT normal", MQTT_V5, MQTT_DIR_TO_SERVER, MQTT_DISCONNECT, 0x00, "", "e0 00"},
    /* reason only: RL 1, no Property Length */
    {"5.0 DISCONNECT with will", MQTT_V5, MQTT_DIR_TO_SERVER, MQTT_DISCONNECT, 0x04, "", "e0 01 04"},
    /* 0x8b server shutting down; Property Length 6; Reason String "bye" */
    {"5.0 DISCONNECT from server", MQTT_V5, MQTT_DIR_TO_CLIENT, MQTT_DISCONNECT, 0x8b, "1f 00 03 62 79 65",
     "e0 08 8b 06 1f 00 03 62 79 65"},
    /* client sets Session Expiry Interval 10 on disconnect */
    {"5.0 DISCONNECT session expiry", MQTT_V5, MQTT_DIR_TO_SERVER, MQTT_DISCONNECT, 0x00, "11 00 00 00 0a",
     "e0 07 00 05 11 00 00 00 0a"},
    /* AUTH success without properties: RL 0 */
    {"5.0 AUTH success", MQTT_V5, MQTT_DIR_TO_CLIENT, MQTT_AUTH, 0x00, "", "f0 00"},
    /* 0x18 continue authentication; Property Length 13; Method "SCRAM"; Data 01 02 */
    {"5.0 AUTH continue", MQTT_V5, MQTT_DIR_TO_SERVER, MQTT_AUTH, 0x18, "15 00 05 53 43 52 41 4d 16 00 02 01 02",
     "f0 0f 18 0d 15 00 05 53 43 52 41 4d 16 00 02 01 02"},
};

START_TEST(reason_golden_table)
{
    const reason_golden *g = &reason_goldens[_i];
    uint8_t pb[32], buf[64];
    mqtt_packet p, d;
    memset(&p, 0, sizeof p);
    p.type = g->type;
    p.u.reason.reason_code = g->reason_code;
    p.u.reason.props = props_view(g->props, pb, sizeof pb);
    ENCODE_EQ(&p, g->version, g->direction, g->hex);
    DECODE_OK(g->hex, g->version, g->direction, buf, &d);
    ck_assert_int_eq(d.type, g->type);
    ck_assert_uint_eq(d.flags, 0);
    if (g->type == MQTT_DISCONNECT || g->type == MQTT_AUTH) {
        ck_assert_uint_eq(d.u.reason.reason_code, g->reason_code);
        ck_assert_view_hex(props_bytes(d.u.reason.props), g->props);
    }
    ROUNDTRIP(g->hex, g->version, g->direction);
}
END_TEST

/* ---- refusals ----------------------------------------------------------------------------- */

#define FLAGS_V311 "MQTT-2.2.2-1"
#define FLAGS_V5 "MQTT-2.1.3-1"

static const decode_error_case ack_errors[] = {
    {"3.1.1 PUBACK RL 3", "40 03 00 07 00", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_WRONG_REMAINING_LENGTH, STMT_NONE,
     "1"},
    {"3.1.1 PUBCOMP RL 4", "70 04 00 07 00 00", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_WRONG_REMAINING_LENGTH,
     STMT_NONE, "1"},
    {"3.1 PUBREC RL 3", "50 03 00 07 00", MQTT_V31, MQTT_DIR_UNKNOWN, MQTT_ERR_WRONG_REMAINING_LENGTH, STMT_NONE,
     "1"},
    {"3.1.1 PUBACK id 0", "40 02 00 00", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_PACKET_ID_ZERO, STMT_ANY, "2"},
    {"5.0 PUBREC id 0", "50 02 00 00", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_PACKET_ID_ZERO, STMT_ANY, "2"},
    {"3.1.1 PUBREL flags 0000", "60 02 00 07", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_BAD_FIXED_HEADER_FLAGS,
     "MQTT-3.6.1-1|" FLAGS_V311, "0"},
    {"5.0 PUBREL flags 0011", "63 02 00 07", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_BAD_FIXED_HEADER_FLAGS,
     "MQTT-3.6.1-1|" FLAGS_V5, "0"},
    {"3.1.1 PUBACK flags 0010", "42 02 00 07", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_BAD_FIXED_HEADER_FLAGS, FLAGS_V311,
     "0"},
    {"5.0 PUBCOMP flags 1000", "78 02 00 07", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_BAD_FIXED_HEADER_FLAGS, FLAGS_V5,
     "0"},
    /* 5.0 reason codes that belong to another packet type */
    {"5.0 PUBACK 0x92", "40 03 00 07 92", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_REASON_CODE_NOT_ALLOWED, "MQTT-3.4.2-1",
     "4"},
    {"5.0 PUBREC 0x92", "50 03 00 07 92", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_REASON_CODE_NOT_ALLOWED, "MQTT-3.5.2-1",
     "4"},
    {"5.0 PUBREL 0x10", "62 03 00 07 10", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_REASON_CODE_NOT_ALLOWED, "MQTT-3.6.2-1",
     "4"},
    {"5.0 PUBCOMP 0x80", "70 03 00 07 80", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_REASON_CODE_NOT_ALLOWED, "MQTT-3.7.2-1",
     "4"},
    {"5.0 PUBACK 0x01", "40 03 00 07 01", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_REASON_CODE_NOT_ALLOWED, "MQTT-3.4.2-1",
     "4"},
    /* Topic Alias is a PUBLISH property */
    {"5.0 PUBACK topic alias", "40 07 00 07 00 03 23 00 01", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_PROPERTY_NOT_ALLOWED,
     STMT_NONE, "6"},
    {"5.0 PUBACK trailing byte", "40 05 00 07 00 00 00", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_TRAILING_BYTES, STMT_NONE,
     "6"},
    /* Property Length 5 with one byte left in the packet; the buffer goes on with a plausible string */
    {"5.0 PUBACK props overrun", "40 05 00 07 00 05 1f 00 01 65 00", MQTT_V5, MQTT_DIR_UNKNOWN,
     MQTT_ERR_FIELD_OVERRUNS_PACKET, STMT_ANY, "5"},
    {"5.0 PUBACK duplicate reason string", "40 0c 00 07 80 08 1f 00 01 65 1f 00 01 66", MQTT_V5, MQTT_DIR_UNKNOWN,
     MQTT_ERR_PROPERTY_DUPLICATE, STMT_NONE, "10"},

    {"3.1.1 PINGREQ RL 1", "c0 01 00", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_WRONG_REMAINING_LENGTH, STMT_NONE, "1"},
    {"5.0 PINGRESP RL 1", "d0 01 00", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_WRONG_REMAINING_LENGTH, STMT_NONE, "1"},
    {"3.1 PINGRESP RL 2", "d0 02 00 00", MQTT_V31, MQTT_DIR_UNKNOWN, MQTT_ERR_WRONG_REMAINING_LENGTH, STMT_NONE, "1"},
    {"3.1.1 PINGREQ flags 0001", "c1 00", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_BAD_FIXED_HEADER_FLAGS, FLAGS_V311, "0"},
    {"3.1.1 DISCONNECT RL 1", "e0 01 00", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_WRONG_REMAINING_LENGTH, STMT_NONE, "1"},
    {"3.1.1 DISCONNECT flags 0010", "e2 00", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_BAD_FIXED_HEADER_FLAGS,
     "MQTT-3.14.1-1|" FLAGS_V311, "0"},
    {"5.0 DISCONNECT flags 0001", "e1 00", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_BAD_FIXED_HEADER_FLAGS,
     "MQTT-3.14.1-1|" FLAGS_V5, "0"},
    {"5.0 DISCONNECT 0x05", "e0 01 05", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_REASON_CODE_NOT_ALLOWED, "MQTT-3.14.2-1",
     "2"},
    {"5.0 DISCONNECT 0x18 (AUTH code)", "e0 01 18", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_REASON_CODE_NOT_ALLOWED,
     "MQTT-3.14.2-1", "2"},
    /* 0x04 Disconnect with Will Message is sent by a client only; 0x8e Session taken over by a server only */
    {"5.0 DISCONNECT 0x04 from server", "e0 01 04", MQTT_V5, MQTT_DIR_TO_CLIENT, MQTT_ERR_REASON_CODE_NOT_ALLOWED,
     "MQTT-3.14.2-1", "2"},
    {"5.0 DISCONNECT 0x8e from client", "e0 01 8e", MQTT_V5, MQTT_DIR_TO_SERVER, MQTT_ERR_REASON_CODE_NOT_ALLOWED,
     "MQTT-3.14.2-1", "2"},
    {"5.0 DISCONNECT session expiry from server", "e0 07 00 05 11 00 00 00 0a", MQTT_V5, MQTT_DIR_TO_CLIENT,
     MQTT_ERR_SESSION_EXPIRY_FROM_SERVER, "MQTT-3.14.2-2", "4"},
    {"5.0 DISCONNECT topic alias", "e0 05 00 03 23 00 01", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_PROPERTY_NOT_ALLOWED,
     STMT_NONE, "4"},
    {"5.0 DISCONNECT trailing", "e0 03 00 00 00", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_TRAILING_BYTES, STMT_NONE, "4"},

    {"AUTH in 3.1.1", "f0 00", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_BAD_PACKET_TYPE, STMT_NONE, "0"},
    {"AUTH in 3.1", "f0 00", MQTT_V31, MQTT_DIR_UNKNOWN, MQTT_ERR_BAD_PACKET_TYPE, STMT_NONE, "0"},
    {"5.0 AUTH flags 0001", "f1 00", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_BAD_FIXED_HEADER_FLAGS,
     "MQTT-3.15.1-1|" FLAGS_V5, "0"},
    {"5.0 AUTH 0x80", "f0 02 80 00", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_REASON_CODE_NOT_ALLOWED, "MQTT-3.15.2-1", "2"},
    {"5.0 AUTH 0x04", "f0 02 04 00", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_REASON_CODE_NOT_ALLOWED, "MQTT-3.15.2-1", "2"},
    /* 3.15.2.2.2: omitting the Authentication Method from an AUTH's properties is a Protocol Error */
    {"5.0 AUTH without method", "f0 02 18 00", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_AUTH_METHOD_MISSING, STMT_ANY,
     "2|3"},
    {"5.0 AUTH data without method", "f0 06 18 04 16 00 01 78", MQTT_V5, MQTT_DIR_UNKNOWN,
     MQTT_ERR_AUTH_DATA_WITHOUT_METHOD, STMT_NONE, "4"},
    {"5.0 AUTH session expiry", "f0 07 18 05 11 00 00 00 01", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_PROPERTY_NOT_ALLOWED,
     STMT_NONE, "4"},
    {"5.0 AUTH duplicate method", "f0 0c 18 0a 15 00 02 61 62 15 00 02 61 62", MQTT_V5, MQTT_DIR_UNKNOWN,
     MQTT_ERR_PROPERTY_DUPLICATE, STMT_NONE, "9"},
};

START_TEST(ack_error_table)
{
    RUN_ERROR_CASE(&ack_errors[_i]);
}
END_TEST

/* Lengths the standard does not allow, where "wrong length" and "field overruns" both describe it. */
static const decode_ok_case bad_length[] = {
    {"5.0 PUBACK RL 1", "40 01 00 00", MQTT_V5, MQTT_DIR_UNKNOWN},
    {"5.0 PUBACK RL 0", "40 00", MQTT_V5, MQTT_DIR_UNKNOWN},
    {"3.1.1 PUBACK RL 1", "40 01 00 00", MQTT_V311, MQTT_DIR_UNKNOWN},
    {"5.0 AUTH RL 1", "f0 01 00 00", MQTT_V5, MQTT_DIR_UNKNOWN},
    {"5.0 AUTH RL 1, continue", "f0 01 18 00", MQTT_V5, MQTT_DIR_UNKNOWN},
};

START_TEST(bad_length_table)
{
    const decode_ok_case *c = &bad_length[_i];
    uint8_t b[16];
    size_t n = hex_to_bytes(c->hex, b, sizeof b);
    mqtt_decode_opts o = decode_opts(c->version, c->direction);
    mqtt_packet p;
    mqtt_frame fr;
    ck_assert_msg(mqtt_decode(b, n, &o, &p, &fr) == MQTT_MALFORMED, "%s accepted", c->name);
    ck_assert_msg(fr.error.code == MQTT_ERR_WRONG_REMAINING_LENGTH || fr.error.code == MQTT_ERR_FIELD_OVERRUNS_PACKET,
                  "%s: %s", c->name, mqtt_err_name(fr.error.code));
}
END_TEST

/* An acknowledgement with Packet Identifier 0 breaks [MQTT-2.3.1-6/7] (2.2.1-5/6 in 5.0) unless the
 * receiver sent 0 itself: then it is the echo those statements ask for, and zero_id_acks accepts it.
 * The option reaches acknowledgements only: a PUBLISH or SUBSCRIBE with 0 stays malformed. */
static const struct {
    const char *hex;
    mqtt_version v;
    const char *statement;
} zero_ids[] = {
    {"40 02 00 00", MQTT_V311, "MQTT-2.3.1-6"},       {"50 02 00 00", MQTT_V311, "MQTT-2.3.1-6"},
    {"62 02 00 00", MQTT_V311, "MQTT-2.3.1-6"},       {"70 02 00 00", MQTT_V311, "MQTT-2.3.1-6"},
    {"90 03 00 00 00", MQTT_V311, "MQTT-2.3.1-7"},    {"b0 02 00 00", MQTT_V311, "MQTT-2.3.1-7"},
    {"40 03 00 00 10", MQTT_V5, "MQTT-2.2.1-5"},      {"90 04 00 00 00 01", MQTT_V5, "MQTT-2.2.1-6"},
    {"b0 04 00 00 00 11", MQTT_V5, "MQTT-2.2.1-6"},
};

START_TEST(ack_zero_id_only_as_an_echo)
{
    uint8_t b[16];
    size_t n = hex_to_bytes(zero_ids[_i].hex, b, sizeof b);
    mqtt_decode_opts o = {.version = zero_ids[_i].v, .direction = MQTT_DIR_TO_CLIENT};
    mqtt_packet p;
    mqtt_frame fr;
    ck_assert_int_eq(mqtt_decode(b, n, &o, &p, &fr), MQTT_MALFORMED);
    ck_assert_int_eq(fr.error.code, MQTT_ERR_PACKET_ID_ZERO);
    ck_assert_str_eq(fr.error.statement, zero_ids[_i].statement);
    ck_assert_uint_eq(fr.error.offset, 2);
    o.zero_id_acks = true;
    ck_assert_int_eq(mqtt_decode(b, n, &o, &p, &fr), MQTT_COMPLETE);
    ck_assert_uint_eq(p.type, b[0] >> 4);
}
END_TEST

START_TEST(zero_id_option_leaves_new_packets_alone)
{
    uint8_t b[32];
    const char *hex[] = {"32 07 00 03 61 2f 62 00 00", "82 06 00 00 00 01 61 01", "a2 05 00 00 00 01 61"};
    for (size_t i = 0; i < ARRAY_LEN(hex); i++) {
        size_t n = hex_to_bytes(hex[i], b, sizeof b);
        mqtt_decode_opts o = {.version = MQTT_V311, .direction = MQTT_DIR_UNKNOWN, .zero_id_acks = true};
        mqtt_packet p;
        mqtt_frame fr;
        ck_assert_int_eq(mqtt_decode(b, n, &o, &p, &fr), MQTT_MALFORMED);
        ck_assert_int_eq(fr.error.code, MQTT_ERR_PACKET_ID_ZERO);
    }
}
END_TEST

/* Reason code sets per packet type (5.0 tables 3-4/3-5/3-6/3-7, 3-10, 3-13). */
START_TEST(reason_code_sets_v5)
{
    static const uint8_t puback[] = {0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99};
    static const uint8_t pubrel[] = {0x00, 0x92};
    static const uint8_t auth[] = {0x00, 0x18, 0x19};
    for (unsigned code = 0; code < 256; code++) {
        bool in_puback = memchr(puback, (int)code, sizeof puback) != NULL;
        bool in_pubrel = memchr(pubrel, (int)code, sizeof pubrel) != NULL;
        bool in_auth = memchr(auth, (int)code, sizeof auth) != NULL;
        ck_assert_msg(mqtt_reason_allowed(MQTT_V5, MQTT_PUBACK, (uint8_t)code, MQTT_DIR_UNKNOWN) == in_puback,
                      "PUBACK 0x%02x", code);
        ck_assert_msg(mqtt_reason_allowed(MQTT_V5, MQTT_PUBREC, (uint8_t)code, MQTT_DIR_UNKNOWN) == in_puback,
                      "PUBREC 0x%02x", code);
        ck_assert_msg(mqtt_reason_allowed(MQTT_V5, MQTT_PUBREL, (uint8_t)code, MQTT_DIR_UNKNOWN) == in_pubrel,
                      "PUBREL 0x%02x", code);
        ck_assert_msg(mqtt_reason_allowed(MQTT_V5, MQTT_PUBCOMP, (uint8_t)code, MQTT_DIR_UNKNOWN) == in_pubrel,
                      "PUBCOMP 0x%02x", code);
        ck_assert_msg(mqtt_reason_allowed(MQTT_V5, MQTT_AUTH, (uint8_t)code, MQTT_DIR_UNKNOWN) == in_auth,
                      "AUTH 0x%02x", code);
    }
    /* DISCONNECT: 0x04 client only, 0x8b server only, 0x00 both */
    ck_assert(mqtt_reason_allowed(MQTT_V5, MQTT_DISCONNECT, 0x04, MQTT_DIR_TO_SERVER));
    ck_assert(!mqtt_reason_allowed(MQTT_V5, MQTT_DISCONNECT, 0x04, MQTT_DIR_TO_CLIENT));
    ck_assert(mqtt_reason_allowed(MQTT_V5, MQTT_DISCONNECT, 0x8b, MQTT_DIR_TO_CLIENT));
    ck_assert(!mqtt_reason_allowed(MQTT_V5, MQTT_DISCONNECT, 0x8b, MQTT_DIR_TO_SERVER));
    ck_assert(mqtt_reason_allowed(MQTT_V5, MQTT_DISCONNECT, 0x00, MQTT_DIR_TO_SERVER));
    ck_assert(mqtt_reason_allowed(MQTT_V5, MQTT_DISCONNECT, 0x00, MQTT_DIR_TO_CLIENT));
    ck_assert(mqtt_reason_allowed(MQTT_V5, MQTT_DISCONNECT, 0x04, MQTT_DIR_UNKNOWN));
    ck_assert(!mqtt_reason_allowed(MQTT_V5, MQTT_DISCONNECT, 0x05, MQTT_DIR_UNKNOWN));
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("acks");
    TCase *tc = tcase_create("acks");
    tcase_add_loop_test(tc, ack_golden_table, 0, (int)ARRAY_LEN(ack_goldens));
    tcase_add_loop_test(tc, ack_ok_table, 0, (int)ARRAY_LEN(ack_ok));
    tcase_add_test(tc, ack_short_forms_read_as_success);
    tcase_add_loop_test(tc, long_tail_table, 0, (int)ARRAY_LEN(tail_cases));
    tcase_add_test(tc, tail_reported_as_on_the_wire);
    tcase_add_test(tc, tail_grows_with_the_fields);
    tcase_add_test(tc, auth_tail_reason_writes_property_length);
    tcase_add_loop_test(tc, reason_golden_table, 0, (int)ARRAY_LEN(reason_goldens));
    tcase_add_loop_test(tc, ack_zero_id_only_as_an_echo, 0, (int)ARRAY_LEN(zero_ids));
    tcase_add_test(tc, zero_id_option_leaves_new_packets_alone);
    tcase_add_loop_test(tc, ack_error_table, 0, (int)ARRAY_LEN(ack_errors));
    tcase_add_loop_test(tc, bad_length_table, 0, (int)ARRAY_LEN(bad_length));
    tcase_add_test(tc, reason_code_sets_v5);
    suite_add_tcase(s, tc);
    return s;
}
