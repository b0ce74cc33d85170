/* Whole-file reading (suite files, and a command's FILE or standard input) and directory listing. */
#ifndef BASE_FILEIO_H
#define BASE_FILEIO_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "strbuf.h"

/* Largest file read (a script, profile or statement registry); the biggest script is ~30 KiB. */
#define BASE_MAX_FILE_SIZE (4 << 20)

/* The bytes of a regular text file of at most BASE_MAX_FILE_SIZE bytes, NUL-terminated, in the arena.
 * NULL with a message ending in a newline in err: unreadable, not a regular file (FIFO, device),
 * too big, or holding a bare CR line ending or a NUL byte ("path:line: ..."). */
char *base_read_file(base_arena *arena, const char *path, size_t *len, base_strbuf *err);
/* All of path ("-" = standard input, which may be a pipe) in a new buffer with one spare NUL byte
 * after the data, not counted in *len; binary data is fine. -1 with errno set on failure (*data is
 * then NULL). Free with free(). */
int base_read_input(const char *path, uint8_t **data, size_t *len);
/* Names in dir ending with suffix, sorted; returns the count (-1 when dir cannot be read). */
int base_list_dir(base_arena *arena, const char *dir, const char *suffix, const char ***names);

#endif
