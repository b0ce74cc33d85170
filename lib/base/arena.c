#include "arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cf_arena_block {
    cf_arena_block *next;
    size_t used;
    size_t cap;
    _Alignas(max_align_t) unsigned char data[];
};

enum { ARENA_BLOCK = 64 * 1024 };

static size_t align_up(size_t n)
{
    size_t a = _Alignof(max_align_t);
    return (n + a - 1) / a * a;
}

void *cf_arena_alloc(cf_arena *a, size_t size)
{
    size = align_up(size ? size : 1);
    cf_arena_block *b = a->head;
    if (!b || b->cap - b->used < size) {
        size_t cap = size > ARENA_BLOCK ? size : ARENA_BLOCK;
        b = malloc(sizeof *b + cap);
        if (!b) {
            fprintf(stderr, "mqtk: out of memory\n");
            abort();
        }
        b->next = a->head;
        b->used = 0;
        b->cap = cap;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

char *cf_arena_strndup(cf_arena *a, const char *s, size_t len)
{
    char *p = cf_arena_alloc(a, len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *cf_arena_strdup(cf_arena *a, const char *s)
{
    return cf_arena_strndup(a, s, strlen(s));
}

void cf_arena_free(cf_arena *a)
{
    cf_arena_block *b = a->head;
    while (b) {
        cf_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}
