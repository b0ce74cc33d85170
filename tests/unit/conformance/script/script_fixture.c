#include "script_fixture.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

cf_arena arena;
cf_suite suite;
cf_strbuf errs;

void script_fixture_setup(void)
{
    memset(&arena, 0, sizeof arena);
    memset(&suite, 0, sizeof suite);
    memset(&errs, 0, sizeof errs);
}

void script_fixture_teardown(void)
{
    cf_arena_free(&arena);
    free(suite.tests);
    cf_sb_free(&errs);
}

int parse_script(const char *text, mqtt_version v)
{
    return cf_parse_script(&arena, "t.mqtt", text, v, "area", &suite, &errs);
}

void assert_script_error(const char *text, mqtt_version v, const char *expected)
{
    ck_assert_int_ge(parse_script(text, v), 1);
    ck_assert_msg(strstr(cf_sb_str(&errs), expected) != NULL, "expected \"%s\" in \"%s\"", expected,
                  cf_sb_str(&errs));
}
