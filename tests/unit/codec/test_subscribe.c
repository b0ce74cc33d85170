/* SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK: golden bytes, payload iterators and writers, filter
 * and option rules, shared subscriptions, reason code sets per version. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define SUBSCRIBE_V311                                                                                             \
    "82 0e"          /* SUBSCRIBE, flags 0010; Remaining Length 14 */                                               \
    "00 0a"          /* Packet Identifier 10 */                                                                     \
    "00 03 61 2f 62" /* filter "a/b" */                                                                             \
    "01"             /*   requested QoS 1 */                                                                        \
    "00 03 63 2f 23" /* filter "c/#" */                                                                             \
    "02"             /*   requested QoS 2 */

#define SUBSCRIBE_V5                                                                                               \
    "82 18"          /* SUBSCRIBE; RL 24 = 2 + 1 + 2 + 6 + 13 */                                                    \
    "00 0a"          /* Packet Identifier 10 */                                                                     \
    "02"             /* Property Length 2 */                                                                        \
    "0b 05"          /*   Subscription Identifier 5 */                                                              \
    "00 03 61 2f 62" /* filter "a/b" */                                                                             \
    "2d"             /*   0010 1101: Retain Handling 2, Retain As Published, No Local, QoS 1 */                     \
    "00 0a 24 73 68 61 72 65 2f 67 2f 78" /* filter "$share/g/x" */                                                 \
    "10"             /*   0001 0000: Retain Handling 1, QoS 0 */

#define SUBACK_V311 "90 04 00 0a 01 80" /* SUBACK; RL 4; id 10; granted QoS 1; 0x80 failure */
#define SUBACK_V31 "90 04 00 0a 00 02"  /* SUBACK; RL 4; id 10; granted QoS 0 and 2 */
#define SUBACK_V5                                                                                                  \
    "90 0a"          /* SUBACK; RL 10 */                                                                            \
    "00 0a"          /* id 10 */                                                                                    \
    "05"             /* Property Length 5 */                                                                        \
    "1f 00 02 6f 6b" /*   Reason String "ok" */                                                                     \
    "01 a1"          /* Granted QoS 1; 0xA1 Subscription Identifiers not supported */

#define UNSUBSCRIBE_V311                                                                                           \
    "a2 0a"          /* UNSUBSCRIBE, flags 0010; RL 10 */                                                           \
    "00 0b"          /* id 11 */                                                                                    \
    "00 03 61 2f 62" /* "a/b" */                                                                                    \
    "00 01 63"       /* "c" */

#define UNSUBSCRIBE_V5                                                                                             \
    "a2 12"                /* UNSUBSCRIBE; RL 18 */                                                                 \
    "00 0b"                /* id 11 */                                                                              \
    "07"                   /* Property Length 7 */                                                                  \
    "26 00 01 6b 00 01 76" /*   User Property "k" = "v" */                                                          \
    "00 03 61 2f 62"       /* "a/b" */                                                                              \
    "00 01 63"             /* "c" */

#define UNSUBACK_V311 "b0 02 00 0b" /* UNSUBACK; RL 2; id 11; no payload before 5.0 */
#define UNSUBACK_V5                                                                                                \
    "b0 05"    /* UNSUBACK; RL 5 */                                                                                 \
    "00 0b"    /* id 11 */                                                                                          \
    "00"       /* Property Length 0 */                                                                              \
    "00 11"    /* Success; 0x11 No subscription existed */

static mqtt_packet packet_of(mqtt_packet_type t)
{
    mqtt_packet p;
    memset(&p, 0, sizeof p);
    p.type = t;
    return p;
}

START_TEST(subscribe_v311_and_v31)
{
    mqtt_subscription list[2];
    memset(list, 0, sizeof list);
    list[0].filter = mqtt_cstr("a/b");
    list[0].qos = 1;
    list[1].filter = mqtt_cstr("c/#");
    list[1].qos = 2;
    uint8_t payload[64];
    mqtt_packet p = packet_of(MQTT_SUBSCRIBE);
    p.u.subscribe.packet_id = 10;
    ck_assert_int_eq(mqtt_subscribe_payload_write(&p.u.subscribe, list, 2, payload, sizeof payload), MQTT_OK);
    ck_assert_uint_eq(p.u.subscribe.count, 2);
    ck_assert_view_hex(p.u.subscribe.payload, "00 03 61 2f 62 01 00 03 63 2f 23 02");
    ENCODE_EQ(&p, MQTT_V311, MQTT_DIR_TO_SERVER, SUBSCRIBE_V311);
    ENCODE_EQ(&p, MQTT_V31, MQTT_DIR_TO_SERVER, SUBSCRIBE_V311); /* 3.1 has the same layout */

    for (int v = 0; v < 2; v++) {
        mqtt_version ver = v ? MQTT_V31 : MQTT_V311;
        uint8_t buf[64];
        mqtt_packet d;
        DECODE_OK(SUBSCRIBE_V311, ver, MQTT_DIR_TO_SERVER, buf, &d);
        ck_assert_int_eq(d.type, MQTT_SUBSCRIBE);
        ck_assert_uint_eq(d.flags, 2);
        ck_assert_uint_eq(d.u.subscribe.packet_id, 10);
        ck_assert_uint_eq(d.u.subscribe.count, 2);
        ck_assert_uint_eq(d.u.subscribe.props.len, 0);
        ck_assert_view_hex(d.u.subscribe.payload, "00 03 61 2f 62 01 00 03 63 2f 23 02");
        mqtt_payload_iter it;
        mqtt_subscription s;
        mqtt_subscribe_iter_init(&it, &d.u.subscribe);
        ck_assert(mqtt_subscribe_next(&it, &s));
        ck_assert_view_str(s.filter, "a/b");
        ck_assert_uint_eq(s.qos, 1);
        ck_assert(!s.no_local && !s.retain_as_published);
        ck_assert_uint_eq(s.retain_handling, 0);
        ck_assert(mqtt_subscribe_next(&it, &s));
        ck_assert_view_str(s.filter, "c/#");
        ck_assert_uint_eq(s.qos, 2);
        ck_assert(!mqtt_subscribe_next(&it, &s));
        ROUNDTRIP(SUBSCRIBE_V311, ver, MQTT_DIR_TO_SERVER);
    }
}
END_TEST

