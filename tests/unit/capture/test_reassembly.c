/* TCP reassembly (lib/capture/reassembly.c) and the in-memory capture reader (lib/capture/capture.c): bytes
 * come out in order and once, whatever order, repetition and overlap the segments arrive in;
 * holes become gaps; hostile capture bytes get an error, never a crash. */
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "capture/reassembly.h"
#include "support.h"
#include "capture/tcp_parse.h"

/* What the sink saw: the delivered bytes and every gap. */
typedef struct recorder {
    uint8_t out[4096];
    size_t len;
    uint32_t gap_seq[8];
    uint32_t gap_len[8];
    size_t gaps;
} recorder;

static void rec_data(void *ctx, const uint8_t *p, size_t n, uint64_t frame)
{
    (void)frame;
    recorder *r = ctx;
    ck_assert_uint_le(r->len + n, sizeof r->out);
    memcpy(r->out + r->len, p, n);
    r->len += n;
}

static void rec_gap(void *ctx, uint32_t seq, uint32_t missing, uint64_t frame)
{
    (void)frame;
    recorder *r = ctx;
    ck_assert_uint_lt(r->gaps, 8);
    r->gap_seq[r->gaps] = seq;
    r->gap_len[r->gaps] = missing;
    r->gaps++;
}

static const uint8_t text[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

typedef struct fixture {
    cap_reasm_dir d;
    recorder r;
    cap_reasm_sink sink;
    uint32_t isn;
} fixture;

/* A direction that has seen nothing yet, delivering to the recorder. */
static void init_unopened(fixture *f, size_t pending_limit)
{
    memset(f, 0, sizeof *f);
    cap_reasm_init(&f->d, pending_limit);
    f->sink = (cap_reasm_sink){rec_data, rec_gap, &f->r};
}

/* A direction opened by a SYN with sequence number isn. */
static void setup_at(fixture *f, uint32_t isn, size_t pending_limit)
{
    init_unopened(f, pending_limit);
    f->isn = isn;
    ck_assert(cap_reasm_segment(&f->d, isn, CAP_TCP_SYN, NULL, 0, 0, 1, &f->sink));
}

/* Segment carrying text[from, to) (offsets from the first data byte). */
static void seg(fixture *f, size_t from, size_t to)
{
    ck_assert(cap_reasm_segment(&f->d, f->isn + 1 + (uint32_t)from, CAP_TCP_ACK, text + from, to - from, to - from, 2,
                                &f->sink));
}

static void expect_text(const fixture *f, size_t from, size_t to)
{
    ck_assert_uint_eq(f->r.len, to - from);
    ck_assert_bytes_eq(f->r.out, f->r.len, text + from, to - from);
}

START_TEST(in_order)
{
    fixture f;
    setup_at(&f, 1000, 1 << 20);
    seg(&f, 0, 10);
    seg(&f, 10, 30);
    expect_text(&f, 0, 30);
    ck_assert_uint_eq(f.r.gaps, 0);
    cap_reasm_free(&f.d);
}
END_TEST

START_TEST(out_of_order_waits_for_the_hole)
{
    fixture f;
    setup_at(&f, 1000, 1 << 20);
    seg(&f, 20, 30);
    seg(&f, 10, 20);
    ck_assert_uint_eq(f.r.len, 0); /* nothing before byte 10 yet */
    seg(&f, 0, 10);
    expect_text(&f, 0, 30);
    ck_assert_uint_eq(f.d.pending_bytes, 0);
    cap_reasm_free(&f.d);
}
END_TEST

START_TEST(retransmission_is_delivered_once)
{
    fixture f;
    setup_at(&f, 1000, 1 << 20);
    seg(&f, 0, 10);
    seg(&f, 0, 10);
    seg(&f, 5, 15); /* half old, half new */
    expect_text(&f, 0, 15);
    ck_assert_uint_eq(f.d.retransmitted_bytes, 15);
    cap_reasm_free(&f.d);
}
END_TEST

START_TEST(overlapping_early_segments)
{
    fixture f;
    setup_at(&f, 1000, 1 << 20);
    seg(&f, 40, 60);
    seg(&f, 20, 50);
    seg(&f, 45, 50); /* inside one already waiting: dropped */
    seg(&f, 0, 25);
    expect_text(&f, 0, 60);
    cap_reasm_free(&f.d);
}
END_TEST

START_TEST(sequence_numbers_wrap)
{
    fixture f;
    setup_at(&f, 0xFFFFFFF0u, 1 << 20); /* data starts at 0xFFFFFFF1 and crosses 2^32 */
    seg(&f, 20, 40);
    seg(&f, 0, 20);
    expect_text(&f, 0, 40);
    cap_reasm_free(&f.d);
}
END_TEST

START_TEST(peer_ack_past_a_hole_is_a_gap)
{
    fixture f;
    setup_at(&f, 1000, 1 << 20);
    seg(&f, 0, 10);
    seg(&f, 20, 30);
    cap_reasm_peer_ack(&f.d, f.isn + 1 + 5, 3, &f.sink); /* acknowledges bytes already delivered: nothing */
    ck_assert_uint_eq(f.r.gaps, 0);
    cap_reasm_peer_ack(&f.d, f.isn + 1 + 30, 3, &f.sink);
    ck_assert_uint_eq(f.r.gaps, 1);
    ck_assert_uint_eq(f.r.gap_seq[0], f.isn + 1 + 10);
    ck_assert_uint_eq(f.r.gap_len[0], 10);
    ck_assert_uint_eq(f.r.len, 20);
    ck_assert_bytes_eq(f.r.out + 10, 10, text + 20, 10);
    cap_reasm_free(&f.d);
}
END_TEST

START_TEST(flush_reports_every_hole)
{
    fixture f;
    setup_at(&f, 1000, 1 << 20);
    seg(&f, 5, 10);
    seg(&f, 20, 25);
    cap_reasm_flush(&f.d, 9, &f.sink);
    ck_assert_uint_eq(f.r.gaps, 2);
    ck_assert_uint_eq(f.r.gap_len[0], 5);
    ck_assert_uint_eq(f.r.gap_len[1], 10);
    ck_assert_uint_eq(f.d.gap_bytes, 15);
    ck_assert_uint_eq(f.r.len, 10);
    cap_reasm_free(&f.d);
}
END_TEST

START_TEST(pending_limit_turns_the_hole_into_a_gap)
{
    fixture f;
    setup_at(&f, 1000, 16);
    seg(&f, 10, 20);
    ck_assert_uint_eq(f.r.gaps, 0);
    seg(&f, 20, 30); /* 20 bytes waiting > 16 */
    ck_assert_uint_eq(f.r.gaps, 1);
    ck_assert_uint_eq(f.r.gap_len[0], 10);
    expect_text(&f, 10, 30);
    cap_reasm_free(&f.d);
}
END_TEST

START_TEST(snaplen_cut_is_a_gap_at_once)
{
    fixture f;
    setup_at(&f, 1000, 1 << 20);
    /* 30 bytes on the wire, 12 captured */
    ck_assert(cap_reasm_segment(&f.d, f.isn + 1, CAP_TCP_ACK, text, 12, 30, 2, &f.sink));
    ck_assert_uint_eq(f.r.gaps, 1);
    ck_assert_uint_eq(f.r.gap_len[0], 18);
    seg(&f, 30, 40);
    ck_assert_uint_eq(f.r.len, 22);
    cap_reasm_free(&f.d);
}
END_TEST

START_TEST(mid_stream_start_takes_the_first_segment)
{
    fixture f;
    init_unopened(&f, 1 << 20);
    ck_assert(cap_reasm_segment(&f.d, 777, CAP_TCP_ACK, text, 10, 10, 1, &f.sink));
    ck_assert(!f.d.syn_seen);
    ck_assert(cap_reasm_segment(&f.d, 787, CAP_TCP_ACK, text + 10, 10, 10, 2, &f.sink));
    expect_text(&f, 0, 20);
    cap_reasm_free(&f.d);
}
END_TEST

/* ---- the capture reader from memory: the fuzzing entry point */

static void count_events(void *ctx, const cap_event *ev)
{
    (void)ev;
    (*(unsigned *)ctx)++;
}

static cap_pcap_status read_bytes(const uint8_t *data, size_t len, cap_pcap_totals *t, char *err, size_t errcap)
{
    cap_pcap_opts opts;
    cap_pcap_opts_init(&opts);
    unsigned events = 0;
    return cap_pcap_read_buffer(data, len, &opts, count_events, &events, t, err, errcap);
}

static cap_pcap_status read_hex(const char *hex, cap_pcap_totals *t, char *err, size_t errcap)
{
    uint8_t buf[512];
    size_t n = hex_to_bytes(hex, buf, sizeof buf);
    return read_bytes(buf, n, t, err, errcap);
}

/* pcap global header, little-endian, snaplen 65535, link type given as two hex digits. */
#define PCAP_HEADER(link) "d4 c3 b2 a1 02 00 04 00 00 00 00 00 00 00 00 00 ff ff 00 00 " link " 00 00 00"

START_TEST(buffer_empty_and_garbage_are_refused)
{
    cap_pcap_totals t;
    char err[256];
    ck_assert_int_eq(read_bytes((const uint8_t *)"", 0, &t, err, sizeof err), CAP_PCAP_UNREADABLE);
    ck_assert_int_eq(read_hex("00 01 02 03 04 05 06 07 08 09", &t, err, sizeof err), CAP_PCAP_UNREADABLE);
    ck_assert_ptr_nonnull(strstr(err, "not a pcap"));
    ck_assert_int_eq(read_hex(PCAP_HEADER("93"), &t, err, sizeof err), CAP_PCAP_UNREADABLE); /* USER0 */
    ck_assert_ptr_nonnull(strstr(err, "unsupported link type 147"));
}
END_TEST

START_TEST(buffer_truncated_record_is_damage)
{
    cap_pcap_totals t;
    char err[256];
    /* one record header claiming 60 bytes, only 4 follow */
    ck_assert_int_eq(
        read_hex(PCAP_HEADER("01") " 00 00 00 00 00 00 00 00 3c 00 00 00 3c 00 00 00 01 02 03 04", &t, err, sizeof err),
        CAP_PCAP_OK);
    ck_assert(t.damaged);
    ck_assert_ptr_nonnull(strstr(t.damage, "after frame 0"));
    ck_assert_uint_eq(t.frames, 0);
}
END_TEST

START_TEST(buffer_short_frames_are_warnings)
{
    cap_pcap_totals t;
    char err[256];
    /* an Ethernet frame of 6 bytes, then an IPv4 header claiming TCP but cut after 20 bytes */
    ck_assert_int_eq(read_hex(PCAP_HEADER("01") " 00 00 00 00 00 00 00 00 06 00 00 00 06 00 00 00 01 02 03 04 05 06"
                                                " 00 00 00 00 00 00 00 00 22 00 00 00 22 00 00 00"
                                                " 02 00 00 00 00 01 02 00 00 00 00 02 08 00"
                                                " 45 00 00 28 00 01 40 00 40 06 00 00 0a 00 00 01 0a 00 00 02",
                              &t, err, sizeof err),
                     CAP_PCAP_OK);
    ck_assert(!t.damaged);
    ck_assert_uint_eq(t.frames, 2);
    ck_assert_uint_eq(t.frame_warnings, 2);
    ck_assert_uint_eq(t.tcp_segments, 0);
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("reassembly");
    TCase *tc = tcase_create("reassembly");
    tcase_add_test(tc, in_order);
    tcase_add_test(tc, out_of_order_waits_for_the_hole);
    tcase_add_test(tc, retransmission_is_delivered_once);
    tcase_add_test(tc, overlapping_early_segments);
    tcase_add_test(tc, sequence_numbers_wrap);
    tcase_add_test(tc, peer_ack_past_a_hole_is_a_gap);
    tcase_add_test(tc, flush_reports_every_hole);
    tcase_add_test(tc, pending_limit_turns_the_hole_into_a_gap);
    tcase_add_test(tc, snaplen_cut_is_a_gap_at_once);
    tcase_add_test(tc, mid_stream_start_takes_the_first_segment);
    suite_add_tcase(s, tc);
    TCase *buf = tcase_create("capture from memory");
    tcase_add_test(buf, buffer_empty_and_garbage_are_refused);
    tcase_add_test(buf, buffer_truncated_record_is_damage);
    tcase_add_test(buf, buffer_short_frames_are_warnings);
    suite_add_tcase(s, buf);
    return s;
}
