/* CONNECT and CONNACK in 3.1, 3.1.1 and 5.0: golden bytes (every byte explained), decode of every
 * field, round trip, and each validation rule with its error, statement and offset. */
#include <string.h>

#include "support.h"

/* ---- golden packets ---------------------------------------------------------------------- */

/* 3.1.1, Clean Session, Keep Alive 60, ClientId "abc" */
#define CONNECT_V311_MIN                                                                                           \
    "10 0f"             /* CONNECT, flags 0000; Remaining Length 15 */                                              \
    "00 04 4d 51 54 54" /* protocol name "MQTT" */                                                                  \
    "04"                /* protocol level 4 = 3.1.1 */                                                              \
    "02"                /* connect flags: Clean Session */                                                          \
    "00 3c"             /* Keep Alive 60 s */                                                                       \
    "00 03 61 62 63"    /* ClientId "abc" */

/* 3.1.1 with every optional field: Will QoS 1 retained, user name and password */
#define CONNECT_V311_FULL                                                                                          \
    "10 1f"             /* CONNECT; Remaining Length 31 = 10 + 4 + 5 + 5 + 3 + 4 */                                 \
    "00 04 4d 51 54 54" /* "MQTT" */                                                                                \
    "04"                /* level 4 */                                                                               \
    "ee"                /* 1110 1110: user name, password, will retain, will QoS 01, will, clean, reserved 0 */     \
    "00 1e"             /* Keep Alive 30 */                                                                         \
    "00 02 63 31"       /* ClientId "c1" */                                                                         \
    "00 03 77 2f 74"    /* Will Topic "w/t" */                                                                      \
    "00 03 62 79 65"    /* Will Message "bye" */                                                                    \
    "00 01 75"          /* User Name "u" */                                                                         \
    "00 02 01 02"       /* Password 01 02 */

/* 3.1 ("MQIsdp", level 3), Clean Session, Keep Alive 10, ClientId "cl" */
#define CONNECT_V31_MIN                                                                                            \
    "10 10"                   /* CONNECT; Remaining Length 16 */                                                    \
    "00 06 4d 51 49 73 64 70" /* protocol name "MQIsdp" */                                                          \
    "03"                      /* protocol level 3 = 3.1 */                                                          \
    "02"                      /* Clean Session */                                                                   \
    "00 0a"                   /* Keep Alive 10 */                                                                   \
    "00 02 63 6c"             /* ClientId "cl" */

/* 3.1 with a QoS 2 will, user name and password */
#define CONNECT_V31_FULL                                                                                           \
    "10 1c"                   /* CONNECT; Remaining Length 28 = 12 + 4 + 3*4 */                                     \
    "00 06 4d 51 49 73 64 70" /* "MQIsdp" */                                                                        \
    "03"                      /* level 3 */                                                                         \
    "d6"                      /* 1101 0110: user name, password, will retain 0, will QoS 10, will, clean */         \
    "00 0a"                   /* Keep Alive 10 */                                                                   \
    "00 02 63 6c"             /* ClientId "cl" */                                                                   \
    "00 01 74"                /* Will Topic "t" */                                                                  \
    "00 01 6d"                /* Will Message "m" */                                                                \
    "00 01 75"                /* User Name "u" */                                                                   \
    "00 01 70"                /* Password "p" */

/* 5.0, Clean Start, Keep Alive 60, no properties, ClientId "abc" */
#define CONNECT_V5_MIN                                                                                             \
    "10 10"             /* CONNECT; Remaining Length 16 */                                                          \
    "00 04 4d 51 54 54" /* "MQTT" */                                                                                \
    "05"                /* protocol version 5 */                                                                    \
    "02"                /* Clean Start */                                                                           \
    "00 3c"             /* Keep Alive 60 */                                                                         \
    "00"                /* Property Length 0 */                                                                     \
    "00 03 61 62 63"    /* ClientId "abc" */

/* 5.0 with properties, a will with Will Properties, user name and password */
#define CONNECT_V5_PROPS "11 00 00 0e 10 21 00 14 26 00 01 6b 00 01 76"
#define CONNECT_V5_WILL_PROPS "18 00 00 00 05 01 01 03 00 04 74 65 78 74"
#define CONNECT_V5_FULL                                                                                            \
    "10 3e"             /* CONNECT; Remaining Length 62 */                                                          \
    "00 04 4d 51 54 54" /* "MQTT" */                                                                                \
    "05"                /* version 5 */                                                                             \
    "ee"                /* user name, password, will retain, will QoS 1, will, clean start */                      \
    "00 1e"             /* Keep Alive 30 */                                                                         \
    "0f"                /* Property Length 15 */                                                                    \
    "11 00 00 0e 10"    /*   Session Expiry Interval 3600 */                                                        \
    "21 00 14"          /*   Receive Maximum 20 */                                                                  \
    "26 00 01 6b 00 01 76" /* User Property "k" = "v" */                                                            \
    "00 02 63 31"       /* ClientId "c1" */                                                                         \
    "0e"                /* Will Properties Length 14 */                                                             \
    "18 00 00 00 05"    /*   Will Delay Interval 5 */                                                               \
    "01 01"             /*   Payload Format Indicator 1 (UTF-8) */                                                  \
    "03 00 04 74 65 78 74" /* Content Type "text" */                                                                \
    "00 03 77 2f 74"    /* Will Topic "w/t" */                                                                      \
    "00 03 62 79 65"    /* Will Payload "bye" */                                                                    \
    "00 01 75"          /* User Name "u" */                                                                         \
    "00 02 01 02"       /* Password 01 02 */

