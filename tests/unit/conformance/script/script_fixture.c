#include "script_fixture.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

base_arena arena;
cs_suite suite;
base_strbuf errs;

void script_fixture_setup(void)
{
    memset(&arena, 0, sizeof arena);
    memset(&suite, 0, sizeof suite);
    memset(&errs, 0, sizeof errs);
}

void script_fixture_teardown(void)
{
    base_arena_free(&arena);
    free(suite.tests);
    base_sb_free(&errs);
}

int parse_script(const char *text, mqtt_version v)
{
    return cs_parse_script(&arena, "t.mqtt", text, v, "area", &suite, &errs);
}

void assert_script_error(const char *text, mqtt_version v, const char *expected)
{
    ck_assert_int_ge(parse_script(text, v), 1);
    ck_assert_msg(strstr(base_sb_str(&errs), expected) != NULL, "expected \"%s\" in \"%s\"", expected,
                  base_sb_str(&errs));
}
