/* TCP reassembly of one direction of a connection: delivers the byte stream in order, once.
 *
 * Segments that arrive early wait in a balanced tree ordered by sequence number (O(log n) per
 * segment); bytes that were already delivered
 * (retransmissions, overlaps, keep-alive probes) are dropped and counted. A hole that will never be
 * filled — the peer acknowledged past it, the waiting list outgrew its limit, or the stream ended —
 * is reported as a gap and skipped, so decoding goes on after it. Memory: the waiting list only. */
#ifndef CAP_REASSEMBLY_H
#define CAP_REASSEMBLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cap_reasm_sink {
    /* In-order bytes; frame is the capture frame that made them deliverable. */
    void (*data)(void *ctx, const uint8_t *p, size_t n, uint64_t frame);
    /* missing bytes starting at sequence number seq will never be seen. */
    void (*gap)(void *ctx, uint32_t seq, uint32_t missing, uint64_t frame);
    void *ctx;
} cap_reasm_sink;

typedef struct cap_reasm_seg cap_reasm_seg;

typedef struct cap_reasm_dir {
    bool started;    /* next_seq is known */
    bool syn_seen;   /* the stream's start was captured */
    bool fin_seen;
    uint32_t next_seq; /* sequence number of the next byte to deliver */
    uint32_t fin_seq;  /* sequence number the FIN occupies */
    cap_reasm_seg *pending; /* early segments: root of an AVL tree ordered by sequence number */
    size_t pending_bytes;
    size_t pending_limit;
    uint64_t delivered_bytes;
    uint64_t retransmitted_bytes;
    uint64_t gap_bytes;
} cap_reasm_dir;

void cap_reasm_init(cap_reasm_dir *d, size_t pending_limit);

/* One segment of this direction: flags as in the TCP header, caplen bytes of data captured out of
 * len the segment carried (fewer when snaplen cut the frame: the rest becomes a hole).
 * False when memory ran out (the segment is then treated as lost). */
bool cap_reasm_segment(cap_reasm_dir *d, uint32_t seq, uint8_t flags, const uint8_t *data, size_t caplen, size_t len,
                       uint64_t frame, const cap_reasm_sink *sink);

/* The other direction acknowledged ack: bytes below it that this direction still misses were
 * received by the peer but not captured, so holes below ack are gaps. */
void cap_reasm_peer_ack(cap_reasm_dir *d, uint32_t ack, uint64_t frame, const cap_reasm_sink *sink);

/* The stream is over: report every remaining hole as a gap and deliver what waits. */
void cap_reasm_flush(cap_reasm_dir *d, uint64_t frame, const cap_reasm_sink *sink);

/* Free the waiting list. */
void cap_reasm_free(cap_reasm_dir *d);

#endif
