#include "bf_cover.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>

enum { MAP_MAX = 256 << 20 };

/* AFL's count classes: a loop run 9 times and 10 times is the same behaviour, 1 and 2 times not.
 * Each row: hit counts up to `upto` fall in `bucket`. */
static const struct {
    uint8_t upto, bucket;
} classes[] = {{1, 1}, {2, 2}, {3, 4}, {7, 8}, {15, 16}, {31, 32}, {127, 64}, {255, 128}};

size_t bf_cover_map_size(const char *afl_map_size)
{
    if (!afl_map_size || !*afl_map_size)
        return BF_COVER_MAP_MIN;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(afl_map_size, &end, 10);
    if (*end || errno || *afl_map_size == '-' || v > MAP_MAX)
        return 0;
    /* rounded up to 64 bytes, as AFL++ does: whole words for bf_cover_collect */
    return v < BF_COVER_MAP_MIN ? BF_COVER_MAP_MIN : ((size_t)v + 63) / 64 * 64;
}

int bf_cover_open(bf_cover *c, size_t size, base_strbuf *err)
{
    memset(c, 0, sizeof *c);
    c->shm_id = -1;
    size = (size + 63) / 64 * 64; /* whole words for bf_cover_collect */
    c->virgin = malloc(size);
    if (!c->virgin)
        abort();
    memset(c->virgin, 0xff, size);
    c->shm_id = shmget(IPC_PRIVATE, size, IPC_CREAT | IPC_EXCL | 0600);
    if (c->shm_id < 0) {
        base_sb_printf(err, "cannot make the edge-coverage map (shmget of %zu bytes): %s", size, strerror(errno));
        bf_cover_close(c);
        return -1;
    }
    void *p = shmat(c->shm_id, NULL, 0);
    if (p == (void *)-1) {
        base_sb_printf(err, "cannot attach the edge-coverage map (shmat): %s", strerror(errno));
        shmctl(c->shm_id, IPC_RMID, NULL);
        c->shm_id = -1;
        bf_cover_close(c);
        return -1;
    }
    c->trace = p;
    c->size = size;
    char id[32], sz[32];
    snprintf(id, sizeof id, "%d", c->shm_id);
    snprintf(sz, sizeof sz, "%zu", size);
    if (setenv("__AFL_SHM_ID", id, 1) != 0 || setenv("AFL_MAP_SIZE", sz, 1) != 0) {
        base_sb_printf(err, "cannot put __AFL_SHM_ID into the environment: %s", strerror(errno));
        bf_cover_close(c);
        return -1;
    }
    return 0;
}

void bf_cover_close(bf_cover *c)
{
    if (c->trace)
        shmdt(c->trace);
    /* removed only now, not right after shmget: a broker restarted after a crash attaches it again
     * by id, and only Linux lets a process attach a segment marked for removal */
    if (c->shm_id >= 0)
        shmctl(c->shm_id, IPC_RMID, NULL);
    if (c->shm_id >= 0 || c->trace) {
        unsetenv("__AFL_SHM_ID");
        unsetenv("AFL_MAP_SIZE");
    }
    free(c->virgin);
    memset(c, 0, sizeof *c);
    c->shm_id = -1;
}

void bf_cover_clear(bf_cover *c)
{
    if (c->trace)
        memset(c->trace, 0, c->size);
}

void bf_cover_classify(uint8_t *trace, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!trace[i])
            continue;
        size_t k = 0;
        while (trace[i] > classes[k].upto)
            k++;
        trace[i] = classes[k].bucket;
    }
}

bf_cover_news bf_cover_merge(uint8_t *virgin, const uint8_t *trace, size_t n, size_t *new_edges)
{
    bf_cover_news news = BF_COVER_NOTHING;
    size_t fresh = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t hit = trace[i] & virgin[i];
        if (!hit)
            continue;
        if (virgin[i] == 0xff) {
            fresh++;
            news = BF_COVER_NEW_EDGE;
        } else if (news == BF_COVER_NOTHING) {
            news = BF_COVER_NEW_BUCKET;
        }
        virgin[i] &= (uint8_t)~trace[i];
    }
    if (new_edges)
        *new_edges = fresh;
    return news;
}

bf_cover_news bf_cover_collect(bf_cover *c)
{
    if (!c->trace)
        return BF_COVER_NOTHING;
    c->trace[0] = 0; /* AFL++'s runtime marks byte 0 when it attaches: not an edge */
    bf_cover_news news = BF_COVER_NOTHING;
    /* one pass a word at a time (the size is a multiple of 64): a session hits a few hundred of the
     * map's bytes, so nearly every word is zero; those hit are bucketed, merged and zeroed */
    uint64_t w;
    for (size_t i = 0; i < c->size; i += sizeof w) {
        memcpy(&w, c->trace + i, sizeof w);
        if (!w)
            continue;
        size_t fresh;
        bf_cover_classify(c->trace + i, sizeof w);
        bf_cover_news n = bf_cover_merge(c->virgin + i, c->trace + i, sizeof w, &fresh);
        memset(c->trace + i, 0, sizeof w);
        c->edges += fresh;
        if (n > news)
            news = n;
    }
    return news;
}

size_t bf_cover_needed_size(const char *stderr_text)
{
    static const char key[] = "AFL_MAP_SIZE to ";
    const char *p = stderr_text ? strstr(stderr_text, key) : NULL;
    if (!p)
        return 0;
    char *end;
    unsigned long long v = strtoull(p + sizeof key - 1, &end, 10);
    return end == p + sizeof key - 1 || v > MAP_MAX ? 0 : (size_t)v;
}
