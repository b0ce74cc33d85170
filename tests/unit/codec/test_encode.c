/* The encoder beyond the goldens: checked mode refuses what the decoder refuses (same error),
 * MQTT_ENCODE_UNCHECKED writes broken packets as given, the PUBLISH header encoder, Remaining
 * Length sizes and field limits. */
#include <stdlib.h>
#include <string.h>

#include "support.h"

typedef struct refuse_case {
    const char *name;
    mqtt_version version;
    mqtt_direction dir;
    mqtt_err code;
} refuse_case;

/* Builds the broken packet of case i into *p (views into static memory). */
static void build_refused(int i, mqtt_packet *p)
{
    static uint8_t payload[64], props[32];
    static uint8_t codes_none[1];
    memset(p, 0, sizeof *p);
    mqtt_subscription sub;
    memset(&sub, 0, sizeof sub);
    switch (i) {
    case 0: /* PUBLISH QoS 3 */
        p->type = MQTT_PUBLISH;
        p->u.publish.qos = 3;
        p->u.publish.packet_id = 1;
        p->u.publish.topic = mqtt_cstr("t");
        break;
    case 1: /* wildcard in a topic name */
        p->type = MQTT_PUBLISH;
        p->u.publish.topic = mqtt_cstr("a/+");
        break;
    case 2: /* QoS 1 with packet id 0 */
        p->type = MQTT_PUBLISH;
        p->u.publish.qos = 1;
        p->u.publish.topic = mqtt_cstr("t");
        break;
    case 3: /* DUP with QoS 0 */
        p->type = MQTT_PUBLISH;
        p->u.publish.dup = true;
        p->u.publish.topic = mqtt_cstr("t");
        break;
    case 4: /* empty topic, 3.1.1 */
        p->type = MQTT_PUBLISH;
        p->u.publish.topic = mqtt_cstr("");
        break;
    case 5: /* SUBSCRIBE filter "a#" */
        p->type = MQTT_SUBSCRIBE;
        p->u.subscribe.packet_id = 1;
        sub.filter = mqtt_cstr("a#");
        ck_assert_int_eq(mqtt_subscribe_payload_write(&p->u.subscribe, &sub, 1, payload, sizeof payload), MQTT_OK);
        break;
    case 6: /* SUBSCRIBE requested QoS 3 */
        p->type = MQTT_SUBSCRIBE;
        p->u.subscribe.packet_id = 1;
        sub.filter = mqtt_cstr("a");
        sub.qos = 3;
        ck_assert_int_eq(mqtt_subscribe_payload_write(&p->u.subscribe, &sub, 1, payload, sizeof payload), MQTT_OK);
        break;
    case 7: /* 3.1.1 CONNECT password without user name */
        p->type = MQTT_CONNECT;
        p->u.connect.clean_start = true;
        p->u.connect.has_password = true;
        p->u.connect.client_id = mqtt_cstr("a");
        p->u.connect.password = mqtt_cstr("p");
        break;
    case 8: /* CONNECT will QoS 3 */
        p->type = MQTT_CONNECT;
        p->u.connect.clean_start = true;
        p->u.connect.will = true;
        p->u.connect.will_qos = 3;
        p->u.connect.client_id = mqtt_cstr("a");
        p->u.connect.will_topic = mqtt_cstr("t");
        p->u.connect.will_payload = mqtt_cstr("m");
        break;
    case 9: /* CONNACK session present with a refusal */
        p->type = MQTT_CONNACK;
        p->u.connack.session_present = true;
        p->u.connack.reason_code = 5;
        break;
    case 10: /* 5.0 PUBACK with PUBREL's reason code */
        p->type = MQTT_PUBACK;
        p->u.ack.packet_id = 1;
        p->u.ack.reason_code = 0x92;
        break;
    case 11: /* Will Delay Interval in CONNECT properties */
        p->type = MQTT_CONNECT;
        p->u.connect.clean_start = true;
        p->u.connect.client_id = mqtt_cstr("a");
        p->u.connect.props = props_view("18 00 00 00 05", props, sizeof props);
        break;
    case 12: /* SUBACK without reason codes */
        p->type = MQTT_SUBACK;
        p->u.suback.packet_id = 1;
        p->u.suback.reason_codes.data = codes_none;
        break;
    case 13: /* UNSUBSCRIBE without filters */
        p->type = MQTT_UNSUBSCRIBE;
        p->u.unsubscribe.packet_id = 1;
        break;
    case 14: /* AUTH in 3.1.1 */
        p->type = MQTT_AUTH;
        break;
    case 15: /* client PUBLISH with a Subscription Identifier */
        p->type = MQTT_PUBLISH;
        p->u.publish.topic = mqtt_cstr("t");
        p->u.publish.props = props_view("0b 01", props, sizeof props);
        break;
    case 16: /* ill-formed UTF-8 in a topic */
        p->type = MQTT_PUBLISH;
        p->u.publish.topic = hex_view("61 c0 80", payload, sizeof payload);
        break;
    case 17: /* 5.0 shared subscription with No Local */
        p->type = MQTT_SUBSCRIBE;
        p->u.subscribe.packet_id = 1;
        sub.filter = mqtt_cstr("$share/g/a");
        sub.no_local = true;
        ck_assert_int_eq(mqtt_subscribe_payload_write(&p->u.subscribe, &sub, 1, payload, sizeof payload), MQTT_OK);
        break;
    case 18: /* server DISCONNECT with Session Expiry Interval */
        p->type = MQTT_DISCONNECT;
        p->u.reason.props = props_view("11 00 00 00 01", props, sizeof props);
        break;
    default: /* 3.1.1 CONNACK return code 6 */
        p->type = MQTT_CONNACK;
        p->u.connack.reason_code = 6;
        break;
    }
}

