/* UTF-8 well-formedness (RFC 3629 as the standards restate it), topic names, topic filters,
 * shared subscription splitting and topic matching. */
#include <stdio.h>
#include <string.h>

#include "support.h"

typedef struct utf8_case {
    const char *name;
    const char *hex;
    mqtt_err code;
    const char *bad; /* index of the offending byte, alternatives with '|' */
} utf8_case;

static const utf8_case utf8_cases[] = {
    {"empty", "", MQTT_OK, OFF_ANY},
    {"ascii", "61 2f 62", MQTT_OK, OFF_ANY},
    {"U+007F", "7f", MQTT_OK, OFF_ANY},
    {"U+0080", "c2 80", MQTT_OK, OFF_ANY},
    {"U+07FF", "df bf", MQTT_OK, OFF_ANY},
    {"U+0800", "e0 a0 80", MQTT_OK, OFF_ANY},
    {"U+D7FF", "ed 9f bf", MQTT_OK, OFF_ANY},
    {"U+E000", "ee 80 80", MQTT_OK, OFF_ANY},
    {"U+FEFF (BOM) kept", "ef bb bf", MQTT_OK, OFF_ANY},
    {"U+10000", "f0 90 80 80", MQTT_OK, OFF_ANY},
    {"U+10FFFF", "f4 8f bf bf", MQTT_OK, OFF_ANY},
    {"mixed", "61 c3 a9 e2 82 ac f0 9f 98 80", MQTT_OK, OFF_ANY},
    {"overlong NUL C0 80", "c0 80", MQTT_ERR_UTF8_INVALID, "0"},
    {"overlong C1 BF", "c1 bf", MQTT_ERR_UTF8_INVALID, "0"},
    {"overlong 3-byte E0 80 80", "e0 80 80", MQTT_ERR_UTF8_INVALID, "0|1"},
    {"overlong 3-byte E0 9F BF", "e0 9f bf", MQTT_ERR_UTF8_INVALID, "0|1"},
    {"overlong 4-byte F0 80 80 80", "f0 80 80 80", MQTT_ERR_UTF8_INVALID, "0|1"},
    {"surrogate U+D800", "ed a0 80", MQTT_ERR_UTF8_INVALID, "0|1"},
    {"surrogate U+DFFF", "ed bf bf", MQTT_ERR_UTF8_INVALID, "0|1"},
    {"above U+10FFFF", "f4 90 80 80", MQTT_ERR_UTF8_INVALID, "0|1"},
    {"F5 lead", "f5 80 80 80", MQTT_ERR_UTF8_INVALID, "0"},
    {"FF byte", "61 ff", MQTT_ERR_UTF8_INVALID, "1"},
    {"lone continuation", "80", MQTT_ERR_UTF8_INVALID, "0"},
    {"continuation after ascii", "61 62 bf", MQTT_ERR_UTF8_INVALID, "2"},
    {"truncated 3-byte at end", "61 e2 82", MQTT_ERR_UTF8_INVALID, "1|3"},
    {"truncated 2-byte then ascii", "c3 61", MQTT_ERR_UTF8_INVALID, "0|1"},
    {"truncated 4-byte", "f0 9f 98", MQTT_ERR_UTF8_INVALID, "0|3"},
    {"U+0000", "00", MQTT_ERR_UTF8_NULL, "0"},
    {"U+0000 inside", "61 62 00 63", MQTT_ERR_UTF8_NULL, "2"},
};

START_TEST(utf8_check_table)
{
    const utf8_case *c = &utf8_cases[_i];
    uint8_t buf[32];
    mqtt_bytes s = hex_view(c->hex, buf, sizeof buf);
    uint32_t bad = 12345;
    mqtt_err e = mqtt_utf8_check(s, &bad);
    ck_assert_msg(e == c->code, "%s: %s, expected %s", c->name, mqtt_err_name(e), mqtt_err_name(c->code));
    if (c->code != MQTT_OK) {
        mqtt_error as_error = {e, bad, NULL};
        check_mqtt_error(&as_error, c->code, STMT_NONE, c->bad, c->name, 0);
        ck_assert_int_eq(mqtt_utf8_check(s, NULL), c->code); /* bad_offset may be NULL */
    }
}
END_TEST

/* The same sequences as a 5.0 PUBLISH topic "a" + sequence: the decoder refuses with the
 * packet offset of the offending byte (topic starts at byte 4, the sequence at byte 5). */
