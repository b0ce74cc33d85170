#include "aliases.h"

#include <stdlib.h>
#include <string.h>

void cr_aliases_reset(cr_aliases *a)
{
    for (uint32_t i = 0; i < a->cap; i++)
        free((void *)a->topics[i].data);
    free(a->topics);
    a->topics = NULL;
    a->cap = 0;
}

/* Out of memory ends the run, as everywhere in the runner (conn.c). */
static uint8_t *copy_of(mqtt_bytes b)
{
    uint8_t *p = malloc(b.len ? b.len : 1);
    if (!p)
        abort();
    if (b.len)
        memcpy(p, b.data, b.len);
    return p;
}

bool cr_aliases_apply(cr_aliases *a, uint16_t alias, mqtt_bytes *topic, uint8_t **owned)
{
    *owned = NULL;
    if (topic->len == 0) {
        if (alias >= a->cap || !a->topics[alias].data)
            return false;
        uint8_t *p = copy_of(a->topics[alias]);
        *owned = p;
        *topic = (mqtt_bytes){p, a->topics[alias].len};
        return true;
    }
    if (alias >= a->cap) {
        /* grown to the alias seen, not to the maximum announced: brokers use few */
        uint32_t cap = (uint32_t)alias + 1;
        mqtt_bytes *grown = realloc(a->topics, cap * sizeof *grown);
        if (!grown)
            abort();
        memset(grown + a->cap, 0, (cap - a->cap) * sizeof *grown);
        a->topics = grown;
        a->cap = cap;
    }
    uint8_t *p = copy_of(*topic);
    free((void *)a->topics[alias].data);
    a->topics[alias] = (mqtt_bytes){p, topic->len};
    return true;
}
