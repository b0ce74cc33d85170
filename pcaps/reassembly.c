/* TCP reassembly for one direction. Sequence numbers wrap at 2^32, so every comparison is on the
 * difference. The in-order path hands the caller's bytes straight to the sink without copying;
 * only early segments are copied. */
#include "reassembly.h"

#include <stdlib.h>
#include <string.h>

#include "tcp_parse.h"

struct reasm_seg {
    reasm_seg *next;
    uint32_t seq;
    uint32_t len;
    uint8_t data[];
};

/* a comes after b in sequence space (by less than half of it). */
static bool seq_after(uint32_t a, uint32_t b)
{
    return a != b && a - b < 0x80000000u;
}

void reasm_init(reasm_dir *d, size_t pending_limit)
{
    memset(d, 0, sizeof *d);
    d->pending_limit = pending_limit;
}

static void deliver(reasm_dir *d, const uint8_t *p, size_t n, uint64_t frame, const reasm_sink *sink)
{
    d->next_seq += (uint32_t)n;
    d->delivered_bytes += n;
    sink->data(sink->ctx, p, n, frame);
}

/* Deliver waiting segments that now start at or before next_seq. */
static void drain(reasm_dir *d, uint64_t frame, const reasm_sink *sink)
{
    while (d->pending && !seq_after(d->pending->seq, d->next_seq)) {
        reasm_seg *s = d->pending;
        d->pending = s->next;
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

/* Give up on the bytes between next_seq and to: report them as a gap and go on after them. */
static void skip_to(reasm_dir *d, uint32_t to, uint64_t frame, const reasm_sink *sink)
{
    uint32_t missing = to - d->next_seq;
    d->gap_bytes += missing;
    sink->gap(sink->ctx, d->next_seq, missing, frame);
    d->next_seq = to;
    drain(d, frame, sink);
}

/* Keep an early segment, unless a waiting one already holds all its bytes. */
static bool store(reasm_dir *d, uint32_t seq, const uint8_t *data, size_t n)
{
    reasm_seg **at = &d->pending;
    while (*at && seq_after(seq, (*at)->seq))
        at = &(*at)->next;
    for (reasm_seg *s = d->pending; s; s = s->next) {
        if (!seq_after(s->seq, seq) && !seq_after(seq + (uint32_t)n, s->seq + s->len)) {
            d->retransmitted_bytes += n;
            return true;
        }
    }
    reasm_seg *s = malloc(sizeof *s + n);
    if (!s)
        return false;
    s->seq = seq;
    s->len = (uint32_t)n;
    memcpy(s->data, data, n);
    s->next = *at;
    *at = s;
    d->pending_bytes += n;
    return true;
}

bool reasm_segment(reasm_dir *d, uint32_t seq, uint8_t flags, const uint8_t *data, size_t caplen, size_t len,
                   uint64_t frame, const reasm_sink *sink)
{
    if (flags & TCP_SYN) {
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
    if (flags & TCP_FIN) {
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
        drain(d, frame, sink);
        if (cut && d->next_seq == captured_end)
            skip_to(d, declared_end, frame, sink);
        return true;
    }
    bool stored = store(d, seq, data, caplen);
    while (d->pending && d->pending_bytes > d->pending_limit)
        skip_to(d, d->pending->seq, frame, sink);
    return stored;
}

void reasm_peer_ack(reasm_dir *d, uint32_t ack, uint64_t frame, const reasm_sink *sink)
{
    /* Without waiting segments an ACK past next_seq may just have been captured before the data it
     * acknowledges; with them, the hole below the ACK is confirmed. Far-off ACKs are ignored. */
    while (d->started && d->pending && seq_after(ack, d->next_seq) && ack - d->next_seq < 0x40000000u) {
        uint32_t to = seq_after(ack, d->pending->seq) ? d->pending->seq : ack;
        skip_to(d, to, frame, sink);
    }
}

void reasm_flush(reasm_dir *d, uint64_t frame, const reasm_sink *sink)
{
    while (d->pending)
        skip_to(d, d->pending->seq, frame, sink);
    if (d->fin_seen && seq_after(d->fin_seq, d->next_seq))
        skip_to(d, d->fin_seq, frame, sink);
}

void reasm_free(reasm_dir *d)
{
    while (d->pending) {
        reasm_seg *s = d->pending;
        d->pending = s->next;
        free(s);
    }
    d->pending_bytes = 0;
}
