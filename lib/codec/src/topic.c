/* Topic names and filters: validation, shared-subscription split and matching (section 4.7, 4.8.2). */
#include <string.h>

#include "text_scan.h"
#include "topic_internal.h"

#define SHARE_PREFIX "$share/"
#define SHARE_PREFIX_LEN 7u

mqtt_err mqtt_topic_name_check(mqtt_bytes name, uint32_t *bad_offset)
{
    uint32_t bad = 0;
    mqtt_err e = name.len == 0 ? MQTT_ERR_TOPIC_EMPTY : text_scan(name.data, name.len, true, &bad);
    if (bad_offset)
        *bad_offset = bad;
    return e;
}

/* '#' alone in the last level, '+' alone in its level; offsets relative to s. */
static mqtt_err wildcard_placement(const uint8_t *s, uint32_t len, uint32_t *bad)
{
    for (uint32_t i = 0; i < len; i++) {
        uint8_t c = s[i];
        if (c != '+' && c != '#')
            continue;
        bool starts_level = i == 0 || s[i - 1] == '/';
        bool ends_level = i + 1 == len || s[i + 1] == '/';
        if (c == '#' && !(starts_level && i + 1 == len)) {
            *bad = i;
            return MQTT_ERR_FILTER_MULTI_WILDCARD;
        }
        if (c == '+' && !(starts_level && ends_level)) {
            *bad = i;
            return MQTT_ERR_FILTER_SINGLE_WILDCARD;
        }
    }
    return MQTT_OK;
}

static bool is_shared(mqtt_bytes filter)
{
    return filter.len >= SHARE_PREFIX_LEN && memcmp(filter.data, SHARE_PREFIX, SHARE_PREFIX_LEN) == 0;
}

bool mqtt_topic_shared_split(mqtt_bytes filter, mqtt_bytes *share_name, mqtt_bytes *inner_filter)
{
    if (!is_shared(filter))
        return false;
    const uint8_t *name = filter.data + SHARE_PREFIX_LEN;
    uint32_t rest = filter.len - SHARE_PREFIX_LEN;
    const uint8_t *slash = memchr(name, '/', rest);
    uint32_t name_len = slash ? (uint32_t)(slash - name) : rest;
    if (share_name)
        *share_name = (mqtt_bytes){name, name_len};
    if (inner_filter)
        *inner_filter = slash ? (mqtt_bytes){slash + 1, rest - name_len - 1} : (mqtt_bytes){name + rest, 0};
    return true;
}

const char *topic_share_statement(mqtt_bytes filter)
{
    mqtt_bytes name;
    if (mqtt_topic_shared_split(filter, &name, NULL) && name.len == 0)
        return "MQTT-4.8.2-1";
    return "MQTT-4.8.2-2";
}

mqtt_err mqtt_topic_filter_check(mqtt_bytes filter, mqtt_version v, uint32_t *bad_offset)
{
    uint32_t bad = 0;
    mqtt_err e = MQTT_ERR_FILTER_EMPTY;
    if (filter.len == 0)
        goto out;
    e = text_scan(filter.data, filter.len, false, &bad);
    if (e != MQTT_OK)
        goto out;
    mqtt_bytes name, inner;
    if (v == MQTT_V5 && mqtt_topic_shared_split(filter, &name, &inner)) {
        bool name_ok = name.len > 0 && !memchr(name.data, '+', name.len) && !memchr(name.data, '#', name.len);
        if (!name_ok || inner.len == 0) { /* no '/' after the name, or nothing after it */
            bad = SHARE_PREFIX_LEN;
            e = MQTT_ERR_SHARE_NAME_INVALID;
            goto out;
        }
        uint32_t inner_start = (uint32_t)(inner.data - filter.data);
        e = wildcard_placement(inner.data, inner.len, &bad);
        bad += e != MQTT_OK ? inner_start : 0;
        goto out;
    }
    e = wildcard_placement(filter.data, filter.len, &bad);
out:
    if (bad_offset)
        *bad_offset = bad;
    return e;
}

static const uint8_t *level_end(const uint8_t *p, const uint8_t *end)
{
    const uint8_t *slash = memchr(p, '/', (size_t)(end - p));
    return slash ? slash : end;
}

bool mqtt_topic_matches(mqtt_bytes filter, mqtt_bytes name)
{
    if (filter.len == 0 || name.len == 0)
        return false;
    if (name.data[0] == '$' && (filter.data[0] == '+' || filter.data[0] == '#'))
        return false; /* [MQTT-4.7.2-1] */
    const uint8_t *f = filter.data, *f_end = f + filter.len;
    const uint8_t *n = name.data, *n_end = n + name.len;
    bool name_left = true; /* false once every level of the name has been matched */
    for (;;) {
        const uint8_t *fl = level_end(f, f_end);
        size_t f_len = (size_t)(fl - f);
        if (f_len == 1 && *f == '#')
            return true; /* the rest, including the parent level */
        if (!name_left)
            return false;
        const uint8_t *nl = level_end(n, n_end);
        size_t n_len = (size_t)(nl - n);
        bool plus = f_len == 1 && *f == '+';
        if (!plus && (f_len != n_len || memcmp(f, n, n_len) != 0))
            return false;
        bool f_last = fl == f_end, n_last = nl == n_end;
        if (f_last)
            return n_last;
        f = fl + 1;
        if (n_last)
            name_left = false;
        else
            n = nl + 1;
    }
}
