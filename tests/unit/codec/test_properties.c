/* MQTT 5.0 properties: the property matrix of Table 2-4, validation of lists (with the offset
 * of the list added), the iterator / find / count over many User Properties, and the builder. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define P(t) (1u << (t))
#define WILL P(MQTT_PROPS_IN_WILL)
#define ACKS (P(MQTT_PUBACK) | P(MQTT_PUBREC) | P(MQTT_PUBREL) | P(MQTT_PUBCOMP))

/* Table 2-4 of the 5.0 standard: type and the places each property may stand. */
static const struct {
    unsigned id;
    mqtt_prop_type type;
    uint32_t places;
} matrix[] = {
    {0x01, MQTT_PTYPE_BYTE, P(MQTT_PUBLISH) | WILL},
    {0x02, MQTT_PTYPE_U32, P(MQTT_PUBLISH) | WILL},
    {0x03, MQTT_PTYPE_STRING, P(MQTT_PUBLISH) | WILL},
    {0x08, MQTT_PTYPE_STRING, P(MQTT_PUBLISH) | WILL},
    {0x09, MQTT_PTYPE_BINARY, P(MQTT_PUBLISH) | WILL},
    {0x0B, MQTT_PTYPE_VARINT, P(MQTT_PUBLISH) | P(MQTT_SUBSCRIBE)},
    {0x11, MQTT_PTYPE_U32, P(MQTT_CONNECT) | P(MQTT_CONNACK) | P(MQTT_DISCONNECT)},
    {0x12, MQTT_PTYPE_STRING, P(MQTT_CONNACK)},
    {0x13, MQTT_PTYPE_U16, P(MQTT_CONNACK)},
    {0x15, MQTT_PTYPE_STRING, P(MQTT_CONNECT) | P(MQTT_CONNACK) | P(MQTT_AUTH)},
    {0x16, MQTT_PTYPE_BINARY, P(MQTT_CONNECT) | P(MQTT_CONNACK) | P(MQTT_AUTH)},
    {0x17, MQTT_PTYPE_BYTE, P(MQTT_CONNECT)},
    {0x18, MQTT_PTYPE_U32, WILL},
    {0x19, MQTT_PTYPE_BYTE, P(MQTT_CONNECT)},
    {0x1A, MQTT_PTYPE_STRING, P(MQTT_CONNACK)},
    {0x1C, MQTT_PTYPE_STRING, P(MQTT_CONNACK) | P(MQTT_DISCONNECT)},
    {0x1F, MQTT_PTYPE_STRING,
     P(MQTT_CONNACK) | ACKS | P(MQTT_SUBACK) | P(MQTT_UNSUBACK) | P(MQTT_DISCONNECT) | P(MQTT_AUTH)},
    {0x21, MQTT_PTYPE_U16, P(MQTT_CONNECT) | P(MQTT_CONNACK)},
    {0x22, MQTT_PTYPE_U16, P(MQTT_CONNECT) | P(MQTT_CONNACK)},
    {0x23, MQTT_PTYPE_U16, P(MQTT_PUBLISH)},
    {0x24, MQTT_PTYPE_BYTE, P(MQTT_CONNACK)},
    {0x25, MQTT_PTYPE_BYTE, P(MQTT_CONNACK)},
    {0x26, MQTT_PTYPE_STRING_PAIR,
     P(MQTT_CONNECT) | P(MQTT_CONNACK) | P(MQTT_PUBLISH) | WILL | ACKS | P(MQTT_SUBSCRIBE) | P(MQTT_SUBACK) |
         P(MQTT_UNSUBSCRIBE) | P(MQTT_UNSUBACK) | P(MQTT_DISCONNECT) | P(MQTT_AUTH)},
    {0x27, MQTT_PTYPE_U32, P(MQTT_CONNECT) | P(MQTT_CONNACK)},
    {0x28, MQTT_PTYPE_BYTE, P(MQTT_CONNACK)},
    {0x29, MQTT_PTYPE_BYTE, P(MQTT_CONNACK)},
    {0x2A, MQTT_PTYPE_BYTE, P(MQTT_CONNACK)},
};

