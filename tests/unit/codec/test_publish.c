/* PUBLISH in 3.1, 3.1.1 and 5.0: golden bytes, decode of every field, round trip, and the
 * fixed-header, topic, packet identifier and length rules. */
#include <string.h>

#include "support.h"

#define PUBLISH_V311_QOS0                                                                                          \
    "30 0a"          /* PUBLISH, DUP 0, QoS 0, RETAIN 0; Remaining Length 10 */                                     \
    "00 03 61 2f 62" /* Topic Name "a/b" (no Packet Identifier at QoS 0) */                                         \
    "68 65 6c 6c 6f" /* payload "hello" */

#define PUBLISH_V311_QOS1_DUP_RETAIN                                                                               \
    "3b 08"    /* PUBLISH, flags 1011: DUP, QoS 01, RETAIN; RL 8 */                                                 \
    "00 01 74" /* Topic Name "t" */                                                                                 \
    "12 34"    /* Packet Identifier 0x1234 */                                                                       \
    "01 02 03" /* payload */

#define PUBLISH_V31_QOS2                                                                                           \
    "34 07"    /* PUBLISH, flags 0100: QoS 10; RL 7 */                                                              \
    "00 01 74" /* Topic Name "t" */                                                                                 \
    "00 0a"    /* Packet Identifier 10 */                                                                           \
    "68 69"    /* payload "hi" */

#define PUBLISH_V5_QOS0                                                                                            \
    "30 07"          /* PUBLISH QoS 0; RL 7 */                                                                      \
    "00 03 61 2f 62" /* Topic Name "a/b" */                                                                         \
    "00"             /* Property Length 0 */                                                                        \
    "78"             /* payload "x" */

#define PUBLISH_V5_PROPS                                                                                           \
    "01 01 02 00 00 00 3c 08 00 03 72 2f 31 09 00 02 ca fe 23 00 05 26 00 01 61 00 01 62 26 00 01 61 00 01 63"
#define PUBLISH_V5_QOS1_PROPS                                                                                      \
    "32 2d"                /* PUBLISH, QoS 01; RL 45 = 5 + 2 + 1 + 35 + 2 */                                        \
    "00 03 61 2f 62"       /* Topic Name "a/b" */                                                                   \
    "00 01"                /* Packet Identifier 1 */                                                                \
    "23"                   /* Property Length 35 */                                                                 \
    "01 01"                /*   Payload Format Indicator 1 */                                                       \
    "02 00 00 00 3c"       /*   Message Expiry Interval 60 */                                                       \
    "08 00 03 72 2f 31"    /*   Response Topic "r/1" */                                                             \
    "09 00 02 ca fe"       /*   Correlation Data ca fe */                                                           \
    "23 00 05"             /*   Topic Alias 5 */                                                                    \
    "26 00 01 61 00 01 62" /*   User Property "a" = "b" */                                                          \
    "26 00 01 61 00 01 63" /*   User Property "a" = "c" (repeats are allowed) */                                    \
    "68 69"                /* payload "hi" */

/* A server's PUBLISH with two Subscription Identifiers (may repeat in PUBLISH) */
#define PUBLISH_V5_SUB_IDS                                                                                         \
    "30 0a"    /* PUBLISH QoS 0; RL 10 */                                                                           \
    "00 01 74" /* Topic Name "t" */                                                                                 \
    "05"       /* Property Length 5 */                                                                              \
    "0b 01"    /*   Subscription Identifier 1 */                                                                    \
    "0b 80 01" /*   Subscription Identifier 128 (two-byte varint) */                                                \
    "78"       /* payload "x" */

/* 5.0: an empty Topic Name is fine when a Topic Alias stands for it */
#define PUBLISH_V5_ALIAS_ONLY                                                                                      \
    "30 06"    /* PUBLISH QoS 0; RL 6 */                                                                            \
    "00 00"    /* Topic Name "" */                                                                                  \
    "03"       /* Property Length 3 */                                                                              \
    "23 00 01" /*   Topic Alias 1 */

static mqtt_packet publish_packet(void)
{
    mqtt_packet p;
    memset(&p, 0, sizeof p);
    p.type = MQTT_PUBLISH;
    return p;
}