START_TEST(subscribe_v5)
{
    mqtt_subscription list[2];
    memset(list, 0, sizeof list);
    list[0].filter = mqtt_cstr("a/b");
    list[0].qos = 1;
    list[0].no_local = list[0].retain_as_published = true;
    list[0].retain_handling = 2;
    list[1].filter = mqtt_cstr("$share/g/x");
    list[1].retain_handling = 1;
    uint8_t payload[64], pb[8];
    mqtt_packet p = packet_of(MQTT_SUBSCRIBE);
    p.u.subscribe.packet_id = 10;
    p.u.subscribe.props = props_view("0b 05", pb, sizeof pb);
    ck_assert_int_eq(mqtt_subscribe_payload_write(&p.u.subscribe, list, 2, payload, sizeof payload), MQTT_OK);
    ENCODE_EQ(&p, MQTT_V5, MQTT_DIR_TO_SERVER, SUBSCRIBE_V5);

    uint8_t buf[64];
    mqtt_packet d;
    DECODE_OK(SUBSCRIBE_V5, MQTT_V5, MQTT_DIR_TO_SERVER, buf, &d);
    ck_assert_uint_eq(d.u.subscribe.packet_id, 10);
    ck_assert_uint_eq(d.u.subscribe.count, 2);
    mqtt_property prop;
    ck_assert(mqtt_props_find(d.u.subscribe.props, MQTT_PROP_SUBSCRIPTION_IDENTIFIER, &prop));
    ck_assert_uint_eq(prop.value, 5);
    mqtt_payload_iter it;
    mqtt_subscription s;
    mqtt_subscribe_iter_init(&it, &d.u.subscribe);
    ck_assert(mqtt_subscribe_next(&it, &s));
    ck_assert_view_str(s.filter, "a/b");
    ck_assert_uint_eq(s.qos, 1);
    ck_assert(s.no_local && s.retain_as_published);
    ck_assert_uint_eq(s.retain_handling, 2);
    ck_assert(mqtt_subscribe_next(&it, &s));
    ck_assert_view_str(s.filter, "$share/g/x");
    ck_assert_uint_eq(s.qos, 0);
    ck_assert(!s.no_local && !s.retain_as_published);
    ck_assert_uint_eq(s.retain_handling, 1);
    ck_assert(!mqtt_subscribe_next(&it, &s));
    ROUNDTRIP(SUBSCRIBE_V5, MQTT_V5, MQTT_DIR_TO_SERVER);
}
END_TEST

START_TEST(suback_goldens)
{
    uint8_t codes[2] = {0x01, 0x80}, buf[64], pb[16];
    mqtt_packet p = packet_of(MQTT_SUBACK), d;
    p.u.suback.packet_id = 10;
    p.u.suback.reason_codes.data = codes;
    p.u.suback.reason_codes.len = 2;
    ENCODE_EQ(&p, MQTT_V311, MQTT_DIR_TO_CLIENT, SUBACK_V311);
    DECODE_OK(SUBACK_V311, MQTT_V311, MQTT_DIR_TO_CLIENT, buf, &d);
    ck_assert_uint_eq(d.u.suback.packet_id, 10);
    ck_assert_view_hex(d.u.suback.reason_codes, "01 80");
    ROUNDTRIP(SUBACK_V311, MQTT_V311, MQTT_DIR_TO_CLIENT);

    codes[0] = 0x00;
    codes[1] = 0x02;
    ENCODE_EQ(&p, MQTT_V31, MQTT_DIR_TO_CLIENT, SUBACK_V31);
    DECODE_OK(SUBACK_V31, MQTT_V31, MQTT_DIR_TO_CLIENT, buf, &d);
    ck_assert_view_hex(d.u.suback.reason_codes, "00 02");
    ROUNDTRIP(SUBACK_V31, MQTT_V31, MQTT_DIR_TO_CLIENT);

    codes[0] = 0x01;
    codes[1] = 0xa1;
    p.u.suback.props = props_view("1f 00 02 6f 6b", pb, sizeof pb);
    ENCODE_EQ(&p, MQTT_V5, MQTT_DIR_TO_CLIENT, SUBACK_V5);
    DECODE_OK(SUBACK_V5, MQTT_V5, MQTT_DIR_TO_CLIENT, buf, &d);
    ck_assert_view_hex(d.u.suback.reason_codes, "01 a1");
    ck_assert_view_hex(props_bytes(d.u.suback.props), "1f 00 02 6f 6b");
    ROUNDTRIP(SUBACK_V5, MQTT_V5, MQTT_DIR_TO_CLIENT);
}
END_TEST

