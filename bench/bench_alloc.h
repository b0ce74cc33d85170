/* mqtk-bench — counting heap allocations made while the codec runs. The counter lives in the
 * preloadable shim (shim/alloc_count.c, built as libmqtk-alloc-count.so); without it preloaded the
 * count is simply not available. */
#ifndef BENCH_ALLOC_H
#define BENCH_ALLOC_H

#include <stdbool.h>
#include <stdint.h>

typedef struct bench_alloc_report {
    bool measured;      /* the shim is preloaded and counted a test allocation */
    uint64_t decode;    /* allocations during the counted decode passes */
    uint64_t encode;    /* allocations during the counted encode passes */
    uint64_t passes;    /* passes over the whole corpus counted for each */
} bench_alloc_report;

typedef uint64_t (*bench_alloc_pass_fn)(const void *ctx);

/* Run decode_pass and encode_pass `passes` times each under the counter. */
bench_alloc_report bench_alloc_count(bench_alloc_pass_fn decode_pass, bench_alloc_pass_fn encode_pass,
                                     const void *ctx, uint64_t passes);

#endif
