/* The fuzzer's one source of choices: a seeded splitmix64, so a seed replays a run exactly. */
#ifndef BF_RNG_H
#define BF_RNG_H

#include <stdbool.h>
#include <stdint.h>

typedef struct bf_rng {
    uint64_t state;
} bf_rng;

void bf_rng_seed(bf_rng *r, uint64_t seed);
uint64_t bf_rng_next(bf_rng *r);
/* Uniform in [0, n); 0 when n is 0. */
uint32_t bf_rng_below(bf_rng *r, uint32_t n);
/* True with the given chance in percent. */
bool bf_rng_chance(bf_rng *r, unsigned percent);

#endif
