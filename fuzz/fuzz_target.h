/* mqtk fuzz — the entry points libFuzzer calls, declared once so targets and the plain replay driver
 * compile under -Wmissing-prototypes. Every fuzz/<name>.c target defines LLVMFuzzerTestOneInput. */
#ifndef MQTK_FUZZ_TARGET_H
#define MQTK_FUZZ_TARGET_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Structure-aware mode (fuzz/mutator.c, built only with libFuzzer). */
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
/* Provided by libFuzzer: its own byte-level mutation, the mutator's fallback. */
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

#endif