static const refuse_case refuse_cases[] = {
    {"PUBLISH QoS 3", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_PUBLISH_QOS_3},
    {"topic a/+", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_TOPIC_WILDCARD},
    {"QoS 1 id 0", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_PACKET_ID_ZERO},
    {"DUP QoS 0", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_PUBLISH_DUP_QOS_0},
    {"empty topic", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_TOPIC_EMPTY},
    {"filter a#", MQTT_V311, MQTT_DIR_TO_SERVER, MQTT_ERR_FILTER_MULTI_WILDCARD},
    {"subscribe QoS 3", MQTT_V311, MQTT_DIR_TO_SERVER, MQTT_ERR_SUBSCRIBE_QOS_3},
    {"password without user name", MQTT_V311, MQTT_DIR_TO_SERVER, MQTT_ERR_PASSWORD_WITHOUT_USERNAME},
    {"will QoS 3", MQTT_V5, MQTT_DIR_TO_SERVER, MQTT_ERR_WILL_QOS_3},
    {"session present on refusal", MQTT_V311, MQTT_DIR_TO_CLIENT, MQTT_ERR_SESSION_PRESENT_ON_ERROR},
    {"PUBACK 0x92", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_REASON_CODE_NOT_ALLOWED},
    {"will delay in CONNECT", MQTT_V5, MQTT_DIR_TO_SERVER, MQTT_ERR_PROPERTY_NOT_ALLOWED},
    {"SUBACK no codes", MQTT_V311, MQTT_DIR_TO_CLIENT, MQTT_ERR_NO_REASON_CODES},
    {"UNSUBSCRIBE no filters", MQTT_V5, MQTT_DIR_TO_SERVER, MQTT_ERR_NO_TOPIC_FILTERS},
    {"AUTH in 3.1.1", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_BAD_PACKET_TYPE},
    {"subscription id from client", MQTT_V5, MQTT_DIR_TO_SERVER, MQTT_ERR_SUBSCRIPTION_ID_FROM_CLIENT},
    {"topic C0 80", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_UTF8_INVALID},
    {"shared no local", MQTT_V5, MQTT_DIR_TO_SERVER, MQTT_ERR_SHARED_NO_LOCAL},
    {"session expiry from server", MQTT_V5, MQTT_DIR_TO_CLIENT, MQTT_ERR_SESSION_EXPIRY_FROM_SERVER},
    {"CONNACK code 6", MQTT_V311, MQTT_DIR_TO_CLIENT, MQTT_ERR_REASON_CODE_NOT_ALLOWED},
};

