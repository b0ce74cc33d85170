/* mqtk fuzz target "stream": a byte stream framed in one pass must give the same packets and the
 * same final error as the same bytes arriving in chunks of fuzzer-chosen sizes (mid-varint splits,
 * empty reads, several packets per chunk).
 * Input: [selector][n][n chunk sizes][stream]; n = byte & 15, n == 0 means one byte at a time,
 * otherwise the sizes repeat until the stream is used up (a size of 0 is an empty read).
 * The chunked reader behaves like a real one: after NEED_MORE it waits until the buffered bytes reach
 * frame.need, so an overstated need shows up as a diverging result. Bytes not yet received (and,
 * for the one pass, everything after the stream) are poisoned under ASan, so a read beyond them is
 * caught even though they sit in the same buffer.
 * Inputs stay short (a few packets) so the target runs fast: the decode target covers big packets.
 * MQTK_FUZZ_MAX_LEN: 256 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "fuzz_target.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MQTK_FUZZ_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define MQTK_FUZZ_ASAN 1
#endif
#ifdef MQTK_FUZZ_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

typedef struct event {
    mqtt_result result;
    mqtt_packet_type type; /* COMPLETE */
    uint32_t offset;       /* of the packet in the stream */
    uint32_t packet_len;   /* COMPLETE */
    mqtt_err error;        /* MALFORMED */
    uint32_t error_offset; /* MALFORMED */
} event;

typedef struct event_log {
    event *ev;
    size_t n;
} event_log;

static void record(event_log *log, mqtt_result r, uint32_t off, const mqtt_packet *pkt, const mqtt_frame *frame)
{
    event e = {r, (mqtt_packet_type)0, off, 0, MQTT_OK, 0};
    if (r == MQTT_COMPLETE) {
        e.type = pkt->type;
        e.packet_len = frame->packet_len;
    } else if (r == MQTT_MALFORMED) {
        e.error = frame->error.code;
        e.error_offset = frame->error.offset;
    }
    log->ev[log->n++] = e;
}

/* All bytes at once: decode packet after packet until an error or the end. A stream that ends on a
 * packet boundary (or is empty) is decoded once more with no bytes, which must ask for more: so
 * every input reaches the decoder (see LLVMFuzzerTestOneInput). */
static void one_pass(const uint8_t *buf, size_t len, const mqtt_decode_opts *opts, event_log *log)
{
    size_t off = 0;
    for (;;) {
        mqtt_packet pkt;
        mqtt_frame frame;
        mqtt_result r = mqtt_decode(buf + off, len - off, opts, &pkt, &frame);
        if (off == len) {
            FUZZ_REQUIRE(r == MQTT_NEED_MORE, "no bytes left: result %d, not NEED_MORE", (int)r);
            fuzz_check_rejected(r, 0, &frame);
            return;
        }
        record(log, r, (uint32_t)off, &pkt, &frame);
        if (r != MQTT_COMPLETE) {
            fuzz_check_rejected(r, len - off, &frame);
            return;
        }
        /* fuzz_check_decoded is the decode target's job: this one stays fast. */
        FUZZ_REQUIRE(frame.packet_len >= 2 && frame.packet_len <= len - off, "packet_len %u with %zu bytes left",
                     (unsigned)frame.packet_len, len - off);
        off += frame.packet_len;
    }
}

/* Bytes arriving in chunks; rx (cap bytes) holds the whole stream but only [0, avail) is readable. */
static void chunked(uint8_t *rx, size_t len, size_t cap, const uint8_t *sizes, size_t nsizes,
                    const mqtt_decode_opts *opts, event_log *log)
{
    size_t avail = 0, readable = 0, off = 0, want = 0, turn = 0, empty_reads = 0;
    mqtt_result last = MQTT_NEED_MORE;
    POISON(rx, cap);
    while (avail < len) {
        size_t step;
        if (nsizes == 0) {
            /* a byte at a time: nothing happens before `want` bytes are buffered, so go there at once */
            step = off + want > avail + 1u ? off + want - avail : 1u;
        } else {
            step = sizes[turn];
            if (++turn == nsizes) /* the sizes repeat (no division per read) */
                turn = 0;
            if (step == 0 && ++empty_reads > nsizes) /* all sizes 0: still make progress */
                step = 1;
            if (step > 0)
                empty_reads = 0;
        }
        if (step > len - avail)
            step = len - avail;
        avail += step;
        while (off < avail && avail - off >= want) {
            UNPOISON(rx + readable, avail - readable); /* only when the decoder is about to look */
            readable = avail;
            mqtt_packet pkt;
            mqtt_frame frame;
            mqtt_result r = mqtt_decode(rx + off, avail - off, opts, &pkt, &frame);
            last = r;
            if (r == MQTT_NEED_MORE) {
                FUZZ_REQUIRE(frame.need > avail - off, "need %u with %zu bytes buffered", (unsigned)frame.need,
                             avail - off);
                want = frame.need;
                break;
            }
            record(log, r, (uint32_t)off, &pkt, &frame);
            if (r == MQTT_MALFORMED)
                goto done;
            off += frame.packet_len;
            want = 0;
        }
    }
    if (off < len && last == MQTT_NEED_MORE)
        record(log, MQTT_NEED_MORE, (uint32_t)off, NULL, NULL);
done:
    UNPOISON(rx, cap);
}

