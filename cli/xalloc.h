/* Allocation for the CLI: the codec never allocates, the front end may. Out of memory ends the
 * process with exit code 2 (a setup error) and a message, so callers need no NULL checks. */
#ifndef MQTK_XALLOC_H
#define MQTK_XALLOC_H

#include <stddef.h>

void *mqtk_xmalloc(size_t size);
void *mqtk_xrealloc(void *ptr, size_t size);

#endif
