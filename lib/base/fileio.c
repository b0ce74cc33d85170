#include "fileio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A bare CR (not followed by LF) ends a line in old Mac files; every reader here splits on LF
 * only and would see the whole file as one line (one comment, for a script): refuse it. A NUL
 * would end the text early just as silently. Returns the 1-based line of the first one, or 0. */
static size_t bad_line_ending(const char *text, size_t len, const char **what)
{
    size_t line = 1;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n') {
            line++;
        } else if (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n')) {
            *what = "a carriage return (CR) not followed by a line feed: save the file with LF or CRLF line endings";
            return line;
        } else if (text[i] == '\0') {
            *what = "a NUL byte";
            return line;
        }
    }
    return 0;
}

/* Appends everything fd yields until end of file to sb, up to max bytes in all. 0 at end of file,
 * -1 on a read error (errno set), 1 when there is more than max. */
static int read_all(int fd, size_t max, base_strbuf *sb)
{
    char buf[65536];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            return 0;
        if ((size_t)n > max - sb->len)
            return 1;
        base_sb_append(sb, buf, (size_t)n);
    }
}

char *base_read_file(base_arena *arena, const char *path, size_t *len, base_strbuf *err)
{
    /* O_NONBLOCK: opening a FIFO with no writer must not hang before fstat can refuse it */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        base_sb_printf(err, "%s: %s\n", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        base_sb_printf(err, "%s: %s\n", path, strerror(errno));
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        base_sb_printf(err, "%s: not a regular file (a FIFO, device or directory is not read)\n", path);
        close(fd);
        return NULL;
    }
    if (st.st_size > BASE_MAX_FILE_SIZE) {
        base_sb_printf(err, "%s: %lld bytes, more than the limit of %d bytes (%d MiB) per file\n", path,
                       (long long)st.st_size, BASE_MAX_FILE_SIZE, BASE_MAX_FILE_SIZE >> 20);
        close(fd);
        return NULL;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    base_strbuf sb = {0};
    int rc = read_all(fd, BASE_MAX_FILE_SIZE, &sb); /* 1: it grew since fstat */
    if (rc < 0)
        base_sb_printf(err, "%s: read error: %s\n", path, strerror(errno));
    close(fd);
    if (rc > 0)
        base_sb_printf(err, "%s: more than the limit of %d bytes (%d MiB) per file\n", path, BASE_MAX_FILE_SIZE,
                       BASE_MAX_FILE_SIZE >> 20);
    const char *what = NULL;
    size_t line = rc ? 0 : bad_line_ending(base_sb_str(&sb), sb.len, &what);
    if (line)
        base_sb_printf(err, "%s:%zu: %s\n", path, line, what);
    if (rc || line) {
        base_sb_free(&sb);
        return NULL;
    }
    char *out = base_arena_strndup(arena, base_sb_str(&sb), sb.len);
    if (len)
        *len = sb.len;
    base_sb_free(&sb);
    return out;
}

int base_read_input(const char *path, uint8_t **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    bool is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    base_strbuf sb = {0};
    int rc = read_all(fd, SIZE_MAX - 1, &sb);
    int saved = errno;
    if (!is_stdin)
        close(fd);
    if (rc != 0) {
        base_sb_free(&sb);
        errno = rc < 0 ? saved : EFBIG;
        return -1;
    }
    if (!sb.data)
        base_sb_append(&sb, "", 0); /* an empty input still gets its NUL */
    *data = (uint8_t *)sb.data;
    *len = sb.len;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int base_list_dir(base_arena *arena, const char *dir, const char *suffix, const char ***names)
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
        list[n++] = base_arena_strdup(arena, e->d_name);
    }
    closedir(d);
    qsort(list, n, sizeof *list, by_name);
    *names = base_arena_alloc(arena, sizeof *list * (n ? n : 1));
    memcpy(*names, list, sizeof *list * n);
    free(list);
    return (int)n;
}
