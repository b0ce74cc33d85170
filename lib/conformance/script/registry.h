/* The statement registry: every normative statement of a version with its section, whom it binds,
 * whether a client can observe it on the wire, and a summary (suite/statements, one TSV per version). */
#ifndef CS_REGISTRY_H
#define CS_REGISTRY_H

#include <stddef.h>

#include "base/arena.h"
#include "mqtt/types.h"
#include "base/strbuf.h"

typedef struct cs_statement {
    const char *id;
    const char *section;
    const char *applies_to; /* Server, Client, Both */
    const char *observable; /* "yes", or "no: why" */
    const char *summary;
} cs_statement;

typedef struct cs_registry {
    mqtt_version version;
    cs_statement *items;
    size_t n;
} cs_registry;

/* Load <suite_dir>/statements/mqtt-v<version>.tsv. -1 with a message in errs. */
int cs_registry_load(base_arena *arena, const char *suite_dir, mqtt_version v, cs_registry *reg, base_strbuf *errs);
const cs_statement *cs_registry_find(const cs_registry *reg, const char *id);
/* Whether the statement can be checked from a client's side of the wire. */
int cs_statement_observable(const cs_statement *s);

#endif