START_TEST(unsubscribe_goldens)
{
    mqtt_bytes filters[2] = {mqtt_cstr("a/b"), mqtt_cstr("c")};
    uint8_t payload[32], buf[64], pb[16];
    mqtt_packet p = packet_of(MQTT_UNSUBSCRIBE), d;
    p.u.unsubscribe.packet_id = 11;
    ck_assert_int_eq(mqtt_unsubscribe_payload_write(&p.u.unsubscribe, filters, 2, payload, sizeof payload), MQTT_OK);
    ck_assert_uint_eq(p.u.unsubscribe.count, 2);
    ENCODE_EQ(&p, MQTT_V311, MQTT_DIR_TO_SERVER, UNSUBSCRIBE_V311);
    ENCODE_EQ(&p, MQTT_V31, MQTT_DIR_TO_SERVER, UNSUBSCRIBE_V311);
    DECODE_OK(UNSUBSCRIBE_V311, MQTT_V311, MQTT_DIR_TO_SERVER, buf, &d);
    ck_assert_int_eq(d.type, MQTT_UNSUBSCRIBE);
    ck_assert_uint_eq(d.u.unsubscribe.packet_id, 11);
    ck_assert_uint_eq(d.u.unsubscribe.count, 2);
    mqtt_payload_iter it;
    mqtt_bytes f;
    mqtt_unsubscribe_iter_init(&it, &d.u.unsubscribe);
    ck_assert(mqtt_unsubscribe_next(&it, &f));
    ck_assert_view_str(f, "a/b");
    ck_assert(mqtt_unsubscribe_next(&it, &f));
    ck_assert_view_str(f, "c");
    ck_assert(!mqtt_unsubscribe_next(&it, &f));
    ROUNDTRIP(UNSUBSCRIBE_V311, MQTT_V311, MQTT_DIR_TO_SERVER);
    ROUNDTRIP(UNSUBSCRIBE_V311, MQTT_V31, MQTT_DIR_TO_SERVER);

    p.u.unsubscribe.props = props_view("26 00 01 6b 00 01 76", pb, sizeof pb);
    ENCODE_EQ(&p, MQTT_V5, MQTT_DIR_TO_SERVER, UNSUBSCRIBE_V5);
    DECODE_OK(UNSUBSCRIBE_V5, MQTT_V5, MQTT_DIR_TO_SERVER, buf, &d);
    ck_assert_uint_eq(d.u.unsubscribe.count, 2);
    ck_assert_uint_eq(mqtt_props_count(d.u.unsubscribe.props), 1);
    mqtt_unsubscribe_iter_init(&it, &d.u.unsubscribe);
    ck_assert(mqtt_unsubscribe_next(&it, &f));
    ck_assert_view_str(f, "a/b");
    ROUNDTRIP(UNSUBSCRIBE_V5, MQTT_V5, MQTT_DIR_TO_SERVER);
}
END_TEST

START_TEST(unsuback_goldens)
{
    uint8_t codes[2] = {0x00, 0x11}, buf[32];
    mqtt_packet p = packet_of(MQTT_UNSUBACK), d;
    p.u.suback.packet_id = 11;
    ENCODE_EQ(&p, MQTT_V311, MQTT_DIR_TO_CLIENT, UNSUBACK_V311);
    ENCODE_EQ(&p, MQTT_V31, MQTT_DIR_TO_CLIENT, UNSUBACK_V311);
    DECODE_OK(UNSUBACK_V311, MQTT_V311, MQTT_DIR_TO_CLIENT, buf, &d);
    ck_assert_int_eq(d.type, MQTT_UNSUBACK);
    ck_assert_uint_eq(d.u.suback.packet_id, 11);
    ck_assert_uint_eq(d.u.suback.reason_codes.len, 0);
    ROUNDTRIP(UNSUBACK_V311, MQTT_V311, MQTT_DIR_TO_CLIENT);

    p.u.suback.reason_codes.data = codes;
    p.u.suback.reason_codes.len = 2;
    ENCODE_EQ(&p, MQTT_V5, MQTT_DIR_TO_CLIENT, UNSUBACK_V5);
    DECODE_OK(UNSUBACK_V5, MQTT_V5, MQTT_DIR_TO_CLIENT, buf, &d);
    ck_assert_view_hex(d.u.suback.reason_codes, "00 11");
    ROUNDTRIP(UNSUBACK_V5, MQTT_V5, MQTT_DIR_TO_CLIENT);
}
END_TEST

/* A SUBSCRIBE of 300 filters built by the writer, encoded, decoded and walked back. */
START_TEST(subscribe_many_filters)
{
    enum { N = 300 };
    static char names[N][8];
    static mqtt_subscription list[N];
    static uint8_t payload[N * 12], out[N * 12 + 16];
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "t/%d", i);
        memset(&list[i], 0, sizeof list[i]);
        list[i].filter = mqtt_cstr(names[i]);
        list[i].qos = (uint8_t)(i % 3);
    }
    mqtt_packet p = packet_of(MQTT_SUBSCRIBE);
    p.u.subscribe.packet_id = 1;
    ck_assert_int_eq(mqtt_subscribe_payload_write(&p.u.subscribe, list, N, payload, sizeof payload), MQTT_OK);
    ck_assert_uint_eq(p.u.subscribe.count, N);
    mqtt_encode_opts eo = encode_opts(MQTT_V311, MQTT_DIR_TO_SERVER, 0);
    size_t written;
    mqtt_error err;
    ck_assert_int_eq(mqtt_encode(&p, &eo, out, sizeof out, &written, &err), MQTT_OK);
    mqtt_decode_opts o = decode_opts(MQTT_V311, MQTT_DIR_TO_SERVER);
    mqtt_packet d;
    mqtt_frame fr;
    ck_assert_int_eq(mqtt_decode(out, written, &o, &d, &fr), MQTT_COMPLETE);
    ck_assert_uint_eq(d.u.subscribe.count, N);
    mqtt_payload_iter it;
    mqtt_subscription s;
    mqtt_subscribe_iter_init(&it, &d.u.subscribe);
    for (int i = 0; i < N; i++) {
        ck_assert(mqtt_subscribe_next(&it, &s));
        ck_assert_view_str(s.filter, names[i]);
        ck_assert_uint_eq(s.qos, (unsigned)(i % 3));
    }
    ck_assert(!mqtt_subscribe_next(&it, &s));
}
END_TEST

