/* mqtk fuzz target "ws_frame": the WebSocket frame decoder and handshake parser (lib/ws).
 * Input: [selector][n][n chunk sizes][stream]. selector & 3 picks the sender (unknown, client,
 * server), bit 2 allows RSV1, bit 3 sets a 200-byte payload limit; n = byte & 15 chunk sizes follow
 * (n == 0: one byte at a time), repeating until the stream is used up.
 * Checked: frames decoded in one pass and the same bytes fed in chunks (waiting after NEED_MORE
 * until `need` bytes are buffered) give the same frames and the same final error; `need` never
 * points past a frame the one pass completed; every accepted frame re-encodes with the checked
 * encoder to exactly its bytes (the decoder accepts only minimal lengths), and unmasking twice gives
 * the masked payload back; fragmentation and close payloads are checked without crashing; the HTTP
 * parser's views stay inside the input. The client session (ws/client.h) reads the whole input as its
 * Upgrade answer, and the stream as server frames: every event stays inside the bytes given, and
 * after an error or the server's close the session ends.
 * MQTK_FUZZ_LINK: lib/ws
 * MQTK_FUZZ_MAX_LEN: 1024 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "fuzz_target.h"
#include "ws/ws.h"

enum { MAX_EVENTS = 1100 };

typedef struct frame_event {
    ws_result result;
    size_t offset, frame_len; /* COMPLETE */
    ws_err error;             /* MALFORMED */
    uint64_t error_offset;
} frame_event;

static void check_roundtrip(const uint8_t *frame_bytes, const ws_frame *f)
{
    ws_frame_spec spec = {.fin = f->fin, .rsv = f->rsv, .opcode = f->opcode, .masked = f->masked, .mask = {0}};
    memcpy(spec.mask, f->mask, 4);
    size_t len = (size_t)(f->header_len + f->payload_len);
    uint8_t *plain = malloc(f->payload_len ? (size_t)f->payload_len : 1);
    uint8_t *out = malloc(len);
    FUZZ_REQUIRE(plain && out, "out of memory");
    ws_mask(plain, f->payload, (size_t)f->payload_len, f->mask, 0);
    if (!f->masked)
        memcpy(plain, f->payload, (size_t)f->payload_len);
    size_t written;
    /* RSV bits the options allowed are written unchecked; everything else must pass the checks */
    ws_err e = ws_encode(out, len, &spec, plain, (size_t)f->payload_len, f->rsv ? WS_ENCODE_UNCHECKED : 0, &written);
    FUZZ_REQUIRE(e == WS_OK, "an accepted frame does not re-encode: %s", ws_err_name(e));
    FUZZ_REQUIRE(written == len && ws_header_size(f->payload_len, f->masked, 0) == f->header_len,
                 "re-encoded length %zu, frame length %zu", written, len);
    FUZZ_REQUIRE(memcmp(out, frame_bytes, len) == 0, "the re-encoded frame differs from the decoded bytes");
    if (f->opcode == WS_OP_CLOSE) {
        ws_close c;
        ws_error err;
        if (ws_close_parse(plain, (size_t)f->payload_len, &c, &err) == WS_COMPLETE)
            FUZZ_REQUIRE(!c.has_code || ws_close_code_valid(c.code), "an invalid close code accepted");
    }
    free(plain);
    free(out);
}

/* Decode every frame of stream in one pass. */
static size_t one_pass(const uint8_t *s, size_t n, const ws_decode_opts *o, frame_event *ev)
{
    size_t count = 0, off = 0;
    ws_message msg;
    memset(&msg, 0, sizeof msg);
    while (count < MAX_EVENTS) {
        ws_frame f;
        ws_result r = ws_frame_decode(s + off, n - off, o, &f);
        frame_event e = {r, off, 0, WS_OK, 0};
        if (r == WS_COMPLETE) {
            e.frame_len = (size_t)(f.header_len + f.payload_len);
            FUZZ_REQUIRE(f.payload == s + off + f.header_len, "payload view misplaced");
            check_roundtrip(s + off, &f);
            (void)ws_message_frame(&msg, &f);
        } else if (r == WS_MALFORMED) {
            e.error = f.error.code;
            e.error_offset = f.error.offset;
            FUZZ_REQUIRE(f.error.offset < WS_MAX_HEADER_LEN, "error offset %llu", (unsigned long long)f.error.offset);
        } else {
            FUZZ_REQUIRE(f.need > n - off, "NEED_MORE with %zu bytes but need %llu", n - off,
                         (unsigned long long)f.need);
        }
        ev[count++] = e;
        if (r != WS_COMPLETE)
            break;
        off += e.frame_len;
    }
    return count;
}

/* The same stream arriving in chunks, as a reader holding what it received. */
static size_t chunked(const uint8_t *s, size_t n, const ws_decode_opts *o, const uint8_t *sizes, size_t nsizes,
                      frame_event *ev)
{
    size_t count = 0, start = 0, have = 0, k = 0;
    uint64_t wait_for = 0;
    bool moves = false; /* sizes of 0 are empty reads, but some read must bring bytes */
    for (size_t i = 0; i < nsizes; i++)
        moves = moves || sizes[i];
    while (count < MAX_EVENTS) {
        size_t step = nsizes && moves ? sizes[k++ % nsizes] : 1;
        have = have + step < n ? have + step : n;
        if (have - start < wait_for && have < n)
            continue;
        ws_frame f;
        ws_result r = ws_frame_decode(s + start, have - start, o, &f);
        if (r == WS_NEED_MORE) {
            FUZZ_REQUIRE(f.need > have - start, "need %llu not beyond %zu", (unsigned long long)f.need, have - start);
            wait_for = f.need;
            if (have == n) {
                ev[count++] = (frame_event){r, start, 0, WS_OK, 0};
                break;
            }
            continue;
        }
        wait_for = 0;
        frame_event e = {r, start, 0, WS_OK, 0};
        if (r == WS_COMPLETE) {
            e.frame_len = (size_t)(f.header_len + f.payload_len);
            start += e.frame_len;
        } else {
            e.error = f.error.code;
            e.error_offset = f.error.offset;
        }
        ev[count++] = e;
        if (r == WS_MALFORMED)
            break;
        if (start == n && have == n) {
            /* the one pass tries once more on the empty rest and says NEED_MORE */
            ws_result last = ws_frame_decode(s + start, 0, o, &f);
            ev[count++] = (frame_event){last, start, 0, WS_OK, 0};
            break;
        }
    }
    return count;
}

