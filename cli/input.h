/* Whole-input reading for commands that take FILE or "-" (standard input). */
#ifndef MQTK_INPUT_H
#define MQTK_INPUT_H

#include <stddef.h>
#include <stdint.h>

/* Read all of path ("-" = stdin) into a new buffer (one spare NUL byte after the data, not counted
 * in *len). On failure returns -1 and leaves errno set; *data is then NULL. Free with free(). */
int mqtk_read_input(const char *path, uint8_t **data, size_t *len);

#endif