/* 5.0 allows a password without a user name */
#define CONNECT_V5_PASSWORD_ONLY                                                                                   \
    "10 11"             /* CONNECT; Remaining Length 17 */                                                          \
    "00 04 4d 51 54 54 05" /* "MQTT", version 5 */                                                                  \
    "42"                /* password, clean start */                                                                 \
    "00 3c 00"          /* Keep Alive 60, Property Length 0 */                                                      \
    "00 01 61"          /* ClientId "a" */                                                                          \
    "00 01 70"          /* Password "p" */

static mqtt_packet connect_packet(void)
{
    mqtt_packet p;
    memset(&p, 0, sizeof p);
    p.type = MQTT_CONNECT;
    return p;
}

START_TEST(connect_v311_min)
{
    mqtt_packet p = connect_packet();
    p.u.connect.clean_start = true;
    p.u.connect.keep_alive = 60;
    p.u.connect.client_id = mqtt_cstr("abc");
    ENCODE_EQ(&p, MQTT_V311, MQTT_DIR_TO_SERVER, CONNECT_V311_MIN);

    uint8_t buf[64];
    mqtt_packet d;
    DECODE_OK(CONNECT_V311_MIN, MQTT_V311, MQTT_DIR_TO_SERVER, buf, &d);
    ck_assert_int_eq(d.type, MQTT_CONNECT);
    ck_assert_uint_eq(d.flags, 0);
    ck_assert_uint_eq(d.remaining_length, 15);
    const mqtt_connect *c = &d.u.connect;
    ck_assert_view_str(c->protocol_name, "MQTT");
    ck_assert_uint_eq(c->protocol_level, 4);
    ck_assert(c->clean_start);
    ck_assert(!c->will && !c->will_retain && !c->has_username && !c->has_password);
    ck_assert_uint_eq(c->will_qos, 0);
    ck_assert_uint_eq(c->keep_alive, 60);
    ck_assert_uint_eq(c->props.len, 0);
    ck_assert_view_str(c->client_id, "abc");
    ROUNDTRIP(CONNECT_V311_MIN, MQTT_V311, MQTT_DIR_TO_SERVER);
}
END_TEST

START_TEST(connect_v311_full)
{
    uint8_t pw[2] = {1, 2};
    mqtt_packet p = connect_packet();
    mqtt_connect *c = &p.u.connect;
    c->clean_start = true;
    c->will = true;
    c->will_qos = 1;
    c->will_retain = true;
    c->has_username = true;
    c->has_password = true;
    c->keep_alive = 30;
    c->client_id = mqtt_cstr("c1");
    c->will_topic = mqtt_cstr("w/t");
    c->will_payload = mqtt_cstr("bye");
    c->username = mqtt_cstr("u");
    c->password.data = pw;
    c->password.len = 2;
    ENCODE_EQ(&p, MQTT_V311, MQTT_DIR_TO_SERVER, CONNECT_V311_FULL);

    uint8_t buf[64];
    mqtt_packet d;
    DECODE_OK(CONNECT_V311_FULL, MQTT_V311, MQTT_DIR_TO_SERVER, buf, &d);
    c = &d.u.connect;
    ck_assert_view_str(c->protocol_name, "MQTT");
    ck_assert_uint_eq(c->protocol_level, 4);
    ck_assert(c->clean_start && c->will && c->will_retain && c->has_username && c->has_password);
    ck_assert_uint_eq(c->will_qos, 1);
    ck_assert_uint_eq(c->keep_alive, 30);
    ck_assert_view_str(c->client_id, "c1");
    ck_assert_view_str(c->will_topic, "w/t");
    ck_assert_view_str(c->will_payload, "bye");
    ck_assert_view_str(c->username, "u");
    ck_assert_view_hex(c->password, "01 02");
    ck_assert_uint_eq(c->will_props.len, 0);
    ROUNDTRIP(CONNECT_V311_FULL, MQTT_V311, MQTT_DIR_TO_SERVER);
}
END_TEST

START_TEST(connect_v31)
{
    mqtt_packet p = connect_packet();
    p.u.connect.clean_start = true;
    p.u.connect.keep_alive = 10;
    p.u.connect.client_id = mqtt_cstr("cl");
    ENCODE_EQ(&p, MQTT_V31, MQTT_DIR_TO_SERVER, CONNECT_V31_MIN);

    uint8_t buf[64];
    mqtt_packet d;
    DECODE_OK(CONNECT_V31_MIN, MQTT_V31, MQTT_DIR_TO_SERVER, buf, &d);
    ck_assert_view_str(d.u.connect.protocol_name, "MQIsdp");
    ck_assert_uint_eq(d.u.connect.protocol_level, 3);
    ck_assert(d.u.connect.clean_start);
    ck_assert_uint_eq(d.u.connect.keep_alive, 10);
    ck_assert_view_str(d.u.connect.client_id, "cl");
    ROUNDTRIP(CONNECT_V31_MIN, MQTT_V31, MQTT_DIR_TO_SERVER);

    p.u.connect.will = true;
    p.u.connect.will_qos = 2;
    p.u.connect.will_topic = mqtt_cstr("t");
    p.u.connect.will_payload = mqtt_cstr("m");
    p.u.connect.has_username = p.u.connect.has_password = true;
    p.u.connect.username = mqtt_cstr("u");
    p.u.connect.password = mqtt_cstr("p");
    ENCODE_EQ(&p, MQTT_V31, MQTT_DIR_TO_SERVER, CONNECT_V31_FULL);
    DECODE_OK(CONNECT_V31_FULL, MQTT_V31, MQTT_DIR_TO_SERVER, buf, &d);
    ck_assert(d.u.connect.will && !d.u.connect.will_retain);
    ck_assert_uint_eq(d.u.connect.will_qos, 2);
    ck_assert_view_str(d.u.connect.will_topic, "t");
    ck_assert_view_str(d.u.connect.will_payload, "m");
    ck_assert_view_str(d.u.connect.username, "u");
    ck_assert_view_str(d.u.connect.password, "p");
    ROUNDTRIP(CONNECT_V31_FULL, MQTT_V31, MQTT_DIR_TO_SERVER);
}
END_TEST

