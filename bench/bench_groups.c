/* mqtk-bench — groups and passes. Items are laid out flat per group (bytes, length, options) so a
 * pass does nothing but call the codec and fold its result into a checksum. */
#include "bench_groups.h"

#include <stdlib.h>
#include <string.h>

static const mqtt_version VERSIONS[] = {MQTT_V31, MQTT_V311, MQTT_V5};

typedef bool (*entry_filter)(const bench_entry *e, unsigned key);

static bool by_type(const bench_entry *e, unsigned key) { return e->type == (mqtt_packet_type)key; }
static bool by_version(const bench_entry *e, unsigned key) { return e->version == (mqtt_version)key; }
static bool any_entry(const bench_entry *e, unsigned key) { (void)e; (void)key; return true; }
static bool headline_entry(const bench_entry *e, unsigned key) { (void)key; return e->headline; }

uint64_t bench_decode_pass(const void *ctx)
{
    const bench_group *g = ctx;
    uint64_t sum = 0;
    mqtt_packet pkt; /* not zeroed per pass: the decoder fills what it reports, and a pass may be one packet */
    mqtt_frame frame;
    for (size_t i = 0; i < g->packets; i++) {
        const bench_decode_item *it = &g->decode[i];
        mqtt_result r = mqtt_decode(it->data, it->len, it->opts, &pkt, &frame);
        sum += ((uint64_t)r << 32) + (r == MQTT_COMPLETE ? frame.packet_len + (uint64_t)pkt.type : 0);
    }
    return sum;
}

uint64_t bench_decode_props_pass(const void *ctx)
{
    const bench_group *g = ctx;
    uint64_t sum = 0;
    mqtt_packet pkt;
    mqtt_frame frame;
    for (size_t i = 0; i < g->packets; i++) {
        const bench_decode_item *it = &g->decode[i];
        mqtt_result r = mqtt_decode(it->data, it->len, it->opts, &pkt, &frame);
        sum += ((uint64_t)r << 32) + (r == MQTT_COMPLETE ? frame.packet_len + (uint64_t)pkt.type : 0);
        if (r != MQTT_COMPLETE)
            continue;
        /* what an application does next: read every property (values and the lengths of strings) */
        mqtt_prop_iter pi;
        mqtt_property p;
        uint64_t seen = 0;
        mqtt_prop_iter_init(&pi, mqtt_packet_props(&pkt));
        while (mqtt_prop_next(&pi, &p))
            seen += p.id + p.value + p.data.len + p.data2.len;
        sum += seen << 40; /* separate from the checked part of the sum */
    }
    return sum;
}

uint64_t bench_encode_unchecked_pass(const void *ctx)
{
    const bench_group *g = ctx;
    uint64_t sum = 0;
    for (size_t i = 0; i < g->packets; i++) {
        const bench_encode_item *it = &g->encode[i];
        mqtt_encode_opts opts = *it->opts; /* a copy with the flag: three stores, under a nanosecond */
        opts.flags |= MQTT_ENCODE_UNCHECKED;
        size_t written = 0;
        mqtt_err rc = mqtt_encode(it->pkt, &opts, g->out, g->out_cap, &written, NULL);
        sum += ((uint64_t)rc << 32) + written + g->out[0];
    }
    return sum;
}

uint64_t bench_encode_pass(const void *ctx)
{
    const bench_group *g = ctx;
    uint64_t sum = 0;
    for (size_t i = 0; i < g->packets; i++) {
        const bench_encode_item *it = &g->encode[i];
        size_t written = 0;
        mqtt_err rc = mqtt_encode(it->pkt, it->opts, g->out, g->out_cap, &written, NULL);
        sum += ((uint64_t)rc << 32) + written + g->out[0];
    }
    return sum;
}

static bool add_group(bench_plan *plan, const bench_corpus *corpus, const char *name, entry_filter keep,
                      unsigned key)
{
    size_t n = 0;
    for (size_t i = 0; i < corpus->count; i++)
        n += keep(&corpus->entries[i], key);
    if (n == 0)
        return true; /* e.g. nothing of this type: no row */
    bench_group *g = &plan->groups[plan->count];
    *g = (bench_group){0};
    snprintf(g->name, sizeof g->name, "%s", name);
    g->decode = malloc(n * sizeof *g->decode);
    g->encode = malloc(n * sizeof *g->encode);
    g->out_cap = 0;
    for (size_t i = 0; i < corpus->count; i++)
        if (keep(&corpus->entries[i], key) && corpus->entries[i].len > g->out_cap)
            g->out_cap = corpus->entries[i].len;
    g->out = malloc(g->out_cap);
    if (!g->decode || !g->encode || !g->out) {
        free(g->decode);
        free(g->encode);
        free(g->out);
        return false;
    }
    plan->count++;
    for (size_t i = 0; i < corpus->count; i++) {
        const bench_entry *e = &corpus->entries[i];
        if (!keep(e, key))
            continue;
        g->decode[g->packets] = (bench_decode_item){e->data, e->len, &plan->decode_opts[e->version][e->direction]};
        g->encode[g->packets] = (bench_encode_item){&plan->decoded[i], &plan->encode_opts[e->version][e->direction]};
        g->packets++;
        g->bytes += e->len;
        g->decode_checksum += e->len + (uint64_t)e->type;
        g->encode_checksum += e->len + (uint64_t)e->data[0];
    }
    return true;
}