START_TEST(property_matrix)
{
    unsigned known = 0;
    for (unsigned id = 0; id < 256; id++) {
        int row = -1;
        for (size_t i = 0; i < ARRAY_LEN(matrix); i++)
            if (matrix[i].id == id)
                row = (int)i;
        if (row < 0) {
            ck_assert_msg(mqtt_prop_type_of(id) == MQTT_PTYPE_NONE, "id 0x%02x should be unknown", id);
            ck_assert_ptr_null(mqtt_prop_name(id));
            for (unsigned place = 1; place <= MQTT_PROPS_IN_WILL; place++)
                ck_assert(!mqtt_prop_allowed_in(id, place));
            continue;
        }
        known++;
        ck_assert_msg(mqtt_prop_type_of(id) == matrix[row].type, "type of 0x%02x", id);
        const char *name = mqtt_prop_name(id);
        ck_assert_ptr_nonnull(name);
        ck_assert_uint_eq(mqtt_prop_by_name(name), id);
        for (unsigned place = 1; place <= MQTT_PROPS_IN_WILL; place++) {
            bool want = (matrix[row].places >> place) & 1;
            ck_assert_msg(mqtt_prop_allowed_in(id, place) == want, "0x%02x in place %u: expected %d", id, place,
                          want);
            bool repeat = want && (id == MQTT_PROP_USER_PROPERTY ||
                                   (id == MQTT_PROP_SUBSCRIPTION_IDENTIFIER && place == MQTT_PUBLISH));
            ck_assert_msg(mqtt_prop_may_repeat(id, place) == repeat, "repeat 0x%02x in %u", id, place);
        }
    }
    ck_assert_uint_eq(known, 27);
    ck_assert_str_eq(mqtt_prop_name(MQTT_PROP_SESSION_EXPIRY_INTERVAL), "session_expiry_interval");
    ck_assert_uint_eq(mqtt_prop_by_name("no_such_property"), 0);
    ck_assert_uint_eq(mqtt_prop_by_name(""), 0);
}
END_TEST

typedef struct props_case {
    const char *name;
    const char *hex;
    unsigned place;
    mqtt_direction dir;
    mqtt_err code; /* MQTT_OK: must validate */
    const char *statement;
    const char *offset; /* with base offset 100 */
} props_case;

#define OKC(n, h, pl) {n, h, pl, MQTT_DIR_UNKNOWN, MQTT_OK, STMT_ANY, OFF_ANY}

