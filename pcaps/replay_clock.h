/* mqtk replay — the clock its schedule runs on. */
#ifndef MQTK_REPLAY_CLOCK_H
#define MQTK_REPLAY_CLOCK_H

#include <stdint.h>

/* Monotonic time in nanoseconds. */
int64_t replay_now_ns(void);

#endif