START_TEST(connect_v5_min)
{
    mqtt_packet p = connect_packet();
    p.u.connect.clean_start = true;
    p.u.connect.keep_alive = 60;
    p.u.connect.client_id = mqtt_cstr("abc");
    ENCODE_EQ(&p, MQTT_V5, MQTT_DIR_TO_SERVER, CONNECT_V5_MIN);
    uint8_t buf[64];
    mqtt_packet d;
    DECODE_OK(CONNECT_V5_MIN, MQTT_V5, MQTT_DIR_TO_SERVER, buf, &d);
    ck_assert_view_str(d.u.connect.protocol_name, "MQTT");
    ck_assert_uint_eq(d.u.connect.protocol_level, 5);
    ck_assert_uint_eq(d.u.connect.props.len, 0);
    ck_assert_view_str(d.u.connect.client_id, "abc");
    ROUNDTRIP(CONNECT_V5_MIN, MQTT_V5, MQTT_DIR_TO_SERVER);
}
END_TEST

START_TEST(connect_v5_full)
{
    uint8_t pb[32], wb[32], pw[2] = {1, 2};
    mqtt_packet p = connect_packet();
    mqtt_connect *c = &p.u.connect;
    c->clean_start = c->will = c->will_retain = c->has_username = c->has_password = true;
    c->will_qos = 1;
    c->keep_alive = 30;
    c->props = props_view(CONNECT_V5_PROPS, pb, sizeof pb);
    c->client_id = mqtt_cstr("c1");
    c->will_props = props_view(CONNECT_V5_WILL_PROPS, wb, sizeof wb);
    c->will_topic = mqtt_cstr("w/t");
    c->will_payload = mqtt_cstr("bye");
    c->username = mqtt_cstr("u");
    c->password.data = pw;
    c->password.len = 2;
    ENCODE_EQ(&p, MQTT_V5, MQTT_DIR_TO_SERVER, CONNECT_V5_FULL);

    uint8_t buf[128];
    mqtt_packet d;
    DECODE_OK(CONNECT_V5_FULL, MQTT_V5, MQTT_DIR_TO_SERVER, buf, &d);
    c = &d.u.connect;
    ck_assert_uint_eq(d.remaining_length, 62);
    ck_assert(c->clean_start && c->will && c->will_retain && c->has_username && c->has_password);
    ck_assert_uint_eq(c->will_qos, 1);
    ck_assert_uint_eq(c->keep_alive, 30);
    ck_assert_view_hex(props_bytes(c->props), CONNECT_V5_PROPS);
    ck_assert_ptr_eq(c->props.data, buf + 13); /* a view into the input, not a copy */
    ck_assert_view_str(c->client_id, "c1");
    ck_assert_view_hex(props_bytes(c->will_props), CONNECT_V5_WILL_PROPS);
    ck_assert_view_str(c->will_topic, "w/t");
    ck_assert_view_str(c->will_payload, "bye");
    ck_assert_view_str(c->username, "u");
    ck_assert_view_hex(c->password, "01 02");

    mqtt_property prop;
    ck_assert(mqtt_props_find(c->props, MQTT_PROP_SESSION_EXPIRY_INTERVAL, &prop));
    ck_assert_uint_eq(prop.value, 3600);
    ck_assert(mqtt_props_find(c->props, MQTT_PROP_RECEIVE_MAXIMUM, &prop));
    ck_assert_uint_eq(prop.value, 20);
    ck_assert(mqtt_props_find(c->will_props, MQTT_PROP_WILL_DELAY_INTERVAL, &prop));
    ck_assert_uint_eq(prop.value, 5);
    ck_assert(mqtt_props_find(c->will_props, MQTT_PROP_CONTENT_TYPE, &prop));
    ck_assert_view_str(prop.data, "text");
    ROUNDTRIP(CONNECT_V5_FULL, MQTT_V5, MQTT_DIR_TO_SERVER);
}
END_TEST

START_TEST(connect_v5_password_without_username_ok)
{
    mqtt_packet p = connect_packet();
    p.u.connect.clean_start = true;
    p.u.connect.has_password = true;
    p.u.connect.keep_alive = 60;
    p.u.connect.client_id = mqtt_cstr("a");
    p.u.connect.password = mqtt_cstr("p");
    ENCODE_EQ(&p, MQTT_V5, MQTT_DIR_TO_SERVER, CONNECT_V5_PASSWORD_ONLY);
    uint8_t buf[64];
    mqtt_packet d;
    DECODE_OK(CONNECT_V5_PASSWORD_ONLY, MQTT_V5, MQTT_DIR_TO_SERVER, buf, &d);
    ck_assert(d.u.connect.has_password && !d.u.connect.has_username);
    ck_assert_view_str(d.u.connect.password, "p");
}
END_TEST

