/* TCP reassembly against a reference model: the sorted-list reassembly mqtk used before the waiting
 * segments moved into a balanced tree (quadratic, but short and plainly right) is kept here, and
 * both are fed the same random segments, ACKs and flushes. Every delivered byte, the frame that
 * made it deliverable, every gap and every counter must be the same: the tree changes the speed,
 * not one byte of the output. Then a large shuffled stream checks the delivered order at scale. */
#include <stdlib.h>
#include <string.h>

#include "capture/reassembly.h"
#include "support.h"
#include "capture/tcp_parse.h"

/* ---- the reference: the sorted-list reassembly, as it was ---- */

typedef struct ref_seg {
    struct ref_seg *next;
    uint32_t seq, len;
    uint8_t data[];
} ref_seg;

typedef struct ref_dir {
    bool started, syn_seen, fin_seen;
    uint32_t next_seq, fin_seq;
    ref_seg *pending;
    size_t pending_bytes, pending_limit;
    uint64_t delivered_bytes, retransmitted_bytes, gap_bytes;
} ref_dir;

static bool seq_after(uint32_t a, uint32_t b)
{
    return a != b && a - b < 0x80000000u;
}

static void ref_deliver(ref_dir *d, const uint8_t *p, size_t n, uint64_t frame, const cap_reasm_sink *sink)
{
    d->next_seq += (uint32_t)n;
    d->delivered_bytes += n;
    sink->data(sink->ctx, p, n, frame);
}

static void ref_drain(ref_dir *d, uint64_t frame, const cap_reasm_sink *sink)
{
    while (d->pending && !seq_after(d->pending->seq, d->next_seq)) {
        ref_seg *s = d->pending;
        d->pending = s->next;
        d->pending_bytes -= s->len;
        uint32_t end = s->seq + s->len, old = d->next_seq - s->seq;
        if (seq_after(end, d->next_seq)) {
            d->retransmitted_bytes += old;
            ref_deliver(d, s->data + old, s->len - old, frame, sink);
        } else {
            d->retransmitted_bytes += s->len;
        }
        free(s);
    }
}

static void ref_skip_to(ref_dir *d, uint32_t to, uint64_t frame, const cap_reasm_sink *sink)
{
    uint32_t missing = to - d->next_seq;
    d->gap_bytes += missing;
    sink->gap(sink->ctx, d->next_seq, missing, frame);
    d->next_seq = to;
    ref_drain(d, frame, sink);
}

static void ref_store(ref_dir *d, uint32_t seq, const uint8_t *data, size_t n)
{
    ref_seg **at = &d->pending;
    while (*at && seq_after(seq, (*at)->seq))
        at = &(*at)->next;
    for (ref_seg *s = d->pending; s; s = s->next) {
        if (!seq_after(s->seq, seq) && !seq_after(seq + (uint32_t)n, s->seq + s->len)) {
            d->retransmitted_bytes += n;
            return;
        }
    }
    ref_seg *s = malloc(sizeof *s + n);
    ck_assert_ptr_nonnull(s);
    s->seq = seq;
    s->len = (uint32_t)n;
    memcpy(s->data, data, n);
    s->next = *at;
    *at = s;
    d->pending_bytes += n;
}

static void ref_segment(ref_dir *d, uint32_t seq, uint8_t flags, const uint8_t *data, size_t caplen, size_t len,
                        uint64_t frame, const cap_reasm_sink *sink)
{
    if (flags & CAP_TCP_SYN) {
        if (!d->syn_seen) {
            d->next_seq = seq + 1;
            d->started = d->syn_seen = true;
        }
        seq += 1;
    }
    if (!d->started) {
        if (len == 0)
            return;
        d->next_seq = seq;
        d->started = true;
    }
    if (flags & CAP_TCP_FIN) {
        d->fin_seen = true;
        d->fin_seq = seq + (uint32_t)len;
    }
    uint32_t captured_end = seq + (uint32_t)caplen, declared_end = seq + (uint32_t)len;
    bool cut = caplen < len;
    if (caplen == 0) {
        if (cut && d->next_seq == seq)
            ref_skip_to(d, declared_end, frame, sink);
        return;
    }
    if (!seq_after(seq + (uint32_t)caplen, d->next_seq)) {
        d->retransmitted_bytes += caplen;
        return;
    }
    if (seq_after(d->next_seq, seq)) {
        uint32_t old = d->next_seq - seq;
        d->retransmitted_bytes += old;
        seq += old;
        data += old;
        caplen -= old;
    }
    if (seq == d->next_seq) {
        ref_deliver(d, data, caplen, frame, sink);
        ref_drain(d, frame, sink);
        if (cut && d->next_seq == captured_end)
            ref_skip_to(d, declared_end, frame, sink);
        return;
    }
    ref_store(d, seq, data, caplen);
    while (d->pending && d->pending_bytes > d->pending_limit)
        ref_skip_to(d, d->pending->seq, frame, sink);
}

