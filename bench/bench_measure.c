/* mqtk-bench — timing with CLOCK_MONOTONIC. The pass count is calibrated so one run lasts at least
 * min_run_ns (clock granularity and call overhead then vanish), and the fastest of the runs is
 * reported: the other runs differ only by interference from the rest of the machine. */
#include "bench_measure.h"

#include <time.h>

uint64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

typedef struct timed_run {
    uint64_t ns;
    int stable;
    uint64_t checksum;
} timed_run;

static timed_run run_passes(bench_pass_fn pass, const void *ctx, uint64_t passes)
{
    timed_run r = {0, 1, 0};
    uint64_t start = bench_now_ns();
    r.checksum = pass(ctx);
    for (uint64_t i = 1; i < passes; i++)
        r.stable &= pass(ctx) == r.checksum;
    r.ns = bench_now_ns() - start;
    return r;
}

bench_figure bench_measure(bench_pass_fn pass, const void *ctx, size_t packets, size_t bytes,
                           const bench_settings *s)
{
    bench_figure f = {0};
    f.checksum_stable = 1;
    uint64_t passes = 1;
    timed_run r = run_passes(pass, ctx, passes); /* also warms caches and branch predictors */
    while (r.ns < s->min_run_ns) {
        uint64_t scale = r.ns ? (s->min_run_ns * 5u / 4u) / r.ns + 1u : 16u;
        passes *= scale < 2u ? 2u : scale > 64u ? 64u : scale;
        r = run_passes(pass, ctx, passes);
    }
    f.checksum_per_pass = r.checksum;
    uint64_t best = r.ns;
    for (unsigned i = 0; i < s->runs; i++) {
        r = run_passes(pass, ctx, passes);
        f.checksum_stable &= r.stable && r.checksum == f.checksum_per_pass;
        if (r.ns < best)
            best = r.ns;
    }
    f.passes = passes;
    double total_packets = (double)packets * (double)passes;
    f.ns_per_packet = total_packets > 0 ? (double)best / total_packets : 0.0;
    f.mb_per_s = best > 0 ? (double)bytes * (double)passes * 1e3 / (double)best : 0.0;
    return f;
}