/* A CONNECT is read by the level it announces, whatever version the connection was set to. */
START_TEST(connect_read_by_its_own_level)
{
    uint8_t buf[64];
    mqtt_packet d;
    DECODE_OK(CONNECT_V311_MIN, MQTT_V5, MQTT_DIR_UNKNOWN, buf, &d);
    ck_assert_uint_eq(d.u.connect.protocol_level, 4);
    ck_assert_view_str(d.u.connect.client_id, "abc");
    DECODE_OK(CONNECT_V5_MIN, MQTT_V311, MQTT_DIR_UNKNOWN, buf, &d);
    ck_assert_uint_eq(d.u.connect.protocol_level, 5);
    ck_assert_view_str(d.u.connect.client_id, "abc");
}
END_TEST

static const decode_ok_case connect_ok[] = {
    /* zero-length ClientId with Clean Session 1 is allowed in 3.1.1 */
    {"3.1.1 empty id, clean 1", "10 0c 00 04 4d 51 54 54 04 02 00 3c 00 00", MQTT_V311, MQTT_DIR_TO_SERVER},
    /* 5.0 allows a zero-length ClientId with Clean Start 0 */
    {"5.0 empty id, clean 0", "10 0d 00 04 4d 51 54 54 05 00 00 3c 00 00 00", MQTT_V5, MQTT_DIR_TO_SERVER},
    /* U+FEFF (ef bb bf) in a ClientId is a valid character */
    {"3.1.1 BOM in id", "10 0f 00 04 4d 51 54 54 04 02 00 3c 00 03 ef bb bf", MQTT_V311, MQTT_DIR_TO_SERVER},
    /* will QoS 2 with the will flag */
    {"3.1.1 will qos 2", "10 13 00 04 4d 51 54 54 04 16 00 3c 00 01 61 00 01 74 00 01 6d", MQTT_V311,
     MQTT_DIR_TO_SERVER},
};

START_TEST(connect_ok_table)
{
    RUN_OK_CASE(&connect_ok[_i]);
}
END_TEST

/* Offsets in a 3.1.1 CONNECT: 0 type, 1 RL, 2-7 protocol name, 8 level, 9 flags, 10-11 keep alive,
 * 12-13 ClientId length, 14.. ClientId. In 5.0, 12 is the Property Length. */