START_TEST(utf8_in_publish_topic)
{
    const utf8_case *c = &utf8_cases[_i];
    uint8_t seq[16], pkt[32];
    size_t n = hex_to_bytes(c->hex, seq, sizeof seq);
    size_t len = 0;
    pkt[len++] = 0x30;
    pkt[len++] = (uint8_t)(2 + 1 + n + 1); /* topic length field + "a" + sequence + Property Length */
    pkt[len++] = 0x00;
    pkt[len++] = (uint8_t)(1 + n);
    pkt[len++] = 'a';
    memcpy(pkt + len, seq, n);
    len += n;
    pkt[len++] = 0x00; /* Property Length 0, no payload */
    mqtt_decode_opts o = decode_opts(MQTT_V5, MQTT_DIR_UNKNOWN);
    mqtt_packet p;
    mqtt_frame fr;
    mqtt_result r = mqtt_decode(pkt, len, &o, &p, &fr);
    if (c->code == MQTT_OK) {
        ck_assert_msg(r == MQTT_COMPLETE, "%s refused: %s", c->name, mqtt_err_name(fr.error.code));
        ck_assert_uint_eq(p.u.publish.topic.len, 1 + n); /* nothing stripped, not even a BOM */
        ck_assert(memcmp(p.u.publish.topic.data + 1, seq, n) == 0);
        return;
    }
    ck_assert_msg(r == MQTT_MALFORMED, "%s accepted", c->name);
    /* shift the expected string offsets by 5 */
    char offs[32] = "", *w = offs;
    for (const char *q = c->bad; *q;) {
        unsigned v = 0;
        while (*q >= '0' && *q <= '9')
            v = v * 10 + (unsigned)(*q++ - '0');
        w += snprintf(w, sizeof offs - (size_t)(w - offs), "%s%u", w == offs ? "" : "|", v + 5);
        if (*q == '|')
            q++;
    }
    const char *stmt = c->code == MQTT_ERR_UTF8_NULL ? "MQTT-1.5.4-2|MQTT-4.7.3-2" : "MQTT-1.5.4-1|MQTT-3.3.2-1";
    check_mqtt_error(&fr.error, c->code, stmt, offs, c->name, 0);
}
END_TEST

START_TEST(topic_name_check)
{
    uint32_t bad;
    ck_assert_int_eq(mqtt_topic_name_check(mqtt_cstr("a/b"), &bad), MQTT_OK);
    ck_assert_int_eq(mqtt_topic_name_check(mqtt_cstr("/"), &bad), MQTT_OK);
    ck_assert_int_eq(mqtt_topic_name_check(mqtt_cstr("$SYS/x"), &bad), MQTT_OK);
    ck_assert_int_eq(mqtt_topic_name_check(mqtt_cstr(""), &bad), MQTT_ERR_TOPIC_EMPTY);
    ck_assert_int_eq(mqtt_topic_name_check(mqtt_cstr("a/+"), &bad), MQTT_ERR_TOPIC_WILDCARD);
    ck_assert_uint_eq(bad, 2);
    ck_assert_int_eq(mqtt_topic_name_check(mqtt_cstr("#"), &bad), MQTT_ERR_TOPIC_WILDCARD);
    ck_assert_uint_eq(bad, 0);
    uint8_t buf[8];
    ck_assert_int_eq(mqtt_topic_name_check(hex_view("61 c0 80", buf, sizeof buf), &bad), MQTT_ERR_UTF8_INVALID);
    ck_assert_uint_eq(bad, 1);
}
END_TEST

typedef struct filter_case {
    const char *filter;
    mqtt_version v;
    mqtt_err code;
} filter_case;

static const filter_case filter_cases[] = {
    {"a/#", MQTT_V5, MQTT_OK},
    {"#", MQTT_V5, MQTT_OK},
    {"+", MQTT_V5, MQTT_OK},
    {"+/+", MQTT_V311, MQTT_OK},
    {"a/+/b", MQTT_V311, MQTT_OK},
    {"/#", MQTT_V311, MQTT_OK},
    {"a#", MQTT_V5, MQTT_ERR_FILTER_MULTI_WILDCARD},
    {"a/#/b", MQTT_V5, MQTT_ERR_FILTER_MULTI_WILDCARD},
    {"##", MQTT_V311, MQTT_ERR_FILTER_MULTI_WILDCARD},
    {"a+/b", MQTT_V5, MQTT_ERR_FILTER_SINGLE_WILDCARD},
    {"a/b+", MQTT_V311, MQTT_ERR_FILTER_SINGLE_WILDCARD},
    {"", MQTT_V5, MQTT_ERR_FILTER_EMPTY},
    {"$share/g/a", MQTT_V5, MQTT_OK},
    {"$share//a", MQTT_V5, MQTT_ERR_SHARE_NAME_INVALID},
    {"$share/g+/a", MQTT_V5, MQTT_ERR_SHARE_NAME_INVALID},
    {"$share/g", MQTT_V5, MQTT_ERR_SHARE_NAME_INVALID},
    {"$share/g/", MQTT_V5, MQTT_ERR_SHARE_NAME_INVALID},
    {"$share//a", MQTT_V311, MQTT_OK},
    {"$share/g", MQTT_V311, MQTT_OK},
    {"$share/g+/a", MQTT_V311, MQTT_ERR_FILTER_SINGLE_WILDCARD},
};

