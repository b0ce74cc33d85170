/* The broker's Topic Alias mappings the runner follows (lib/conformance/run/aliases.c): set, used,
 * changed, unknown, and gone after a reset. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "conformance/run/aliases.h"
#include "support.h"

static mqtt_bytes view(const char *s)
{
    return (mqtt_bytes){(const uint8_t *)s, (uint32_t)strlen(s)};
}

START_TEST(set_then_used)
{
    cr_aliases a = {0};
    uint8_t *owned;
    mqtt_bytes t = view("a/b");
    ck_assert(cr_aliases_apply(&a, 2, &t, &owned));
    ck_assert_ptr_null(owned); /* a topic given is used as it is */
    ck_assert_view_str(t, "a/b");
    mqtt_bytes empty = view("");
    ck_assert(cr_aliases_apply(&a, 2, &empty, &owned));
    ck_assert_ptr_nonnull(owned);
    ck_assert_view_str(empty, "a/b");
    /* the mapping changes; the earlier packet's copy stays what it was */
    mqtt_bytes other = view("c");
    ck_assert(cr_aliases_apply(&a, 2, &other, &(uint8_t *){NULL}));
    mqtt_bytes again = view("");
    uint8_t *owned2;
    ck_assert(cr_aliases_apply(&a, 2, &again, &owned2));
    ck_assert_view_str(again, "c");
    ck_assert_view_str(empty, "a/b");
    free(owned);
    free(owned2);
    cr_aliases_reset(&a);
}
END_TEST

START_TEST(unknown_alias_refused)
{
    cr_aliases a = {0};
    uint8_t *owned;
    mqtt_bytes empty = view("");
    ck_assert(!cr_aliases_apply(&a, 1, &empty, &owned)); /* nothing set yet */
    mqtt_bytes t = view("x");
    ck_assert(cr_aliases_apply(&a, 3, &t, &owned));
    ck_assert(!cr_aliases_apply(&a, 1, &empty, &owned)); /* below one that is set */
    ck_assert(!cr_aliases_apply(&a, 9, &empty, &owned)); /* above every one set */
    ck_assert_ptr_null(owned);
    ck_assert_uint_eq(empty.len, 0);
    cr_aliases_reset(&a);
    ck_assert(!cr_aliases_apply(&a, 3, &empty, &owned)); /* a new connection starts with none */
    cr_aliases_reset(&a);
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("aliases");
    TCase *tc = tcase_create("aliases");
    tcase_add_test(tc, set_then_used);
    tcase_add_test(tc, unknown_alias_refused);
    suite_add_tcase(s, tc);
    return s;
}
