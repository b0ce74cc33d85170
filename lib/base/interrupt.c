#include "interrupt.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};
enum { NSTOP = sizeof stop_signals / sizeof stop_signals[0] };

static atomic_int armed;
static atomic_int pending; /* the signal, 0 before */
static struct sigaction saved[NSTOP];
static bool installed[NSTOP];

bool base_interrupt_claim(int sig)
{
    if (!atomic_load(&armed) || (sig != SIGINT && sig != SIGTERM && sig != SIGHUP))
        return false;
    int none = 0;
    if (!atomic_compare_exchange_strong(&pending, &none, sig))
        return false; /* the second one: stop waiting for the wind-down */
    base_clock_wind_down();
    return true;
}

static void die_now(int sig)
{
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    raise(sig); /* blocked while the handler runs, then fatal */
}

static void on_stop_signal(int sig)
{
    int saved_errno = errno;
    if (!base_interrupt_claim(sig))
        die_now(sig);
    errno = saved_errno;
}

void base_interrupt_arm(void)
{
    atomic_store(&pending, 0);
    for (int i = 0; i < NSTOP; i++) {
        if (installed[i] || sigaction(stop_signals[i], NULL, &saved[i]) != 0 || saved[i].sa_handler == SIG_IGN)
            continue;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_stop_signal;
        sigfillset(&sa.sa_mask);
        installed[i] = sigaction(stop_signals[i], &sa, NULL) == 0;
    }
    atomic_store(&armed, 1);
}

void base_interrupt_disarm(void)
{
    atomic_store(&armed, 0);
    for (int i = 0; i < NSTOP; i++) {
        if (installed[i])
            sigaction(stop_signals[i], &saved[i], NULL);
        installed[i] = false;
    }
}

int base_interrupt_signal(void)
{
    return atomic_load(&pending);
}

const char *base_interrupt_name(int sig)
{
    static char other[24];
    switch (sig) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    default: snprintf(other, sizeof other, "signal %d", sig); return other;
    }
}

void base_interrupt_die(void)
{
    int sig = atomic_load(&pending);
    if (!sig)
        return;
    fflush(stdout);
    fflush(stderr);
    base_interrupt_disarm();
    signal(sig, SIG_DFL);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    pthread_sigmask(SIG_UNBLOCK, &one, NULL);
    raise(sig);
}
