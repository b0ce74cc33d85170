#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>

#include "commands.h"

static void out_of_memory(size_t size)
{
    fprintf(stderr, "mqtk: out of memory (allocating %zu bytes)\n", size);
    exit(MQTK_EXIT_USAGE);
}

void *mqtk_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}

void *mqtk_xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}