/* Checked encode refuses; unchecked writes bytes the decoder refuses with the same error and
 * statement. */
START_TEST(checked_refuses_like_decoder)
{
    const refuse_case *c = &refuse_cases[_i];
    mqtt_packet p;
    build_refused(_i, &p);
    uint8_t out[128];
    size_t written = 0;
    mqtt_error enc_err = {MQTT_OK, 0, NULL};
    mqtt_encode_opts eo = encode_opts(c->version, c->dir, 0);
    mqtt_err e = mqtt_encode(&p, &eo, out, sizeof out, &written, &enc_err);
    ck_assert_msg(e == c->code, "%s: checked encode gave %s, expected %s", c->name, mqtt_err_name(e),
                  mqtt_err_name(c->code));
    ck_assert_int_eq(enc_err.code, c->code);
    if (c->code == MQTT_ERR_BAD_PACKET_TYPE) /* a type the version lacks has no layout to write */
        return;

    eo.flags = MQTT_ENCODE_UNCHECKED;
    e = mqtt_encode(&p, &eo, out, sizeof out, &written, &enc_err);
    ck_assert_msg(e == MQTT_OK, "%s: unchecked encode gave %s", c->name, mqtt_err_name(e));
    mqtt_decode_opts o = decode_opts(c->version, c->dir);
    mqtt_packet d;
    mqtt_frame fr;
    ck_assert_msg(mqtt_decode(out, written, &o, &d, &fr) == MQTT_MALFORMED, "%s: decoder accepted", c->name);
    ck_assert_msg(fr.error.code == c->code, "%s: decoder says %s", c->name, mqtt_err_name(fr.error.code));
    /* same rule, same citation */
    e = mqtt_encode(&p, &(mqtt_encode_opts){c->version, c->dir, 0}, out, sizeof out, &written, &enc_err);
    ck_assert_msg((enc_err.statement == NULL) == (fr.error.statement == NULL) &&
                      (enc_err.statement == NULL || strcmp(enc_err.statement, fr.error.statement) == 0),
                  "%s: encoder cites %s, decoder %s", c->name, enc_err.statement ? enc_err.statement : "-",
                  fr.error.statement ? fr.error.statement : "-");
}
END_TEST

START_TEST(unchecked_writes_as_given)
{
    mqtt_packet p;
    memset(&p, 0, sizeof p);
    p.type = MQTT_PUBLISH;
    p.u.publish.qos = 3;
    p.u.publish.topic = mqtt_cstr("a/+");
    uint8_t out[32], want[32];
    size_t written;
    mqtt_error err;
    mqtt_encode_opts eo = encode_opts(MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ENCODE_UNCHECKED);
    ck_assert_int_eq(mqtt_encode(&p, &eo, out, sizeof out, &written, &err), MQTT_OK);
    /* 0011 0110: PUBLISH QoS 11; RL 7; topic "a/+"; packet id 0 */
    size_t n = hex_to_bytes("36 07 00 03 61 2f 2b 00 00", want, sizeof want);
    ck_assert_bytes_eq(out, written, want, n);
    uint32_t size;
    ck_assert_int_eq(mqtt_encoded_size(&p, &eo, &size), MQTT_OK);
    ck_assert_uint_eq(size, n);

    /* SUBSCRIBE "a#" with QoS 3, 3.1.1 */
    mqtt_subscription sub;
    memset(&sub, 0, sizeof sub);
    sub.filter = mqtt_cstr("a#");
    sub.qos = 3;
    uint8_t payload[16];
    memset(&p, 0, sizeof p);
    p.type = MQTT_SUBSCRIBE;
    p.u.subscribe.packet_id = 1;
    ck_assert_int_eq(mqtt_subscribe_payload_write(&p.u.subscribe, &sub, 1, payload, sizeof payload), MQTT_OK);
    ck_assert_int_eq(mqtt_encode(&p, &eo, out, sizeof out, &written, &err), MQTT_OK);
    /* 1000 0010; RL 7; id 1; filter "a#"; options 03 */
    n = hex_to_bytes("82 07 00 01 00 02 61 23 03", want, sizeof want);
    ck_assert_bytes_eq(out, written, want, n);

    /* CONNACK with return code 6 */
    memset(&p, 0, sizeof p);
    p.type = MQTT_CONNACK;
    p.u.connack.reason_code = 6;
    ck_assert_int_eq(mqtt_encode(&p, &eo, out, sizeof out, &written, &err), MQTT_OK);
    n = hex_to_bytes("20 02 00 06", want, sizeof want);
    ck_assert_bytes_eq(out, written, want, n);
}
END_TEST

