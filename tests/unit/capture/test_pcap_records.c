/* The in-place walk over classic pcap records (lib/capture/pcap_records.c) and its hand-over to
 * libpcap (lib/capture/capture.c): plain records come out as pcap_loop gives them, the walk stops at
 * the first record it leaves to libpcap, and libpcap reads that one and the rest. */
#include <string.h>

#include "capture/capture.h"
#include "capture/pcap_records.h"
#include "support.h"

typedef struct seen {
    unsigned count;
    long sec[4], frac[4];
    uint32_t caplen[4], len[4];
    const uint8_t *data[4];
} seen;

static void on_rec(void *ctx, const cap_record *h, const uint8_t *data)
{
    seen *s = ctx;
    ck_assert_uint_lt(s->count, 4);
    s->sec[s->count] = (long)h->sec;
    s->frac[s->count] = h->frac;
    s->caplen[s->count] = h->caplen;
    s->len[s->count] = h->len;
    s->data[s->count] = data;
    s->count++;
}

/* Host order (x86-64: little-endian) file headers of 2.4, snaplen 65535, Ethernet. */
#define HEADER_USEC "d4 c3 b2 a1 02 00 04 00 00 00 00 00 00 00 00 00 ff ff 00 00 01 00 00 00"
#define HEADER_NSEC "4d 3c b2 a1 02 00 04 00 00 00 00 00 00 00 00 00 ff ff 00 00 01 00 00 00"

START_TEST(header_takes_classic_2_4_in_host_order_only)
{
    uint8_t h[64];
    cap_records w;
    ck_assert_uint_eq(hex_to_bytes(HEADER_USEC, h, sizeof h), CAP_PCAP_FILE_HEADER);
    ck_assert(cap_records_header(h, &w));
    ck_assert_uint_eq(w.ts_scale, 1000);
    hex_to_bytes(HEADER_NSEC, h, sizeof h);
    ck_assert(cap_records_header(h, &w));
    ck_assert_uint_eq(w.ts_scale, 1);
    /* the other byte order, version 2.3 (lengths maybe swapped), pcapng: libpcap's */
    hex_to_bytes("a1 b2 c3 d4 00 02 00 04 00 00 00 00 00 00 00 00 00 00 ff ff 00 00 00 01", h, sizeof h);
    ck_assert(!cap_records_header(h, &w));
    hex_to_bytes("d4 c3 b2 a1 02 00 03 00 00 00 00 00 00 00 00 00 ff ff 00 00 01 00 00 00", h, sizeof h);
    ck_assert(!cap_records_header(h, &w));
    hex_to_bytes("0a 0d 0d 0a 1c 00 00 00 4d 3c 2b 1a 01 00 00 00 ff ff ff ff ff ff ff ff", h, sizeof h);
    ck_assert(!cap_records_header(h, &w));
}
END_TEST

START_TEST(walk_gives_records_as_libpcap_does)
{
    uint8_t buf[128];
    /* 5 s + 7 us, 3 of 60 bytes; then -1 s (signed, as libpcap reads it) with 2 of 2 bytes */
    size_t n = hex_to_bytes("05 00 00 00 07 00 00 00 03 00 00 00 3c 00 00 00 aa bb cc"
                            " ff ff ff ff 02 00 00 00 02 00 00 00 02 00 00 00 dd ee",
                            buf, sizeof buf);
    cap_records w = {.ts_scale = 1000, .max_caplen = 65535};
    seen s = {0};
    bool not_plain = true;
    ck_assert_uint_eq(cap_records_walk(&w, buf, n, on_rec, &s, &not_plain), n);
    ck_assert(!not_plain);
    ck_assert_uint_eq(s.count, 2);
    ck_assert_int_eq(s.sec[0], 5);
    ck_assert_int_eq(s.frac[0], 7000);
    ck_assert_uint_eq(s.caplen[0], 3);
    ck_assert_uint_eq(s.len[0], 60);
    ck_assert_ptr_eq(s.data[0], buf + 16);
    ck_assert_int_eq(s.sec[1], -1);
    ck_assert_int_eq(s.frac[1], 2000);
    ck_assert_ptr_eq(s.data[1], buf + 35);
}
END_TEST

