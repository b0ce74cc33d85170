/* A chained hash table of flows keyed by the unordered pair of endpoints. */
#include "flow_table.h"

#include <stdlib.h>
#include <string.h>

enum { INITIAL_BUCKETS = 1024 };

static bool endpoint_equal(const mqtk_endpoint *a, const mqtk_endpoint *b)
{
    return a->family == b->family && a->port == b->port && memcmp(a->addr, b->addr, sizeof a->addr) == 0;
}

/* An endpoint folded into one word: address (an IPv4 address leaves the other 12 bytes zero),
 * port and family. Word loads, not a byte-at-a-time hash: this runs for every frame. */
static uint64_t endpoint_key(const mqtk_endpoint *e)
{
    uint64_t a, b;
    memcpy(&a, e->addr, 8);
    memcpy(&b, e->addr + 8, 8);
    return a ^ (b << 32 | b >> 32) ^ ((uint64_t)e->port << 40) ^ e->family;
}

/* The same for both directions: the two keys in order, then one multiply-xorshift mix. */
static uint32_t pair_hash(const mqtk_endpoint *a, const mqtk_endpoint *b)
{
    uint64_t x = endpoint_key(a), y = endpoint_key(b);
    uint64_t h = (x < y ? x : y) * 0x9E3779B97F4A7C15ull ^ (x < y ? y : x);
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    return (uint32_t)h;
}

bool flow_table_init(flow_table *t)
{
    t->bucket_count = INITIAL_BUCKETS;
    t->count = 0;
    t->buckets = calloc(t->bucket_count, sizeof *t->buckets);
    return t->buckets != NULL;
}

flow *flow_find(const flow_table *t, const mqtk_endpoint *src, const mqtk_endpoint *dst, int *sender)
{
    uint32_t h = pair_hash(src, dst);
    for (flow *f = t->buckets[h & (t->bucket_count - 1)]; f; f = f->next_in_bucket) {
        if (f->hash != h)
            continue;
        if (endpoint_equal(&f->ep[0], src) && endpoint_equal(&f->ep[1], dst)) {
            *sender = 0;
            return f;
        }
        if (endpoint_equal(&f->ep[1], src) && endpoint_equal(&f->ep[0], dst)) {
            *sender = 1;
            return f;
        }
    }
    return NULL;
}

static void grow(flow_table *t)
{
    size_t count = t->bucket_count * 2;
    flow **buckets = calloc(count, sizeof *buckets);
    if (!buckets)
        return; /* keep the longer chains */
    for (size_t i = 0; i < t->bucket_count; i++) {
        flow *f = t->buckets[i];
        while (f) {
            flow *next = f->next_in_bucket;
            f->next_in_bucket = buckets[f->hash & (count - 1)];
            buckets[f->hash & (count - 1)] = f;
            f = next;
        }
    }
    free(t->buckets);
    t->buckets = buckets;
    t->bucket_count = count;
}

flow *flow_insert(flow_table *t, const mqtk_endpoint *src, const mqtk_endpoint *dst)
{
    if (t->count >= t->bucket_count)
        grow(t);
    flow *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->ep[0] = *src;
    f->ep[1] = *dst;
    f->hash = pair_hash(src, dst);
    f->side[0] = (flow_side){f, 0};
    f->side[1] = (flow_side){f, 1};
    flow **head = &t->buckets[f->hash & (t->bucket_count - 1)];
    f->next_in_bucket = *head;
    *head = f;
    t->count++;
    return f;
}

void flow_remove(flow_table *t, flow *f)
{
    for (flow **at = &t->buckets[f->hash & (t->bucket_count - 1)]; *at; at = &(*at)->next_in_bucket) {
        if (*at == f) {
            *at = f->next_in_bucket;
            t->count--;
            return;
        }
    }
}

flow **flow_table_take_all(flow_table *t, size_t *n)
{
    flow **all = malloc((t->count ? t->count : 1) * sizeof *all);
    *n = 0;
    if (!all)
        return NULL;
    for (size_t i = 0; i < t->bucket_count; i++) {
        for (flow *f = t->buckets[i]; f; f = f->next_in_bucket)
            all[(*n)++] = f;
        t->buckets[i] = NULL;
    }
    t->count = 0;
    return all;
}

void flow_table_free(flow_table *t)
{
    free(t->buckets);
    t->buckets = NULL;
    t->bucket_count = t->count = 0;
}