static const decode_error_case connect_errors[] = {
    {"flags 0001 in byte 0, 3.1.1", "11 0f 00 04 4d 51 54 54 04 02 00 3c 00 03 61 62 63", MQTT_V311,
     MQTT_DIR_TO_SERVER, MQTT_ERR_BAD_FIXED_HEADER_FLAGS, "MQTT-2.2.2-1", "0"},
    {"flags 1000 in byte 0, 5.0", "18 10 00 04 4d 51 54 54 05 02 00 3c 00 00 03 61 62 63", MQTT_V5,
     MQTT_DIR_TO_SERVER, MQTT_ERR_BAD_FIXED_HEADER_FLAGS, "MQTT-2.1.3-1", "0"},
    {"protocol name MQTX", "10 0f 00 04 4d 51 54 58 04 02 00 3c 00 03 61 62 63", MQTT_V311, MQTT_DIR_TO_SERVER,
     MQTT_ERR_PROTOCOL_NAME, "MQTT-3.1.2-1", "2|4"},
    {"protocol name mqtt (case)", "10 10 00 04 6d 71 74 74 05 02 00 3c 00 00 03 61 62 63", MQTT_V5,
     MQTT_DIR_TO_SERVER, MQTT_ERR_PROTOCOL_NAME, "MQTT-3.1.2-1", "2|4"},
    {"MQIsdp with level 4", "10 11 00 06 4d 51 49 73 64 70 04 02 00 3c 00 03 61 62 63", MQTT_V311,
     MQTT_DIR_TO_SERVER, MQTT_ERR_PROTOCOL_NAME, "MQTT-3.1.2-1", "2|4|10"},
    {"MQTT with level 3", "10 0f 00 04 4d 51 54 54 03 02 00 3c 00 03 61 62 63", MQTT_V31, MQTT_DIR_TO_SERVER,
     MQTT_ERR_PROTOCOL_NAME, "MQTT-3.1.2-1", "2|4|8"},
    {"level 6", "10 0f 00 04 4d 51 54 54 06 02 00 3c 00 03 61 62 63", MQTT_V311, MQTT_DIR_TO_SERVER,
     MQTT_ERR_PROTOCOL_LEVEL, "MQTT-3.1.2-2", "8"},
    {"level 0", "10 0f 00 04 4d 51 54 54 00 02 00 3c 00 03 61 62 63", MQTT_V5, MQTT_DIR_TO_SERVER,
     MQTT_ERR_PROTOCOL_LEVEL, "MQTT-3.1.2-2", "8"},
    {"reserved flag, 3.1.1", "10 0f 00 04 4d 51 54 54 04 03 00 3c 00 03 61 62 63", MQTT_V311, MQTT_DIR_TO_SERVER,
     MQTT_ERR_CONNECT_RESERVED_FLAG, "MQTT-3.1.2-3", "9"},
    {"reserved flag, 5.0", "10 10 00 04 4d 51 54 54 05 03 00 3c 00 00 03 61 62 63", MQTT_V5, MQTT_DIR_TO_SERVER,
     MQTT_ERR_CONNECT_RESERVED_FLAG, "MQTT-3.1.2-3", "9"},
    {"reserved flag, 3.1", "10 10 00 06 4d 51 49 73 64 70 03 03 00 0a 00 02 63 6c", MQTT_V31, MQTT_DIR_TO_SERVER,
     MQTT_ERR_CONNECT_RESERVED_FLAG, STMT_ANY, "11"},
    {"will qos 1 without will, 3.1.1", "10 0f 00 04 4d 51 54 54 04 0a 00 3c 00 03 61 62 63", MQTT_V311,
     MQTT_DIR_TO_SERVER, MQTT_ERR_WILL_QOS_WITHOUT_WILL, "MQTT-3.1.2-13", "9"},
    {"will qos 2 without will, 5.0", "10 10 00 04 4d 51 54 54 05 12 00 3c 00 00 03 61 62 63", MQTT_V5,
     MQTT_DIR_TO_SERVER, MQTT_ERR_WILL_QOS_WITHOUT_WILL, "MQTT-3.1.2-11", "9"},
    {"will retain without will, 3.1.1", "10 0f 00 04 4d 51 54 54 04 22 00 3c 00 03 61 62 63", MQTT_V311,
     MQTT_DIR_TO_SERVER, MQTT_ERR_WILL_RETAIN_WITHOUT_WILL, "MQTT-3.1.2-15", "9"},
    {"will retain without will, 5.0", "10 10 00 04 4d 51 54 54 05 22 00 3c 00 00 03 61 62 63", MQTT_V5,
     MQTT_DIR_TO_SERVER, MQTT_ERR_WILL_RETAIN_WITHOUT_WILL, "MQTT-3.1.2-13", "9"},
    /* will flag + will QoS 11 + clean = 0001 1110, will topic "t" and message "m" present */
    {"will qos 3, 3.1.1", "10 13 00 04 4d 51 54 54 04 1e 00 3c 00 01 61 00 01 74 00 01 6d", MQTT_V311,
     MQTT_DIR_TO_SERVER, MQTT_ERR_WILL_QOS_3, "MQTT-3.1.2-14", "9"},
    {"will qos 3, 5.0", "10 15 00 04 4d 51 54 54 05 1e 00 3c 00 00 01 61 00 00 01 74 00 01 6d", MQTT_V5,
     MQTT_DIR_TO_SERVER, MQTT_ERR_WILL_QOS_3, "MQTT-3.1.2-12", "9"},
    /* 0100 0010: password without user name */
    {"password without username, 3.1.1", "10 10 00 04 4d 51 54 54 04 42 00 3c 00 01 61 00 01 70", MQTT_V311,
     MQTT_DIR_TO_SERVER, MQTT_ERR_PASSWORD_WITHOUT_USERNAME, "MQTT-3.1.2-22", "9"},
    {"empty client id, clean 0, 3.1.1", "10 0c 00 04 4d 51 54 54 04 00 00 3c 00 00", MQTT_V311, MQTT_DIR_TO_SERVER,
     MQTT_ERR_EMPTY_CLIENT_ID_NEEDS_CLEAN, "MQTT-3.1.3-7", "9|12"},
    /* ClientId length 5 but only 3 bytes left in the packet; the buffer goes on with "def" */
    {"client id overruns packet", "10 0f 00 04 4d 51 54 54 04 02 00 3c 00 05 61 62 63 64 65 66", MQTT_V311,
     MQTT_DIR_TO_SERVER, MQTT_ERR_FIELD_OVERRUNS_PACKET, STMT_ANY, "12|14"},
    /* will flag set, but the packet ends after the ClientId; the buffer holds a plausible will after it */
    {"will topic missing", "10 0f 00 04 4d 51 54 54 04 06 00 3c 00 03 61 62 63 00 01 74 00 01 6d", MQTT_V311,
     MQTT_DIR_TO_SERVER, MQTT_ERR_FIELD_OVERRUNS_PACKET, STMT_ANY, "17"},
    /* user name flag set, nothing after the ClientId in the packet */
    {"user name missing", "10 0f 00 04 4d 51 54 54 04 82 00 3c 00 03 61 62 63 00 01 75", MQTT_V311,
     MQTT_DIR_TO_SERVER, MQTT_ERR_FIELD_OVERRUNS_PACKET, STMT_ANY, "17"},
    /* Remaining Length 17 covers two bytes after the ClientId that no flag accounts for */
    {"trailing bytes", "10 11 00 04 4d 51 54 54 04 02 00 3c 00 03 61 62 63 00 00", MQTT_V311, MQTT_DIR_TO_SERVER,
     MQTT_ERR_TRAILING_BYTES, STMT_NONE, "17"},
    {"client id C0 80", "10 0e 00 04 4d 51 54 54 04 02 00 3c 00 02 c0 80", MQTT_V311, MQTT_DIR_TO_SERVER,
     MQTT_ERR_UTF8_INVALID, "MQTT-1.5.3-1|MQTT-3.1.3-4", "14"},
    {"client id U+0000, 5.0", "10 0f 00 04 4d 51 54 54 05 02 00 3c 00 00 02 61 00", MQTT_V5, MQTT_DIR_TO_SERVER,
     MQTT_ERR_UTF8_NULL, "MQTT-1.5.4-2", "16"},
    {"user name surrogate, 5.0", "10 13 00 04 4d 51 54 54 05 82 00 3c 00 00 01 61 00 03 ed a0 80", MQTT_V5,
     MQTT_DIR_TO_SERVER, MQTT_ERR_UTF8_INVALID, "MQTT-1.5.4-1|MQTT-3.1.3-12", "18|19"},
    /* 5.0 Property Length 10 runs past the packet; bytes after the packet look like properties */
    {"properties overrun packet", "10 10 00 04 4d 51 54 54 05 02 00 3c 0a 00 03 61 62 63 26 00 01 6b 00 01 76",
     MQTT_V5, MQTT_DIR_TO_SERVER, MQTT_ERR_FIELD_OVERRUNS_PACKET, STMT_ANY, "12"},
    /* Property Length 0 written as 80 00 */
    {"property length not minimal", "10 11 00 04 4d 51 54 54 05 02 00 3c 80 00 00 03 61 62 63", MQTT_V5,
     MQTT_DIR_TO_SERVER, MQTT_ERR_VARINT_NOT_MINIMAL, "MQTT-1.5.5-1", "12|13"},
    /* Will Delay Interval belongs in the Will Properties only */
    {"will delay in connect props", "10 15 00 04 4d 51 54 54 05 02 00 3c 05 18 00 00 00 05 00 03 61 62 63", MQTT_V5,
     MQTT_DIR_TO_SERVER, MQTT_ERR_PROPERTY_NOT_ALLOWED, STMT_NONE, "13"},
    /* Session Expiry Interval is not a Will Property */
    {"session expiry in will props",
     "10 1a 00 04 4d 51 54 54 05 06 00 3c 00 00 01 61 05 11 00 00 00 05 00 01 74 00 01 6d", MQTT_V5,
     MQTT_DIR_TO_SERVER, MQTT_ERR_PROPERTY_NOT_ALLOWED, STMT_NONE, "17"},
    {"auth data without method", "10 14 00 04 4d 51 54 54 05 02 00 3c 04 16 00 01 78 00 03 61 62 63", MQTT_V5,
     MQTT_DIR_TO_SERVER, MQTT_ERR_AUTH_DATA_WITHOUT_METHOD, STMT_NONE, "13"},
};

