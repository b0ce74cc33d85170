/* lib/format's text writer: numbers and padding written in place (two digits a step, spaces as one
 * store) give exactly what printf's %llu, %*llu, %-*llu, %*s and %-*s give, also when the buffer
 * has to be flushed in the middle of a field. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/text_out.h"
#include "support.h"

/* Every digit count, the edges of each power of ten and of uint64_t. */
static const uint64_t values[] = {0,
                                  1,
                                  9,
                                  10,
                                  11,
                                  99,
                                  100,
                                  101,
                                  999,
                                  1000,
                                  65535,
                                  99999,
                                  100000,
                                  123456789,
                                  4294967295u,
                                  4294967296u,
                                  999999999999999999u,
                                  1000000000000000000u,
                                  9999999999999999999u,
                                  10000000000000000000u,
                                  UINT64_MAX};
static const int widths[] = {0, 1, 3, -3, 6, -6, 11, 16, -16, 17, -17, 40, -40};

typedef struct capture {
    char *data;
    size_t len;
    FILE *file;
    fmt_text_out *out;
} capture;

static void capture_open(capture *c)
{
    c->file = open_memstream(&c->data, &c->len);
    ck_assert_ptr_nonnull(c->file);
    c->out = malloc(sizeof *c->out);
    ck_assert_ptr_nonnull(c->out);
    fmt_txt_init(c->out, c->file);
}

static void capture_close(capture *c)
{
    fmt_txt_flush(c->out);
    fclose(c->file);
    free(c->out);
}

START_TEST(format_uint_matches_printf)
{
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char got[FMT_TXT_UINT_MAX_DIGITS + 1], want[32];
        size_t n = fmt_txt_format_uint(got, values[i]);
        got[n] = '\0';
        snprintf(want, sizeof want, "%" PRIu64, values[i]);
        ck_assert_str_eq(got, want);
    }
}
END_TEST

/* The same fields after `lead` bytes of filler, so that some land across the buffer's end. */
static void write_fields(fmt_text_out *t, char *expect, size_t cap, size_t *elen, size_t lead)
{
    for (size_t k = 0; k < lead; k++)
        fmt_txt_putc(t, 'x');
    memset(expect + *elen, 'x', lead);
    *elen += lead;
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        fmt_txt_uint(t, values[i]);
        *elen += (size_t)snprintf(expect + *elen, cap - *elen, "%" PRIu64 "|", values[i]);
        fmt_txt_putc(t, '|');
        for (size_t j = 0; j < sizeof widths / sizeof widths[0]; j++) {
            int w = widths[j];
            fmt_txt_uint_pad(t, values[i], w);
            fmt_txt_putc(t, '|');
            char s[8];
            int sn = snprintf(s, sizeof s, "%.*s", (int)(i % 7), "abcdefg");
            fmt_txt_pad(t, s, (size_t)sn, w);
            fmt_txt_putc(t, '|');
            *elen += (size_t)snprintf(expect + *elen, cap - *elen, "%*" PRIu64 "|%*s|", w, values[i], w, s);
        }
    }
}

START_TEST(pad_and_uint_match_printf_across_flushes)
{
    /* leads that put the fields before, across and after the end of the first buffer's worth */
    const size_t leads[] = {
        0, 1, FMT_TXT_BUF_SIZE - 200, FMT_TXT_BUF_SIZE - 17, FMT_TXT_BUF_SIZE - 5, FMT_TXT_BUF_SIZE - 1};
    for (size_t l = 0; l < sizeof leads / sizeof leads[0]; l++) {
        capture c;
        capture_open(&c);
        size_t cap = 2 * FMT_TXT_BUF_SIZE + 65536, elen = 0;
        char *expect = malloc(cap);
        ck_assert_ptr_nonnull(expect);
        write_fields(c.out, expect, cap, &elen, leads[l]);
        capture_close(&c);
        ck_assert_uint_eq(c.len, elen);
        ck_assert_msg(memcmp(c.data, expect, elen) == 0, "output differs from printf with lead %zu", leads[l]);
        free(expect);
        free(c.data);
    }
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("text_out");
    TCase *tc = tcase_create("text_out");
    tcase_add_test(tc, format_uint_matches_printf);
    tcase_add_test(tc, pad_and_uint_match_printf_across_flushes);
    suite_add_tcase(s, tc);
    return s;
}
