/* Allocation that does not fail: the codec never allocates, the layers above may. Out of memory
 * calls the failure handler (the CLI's prints a message and exits with its setup-error status; the
 * default prints and aborts), so callers need no NULL checks. */
#ifndef BASE_XALLOC_H
#define BASE_XALLOC_H

#include <stddef.h>

typedef void (*base_oom_handler)(size_t size);

void *base_xmalloc(size_t size);
void *base_xrealloc(void *ptr, size_t size);
/* Replaces the out-of-memory handler; it must not return. */
void base_xalloc_on_failure(base_oom_handler handler);

#endif
