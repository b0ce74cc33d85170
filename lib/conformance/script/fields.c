#include "fields.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "format/packet_fields.h"
#include "propfields.h"

#define BIT(t) (1u << (t))

/* The fields scripts match are lib/format's one table, by their script alias ("pid" for packet_id). */
typedef fmt_packet_field match_field;

/* Keys a script may set per packet type when sending it. */
static const char *const send_keys[16][17] = {
    [MQTT_CONNECT] = {"id", "clean", "keepalive", "username", "password", "will_topic", "will_payload", "will_qos",
                      "will_retain", "will", "username_flag", "password_flag", "protocol", "level", "creds", NULL},
    [MQTT_PUBLISH] = {"topic", "payload", "qos", "retain", "dup", "pid", NULL},
    [MQTT_PUBACK] = {"pid", "rc", NULL},
    [MQTT_PUBREC] = {"pid", "rc", NULL},
    [MQTT_PUBREL] = {"pid", "rc", NULL},
    [MQTT_PUBCOMP] = {"pid", "rc", NULL},
    [MQTT_SUBSCRIBE] = {"pid", "filter", "qos", "nl", "rap", "rh", NULL},
    [MQTT_UNSUBSCRIBE] = {"pid", "filter", NULL},
    [MQTT_PINGREQ] = {NULL},
    [MQTT_DISCONNECT] = {"rc", NULL},
    [MQTT_AUTH] = {"rc", NULL},
};

/* By the codec's names (mqtt_packet_type_name): one table of packet type names. */
mqtt_packet_type cs_packet_type_by_name(const char *name)
{
    for (unsigned t = 1; t < 16; t++)
        if (strcmp(mqtt_packet_type_name(t), name) == 0)
            return (mqtt_packet_type)t;
    return 0;
}

static const match_field *match_field_of(const char *key)
{
    return fmt_pf_by_alias(key);
}

bool cs_field_sendable(mqtt_packet_type type, const char *key)
{
    if ((unsigned)type >= 16)
        return false;
    if (cs_prop_key_id(key, CS_PROP_PREFIX))
        return cs_type_has_props(type);
    if (cs_prop_key_id(key, CS_WILL_PROP_PREFIX))
        return type == MQTT_CONNECT;
    for (const char *const *k = send_keys[type]; *k; k++)
        if (strcmp(*k, key) == 0)
            return true;
    return false;
}

bool cs_field_matchable(mqtt_packet_type type, const char *key)
{
    if (cs_prop_key_id(key, CS_PROP_PREFIX))
        return cs_type_has_props(type) && type != MQTT_CONNECT;
    const match_field *f = match_field_of(key);
    return f && (f->types & BIT(type));
}

bool cs_field_numeric(const char *key)
{
    unsigned id = cs_prop_key_id(key, CS_PROP_PREFIX);
    if (id)
        return cs_prop_numeric(id);
    const match_field *f = match_field_of(key);
    return f && f->kind == FMT_PF_INT;
}

void cs_field_list(mqtt_packet_type type, bool send, mqtt_version version, base_strbuf *out)
{
    size_t before = out->len;
    if (send) {
        for (const char *const *k = send_keys[type]; *k; k++)
            base_sb_printf(out, "%s%s", out->len > before ? " " : "", *k);
    } else {
        for (size_t i = 0; i < FMT_PF_COUNT; i++)
            if (fmt_pf_fields[i].alias && (fmt_pf_fields[i].types & BIT(type)))
                base_sb_printf(out, "%s%s", out->len > before ? " " : "", fmt_pf_fields[i].alias);
    }
    if (version == MQTT_V5 && cs_type_has_props(type) && (send || type != MQTT_CONNECT))
        base_sb_printf(out, "%sprop.NAME", out->len > before ? " " : "");
    if (version == MQTT_V5 && send && type == MQTT_CONNECT)
        base_sb_puts(out, " wprop.NAME");
    if (out->len == before)
        base_sb_puts(out, "(none)");
}

bool cs_parse_uint(const char *s, size_t len, uint32_t max, uint32_t *out)
{
    unsigned base = 10;
    if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        len -= 2;
    }
    if (len == 0 || len > 10)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        int d;
        if (isdigit((unsigned char)s[i]))
            d = s[i] - '0';
        else if (base == 16 && isxdigit((unsigned char)s[i]))
            d = tolower((unsigned char)s[i]) - 'a' + 10;
        else
            return false;
        v = v * base + (unsigned)d;
    }
    if (v > max)
        return false;
    *out = (uint32_t)v;
    return true;
}