static const props_case props_cases[] = {
    OKC("empty", "", MQTT_CONNECT),
    OKC("will delay in will", "18 00 00 00 05", MQTT_PROPS_IN_WILL),
    OKC("user property repeated", "26 00 01 61 00 01 62 26 00 01 61 00 01 62", MQTT_CONNECT),
    OKC("subscription id repeated in PUBLISH", "0b 01 0b 02", MQTT_PUBLISH),
    OKC("payload format 0 and 1", "01 00", MQTT_PUBLISH),
    OKC("maximum qos 0", "24 00", MQTT_CONNACK),
    OKC("maximum qos 1", "24 01", MQTT_CONNACK),
    OKC("receive maximum 1", "21 00 01", MQTT_CONNECT),
    OKC("auth method and data", "15 00 01 78 16 00 00", MQTT_CONNECT),
    OKC("auth method alone", "15 00 01 78", MQTT_CONNACK),
    OKC("response topic a/b", "08 00 03 61 2f 62", MQTT_PUBLISH),
    OKC("correlation data with zero bytes", "09 00 03 00 c0 80", MQTT_PUBLISH),
    OKC("server reference in DISCONNECT", "1c 00 01 73", MQTT_DISCONNECT),
    {"subscription id in server PUBLISH", "0b 01", MQTT_PUBLISH, MQTT_DIR_TO_CLIENT, MQTT_OK, STMT_ANY, OFF_ANY},
    {"session expiry in client DISCONNECT", "11 00 00 00 01", MQTT_DISCONNECT, MQTT_DIR_TO_SERVER, MQTT_OK, STMT_ANY,
     OFF_ANY},

    {"unknown id 0x00", "00 01", MQTT_PUBLISH, MQTT_DIR_UNKNOWN, MQTT_ERR_PROPERTY_UNKNOWN, STMT_NONE, "100"},
    {"unknown id 0x04", "04 01", MQTT_PUBLISH, MQTT_DIR_UNKNOWN, MQTT_ERR_PROPERTY_UNKNOWN, STMT_NONE, "100"},
    {"unknown id 0x2b after a good one", "01 01 2b 00", MQTT_PUBLISH, MQTT_DIR_UNKNOWN, MQTT_ERR_PROPERTY_UNKNOWN,
     STMT_NONE, "102"},
    {"will delay in CONNECT", "18 00 00 00 05", MQTT_CONNECT, MQTT_DIR_UNKNOWN, MQTT_ERR_PROPERTY_NOT_ALLOWED,
     STMT_NONE, "100"},
    {"session expiry in will", "11 00 00 00 05", MQTT_PROPS_IN_WILL, MQTT_DIR_UNKNOWN, MQTT_ERR_PROPERTY_NOT_ALLOWED,
     STMT_NONE, "100"},
    {"topic alias in CONNACK", "23 00 01", MQTT_CONNACK, MQTT_DIR_UNKNOWN, MQTT_ERR_PROPERTY_NOT_ALLOWED, STMT_NONE,
     "100"},
    {"reason string in PUBLISH", "1f 00 00", MQTT_PUBLISH, MQTT_DIR_UNKNOWN, MQTT_ERR_PROPERTY_NOT_ALLOWED, STMT_NONE,
     "100"},
    {"session expiry twice", "11 00 00 00 01 11 00 00 00 02", MQTT_CONNECT, MQTT_DIR_UNKNOWN,
     MQTT_ERR_PROPERTY_DUPLICATE, STMT_NONE, "105"},
    {"content type twice", "03 00 01 61 03 00 01 62", MQTT_PUBLISH, MQTT_DIR_UNKNOWN, MQTT_ERR_PROPERTY_DUPLICATE,
     STMT_NONE, "104"},
    {"subscription id twice in SUBSCRIBE", "0b 01 0b 02", MQTT_SUBSCRIBE, MQTT_DIR_UNKNOWN,
     MQTT_ERR_PROPERTY_DUPLICATE, STMT_NONE, "102"},
    {"payload format 2", "01 02", MQTT_PUBLISH, MQTT_DIR_UNKNOWN, MQTT_ERR_PROPERTY_BAD_VALUE, STMT_NONE, "100|101"},
    {"request problem info 2", "17 02", MQTT_CONNECT, MQTT_DIR_UNKNOWN, MQTT_ERR_PROPERTY_BAD_VALUE, STMT_NONE,
     "100|101"},
    {"request response info 2", "19 02", MQTT_CONNECT, MQTT_DIR_UNKNOWN, MQTT_ERR_PROPERTY_BAD_VALUE, STMT_NONE,
     "100|101"},
    {"retain available 2", "25 02", MQTT_CONNACK, MQTT_DIR_UNKNOWN, MQTT_ERR_PROPERTY_BAD_VALUE, STMT_NONE, "100|101"},
    {"wildcard sub available 2", "28 02", MQTT_CONNACK, MQTT_DIR_UNKNOWN, MQTT_ERR_PROPERTY_BAD_VALUE, STMT_NONE,
     "100|101"},
    {"sub id available 0xff", "29 ff", MQTT_CONNACK, MQTT_DIR_UNKNOWN, MQTT_ERR_PROPERTY_BAD_VALUE, STMT_NONE,
     "100|101"},
    {"shared sub available 2", "2a 02", MQTT_CONNACK, MQTT_DIR_UNKNOWN, MQTT_ERR_PROPERTY_BAD_VALUE, STMT_NONE,
     "100|101"},
    {"maximum qos 2", "24 02", MQTT_CONNACK, MQTT_DIR_UNKNOWN, MQTT_ERR_PROPERTY_BAD_VALUE, STMT_NONE, "100|101"},
    {"receive maximum 0", "21 00 00", MQTT_CONNECT, MQTT_DIR_UNKNOWN, MQTT_ERR_PROPERTY_ZERO, STMT_NONE, "100|101"},
    {"receive maximum 0 in CONNACK", "21 00 00", MQTT_CONNACK, MQTT_DIR_UNKNOWN, MQTT_ERR_PROPERTY_ZERO, STMT_NONE,
     "100|101"},
    {"maximum packet size 0", "27 00 00 00 00", MQTT_CONNECT, MQTT_DIR_UNKNOWN, MQTT_ERR_PROPERTY_ZERO, STMT_NONE,
     "100|101"},
    {"topic alias 0", "23 00 00", MQTT_PUBLISH, MQTT_DIR_UNKNOWN, MQTT_ERR_PROPERTY_ZERO, "MQTT-3.3.2-8", "100|101"},
    {"subscription id 0", "0b 00", MQTT_PUBLISH, MQTT_DIR_TO_CLIENT, MQTT_ERR_PROPERTY_ZERO, STMT_NONE, "100|101"},
    {"subscription id not minimal", "0b 80 00", MQTT_SUBSCRIBE, MQTT_DIR_UNKNOWN, MQTT_ERR_VARINT_NOT_MINIMAL,
     "MQTT-1.5.5-1", "101|102"},
    {"response topic a/#", "08 00 03 61 2f 23", MQTT_PUBLISH, MQTT_DIR_UNKNOWN, MQTT_ERR_RESPONSE_TOPIC_WILDCARD,
     "MQTT-3.3.2-14", "100|101|103|105"},
    {"response topic + in will", "08 00 01 2b", MQTT_PROPS_IN_WILL, MQTT_DIR_UNKNOWN, MQTT_ERR_RESPONSE_TOPIC_WILDCARD,
     "MQTT-3.3.2-14", "100|101|103"},
    {"auth data without method", "16 00 01 78", MQTT_CONNECT, MQTT_DIR_UNKNOWN, MQTT_ERR_AUTH_DATA_WITHOUT_METHOD,
     STMT_NONE, "100"},
    {"auth data without method in CONNACK", "1f 00 00 16 00 00", MQTT_CONNACK, MQTT_DIR_UNKNOWN,
     MQTT_ERR_AUTH_DATA_WITHOUT_METHOD, STMT_NONE, "103"},
    {"subscription id from client", "0b 01", MQTT_PUBLISH, MQTT_DIR_TO_SERVER, MQTT_ERR_SUBSCRIPTION_ID_FROM_CLIENT,
     "MQTT-3.3.4-6", "100"},
    {"session expiry from server", "11 00 00 00 01", MQTT_DISCONNECT, MQTT_DIR_TO_CLIENT,
     MQTT_ERR_SESSION_EXPIRY_FROM_SERVER, "MQTT-3.14.2-2", "100"},
    /* lengths inside the list */
    {"string overruns list", "1f 00 05 61", MQTT_PUBACK, MQTT_DIR_UNKNOWN, MQTT_ERR_FIELD_OVERRUNS_PACKET, STMT_ANY,
     "100|101"},
    {"u32 cut short", "11 00 00", MQTT_CONNECT, MQTT_DIR_UNKNOWN, MQTT_ERR_FIELD_OVERRUNS_PACKET, STMT_ANY, "100|101"},
    {"byte value missing", "01", MQTT_PUBLISH, MQTT_DIR_UNKNOWN, MQTT_ERR_FIELD_OVERRUNS_PACKET, STMT_ANY, "100|101"},
    {"pair value cut short", "26 00 01 61 00 03 62", MQTT_CONNECT, MQTT_DIR_UNKNOWN, MQTT_ERR_FIELD_OVERRUNS_PACKET,
     STMT_ANY, "100|104"},
    {"varint cut short", "0b 80", MQTT_SUBSCRIBE, MQTT_DIR_UNKNOWN, MQTT_ERR_FIELD_OVERRUNS_PACKET, STMT_ANY,
     "100|101|102"},
    /* strings inside properties */
    {"user property value C0 80", "26 00 01 61 00 02 c0 80", MQTT_CONNECT, MQTT_DIR_UNKNOWN, MQTT_ERR_UTF8_INVALID,
     "MQTT-1.5.4-1|MQTT-1.5.7-1", "100|104|106"},
    {"content type U+0000", "03 00 02 61 00", MQTT_PUBLISH, MQTT_DIR_UNKNOWN, MQTT_ERR_UTF8_NULL,
     "MQTT-1.5.4-2|MQTT-3.3.2-19", "100|101|104"},
    {"reason string surrogate", "1f 00 03 ed b0 80", MQTT_DISCONNECT, MQTT_DIR_UNKNOWN, MQTT_ERR_UTF8_INVALID,
     "MQTT-1.5.4-1", "100|101|103"},
};