static void ref_peer_ack(ref_dir *d, uint32_t ack, uint64_t frame, const cap_reasm_sink *sink)
{
    while (d->started && d->pending && seq_after(ack, d->next_seq) && ack - d->next_seq < 0x40000000u) {
        uint32_t to = seq_after(ack, d->pending->seq) ? d->pending->seq : ack;
        ref_skip_to(d, to, frame, sink);
    }
}

static void ref_flush(ref_dir *d, uint64_t frame, const cap_reasm_sink *sink)
{
    while (d->pending)
        ref_skip_to(d, d->pending->seq, frame, sink);
    if (d->fin_seen && seq_after(d->fin_seq, d->next_seq))
        ref_skip_to(d, d->fin_seq, frame, sink);
}

static void ref_free(ref_dir *d)
{
    while (d->pending) {
        ref_seg *s = d->pending;
        d->pending = s->next;
        free(s);
    }
}

/* ---- a log of what a sink saw: one record per call ---- */

typedef struct log_rec {
    bool gap;
    uint64_t frame;
    uint32_t seq, n; /* gap: seq and missing; data: n bytes, stored in bytes[] */
    size_t at;       /* data: offset in bytes[] */
} log_rec;

typedef struct sink_log {
    log_rec *recs;
    size_t count, cap;
    uint8_t *bytes;
    size_t len, bytes_cap;
} sink_log;

static void log_push(sink_log *l, log_rec r)
{
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->recs = realloc(l->recs, l->cap * sizeof *l->recs);
        ck_assert_ptr_nonnull(l->recs);
    }
    l->recs[l->count++] = r;
}

static void log_data(void *ctx, const uint8_t *p, size_t n, uint64_t frame)
{
    sink_log *l = ctx;
    while (l->len + n > l->bytes_cap) {
        l->bytes_cap = l->bytes_cap ? l->bytes_cap * 2 : 4096;
        l->bytes = realloc(l->bytes, l->bytes_cap);
        ck_assert_ptr_nonnull(l->bytes);
    }
    memcpy(l->bytes + l->len, p, n);
    log_push(l, (log_rec){false, frame, 0, (uint32_t)n, l->len});
    l->len += n;
}

static void log_gap(void *ctx, uint32_t seq, uint32_t missing, uint64_t frame)
{
    log_push(ctx, (log_rec){true, frame, seq, missing, 0});
}

static void log_free(sink_log *l)
{
    free(l->recs);
    free(l->bytes);
    memset(l, 0, sizeof *l);
}

static void expect_same_log(const sink_log *a, const sink_log *b, unsigned trial)
{
    ck_assert_msg(a->count == b->count, "trial %u: %zu sink calls, the reference made %zu", trial, a->count, b->count);
    for (size_t i = 0; i < a->count; i++) {
        const log_rec *x = &a->recs[i], *y = &b->recs[i];
        ck_assert_msg(x->gap == y->gap && x->frame == y->frame && x->n == y->n && (!x->gap || x->seq == y->seq),
                      "trial %u: sink call %zu differs from the reference", trial, i);
        if (!x->gap)
            ck_assert_msg(memcmp(a->bytes + x->at, b->bytes + y->at, x->n) == 0,
                          "trial %u: bytes of sink call %zu differ from the reference", trial, i);
    }
}

/* ---- random operations, applied to both ---- */

static uint64_t rng_state;

static uint32_t rnd(uint32_t below)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % below);
}

