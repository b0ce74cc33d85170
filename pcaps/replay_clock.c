/* mqtk replay — the clock (see replay_clock.h). Connections go through lib/net. */
#include "replay_clock.h"

#include <time.h>

int64_t replay_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
