/* TCP reassembly for one direction. Sequence numbers wrap at 2^32, so every comparison is on the
 * difference. The in-order path hands the caller's bytes straight to the sink without copying;
 * only early segments are copied. */
#include "reassembly.h"

#include <stdlib.h>
#include <string.h>

#include "tcp_parse.h"

/* Early segments wait in an AVL tree ordered by sequence number; a new segment goes before the
 * waiting ones with the same start, as it would in a sorted list where it is put in front of them.
 * Each node also keeps the largest end in its subtree, so "does a waiting segment that starts no
 * later already hold all these bytes?" is one walk down the tree. A sorted list made every store
 * walk all waiting segments: quadratic in the number of out-of-order segments. */
struct cap_reasm_seg {
    cap_reasm_seg *left, *right;
    uint32_t seq;
    uint32_t len;
    uint32_t max_end; /* the latest seq + len in this subtree */
    uint8_t height;
    uint8_t data[];
};

/* a comes after b in sequence space (by less than half of it). */
static bool seq_after(uint32_t a, uint32_t b)
{
    return a != b && a - b < 0x80000000u;
}

static int height(const cap_reasm_seg *s)
{
    return s ? s->height : 0;
}

/* Recompute a node's height and max_end from its children. */
static void fix(cap_reasm_seg *s)
{
    int l = height(s->left), r = height(s->right);
    s->height = (uint8_t)(1 + (l > r ? l : r));
    uint32_t m = s->seq + s->len;
    if (s->left && seq_after(s->left->max_end, m))
        m = s->left->max_end;
    if (s->right && seq_after(s->right->max_end, m))
        m = s->right->max_end;
    s->max_end = m;
}

static cap_reasm_seg *rotate_right(cap_reasm_seg *s)
{
    cap_reasm_seg *l = s->left;
    s->left = l->right;
    l->right = s;
    fix(s);
    fix(l);
    return l;
}

static cap_reasm_seg *rotate_left(cap_reasm_seg *s)
{
    cap_reasm_seg *r = s->right;
    s->right = r->left;
    r->left = s;
    fix(s);
    fix(r);
    return r;
}

static cap_reasm_seg *balance(cap_reasm_seg *s)
{
    fix(s);
    int b = height(s->left) - height(s->right);
    if (b > 1) {
        if (height(s->left->left) < height(s->left->right))
            s->left = rotate_left(s->left);
        return rotate_right(s);
    }
    if (b < -1) {
        if (height(s->right->right) < height(s->right->left))
            s->right = rotate_right(s->right);
        return rotate_left(s);
    }
    return s;
}

/* Recursion depth is the tree height: at most about 1.44 log2 of the waiting segments. */
static cap_reasm_seg *tree_insert(cap_reasm_seg *t, cap_reasm_seg *s)
{
    if (!t)
        return s;
    if (seq_after(s->seq, t->seq))
        t->right = tree_insert(t->right, s);
    else
        t->left = tree_insert(t->left, s);
    return balance(t);
}

static cap_reasm_seg *tree_pop_first(cap_reasm_seg *t, cap_reasm_seg **first)
{
    if (!t->left) {
        *first = t;
        return t->right;
    }
    t->left = tree_pop_first(t->left, first);
    return balance(t);
}

static const cap_reasm_seg *tree_first(const cap_reasm_seg *t)
{
    while (t && t->left)
        t = t->left;
    return t;
}

/* A waiting segment starting at or before seq reaches at least to end. */
static bool tree_covers(const cap_reasm_seg *t, uint32_t seq, uint32_t end)
{
    while (t) {
        if (seq_after(t->seq, seq)) {
            t = t->left;
            continue;
        }
        /* t and its whole left subtree start at or before seq */
        if (!seq_after(end, t->seq + t->len) || (t->left && !seq_after(end, t->left->max_end)))
            return true;
        t = t->right;
    }
    return false;
}

void cap_reasm_init(cap_reasm_dir *d, size_t pending_limit)
{
    memset(d, 0, sizeof *d);
    d->pending_limit = pending_limit;
}

static void deliver(cap_reasm_dir *d, const uint8_t *p, size_t n, uint64_t frame, const cap_reasm_sink *sink)
{
    d->next_seq += (uint32_t)n;
    d->delivered_bytes += n;
    sink->data(sink->ctx, p, n, frame);
}

/* Deliver waiting segments that now start at or before next_seq. */
static void drain(cap_reasm_dir *d, uint64_t frame, const cap_reasm_sink *sink)
{
    const cap_reasm_seg *first;
    while ((first = tree_first(d->pending)) && !seq_after(first->seq, d->next_seq)) {
        cap_reasm_seg *s;
        d->pending = tree_pop_first(d->pending, &s);
        d->pending_bytes -= s->len;
        uint32_t end = s->seq + s->len;
        uint32_t old = d->next_seq - s->seq;
        if (seq_after(end, d->next_seq)) {
            d->retransmitted_bytes += old;
            deliver(d, s->data + old, s->len - old, frame, sink);
        } else {
            d->retransmitted_bytes += s->len;
        }
        free(s);
    }
}

