/* MQTT 5.0 property lists: validation against the matrix (the quick walk of props_quick.h for the
 * common valid list, the exact walk here to name the first rule a list breaks), then reading. */
#include "property_table.h"
#include "props_quick.h"
#include "text_scan.h"
#include "wire.h"

static mqtt_err fail(mqtt_error *err, mqtt_err code, uint32_t offset, const char *statement)
{
    if (err) {
        err->code = code;
        err->offset = offset;
        err->statement = statement;
    }
    return code;
}

/* Read one value of this type at *p, not past end. */
WIRE_HOT_INLINE mqtt_err read_value(unsigned type, const uint8_t **p, const uint8_t *end, uint32_t *value,
                                  mqtt_bytes *first, mqtt_bytes *second)
{
    size_t avail = (size_t)(end - *p);
    mqtt_err e;
    switch (type) {
    case MQTT_PTYPE_BYTE:
        if (avail < 1)
            return MQTT_ERR_FIELD_OVERRUNS_PACKET;
        *value = **p;
        *p += 1;
        return MQTT_OK;
    case MQTT_PTYPE_U16:
        if (avail < 2)
            return MQTT_ERR_FIELD_OVERRUNS_PACKET;
        *value = wire_u16(*p);
        *p += 2;
        return MQTT_OK;
    case MQTT_PTYPE_U32:
        if (avail < 4)
            return MQTT_ERR_FIELD_OVERRUNS_PACKET;
        *value = wire_u32(*p);
        *p += 4;
        return MQTT_OK;
    case MQTT_PTYPE_VARINT:
        return wire_varint(*p, end, value, p);
    case MQTT_PTYPE_STRING_PAIR:
        e = wire_prefixed(*p, end, first, p);
        return e != MQTT_OK ? e : wire_prefixed(*p, end, second, p);
    default: /* BINARY, STRING */
        return wire_prefixed(*p, end, first, p);
    }
}

WIRE_HOT_INLINE mqtt_err check_text(const prop_row *row, mqtt_bytes s, uint32_t offset, mqtt_error *err)
{
    uint32_t bad;
    mqtt_err e = text_scan(s.data, s.len, row->rule == PROP_RULE_TOPIC_NAME, &bad);
    if (e == MQTT_OK)
        return MQTT_OK;
    if (e == MQTT_ERR_TOPIC_WILDCARD)
        e = MQTT_ERR_RESPONSE_TOPIC_WILDCARD;
    const char *statement = mqtt_err_statement(e, MQTT_V5);
    if (e == MQTT_ERR_UTF8_INVALID && row->utf8_statement)
        statement = row->utf8_statement;
    else if (e == MQTT_ERR_UTF8_NULL && row->rule == PROP_RULE_TOPIC_NAME)
        statement = "MQTT-4.7.3-2";
    return fail(err, e, offset, statement);
}

static mqtt_err check_rule(const prop_row *row, uint32_t value, mqtt_bytes text, uint32_t offset, mqtt_error *err)
{
    switch (row->rule) {
    case PROP_RULE_BOOL:
        return value > 1 ? fail(err, MQTT_ERR_PROPERTY_BAD_VALUE, offset, row->rule_statement) : MQTT_OK;
    case PROP_RULE_NONZERO:
        return value == 0 ? fail(err, MQTT_ERR_PROPERTY_ZERO, offset, row->rule_statement) : MQTT_OK;
    case PROP_RULE_TOPIC_NAME:
        return text.len == 0 ? fail(err, MQTT_ERR_TOPIC_EMPTY, offset, mqtt_err_statement(MQTT_ERR_TOPIC_EMPTY, MQTT_V5))
                             : MQTT_OK;
    default:
        return MQTT_OK;
    }
}

/* The exact walk: every rule in the order the list meets them, so the first one broken is the one
 * reported, with its offset and statement. Only lists the quick walk is unsure about come here. */