START_TEST(tree_matches_the_sorted_list)
{
    static const uint32_t isns[] = {0, 1000, 0xFFFFFF00u, 0x7FFFFFF0u, 0xFFFFFFFFu};
    uint8_t data[64];
    rng_state = 0x2545F4914F6CDD1Dull;
    for (unsigned trial = 0; trial < 3000; trial++) {
        uint32_t isn = isns[trial % 5] + rnd(16);
        size_t limit = trial % 3 == 0 ? 48 : 1u << 20;
        cap_reasm_dir d;
        ref_dir r;
        cap_reasm_init(&d, limit);
        memset(&r, 0, sizeof r);
        r.pending_limit = limit;
        sink_log got = {0}, want = {0};
        cap_reasm_sink gs = {log_data, log_gap, &got}, ws = {log_data, log_gap, &want};
        bool syn = trial % 4 != 3; /* a quarter start mid-stream */
        uint64_t frame = 1;
        if (syn) {
            ck_assert(cap_reasm_segment(&d, isn, CAP_TCP_SYN, NULL, 0, 0, frame, &gs));
            ref_segment(&r, isn, CAP_TCP_SYN, NULL, 0, 0, frame, &ws);
        }
        unsigned ops = 20 + rnd(300);
        for (unsigned k = 0; k < ops; k++) {
            frame++;
            unsigned what = rnd(100);
            uint32_t off = rnd(400);
            uint32_t seq = isn + 1 + off - 8; /* a little before the start too */
            if (what < 85) {
                size_t len = rnd(12), caplen = rnd(10) == 0 ? rnd((uint32_t)len + 1) : len;
                /* mostly the stream's own bytes; now and then other bytes at the same place, so
                 * which copy wins an overlap is checked too */
                bool other = rnd(8) == 0;
                for (size_t i = 0; i < len; i++)
                    data[i] = (uint8_t)((seq + i) * 31u + (other ? frame : 0));
                uint8_t flags = CAP_TCP_ACK | (rnd(40) == 0 ? CAP_TCP_FIN : 0) | (rnd(60) == 0 ? CAP_TCP_SYN : 0);
                ck_assert(cap_reasm_segment(&d, seq, flags, data, caplen, len, frame, &gs));
                ref_segment(&r, seq, flags, data, caplen, len, frame, &ws);
            } else if (what < 97) {
                cap_reasm_peer_ack(&d, seq, frame, &gs);
                ref_peer_ack(&r, seq, frame, &ws);
            } else {
                cap_reasm_flush(&d, frame, &gs);
                ref_flush(&r, frame, &ws);
            }
            ck_assert_uint_eq(d.next_seq, r.next_seq);
            ck_assert_uint_eq(d.pending_bytes, r.pending_bytes);
        }
        cap_reasm_flush(&d, frame + 1, &gs);
        ref_flush(&r, frame + 1, &ws);
        expect_same_log(&got, &want, trial);
        ck_assert_uint_eq(d.delivered_bytes, r.delivered_bytes);
        ck_assert_uint_eq(d.retransmitted_bytes, r.retransmitted_bytes);
        ck_assert_uint_eq(d.gap_bytes, r.gap_bytes);
        ck_assert_uint_eq(d.pending_bytes, 0);
        cap_reasm_free(&d);
        ref_free(&r);
        log_free(&got);
        log_free(&want);
    }
}
END_TEST

/* 200,000 one-byte segments in shuffled order, the first one last, a thousand of them twice: the
 * stream comes out whole and in order, once. (The sorted list took minutes for this.) */
START_TEST(many_shuffled_segments)
{
    enum { N = 200000 };
    uint32_t *order = malloc(N * sizeof *order);
    ck_assert_ptr_nonnull(order);
    for (uint32_t i = 0; i < N; i++)
        order[i] = i;
    rng_state = 14;
    for (uint32_t i = N - 1; i > 1; i--) { /* shuffle 1..N-1; 0 stays for the end */
        uint32_t j = 1 + rnd(i);
        uint32_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    cap_reasm_dir d;
    cap_reasm_init(&d, 8u << 20);
    sink_log got = {0};
    cap_reasm_sink sink = {log_data, log_gap, &got};
    uint32_t isn = 0xFFFF0000u; /* the sequence numbers wrap on the way */
    ck_assert(cap_reasm_segment(&d, isn, CAP_TCP_SYN, NULL, 0, 0, 1, &sink));
    for (uint32_t k = 1; k < N + 1000; k++) {
        uint32_t i = k < N ? order[k] : 1 + rnd(N - 1);
        uint8_t b = (uint8_t)(i * 7u + 3);
        ck_assert(cap_reasm_segment(&d, isn + 1 + i, CAP_TCP_ACK, &b, 1, 1, k + 1, &sink));
    }
    ck_assert_uint_eq(got.len, 0);
    uint8_t b0 = 3;
    ck_assert(cap_reasm_segment(&d, isn + 1, CAP_TCP_ACK, &b0, 1, 1, N + 1001, &sink));
    ck_assert_uint_eq(got.len, N);
    for (uint32_t i = 0; i < N; i++)
        ck_assert_uint_eq(got.bytes[i], (uint8_t)(i * 7u + 3));
    ck_assert_uint_eq(d.retransmitted_bytes, 1000);
    ck_assert_uint_eq(d.pending_bytes, 0);
    ck_assert_uint_eq(d.gap_bytes, 0);
    cap_reasm_free(&d);
    log_free(&got);
    free(order);
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("reassembly model");
    TCase *tc = tcase_create("tree against the sorted list");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, tree_matches_the_sorted_list);
    tcase_add_test(tc, many_shuffled_segments);
    suite_add_tcase(s, tc);
    return s;
}