START_TEST(props_validate_table)
{
    const props_case *c = &props_cases[_i];
    uint8_t buf[64];
    mqtt_props props = props_view(c->hex, buf, sizeof buf);
    mqtt_error err = {MQTT_OK, 0, NULL};
    mqtt_err e = mqtt_props_validate(props, c->place, c->dir, 100, &err);
    if (c->code == MQTT_OK) {
        ck_assert_msg(e == MQTT_OK, "%s: %s at %u", c->name, mqtt_err_name(e), (unsigned)err.offset);
        return;
    }
    ck_assert_msg(e == c->code, "%s: %s, expected %s", c->name, mqtt_err_name(e), mqtt_err_name(c->code));
    check_mqtt_error(&err, c->code, c->statement, c->offset, c->name, 0);
}
END_TEST

/* The same list in a real packet: the error offset is the packet offset. */
START_TEST(props_offset_in_packet)
{
    uint8_t b[32];
    /* 5.0 PUBACK id 7, reason 0x10, Property Length 6: Reason String "" then an unknown id 0x05 */
    size_t n = hex_to_bytes("40 0a 00 07 10 06 1f 00 00 05 00 00", b, sizeof b);
    mqtt_decode_opts o = decode_opts(MQTT_V5, MQTT_DIR_UNKNOWN);
    mqtt_packet p;
    mqtt_frame fr;
    ck_assert_int_eq(mqtt_decode(b, n, &o, &p, &fr), MQTT_MALFORMED);
    ck_assert_mqtt_error(&fr.error, MQTT_ERR_PROPERTY_UNKNOWN, STMT_NONE, "9");
}
END_TEST