/* Header-only encode + payload bytes == full encode, and the size arithmetic holds. */
START_TEST(publish_header_plus_payload)
{
    static uint8_t payload[300];
    for (size_t i = 0; i < sizeof payload; i++)
        payload[i] = (uint8_t)i;
    uint8_t pb[16];
    for (int v = 0; v < 3; v++) {
        mqtt_version ver = v == 0 ? MQTT_V31 : v == 1 ? MQTT_V311 : MQTT_V5;
        mqtt_packet p;
        memset(&p, 0, sizeof p);
        p.type = MQTT_PUBLISH;
        p.u.publish.qos = 1;
        p.u.publish.packet_id = 9;
        p.u.publish.topic = mqtt_cstr("a/b");
        if (ver == MQTT_V5)
            p.u.publish.props = props_view("23 00 02", pb, sizeof pb);
        p.u.publish.payload.data = payload;
        p.u.publish.payload.len = sizeof payload;
        mqtt_encode_opts eo = encode_opts(ver, MQTT_DIR_TO_SERVER, 0);
        uint8_t full[400], head[32];
        size_t full_len, head_len;
        mqtt_error err;
        ck_assert_int_eq(mqtt_encode(&p, &eo, full, sizeof full, &full_len, &err), MQTT_OK);
        ck_assert_int_eq(mqtt_encode_publish_header(&p.u.publish, &eo, head, sizeof head, &head_len, &err), MQTT_OK);
        ck_assert_uint_eq(head_len + sizeof payload, full_len);
        ck_assert_bytes_eq(head, head_len, full, head_len);
        ck_assert(memcmp(full + head_len, payload, sizeof payload) == 0);
        /* RL = 300 + 5 + 2 (+ 4 in 5.0) needs two bytes: 0x80 | low 7 bits, then the rest */
        uint32_t rl = 300 + 5 + 2 + (ver == MQTT_V5 ? 4 : 0);
        ck_assert_uint_eq(full[0], 0x32);
        ck_assert_uint_eq(full[1], 0x80 | (rl & 0x7f));
        ck_assert_uint_eq(full[2], rl >> 7);
        /* payload.data may be NULL: only the length counts */
        mqtt_publish nodata = p.u.publish;
        nodata.payload.data = NULL;
        uint8_t head2[32];
        size_t head2_len;
        ck_assert_int_eq(mqtt_encode_publish_header(&nodata, &eo, head2, sizeof head2, &head2_len, &err), MQTT_OK);
        ck_assert_bytes_eq(head2, head2_len, head, head_len);
        for (size_t cap = 0; cap < head_len; cap++)
            ck_assert_int_eq(mqtt_encode_publish_header(&p.u.publish, &eo, head2, cap, &head2_len, &err),
                             MQTT_ERR_BUFFER_TOO_SMALL);
        /* checked like the full encoder */
        nodata.qos = 3;
        ck_assert_int_eq(mqtt_encode_publish_header(&nodata, &eo, head2, sizeof head2, &head2_len, &err),
                         MQTT_ERR_PUBLISH_QOS_3);
    }
}
END_TEST

