/* mqtk-bench — the codec benchmark: builds the corpus with the encoder, decodes and encodes it in
 * timed loops and prints ns/packet and MB/s per packet type, per version and for the whole corpus.
 * Exit codes: 0 figures printed, 1 a finding (a corpus packet failed to decode, round-trip or
 * checksum, or the codec allocated), 2 usage or setup error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_alloc.h"
#include "bench_corpus.h"
#include "bench_groups.h"
#include "bench_measure.h"
#include "bench_report.h"

#ifdef NDEBUG
#define BENCH_BUILD_TYPE "optimised"
#else
#define BENCH_BUILD_TYPE "debug asserts on"
#endif
#ifdef __VERSION__
#define BENCH_COMPILER __VERSION__
#else
#define BENCH_COMPILER "unknown compiler"
#endif

enum { ALLOC_COUNT_PASSES = 10 };

typedef struct bench_args {
    bool json;
    const char *corpus_out;
    const char *repeat;          /* --repeat PASS */
    unsigned long repeat_count;
    bench_settings settings;
} bench_args;

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mqtk-bench [--json] [--runs N] [--min-time MS] [--quick]\n"
            "       mqtk-bench --write-corpus FILE\n"
            "       mqtk-bench --repeat PASS N\n"
            "\n"
            "Decode and encode a mixed corpus of every MQTT packet type in 3.1, 3.1.1 and 5.0 with the mqtk\n"
            "codec and print ns/packet and MB/s (10^6 bytes/s) per packet type, per version and overall,\n"
            "plus the headline figure: decoding a ~100-byte 5.0 PUBLISH with properties.\n"
            "\n"
            "  --json              one JSON object on stdout instead of the table\n"
            "  --runs N            timed runs per figure, the best counts (default 15)\n"
            "  --min-time MS       each run lasts at least MS milliseconds (default 20)\n"
            "  --quick             --runs 3 --min-time 5 (a smoke run; figures are noisier)\n"
            "  --repeat PASS N     run one pass N times untimed and print the packets it covers, for\n"
            "                      valgrind --tool=callgrind --toggle-collect=bench_repeat (instructions\n"
            "                      per packet = collected / (N x packets)); PASS: headline-decode,\n"
            "                      headline-decode-props, headline-encode, headline-encode-unchecked,\n"
            "                      all-decode, all-encode\n"
            "  --write-corpus FILE write the corpus, one packet per line as\n"
            "                      \"<version> <TYPE> <direction> <headline|-> <hex>\", and exit ('-': stdout)\n"
            "  --help              this text\n"
            "\n"
            "Allocations are counted when libmqtk-alloc-count.so (built beside mqtk-bench) is preloaded:\n"
            "  LD_PRELOAD=./libmqtk-alloc-count.so ./mqtk-bench\n"
            "scripts/bench.sh builds both, runs this and mqtt-packet on the same corpus, and prints ratios.\n"
            "\n"
            "exit status: 0 figures printed, 1 a finding (a corpus packet failed to decode or round-trip,\n"
            "or the codec allocated), 2 usage or setup error\n");
}

static bool parse_count(const char *s, unsigned long max, unsigned long *out)
{
    char *end = NULL;
    unsigned long v = strtoul(s, &end, 10);
    if (!s[0] || *end || v == 0 || v > max)
        return false;
    *out = v;
    return true;
}

