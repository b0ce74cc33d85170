/* A chained hash table of flows keyed by the unordered pair of endpoints. */
#include "flow_table.h"

#include <stdlib.h>
#include <string.h>

enum { INITIAL_BUCKETS = 1024 };

static bool endpoint_equal(const cap_endpoint *a, const cap_endpoint *b)
{
    return a->family == b->family && a->port == b->port && memcmp(a->addr, b->addr, sizeof a->addr) == 0;
}

/* An endpoint folded into one word: address (an IPv4 address leaves the other 12 bytes zero),
 * port and family. Word loads, not a byte-at-a-time hash: this runs for every frame. */
static uint64_t endpoint_key(const cap_endpoint *e)
{
    uint64_t a, b;
    memcpy(&a, e->addr, 8);
    memcpy(&b, e->addr + 8, 8);
    return a ^ (b << 32 | b >> 32) ^ ((uint64_t)e->port << 40) ^ e->family;
}

/* The same for both directions: the two keys in order, then one multiply-xorshift mix. */
static uint32_t pair_hash(const cap_endpoint *a, const cap_endpoint *b)
{
    uint64_t x = endpoint_key(a), y = endpoint_key(b);
    uint64_t h = (x < y ? x : y) * 0x9E3779B97F4A7C15ull ^ (x < y ? y : x);
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    return (uint32_t)h;
}

bool cap_flow_table_init(cap_flow_table *t)
{
    t->bucket_count = INITIAL_BUCKETS;
    t->count = 0;
    t->buckets = calloc(t->bucket_count, sizeof *t->buckets);
    return t->buckets != NULL;
}

cap_flow *cap_flow_find(const cap_flow_table *t, const cap_endpoint *src, const cap_endpoint *dst, int *sender)
{
    uint32_t h = pair_hash(src, dst);
    for (cap_flow *f = t->buckets[h & (t->bucket_count - 1)]; f; f = f->next_in_bucket) {
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

static void grow(cap_flow_table *t)
{
    size_t count = t->bucket_count * 2;
    cap_flow **buckets = calloc(count, sizeof *buckets);
    if (!buckets)
        return; /* keep the longer chains */
    for (size_t i = 0; i < t->bucket_count; i++) {
        cap_flow *f = t->buckets[i];
        while (f) {
            cap_flow *next = f->next_in_bucket;
            f->next_in_bucket = buckets[f->hash & (count - 1)];
            buckets[f->hash & (count - 1)] = f;
            f = next;
        }
    }
    free(t->buckets);
    t->buckets = buckets;
    t->bucket_count = count;
}

cap_flow *cap_flow_insert(cap_flow_table *t, const cap_endpoint *src, const cap_endpoint *dst)
{
    if (t->count >= t->bucket_count)
        grow(t);
    cap_flow *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->ep[0] = *src;
    f->ep[1] = *dst;
    f->hash = pair_hash(src, dst);
    f->side[0] = (cap_flow_side){f, 0};
    f->side[1] = (cap_flow_side){f, 1};
    cap_flow **head = &t->buckets[f->hash & (t->bucket_count - 1)];
    f->next_in_bucket = *head;
    *head = f;
    t->count++;
    return f;
}

void cap_flow_remove(cap_flow_table *t, cap_flow *f)
{
    for (cap_flow **at = &t->buckets[f->hash & (t->bucket_count - 1)]; *at; at = &(*at)->next_in_bucket) {
        if (*at == f) {
            *at = f->next_in_bucket;
            t->count--;
            return;
        }
    }
}

cap_flow **cap_flow_table_take_all(cap_flow_table *t, size_t *n)
{
    cap_flow **all = malloc((t->count ? t->count : 1) * sizeof *all);
    *n = 0;
    if (!all)
        return NULL;
    for (size_t i = 0; i < t->bucket_count; i++) {
        for (cap_flow *f = t->buckets[i]; f; f = f->next_in_bucket)
            all[(*n)++] = f;
        t->buckets[i] = NULL;
    }
    t->count = 0;
    return all;
}

void cap_flow_table_free(cap_flow_table *t)
{
    free(t->buckets);
    t->buckets = NULL;
    t->bucket_count = t->count = 0;
}
