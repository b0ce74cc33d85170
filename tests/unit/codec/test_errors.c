/* The error catalogue and its formatting, and the reason code name tables. */
#include <stdio.h>
#include <string.h>

#include "support.h"

START_TEST(every_error_has_name_and_description)
{
    for (int e = 0; e < MQTT_ERR_COUNT; e++) {
        const char *name = mqtt_err_name((mqtt_err)e);
        ck_assert_ptr_nonnull(name);
        ck_assert_msg(strcmp(name, "unknown_error") != 0, "error %d has no name", e);
        ck_assert_ptr_nonnull(mqtt_err_description((mqtt_err)e));
        ck_assert_uint_gt(strlen(mqtt_err_description((mqtt_err)e)), 0);
        for (const char *c = name; *c; c++) /* stable snake_case */
            ck_assert_msg((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_', "name %s", name);
        for (int f = 0; f < e; f++)
            ck_assert_msg(strcmp(name, mqtt_err_name((mqtt_err)f)) != 0, "%s used twice", name);
    }
    ck_assert_str_eq(mqtt_err_name(MQTT_ERR_COUNT), "unknown_error");
    ck_assert_str_eq(mqtt_err_name((mqtt_err)-1), "unknown_error");
    ck_assert_str_eq(mqtt_err_name(MQTT_ERR_PASSWORD_WITHOUT_USERNAME), "password_without_username");
}
END_TEST

START_TEST(statements_per_version)
{
    ck_assert_str_eq(mqtt_err_statement(MQTT_ERR_PASSWORD_WITHOUT_USERNAME, MQTT_V311), "MQTT-3.1.2-22");
    ck_assert_ptr_null(mqtt_err_statement(MQTT_ERR_PASSWORD_WITHOUT_USERNAME, MQTT_V5));
    ck_assert_str_eq(mqtt_err_statement(MQTT_ERR_UTF8_NULL, MQTT_V311), "MQTT-1.5.3-2");
    ck_assert_str_eq(mqtt_err_statement(MQTT_ERR_UTF8_NULL, MQTT_V5), "MQTT-1.5.4-2");
    ck_assert_str_eq(mqtt_err_statement(MQTT_ERR_VARINT_NOT_MINIMAL, MQTT_V5), "MQTT-1.5.5-1");
    ck_assert_ptr_null(mqtt_err_statement(MQTT_ERR_COUNT, MQTT_V5));
    /* every ID has the MQTT-x.y.z-n shape */
    for (int e = 0; e < MQTT_ERR_COUNT; e++)
        for (int v = 0; v < 2; v++) {
            const char *s = mqtt_err_statement((mqtt_err)e, v ? MQTT_V5 : MQTT_V311);
            unsigned a, b, c, n;
            char tail;
            if (s)
                ck_assert_msg(sscanf(s, "MQTT-%u.%u.%u-%u%c", &a, &b, &c, &n, &tail) == 4, "statement \"%s\"", s);
        }
}
END_TEST

START_TEST(error_format)
{
    mqtt_error err = {MQTT_ERR_PASSWORD_WITHOUT_USERNAME, 9, "MQTT-3.1.2-22"};
    char want[256], buf[256];
    snprintf(want, sizeof want, "password_without_username: %s [MQTT-3.1.2-22] at byte 9",
             mqtt_err_description(MQTT_ERR_PASSWORD_WITHOUT_USERNAME));
    int n = mqtt_error_format(&err, buf, sizeof buf);
    ck_assert_str_eq(buf, want);
    ck_assert_int_eq(n, (int)strlen(want));

    /* no statement: no brackets */
    mqtt_error plain = {MQTT_ERR_TRAILING_BYTES, 17, NULL};
    snprintf(want, sizeof want, "trailing_bytes: %s at byte 17", mqtt_err_description(MQTT_ERR_TRAILING_BYTES));
    mqtt_error_format(&plain, buf, sizeof buf);
    ck_assert_str_eq(buf, want);

    /* truncation: NUL-terminated, returns the full length */
    memset(buf, 'x', sizeof buf);
    n = mqtt_error_format(&plain, buf, 10);
    ck_assert_int_eq(n, (int)strlen(want));
    ck_assert_uint_eq(strlen(buf), 9);
    ck_assert(memcmp(buf, want, 9) == 0);
    buf[0] = 'x';
    n = mqtt_error_format(&plain, buf, 0);
    ck_assert_int_eq(n, (int)strlen(want));
    ck_assert_int_eq(buf[0], 'x'); /* cap 0 writes nothing */
}
END_TEST

/* A position in a stream past 4 GiB: the packet's 64-bit offset plus the error's, no wrap. */
START_TEST(error_format_at_64_bit_offset)
{
    mqtt_error err = {MQTT_ERR_PASSWORD_WITHOUT_USERNAME, 9, "MQTT-3.1.2-22"};
    char want[256], buf[256];
    snprintf(want, sizeof want, "password_without_username: %s [MQTT-3.1.2-22] at byte 6000000009",
             mqtt_err_description(MQTT_ERR_PASSWORD_WITHOUT_USERNAME));
    int n = mqtt_error_format_at(&err, 6000000000u, buf, sizeof buf);
    ck_assert_str_eq(buf, want);
    ck_assert_int_eq(n, (int)strlen(want));
    mqtt_error plain = {MQTT_ERR_TRAILING_BYTES, 17, NULL};
    snprintf(want, sizeof want, "trailing_bytes: %s at byte 18446744073709551615",
             mqtt_err_description(MQTT_ERR_TRAILING_BYTES));
    mqtt_error_format_at(&plain, UINT64_MAX - 17, buf, sizeof buf);
    ck_assert_str_eq(buf, want);
    /* base 0 is mqtt_error_format */
    char plain_buf[256];
    mqtt_error_format(&plain, plain_buf, sizeof plain_buf);
    mqtt_error_format_at(&plain, 0, buf, sizeof buf);
    ck_assert_str_eq(buf, plain_buf);
}
END_TEST

/* A decoded error formats into the CLI's one-line message. */
START_TEST(decoded_error_format)
{
    uint8_t b[8];
    size_t len = hex_to_bytes("36 05 00 01 74 00 01", b, sizeof b);
    mqtt_decode_opts o = decode_opts(MQTT_V311, MQTT_DIR_UNKNOWN);
    mqtt_packet p;
    mqtt_frame fr;
    ck_assert_int_eq(mqtt_decode(b, len, &o, &p, &fr), MQTT_MALFORMED);
    char buf[200], want[200];
    mqtt_error_format(&fr.error, buf, sizeof buf);
    snprintf(want, sizeof want, "publish_qos_3: %s [MQTT-3.3.1-4] at byte 0",
             mqtt_err_description(MQTT_ERR_PUBLISH_QOS_3));
    ck_assert_str_eq(buf, want);
}
END_TEST

START_TEST(reason_names)
{
    ck_assert_str_eq(mqtt_reason_name(MQTT_V5, MQTT_PUBACK, 0x00), "success");
    ck_assert_str_eq(mqtt_reason_name(MQTT_V5, MQTT_DISCONNECT, 0x00), "normal_disconnection");
    ck_assert_str_eq(mqtt_reason_name(MQTT_V5, MQTT_SUBACK, 0x01), "granted_qos_1");
    ck_assert_str_eq(mqtt_reason_name(MQTT_V5, MQTT_CONNACK, 0x87), "not_authorized");
    ck_assert_ptr_null(mqtt_reason_name(MQTT_V5, MQTT_PUBACK, 0x92));
    ck_assert_ptr_null(mqtt_reason_name(MQTT_V5, MQTT_AUTH, 0x80));
    ck_assert_ptr_null(mqtt_reason_name(MQTT_V311, MQTT_CONNACK, 0x06));
    ck_assert_ptr_nonnull(mqtt_reason_name(MQTT_V311, MQTT_CONNACK, 0x05));
    /* every allowed code has a name, every name belongs to an allowed code */
    static const mqtt_packet_type types[] = {MQTT_CONNACK, MQTT_PUBACK,   MQTT_PUBREC,     MQTT_PUBREL, MQTT_PUBCOMP,
                                             MQTT_SUBACK,  MQTT_UNSUBACK, MQTT_DISCONNECT, MQTT_AUTH};
    for (size_t t = 0; t < ARRAY_LEN(types); t++)
        for (unsigned c = 0; c < 256; c++) {
            bool allowed = mqtt_reason_allowed(MQTT_V5, types[t], (uint8_t)c, MQTT_DIR_UNKNOWN);
            const char *name = mqtt_reason_name(MQTT_V5, types[t], (uint8_t)c);
            ck_assert_msg(allowed == (name != NULL), "type %d code 0x%02x: allowed %d, name %s", types[t], c, allowed,
                          name ? name : "-");
        }
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("errors");
    TCase *tc = tcase_create("errors");
    tcase_add_test(tc, every_error_has_name_and_description);
    tcase_add_test(tc, statements_per_version);
    tcase_add_test(tc, error_format);
    tcase_add_test(tc, error_format_at_64_bit_offset);
    tcase_add_test(tc, decoded_error_format);
    tcase_add_test(tc, reason_names);
    suite_add_tcase(s, tc);
    return s;
}
