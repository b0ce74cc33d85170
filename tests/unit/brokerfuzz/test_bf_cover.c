/* Edge coverage (lib/brokerfuzz/bf_cover.c): hit counts fall in AFL's buckets, a new edge and a new
 * bucket are told apart from nothing new, the map size follows AFL_MAP_SIZE (rounded to 64 bytes), the runtime's "map too small" message is read, and a real map is made,
 * named in the environment, cleared and collected. */
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>

#include "brokerfuzz/bf_cover.h"
#include "support.h"

START_TEST(hit_counts_fall_in_afl_buckets)
{
    static const struct {
        uint8_t hits, bucket;
    } cases[] = {{0, 0},    {1, 1},    {2, 2},    {3, 4},    {4, 8},    {7, 8},     {8, 16},    {15, 16},
                 {16, 32},  {31, 32},  {32, 64},  {127, 64}, {128, 128}, {200, 128}, {255, 128}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t t = cases[i].hits;
        bf_cover_classify(&t, 1);
        ck_assert_msg(t == cases[i].bucket, "%u hits: bucket %u, want %u", cases[i].hits, t, cases[i].bucket);
    }
}
END_TEST

START_TEST(new_edges_and_new_buckets)
{
    uint8_t virgin[8], t[8];
    memset(virgin, 0xff, sizeof virgin);
    size_t fresh = 99;
    memset(t, 0, sizeof t);
    ck_assert_int_eq(bf_cover_merge(virgin, t, sizeof t, &fresh), BF_COVER_NOTHING);
    ck_assert_uint_eq(fresh, 0);
    /* two edges never hit: new edges */
    t[2] = 1;
    t[5] = 4; /* bucketed already: 4-7 hits */
    ck_assert_int_eq(bf_cover_merge(virgin, t, sizeof t, &fresh), BF_COVER_NEW_EDGE);
    ck_assert_uint_eq(fresh, 2);
    /* the same again: nothing new */
    ck_assert_int_eq(bf_cover_merge(virgin, t, sizeof t, &fresh), BF_COVER_NOTHING);
    ck_assert_uint_eq(fresh, 0);
    /* a known edge in a new bucket: new hit count, no new edge */
    memset(t, 0, sizeof t);
    t[2] = 2;
    ck_assert_int_eq(bf_cover_merge(virgin, t, sizeof t, &fresh), BF_COVER_NEW_BUCKET);
    ck_assert_uint_eq(fresh, 0);
    /* fewer hits in a bucket seen before: nothing new */
    memset(t, 0, sizeof t);
    t[2] = 1;
    t[5] = 8;
    ck_assert_int_eq(bf_cover_merge(virgin, t, sizeof t, &fresh), BF_COVER_NEW_BUCKET);
    t[5] = 4;
    ck_assert_int_eq(bf_cover_merge(virgin, t, sizeof t, &fresh), BF_COVER_NOTHING);
    /* a new edge next to a new bucket: the edge wins */
    t[5] = 16;
    t[7] = 1;
    ck_assert_int_eq(bf_cover_merge(virgin, t, sizeof t, &fresh), BF_COVER_NEW_EDGE);
    ck_assert_uint_eq(fresh, 1);
}
END_TEST

START_TEST(map_size_follows_afl_map_size)
{
    ck_assert_uint_eq(bf_cover_map_size(NULL), BF_COVER_MAP_MIN);
    ck_assert_uint_eq(bf_cover_map_size(""), BF_COVER_MAP_MIN);
    ck_assert_uint_eq(bf_cover_map_size("1000"), BF_COVER_MAP_MIN); /* the runtime assumes 64 KiB at least */
    ck_assert_uint_eq(bf_cover_map_size("262144"), 262144);
    ck_assert_uint_eq(bf_cover_map_size("70001"), 70016);
    ck_assert_uint_eq(bf_cover_map_size("12x"), 0);
    ck_assert_uint_eq(bf_cover_map_size("-5"), 0);
    ck_assert_uint_eq(bf_cover_map_size("999999999999"), 0);
}
END_TEST

START_TEST(runtime_says_the_map_is_too_small)
{
    ck_assert_uint_eq(bf_cover_needed_size("Warning: AFL++ tools might need to set AFL_MAP_SIZE to 90001 to be able "
                                           "to run this instrumented program if this crashes!\n"),
                      90001);
    ck_assert_uint_eq(bf_cover_needed_size("1: mosquitto version 2.0 starting\n"), 0);
    ck_assert_uint_eq(bf_cover_needed_size(NULL), 0);
}
END_TEST

/* A real map: named in the environment as AFL++'s runtime reads it, written through a second
 * attachment as a child would, collected and cleared; byte 0 (the runtime's mark) is no edge. */
START_TEST(shared_map_is_collected_and_cleared)
{
    bf_cover c;
    base_strbuf err = {0};
    ck_assert_int_eq(bf_cover_open(&c, BF_COVER_MAP_MIN, &err), 0);
    base_sb_free(&err);
    const char *id = getenv("__AFL_SHM_ID"), *size = getenv("AFL_MAP_SIZE");
    ck_assert_ptr_nonnull(id);
    ck_assert_str_eq(size, "65536");
    uint8_t *child = shmat(atoi(id), NULL, 0);
    ck_assert_ptr_ne(child, (void *)-1);
    child[0] = 1;
    child[100] = 3;
    child[65535] = 1;
    ck_assert_int_eq(bf_cover_collect(&c), BF_COVER_NEW_EDGE);
    ck_assert_uint_eq(c.edges, 2);
    for (size_t i = 0; i < BF_COVER_MAP_MIN; i++)
        ck_assert_msg(child[i] == 0, "byte %zu not cleared for the next session", i);
    child[0] = 1;
    ck_assert_int_eq(bf_cover_collect(&c), BF_COVER_NOTHING);
    child[100] = 3;
    ck_assert_int_eq(bf_cover_collect(&c), BF_COVER_NOTHING);
    child[100] = 9;
    ck_assert_int_eq(bf_cover_collect(&c), BF_COVER_NEW_BUCKET);
    ck_assert_uint_eq(c.edges, 2);
    shmdt(child);
    bf_cover_close(&c);
    ck_assert_ptr_null(getenv("__AFL_SHM_ID"));
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("bf_cover");
    TCase *tc = tcase_create("cover");
    tcase_add_test(tc, hit_counts_fall_in_afl_buckets);
    tcase_add_test(tc, new_edges_and_new_buckets);
    tcase_add_test(tc, map_size_follows_afl_map_size);
    tcase_add_test(tc, runtime_says_the_map_is_too_small);
    tcase_add_test(tc, shared_map_is_collected_and_cleared);
    suite_add_tcase(s, tc);
    return s;
}