/* Sequence number of the first waiting byte (there must be one). */
static uint32_t first_pending_seq(const cap_reasm_dir *d)
{
    return tree_first(d->pending)->seq;
}

/* Give up on the bytes between next_seq and to: report them as a gap and go on after them. */
static void skip_to(cap_reasm_dir *d, uint32_t to, uint64_t frame, const cap_reasm_sink *sink)
{
    uint32_t missing = to - d->next_seq;
    d->gap_bytes += missing;
    sink->gap(sink->ctx, d->next_seq, missing, frame);
    d->next_seq = to;
    drain(d, frame, sink);
}

/* Keep an early segment, unless a waiting one already holds all its bytes. */
static bool store(cap_reasm_dir *d, uint32_t seq, const uint8_t *data, size_t n)
{
    if (tree_covers(d->pending, seq, seq + (uint32_t)n)) {
        d->retransmitted_bytes += n;
        return true;
    }
    cap_reasm_seg *s = malloc(sizeof *s + n);
    if (!s)
        return false;
    s->left = s->right = NULL;
    s->seq = seq;
    s->len = (uint32_t)n;
    s->height = 1;
    s->max_end = seq + (uint32_t)n;
    memcpy(s->data, data, n);
    d->pending = tree_insert(d->pending, s);
    d->pending_bytes += n;
    return true;
}

bool cap_reasm_segment(cap_reasm_dir *d, uint32_t seq, uint8_t flags, const uint8_t *data, size_t caplen, size_t len,
                       uint64_t frame, const cap_reasm_sink *sink)
{
    if (flags & CAP_TCP_SYN) {
        if (!d->syn_seen) {
            d->next_seq = seq + 1;
            d->started = d->syn_seen = true;
        }
        seq += 1; /* the SYN takes one sequence number; data on a SYN follows it */
    }
    if (!d->started) {
        if (len == 0)
            return true;
        d->next_seq = seq; /* the capture began inside this stream */
        d->started = true;
    }
    if (flags & CAP_TCP_FIN) {
        d->fin_seen = true;
        d->fin_seq = seq + (uint32_t)len;
    }
    /* Bytes the snapshot length cut off are lost for good once the captured part is delivered. */
    uint32_t captured_end = seq + (uint32_t)caplen, declared_end = seq + (uint32_t)len;
    bool cut = caplen < len;
    if (caplen == 0) {
        if (cut && d->next_seq == seq)
            skip_to(d, declared_end, frame, sink);
        return true;
    }
    if (!seq_after(seq + (uint32_t)caplen, d->next_seq)) {
        d->retransmitted_bytes += caplen;
        return true;
    }
    if (seq_after(d->next_seq, seq)) { /* starts with bytes already delivered */
        uint32_t old = d->next_seq - seq;
        d->retransmitted_bytes += old;
        seq += old;
        data += old;
        caplen -= old;
    }
    if (seq == d->next_seq) {
        deliver(d, data, caplen, frame, sink);
        if (d->pending) /* in order with nothing waiting, the usual case: no call */
            drain(d, frame, sink);
        if (cut && d->next_seq == captured_end)
            skip_to(d, declared_end, frame, sink);
        return true;
    }
    bool stored = store(d, seq, data, caplen);
    while (d->pending && d->pending_bytes > d->pending_limit)
        skip_to(d, first_pending_seq(d), frame, sink);
    return stored;
}

void cap_reasm_peer_ack(cap_reasm_dir *d, uint32_t ack, uint64_t frame, const cap_reasm_sink *sink)
{
    /* Without waiting segments an ACK past next_seq may just have been captured before the data it
     * acknowledges; with them, the hole below the ACK is confirmed. Far-off ACKs are ignored. */
    while (d->started && d->pending && seq_after(ack, d->next_seq) && ack - d->next_seq < 0x40000000u) {
        uint32_t first = first_pending_seq(d), to = seq_after(ack, first) ? first : ack;
        skip_to(d, to, frame, sink);
    }
}

void cap_reasm_flush(cap_reasm_dir *d, uint64_t frame, const cap_reasm_sink *sink)
{
    while (d->pending)
        skip_to(d, first_pending_seq(d), frame, sink);
    if (d->fin_seen && seq_after(d->fin_seq, d->next_seq))
        skip_to(d, d->fin_seq, frame, sink);
}

static void tree_free(cap_reasm_seg *t)
{
    while (t) { /* free the left spine iteratively, recurse only into right subtrees (depth: the height) */
        cap_reasm_seg *left = t->left;
        tree_free(t->right);
        free(t);
        t = left;
    }
}

void cap_reasm_free(cap_reasm_dir *d)
{
    tree_free(d->pending);
    d->pending = NULL;
    d->pending_bytes = 0;
}