/* 0 ok, 1 --help shown, 2 usage error. */
static int parse_args(int argc, char **argv, bench_args *a)
{
    *a = (bench_args){.settings = {.runs = 15, .min_run_ns = 20000000u}};
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long n = 0;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage(stdout);
            return 1;
        } else if (strcmp(arg, "--json") == 0) {
            a->json = true;
        } else if (strcmp(arg, "--quick") == 0) {
            a->settings = (bench_settings){.runs = 3, .min_run_ns = 5000000u};
        } else if (strcmp(arg, "--runs") == 0 && value && parse_count(value, 1000, &n)) {
            a->settings.runs = (unsigned)n;
            i++;
        } else if (strcmp(arg, "--min-time") == 0 && value && parse_count(value, 60000, &n)) {
            a->settings.min_run_ns = (uint64_t)n * 1000000u;
            i++;
        } else if (strcmp(arg, "--repeat") == 0 && value && i + 2 < argc &&
                   parse_count(argv[i + 2], 100000000, &a->repeat_count)) {
            a->repeat = value;
            i += 2;
        } else if (strcmp(arg, "--write-corpus") == 0 && value) {
            a->corpus_out = value;
            i++;
        } else {
            fprintf(stderr, "mqtk-bench: bad argument '%s'%s\n", arg,
                    value || arg[0] != '-' ? "" : " (missing value?)");
            usage(stderr);
            return 2;
        }
    }
    return 0;
}

static void read_cpu_model(char *buf, size_t cap)
{
    snprintf(buf, cap, "unknown CPU");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) == 0 && colon) {
            char *v = colon + 1 + (colon[1] == ' ');
            v[strcspn(v, "\n")] = '\0';
            snprintf(buf, cap, "%s", v);
            break;
        }
    }
    fclose(f);
}

/* The 1-minute load average: a busy machine makes every figure slower and noisier, so it is reported. */
static double read_load_average(void)
{
    double load = -1.0;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf", &load) != 1)
            load = -1.0;
        fclose(f);
    }
    return load;
}

static int write_corpus(const bench_corpus *c, const char *path)
{
    FILE *out = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
    if (!out) {
        perror(path);
        return 2;
    }
    bool ok = bench_corpus_write(c, out);
    if (out != stdout)
        ok = fclose(out) == 0 && ok;
    if (!ok) {
        fprintf(stderr, "mqtk-bench: writing %s failed\n", path);
        return 2;
    }
    return 0;
}

/* The passes --repeat names: which pass, over the headline group or the whole corpus. */
typedef struct repeat_pass {
    const char *name;
    bench_pass_fn pass;
    bool headline;
} repeat_pass;

static const repeat_pass REPEAT_PASSES[] = {
    {"headline-decode", bench_decode_pass, true},
    {"headline-decode-props", bench_decode_props_pass, true},
    {"headline-encode", bench_encode_pass, true},
    {"headline-encode-unchecked", bench_encode_unchecked_pass, true},
    {"all-decode", bench_decode_pass, false},
    {"all-encode", bench_encode_pass, false},
};

/* Not inlined, so callgrind can count from its entry (--toggle-collect=bench_repeat). */
__attribute__((noinline)) uint64_t bench_repeat(bench_pass_fn pass, const void *ctx, unsigned long n);
__attribute__((noinline)) uint64_t bench_repeat(bench_pass_fn pass, const void *ctx, unsigned long n)
{
    uint64_t sum = 0;
    for (unsigned long i = 0; i < n; i++)
        sum += pass(ctx);
    return sum;
}

static int run_repeat(const bench_plan *plan, const char *name, unsigned long n)
{
    for (size_t i = 0; i < sizeof REPEAT_PASSES / sizeof REPEAT_PASSES[0]; i++) {
        const repeat_pass *rp = &REPEAT_PASSES[i];
        if (strcmp(rp->name, name) != 0)
            continue;
        const bench_group *g = rp->headline ? &plan->groups[plan->headline] : &plan->groups[plan->count - 1];
        uint64_t sum = bench_repeat(rp->pass, g, n);
        printf("%zu packets per pass, %lu passes (checksum %llu)\n", g->packets, n, (unsigned long long)sum);
        return 0;
    }
    fprintf(stderr, "mqtk-bench: --repeat: no pass '%s'\n", name);
    return 2;
}

