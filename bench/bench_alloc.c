/* mqtk-bench — reads the allocation counter the preloaded shim exports. The shim's counter is found
 * with dlsym in the global scope; a malloc made through a volatile pointer (so the compiler cannot
 * drop it) must move the counter by one, proving the shim really sees the process's allocations
 * before a zero is believed. */
#include "bench_alloc.h"

#include <dlfcn.h>
#include <stdlib.h>

static volatile unsigned long *find_counter(void)
{
    void *self = dlopen(NULL, RTLD_NOW);
    if (!self)
        return NULL;
    volatile unsigned long *counter = dlsym(self, "mqtk_alloc_calls");
    dlclose(self);
    return counter;
}

static bool counter_sees_malloc(volatile unsigned long *counter)
{
    void *(*volatile alloc)(size_t) = malloc;
    void (*volatile release)(void *) = free;
    unsigned long before = *counter;
    void *p = alloc(24);
    unsigned long after = *counter;
    release(p);
    return p != NULL && after - before == 1;
}

bench_alloc_report bench_alloc_count(bench_alloc_pass_fn decode_pass, bench_alloc_pass_fn encode_pass,
                                     const void *ctx, uint64_t passes)
{
    bench_alloc_report r = {0};
    volatile unsigned long *counter = find_counter();
    if (!counter || !counter_sees_malloc(counter))
        return r;
    r.measured = true;
    r.passes = passes;
    volatile uint64_t sink = 0;
    unsigned long before = *counter;
    for (uint64_t i = 0; i < passes; i++)
        sink += decode_pass(ctx);
    r.decode = *counter - before;
    before = *counter;
    for (uint64_t i = 0; i < passes; i++)
        sink += encode_pass(ctx);
    r.encode = *counter - before;
    (void)sink;
    return r;
}
