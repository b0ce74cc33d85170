#include "fileio.h"

#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *cf_read_file(cf_arena *arena, const char *path, size_t *len, cf_strbuf *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        cf_sb_printf(err, "%s: %s\n", path, strerror(errno));
        return NULL;
    }
    cf_strbuf sb = {0};
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        cf_sb_append(&sb, buf, n);
    bool failed = ferror(f);
    fclose(f);
    if (failed) {
        cf_sb_printf(err, "%s: read error\n", path);
        cf_sb_free(&sb);
        return NULL;
    }
    char *out = cf_arena_strndup(arena, cf_sb_str(&sb), sb.len);
    if (len)
        *len = sb.len;
    cf_sb_free(&sb);
    return out;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int cf_list_dir(cf_arena *arena, const char *dir, const char *suffix, const char ***names)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    size_t n = 0, cap = 64;
    const char **list = malloc(cap * sizeof *list);
    if (!list)
        abort();
    struct dirent *e;
    size_t slen = strlen(suffix);
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len <= slen || strcmp(e->d_name + len - slen, suffix) != 0)
            continue;
        if (n == cap) {
            cap *= 2;
            const char **grown = realloc(list, cap * sizeof *list);
            if (!grown)
                abort();
            list = grown;
        }
        list[n++] = cf_arena_strdup(arena, e->d_name);
    }
    closedir(d);
    qsort(list, n, sizeof *list, by_name);
    *names = cf_arena_alloc(arena, sizeof *list * (n ? n : 1));
    memcpy(*names, list, sizeof *list * n);
    free(list);
    return (int)n;
}