START_TEST(connect_error_table)
{
    RUN_ERROR_CASE(&connect_errors[_i]);
}
END_TEST

/* ---- CONNACK ----------------------------------------------------------------------------- */

#define CONNACK_V311_SESSION "20 02 01 00" /* CONNACK; RL 2; Session Present; return code 0 accepted */
#define CONNACK_V311_REFUSED "20 02 00 05" /* CONNACK; RL 2; no flags; 5 = not authorized */
#define CONNACK_V31_REFUSED "20 02 00 02"  /* CONNACK; RL 2; reserved 0; 2 = identifier rejected */
#define CONNACK_V5_MIN "20 03 00 00 00"    /* CONNACK; RL 3; flags 0; Success; Property Length 0 */
#define CONNACK_V5_PROPS "24 01 25 00 12 00 02 69 64 22 00 0a"
#define CONNACK_V5_FULL                                                                                            \
    "20 0f"             /* CONNACK; RL 15 */                                                                        \
    "01"                /* Session Present */                                                                       \
    "00"                /* Success */                                                                               \
    "0c"                /* Property Length 12 */                                                                    \
    "24 01"             /*   Maximum QoS 1 */                                                                       \
    "25 00"             /*   Retain Available 0 */                                                                  \
    "12 00 02 69 64"    /*   Assigned Client Identifier "id" */                                                     \
    "22 00 0a"          /*   Topic Alias Maximum 10 */
#define CONNACK_V5_REFUSED "20 03 00 86 00" /* 0x86 Bad User Name or Password, no Session Present */

