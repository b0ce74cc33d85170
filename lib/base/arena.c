#include "arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct base_arena_block {
    base_arena_block *next;
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

void *base_arena_alloc(base_arena *a, size_t size)
{
    size = align_up(size ? size : 1);
    base_arena_block *b = a->head;
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

char *base_arena_strndup(base_arena *a, const char *s, size_t len)
{
    char *p = base_arena_alloc(a, len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *base_arena_strdup(base_arena *a, const char *s)
{
    return base_arena_strndup(a, s, strlen(s));
}

void base_arena_free(base_arena *a)
{
    base_arena_block *b = a->head;
    while (b) {
        base_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}