/* 1000 User Properties, no fixed pool: build, validate, count, iterate, find. */
START_TEST(thousand_user_properties)
{
    enum { N = 1000 };
    static uint8_t buf[N * 16];
    mqtt_props_builder b;
    mqtt_props_builder_init(&b, buf, sizeof buf);
    char name[8], value[8];
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "k%d", i);
        snprintf(value, sizeof value, "v%d", i);
        mqtt_props_add_pair(&b, MQTT_PROP_USER_PROPERTY, mqtt_cstr(name), mqtt_cstr(value));
    }
    mqtt_props props;
    ck_assert_int_eq(mqtt_props_finish(&b, &props), MQTT_OK);
    mqtt_error err;
    ck_assert_int_eq(mqtt_props_validate(props, MQTT_PUBLISH, MQTT_DIR_TO_SERVER, 0, &err), MQTT_OK);
    ck_assert_uint_eq(mqtt_props_count(props), N);
    mqtt_prop_iter it;
    mqtt_property prop;
    mqtt_prop_iter_init(&it, props);
    uint32_t expect_offset = 0;
    for (int i = 0; i < N; i++) {
        ck_assert(mqtt_prop_next(&it, &prop));
        snprintf(name, sizeof name, "k%d", i);
        snprintf(value, sizeof value, "v%d", i);
        ck_assert_view_str(prop.data, name);
        ck_assert_view_str(prop.data2, value);
        ck_assert_uint_eq(prop.offset, expect_offset);
        expect_offset += 1 + 2 + (uint32_t)strlen(name) + 2 + (uint32_t)strlen(value);
    }
    ck_assert(!mqtt_prop_next(&it, &prop));
    ck_assert_uint_eq(props.len, expect_offset);
    ck_assert(mqtt_props_find(props, MQTT_PROP_USER_PROPERTY, &prop));
    ck_assert_view_str(prop.data, "k0");

    /* the same list in a PUBLISH: Property Length 2-byte varint, decoded and walked */
    static uint8_t pkt[N * 16 + 32];
    mqtt_packet p;
    memset(&p, 0, sizeof p);
    p.type = MQTT_PUBLISH;
    p.u.publish.topic = mqtt_cstr("t");
    p.u.publish.props = props;
    mqtt_encode_opts eo = encode_opts(MQTT_V5, MQTT_DIR_TO_SERVER, 0);
    size_t written;
    ck_assert_int_eq(mqtt_encode(&p, &eo, pkt, sizeof pkt, &written, &err), MQTT_OK);
    mqtt_decode_opts o = decode_opts(MQTT_V5, MQTT_DIR_TO_SERVER);
    mqtt_packet d;
    mqtt_frame fr;
    ck_assert_int_eq(mqtt_decode(pkt, written, &o, &d, &fr), MQTT_COMPLETE);
    ck_assert_uint_eq(mqtt_props_count(d.u.publish.props), N);
}
END_TEST