START_TEST(connack_goldens)
{
    uint8_t buf[64], pb[32];
    mqtt_packet p, d;
    memset(&p, 0, sizeof p);
    p.type = MQTT_CONNACK;
    p.u.connack.session_present = true;
    ENCODE_EQ(&p, MQTT_V311, MQTT_DIR_TO_CLIENT, CONNACK_V311_SESSION);
    DECODE_OK(CONNACK_V311_SESSION, MQTT_V311, MQTT_DIR_TO_CLIENT, buf, &d);
    ck_assert_int_eq(d.type, MQTT_CONNACK);
    ck_assert(d.u.connack.session_present);
    ck_assert_uint_eq(d.u.connack.reason_code, 0);
    ROUNDTRIP(CONNACK_V311_SESSION, MQTT_V311, MQTT_DIR_TO_CLIENT);
    /* 3.1 reads the flags byte as 3.1.1 does */
    DECODE_OK(CONNACK_V311_SESSION, MQTT_V31, MQTT_DIR_TO_CLIENT, buf, &d);
    ck_assert(d.u.connack.session_present);
    ROUNDTRIP(CONNACK_V311_SESSION, MQTT_V31, MQTT_DIR_TO_CLIENT);

    p.u.connack.session_present = false;
    p.u.connack.reason_code = 5;
    ENCODE_EQ(&p, MQTT_V311, MQTT_DIR_TO_CLIENT, CONNACK_V311_REFUSED);
    DECODE_OK(CONNACK_V311_REFUSED, MQTT_V311, MQTT_DIR_TO_CLIENT, buf, &d);
    ck_assert(!d.u.connack.session_present);
    ck_assert_uint_eq(d.u.connack.reason_code, 5);

    p.u.connack.reason_code = 2;
    ENCODE_EQ(&p, MQTT_V31, MQTT_DIR_TO_CLIENT, CONNACK_V31_REFUSED);
    DECODE_OK(CONNACK_V31_REFUSED, MQTT_V31, MQTT_DIR_TO_CLIENT, buf, &d);
    ck_assert_uint_eq(d.u.connack.reason_code, 2);
    ROUNDTRIP(CONNACK_V31_REFUSED, MQTT_V31, MQTT_DIR_TO_CLIENT);

    p.u.connack.reason_code = 0;
    ENCODE_EQ(&p, MQTT_V5, MQTT_DIR_TO_CLIENT, CONNACK_V5_MIN);
    DECODE_OK(CONNACK_V5_MIN, MQTT_V5, MQTT_DIR_TO_CLIENT, buf, &d);
    ck_assert(!d.u.connack.session_present);
    ck_assert_uint_eq(d.u.connack.props.len, 0);
    ROUNDTRIP(CONNACK_V5_MIN, MQTT_V5, MQTT_DIR_TO_CLIENT);

    p.u.connack.session_present = true;
    p.u.connack.props = props_view(CONNACK_V5_PROPS, pb, sizeof pb);
    ENCODE_EQ(&p, MQTT_V5, MQTT_DIR_TO_CLIENT, CONNACK_V5_FULL);
    DECODE_OK(CONNACK_V5_FULL, MQTT_V5, MQTT_DIR_TO_CLIENT, buf, &d);
    ck_assert(d.u.connack.session_present);
    ck_assert_uint_eq(d.u.connack.reason_code, 0);
    ck_assert_view_hex(props_bytes(d.u.connack.props), CONNACK_V5_PROPS);
    ck_assert_uint_eq(mqtt_props_count(d.u.connack.props), 4);
    mqtt_property prop;
    ck_assert(mqtt_props_find(d.u.connack.props, MQTT_PROP_ASSIGNED_CLIENT_IDENTIFIER, &prop));
    ck_assert_view_str(prop.data, "id");
    ck_assert(mqtt_props_find(d.u.connack.props, MQTT_PROP_TOPIC_ALIAS_MAXIMUM, &prop));
    ck_assert_uint_eq(prop.value, 10);
    ROUNDTRIP(CONNACK_V5_FULL, MQTT_V5, MQTT_DIR_TO_CLIENT);

    p.u.connack.session_present = false;
    p.u.connack.reason_code = 0x86;
    p.u.connack.props.len = 0;
    ENCODE_EQ(&p, MQTT_V5, MQTT_DIR_TO_CLIENT, CONNACK_V5_REFUSED);
    DECODE_OK(CONNACK_V5_REFUSED, MQTT_V5, MQTT_DIR_TO_CLIENT, buf, &d);
    ck_assert_uint_eq(d.u.connack.reason_code, 0x86);
}
END_TEST

static const decode_error_case connack_errors[] = {
    {"3.1.1 return code 6", "20 02 00 06", MQTT_V311, MQTT_DIR_TO_CLIENT, MQTT_ERR_REASON_CODE_NOT_ALLOWED, STMT_NONE,
     "3"},
    {"3.1.1 5.0-style code 0x80", "20 02 00 80", MQTT_V311, MQTT_DIR_TO_CLIENT, MQTT_ERR_REASON_CODE_NOT_ALLOWED,
     STMT_NONE, "3"},
    {"3.1 return code 6", "20 02 00 06", MQTT_V31, MQTT_DIR_TO_CLIENT, MQTT_ERR_REASON_CODE_NOT_ALLOWED, STMT_NONE,
     "3"},
    {"3.1.1 session present with code 5", "20 02 01 05", MQTT_V311, MQTT_DIR_TO_CLIENT,
     MQTT_ERR_SESSION_PRESENT_ON_ERROR, "MQTT-3.2.2-4", "2|3"},
    {"3.1.1 reserved flag bit 1", "20 02 02 00", MQTT_V311, MQTT_DIR_TO_CLIENT, MQTT_ERR_CONNACK_RESERVED_FLAGS,
     STMT_NONE, "2"},
    {"3.1 reserved flag bit 1", "20 02 02 00", MQTT_V31, MQTT_DIR_TO_CLIENT, MQTT_ERR_CONNACK_RESERVED_FLAGS,
     STMT_NONE, "2"},
    {"3.1.1 RL 3", "20 03 00 00 00", MQTT_V311, MQTT_DIR_TO_CLIENT, MQTT_ERR_WRONG_REMAINING_LENGTH, STMT_NONE, "1"},
    {"3.1.1 RL 1", "20 01 00 00", MQTT_V311, MQTT_DIR_TO_CLIENT, MQTT_ERR_WRONG_REMAINING_LENGTH, STMT_NONE, "1"},
    {"3.1.1 flags in byte 0", "21 02 00 00", MQTT_V311, MQTT_DIR_TO_CLIENT, MQTT_ERR_BAD_FIXED_HEADER_FLAGS,
     "MQTT-2.2.2-1", "0"},
    {"5.0 code 0x05 (3.1.1 only)", "20 03 00 05 00", MQTT_V5, MQTT_DIR_TO_CLIENT, MQTT_ERR_REASON_CODE_NOT_ALLOWED,
     "MQTT-3.2.2-8", "3"},
    {"5.0 code 0x8b (DISCONNECT only)", "20 03 00 8b 00", MQTT_V5, MQTT_DIR_TO_CLIENT,
     MQTT_ERR_REASON_CODE_NOT_ALLOWED, "MQTT-3.2.2-8", "3"},
    {"5.0 session present with 0x80", "20 03 01 80 00", MQTT_V5, MQTT_DIR_TO_CLIENT,
     MQTT_ERR_SESSION_PRESENT_ON_ERROR, "MQTT-3.2.2-6", "2|3"},
    {"5.0 reserved flag bit 7", "20 03 80 00 00", MQTT_V5, MQTT_DIR_TO_CLIENT, MQTT_ERR_CONNACK_RESERVED_FLAGS,
     "MQTT-3.2.2-1", "2"},
    {"5.0 maximum qos 2", "20 05 00 00 02 24 02", MQTT_V5, MQTT_DIR_TO_CLIENT, MQTT_ERR_PROPERTY_BAD_VALUE, STMT_NONE,
     "5|6"},
    {"5.0 will delay in connack", "20 08 00 00 05 18 00 00 00 01", MQTT_V5, MQTT_DIR_TO_CLIENT,
     MQTT_ERR_PROPERTY_NOT_ALLOWED, STMT_NONE, "5"},
    /* Reason String length 8 inside a Property Length of 4; the buffer goes on with text */
    {"5.0 reason string overruns properties", "20 07 00 00 04 1f 00 08 61 62 63 64 65 66 67 68", MQTT_V5,
     MQTT_DIR_TO_CLIENT, MQTT_ERR_FIELD_OVERRUNS_PACKET, STMT_ANY, "5|6"},
};

