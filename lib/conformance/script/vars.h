/* A test's variables ($name) and template expansion. */
#ifndef CF_VARS_H
#define CF_VARS_H

#include <stddef.h>

#include "lexer.h"
#include "base/strbuf.h"

typedef struct cf_var {
    char *name;
    cf_strbuf value;
} cf_var;

typedef struct cf_vars {
    cf_var items[64];
    size_t n;
} cf_vars;

/* Set (or replace) name; returns -1 when the table is full. */
int cf_vars_set(cf_vars *vars, const char *name, const void *value, size_t len);
const cf_strbuf *cf_vars_get(const cf_vars *vars, const char *name);
void cf_vars_free(cf_vars *vars);

/* Append the expansion of t to out. On an undefined variable returns -1 and names it in err. */
int cf_expand(const cf_vars *vars, const cf_tmpl *t, cf_strbuf *out, cf_strbuf *err);

#endif
