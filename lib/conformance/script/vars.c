#include "vars.h"

#include <stdlib.h>
#include <string.h>

int cf_vars_set(cf_vars *vars, const char *name, const void *value, size_t len)
{
    for (size_t i = 0; i < vars->n; i++) {
        if (strcmp(vars->items[i].name, name) == 0) {
            cf_sb_reset(&vars->items[i].value);
            cf_sb_append(&vars->items[i].value, value, len);
            return 0;
        }
    }
    if (vars->n == sizeof vars->items / sizeof vars->items[0])
        return -1;
    cf_var *v = &vars->items[vars->n++];
    size_t nlen = strlen(name);
    v->name = malloc(nlen + 1);
    if (!v->name)
        abort();
    memcpy(v->name, name, nlen + 1);
    memset(&v->value, 0, sizeof v->value);
    cf_sb_append(&v->value, value, len);
    return 0;
}

const cf_strbuf *cf_vars_get(const cf_vars *vars, const char *name)
{
    for (size_t i = 0; i < vars->n; i++)
        if (strcmp(vars->items[i].name, name) == 0)
            return &vars->items[i].value;
    return NULL;
}

void cf_vars_free(cf_vars *vars)
{
    for (size_t i = 0; i < vars->n; i++) {
        free(vars->items[i].name);
        cf_sb_free(&vars->items[i].value);
    }
    vars->n = 0;
}

int cf_expand(const cf_vars *vars, const cf_tmpl *t, cf_strbuf *out, cf_strbuf *err)
{
    for (size_t i = 0; i < t->nsegs; i++) {
        const cf_seg *s = &t->segs[i];
        if (!s->is_var) {
            cf_sb_append(out, s->text, s->len);
            continue;
        }
        const cf_strbuf *v = cf_vars_get(vars, s->text);
        if (!v) {
            cf_sb_printf(err, "variable $%s is not set (captured with field->%s, or built in: prefix, topic, "
                              "<connection>.id)", s->text, s->text);
            return -1;
        }
        cf_sb_append(out, v->data, v->len);
    }
    return 0;
}