START_TEST(payload_writer_limits)
{
    mqtt_subscription one;
    memset(&one, 0, sizeof one);
    one.filter = mqtt_cstr("a/b"); /* 2 + 3 + 1 options byte = 6 bytes */
    mqtt_subscribe sub;
    memset(&sub, 0, sizeof sub);
    uint8_t buf[6];
    for (size_t cap = 0; cap < 6; cap++)
        ck_assert_int_eq(mqtt_subscribe_payload_write(&sub, &one, 1, buf, cap), MQTT_ERR_BUFFER_TOO_SMALL);
    ck_assert_int_eq(mqtt_subscribe_payload_write(&sub, &one, 1, buf, 6), MQTT_OK);
    ck_assert_view_hex(sub.payload, "00 03 61 2f 62 00");

    mqtt_bytes f = mqtt_cstr("a/b"); /* 5 bytes */
    mqtt_unsubscribe unsub;
    memset(&unsub, 0, sizeof unsub);
    for (size_t cap = 0; cap < 5; cap++)
        ck_assert_int_eq(mqtt_unsubscribe_payload_write(&unsub, &f, 1, buf, cap), MQTT_ERR_BUFFER_TOO_SMALL);
    ck_assert_int_eq(mqtt_unsubscribe_payload_write(&unsub, &f, 1, buf, 5), MQTT_OK);
    ck_assert_uint_eq(unsub.count, 1);

    /* a filter longer than a two-byte length can say */
    static uint8_t big[65536], out[65600];
    memset(big, 'a', sizeof big);
    mqtt_bytes huge = {big, sizeof big};
    ck_assert_int_eq(mqtt_unsubscribe_payload_write(&unsub, &huge, 1, out, sizeof out), MQTT_ERR_VALUE_OUT_OF_RANGE);
    huge.len = 65535;
    ck_assert_int_eq(mqtt_unsubscribe_payload_write(&unsub, &huge, 1, out, sizeof out), MQTT_OK);
    ck_assert_uint_eq(unsub.payload.len, 65537);
}
END_TEST

#define F311 "MQTT-4.7.1-2" /* '#' placement, 3.1.1 */
#define S311 "MQTT-4.7.1-3" /* '+' placement, 3.1.1 */
#define F5 "MQTT-4.7.1-1"
#define S5 "MQTT-4.7.1-2"
#define SUB_UTF8_311 "MQTT-1.5.3-1|MQTT-3.8.3-1"

/* 3.1.1 offsets: 2-3 id, 4-5 filter length, 6.. filter, then options.
 * 5.0 offsets:   2-3 id, 4 Property Length, 5-6 filter length, 7.. filter. */
