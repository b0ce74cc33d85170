#include "input.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

static int read_stream(FILE *f, uint8_t **data, size_t *len)
{
    size_t cap = 4096, used = 0;
    uint8_t *buf = mqtk_xmalloc(cap);
    for (;;) {
        if (cap - used < 2) {
            cap *= 2;
            buf = mqtk_xrealloc(buf, cap);
        }
        size_t n = fread(buf + used, 1, cap - used - 1, f);
        used += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        int saved = errno;
        free(buf);
        errno = saved ? saved : EIO;
        return -1;
    }
    buf[used] = 0;
    *data = buf;
    *len = used;
    return 0;
}

int mqtk_read_input(const char *path, uint8_t **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    if (strcmp(path, "-") == 0)
        return read_stream(stdin, data, len);
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    int rc = read_stream(f, data, len);
    int saved = errno;
    fclose(f);
    errno = saved;
    return rc;
}
