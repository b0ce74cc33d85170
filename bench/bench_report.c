/* mqtk-bench — output. Both forms carry the same figures; the JSON field names are what
 * scripts/bench/compare.js reads (and what scripts/bench/mqtt_packet_bench.js prints for the peer). */
#include "bench_report.h"

#include <string.h>

static size_t packets_of_version(const bench_corpus *c, mqtt_version v)
{
    size_t n = 0;
    for (size_t i = 0; i < c->count; i++)
        n += c->entries[i].version == v;
    return n;
}

static const char *alloc_sentence(const bench_alloc_report *a, char *buf, size_t cap)
{
    if (!a->measured)
        snprintf(buf, cap, "allocations during decode/encode: not counted (preload libmqtk-alloc-count.so, as "
                           "scripts/bench.sh does)");
    else
        snprintf(buf, cap, "allocations during decode: %llu, encode: %llu (%llu passes over the corpus each, counted "
                           "by the preloaded malloc shim)",
                 (unsigned long long)a->decode, (unsigned long long)a->encode, (unsigned long long)a->passes);
    return buf;
}

void bench_report_text(FILE *out, const bench_results *r)
{
    const bench_corpus *c = r->corpus;
    const bench_plan *p = r->plan;
    const bench_group *h = &p->groups[p->headline];
    const bench_figure *hd = &r->decode[p->headline];
    char line[256];

    fprintf(out, "mqtk-bench (codec %s, %s) on %s, %ld CPU(s), load average %.2f\n", mqtt_codec_version(), r->build,
            r->cpu, r->cpus, r->load_average);
    fprintf(out, "corpus: %zu packets, %zu bytes (3.1: %zu, 3.1.1: %zu, 5.0: %zu packets); best of %u runs of >= %llu ms\n\n",
            c->count, c->bytes_len, packets_of_version(c, MQTT_V31), packets_of_version(c, MQTT_V311),
            packets_of_version(c, MQTT_V5), r->settings.runs, (unsigned long long)(r->settings.min_run_ns / 1000000u));
    const bench_figure *he = &r->encode[p->headline];
    fprintf(out, "headline: a %zu-byte 5.0 PUBLISH (QoS 1, expiry, content type, user property)\n", h->bytes);
    fprintf(out, "  decode                       %6.1f ns (target <= %.0f ns: %s)\n", hd->ns_per_packet,
            BENCH_HEADLINE_TARGET_NS, hd->ns_per_packet <= BENCH_HEADLINE_TARGET_NS ? "met" : "MISSED");
    fprintf(out, "  decode + read every property %6.1f ns (target <= %.0f ns: %s)\n", r->headline_props.ns_per_packet,
            BENCH_HEADLINE_PROPS_TARGET_NS,
            r->headline_props.ns_per_packet <= BENCH_HEADLINE_PROPS_TARGET_NS ? "met" : "MISSED");
    fprintf(out, "  encode (checked)             %6.1f ns (target <= %.0f ns: %s)\n", he->ns_per_packet,
            BENCH_HEADLINE_ENCODE_TARGET_NS, he->ns_per_packet <= BENCH_HEADLINE_ENCODE_TARGET_NS ? "met" : "MISSED");
    fprintf(out, "  encode (unchecked)           %6.1f ns\n\n", r->headline_unchecked.ns_per_packet);
    fprintf(out, "%-12s %7s %8s | %12s %10s | %12s %10s\n", "", "", "", "decode", "", "encode", "");
    fprintf(out, "%-12s %7s %8s | %12s %10s | %12s %10s\n", "group", "packets", "bytes", "ns/packet", "MB/s",
            "ns/packet", "MB/s");
    for (size_t i = 0; i < p->count; i++) {
        if (i == p->headline)
            continue;
        const bench_group *g = &p->groups[i];
        if (strcmp(g->name, "all 3.1") == 0) /* the per-version and whole-corpus rows follow */
            fprintf(out, "%s\n", "-------------------------------------------------------------------------------");
        fprintf(out, "%-12s %7zu %8zu | %12.1f %10.1f | %12.1f %10.1f\n", g->name, g->packets, g->bytes,
                r->decode[i].ns_per_packet, r->decode[i].mb_per_s, r->encode[i].ns_per_packet, r->encode[i].mb_per_s);
    }
    fprintf(out, "\n%s\n", alloc_sentence(&r->alloc, line, sizeof line));
}

static void json_figure(FILE *out, const char *key, const bench_figure *f)
{
    fprintf(out, "\"%s\":{\"ns_per_packet\":%.3f,\"mb_per_s\":%.3f,\"passes_per_run\":%llu}", key, f->ns_per_packet,
            f->mb_per_s, (unsigned long long)f->passes);
}

/* The strings printed here (CPU model, group names) hold no quote or backslash except the CPU model,
 * which is escaped. */
static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        if ((unsigned char)*s >= 0x20)
            fputc(*s, out);
    }
    fputc('"', out);
}

void bench_report_json(FILE *out, const bench_results *r)
{
    const bench_plan *p = r->plan;
    const bench_group *h = &p->groups[p->headline];
    fprintf(out, "{\"tool\":\"mqtk-bench\",\"codec_version\":\"%s\",\"build\":", mqtt_codec_version());
    json_string(out, r->build);
    fprintf(out, ",\"cpu\":");
    json_string(out, r->cpu);
    fprintf(out, ",\"cpus\":%ld,\"load_average\":%.2f,\"runs\":%u,\"min_run_ms\":%llu,", r->cpus, r->load_average,
            r->settings.runs,
            (unsigned long long)(r->settings.min_run_ns / 1000000u));
    fprintf(out, "\"corpus\":{\"packets\":%zu,\"bytes\":%zu},", r->corpus->count, r->corpus->bytes_len);
    fprintf(out, "\"headline\":{\"bytes\":%zu,\"target_ns\":%.1f,\"met\":%s,", h->bytes, BENCH_HEADLINE_TARGET_NS,
            r->decode[p->headline].ns_per_packet <= BENCH_HEADLINE_TARGET_NS ? "true" : "false");
    fprintf(out, "\"props_target_ns\":%.1f,\"encode_target_ns\":%.1f,", BENCH_HEADLINE_PROPS_TARGET_NS,
            BENCH_HEADLINE_ENCODE_TARGET_NS);
    json_figure(out, "decode", &r->decode[p->headline]);
    fputc(',', out);
    json_figure(out, "decode_props", &r->headline_props);
    fputc(',', out);
    json_figure(out, "encode", &r->encode[p->headline]);
    fputc(',', out);
    json_figure(out, "encode_unchecked", &r->headline_unchecked);
    fprintf(out, "},\"groups\":[");
    for (size_t i = 0; i < p->count; i++) {
        const bench_group *g = &p->groups[i];
        fprintf(out, "%s{\"name\":\"%s\",\"packets\":%zu,\"bytes\":%zu,", i ? "," : "", g->name, g->packets, g->bytes);
        json_figure(out, "decode", &r->decode[i]);
        fputc(',', out);
        json_figure(out, "encode", &r->encode[i]);
        fputc('}', out);
    }
    fprintf(out, "],\"allocations\":{\"measured\":%s", r->alloc.measured ? "true" : "false");
    if (r->alloc.measured)
        fprintf(out, ",\"decode\":%llu,\"encode\":%llu,\"passes\":%llu", (unsigned long long)r->alloc.decode,
                (unsigned long long)r->alloc.encode, (unsigned long long)r->alloc.passes);
    fprintf(out, "}}\n");
}