START_TEST(publish_v311_qos0)
{
    mqtt_packet p = publish_packet();
    p.u.publish.topic = mqtt_cstr("a/b");
    p.u.publish.payload = mqtt_cstr("hello");
    ENCODE_EQ(&p, MQTT_V311, MQTT_DIR_TO_SERVER, PUBLISH_V311_QOS0);
    uint8_t buf[64];
    mqtt_packet d;
    DECODE_OK(PUBLISH_V311_QOS0, MQTT_V311, MQTT_DIR_TO_SERVER, buf, &d);
    ck_assert_int_eq(d.type, MQTT_PUBLISH);
    ck_assert_uint_eq(d.flags, 0);
    ck_assert_uint_eq(d.remaining_length, 10);
    ck_assert(!d.u.publish.dup && !d.u.publish.retain);
    ck_assert_uint_eq(d.u.publish.qos, 0);
    ck_assert_view_str(d.u.publish.topic, "a/b");
    ck_assert_uint_eq(d.u.publish.packet_id, 0);
    ck_assert_view_str(d.u.publish.payload, "hello");
    ck_assert_ptr_eq(d.u.publish.payload.data, buf + 7);
    ROUNDTRIP(PUBLISH_V311_QOS0, MQTT_V311, MQTT_DIR_TO_SERVER);
}
END_TEST

START_TEST(publish_v311_qos1_dup_retain)
{
    uint8_t pay[3] = {1, 2, 3};
    mqtt_packet p = publish_packet();
    p.u.publish.dup = p.u.publish.retain = true;
    p.u.publish.qos = 1;
    p.u.publish.topic = mqtt_cstr("t");
    p.u.publish.packet_id = 0x1234;
    p.u.publish.payload.data = pay;
    p.u.publish.payload.len = 3;
    ENCODE_EQ(&p, MQTT_V311, MQTT_DIR_TO_CLIENT, PUBLISH_V311_QOS1_DUP_RETAIN);
    uint8_t buf[64];
    mqtt_packet d;
    DECODE_OK(PUBLISH_V311_QOS1_DUP_RETAIN, MQTT_V311, MQTT_DIR_TO_CLIENT, buf, &d);
    ck_assert_uint_eq(d.flags, 0x0b);
    ck_assert(d.u.publish.dup && d.u.publish.retain);
    ck_assert_uint_eq(d.u.publish.qos, 1);
    ck_assert_view_str(d.u.publish.topic, "t");
    ck_assert_uint_eq(d.u.publish.packet_id, 0x1234);
    ck_assert_view_hex(d.u.publish.payload, "01 02 03");
    ROUNDTRIP(PUBLISH_V311_QOS1_DUP_RETAIN, MQTT_V311, MQTT_DIR_TO_CLIENT);
}
END_TEST

START_TEST(publish_v31_qos2)
{
    mqtt_packet p = publish_packet();
    p.u.publish.qos = 2;
    p.u.publish.topic = mqtt_cstr("t");
    p.u.publish.packet_id = 10;
    p.u.publish.payload = mqtt_cstr("hi");
    ENCODE_EQ(&p, MQTT_V31, MQTT_DIR_TO_SERVER, PUBLISH_V31_QOS2);
    uint8_t buf[64];
    mqtt_packet d;
    DECODE_OK(PUBLISH_V31_QOS2, MQTT_V31, MQTT_DIR_TO_SERVER, buf, &d);
    ck_assert_uint_eq(d.u.publish.qos, 2);
    ck_assert(!d.u.publish.dup && !d.u.publish.retain);
    ck_assert_uint_eq(d.u.publish.packet_id, 10);
    ck_assert_view_str(d.u.publish.topic, "t");
    ck_assert_view_str(d.u.publish.payload, "hi");
    ROUNDTRIP(PUBLISH_V31_QOS2, MQTT_V31, MQTT_DIR_TO_SERVER);
}
END_TEST

START_TEST(publish_v5_qos0)
{
    mqtt_packet p = publish_packet();
    p.u.publish.topic = mqtt_cstr("a/b");
    p.u.publish.payload = mqtt_cstr("x");
    ENCODE_EQ(&p, MQTT_V5, MQTT_DIR_TO_SERVER, PUBLISH_V5_QOS0);
    uint8_t buf[64];
    mqtt_packet d;
    DECODE_OK(PUBLISH_V5_QOS0, MQTT_V5, MQTT_DIR_TO_SERVER, buf, &d);
    ck_assert_view_str(d.u.publish.topic, "a/b");
    ck_assert_uint_eq(d.u.publish.props.len, 0);
    ck_assert_view_str(d.u.publish.payload, "x");
    ROUNDTRIP(PUBLISH_V5_QOS0, MQTT_V5, MQTT_DIR_TO_SERVER);
}
END_TEST

