/* The minimizer: the fewest clients, steps and bytes for which a finding still shows. Generic over
 * a predicate (the fuzzer replays the candidate against the broker; the unit tests use a model). */
#ifndef BF_MINIMIZE_H
#define BF_MINIMIZE_H

#include "bf_session.h"

typedef bool (*bf_still_fn)(const bf_session *candidate, void *arg);

/* Shrink *s in place while still(candidate) holds, with at most max_runs calls. Returns the calls made. */
unsigned bf_minimize(bf_session *s, bf_still_fn still, void *arg, unsigned max_runs);

#endif