static bool check_entries(bench_plan *plan, const bench_corpus *corpus, char *why, size_t why_cap)
{
    uint8_t *out = malloc(corpus->bytes_len ? corpus->bytes_len : 1);
    if (!out) {
        snprintf(why, why_cap, "out of memory");
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < corpus->count && ok; i++) {
        const bench_entry *e = &corpus->entries[i];
        mqtt_frame frame;
        mqtt_result r = mqtt_decode(e->data, e->len, &plan->decode_opts[e->version][e->direction], &plan->decoded[i],
                                    &frame);
        if (r != MQTT_COMPLETE || frame.packet_len != e->len) {
            char err[160] = "";
            if (r == MQTT_MALFORMED)
                mqtt_error_format(&frame.error, err, sizeof err);
            snprintf(why, why_cap, "corpus packet %zu (%s %s) does not decode: %s", i, mqtt_version_name(e->version),
                     mqtt_packet_type_name(e->type), r == MQTT_NEED_MORE ? "need more bytes" : err);
            ok = false;
            break;
        }
        size_t written = 0;
        mqtt_error eerr = {0};
        mqtt_err rc = mqtt_encode(&plan->decoded[i], &plan->encode_opts[e->version][e->direction], out,
                                  corpus->bytes_len, &written, &eerr);
        if (rc != MQTT_OK || written != e->len || memcmp(out, e->data, e->len) != 0) {
            snprintf(why, why_cap, "corpus packet %zu (%s %s) does not re-encode to its own bytes: %s", i,
                     mqtt_version_name(e->version), mqtt_packet_type_name(e->type),
                     rc != MQTT_OK ? mqtt_err_name(rc) : "different bytes");
            ok = false;
        }
    }
    free(out);
    return ok;
}

bool bench_plan_build(bench_plan *plan, const bench_corpus *corpus, char *why, size_t why_cap)
{
    *plan = (bench_plan){0};
    for (size_t v = 0; v < sizeof VERSIONS / sizeof VERSIONS[0]; v++)
        for (unsigned d = MQTT_DIR_UNKNOWN; d <= MQTT_DIR_TO_CLIENT; d++) {
            plan->decode_opts[VERSIONS[v]][d] = (mqtt_decode_opts){.version = VERSIONS[v], .direction = (mqtt_direction)d};
            plan->encode_opts[VERSIONS[v]][d] = (mqtt_encode_opts){VERSIONS[v], (mqtt_direction)d, 0};
        }
    plan->decoded = calloc(corpus->count ? corpus->count : 1, sizeof *plan->decoded);
    if (!plan->decoded) {
        snprintf(why, why_cap, "out of memory");
        return false;
    }
    if (!check_entries(plan, corpus, why, why_cap)) {
        bench_plan_free(plan);
        return false;
    }
    bool ok = add_group(plan, corpus, "headline", headline_entry, 0);
    plan->headline = 0;
    for (unsigned t = MQTT_CONNECT; t <= MQTT_AUTH && ok; t++)
        ok = add_group(plan, corpus, mqtt_packet_type_name(t), by_type, t);
    for (size_t v = 0; v < sizeof VERSIONS / sizeof VERSIONS[0] && ok; v++) {
        char name[24];
        snprintf(name, sizeof name, "all %s", mqtt_version_name(VERSIONS[v]));
        ok = add_group(plan, corpus, name, by_version, VERSIONS[v]);
    }
    if (ok)
        ok = add_group(plan, corpus, "all", any_entry, 0);
    if (!ok || strcmp(plan->groups[0].name, "headline") != 0 || plan->groups[0].packets != 1) {
        snprintf(why, why_cap, ok ? "the corpus has no single headline packet" : "out of memory");
        bench_plan_free(plan);
        return false;
    }
    return true;
}

void bench_plan_free(bench_plan *plan)
{
    for (size_t i = 0; i < plan->count; i++) {
        free(plan->groups[i].decode);
        free(plan->groups[i].encode);
        free(plan->groups[i].out);
    }
    free(plan->decoded);
    *plan = (bench_plan){0};
}
