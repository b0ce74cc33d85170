/* mqtk fuzz — helpers the targets share: how the first input byte picks the decode setup, the
 * invariants every decoded packet must satisfy, and a field-by-field packet comparison.
 * A broken invariant prints what broke and aborts, so the fuzzer (or the replay driver under ASan)
 * reports it as a crash with the input that caused it. */
#ifndef MQTK_FUZZ_SUPPORT_H
#define MQTK_FUZZ_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mqtt/codec.h"

/* Abort with a message naming the failed invariant. */
#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 1, 2)))
#endif
void fuzz_fail(const char *fmt, ...);

#define FUZZ_REQUIRE(cond, ...)                                                                                      \
    do {                                                                                                             \
        if (!(cond))                                                                                                 \
            fuzz_fail(__VA_ARGS__);                                                                                  \
    } while (0)

/* The selector byte that starts most inputs:
 *   bits 0-1  version: 0 -> 3.1, 1 -> 3.1.1, 2 and 3 -> 5.0
 *   bits 2-3  direction: 0 and 3 -> unknown, 1 -> to server, 2 -> to client
 *   bits 4-6  free for the target (mode bits)
 *   bit 7     a small maximum packet size: 2 + 8 * ((byte >> 4) & 7) bytes; clear: no limit */
void fuzz_decode_opts_from_selector(uint8_t selector, mqtt_decode_opts *opts);
uint8_t fuzz_selector_for(mqtt_version v, mqtt_direction d);

/* The version a decoded packet was read in: its own level for CONNECT, else the connection's. */
mqtt_version fuzz_effective_version(const mqtt_packet *pkt, const mqtt_decode_opts *opts);

/* Check everything a successful mqtt_decode of buf[0..len) promises: the frame fits in len, every
 * view lies inside the packet, lengths add up, property lists and SUBSCRIBE/UNSUBSCRIBE payloads
 * revalidate and iterate to their end, field values respect the rules the decoder enforces. */
void fuzz_check_decoded(const uint8_t *buf, size_t len, const mqtt_decode_opts *opts, const mqtt_packet *pkt,
                        const mqtt_frame *frame);

/* A list the decoder accepted for place: inside [lo, hi), revalidates, iterates property by property
 * to its exact end (offsets and sizes add up), every property allowed there, find() agrees. */
void fuzz_check_props(mqtt_props props, unsigned place, mqtt_version v, mqtt_direction dir, const uint8_t *lo,
                      const uint8_t *hi, const char *where);

/* Check what a MALFORMED or NEED_MORE result promises (error code in range, offset in the input,
 * need beyond what was given). */
void fuzz_check_rejected(mqtt_result r, size_t len, const mqtt_frame *frame);

/* Require a and b to carry the same fields (views compared by content); what names the check. */
void fuzz_require_same_packet(const mqtt_packet *a, const mqtt_packet *b, mqtt_version v, const char *what);

/* Whether view v (len > 0) lies inside [lo, hi). Empty views are always fine. */
bool fuzz_view_inside(const uint8_t *data, uint32_t len, const uint8_t *lo, const uint8_t *hi);

/* A tiny consumer of fuzzer bytes (like LLVM's FuzzedDataProvider): reads past the end give zeros. */
typedef struct fuzz_reader {
    const uint8_t *pos;
    const uint8_t *end;
} fuzz_reader;

uint8_t fuzz_take_u8(fuzz_reader *r);
uint16_t fuzz_take_u16(fuzz_reader *r);
uint32_t fuzz_take_u32(fuzz_reader *r);
/* Up to max bytes (length chosen by the next input byte), as a view into the input. */
mqtt_bytes fuzz_take_bytes(fuzz_reader *r, uint32_t max);

#endif