static const decode_error_case subscribe_errors[] = {
    {"3.1.1 no filters", "82 02 00 01", MQTT_V311, MQTT_DIR_TO_SERVER, MQTT_ERR_NO_TOPIC_FILTERS, "MQTT-3.8.3-3",
     "2|4"},
    {"5.0 no filters", "82 03 00 01 00", MQTT_V5, MQTT_DIR_TO_SERVER, MQTT_ERR_NO_TOPIC_FILTERS, "MQTT-3.8.3-2", "2|5"},
    {"3.1 no filters", "82 02 00 01", MQTT_V31, MQTT_DIR_TO_SERVER, MQTT_ERR_NO_TOPIC_FILTERS, STMT_ANY, "2|4"},
    {"3.1.1 id 0", "82 06 00 00 00 01 61 00", MQTT_V311, MQTT_DIR_TO_SERVER, MQTT_ERR_PACKET_ID_ZERO, "MQTT-2.3.1-1",
     "2"},
    {"5.0 id 0", "82 07 00 00 00 00 01 61 00", MQTT_V5, MQTT_DIR_TO_SERVER, MQTT_ERR_PACKET_ID_ZERO, "MQTT-2.2.1-3",
     "2"},
    {"3.1.1 QoS 3", "82 06 00 01 00 01 61 03", MQTT_V311, MQTT_DIR_TO_SERVER, MQTT_ERR_SUBSCRIBE_QOS_3, "MQTT-3.8.3-4",
     "7"},
    {"5.0 QoS 3", "82 07 00 01 00 00 01 61 03", MQTT_V5, MQTT_DIR_TO_SERVER, MQTT_ERR_SUBSCRIBE_QOS_3, STMT_NONE, "8"},
    /* in 3.1.1 bits 7-2 of the options byte are reserved (No Local etc. do not exist) */
    {"3.1.1 options bit 2", "82 06 00 01 00 01 61 04", MQTT_V311, MQTT_DIR_TO_SERVER, MQTT_ERR_SUBSCRIBE_RESERVED_BITS,
     "MQTT-3.8.3-4", "7"},
    {"3.1.1 options bit 7", "82 06 00 01 00 01 61 81", MQTT_V311, MQTT_DIR_TO_SERVER, MQTT_ERR_SUBSCRIBE_RESERVED_BITS,
     "MQTT-3.8.3-4", "7"},
    {"5.0 options bit 6", "82 07 00 01 00 00 01 61 40", MQTT_V5, MQTT_DIR_TO_SERVER, MQTT_ERR_SUBSCRIBE_RESERVED_BITS,
     "MQTT-3.8.3-5", "8"},
    {"5.0 options bit 7", "82 07 00 01 00 00 01 61 80", MQTT_V5, MQTT_DIR_TO_SERVER, MQTT_ERR_SUBSCRIBE_RESERVED_BITS,
     "MQTT-3.8.3-5", "8"},
    {"5.0 retain handling 3", "82 07 00 01 00 00 01 61 30", MQTT_V5, MQTT_DIR_TO_SERVER, MQTT_ERR_RETAIN_HANDLING_3,
     STMT_NONE, "8"},
    {"3.1.1 empty filter", "82 05 00 01 00 00 00", MQTT_V311, MQTT_DIR_TO_SERVER, MQTT_ERR_FILTER_EMPTY,
     "MQTT-4.7.3-1", "4"},
    {"5.0 empty filter", "82 06 00 01 00 00 00 00", MQTT_V5, MQTT_DIR_TO_SERVER, MQTT_ERR_FILTER_EMPTY, "MQTT-4.7.3-1",
     "5"},
    {"3.1.1 a#", "82 07 00 01 00 02 61 23 00", MQTT_V311, MQTT_DIR_TO_SERVER, MQTT_ERR_FILTER_MULTI_WILDCARD, F311,
     "4|6|7"},
    {"3.1.1 a/#/b", "82 0a 00 01 00 05 61 2f 23 2f 62 00", MQTT_V311, MQTT_DIR_TO_SERVER,
     MQTT_ERR_FILTER_MULTI_WILDCARD, F311, "4|6|8"},
    {"3.1.1 #/a", "82 08 00 01 00 03 23 2f 61 00", MQTT_V311, MQTT_DIR_TO_SERVER, MQTT_ERR_FILTER_MULTI_WILDCARD, F311,
     "4|6"},
    {"3.1.1 a+/b", "82 09 00 01 00 04 61 2b 2f 62 00", MQTT_V311, MQTT_DIR_TO_SERVER, MQTT_ERR_FILTER_SINGLE_WILDCARD,
     S311, "4|6|7"},
    {"3.1.1 a/+b", "82 09 00 01 00 04 61 2f 2b 62 00", MQTT_V311, MQTT_DIR_TO_SERVER, MQTT_ERR_FILTER_SINGLE_WILDCARD,
     S311, "4|6|8"},
    {"5.0 a#", "82 08 00 01 00 00 02 61 23 00", MQTT_V5, MQTT_DIR_TO_SERVER, MQTT_ERR_FILTER_MULTI_WILDCARD, F5,
     "5|7|8"},
    {"5.0 a/#/b", "82 0b 00 01 00 00 05 61 2f 23 2f 62 00", MQTT_V5, MQTT_DIR_TO_SERVER,
     MQTT_ERR_FILTER_MULTI_WILDCARD, F5, "5|7|9"},
    {"5.0 a+/b", "82 0a 00 01 00 00 04 61 2b 2f 62 00", MQTT_V5, MQTT_DIR_TO_SERVER, MQTT_ERR_FILTER_SINGLE_WILDCARD,
     S5, "5|7|8"},
    {"5.0 ++", "82 08 00 01 00 00 02 2b 2b 00", MQTT_V5, MQTT_DIR_TO_SERVER, MQTT_ERR_FILTER_SINGLE_WILDCARD, S5,
     "5|7|8"},
    /* second filter bad: the offset points into it */
    {"3.1.1 second filter a#", "82 0b 00 01 00 01 61 00 00 02 61 23 00", MQTT_V311, MQTT_DIR_TO_SERVER,
     MQTT_ERR_FILTER_MULTI_WILDCARD, F311, "8|10|11"},
    {"3.1.1 filter C0 80", "82 07 00 01 00 02 c0 80 00", MQTT_V311, MQTT_DIR_TO_SERVER, MQTT_ERR_UTF8_INVALID,
     SUB_UTF8_311, "6"},
    {"3.1.1 filter U+0000", "82 07 00 01 00 02 61 00 00", MQTT_V311, MQTT_DIR_TO_SERVER, MQTT_ERR_UTF8_NULL,
     "MQTT-1.5.3-2|MQTT-4.7.3-2", "7"},
    /* filter length 4 runs past the packet; the buffer goes on with "b/c" and an options byte */
    {"3.1.1 filter overruns packet", "82 06 00 01 00 04 61 2f 62 2f 63 00", MQTT_V311, MQTT_DIR_TO_SERVER,
     MQTT_ERR_FIELD_OVERRUNS_PACKET, STMT_ANY, "4|6"},
    /* the options byte is missing: the packet ends after the filter */
    {"3.1.1 options byte missing", "82 05 00 01 00 01 61 00", MQTT_V311, MQTT_DIR_TO_SERVER,
     MQTT_ERR_FIELD_OVERRUNS_PACKET, STMT_ANY, "7"},
    /* shared subscriptions, 5.0: "$share//a", "$share/g+/a", "$share/g", "$share/g/" */
    {"5.0 $share//a", "82 0f 00 01 00 00 09 24 73 68 61 72 65 2f 2f 61 00", MQTT_V5, MQTT_DIR_TO_SERVER,
     MQTT_ERR_SHARE_NAME_INVALID, "MQTT-4.8.2-1|MQTT-4.8.2-2", "5|7|14"},
    {"5.0 $share/g+/a", "82 11 00 01 00 00 0b 24 73 68 61 72 65 2f 67 2b 2f 61 00", MQTT_V5, MQTT_DIR_TO_SERVER,
     MQTT_ERR_SHARE_NAME_INVALID, "MQTT-4.8.2-2", "5|7|15"},
    {"5.0 $share/g#/a", "82 11 00 01 00 00 0b 24 73 68 61 72 65 2f 67 23 2f 61 00", MQTT_V5, MQTT_DIR_TO_SERVER,
     MQTT_ERR_SHARE_NAME_INVALID, "MQTT-4.8.2-2", "5|7|15"},
    {"5.0 $share/g", "82 0e 00 01 00 00 08 24 73 68 61 72 65 2f 67 00", MQTT_V5, MQTT_DIR_TO_SERVER,
     MQTT_ERR_SHARE_NAME_INVALID, "MQTT-4.8.2-2", "5|7|15"},
    {"5.0 $share/g/", "82 0f 00 01 00 00 09 24 73 68 61 72 65 2f 67 2f 00", MQTT_V5, MQTT_DIR_TO_SERVER,
     MQTT_ERR_SHARE_NAME_INVALID, "MQTT-4.8.2-2", "5|7|16"},
    {"5.0 $share/g/a#", "82 11 00 01 00 00 0b 24 73 68 61 72 65 2f 67 2f 61 23 00", MQTT_V5, MQTT_DIR_TO_SERVER,
     MQTT_ERR_FILTER_MULTI_WILDCARD, F5, "5|7|16|17"},
    /* No Local (bit 2) on a shared subscription */
    {"5.0 $share no local", "82 10 00 01 00 00 0a 24 73 68 61 72 65 2f 67 2f 61 04", MQTT_V5, MQTT_DIR_TO_SERVER,
     MQTT_ERR_SHARED_NO_LOCAL, "MQTT-3.8.3-4", "5|7|17"},
    /* SUBSCRIBE properties: Subscription Identifier 0, twice, non-minimal; a PUBLISH-only property */
    {"5.0 subscription id 0", "82 09 00 01 02 0b 00 00 01 61 00", MQTT_V5, MQTT_DIR_TO_SERVER, MQTT_ERR_PROPERTY_ZERO,
     STMT_NONE, "5|6"},
    {"5.0 subscription id twice", "82 0b 00 01 04 0b 01 0b 02 00 01 61 00", MQTT_V5, MQTT_DIR_TO_SERVER,
     MQTT_ERR_PROPERTY_DUPLICATE, STMT_NONE, "7"},
    {"5.0 subscription id 1 as 81 00", "82 0a 00 01 03 0b 81 00 00 01 61 00", MQTT_V5, MQTT_DIR_TO_SERVER,
     MQTT_ERR_VARINT_NOT_MINIMAL, "MQTT-1.5.5-1", "6|7"},
    {"5.0 subscription id 5 bytes", "82 0d 00 01 06 0b 81 81 81 81 01 00 01 61 00", MQTT_V5, MQTT_DIR_TO_SERVER,
     MQTT_ERR_VARINT_TOO_LONG, STMT_ANY, "6|9|10"},
    {"5.0 topic alias in subscribe", "82 0a 00 01 03 23 00 01 00 01 61 00", MQTT_V5, MQTT_DIR_TO_SERVER,
     MQTT_ERR_PROPERTY_NOT_ALLOWED, STMT_NONE, "5"},

    {"3.1.1 UNSUBSCRIBE none", "a2 02 00 01", MQTT_V311, MQTT_DIR_TO_SERVER, MQTT_ERR_NO_TOPIC_FILTERS,
     "MQTT-3.10.3-2", "2|4"},
    {"5.0 UNSUBSCRIBE none", "a2 03 00 01 00", MQTT_V5, MQTT_DIR_TO_SERVER, MQTT_ERR_NO_TOPIC_FILTERS, "MQTT-3.10.3-2",
     "2|5"},
    {"3.1.1 UNSUBSCRIBE id 0", "a2 05 00 00 00 01 61", MQTT_V311, MQTT_DIR_TO_SERVER, MQTT_ERR_PACKET_ID_ZERO,
     "MQTT-2.3.1-1", "2"},
    {"3.1.1 UNSUBSCRIBE a+b", "a2 07 00 01 00 03 61 2b 62", MQTT_V311, MQTT_DIR_TO_SERVER,
     MQTT_ERR_FILTER_SINGLE_WILDCARD, S311, "4|6|7"},
    {"5.0 UNSUBSCRIBE empty filter", "a2 05 00 01 00 00 00", MQTT_V5, MQTT_DIR_TO_SERVER, MQTT_ERR_FILTER_EMPTY,
     "MQTT-4.7.3-1", "5"},
    {"5.0 UNSUBSCRIBE subscription id", "a2 08 00 01 02 0b 01 00 01 61", MQTT_V5, MQTT_DIR_TO_SERVER,
     MQTT_ERR_PROPERTY_NOT_ALLOWED, STMT_NONE, "5"},
    {"3.1.1 UNSUBSCRIBE flags 0000", "a0 05 00 01 00 01 61", MQTT_V311, MQTT_DIR_TO_SERVER,
     MQTT_ERR_BAD_FIXED_HEADER_FLAGS, "MQTT-3.10.1-1|MQTT-2.2.2-1", "0"},
    {"5.0 SUBSCRIBE flags 0000", "80 07 00 01 00 00 01 61 00", MQTT_V5, MQTT_DIR_TO_SERVER,
     MQTT_ERR_BAD_FIXED_HEADER_FLAGS, "MQTT-3.8.1-1|MQTT-2.1.3-1", "0"},

    /* SUBACK / UNSUBACK */
    {"3.1.1 SUBACK 0x03", "90 03 00 01 03", MQTT_V311, MQTT_DIR_TO_CLIENT, MQTT_ERR_REASON_CODE_NOT_ALLOWED,
     "MQTT-3.9.3-2", "4"},
    {"3.1.1 SUBACK 0x81", "90 04 00 01 00 81", MQTT_V311, MQTT_DIR_TO_CLIENT, MQTT_ERR_REASON_CODE_NOT_ALLOWED,
     "MQTT-3.9.3-2", "5"},
    {"3.1.1 SUBACK 0x87 (5.0 code)", "90 03 00 01 87", MQTT_V311, MQTT_DIR_TO_CLIENT, MQTT_ERR_REASON_CODE_NOT_ALLOWED,
     "MQTT-3.9.3-2", "4"},
    {"5.0 SUBACK 0x03", "90 04 00 01 00 03", MQTT_V5, MQTT_DIR_TO_CLIENT, MQTT_ERR_REASON_CODE_NOT_ALLOWED,
     "MQTT-3.9.3-2", "5"},
    {"5.0 SUBACK 0x11 (UNSUBACK code)", "90 04 00 01 00 11", MQTT_V5, MQTT_DIR_TO_CLIENT,
     MQTT_ERR_REASON_CODE_NOT_ALLOWED, "MQTT-3.9.3-2", "5"},
    {"3.1.1 SUBACK no codes", "90 02 00 01", MQTT_V311, MQTT_DIR_TO_CLIENT, MQTT_ERR_NO_REASON_CODES, "MQTT-3.8.4-5",
     "2|4"},
    {"5.0 SUBACK no codes", "90 03 00 01 00", MQTT_V5, MQTT_DIR_TO_CLIENT, MQTT_ERR_NO_REASON_CODES, "MQTT-3.8.4-6",
     "2|5"},
    {"3.1.1 SUBACK id 0", "90 03 00 00 00", MQTT_V311, MQTT_DIR_TO_CLIENT, MQTT_ERR_PACKET_ID_ZERO, STMT_ANY, "2"},
    {"5.0 SUBACK user property ok, topic alias not", "90 07 00 01 03 23 00 01 00", MQTT_V5, MQTT_DIR_TO_CLIENT,
     MQTT_ERR_PROPERTY_NOT_ALLOWED, STMT_NONE, "5"},
    {"3.1.1 UNSUBACK RL 3", "b0 03 00 01 00", MQTT_V311, MQTT_DIR_TO_CLIENT, MQTT_ERR_WRONG_REMAINING_LENGTH,
     STMT_NONE, "1"},
    {"3.1 UNSUBACK RL 3", "b0 03 00 01 00", MQTT_V31, MQTT_DIR_TO_CLIENT, MQTT_ERR_WRONG_REMAINING_LENGTH, STMT_NONE,
     "1"},
    {"5.0 UNSUBACK no codes", "b0 03 00 01 00", MQTT_V5, MQTT_DIR_TO_CLIENT, MQTT_ERR_NO_REASON_CODES, STMT_ANY,
     "2|5"},
    {"5.0 UNSUBACK 0x01", "b0 04 00 01 00 01", MQTT_V5, MQTT_DIR_TO_CLIENT, MQTT_ERR_REASON_CODE_NOT_ALLOWED,
     "MQTT-3.11.3-2", "5"},
    {"5.0 UNSUBACK 0xa2 (SUBACK code)", "b0 04 00 01 00 a2", MQTT_V5, MQTT_DIR_TO_CLIENT,
     MQTT_ERR_REASON_CODE_NOT_ALLOWED, "MQTT-3.11.3-2", "5"},
    {"3.1.1 UNSUBACK id 0", "b0 02 00 00", MQTT_V311, MQTT_DIR_TO_CLIENT, MQTT_ERR_PACKET_ID_ZERO, STMT_ANY, "2"},
};

