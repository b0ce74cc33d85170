/* A test's variables ($name) and template expansion. */
#ifndef CS_VARS_H
#define CS_VARS_H

#include <stddef.h>

#include "lexer.h"
#include "base/strbuf.h"

typedef struct cs_var {
    char *name;
    base_strbuf value;
} cs_var;

typedef struct cs_vars {
    cs_var items[64];
    size_t n;
} cs_vars;

/* Set (or replace) name; returns -1 when the table is full. */
int cs_vars_set(cs_vars *vars, const char *name, const void *value, size_t len);
const base_strbuf *cs_vars_get(const cs_vars *vars, const char *name);
void cs_vars_free(cs_vars *vars);

/* Append the expansion of t to out. On an undefined variable returns -1 and names it in err. */
int cs_expand(const cs_vars *vars, const cs_tmpl *t, base_strbuf *out, base_strbuf *err);

#endif
