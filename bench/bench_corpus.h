/* mqtk-bench — the benchmark corpus: one realistic session per protocol version (connect, subscribe,
 * a stream of publishes with their acks, pings, unsubscribe, auth, disconnect), built with the
 * codec's own encoder from a fixed seed, so every run and every peer sees the same bytes. */
#ifndef BENCH_CORPUS_H
#define BENCH_CORPUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mqtt/codec.h"

typedef struct bench_entry {
    const uint8_t *data; /* into bench_corpus.bytes */
    uint32_t len;
    mqtt_packet_type type;
    mqtt_version version;
    mqtt_direction direction;
    bool headline; /* the ~100-byte 5.0 PUBLISH with properties the headline figure times */
} bench_entry;

typedef struct bench_corpus {
    uint8_t *bytes; /* every packet back to back, session after session */
    size_t bytes_len;
    size_t bytes_cap;
    bench_entry *entries;
    size_t count;
    size_t entries_cap;
    size_t headline; /* index of the headline entry */
} bench_corpus;

/* Build the corpus. On failure returns false with a message in why (an encoder error here is a
 * codec bug or a corpus bug: either way the benchmark cannot run). */
bool bench_corpus_build(bench_corpus *c, char *why, size_t why_cap);
void bench_corpus_free(bench_corpus *c);

/* Dump the corpus, one packet per line: "<version> <TYPE> <direction> <tag> <hex>" after '#' comments.
 * Returns false on a write error. */
bool bench_corpus_write(const bench_corpus *c, FILE *out);

/* "to-server" / "to-client" / "unknown". */
const char *bench_direction_name(mqtt_direction d);

#endif