START_TEST(subscribe_error_table)
{
    RUN_ERROR_CASE(&subscribe_errors[_i]);
}
END_TEST

static const decode_ok_case subscribe_ok[] = {
    {"3.1.1 a/#", "82 08 00 01 00 03 61 2f 23 00", MQTT_V311, MQTT_DIR_TO_SERVER},
    {"3.1.1 #", "82 06 00 01 00 01 23 00", MQTT_V311, MQTT_DIR_TO_SERVER},
    {"3.1.1 +", "82 06 00 01 00 01 2b 00", MQTT_V311, MQTT_DIR_TO_SERVER},
    {"3.1.1 +/+/#", "82 0a 00 01 00 05 2b 2f 2b 2f 23 02", MQTT_V311, MQTT_DIR_TO_SERVER},
    {"3.1.1 /", "82 06 00 01 00 01 2f 01", MQTT_V311, MQTT_DIR_TO_SERVER},
    {"3.1.1 a//b", "82 09 00 01 00 04 61 2f 2f 62 00", MQTT_V311, MQTT_DIR_TO_SERVER},
    /* in 3.1.1 "$share/..." is an ordinary filter: empty level and no filter after the name are fine */
    {"3.1.1 $share//a", "82 0e 00 01 00 09 24 73 68 61 72 65 2f 2f 61 00", MQTT_V311, MQTT_DIR_TO_SERVER},
    {"3.1.1 $share/g", "82 0d 00 01 00 08 24 73 68 61 72 65 2f 67 00", MQTT_V311, MQTT_DIR_TO_SERVER},
    {"5.0 $share/g/a", "82 10 00 01 00 00 0a 24 73 68 61 72 65 2f 67 2f 61 00", MQTT_V5, MQTT_DIR_TO_SERVER},
    {"5.0 $share/g/#", "82 10 00 01 00 00 0a 24 73 68 61 72 65 2f 67 2f 23 02", MQTT_V5, MQTT_DIR_TO_SERVER},
    {"5.0 $share/g/+/x", "82 12 00 01 00 00 0c 24 73 68 61 72 65 2f 67 2f 2b 2f 78 00", MQTT_V5, MQTT_DIR_TO_SERVER},
    /* "$sharex/..." is not a shared subscription */
    {"5.0 $sharex//a", "82 10 00 01 00 00 0a 24 73 68 61 72 65 78 2f 2f 61 00", MQTT_V5, MQTT_DIR_TO_SERVER},
    /* options 0x2e: retain handling 2, RAP, No Local, QoS 2 */
    {"5.0 all options", "82 07 00 01 00 00 01 61 2e", MQTT_V5, MQTT_DIR_TO_SERVER},
    {"5.0 subscription id 268435455", "82 0c 00 01 05 0b ff ff ff 7f 00 01 61 00", MQTT_V5, MQTT_DIR_TO_SERVER},
    {"5.0 user property twice", "82 15 00 01 0e 26 00 01 61 00 01 62 26 00 01 61 00 01 62 00 01 61 00", MQTT_V5,
     MQTT_DIR_TO_SERVER},
    {"3.1.1 SUBACK 0x80", "90 03 00 01 80", MQTT_V311, MQTT_DIR_TO_CLIENT},
    {"5.0 SUBACK 0xa2", "90 04 00 01 00 a2", MQTT_V5, MQTT_DIR_TO_CLIENT},
    {"5.0 SUBACK 0x9e", "90 04 00 01 00 9e", MQTT_V5, MQTT_DIR_TO_CLIENT},
    {"5.0 UNSUBACK 0x8f", "b0 04 00 01 00 8f", MQTT_V5, MQTT_DIR_TO_CLIENT},
    {"3.1.1 UNSUBSCRIBE $share//a", "a2 0d 00 01 00 09 24 73 68 61 72 65 2f 2f 61", MQTT_V311, MQTT_DIR_TO_SERVER},
};

