/* mqtk-bench — groups of corpus packets timed together (one packet type, one version's session,
 * the whole corpus, the headline packet) and the decode / encode passes over them. */
#ifndef BENCH_GROUPS_H
#define BENCH_GROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bench_corpus.h"

typedef struct bench_decode_item {
    const uint8_t *data;
    uint32_t len;
    const mqtt_decode_opts *opts;
} bench_decode_item;

typedef struct bench_encode_item {
    const mqtt_packet *pkt;
    const mqtt_encode_opts *opts;
} bench_encode_item;

typedef struct bench_group {
    char name[24];
    size_t packets;
    size_t bytes;
    bench_decode_item *decode;
    bench_encode_item *encode;
    uint64_t decode_checksum; /* what one decode pass must return */
    uint64_t encode_checksum; /* what one encode pass must return */
    uint8_t *out;             /* the encoder's output buffer, reused like a send buffer */
    size_t out_cap;
} bench_group;

enum { BENCH_MAX_GROUPS = 24 };

typedef struct bench_plan {
    mqtt_decode_opts decode_opts[6][3]; /* [version][direction] */
    mqtt_encode_opts encode_opts[6][3];
    mqtt_packet *decoded; /* one per corpus entry: what the encode passes serialise */
    bench_group groups[BENCH_MAX_GROUPS];
    size_t count;
    size_t headline; /* index of the headline group */
} bench_plan;

/* Decode every corpus packet once, check it re-encodes to the same bytes, and lay out the groups.
 * false with a message in why when a packet does not decode or round-trip (a codec finding). */
bool bench_plan_build(bench_plan *plan, const bench_corpus *corpus, char *why, size_t why_cap);
void bench_plan_free(bench_plan *plan);

/* The timed passes; ctx is a const bench_group *. */
uint64_t bench_decode_pass(const void *ctx);
uint64_t bench_encode_pass(const void *ctx);
/* Decode, then read every property of the packet as an application would. Its checksum's low 40
 * bits are the decode pass's. */
uint64_t bench_decode_props_pass(const void *ctx);
/* Encode with MQTT_ENCODE_UNCHECKED: the fields written as given. */
uint64_t bench_encode_unchecked_pass(const void *ctx);

#endif
