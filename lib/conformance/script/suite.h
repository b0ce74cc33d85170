/* Loading the suite: every tests/v<version>/<area>.mqtt under the suite directory, fingerprinted. */
#ifndef CF_SUITE_H
#define CF_SUITE_H

#include <stddef.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "model.h"

/* Directory name of a version's tests and registry: "v3.1.1" / "v5.0" / "v3.1". */
const char *cf_version_dir(mqtt_version v);

/* Parse the scripts of the given versions. Errors (file:line:col: …) go to errs; returns their
 * count. hash receives the SHA-256 of every script's name and contents. */
int cf_suite_load(cf_arena *arena, const char *suite_dir, const mqtt_version *versions, size_t nversions,
                  cf_suite *suite, cf_strbuf *errs, char hash[65]);
void cf_suite_free(cf_suite *suite);

#endif