START_TEST(subscribe_ok_table)
{
    RUN_OK_CASE(&subscribe_ok[_i]);
}
END_TEST

START_TEST(suback_code_sets)
{
    static const uint8_t v5_suback[] = {0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8f, 0x91, 0x97, 0x9e, 0xa1, 0xa2};
    static const uint8_t v5_unsuback[] = {0x00, 0x11, 0x80, 0x83, 0x87, 0x8f, 0x91};
    static const uint8_t v311_suback[] = {0x00, 0x01, 0x02, 0x80};
    for (unsigned c = 0; c < 256; c++) {
        bool s5 = memchr(v5_suback, (int)c, sizeof v5_suback) != NULL;
        bool u5 = memchr(v5_unsuback, (int)c, sizeof v5_unsuback) != NULL;
        bool s311 = memchr(v311_suback, (int)c, sizeof v311_suback) != NULL;
        ck_assert_msg(mqtt_reason_allowed(MQTT_V5, MQTT_SUBACK, (uint8_t)c, MQTT_DIR_TO_CLIENT) == s5, "SUBACK 0x%02x",
                      c);
        ck_assert_msg(mqtt_reason_allowed(MQTT_V5, MQTT_UNSUBACK, (uint8_t)c, MQTT_DIR_TO_CLIENT) == u5,
                      "UNSUBACK 0x%02x", c);
        ck_assert_msg(mqtt_reason_allowed(MQTT_V311, MQTT_SUBACK, (uint8_t)c, MQTT_DIR_TO_CLIENT) == s311,
                      "3.1.1 SUBACK 0x%02x", c);
        /* and the decoder agrees */
        uint8_t b[6] = {0x90, 0x04, 0x00, 0x01, 0x00, (uint8_t)c};
        mqtt_decode_opts o = decode_opts(MQTT_V5, MQTT_DIR_TO_CLIENT);
        mqtt_packet p;
        mqtt_frame fr;
        ck_assert_msg((mqtt_decode(b, 6, &o, &p, &fr) == MQTT_COMPLETE) == s5, "decode SUBACK 0x%02x", c);
    }
    ck_assert_str_eq(mqtt_reason_name(MQTT_V5, MQTT_SUBACK, 0x01), "granted_qos_1");
    ck_assert_ptr_null(mqtt_reason_name(MQTT_V5, MQTT_SUBACK, 0x11));
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("subscribe");
    TCase *tc = tcase_create("subscribe");
    tcase_add_test(tc, subscribe_v311_and_v31);
    tcase_add_test(tc, subscribe_v5);
    tcase_add_test(tc, suback_goldens);
    tcase_add_test(tc, unsubscribe_goldens);
    tcase_add_test(tc, unsuback_goldens);
    tcase_add_test(tc, subscribe_many_filters);
    tcase_add_test(tc, payload_writer_limits);
    tcase_add_loop_test(tc, subscribe_error_table, 0, (int)ARRAY_LEN(subscribe_errors));
    tcase_add_loop_test(tc, subscribe_ok_table, 0, (int)ARRAY_LEN(subscribe_ok));
    tcase_add_test(tc, suback_code_sets);
    suite_add_tcase(s, tc);
    return s;
}
