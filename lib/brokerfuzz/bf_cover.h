/* Edge coverage of a broker built with AFL++'s instrumentation (afl-clang-fast, afl-cc), read the way
 * AFL++ reads it, so such a broker works unchanged: mqtk makes the System V shared-memory map that
 * AFL++'s runtime attaches to at start-up (its id in __AFL_SHM_ID, its size in AFL_MAP_SIZE, both in
 * the environment of the broker --exec starts; without a fork server the program just runs). After
 * each session the hit counts are put into AFL's buckets (1, 2, 3, 4-7, 8-15, 16-31, 32-127,
 * 128-255) and compared with the buckets seen so far: a new edge or a new bucket is new coverage.
 * Not network code: a map in memory shared with a child process. */
#ifndef BF_COVER_H
#define BF_COVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/strbuf.h"

enum { BF_COVER_MAP_MIN = 65536 }; /* AFL++'s MAP_SIZE: what its runtime assumes without AFL_MAP_SIZE */

typedef enum bf_cover_news {
    BF_COVER_NOTHING = 0,
    BF_COVER_NEW_BUCKET = 1, /* an edge seen before, hit a number of times in a new bucket */
    BF_COVER_NEW_EDGE = 2,   /* an edge never hit before */
} bf_cover_news;

typedef struct bf_cover {
    uint8_t *trace;  /* the shared map the broker writes (NULL: not open) */
    uint8_t *virgin; /* per edge: the buckets not seen yet (AFL's virgin bits, 0xff at first) */
    size_t size;
    int shm_id;
    size_t edges;    /* edges hit at least once so far */
} bf_cover;

/* The map size: AFL_MAP_SIZE's value when given (NULL: none), at least BF_COVER_MAP_MIN, rounded up
 * to 64 bytes; 0 when the value is not a number or over 256 MiB. */
size_t bf_cover_map_size(const char *afl_map_size);
/* Make and attach the map, and put __AFL_SHM_ID and AFL_MAP_SIZE into this process's environment,
 * which the broker started after it inherits. -1 with err. */
int bf_cover_open(bf_cover *c, size_t size, base_strbuf *err);
void bf_cover_close(bf_cover *c);
/* Zero the hit counts (before a session). */
void bf_cover_clear(bf_cover *c);
/* After a session: bucket the hit counts, fold them into what was seen, say what was new, and zero
 * the map. Byte 0 is not an edge: AFL++'s runtime sets it when it attaches. */
bf_cover_news bf_cover_collect(bf_cover *c);

/* The pure parts. Hit counts to AFL's buckets, in place. */
void bf_cover_classify(uint8_t *trace, size_t n);
/* Fold a bucketed trace into virgin; *new_edges counts the edges hit for the first time. */
bf_cover_news bf_cover_merge(uint8_t *virgin, const uint8_t *trace, size_t n, size_t *new_edges);
/* AFL++'s runtime says in the broker's stderr when the map is too small for the program ("set
 * AFL_MAP_SIZE to N"): N, or 0 when the text does not say so. */
size_t bf_cover_needed_size(const char *stderr_text);

#endif
