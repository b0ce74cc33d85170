/* The fixed header's first byte: packet types 0 and 15, and every flag nibble of every type
 * (Table 2.2 of 3.1.1 / Table 2-2 of 5.0: 0010 for PUBREL, SUBSCRIBE, UNSUBSCRIBE, else 0000;
 * PUBLISH carries DUP/QoS/RETAIN instead). */
#include <stdio.h>
#include <string.h>

#include "support.h"

typedef struct minimal_packet {
    const char *hex;       /* a well-formed packet of this type with its required flags */
    const char *statement; /* the IDs that name a wrong flag nibble for this type */
} minimal_packet;

#define G311 "MQTT-2.2.2-1"
#define G5 "MQTT-2.1.3-1"

/* index = packet type */
static const minimal_packet v311_packets[16] = {
    [MQTT_CONNECT] = {"10 0f 00 04 4d 51 54 54 04 02 00 3c 00 03 61 62 63", G311},
    [MQTT_CONNACK] = {"20 02 00 00", G311},
    [MQTT_PUBACK] = {"40 02 00 01", G311},
    [MQTT_PUBREC] = {"50 02 00 01", G311},
    [MQTT_PUBREL] = {"62 02 00 01", "MQTT-3.6.1-1|" G311},
    [MQTT_PUBCOMP] = {"70 02 00 01", G311},
    /* SUBSCRIBE: id 1, filter "a", QoS 0 */
    [MQTT_SUBSCRIBE] = {"82 06 00 01 00 01 61 00", "MQTT-3.8.1-1|" G311},
    [MQTT_SUBACK] = {"90 03 00 01 00", G311},
    [MQTT_UNSUBSCRIBE] = {"a2 05 00 01 00 01 61", "MQTT-3.10.1-1|" G311},
    [MQTT_UNSUBACK] = {"b0 02 00 01", G311},
    [MQTT_PINGREQ] = {"c0 00", G311},
    [MQTT_PINGRESP] = {"d0 00", G311},
    [MQTT_DISCONNECT] = {"e0 00", "MQTT-3.14.1-1|" G311},
};

static const minimal_packet v5_packets[16] = {
    [MQTT_CONNECT] = {"10 10 00 04 4d 51 54 54 05 02 00 3c 00 00 03 61 62 63", G5},
    [MQTT_CONNACK] = {"20 03 00 00 00", G5},
    [MQTT_PUBACK] = {"40 02 00 01", G5},
    [MQTT_PUBREC] = {"50 02 00 01", G5},
    [MQTT_PUBREL] = {"62 02 00 01", "MQTT-3.6.1-1|" G5},
    [MQTT_PUBCOMP] = {"70 02 00 01", G5},
    /* SUBSCRIBE: id 1, Property Length 0, filter "a", options 0 */
    [MQTT_SUBSCRIBE] = {"82 07 00 01 00 00 01 61 00", "MQTT-3.8.1-1|" G5},
    [MQTT_SUBACK] = {"90 04 00 01 00 00", G5},
    [MQTT_UNSUBSCRIBE] = {"a2 06 00 01 00 00 01 61", "MQTT-3.10.1-1|" G5},
    [MQTT_UNSUBACK] = {"b0 04 00 01 00 00", G5},
    [MQTT_PINGREQ] = {"c0 00", G5},
    [MQTT_PINGRESP] = {"d0 00", G5},
    [MQTT_DISCONNECT] = {"e0 00", "MQTT-3.14.1-1|" G5},
    [MQTT_AUTH] = {"f0 00", "MQTT-3.15.1-1|" G5},
};

static void check_every_flag_nibble(const minimal_packet *table, mqtt_version v)
{
    for (unsigned type = 1; type < 16; type++) {
        if (!table[type].hex)
            continue;
        uint8_t b[64];
        size_t n = hex_to_bytes(table[type].hex, b, sizeof b);
        uint8_t required = b[0] & 0x0f;
        for (unsigned flags = 0; flags < 16; flags++) {
            b[0] = (uint8_t)(type << 4 | flags);
            mqtt_decode_opts o = decode_opts(v, MQTT_DIR_UNKNOWN);
            mqtt_packet p;
            mqtt_frame fr;
            memset(&fr, 0, sizeof fr);
            mqtt_result r = mqtt_decode(b, n, &o, &p, &fr);
            if (flags == required) {
                ck_assert_msg(r == MQTT_COMPLETE, "v%s type %u flags %x refused: %s", mqtt_version_name(v), type,
                              flags, mqtt_err_name(fr.error.code));
                ck_assert_uint_eq(p.type, type);
                ck_assert_uint_eq(p.flags, flags);
                continue;
            }
            char where[64];
            snprintf(where, sizeof where, "v%s type %u flags %x", mqtt_version_name(v), type, flags);
            ck_assert_msg(r == MQTT_MALFORMED, "%s accepted", where);
            check_mqtt_error(&fr.error, MQTT_ERR_BAD_FIXED_HEADER_FLAGS, table[type].statement, "0", where, __LINE__);
        }
    }
}

START_TEST(flags_v311)
{
    check_every_flag_nibble(v311_packets, MQTT_V311);
}
END_TEST

