/* lib/format's one table of packet fields: names and aliases unique and found, getters that agree
 * with the codec, and the canonical names are the JSON keys fmt_packet_json_write uses. */
#include <check.h>
#include <stdbool.h>
#include <string.h>

#include "format/json_write.h"
#include "format/packet_fields.h"
#include "format/packet_json.h"
#include "format/packet_text.h"
#include "support.h"

START_TEST(names_and_aliases_are_unique_and_found)
{
    for (size_t i = 0; i < FMT_PF_COUNT; i++) {
        const fmt_packet_field *f = &fmt_pf_fields[i];
        ck_assert_ptr_nonnull(f->name);
        ck_assert(f->get != NULL);
        ck_assert_msg(f->description && *f->description, "%s has no description", f->name);
        ck_assert_ptr_eq(fmt_pf_by_name(f->name), f);
        ck_assert_msg(f->alias || f->summary_len > 0, "%s is on no line and matched by no script", f->name);
        if (f->alias)
            ck_assert_ptr_eq(fmt_pf_by_alias(f->alias), f);
        for (size_t j = i + 1; j < FMT_PF_COUNT; j++) {
            ck_assert_str_ne(f->name, fmt_pf_fields[j].name);
            if (f->alias && fmt_pf_fields[j].alias)
                ck_assert_str_ne(f->alias, fmt_pf_fields[j].alias);
        }
    }
    ck_assert_ptr_null(fmt_pf_by_name("pid"));
    ck_assert_ptr_null(fmt_pf_by_alias("packet_id"));
    ck_assert_ptr_null(fmt_pf_by_alias("client_id")); /* on the summary line only */
}
END_TEST

/* Every field a packet carries, read through the table, and (when JSON has it) under the same key. */
static void check_packet(const char *hex, mqtt_version v, mqtt_direction dir, const fmt_pf_id *ids, size_t n,
                         const uint32_t *nums)
{
    uint8_t buf[64];
    mqtt_packet p;
    DECODE_OK(hex, v, dir, buf, &p);
    fmt_json_writer w;
    fmt_jw_init(&w);
    fmt_packet_json_write(&w, &p, v, 0, 0);
    char json[2048];
    snprintf(json, sizeof json, "%.*s", (int)w.len, w.buf);
    fmt_jw_free(&w);
    for (size_t i = 0; i < n; i++) {
        const fmt_packet_field *f = &fmt_pf_fields[ids[i]];
        ck_assert_msg(fmt_pf_on(f, &p), "%s not on %s", f->name, mqtt_packet_type_name(p.type));
        fmt_pf_value val = {0};
        ck_assert_msg(f->get(&p, &val), "%s absent in %s", f->name, hex);
        if (f->kind == FMT_PF_INT)
            ck_assert_uint_eq(val.num, nums[i]);
        char key[64];
        snprintf(key, sizeof key, "\"%s\":", f->name);
        ck_assert_msg(strstr(json, key), "JSON of %s has no key %s: %s", hex, key, json);
    }
}

START_TEST(getters_agree_with_the_codec_and_json)
{
    const fmt_pf_id connack[] = {FMT_PF_SESSION_PRESENT, FMT_PF_REASON_CODE};
    check_packet("20 02 01 00", MQTT_V311, MQTT_DIR_TO_CLIENT, connack, 2, (const uint32_t[]){1, 0});
    const fmt_pf_id publish[] = {FMT_PF_QOS, FMT_PF_RETAIN, FMT_PF_PACKET_ID, FMT_PF_TOPIC, FMT_PF_PAYLOAD};
    check_packet("33 06 00 01 74 00 2a 78", MQTT_V311, MQTT_DIR_UNKNOWN, publish, 5,
                 (const uint32_t[]){1, 1, 42, 0, 0});
    const fmt_pf_id puback[] = {FMT_PF_PACKET_ID, FMT_PF_REASON_CODE};
    check_packet("40 03 00 07 10", MQTT_V5, MQTT_DIR_UNKNOWN, puback, 2, (const uint32_t[]){7, 0x10});
    const fmt_pf_id suback[] = {FMT_PF_PACKET_ID, FMT_PF_REASON_CODES};
    check_packet("90 04 00 0c 00 01", MQTT_V5, MQTT_DIR_TO_CLIENT, suback, 2, (const uint32_t[]){12, 0});
    const fmt_pf_id connect[] = {FMT_PF_CLIENT_ID, FMT_PF_CLEAN_START, FMT_PF_KEEP_ALIVE};
    check_packet("10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 63", MQTT_V311, MQTT_DIR_TO_SERVER, connect, 3,
                 (const uint32_t[]){0, 1, 60});
}
END_TEST