START_TEST(publish_v5_qos1_props)
{
    uint8_t pb[64];
    mqtt_packet p = publish_packet();
    p.u.publish.qos = 1;
    p.u.publish.topic = mqtt_cstr("a/b");
    p.u.publish.packet_id = 1;
    p.u.publish.props = props_view(PUBLISH_V5_PROPS, pb, sizeof pb);
    p.u.publish.payload = mqtt_cstr("hi");
    ENCODE_EQ(&p, MQTT_V5, MQTT_DIR_TO_SERVER, PUBLISH_V5_QOS1_PROPS);

    uint8_t buf[128];
    mqtt_packet d;
    DECODE_OK(PUBLISH_V5_QOS1_PROPS, MQTT_V5, MQTT_DIR_TO_SERVER, buf, &d);
    const mqtt_publish *pub = &d.u.publish;
    ck_assert_uint_eq(pub->qos, 1);
    ck_assert_uint_eq(pub->packet_id, 1);
    ck_assert_view_str(pub->topic, "a/b");
    ck_assert_view_hex(props_bytes(pub->props), PUBLISH_V5_PROPS);
    ck_assert_view_str(pub->payload, "hi");
    ck_assert_uint_eq(mqtt_props_count(pub->props), 7);

    /* walk them in order with their types and offsets inside the list */
    static const struct {
        mqtt_prop_id id;
        mqtt_prop_type type;
        uint32_t offset;
    } want[] = {
        {MQTT_PROP_PAYLOAD_FORMAT_INDICATOR, MQTT_PTYPE_BYTE, 0},
        {MQTT_PROP_MESSAGE_EXPIRY_INTERVAL, MQTT_PTYPE_U32, 2},
        {MQTT_PROP_RESPONSE_TOPIC, MQTT_PTYPE_STRING, 7},
        {MQTT_PROP_CORRELATION_DATA, MQTT_PTYPE_BINARY, 13},
        {MQTT_PROP_TOPIC_ALIAS, MQTT_PTYPE_U16, 18},
        {MQTT_PROP_USER_PROPERTY, MQTT_PTYPE_STRING_PAIR, 21},
        {MQTT_PROP_USER_PROPERTY, MQTT_PTYPE_STRING_PAIR, 28},
    };
    mqtt_prop_iter it;
    mqtt_property prop;
    mqtt_prop_iter_init(&it, pub->props);
    for (size_t i = 0; i < ARRAY_LEN(want); i++) {
        ck_assert_msg(mqtt_prop_next(&it, &prop), "property %zu missing", i);
        ck_assert_int_eq(prop.id, want[i].id);
        ck_assert_int_eq(prop.type, want[i].type);
        ck_assert_uint_eq(prop.offset, want[i].offset);
        switch (i) {
        case 0: ck_assert_uint_eq(prop.value, 1); break;
        case 1: ck_assert_uint_eq(prop.value, 60); break;
        case 2: ck_assert_view_str(prop.data, "r/1"); break;
        case 3: ck_assert_view_hex(prop.data, "ca fe"); break;
        case 4: ck_assert_uint_eq(prop.value, 5); break;
        case 5: ck_assert_view_str(prop.data, "a"); ck_assert_view_str(prop.data2, "b"); break;
        default: ck_assert_view_str(prop.data, "a"); ck_assert_view_str(prop.data2, "c"); break;
        }
    }
    ck_assert(!mqtt_prop_next(&it, &prop));
    ck_assert(mqtt_props_find(pub->props, MQTT_PROP_USER_PROPERTY, &prop)); /* the first one */
    ck_assert_view_str(prop.data2, "b");
    ck_assert(!mqtt_props_find(pub->props, MQTT_PROP_CONTENT_TYPE, &prop));
    ROUNDTRIP(PUBLISH_V5_QOS1_PROPS, MQTT_V5, MQTT_DIR_TO_SERVER);
}
END_TEST

START_TEST(publish_v5_subscription_ids_from_server)
{
    uint8_t pb[16];
    mqtt_packet p = publish_packet();
    p.u.publish.topic = mqtt_cstr("t");
    p.u.publish.props = props_view("0b 01 0b 80 01", pb, sizeof pb);
    p.u.publish.payload = mqtt_cstr("x");
    ENCODE_EQ(&p, MQTT_V5, MQTT_DIR_TO_CLIENT, PUBLISH_V5_SUB_IDS);
    uint8_t buf[64];
    mqtt_packet d;
    DECODE_OK(PUBLISH_V5_SUB_IDS, MQTT_V5, MQTT_DIR_TO_CLIENT, buf, &d);
    DECODE_OK(PUBLISH_V5_SUB_IDS, MQTT_V5, MQTT_DIR_UNKNOWN, buf, &d); /* one-sided rule skipped */
    mqtt_prop_iter it;
    mqtt_property prop;
    mqtt_prop_iter_init(&it, d.u.publish.props);
    ck_assert(mqtt_prop_next(&it, &prop));
    ck_assert_int_eq(prop.type, MQTT_PTYPE_VARINT);
    ck_assert_uint_eq(prop.value, 1);
    ck_assert(mqtt_prop_next(&it, &prop));
    ck_assert_uint_eq(prop.value, 128);
    ck_assert(!mqtt_prop_next(&it, &prop));
    ROUNDTRIP(PUBLISH_V5_SUB_IDS, MQTT_V5, MQTT_DIR_TO_CLIENT);
}
END_TEST