/* Time every group; false when a timed pass returned something else than the checked result. */
static bool run_groups(const bench_plan *plan, bench_results *r, bool progress)
{
    bool ok = true;
    for (size_t i = 0; i < plan->count; i++) {
        const bench_group *g = &plan->groups[i];
        if (progress)
            fprintf(stderr, "\rmeasuring %-12s (%zu/%zu)", g->name, i + 1, plan->count);
        r->decode[i] = bench_measure(bench_decode_pass, g, g->packets, g->bytes, &r->settings);
        r->encode[i] = bench_measure(bench_encode_pass, g, g->packets, g->bytes, &r->settings);
        if (i == plan->headline) {
            r->headline_props = bench_measure(bench_decode_props_pass, g, g->packets, g->bytes, &r->settings);
            r->headline_unchecked = bench_measure(bench_encode_unchecked_pass, g, g->packets, g->bytes, &r->settings);
            if (!r->headline_props.checksum_stable ||
                (r->headline_props.checksum_per_pass & ((1ull << 40) - 1)) != g->decode_checksum ||
                !r->headline_unchecked.checksum_stable ||
                r->headline_unchecked.checksum_per_pass != g->encode_checksum) {
                fprintf(stderr, "%smqtk-bench: a timed property-reading or unchecked pass went wrong\n",
                        progress ? "\n" : "");
                ok = false;
            }
        }
        if (!r->decode[i].checksum_stable || r->decode[i].checksum_per_pass != g->decode_checksum) {
            fprintf(stderr, "%smqtk-bench: a timed decode pass over %s did not decode every packet\n",
                    progress ? "\n" : "", g->name);
            ok = false;
        }
        if (!r->encode[i].checksum_stable || r->encode[i].checksum_per_pass != g->encode_checksum) {
            fprintf(stderr, "%smqtk-bench: a timed encode pass over %s did not encode every packet\n",
                    progress ? "\n" : "", g->name);
            ok = false;
        }
    }
    if (progress)
        fprintf(stderr, "\r%40s\r", "");
    return ok;
}

int main(int argc, char **argv)
{
    bench_args args;
    int rc = parse_args(argc, argv, &args);
    if (rc)
        return rc == 1 ? 0 : 2;

    char why[256];
    bench_corpus corpus;
    if (!bench_corpus_build(&corpus, why, sizeof why)) {
        fprintf(stderr, "mqtk-bench: %s\n", why);
        return 1;
    }
    if (args.corpus_out) {
        rc = write_corpus(&corpus, args.corpus_out);
        bench_corpus_free(&corpus);
        return rc;
    }
    bench_plan plan;
    if (!bench_plan_build(&plan, &corpus, why, sizeof why)) {
        fprintf(stderr, "mqtk-bench: %s\n", why);
        bench_corpus_free(&corpus);
        return 1;
    }

    if (args.repeat) {
        rc = run_repeat(&plan, args.repeat, args.repeat_count);
        bench_plan_free(&plan);
        bench_corpus_free(&corpus);
        return rc;
    }
    char cpu[128];
    read_cpu_model(cpu, sizeof cpu);
    bench_results *r = calloc(1, sizeof *r);
    if (!r) {
        fprintf(stderr, "mqtk-bench: out of memory\n");
        return 2;
    }
    *r = (bench_results){.corpus = &corpus, .plan = &plan, .settings = args.settings, .cpu = cpu,
                         .cpus = sysconf(_SC_NPROCESSORS_ONLN), .load_average = read_load_average(), .build = BENCH_COMPILER ", " BENCH_BUILD_TYPE};

    const bench_group *all = &plan.groups[plan.count - 1];
    r->alloc = bench_alloc_count(bench_decode_pass, bench_encode_pass, all, ALLOC_COUNT_PASSES);
    bool ok = run_groups(&plan, r, isatty(STDERR_FILENO) && !args.json);

    if (args.json)
        bench_report_json(stdout, r);
    else
        bench_report_text(stdout, r);
    if (r->alloc.measured && (r->alloc.decode || r->alloc.encode)) {
        fprintf(stderr, "mqtk-bench: the codec allocated while decoding or encoding\n");
        ok = false;
    }
    free(r);
    bench_plan_free(&plan);
    bench_corpus_free(&corpus);
    return ok ? 0 : 1;
}
