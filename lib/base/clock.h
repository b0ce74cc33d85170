/* Monotonic milliseconds, for deadlines, and the wind-down of an interrupted run.
 *
 * An interrupted run winds down through this clock, so that every wait ends without the code that
 * waits knowing about signals: after base_clock_wind_down(), every deadline taken before it is over
 * at once, and every deadline taken during the next BASE_WIND_DOWN_MS (a test's cleanup, say) is over
 * when that window ends. Deadlines taken after the window are kept as they are. */
#ifndef BASE_CLOCK_H
#define BASE_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

enum { BASE_WIND_DOWN_MS = 2000 };

/* The deadline clock: monotonic, jumping forward at the wind-down and again at its end. */
int64_t base_now_ms(void);
/* Monotonic milliseconds without the jumps: for durations. */
int64_t base_clock_real_ms(void);
/* The same clock in nanoseconds (replay's pacing). */
int64_t base_clock_real_ns(void);
/* Start the wind-down (once; later calls do nothing). Async-signal-safe: a signal handler calls it. */
void base_clock_wind_down(void);
bool base_clock_winding_down(void);

#endif