START_TEST(publish_v5_empty_topic_with_alias)
{
    uint8_t pb[8];
    mqtt_packet p = publish_packet();
    p.u.publish.topic = mqtt_cstr("");
    p.u.publish.props = props_view("23 00 01", pb, sizeof pb);
    ENCODE_EQ(&p, MQTT_V5, MQTT_DIR_TO_SERVER, PUBLISH_V5_ALIAS_ONLY);
    uint8_t buf[16];
    mqtt_packet d;
    DECODE_OK(PUBLISH_V5_ALIAS_ONLY, MQTT_V5, MQTT_DIR_TO_SERVER, buf, &d);
    ck_assert_uint_eq(d.u.publish.topic.len, 0);
    ck_assert_uint_eq(d.u.publish.payload.len, 0);
    mqtt_property prop;
    ck_assert(mqtt_props_find(d.u.publish.props, MQTT_PROP_TOPIC_ALIAS, &prop));
    ck_assert_uint_eq(prop.value, 1);
}
END_TEST

/* Offsets: 0 type+flags, 1 RL, 2-3 topic length, 4.. topic, then packet id (QoS > 0), then 5.0 props. */
static const decode_error_case publish_errors[] = {
    {"QoS 3, 3.1.1", "36 05 00 01 74 00 01", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_PUBLISH_QOS_3, "MQTT-3.3.1-4", "0"},
    {"QoS 3, 5.0", "36 06 00 01 74 00 01 00", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_PUBLISH_QOS_3, "MQTT-3.3.1-4", "0"},
    {"QoS 3, 3.1", "36 05 00 01 74 00 01", MQTT_V31, MQTT_DIR_UNKNOWN, MQTT_ERR_PUBLISH_QOS_3, STMT_ANY, "0"},
    {"QoS 3 with DUP and RETAIN", "3f 05 00 01 74 00 01", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_PUBLISH_QOS_3,
     "MQTT-3.3.1-4", "0"},
    {"DUP with QoS 0, 3.1.1", "38 03 00 01 74", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_PUBLISH_DUP_QOS_0,
     "MQTT-3.3.1-2", "0"},
    {"DUP with QoS 0, 5.0", "38 04 00 01 74 00", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_PUBLISH_DUP_QOS_0, "MQTT-3.3.1-2",
     "0"},
    {"packet id 0, QoS 1, 3.1.1", "32 05 00 01 74 00 00", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_PACKET_ID_ZERO,
     "MQTT-2.3.1-1", "5"},
    {"packet id 0, QoS 2, 5.0", "34 06 00 01 74 00 00 00", MQTT_V5, MQTT_DIR_TO_SERVER, MQTT_ERR_PACKET_ID_ZERO,
     "MQTT-2.2.1-3", "5"},
    {"empty topic, 3.1.1", "30 02 00 00", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_TOPIC_EMPTY, "MQTT-4.7.3-1", "2"},
    {"empty topic, 3.1", "30 03 00 00 78", MQTT_V31, MQTT_DIR_UNKNOWN, MQTT_ERR_TOPIC_EMPTY, STMT_ANY, "2"},
    {"empty topic no alias, 5.0", "30 03 00 00 00", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_TOPIC_EMPTY, "MQTT-4.7.3-1",
     "2"},
    {"empty topic, other props, 5.0", "30 05 00 00 02 01 01", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_TOPIC_EMPTY,
     "MQTT-4.7.3-1", "2"},
    {"topic a/+", "30 05 00 03 61 2f 2b", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_TOPIC_WILDCARD, "MQTT-3.3.2-2",
     "2|4|6"},
    {"topic #, 5.0", "30 04 00 01 23 00", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_TOPIC_WILDCARD, "MQTT-3.3.2-2", "2|4"},
    {"topic a+b (wildcard inside a level)", "30 05 00 03 61 2b 62", MQTT_V311, MQTT_DIR_UNKNOWN,
     MQTT_ERR_TOPIC_WILDCARD, "MQTT-3.3.2-2", "2|4|5"},
    /* topic length 9, but only 3 bytes remain in the packet; the buffer carries the rest */
    {"topic overruns packet", "30 05 00 09 61 2f 62 2f 63 2f 64 2f 65", MQTT_V311, MQTT_DIR_UNKNOWN,
     MQTT_ERR_FIELD_OVERRUNS_PACKET, STMT_ANY, "2|4"},
    {"topic length cut in half", "30 01 00 01 74", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_FIELD_OVERRUNS_PACKET,
     STMT_ANY, "2"},
    {"packet id outside packet", "32 03 00 01 74 00 01", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_FIELD_OVERRUNS_PACKET,
     STMT_ANY, "5"},
    /* 5.0: Property Length 8, one byte left in the packet, a User Property after it in the buffer */
    {"properties overrun packet", "30 05 00 01 74 08 26 00 01 61 00 01 62", MQTT_V5, MQTT_DIR_UNKNOWN,
     MQTT_ERR_FIELD_OVERRUNS_PACKET, STMT_ANY, "5"},
    {"no property length, 5.0", "30 03 00 01 74 00 00", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_FIELD_OVERRUNS_PACKET,
     STMT_ANY, "5"},
    /* Correlation Data length 5 inside a 4-byte property list */
    {"binary property overruns list", "30 0a 00 01 74 04 09 00 05 61 62 63 64 65", MQTT_V5, MQTT_DIR_UNKNOWN,
     MQTT_ERR_FIELD_OVERRUNS_PACKET, STMT_ANY, "6|7"},
    {"subscription id from client", "30 0a 00 01 74 05 0b 01 0b 80 01 78", MQTT_V5, MQTT_DIR_TO_SERVER,
     MQTT_ERR_SUBSCRIPTION_ID_FROM_CLIENT, "MQTT-3.3.4-6", "6"},
};

