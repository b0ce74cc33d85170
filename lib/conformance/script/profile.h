/* Broker profiles: the optional capabilities a broker offers (tests needing others are skipped)
 * and its known deviations, each tied to a test and a statement with a reason. */
#ifndef CS_PROFILE_H
#define CS_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "model.h"

typedef struct cs_deviation {
    const char *test_id;   /* "3.1.1/area/name" */
    const char *statement;
    const char *reason;
    int line;
} cs_deviation;

typedef struct cs_profile {
    const char *name;
    const char *file;      /* NULL for the built-in default */
    const char *caps[32];
    size_t ncaps;
    /* What CONNACK cannot say; each also makes its capability and a $profile.<name> variable. */
    const char *refused_client_id; /* a client id the broker refuses */
    const char *forbidden_topic;   /* a topic the run's client may neither publish nor subscribe to */
    const char *auth_method;       /* an enhanced authentication method the broker offers */
    const char *auth_data;         /* the Authentication Data to send with it (may be NULL) */
    cs_deviation devs[128];
    size_t ndevs;
} cs_profile;

/* The profile used with --broker and no --profile: the capabilities most brokers have. */
void cs_profile_default(cs_profile *p);
/* Read a profile file; each error goes to errs as file:line: message. Returns the error count. */
int cs_profile_load(base_arena *arena, const char *path, cs_profile *p, base_strbuf *errs);
/* Check that every deviation names a test of the suite and one of its statements. Deviations of
 * protocol versions the run did not load (versions) are not checked; any other unknown test id is an
 * error (a typo would otherwise silently turn a failure into a fail). */
int cs_profile_check(const cs_profile *p, const cs_suite *suite, const mqtt_version *versions, size_t nversions,
                     base_strbuf *errs);
bool cs_profile_has(const cs_profile *p, const char *cap);
/* Add or remove a capability (what a 5.0 CONNACK announced overrides the profile). */
void cs_profile_set(cs_profile *p, const char *cap, bool on);
const cs_deviation *cs_profile_deviation(const cs_profile *p, const cs_test *t);

#endif
