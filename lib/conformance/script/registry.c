#include "registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"

static const char *registry_name(mqtt_version v)
{
    switch (v) {
    case MQTT_V31: return "mqtt-v3.1.1"; /* 3.1 has no statement IDs; its tests cite the 3.1.1 ones */
    case MQTT_V311: return "mqtt-v3.1.1";
    default: return "mqtt-v5.0";
    }
}

/* Split line at tabs into at most max fields (in place). */
static size_t split_tabs(char *line, char **fields, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (n < max) {
        fields[n++] = p;
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    return n;
}

int cs_registry_load(base_arena *arena, const char *suite_dir, mqtt_version v, cs_registry *reg, base_strbuf *errs)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/statements/%s.tsv", suite_dir, registry_name(v));
    char *text = base_read_file(arena, path, NULL, errs);
    if (!text)
        return -1;
    size_t cap = 0;
    for (const char *p = text; *p; p++)
        cap += *p == '\n';
    reg->version = v;
    reg->items = base_arena_alloc(arena, sizeof(cs_statement) * (cap + 1));
    reg->n = 0;
    int lineno = 0;
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        lineno++;
        char *f[5];
        if (lineno > 1 && *line) {
            if (split_tabs(line, f, 5) != 5 || strncmp(f[0], "MQTT-", 5) != 0) {
                base_sb_printf(errs,
                               "%s:%d: expected 5 tab-separated columns: id section applies_to observable "
                               "summary\n",
                               path, lineno);
                return -1;
            }
            cs_statement *s = &reg->items[reg->n++];
            s->id = f[0];
            s->section = f[1];
            s->applies_to = f[2];
            s->observable = f[3];
            s->summary = f[4];
        }
        line = nl ? nl + 1 : NULL;
    }
    return 0;
}

const cs_statement *cs_registry_find(const cs_registry *reg, const char *id)
{
    for (size_t i = 0; i < reg->n; i++)
        if (strcmp(reg->items[i].id, id) == 0)
            return &reg->items[i];
    return NULL;
}

int cs_statement_observable(const cs_statement *s)
{
    return strncmp(s->observable, "yes", 3) == 0;
}
