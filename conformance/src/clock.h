/* Monotonic milliseconds, for deadlines. */
#ifndef CF_CLOCK_H
#define CF_CLOCK_H

#include <stdint.h>

int64_t cf_now_ms(void);

#endif