START_TEST(connack_error_table)
{
    RUN_ERROR_CASE(&connack_errors[_i]);
}
END_TEST

/* 5.0 CONNACK always carries a Property Length: Remaining Length 2 is malformed. */
START_TEST(connack_v5_without_property_length)
{
    uint8_t b[8];
    size_t n = hex_to_bytes("20 02 00 00", b, sizeof b);
    mqtt_decode_opts o = decode_opts(MQTT_V5, MQTT_DIR_TO_CLIENT);
    mqtt_packet p;
    mqtt_frame fr;
    ck_assert_int_eq(mqtt_decode(b, n, &o, &p, &fr), MQTT_MALFORMED);
    ck_assert(fr.error.code == MQTT_ERR_FIELD_OVERRUNS_PACKET || fr.error.code == MQTT_ERR_WRONG_REMAINING_LENGTH);
}
END_TEST

/* Every 3.1.1 return code 0..5 is accepted; every 5.0 Connect Reason Code of Table 3-1 too. */
START_TEST(connack_code_sets)
{
    static const uint8_t v5_codes[] = {0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
                                       0x8a, 0x8c, 0x90, 0x95, 0x97, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9f};
    uint8_t b[8] = {0x20, 0x02, 0x00, 0x00, 0x00};
    mqtt_packet p;
    mqtt_frame fr;
    for (unsigned code = 0; code <= 5; code++) {
        mqtt_decode_opts o = decode_opts(MQTT_V311, MQTT_DIR_TO_CLIENT);
        b[3] = (uint8_t)code;
        ck_assert_msg(mqtt_decode(b, 4, &o, &p, &fr) == MQTT_COMPLETE, "3.1.1 return code %u", code);
        ck_assert(mqtt_reason_allowed(MQTT_V311, MQTT_CONNACK, (uint8_t)code, MQTT_DIR_TO_CLIENT));
    }
    b[1] = 0x03;
    for (size_t i = 0; i < ARRAY_LEN(v5_codes); i++) {
        mqtt_decode_opts o = decode_opts(MQTT_V5, MQTT_DIR_TO_CLIENT);
        b[3] = v5_codes[i];
        ck_assert_msg(mqtt_decode(b, 5, &o, &p, &fr) == MQTT_COMPLETE, "5.0 reason code 0x%02x", v5_codes[i]);
        ck_assert(mqtt_reason_allowed(MQTT_V5, MQTT_CONNACK, v5_codes[i], MQTT_DIR_TO_CLIENT));
    }
    ck_assert(!mqtt_reason_allowed(MQTT_V5, MQTT_CONNACK, 0x01, MQTT_DIR_TO_CLIENT));
    ck_assert(!mqtt_reason_allowed(MQTT_V311, MQTT_CONNACK, 0x06, MQTT_DIR_TO_CLIENT));
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("connect");
    TCase *tc = tcase_create("connect");
    tcase_add_test(tc, connect_v311_min);
    tcase_add_test(tc, connect_v311_full);
    tcase_add_test(tc, connect_v31);
    tcase_add_test(tc, connect_v5_min);
    tcase_add_test(tc, connect_v5_full);
    tcase_add_test(tc, connect_v5_password_without_username_ok);
    tcase_add_test(tc, connect_read_by_its_own_level);
    tcase_add_loop_test(tc, connect_ok_table, 0, (int)ARRAY_LEN(connect_ok));
    tcase_add_loop_test(tc, connect_error_table, 0, (int)ARRAY_LEN(connect_errors));
    suite_add_tcase(s, tc);
    TCase *ack = tcase_create("connack");
    tcase_add_test(ack, connack_goldens);
    tcase_add_loop_test(ack, connack_error_table, 0, (int)ARRAY_LEN(connack_errors));
    tcase_add_test(ack, connack_v5_without_property_length);
    tcase_add_test(ack, connack_code_sets);
    suite_add_tcase(s, ack);
    return s;
}
