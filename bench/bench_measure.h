/* mqtk-bench — timing: calibrate a pass count, then keep the best of several timed runs. */
#ifndef BENCH_MEASURE_H
#define BENCH_MEASURE_H

#include <stddef.h>
#include <stdint.h>

typedef struct bench_settings {
    unsigned runs;        /* timed runs per figure; the best one counts */
    uint64_t min_run_ns;  /* each run repeats the pass until at least this long */
} bench_settings;

/* One pass over a group of packets; returns a checksum of what it computed, so the work cannot be
 * optimised away and its result can be checked. */
typedef uint64_t (*bench_pass_fn)(const void *ctx);

typedef struct bench_figure {
    double ns_per_packet;
    double mb_per_s; /* 10^6 bytes per second */
    uint64_t passes;  /* per timed run */
    uint64_t checksum_per_pass;
    int checksum_stable; /* every pass returned the same checksum */
} bench_figure;

uint64_t bench_now_ns(void);

/* Time pass(ctx) over a group of `packets` packets totalling `bytes` bytes. */
bench_figure bench_measure(bench_pass_fn pass, const void *ctx, size_t packets, size_t bytes,
                           const bench_settings *s);

#endif
