/* lib/format's one JSON writer: compact by default; spaced with fmt_jw_break line breaks for the
 * reports people read; keys from data escaped; signed numbers; members written in one step; hex strings. */
#include <check.h>
#include <string.h>

#include "format/json_write.h"
#include "support.h"

static void check_text(fmt_json_writer *w, const char *want)
{
    ck_assert_uint_eq(w->len, strlen(want));
    ck_assert_msg(memcmp(w->buf, want, w->len) == 0, "got %.*s", (int)w->len, w->buf);
    fmt_jw_free(w);
}

START_TEST(compact_by_default)
{
    fmt_json_writer w;
    fmt_jw_init(&w);
    fmt_jw_object_begin(&w);
    fmt_jw_key(&w, "a");
    fmt_jw_int(&w, -12);
    fmt_jw_key(&w, "b");
    fmt_jw_array_begin(&w);
    fmt_jw_uint(&w, 1);
    fmt_jw_int(&w, -2);
    fmt_jw_array_end(&w);
    fmt_jw_object_end(&w);
    check_text(&w, "{\"a\":-12,\"b\":[1,-2]}");
}
END_TEST

START_TEST(spaced_with_line_breaks)
{
    fmt_json_writer w;
    fmt_jw_init(&w);
    w.spaced = true;
    fmt_jw_object_begin(&w);
    fmt_jw_break(&w, 2);
    fmt_jw_key(&w, "a");
    fmt_jw_uint(&w, 1);
    fmt_jw_key(&w, "b");
    fmt_jw_bool(&w, true);
    fmt_jw_break(&w, 2);
    fmt_jw_key(&w, "list");
    fmt_jw_array_begin(&w);
    fmt_jw_break(&w, 4);
    fmt_jw_cstring(&w, "x");
    fmt_jw_break(&w, 4);
    fmt_jw_null(&w);
    fmt_jw_break(&w, 2);
    fmt_jw_array_end(&w);
    fmt_jw_break(&w, 2);
    fmt_jw_key(&w, "empty");
    fmt_jw_array_begin(&w);
    fmt_jw_break(&w, 2);
    fmt_jw_array_end(&w);
    fmt_jw_break(&w, 0);
    fmt_jw_object_end(&w);
    fmt_jw_line_end(&w);
    check_text(&w, "{\n  \"a\": 1, \"b\": true,\n  \"list\": [\n    \"x\",\n    null\n  ],\n  \"empty\": [\n  ]\n}\n");
}
END_TEST

START_TEST(keys_from_data_are_escaped)
{
    fmt_json_writer w;
    fmt_jw_init(&w);
    w.spaced = true;
    fmt_jw_object_begin(&w);
    fmt_jw_key_text(&w, "MQTT-1\"2");
    fmt_jw_cstring(&w, "pass");
    fmt_jw_key_text(&w, "b\n");
    fmt_jw_uint(&w, 0);
    fmt_jw_object_end(&w);
    check_text(&w, "{\"MQTT-1\\\"2\": \"pass\", \"b\\n\": 0}");
}
END_TEST

/* The one-step members write what a key and its value write: compact and spaced, and with the
 * buffer full at every length (the general path). */
static void members_in_two_steps(fmt_json_writer *w)
{
    fmt_jw_object_begin(w);
    fmt_jw_key(w, "n");
    fmt_jw_uint(w, 18446744073709551615u);
    fmt_jw_key(w, "name");
    fmt_jw_name(w, "0.000112000", 11);
    fmt_jw_key(w, "t");
    fmt_jw_cname(w, "PUBLISH");
    fmt_jw_key(w, "b");
    fmt_jw_bool(w, false);
    fmt_jw_key(w, "z");
    fmt_jw_null(w);
    fmt_jw_key(w, "o");
    fmt_jw_object_begin(w);
    fmt_jw_key(w, "e");
    fmt_jw_cname(w, "");
    fmt_jw_object_end(w);
    fmt_jw_object_end(w);
}

static void members_in_one_step(fmt_json_writer *w)
{
    fmt_jw_object_begin(w);
    fmt_jw_key_uint(w, "n", 18446744073709551615u);
    fmt_jw_key_name(w, "name", "0.000112000", 11);
    fmt_jw_key_cname(w, "t", "PUBLISH");
    fmt_jw_key_bool(w, "b", false);
    fmt_jw_key_null(w, "z");
    fmt_jw_key_object_begin(w, "o");
    fmt_jw_key_cname(w, "e", "");
    fmt_jw_object_end(w);
    fmt_jw_object_end(w);
}

START_TEST(members_in_one_step_as_in_two)
{
    for (int spaced = 0; spaced < 2; spaced++) {
        for (size_t used = 0; used < 256; used++) {
            fmt_json_writer a, b;
            fmt_jw_init(&a);
            fmt_jw_init(&b);
            a.spaced = b.spaced = spaced;
            fmt_jw_reserve(&a, 256); /* 256 bytes, used of them taken: the members meet its end */
            fmt_jw_reserve(&b, 256);
            a.len = b.len = used;
            memset(a.buf, 'x', used);
            memset(b.buf, 'x', used);
            members_in_two_steps(&a);
            members_in_one_step(&b);
            ck_assert_uint_eq(a.len, b.len);
            ck_assert_msg(memcmp(a.buf, b.buf, a.len) == 0, "spaced %d, %zu used: %.*s", spaced, used, (int)b.len,
                          b.buf);
            fmt_jw_free(&a);
            fmt_jw_free(&b);
        }
    }
}
END_TEST

/* Hex strings of every length from 0 to 100 bytes (the 16- and 32-byte steps, their overlapping last
 * step and the byte-by-byte tail), digit for digit against a table lookup. */
START_TEST(hex_every_length)
{
    static const char digits[] = "0123456789abcdef";
    uint8_t data[100];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 37 + 11);
    for (size_t n = 0; n <= sizeof data; n++) {
        fmt_json_writer w;
        fmt_jw_init(&w);
        fmt_jw_hex(&w, data, n);
        char want[2 * sizeof data + 3];
        want[0] = '"';
        for (size_t i = 0; i < n; i++) {
            want[1 + 2 * i] = digits[data[i] >> 4];
            want[2 + 2 * i] = digits[data[i] & 15];
        }
        want[2 * n + 1] = '"';
        want[2 * n + 2] = '\0';
        check_text(&w, want);
    }
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("json_write");
    TCase *tc = tcase_create("json_write");
    tcase_add_test(tc, compact_by_default);
    tcase_add_test(tc, spaced_with_line_breaks);
    tcase_add_test(tc, keys_from_data_are_escaped);
    tcase_add_test(tc, members_in_one_step_as_in_two);
    tcase_add_test(tc, hex_every_length);
    suite_add_tcase(s, tc);
    return s;
}
