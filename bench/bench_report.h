/* mqtk-bench — printing the figures: a table for the terminal, one JSON object for scripts. */
#ifndef BENCH_REPORT_H
#define BENCH_REPORT_H

#include <stdio.h>

#include "bench_alloc.h"
#include "bench_corpus.h"
#include "bench_groups.h"
#include "bench_measure.h"

#define BENCH_HEADLINE_TARGET_NS 20.0       /* decode */
#define BENCH_HEADLINE_PROPS_TARGET_NS 40.0 /* decode, then read every property */
#define BENCH_HEADLINE_ENCODE_TARGET_NS 35.0 /* checked encode */

typedef struct bench_results {
    const bench_corpus *corpus;
    const bench_plan *plan;
    bench_figure decode[BENCH_MAX_GROUPS];
    bench_figure encode[BENCH_MAX_GROUPS];
    bench_figure headline_props;     /* decode + read every property */
    bench_figure headline_unchecked; /* encode with MQTT_ENCODE_UNCHECKED */
    bench_alloc_report alloc;
    bench_settings settings;
    const char *cpu;
    long cpus;
    double load_average; /* 1-minute load average at start; < 0 when unknown */
    const char *build; /* compiler and build type, as compiled in */
} bench_results;

void bench_report_text(FILE *out, const bench_results *r);
void bench_report_json(FILE *out, const bench_results *r);

#endif