/* Remaining Length boundaries: 127/128 and 16383/16384 switch the number of length bytes. */
START_TEST(remaining_length_boundaries)
{
    static const struct {
        uint32_t rl;
        const char *header;
    } rows[] = {
        {127, "30 7f"}, {128, "30 80 01"}, {16383, "30 ff 7f"}, {16384, "30 80 80 01"}, {2097152, "30 80 80 80 01"},
    };
    static uint8_t payload[2097152], out[2097152 + 8];
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        mqtt_packet p;
        memset(&p, 0, sizeof p);
        p.type = MQTT_PUBLISH;
        p.u.publish.topic = mqtt_cstr("t"); /* 3 bytes */
        p.u.publish.payload.data = payload;
        p.u.publish.payload.len = rows[i].rl - 3;
        mqtt_encode_opts eo = encode_opts(MQTT_V311, MQTT_DIR_UNKNOWN, 0);
        uint32_t size;
        ck_assert_int_eq(mqtt_encoded_size(&p, &eo, &size), MQTT_OK);
        uint8_t hdr[8];
        size_t hl = hex_to_bytes(rows[i].header, hdr, sizeof hdr);
        ck_assert_uint_eq(size, hl + rows[i].rl);
        size_t written;
        mqtt_error err;
        ck_assert_int_eq(mqtt_encode(&p, &eo, out, sizeof out, &written, &err), MQTT_OK);
        ck_assert_uint_eq(written, size);
        ck_assert_bytes_eq(out, hl, hdr, hl);
    }
}
END_TEST

START_TEST(field_too_long)
{
    static uint8_t big[65536];
    memset(big, 'a', sizeof big);
    mqtt_packet p;
    memset(&p, 0, sizeof p);
    p.type = MQTT_PUBLISH;
    p.u.publish.topic.data = big;
    p.u.publish.topic.len = sizeof big; /* one more than a two-byte length holds */
    static uint8_t out[70000];
    size_t written;
    mqtt_error err;
    mqtt_encode_opts eo = encode_opts(MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ENCODE_UNCHECKED);
    ck_assert_int_eq(mqtt_encode(&p, &eo, out, sizeof out, &written, &err), MQTT_ERR_VALUE_OUT_OF_RANGE);
    uint32_t size;
    ck_assert_int_eq(mqtt_encoded_size(&p, &eo, &size), MQTT_ERR_VALUE_OUT_OF_RANGE);
    p.u.publish.topic.len = 65535;
    ck_assert_int_eq(mqtt_encode(&p, &eo, out, sizeof out, &written, &err), MQTT_OK);
    ck_assert_uint_eq(written, 1 + 3 + 2 + 65535); /* RL 65537 needs 3 bytes: 81 80 04 */
    ck_assert_uint_eq(out[1], 0x81);
    ck_assert_uint_eq(out[2], 0x80);
    ck_assert_uint_eq(out[3], 0x04);
}
END_TEST

/* NULL opts means 5.0, checked. */
START_TEST(null_opts_is_v5_checked)
{
    mqtt_packet p;
    memset(&p, 0, sizeof p);
    p.type = MQTT_PUBLISH;
    p.u.publish.topic = mqtt_cstr("a/b");
    p.u.publish.payload = mqtt_cstr("x");
    uint8_t out[32], want[32];
    size_t written;
    mqtt_error err;
    ck_assert_int_eq(mqtt_encode(&p, NULL, out, sizeof out, &written, NULL), MQTT_OK);
    size_t n = hex_to_bytes("30 07 00 03 61 2f 62 00 78", want, sizeof want); /* with Property Length 0 */
    ck_assert_bytes_eq(out, written, want, n);
    p.u.publish.qos = 3;
    ck_assert_int_eq(mqtt_encode(&p, NULL, out, sizeof out, &written, &err), MQTT_ERR_PUBLISH_QOS_3);
    mqtt_packet d;
    mqtt_frame fr;
    ck_assert_int_eq(mqtt_decode(want, n, NULL, &d, &fr), MQTT_COMPLETE);
    ck_assert_view_str(d.u.publish.payload, "x");
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("encode");
    TCase *tc = tcase_create("encode");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, checked_refuses_like_decoder, 0, (int)ARRAY_LEN(refuse_cases));
    tcase_add_test(tc, unchecked_writes_as_given);
    tcase_add_test(tc, publish_header_plus_payload);
    tcase_add_test(tc, remaining_length_boundaries);
    tcase_add_test(tc, field_too_long);
    tcase_add_test(tc, null_opts_is_v5_checked);
    suite_add_tcase(s, tc);
    return s;
}
