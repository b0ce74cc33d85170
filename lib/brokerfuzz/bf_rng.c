#include "bf_rng.h"

void bf_rng_seed(bf_rng *r, uint64_t seed)
{
    r->state = seed;
}

uint64_t bf_rng_next(bf_rng *r)
{
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint32_t bf_rng_below(bf_rng *r, uint32_t n)
{
    return n ? (uint32_t)(bf_rng_next(r) % n) : 0;
}

bool bf_rng_chance(bf_rng *r, unsigned percent)
{
    return bf_rng_below(r, 100) < percent;
}
