/* A bump allocator for everything a loaded suite owns (tests, steps, templates): one free at the end. */
#ifndef BASE_ARENA_H
#define BASE_ARENA_H

#include <stddef.h>

typedef struct base_arena_block base_arena_block;

typedef struct base_arena {
    base_arena_block *head;
} base_arena;

/* Zeroed memory that lives until base_arena_free; aborts the process when memory runs out. */
void *base_arena_alloc(base_arena *a, size_t size);
char *base_arena_strndup(base_arena *a, const char *s, size_t len);
char *base_arena_strdup(base_arena *a, const char *s);
void base_arena_free(base_arena *a);

#endif
