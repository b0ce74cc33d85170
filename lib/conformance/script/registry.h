/* The statement registry: every normative statement of a version with its section, whom it binds,
 * whether a client can observe it on the wire, and a summary (suite/statements, one TSV per version). */
#ifndef CF_REGISTRY_H
#define CF_REGISTRY_H

#include <stddef.h>

#include "base/arena.h"
#include "mqtt/types.h"
#include "base/strbuf.h"

typedef struct cf_statement {
    const char *id;
    const char *section;
    const char *applies_to; /* Server, Client, Both */
    const char *observable; /* "yes", or "no: why" */
    const char *summary;
} cf_statement;

typedef struct cf_registry {
    mqtt_version version;
    cf_statement *items;
    size_t n;
} cf_registry;

/* Load <suite_dir>/statements/mqtt-v<version>.tsv. -1 with a message in errs. */
int cf_registry_load(cf_arena *arena, const char *suite_dir, mqtt_version v, cf_registry *reg, cf_strbuf *errs);
const cf_statement *cf_registry_find(const cf_registry *reg, const char *id);
/* Whether the statement can be checked from a client's side of the wire. */
int cf_statement_observable(const cf_statement *s);

#endif
