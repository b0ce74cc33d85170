/* Allocation that does not fail: the codec never allocates, the layers above may. Out of memory
 * calls the failure handler (the CLI's prints a message and exits with its setup-error status; the
 * default prints and aborts), so callers need no NULL checks. */
#ifndef MQTK_XALLOC_H
#define MQTK_XALLOC_H

#include <stddef.h>

typedef void (*mqtk_oom_handler)(size_t size);

void *mqtk_xmalloc(size_t size);
void *mqtk_xrealloc(void *ptr, size_t size);
/* Replaces the out-of-memory handler; it must not return. */
void mqtk_xalloc_on_failure(mqtk_oom_handler handler);

#endif