START_TEST(walk_stops_at_an_unfinished_or_long_record)
{
    uint8_t buf[128];
    size_t n = hex_to_bytes("00 00 00 00 00 00 00 00 02 00 00 00 02 00 00 00 01 02"
                            " 00 00 00 00 00 00 00 00 04 00 00 00 04 00 00 00 01 02 03",
                            buf, sizeof buf);
    cap_records w = {.ts_scale = 1, .max_caplen = 65535};
    seen s = {0};
    bool not_plain = true;
    /* the second record lacks a byte: the walk waits for more */
    ck_assert_uint_eq(cap_records_walk(&w, buf, n, on_rec, &s, &not_plain), 18);
    ck_assert(!not_plain);
    ck_assert_uint_eq(s.count, 1);
    /* a header alone, not all 16 bytes of it */
    memset(&s, 0, sizeof s);
    ck_assert_uint_eq(cap_records_walk(&w, buf, 18 + 15, on_rec, &s, &not_plain), 18);
    /* above the snapshot length: left to libpcap, which cuts or refuses it */
    w.max_caplen = 3;
    memset(&s, 0, sizeof s);
    ck_assert_uint_eq(cap_records_walk(&w, buf, n, on_rec, &s, &not_plain), 18);
    ck_assert(not_plain);
    ck_assert_uint_eq(s.count, 1);
}
END_TEST

static void count_event(void *ctx, const cap_event *ev)
{
    (void)ev;
    (*(unsigned *)ctx)++;
}

/* Through the reader: plain records walked, then libpcap takes over at the record the walk left. */
START_TEST(reader_hands_the_rest_to_libpcap)
{
    uint8_t buf[256];
    cap_pcap_opts opts;
    cap_pcap_opts_init(&opts);
    cap_pcap_totals t;
    char err[256];
    unsigned events = 0;
    /* snaplen 8: two short frames, one of 10 captured bytes (libpcap keeps 8), one short again */
    size_t n = hex_to_bytes("d4 c3 b2 a1 02 00 04 00 00 00 00 00 00 00 00 00 08 00 00 00 01 00 00 00"
                            " 00 00 00 00 00 00 00 00 06 00 00 00 06 00 00 00 01 02 03 04 05 06"
                            " 00 00 00 00 00 00 00 00 06 00 00 00 06 00 00 00 01 02 03 04 05 06"
                            " 00 00 00 00 00 00 00 00 0a 00 00 00 0a 00 00 00 01 02 03 04 05 06 07 08 09 0a"
                            " 00 00 00 00 00 00 00 00 06 00 00 00 06 00 00 00 01 02 03 04 05 06",
                            buf, sizeof buf);
    ck_assert_int_eq(cap_pcap_read_buffer(buf, n, &opts, count_event, &events, &t, err, sizeof err), CAP_PCAP_OK);
    ck_assert(!t.damaged);
    ck_assert_uint_eq(t.frames, 4);
    ck_assert_uint_eq(t.frame_warnings, 4); /* every frame is too short for Ethernet */
    /* a record that claims more than libpcap allows ends the capture as damaged, after frame 2 */
    buf[24 + 2 * 22 + 8] = 0xff;
    buf[24 + 2 * 22 + 10] = 0x7f;
    events = 0;
    ck_assert_int_eq(cap_pcap_read_buffer(buf, n, &opts, count_event, &events, &t, err, sizeof err), CAP_PCAP_OK);
    ck_assert(t.damaged);
    ck_assert_ptr_nonnull(strstr(t.damage, "after frame 2"));
    ck_assert_uint_eq(t.frames, 2);
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("pcap_records");
    TCase *tc = tcase_create("walk");
    tcase_add_test(tc, header_takes_classic_2_4_in_host_order_only);
    tcase_add_test(tc, walk_gives_records_as_libpcap_does);
    tcase_add_test(tc, walk_stops_at_an_unfinished_or_long_record);
    tcase_add_test(tc, reader_hands_the_rest_to_libpcap);
    suite_add_tcase(s, tc);
    return s;
}