START_TEST(flags_v31)
{
    /* 3.1 has the same flag rules; it has no numbered statements (the 3.1.1 IDs are used) */
    for (unsigned type = 2; type < 15; type++) {
        if (type == MQTT_PUBLISH)
            continue;
        uint8_t b[64];
        size_t n = hex_to_bytes(v311_packets[type].hex, b, sizeof b);
        b[0] ^= 0x01; /* every type's required nibble has bit 0 clear */
        mqtt_decode_opts o = decode_opts(MQTT_V31, MQTT_DIR_UNKNOWN);
        mqtt_packet p;
        mqtt_frame fr;
        ck_assert_msg(mqtt_decode(b, n, &o, &p, &fr) == MQTT_MALFORMED, "3.1 type %u", type);
        ck_assert_mqtt_error(&fr.error, MQTT_ERR_BAD_FIXED_HEADER_FLAGS, STMT_ANY, "0");
    }
}
END_TEST

START_TEST(flags_v5)
{
    check_every_flag_nibble(v5_packets, MQTT_V5);
}
END_TEST

/* PUBLISH: every nibble but QoS 3 and DUP-with-QoS-0 is fine. */
START_TEST(publish_flag_nibbles)
{
    for (unsigned flags = 0; flags < 16; flags++) {
        unsigned qos = (flags >> 1) & 3, dup = flags >> 3;
        uint8_t b[16];
        /* QoS 0: topic "t"; QoS > 0: topic "t" and packet id 1 */
        size_t n = hex_to_bytes(qos ? "30 05 00 01 74 00 01" : "30 03 00 01 74", b, sizeof b);
        b[0] = (uint8_t)(0x30 | flags);
        mqtt_decode_opts o = decode_opts(MQTT_V311, MQTT_DIR_UNKNOWN);
        mqtt_packet p;
        mqtt_frame fr;
        mqtt_result r = mqtt_decode(b, n, &o, &p, &fr);
        if (qos == 3) {
            ck_assert_int_eq(r, MQTT_MALFORMED);
            ck_assert_mqtt_error(&fr.error, MQTT_ERR_PUBLISH_QOS_3, "MQTT-3.3.1-4", "0");
        } else if (dup && qos == 0) {
            ck_assert_int_eq(r, MQTT_MALFORMED);
            ck_assert_mqtt_error(&fr.error, MQTT_ERR_PUBLISH_DUP_QOS_0, "MQTT-3.3.1-2", "0");
        } else {
            ck_assert_msg(r == MQTT_COMPLETE, "flags %x", flags);
            ck_assert_uint_eq(p.u.publish.qos, qos);
            ck_assert_uint_eq(p.u.publish.dup, dup);
            ck_assert_uint_eq(p.u.publish.retain, flags & 1);
        }
    }
}
END_TEST

static const decode_error_case type_errors[] = {
    {"type 0, 3.1.1", "00 00", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_BAD_PACKET_TYPE, STMT_NONE, "0"},
    {"type 0, 5.0", "00 00", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_BAD_PACKET_TYPE, STMT_NONE, "0"},
    {"type 0, 3.1", "00 00", MQTT_V31, MQTT_DIR_UNKNOWN, MQTT_ERR_BAD_PACKET_TYPE, STMT_NONE, "0"},
    {"type 0 flags 0010", "02 00", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_BAD_PACKET_TYPE, STMT_NONE, "0"},
    {"type 15, 3.1.1", "f0 00", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_BAD_PACKET_TYPE, STMT_NONE, "0"},
    {"type 15, 3.1", "f0 02 00 00", MQTT_V31, MQTT_DIR_UNKNOWN, MQTT_ERR_BAD_PACKET_TYPE, STMT_NONE, "0"},
};

START_TEST(packet_type_errors)
{
    RUN_ERROR_CASE(&type_errors[_i]);
}
END_TEST

START_TEST(names_of_types_and_versions)
{
    static const char *const names[] = {NULL,       "CONNECT",  "CONNACK",     "PUBLISH",  "PUBACK",
                                        "PUBREC",   "PUBREL",   "PUBCOMP",     "SUBSCRIBE", "SUBACK",
                                        "UNSUBSCRIBE", "UNSUBACK", "PINGREQ",  "PINGRESP", "DISCONNECT",
                                        "AUTH"};
    for (unsigned t = 1; t < 16; t++)
        ck_assert_str_eq(mqtt_packet_type_name(t), names[t]);
    ck_assert_ptr_null(mqtt_packet_type_name(0));
    ck_assert_ptr_null(mqtt_packet_type_name(16));
    ck_assert_int_eq(mqtt_version_from_level(3), MQTT_V31);
    ck_assert_int_eq(mqtt_version_from_level(4), MQTT_V311);
    ck_assert_int_eq(mqtt_version_from_level(5), MQTT_V5);
    ck_assert_int_eq(mqtt_version_from_level(6), 0);
    ck_assert_int_eq(mqtt_version_from_level(0), 0);
    ck_assert_str_eq(mqtt_version_name(MQTT_V31), "3.1");
    ck_assert_str_eq(mqtt_version_name(MQTT_V311), "3.1.1");
    ck_assert_str_eq(mqtt_version_name(MQTT_V5), "5.0");
    mqtt_bytes b = mqtt_cstr("abc");
    ck_assert_uint_eq(b.len, 3);
    ck_assert(memcmp(b.data, "abc", 3) == 0);
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("header");
    TCase *tc = tcase_create("header");
    tcase_add_test(tc, flags_v311);
    tcase_add_test(tc, flags_v31);
    tcase_add_test(tc, flags_v5);
    tcase_add_test(tc, publish_flag_nibbles);
    tcase_add_loop_test(tc, packet_type_errors, 0, (int)ARRAY_LEN(type_errors));
    tcase_add_test(tc, names_of_types_and_versions);
    suite_add_tcase(s, tc);
    return s;
}
