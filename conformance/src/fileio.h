/* Whole-file reading and directory listing for the suite loader. */
#ifndef CF_FILEIO_H
#define CF_FILEIO_H

#include <stddef.h>

#include "arena.h"
#include "strbuf.h"

/* The file's bytes, NUL-terminated, in the arena; NULL with a message in err. */
char *cf_read_file(cf_arena *arena, const char *path, size_t *len, cf_strbuf *err);
/* Names in dir ending with suffix, sorted; returns the count (-1 when dir cannot be read). */
int cf_list_dir(cf_arena *arena, const char *dir, const char *suffix, const char ***names);

#endif
