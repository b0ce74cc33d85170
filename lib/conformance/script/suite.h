/* Loading the suite: every tests/v<version>/<area>.mqtt under the suite directory, fingerprinted. */
#ifndef CS_SUITE_H
#define CS_SUITE_H

#include <stddef.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "model.h"

/* Directory name of a version's tests and registry: "v3.1.1" / "v5.0" / "v3.1". */
const char *cs_version_dir(mqtt_version v);

/* Parse the scripts of the given versions. Errors (file:line:col: …) go to errs; returns their
 * count. hash receives the SHA-256 of every script's name and contents. */
int cs_suite_load(base_arena *arena, const char *suite_dir, const mqtt_version *versions, size_t nversions,
                  cs_suite *suite, base_strbuf *errs, char hash[65]);
void cs_suite_free(cs_suite *suite);

#endif
