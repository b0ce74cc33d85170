/* The runner's count of its own unacknowledged QoS 1/2 PUBLISHes against the broker's Receive Maximum
 * (lib/conformance/run/quota.c). */
#include <check.h>

#include "conformance/run/quota.h"
#include "support.h"

static mqtt_packet ack(mqtt_packet_type type, uint16_t id, uint8_t rc)
{
    mqtt_packet p = {.type = type};
    p.u.ack.packet_id = id;
    p.u.ack.reason_code = rc;
    return p;
}

static mqtt_connack connack_with_receive_maximum(const uint8_t *props, uint32_t len)
{
    mqtt_connack c = {0};
    c.props = (mqtt_props){props, len};
    return c;
}

START_TEST(limit_from_connack)
{
    cr_quota q;
    cr_quota_reset(&q);
    ck_assert(cr_quota_take(&q, 1)); /* no CONNACK yet: no limit known */
    cr_quota_reset(&q);
    static const uint8_t one[] = {0x21, 0x00, 0x01};
    mqtt_connack c = connack_with_receive_maximum(one, sizeof one);
    cr_quota_connack(&q, &c);
    ck_assert_uint_eq(q.max, 1);
    ck_assert(cr_quota_take(&q, 1));
    ck_assert(cr_quota_take(&q, 1)); /* a resend of the same identifier */
    ck_assert(!cr_quota_take(&q, 2));
    mqtt_connack none = connack_with_receive_maximum(NULL, 0);
    cr_quota_reset(&q);
    cr_quota_connack(&q, &none);
    ck_assert_uint_eq(q.max, 65535);
}
END_TEST

START_TEST(acks_end_the_flight)
{
    cr_quota q;
    cr_quota_reset(&q);
    static const uint8_t two[] = {0x21, 0x00, 0x02};
    mqtt_connack c = connack_with_receive_maximum(two, sizeof two);
    cr_quota_connack(&q, &c);
    ck_assert(cr_quota_take(&q, 1));
    ck_assert(cr_quota_take(&q, 2));
    ck_assert(!cr_quota_take(&q, 3));
    mqtt_packet p = ack(MQTT_PUBREC, 2, 0x00); /* accepted: in flight until PUBCOMP */
    cr_quota_on_ack(&q, &p);
    ck_assert(!cr_quota_take(&q, 3));
    p = ack(MQTT_PUBCOMP, 2, 0);
    cr_quota_on_ack(&q, &p);
    ck_assert(cr_quota_take(&q, 3));
    p = ack(MQTT_PUBREC, 3, 0x87); /* refused: done */
    cr_quota_on_ack(&q, &p);
    p = ack(MQTT_PUBACK, 9, 0); /* an identifier never sent changes nothing */
    cr_quota_on_ack(&q, &p);
    ck_assert_uint_eq(q.n, 1);
    p = ack(MQTT_PUBACK, 1, 0x80);
    cr_quota_on_ack(&q, &p);
    ck_assert_uint_eq(q.n, 0);
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("quota");
    TCase *tc = tcase_create("quota");
    tcase_add_test(tc, limit_from_connack);
    tcase_add_test(tc, acks_end_the_flight);
    suite_add_tcase(s, tc);
    return s;
}
