#include "clock.h"

#include <stdatomic.h>
#include <time.h>

/* Further than any deadline a run takes (about 31 years), so one jump ends every wait at once. */
#define BASE_CLOCK_JUMP_MS ((int64_t)1000000000000)

/* When the wind-down began (base_clock_real_ms), 0 before. Lock-free, so a signal handler may set it. */
static atomic_int_least64_t wind_down_at;

int64_t base_clock_real_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts); /* async-signal-safe (POSIX) */
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t base_clock_real_ms(void)
{
    return base_clock_real_ns() / 1000000;
}

int64_t base_now_ms(void)
{
    int64_t now = base_clock_real_ms();
    int64_t at = atomic_load(&wind_down_at);
    if (!at)
        return now;
    return now + BASE_CLOCK_JUMP_MS + (now >= at + BASE_WIND_DOWN_MS ? BASE_CLOCK_JUMP_MS : 0);
}

void base_clock_wind_down(void)
{
    int_least64_t none = 0, now = base_clock_real_ms();
    atomic_compare_exchange_strong(&wind_down_at, &none, now > 0 ? now : 1);
}

bool base_clock_winding_down(void)
{
    return atomic_load(&wind_down_at) != 0;
}
