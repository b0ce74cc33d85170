/* The shared-field accessors (mqtt_packet_id, mqtt_packet_props, mqtt_packet_reason and their
 * _field forms, and mqtt_packet_tail) on decoded packets of every type, so callers need not switch on the type. */
#include <check.h>
#include <stdbool.h>

#include "mqtt/codec.h"
#include "support.h"

typedef struct access_case {
    mqtt_version v;
    mqtt_direction dir;
    const char *hex;
    int32_t id;      /* -1: none */
    int reason;      /* -1: none */
    uint32_t props;  /* property bytes expected */
} access_case;

static const access_case cases[] = {
    {MQTT_V5, MQTT_DIR_TO_SERVER, "10 0d 00 04 4d 51 54 54 05 02 00 3c 00 00 00", -1, -1, 0},    /* CONNECT */
    {MQTT_V5, MQTT_DIR_TO_CLIENT, "20 06 00 87 03 21 00 0a", -1, 0x87, 3},                       /* CONNACK */
    {MQTT_V5, MQTT_DIR_UNKNOWN, "30 05 00 01 74 00 78", -1, -1, 0},                              /* PUBLISH QoS 0 */
    {MQTT_V5, MQTT_DIR_UNKNOWN, "32 07 00 01 74 12 34 00 78", 0x1234, -1, 0},                    /* PUBLISH QoS 1 */
    {MQTT_V5, MQTT_DIR_UNKNOWN, "40 04 00 07 10 00", 7, 0x10, 0},                                /* PUBACK */
    {MQTT_V5, MQTT_DIR_UNKNOWN, "50 03 00 08 80", 8, 0x80, 0},                                   /* PUBREC */
    {MQTT_V5, MQTT_DIR_UNKNOWN, "62 02 00 09", 9, 0, 0},                                         /* PUBREL */
    {MQTT_V5, MQTT_DIR_UNKNOWN, "70 02 00 0a", 10, 0, 0},                                        /* PUBCOMP */
    {MQTT_V5, MQTT_DIR_TO_SERVER, "82 09 00 0b 02 0b 01 00 01 61 00", 11, -1, 2},               /* SUBSCRIBE */
    {MQTT_V5, MQTT_DIR_TO_CLIENT, "90 04 00 0c 00 01", 12, -1, 0},                               /* SUBACK */
    {MQTT_V5, MQTT_DIR_TO_SERVER, "a2 06 00 0d 00 00 01 61", 13, -1, 0},                         /* UNSUBSCRIBE */
    {MQTT_V5, MQTT_DIR_TO_CLIENT, "b0 04 00 0e 00 00", 14, -1, 0},                               /* UNSUBACK */
    {MQTT_V5, MQTT_DIR_TO_SERVER, "c0 00", -1, -1, 0},                                           /* PINGREQ */
    {MQTT_V5, MQTT_DIR_TO_CLIENT, "d0 00", -1, -1, 0},                                           /* PINGRESP */
    {MQTT_V5, MQTT_DIR_UNKNOWN, "e0 01 8e", -1, 0x8e, 0},                                        /* DISCONNECT */
    {MQTT_V5, MQTT_DIR_UNKNOWN, "f0 07 18 05 15 00 02 61 62", -1, 0x18, 5},                       /* AUTH */
    {MQTT_V311, MQTT_DIR_TO_CLIENT, "20 02 00 05", -1, 5, 0},                                    /* 3.1.1 CONNACK */
};

START_TEST(accessors_read_the_shared_fields)
{
    const access_case *c = &cases[_i];
    uint8_t buf[64];
    mqtt_packet p;
    DECODE_OK(c->hex, c->v, c->dir, buf, &p);
    ck_assert_int_eq(mqtt_packet_id(&p), c->id);
    ck_assert_int_eq(mqtt_packet_reason(&p), c->reason);
    ck_assert_uint_eq(mqtt_packet_props(&p).len, c->props);
    uint16_t *idf = mqtt_packet_id_field(&p);
    if (c->id >= 0) {
        ck_assert_ptr_nonnull(idf);
        *idf = 0xbeef;
        ck_assert_int_eq(mqtt_packet_id(&p), 0xbeef);
    }
    uint8_t *rf = mqtt_packet_reason_field(&p);
    ck_assert((rf != NULL) == (c->reason >= 0));
    mqtt_props *pf = mqtt_packet_props_field(&p);
    bool has_props = p.type != MQTT_PINGREQ && p.type != MQTT_PINGRESP;
    ck_assert((pf != NULL) == has_props);
    /* the optional 5.0 tail: the acks, DISCONNECT and AUTH, the types with a reason but CONNACK */
    mqtt_tail *tf = mqtt_packet_tail_field(&p);
    ck_assert((tf != NULL) == (c->reason >= 0 && p.type != MQTT_CONNACK));
    if (tf) {
        mqtt_tail want = p.type >= MQTT_DISCONNECT ? p.u.reason.tail : p.u.ack.tail;
        ck_assert_int_eq(mqtt_packet_tail(&p), want);
        *tf = MQTT_TAIL_PROPERTIES;
        ck_assert_int_eq(mqtt_packet_tail(&p), MQTT_TAIL_PROPERTIES);
    } else {
        ck_assert_int_eq(mqtt_packet_tail(&p), MQTT_TAIL_SHORTEST);
    }
}
END_TEST

START_TEST(out_of_range_types_have_nothing)
{
    mqtt_packet p = {0};
    p.type = (mqtt_packet_type)0;
    ck_assert_int_eq(mqtt_packet_id(&p), -1);
    ck_assert_int_eq(mqtt_packet_reason(&p), -1);
    ck_assert_ptr_null(mqtt_packet_props_field(&p));
    ck_assert_ptr_null(mqtt_packet_tail_field(&p));
    p.type = (mqtt_packet_type)99;
    ck_assert_ptr_null(mqtt_packet_id_field(&p));
    ck_assert_uint_eq(mqtt_packet_props(&p).len, 0);
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("packet_access");
    TCase *tc = tcase_create("packet_access");
    tcase_add_loop_test(tc, accessors_read_the_shared_fields, 0, (int)(sizeof cases / sizeof cases[0]));
    tcase_add_test(tc, out_of_range_types_have_nothing);
    suite_add_tcase(s, tc);
    return s;
}