START_TEST(a_qos0_publish_has_no_packet_id)
{
    uint8_t buf[16];
    mqtt_packet p;
    DECODE_OK("30 05 00 01 74 00 78", MQTT_V311, MQTT_DIR_UNKNOWN, buf, &p);
    fmt_pf_value v = {0};
    ck_assert(!fmt_pf_fields[FMT_PF_PACKET_ID].get(&p, &v));
    ck_assert(fmt_pf_fields[FMT_PF_PACKET_SIZE].get(&p, &v));
    ck_assert_uint_eq(v.num, 7);
}
END_TEST

/* The one-line description of hex in both styles, from the one walk over the table. */
static void check_line(const char *hex, mqtt_version v, const char *summary, const char *script)
{
    uint8_t buf[64];
    mqtt_packet p;
    DECODE_OK(hex, v, MQTT_DIR_UNKNOWN, buf, &p);
    const char *want[] = {summary, script};
    const fmt_line_style styles[] = {FMT_LINE_SUMMARY, FMT_LINE_SCRIPT};
    for (size_t i = 0; i < 2; i++) {
        base_strbuf sb = {0};
        fmt_text_out t;
        fmt_txt_init_strbuf(&t, &sb);
        fmt_packet_line(&t, &p, v, styles[i]);
        fmt_txt_flush(&t);
        ck_assert_str_eq(base_sb_str(&sb), want[i]);
        base_sb_free(&sb);
    }
}

START_TEST(one_line_in_both_styles)
{
    check_line("33 07 00 01 74 00 2a 00 78", MQTT_V5, "PUBLISH (v5) qos=1 id=42 retain topic=\"t\" payload=1 byte",
               "PUBLISH qos=1 pid=42 dup=0 retain=1 topic=\"t\" payload=\"x\"");
    check_line("30 05 00 01 74 00 78", MQTT_V311, "PUBLISH (v3.1.1) qos=0 topic=\"t\" payload=2 bytes",
               "PUBLISH qos=0 dup=0 retain=0 topic=\"t\" payload=\"\\x00x\"");
    /* the acks' reason code exists from 5.0 on, read as 0x00 when the short form leaves it out */
    check_line("40 02 00 07", MQTT_V311, "PUBACK (v3.1.1) id=7", "PUBACK pid=7");
    check_line("40 02 00 07", MQTT_V5, "PUBACK (v5) id=7 reason=0x00 (success)", "PUBACK pid=7 rc=0");
    check_line("20 02 00 05", MQTT_V311, "CONNACK (v3.1.1) session_present=0 reason=0x05 (not_authorized)",
               "CONNACK sp=0 rc=5");
    check_line("90 04 00 0c 00 80", MQTT_V311, "SUBACK (v3.1.1) id=12 codes=2", "SUBACK pid=12 codes=00,80");
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("packet_fields");
    TCase *tc = tcase_create("packet_fields");
    tcase_add_test(tc, names_and_aliases_are_unique_and_found);
    tcase_add_test(tc, getters_agree_with_the_codec_and_json);
    tcase_add_test(tc, a_qos0_publish_has_no_packet_id);
    tcase_add_test(tc, one_line_in_both_styles);
    suite_add_tcase(s, tc);
    return s;
}