START_TEST(publish_error_table)
{
    RUN_ERROR_CASE(&publish_errors[_i]);
}
END_TEST

static const decode_ok_case publish_ok[] = {
    {"QoS 0 empty payload", "30 03 00 01 74", MQTT_V311, MQTT_DIR_UNKNOWN},
    {"5.0 QoS 0 empty payload", "30 04 00 01 74 00", MQTT_V5, MQTT_DIR_UNKNOWN},
    {"retain, QoS 2", "35 05 00 01 74 ff ff", MQTT_V311, MQTT_DIR_UNKNOWN},
    {"$SYS topic", "30 06 00 04 24 53 59 53", MQTT_V311, MQTT_DIR_UNKNOWN},
    {"topic of one slash", "30 03 00 01 2f", MQTT_V311, MQTT_DIR_UNKNOWN},
    {"topic with BOM kept", "30 05 00 03 ef bb bf", MQTT_V311, MQTT_DIR_UNKNOWN},
    {"3.1.1 $share topic is a name", "30 0c 00 0a 24 73 68 61 72 65 2f 67 2f 61", MQTT_V311, MQTT_DIR_UNKNOWN},
};

START_TEST(publish_ok_table)
{
    RUN_OK_CASE(&publish_ok[_i]);
}
END_TEST

/* The payload is whatever follows, not checked as UTF-8 even with Payload Format Indicator 1. */
START_TEST(publish_payload_is_opaque)
{
    uint8_t buf[32];
    mqtt_packet d;
    /* PUBLISH QoS 0 RL 9: topic "t", props 01 01 (Payload Format Indicator 1), payload c0 80 00 */
    DECODE_OK("30 09 00 01 74 02 01 01 c0 80 00", MQTT_V5, MQTT_DIR_UNKNOWN, buf, &d);
    ck_assert_view_hex(d.u.publish.payload, "c0 80 00");
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("publish");
    TCase *tc = tcase_create("publish");
    tcase_add_test(tc, publish_v311_qos0);
    tcase_add_test(tc, publish_v311_qos1_dup_retain);
    tcase_add_test(tc, publish_v31_qos2);
    tcase_add_test(tc, publish_v5_qos0);
    tcase_add_test(tc, publish_v5_qos1_props);
    tcase_add_test(tc, publish_v5_subscription_ids_from_server);
    tcase_add_test(tc, publish_v5_empty_topic_with_alias);
    tcase_add_loop_test(tc, publish_error_table, 0, (int)ARRAY_LEN(publish_errors));
    tcase_add_loop_test(tc, publish_ok_table, 0, (int)ARRAY_LEN(publish_ok));
    tcase_add_test(tc, publish_payload_is_opaque);
    suite_add_tcase(s, tc);
    return s;
}
