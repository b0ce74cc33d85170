/* A bump allocator for everything a loaded suite owns (tests, steps, templates): one free at the end. */
#ifndef CF_ARENA_H
#define CF_ARENA_H

#include <stddef.h>

typedef struct cf_arena_block cf_arena_block;

typedef struct cf_arena {
    cf_arena_block *head;
} cf_arena;

/* Zeroed memory that lives until cf_arena_free; aborts the process when memory runs out. */
void *cf_arena_alloc(cf_arena *a, size_t size);
char *cf_arena_strndup(cf_arena *a, const char *s, size_t len);
char *cf_arena_strdup(cf_arena *a, const char *s);
void cf_arena_free(cf_arena *a);

#endif