START_TEST(topic_filter_check)
{
    const filter_case *c = &filter_cases[_i];
    uint32_t bad;
    mqtt_err e = mqtt_topic_filter_check(mqtt_cstr(c->filter), c->v, &bad);
    ck_assert_msg(e == c->code, "\"%s\" v%s: %s, expected %s", c->filter, mqtt_version_name(c->v), mqtt_err_name(e),
                  mqtt_err_name(c->code));
}
END_TEST

START_TEST(shared_split)
{
    mqtt_bytes name, inner;
    ck_assert(mqtt_topic_shared_split(mqtt_cstr("$share/grp/a/b"), &name, &inner));
    ck_assert_view_str(name, "grp");
    ck_assert_view_str(inner, "a/b");
    ck_assert(mqtt_topic_shared_split(mqtt_cstr("$share/g/#"), &name, &inner));
    ck_assert_view_str(inner, "#");
    ck_assert(!mqtt_topic_shared_split(mqtt_cstr("a/b"), &name, &inner));
    ck_assert(!mqtt_topic_shared_split(mqtt_cstr("$SYS/a"), &name, &inner));
    ck_assert(!mqtt_topic_shared_split(mqtt_cstr("$sharex/g/a"), &name, &inner));
}
END_TEST

typedef struct match_case {
    const char *filter, *name;
    bool match;
} match_case;

static const match_case match_cases[] = {
    {"a/b", "a/b", true},
    {"a/b", "a/c", false},
    {"a/b", "A/b", false}, /* case matters */
    {"a", "a/b", false},
    {"a/b", "a", false},
    {"a/+", "a/b", true},
    {"a/+", "a/b/c", false},
    {"a/+", "a/", true}, /* '+' matches an empty level */
    {"a/+", "a", false},
    {"+/+", "/a", true},
    {"+", "a/b", false},
    {"+", "a", true},
    {"a/+/c", "a//c", true},
    {"a/#", "a", true}, /* '#' also matches the parent level */
    {"a/#", "a/b/c", true},
    {"a/#", "ab", false},
    {"a/#", "b/a", false},
    {"#", "a/b/c", true},
    {"#", "/", true},
    {"+/#", "a", true},
    {"/#", "/a", true},
    {"#", "$SYS/x", false},  /* wildcards at the first level skip '$' topics [MQTT-4.7.2-1] */
    {"+/x", "$SYS/x", false},
    {"+", "$SYS", false},
    {"$SYS/#", "$SYS/x", true},
    {"$SYS/+", "$SYS/x", true},
    {"a/#", "a/$x", true}, /* '$' matters only at the first level */
    {"a/b/c", "a/b/c", true},
};

START_TEST(topic_matching)
{
    const match_case *c = &match_cases[_i];
    ck_assert_msg(mqtt_topic_matches(mqtt_cstr(c->filter), mqtt_cstr(c->name)) == c->match, "\"%s\" vs \"%s\"",
                  c->filter, c->name);
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("utf8_topic");
    TCase *tc = tcase_create("utf8_topic");
    tcase_add_loop_test(tc, utf8_check_table, 0, (int)ARRAY_LEN(utf8_cases));
    tcase_add_loop_test(tc, utf8_in_publish_topic, 0, (int)ARRAY_LEN(utf8_cases));
    tcase_add_test(tc, topic_name_check);
    tcase_add_loop_test(tc, topic_filter_check, 0, (int)ARRAY_LEN(filter_cases));
    tcase_add_test(tc, shared_split);
    tcase_add_loop_test(tc, topic_matching, 0, (int)ARRAY_LEN(match_cases));
    suite_add_tcase(s, tc);
    return s;
}
