/* Building a v5 property list into caller memory: identifier byte, then the value in the form the
 * property matrix gives the id. The first failure sticks: later adds do nothing and finish reports
 * it. An id the matrix does not know is MQTT_ERR_PROPERTY_UNKNOWN; a value of the wrong kind for
 * the id, or too large for its type, is MQTT_ERR_VALUE_OUT_OF_RANGE. */
#include "mqtt/properties.h"

#include "wire_write.h"

/* Largest value of each integer type. */
static const uint32_t int_type_max[] = {
    [MQTT_PTYPE_BYTE] = 0xFFu,
    [MQTT_PTYPE_U16] = 0xFFFFu,
    [MQTT_PTYPE_U32] = 0xFFFFFFFFu,
    [MQTT_PTYPE_VARINT] = WIRE_MAX_VARINT,
};

void mqtt_props_builder_init(mqtt_props_builder *b, uint8_t *buf, size_t cap)
{
    b->buf = buf;
    b->cap = cap > UINT32_MAX ? UINT32_MAX : (uint32_t)cap;
    b->len = 0;
    b->err = MQTT_OK;
}

/* The id's type when it lies in [lo, hi] and no error is pending; MQTT_PTYPE_NONE (error set)
 * otherwise. */
static mqtt_prop_type admit(mqtt_props_builder *b, unsigned id, mqtt_prop_type lo, mqtt_prop_type hi)
{
    if (b->err != MQTT_OK)
        return MQTT_PTYPE_NONE;
    mqtt_prop_type type = mqtt_prop_type_of(id);
    if (type == MQTT_PTYPE_NONE)
        b->err = MQTT_ERR_PROPERTY_UNKNOWN;
    else if (type < lo || type > hi)
        b->err = MQTT_ERR_VALUE_OUT_OF_RANGE;
    return b->err == MQTT_OK ? type : MQTT_PTYPE_NONE;
}

/* Room for the id byte and value_len bytes: where the value goes, the id written; NULL (error
 * set) when the buffer is short or the list would outgrow its Property Length. */
static uint8_t *reserve(mqtt_props_builder *b, unsigned id, uint64_t value_len)
{
    uint64_t len = (uint64_t)b->len + 1u + value_len;
    if (len > WIRE_MAX_VARINT)
        b->err = MQTT_ERR_VALUE_OUT_OF_RANGE;
    else if (len > b->cap)
        b->err = MQTT_ERR_BUFFER_TOO_SMALL;
    if (b->err != MQTT_OK)
        return NULL;
    uint8_t *p = b->buf + b->len;
    b->len = (uint32_t)len;
    *p = (uint8_t)id;
    return p + 1;
}

void mqtt_props_add_int(mqtt_props_builder *b, unsigned id, uint32_t value)
{
    mqtt_prop_type type = admit(b, id, MQTT_PTYPE_BYTE, MQTT_PTYPE_VARINT);
    if (type == MQTT_PTYPE_NONE)
        return;
    if (value > int_type_max[type]) {
        b->err = MQTT_ERR_VALUE_OUT_OF_RANGE;
        return;
    }
    static const uint8_t width[] = {[MQTT_PTYPE_BYTE] = 1, [MQTT_PTYPE_U16] = 2, [MQTT_PTYPE_U32] = 4};
    uint8_t *p = reserve(b, id, type == MQTT_PTYPE_VARINT ? wire_varint_size(value) : width[type]);
    if (!p)
        return;
    switch (type) {
    case MQTT_PTYPE_BYTE:
        *p = (uint8_t)value;
        break;
    case MQTT_PTYPE_U16:
        wire_write_u16(p, value);
        break;
    case MQTT_PTYPE_U32:
        wire_write_u32(p, value);
        break;
    default:
        wire_write_varint(p, value);
        break;
    }
}

void mqtt_props_add_bytes(mqtt_props_builder *b, unsigned id, mqtt_bytes value)
{
    if (admit(b, id, MQTT_PTYPE_BINARY, MQTT_PTYPE_STRING) == MQTT_PTYPE_NONE)
        return;
    uint8_t *p = reserve(b, id, wire_prefixed_size(value));
    if (p)
        wire_write_prefixed(p, value);
}

void mqtt_props_add_pair(mqtt_props_builder *b, unsigned id, mqtt_bytes name, mqtt_bytes value)
{
    if (admit(b, id, MQTT_PTYPE_STRING_PAIR, MQTT_PTYPE_STRING_PAIR) == MQTT_PTYPE_NONE)
        return;
    uint8_t *p = reserve(b, id, wire_prefixed_size(name) + wire_prefixed_size(value));
    if (p)
        wire_write_prefixed(wire_write_prefixed(p, name), value);
}

mqtt_err mqtt_props_finish(const mqtt_props_builder *b, mqtt_props *out)
{
    if (b->err != MQTT_OK) {
        *out = (mqtt_props){NULL, 0};
        return b->err;
    }
    *out = (mqtt_props){b->buf, b->len};
    return MQTT_OK;
}
