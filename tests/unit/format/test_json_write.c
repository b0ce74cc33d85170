/* lib/format's one JSON writer: compact by default; spaced with jw_break line breaks for the
 * reports people read; keys from data escaped; signed numbers. */
#include <check.h>
#include <string.h>

#include "format/json_write.h"
#include "support.h"

static void check_text(json_writer *w, const char *want)
{
    ck_assert_uint_eq(w->len, strlen(want));
    ck_assert_msg(memcmp(w->buf, want, w->len) == 0, "got %.*s", (int)w->len, w->buf);
    jw_free(w);
}

START_TEST(compact_by_default)
{
    json_writer w;
    jw_init(&w);
    jw_object_begin(&w);
    jw_key(&w, "a");
    jw_int(&w, -12);
    jw_key(&w, "b");
    jw_array_begin(&w);
    jw_uint(&w, 1);
    jw_int(&w, -2);
    jw_array_end(&w);
    jw_object_end(&w);
    check_text(&w, "{\"a\":-12,\"b\":[1,-2]}");
}
END_TEST

START_TEST(spaced_with_line_breaks)
{
    json_writer w;
    jw_init(&w);
    w.spaced = true;
    jw_object_begin(&w);
    jw_break(&w, 2);
    jw_key(&w, "a");
    jw_uint(&w, 1);
    jw_key(&w, "b");
    jw_bool(&w, true);
    jw_break(&w, 2);
    jw_key(&w, "list");
    jw_array_begin(&w);
    jw_break(&w, 4);
    jw_cstring(&w, "x");
    jw_break(&w, 4);
    jw_null(&w);
    jw_break(&w, 2);
    jw_array_end(&w);
    jw_break(&w, 2);
    jw_key(&w, "empty");
    jw_array_begin(&w);
    jw_break(&w, 2);
    jw_array_end(&w);
    jw_break(&w, 0);
    jw_object_end(&w);
    jw_line_end(&w);
    check_text(&w, "{\n  \"a\": 1, \"b\": true,\n  \"list\": [\n    \"x\",\n    null\n  ],\n  \"empty\": [\n  ]\n}\n");
}
END_TEST

START_TEST(keys_from_data_are_escaped)
{
    json_writer w;
    jw_init(&w);
    w.spaced = true;
    jw_object_begin(&w);
    jw_key_text(&w, "MQTT-1\"2");
    jw_cstring(&w, "pass");
    jw_key_text(&w, "b\n");
    jw_uint(&w, 0);
    jw_object_end(&w);
    check_text(&w, "{\"MQTT-1\\\"2\": \"pass\", \"b\\n\": 0}");
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("json_write");
    TCase *tc = tcase_create("json_write");
    tcase_add_test(tc, compact_by_default);
    tcase_add_test(tc, spaced_with_line_breaks);
    tcase_add_test(tc, keys_from_data_are_escaped);
    suite_add_tcase(s, tc);
    return s;
}
