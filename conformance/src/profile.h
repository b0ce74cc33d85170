/* Broker profiles: the optional capabilities a broker offers (tests needing others are skipped)
 * and its known deviations, each tied to a test and a statement with a reason. */
#ifndef CF_PROFILE_H
#define CF_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "strbuf.h"
#include "test.h"

typedef struct cf_deviation {
    const char *test_id;   /* "3.1.1/area/name" */
    const char *statement;
    const char *reason;
    int line;
} cf_deviation;

typedef struct cf_profile {
    const char *name;
    const char *file;      /* NULL for the built-in default */
    const char *caps[32];
    size_t ncaps;
    cf_deviation devs[128];
    size_t ndevs;
} cf_profile;

/* The profile used with --broker and no --profile: the capabilities most brokers have. */
void cf_profile_default(cf_profile *p);
/* Read a profile file; each error goes to errs as file:line: message. Returns the error count. */
int cf_profile_load(cf_arena *arena, const char *path, cf_profile *p, cf_strbuf *errs);
/* Check that every deviation names a loaded test and one of its statements (suite loaded). */
int cf_profile_check(const cf_profile *p, const cf_suite *suite, cf_strbuf *errs);
bool cf_profile_has(const cf_profile *p, const char *cap);
const cf_deviation *cf_profile_deviation(const cf_profile *p, const cf_test *t);

#endif