START_TEST(builder_golden)
{
    uint8_t buf[64];
    uint8_t cafe[2] = {0xca, 0xfe};
    mqtt_bytes corr = {cafe, 2};
    mqtt_props_builder b;
    mqtt_props_builder_init(&b, buf, sizeof buf);
    mqtt_props_add_int(&b, MQTT_PROP_SESSION_EXPIRY_INTERVAL, 3600);  /* 11 00 00 0e 10 */
    mqtt_props_add_int(&b, MQTT_PROP_RECEIVE_MAXIMUM, 20);            /* 21 00 14 */
    mqtt_props_add_pair(&b, MQTT_PROP_USER_PROPERTY, mqtt_cstr("k"), mqtt_cstr("v")); /* 26 00 01 6b 00 01 76 */
    mqtt_props_add_int(&b, MQTT_PROP_SUBSCRIPTION_IDENTIFIER, 128);   /* 0b 80 01 */
    mqtt_props_add_bytes(&b, MQTT_PROP_CORRELATION_DATA, corr);       /* 09 00 02 ca fe */
    mqtt_props_add_int(&b, MQTT_PROP_PAYLOAD_FORMAT_INDICATOR, 1);    /* 01 01 */
    mqtt_props_add_bytes(&b, MQTT_PROP_CONTENT_TYPE, mqtt_cstr("t")); /* 03 00 01 74 */
    mqtt_props props;
    ck_assert_int_eq(mqtt_props_finish(&b, &props), MQTT_OK);
    ck_assert_view_hex(props_bytes(props),
                       "11 00 00 0e 10 21 00 14 26 00 01 6b 00 01 76 0b 80 01 09 00 02 ca fe 01 01 03 00 01 74");
}
END_TEST

