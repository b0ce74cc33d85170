#include "vars.h"

#include <stdlib.h>
#include <string.h>

int cs_vars_set(cs_vars *vars, const char *name, const void *value, size_t len)
{
    for (size_t i = 0; i < vars->n; i++) {
        if (strcmp(vars->items[i].name, name) == 0) {
            base_sb_reset(&vars->items[i].value);
            base_sb_append(&vars->items[i].value, value, len);
            return 0;
        }
    }
    if (vars->n == sizeof vars->items / sizeof vars->items[0])
        return -1;
    cs_var *v = &vars->items[vars->n++];
    size_t nlen = strlen(name);
    v->name = malloc(nlen + 1);
    if (!v->name)
        abort();
    memcpy(v->name, name, nlen + 1);
    memset(&v->value, 0, sizeof v->value);
    base_sb_append(&v->value, value, len);
    return 0;
}

const base_strbuf *cs_vars_get(const cs_vars *vars, const char *name)
{
    for (size_t i = 0; i < vars->n; i++)
        if (strcmp(vars->items[i].name, name) == 0)
            return &vars->items[i].value;
    return NULL;
}

void cs_vars_free(cs_vars *vars)
{
    for (size_t i = 0; i < vars->n; i++) {
        free(vars->items[i].name);
        base_sb_free(&vars->items[i].value);
    }
    vars->n = 0;
}

int cs_expand(const cs_vars *vars, const cs_tmpl *t, base_strbuf *out, base_strbuf *err)
{
    for (size_t i = 0; i < t->nsegs; i++) {
        const cs_seg *s = &t->segs[i];
        if (!s->is_var) {
            base_sb_append(out, s->text, s->len);
            continue;
        }
        const base_strbuf *v = cs_vars_get(vars, s->text);
        if (!v) {
            base_sb_printf(err,
                           "variable $%s is not set (captured with field->%s, or built in: prefix, topic, "
                           "<connection>.id)",
                           s->text, s->text);
            return -1;
        }
        base_sb_append(out, v->data, v->len);
    }
    return 0;
}