mqtt_err props_check_exact(const uint8_t *data, uint32_t len, unsigned place, mqtt_direction direction,
                           uint32_t base_offset, mqtt_error *err, uint64_t *seen_out)
{
    const uint8_t *start = data, *p = start, *end = start + len;
    const uint32_t place_bit = PROP_PLACE(place);
    uint64_t seen = 0;
    uint32_t auth_data_offset = 0;
    while (p < end) {
        const uint32_t offset = base_offset + (uint32_t)(p - start);
        const unsigned id = *p++;
        const prop_row *known = prop_row_of(id); /* ids are one-byte varints: >= 0x80 is unknown too */
        if (!known)
            return fail(err, MQTT_ERR_PROPERTY_UNKNOWN, offset, NULL);
        const prop_row row = *known; /* one read of the row (a sanitizer checks each through a pointer) */
        if (!(row.places & place_bit))
            return fail(err, MQTT_ERR_PROPERTY_NOT_ALLOWED, offset, NULL);
        if ((seen & PROP_SEEN(id)) && !(row.repeatable & place_bit))
            return fail(err, MQTT_ERR_PROPERTY_DUPLICATE, offset, NULL);
        seen |= PROP_SEEN(id);
        if (row.one_sided_place == place && direction != MQTT_DIR_UNKNOWN && direction == row.one_sided_dir)
            return fail(err, (mqtt_err)row.one_sided_err, offset,
                        mqtt_err_statement((mqtt_err)row.one_sided_err, MQTT_V5));
        uint32_t value = 0;
        mqtt_bytes first = {0}, second = {0};
        const uint8_t *value_at = p;
        mqtt_err e = read_value(row.type, &p, end, &value, &first, &second);
        if (e == MQTT_ERR_FIELD_OVERRUNS_PACKET)
            return fail(err, e, offset, NULL);
        if (e != MQTT_OK) /* a Subscription Identifier's varint */
            return fail(err, e, base_offset + (uint32_t)(value_at - start), mqtt_err_statement(e, MQTT_V5));
        if (row.type == MQTT_PTYPE_STRING || row.type == MQTT_PTYPE_STRING_PAIR) {
            if ((e = check_text(&row, first, offset, err)) != MQTT_OK)
                return e;
            if (row.type == MQTT_PTYPE_STRING_PAIR && (e = check_text(&row, second, offset, err)) != MQTT_OK)
                return e;
        }
        if (row.rule != PROP_RULE_ANY && (e = check_rule(&row, value, first, offset, err)) != MQTT_OK)
            return e;
        if (id == MQTT_PROP_AUTHENTICATION_DATA)
            auth_data_offset = offset;
    }
    if ((seen & PROP_SEEN(MQTT_PROP_AUTHENTICATION_DATA)) && !(seen & PROP_SEEN(MQTT_PROP_AUTHENTICATION_METHOD)))
        return fail(err, MQTT_ERR_AUTH_DATA_WITHOUT_METHOD, auth_data_offset, NULL);
    if (seen_out)
        *seen_out = seen;
    return MQTT_OK;
}

mqtt_err props_check(const uint8_t *data, uint32_t len, unsigned place, mqtt_direction direction,
                     uint32_t base_offset, mqtt_error *err, uint64_t *seen_out)
{
    if (len == 0) { /* also keeps NULL + 0 out of the pointer arithmetic */
        if (seen_out)
            *seen_out = 0;
        return MQTT_OK;
    }
    if (props_surely_valid(data, data + len, place, direction, seen_out))
        return MQTT_OK;
    return props_check_exact(data, len, place, direction, base_offset, err, seen_out);
}

mqtt_err mqtt_props_validate(mqtt_props props, unsigned place, mqtt_direction direction, uint32_t base_offset,
                             mqtt_error *err)
{
    if (place == 0 || place > MQTT_PROPS_IN_WILL)
        return fail(err, MQTT_ERR_PROPERTY_NOT_ALLOWED, base_offset, NULL);
    return props_check(props.data, props.len, place, direction, base_offset, err, NULL);
}

bool mqtt_props_find(mqtt_props props, unsigned id, mqtt_property *out)
{
    mqtt_prop_iter it;
    mqtt_property prop;
    mqtt_prop_iter_init(&it, props);
    while (mqtt_prop_next(&it, &prop)) {
        if (prop.id == id) {
            if (out)
                *out = prop;
            return true;
        }
    }
    return false;
}

uint32_t mqtt_props_count(mqtt_props props)
{
    mqtt_prop_iter it;
    mqtt_property prop;
    uint32_t n = 0;
    mqtt_prop_iter_init(&it, props);
    while (mqtt_prop_next(&it, &prop))
        n++;
    return n;
}
