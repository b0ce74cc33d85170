/* A graceful stop of `mqtk run` on SIGINT, SIGTERM or SIGHUP: the first one only records the signal
 * and starts the clock's wind-down (every wait ends within BASE_WIND_DOWN_MS), so the scheduler stops
 * starting tests, the tests under way end, and the run writes partial reports marked interrupted
 * before dying of that signal. A second one ends the process at once (after the embedded broker's
 * cleanup, when one runs: broker.c's handler asks base_interrupt_claim first). */
#ifndef BASE_INTERRUPT_H
#define BASE_INTERRUPT_H

#include <stdbool.h>

/* Catch SIGINT, SIGTERM and SIGHUP, except those the caller ignores (nohup). */
void base_interrupt_arm(void);
/* Give them back their earlier actions. */
void base_interrupt_disarm(void);
/* The signal that interrupted the run, or 0. */
int base_interrupt_signal(void);
/* "SIGINT", "SIGTERM", "SIGHUP" or "signal N". */
const char *base_interrupt_name(int sig);
/* For a signal handler (async-signal-safe): true when sig is the first graceful stop, now recorded
 * (return from the handler); false when the process must end now (another signal, or a second one). */
bool base_interrupt_claim(int sig);
/* Die of the recorded signal with its default action, standard streams flushed. */
void base_interrupt_die(void);

#endif