START_TEST(builder_errors_stick)
{
    uint8_t buf[64];
    mqtt_props_builder b;
    mqtt_props props;
    /* capacity: 5 bytes needed, 4 given */
    mqtt_props_builder_init(&b, buf, 4);
    mqtt_props_add_int(&b, MQTT_PROP_SESSION_EXPIRY_INTERVAL, 1);
    ck_assert_int_eq(mqtt_props_finish(&b, &props), MQTT_ERR_BUFFER_TOO_SMALL);
    /* the error sticks: a later add that would fit changes nothing */
    mqtt_props_add_int(&b, MQTT_PROP_PAYLOAD_FORMAT_INDICATOR, 1);
    ck_assert_int_eq(mqtt_props_finish(&b, &props), MQTT_ERR_BUFFER_TOO_SMALL);

    /* wrong kind of value for the id */
    mqtt_props_builder_init(&b, buf, sizeof buf);
    mqtt_props_add_int(&b, MQTT_PROP_CONTENT_TYPE, 1);
    mqtt_err first = mqtt_props_finish(&b, &props);
    ck_assert_int_ne(first, MQTT_OK);
    mqtt_props_add_int(&b, MQTT_PROP_RECEIVE_MAXIMUM, 1);
    ck_assert_int_eq(mqtt_props_finish(&b, &props), first);

    mqtt_props_builder_init(&b, buf, sizeof buf);
    mqtt_props_add_bytes(&b, MQTT_PROP_RECEIVE_MAXIMUM, mqtt_cstr("x"));
    ck_assert_int_ne(mqtt_props_finish(&b, &props), MQTT_OK);

    mqtt_props_builder_init(&b, buf, sizeof buf);
    mqtt_props_add_pair(&b, MQTT_PROP_CONTENT_TYPE, mqtt_cstr("a"), mqtt_cstr("b"));
    ck_assert_int_ne(mqtt_props_finish(&b, &props), MQTT_OK);

    mqtt_props_builder_init(&b, buf, sizeof buf); /* unknown id */
    mqtt_props_add_int(&b, 0x05, 1);
    ck_assert_int_ne(mqtt_props_finish(&b, &props), MQTT_OK);

    mqtt_props_builder_init(&b, buf, sizeof buf); /* a byte property cannot hold 256 */
    mqtt_props_add_int(&b, MQTT_PROP_PAYLOAD_FORMAT_INDICATOR, 256);
    ck_assert_int_ne(mqtt_props_finish(&b, &props), MQTT_OK);

    mqtt_props_builder_init(&b, buf, sizeof buf); /* a two-byte property cannot hold 65536 */
    mqtt_props_add_int(&b, MQTT_PROP_TOPIC_ALIAS, 65536);
    ck_assert_int_ne(mqtt_props_finish(&b, &props), MQTT_OK);

    mqtt_props_builder_init(&b, buf, sizeof buf); /* over the largest variable byte integer */
    mqtt_props_add_int(&b, MQTT_PROP_SUBSCRIPTION_IDENTIFIER, 268435456u);
    ck_assert_int_ne(mqtt_props_finish(&b, &props), MQTT_OK);

    /* exactly enough room works */
    mqtt_props_builder_init(&b, buf, 5);
    mqtt_props_add_int(&b, MQTT_PROP_SESSION_EXPIRY_INTERVAL, 1);
    ck_assert_int_eq(mqtt_props_finish(&b, &props), MQTT_OK);
    ck_assert_view_hex(props_bytes(props), "11 00 00 00 01");
}
END_TEST

START_TEST(iterator_on_empty_and_find_absent)
{
    mqtt_props none = {NULL, 0};
    mqtt_prop_iter it;
    mqtt_property prop;
    mqtt_prop_iter_init(&it, none);
    ck_assert(!mqtt_prop_next(&it, &prop));
    ck_assert(!mqtt_props_find(none, MQTT_PROP_USER_PROPERTY, &prop));
    ck_assert_uint_eq(mqtt_props_count(none), 0);
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("properties");
    TCase *tc = tcase_create("properties");
    tcase_add_test(tc, property_matrix);
    tcase_add_loop_test(tc, props_validate_table, 0, (int)ARRAY_LEN(props_cases));
    tcase_add_test(tc, props_offset_in_packet);
    tcase_add_test(tc, thousand_user_properties);
    tcase_add_test(tc, builder_golden);
    tcase_add_test(tc, builder_errors_stick);
    tcase_add_test(tc, iterator_on_empty_and_find_absent);
    suite_add_tcase(s, tc);
    return s;
}