static void check_http(const uint8_t *data, size_t size)
{
    ws_http h;
    ws_error e;
    if (ws_http_parse(data, size, 512, &h, &e) != WS_COMPLETE)
        return;
    FUZZ_REQUIRE(h.length <= size && h.length <= 512, "header block length %zu of %zu", h.length, size);
    const char *lo = (const char *)data, *hi = lo + h.length;
    const ws_str views[] = {h.method, h.target, h.reason, h.version, h.host, h.upgrade, h.connection, h.key,
                            h.accept, h.ws_version, h.protocol, h.extensions, h.headers};
    for (size_t i = 0; i < sizeof views / sizeof views[0]; i++)
        FUZZ_REQUIRE(!views[i].data || (views[i].data >= lo && views[i].data + views[i].len <= hi),
                     "view %zu outside the block", i);
    ws_str rest = h.headers, name, value;
    while (ws_http_next_header(&rest, &name, &value))
        FUZZ_REQUIRE(name.data >= lo && value.data + value.len <= hi, "header outside the block");
    (void)ws_check_request(&h, data, "mqtt", &e);
    (void)ws_check_response(&h, data, "dGhlIHNhbXBsZSBub25jZQ==", 24, "mqtt", &e);
}

/* The client session on hostile bytes: an answer to its request, then frames from the server. */
static void check_client(const uint8_t *data, size_t size, const uint8_t *stream, size_t n)
{
    static const uint8_t nonce[16] = "the sample nonce";
    static const uint8_t mask[4] = {1, 2, 3, 4};
    ws_client c;
    char req[256];
    size_t len, used;
    ws_error e;
    FUZZ_REQUIRE(ws_client_init(&c, "mqtt", 200) == WS_OK, "init");
    FUZZ_REQUIRE(ws_client_request(&c, nonce, "h:1", "/mqtt", req, sizeof req, &len) == WS_OK, "request");
    ws_result r = ws_client_response(&c, data, size, &used, &e);
    FUZZ_REQUIRE(r != WS_COMPLETE || (used <= size && c.state == WS_CLIENT_OPEN), "response used %zu of %zu", used,
                 size);
    c.state = WS_CLIENT_OPEN; /* whatever the answer, read the stream as frames */
    size_t off = 0;
    bool closed = false;
    for (;;) {
        ws_event ev;
        r = ws_client_read(&c, stream + off, n - off, &ev, &e);
        if (r == WS_NEED_MORE) {
            FUZZ_REQUIRE(ev.need > n - off || closed, "need %llu with %zu buffered", (unsigned long long)ev.need,
                         n - off);
            break;
        }
        if (r == WS_MALFORMED) {
            FUZZ_REQUIRE(c.state == WS_CLIENT_CLOSED && e.code > WS_OK && e.code < WS_ERR_COUNT, "error state");
            uint8_t out[16];
            size_t w;
            FUZZ_REQUIRE(ws_client_frame(&c, WS_OP_BINARY, true, mask, out, 1, out, sizeof out, &w) ==
                             WS_ERR_SEND_AFTER_CLOSE,
                         "a data frame after a failure");
            break;
        }
        FUZZ_REQUIRE(!closed, "a frame read after the server's close");
        FUZZ_REQUIRE(ev.used > 0 && ev.used <= n - off, "used %zu of %zu", ev.used, n - off);
        FUZZ_REQUIRE((ev.len == 0 || ev.payload + ev.len <= stream + off + ev.used) && ev.len <= 200, "payload outside the frame");
        closed = ev.type == WS_EVENT_CLOSE;
        off += ev.used;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_http(data, size);
    if (size < 2)
        return 0;
    uint8_t sel = data[0];
    size_t nsizes = data[1] & 15;
    if (size < 2 + nsizes)
        return 0;
    const uint8_t *sizes = data + 2;
    const uint8_t *stream = data + 2 + nsizes;
    size_t n = size - 2 - nsizes;
    check_client(data, size, stream, n);
    ws_decode_opts o = {.sender = (ws_sender)(sel & 3 ? (sel & 3) % 3 : 0), .rsv_allowed = sel & 4 ? WS_RSV1 : 0,
                        .max_payload = sel & 8 ? 200 : 0};
    static frame_event a[MAX_EVENTS + 1], b[MAX_EVENTS + 1];
    size_t na = one_pass(stream, n, &o, a);
    size_t nb = chunked(stream, n, &o, sizes, nsizes, b);
    FUZZ_REQUIRE(na == nb, "one pass gave %zu results, chunks %zu", na, nb);
    for (size_t i = 0; i < na; i++) {
        FUZZ_REQUIRE(a[i].result == b[i].result && a[i].offset == b[i].offset, "result %zu differs", i);
        FUZZ_REQUIRE(a[i].frame_len == b[i].frame_len && a[i].error == b[i].error &&
                         a[i].error_offset == b[i].error_offset,
                     "frame %zu differs: %s vs %s", i, ws_err_name(a[i].error), ws_err_name(b[i].error));
    }
    return 0;
}
