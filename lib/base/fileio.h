/* Whole-file reading and directory listing for the suite loader. */
#ifndef CF_FILEIO_H
#define CF_FILEIO_H

#include <stddef.h>

#include "arena.h"
#include "strbuf.h"

/* Largest file read (a script, profile or statement registry); the biggest script is ~30 KiB. */
#define CF_MAX_FILE_SIZE (4 << 20)

/* The bytes of a regular text file of at most CF_MAX_FILE_SIZE bytes, NUL-terminated, in the arena.
 * NULL with a message ending in a newline in err: unreadable, not a regular file (FIFO, device),
 * too big, or holding a bare CR line ending or a NUL byte ("path:line: ..."). */
char *cf_read_file(cf_arena *arena, const char *path, size_t *len, cf_strbuf *err);
/* Names in dir ending with suffix, sorted; returns the count (-1 when dir cannot be read). */
int cf_list_dir(cf_arena *arena, const char *dir, const char *suffix, const char ***names);

#endif