static void require_same_events(const event_log *a, const event_log *b)
{
    FUZZ_REQUIRE(a->n == b->n, "one pass gives %zu results, chunked %zu", a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        const event *x = &a->ev[i], *y = &b->ev[i];
        FUZZ_REQUIRE(x->result == y->result && x->offset == y->offset,
                     "result %zu: %d at %u one pass, %d at %u chunked", i, (int)x->result, (unsigned)x->offset,
                     (int)y->result, (unsigned)y->offset);
        FUZZ_REQUIRE(x->type == y->type && x->packet_len == y->packet_len, "packet %zu: type %u len %u vs type %u len %u",
                     i, (unsigned)x->type, (unsigned)x->packet_len, (unsigned)y->type, (unsigned)y->packet_len);
        FUZZ_REQUIRE(x->error == y->error && x->error_offset == y->error_offset,
                     "result %zu: error %s at %u one pass, %s at %u chunked", i, mqtt_err_name(x->error),
                     (unsigned)x->error_offset, mqtt_err_name(y->error), (unsigned)y->error_offset);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A header cut short reads as zeros (and as fewer chunk sizes) instead of ending the run: this
     * harness has no coverage counters (harness.ignorelist), so an input that returned before the
     * decoder would show libFuzzer nothing, and its first input from an empty corpus is one byte
     * (OSS-Fuzz's bad-build check starts there). */
    size_t head = size < 2 ? size : 2;
    mqtt_decode_opts opts;
    fuzz_decode_opts_from_selector(size > 0 ? data[0] : 0u, &opts);
    size_t nsizes = size > 1 ? data[1] & 15u : 0u;
    if (nsizes > size - head)
        nsizes = size - head;
    const uint8_t *sizes = data + head;
    const uint8_t *stream = sizes + nsizes;
    size_t len = size - head - nsizes;
    size_t alloc = (len + 7u) & ~(size_t)7u; /* whole ASan granules: poisoning ends on a granule edge */

    if (alloc == 0)
        alloc = 8u;
    /* Event logs: a packet takes at least 2 bytes, plus a final NEED_MORE or error. Inputs the
     * fuzzer makes (see max_len) use fixed storage, no allocation per run; the receive buffer is
     * poisoned by hand, so a static one catches over-reads as well as a heap one. Longer inputs
     * (replayed files) get heap memory. */
    enum { SHORT_INPUT = 1024, SHORT_EVENTS = 2 * (SHORT_INPUT / 2 + 2) };
    static event short_events[SHORT_EVENTS];
    static _Alignas(8) uint8_t short_buf[SHORT_INPUT];
    size_t per_log = len / 2u + 2u;
    bool short_input = alloc <= SHORT_INPUT;
    event *ev = short_input ? short_events : malloc(2u * per_log * sizeof *ev);
    uint8_t *buf = short_input ? short_buf : malloc(alloc);
    if (!ev || !buf) {
        if (!short_input) {
            free(buf);
            free(ev);
        }
        return 0;
    }
    size_t cap = short_input ? (size_t)SHORT_INPUT : alloc;
    memcpy(buf, stream, len);
    event_log whole = {ev, 0}, split = {ev + per_log, 0};
    POISON(buf + len, cap - len); /* the one pass may read len bytes, not one more */
    one_pass(buf, len, &opts, &whole);
    UNPOISON(buf, cap);
    chunked(buf, len, cap, sizes, nsizes, &opts, &split);
    require_same_events(&whole, &split);
    if (!short_input) {
        free(buf);
        free(ev);
    }
    return 0;
}
