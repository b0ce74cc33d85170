#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>

static void default_out_of_memory(size_t size)
{
    fprintf(stderr, "mqtk: out of memory (allocating %zu bytes)\n", size);
    abort();
}

/* Process-wide, set once by the executable before any work starts. */
static base_oom_handler out_of_memory = default_out_of_memory;

void base_xalloc_on_failure(base_oom_handler handler)
{
    out_of_memory = handler ? handler : default_out_of_memory;
}

void *base_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}

void *base_xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}
