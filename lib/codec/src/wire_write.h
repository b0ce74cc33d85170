/* Writers for the encoder: big-endian u16, Variable Byte Integer, length-prefixed strings and
 * binary data, raw bytes, property lists. Each writes at p and returns the byte after what it
 * wrote; the caller has sized the buffer first, so none of them checks capacity.
 *
 * Sizes are computed in 64 bits: a field that cannot be represented (a string over 65535 bytes, a
 * property list over the Variable Byte Integer range) counts as WIRE_UNENCODABLE bytes, so one
 * range check on the total catches every such field. */
#ifndef MQTT_WIRE_WRITE_H
#define MQTT_WIRE_WRITE_H

#include <stdint.h>
#include <string.h>

#include "mqtt/decode.h"
#include "mqtt/types.h"

/* Larger than any packet, small enough that a few of them summed cannot overflow 64 bits. */
#define WIRE_UNENCODABLE (UINT64_C(1) << 40)
#define WIRE_MAX_VARINT MQTT_MAX_REMAINING_LENGTH
#define WIRE_MAX_U16_LEN 65535u

static inline uint32_t wire_varint_size(uint32_t v)
{
    return v < 0x80u ? 1u : v < 0x4000u ? 2u : v < 0x200000u ? 3u : 4u;
}

/* A string or binary field: 2-byte length + data. */
static inline uint64_t wire_prefixed_size(mqtt_bytes b)
{
    return b.len <= WIRE_MAX_U16_LEN ? 2u + (uint64_t)b.len : WIRE_UNENCODABLE;
}

/* A v5 property list: Property Length + the properties. */
static inline uint64_t wire_props_size(mqtt_props props)
{
    return props.len <= WIRE_MAX_VARINT ? wire_varint_size(props.len) + (uint64_t)props.len : WIRE_UNENCODABLE;
}

static inline uint8_t *wire_write_u16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
    return p + 2;
}

static inline uint8_t *wire_write_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
    return p + 4;
}

/* v must be at most WIRE_MAX_VARINT; written in the fewest bytes. */
static inline uint8_t *wire_write_varint(uint8_t *p, uint32_t v)
{
    while (v >= 0x80u) {
        *p++ = (uint8_t)(v | 0x80u);
        v >>= 7;
    }
    *p++ = (uint8_t)v;
    return p;
}

/* 16 to 64 bytes (topics, property lists, small payloads) are copied inline in 16-byte pieces, the
 * last ones overlapping, rather than by a call to the C library's memcpy (headline encode 441 -> 418
 * instructions checked, 211 -> 188 unchecked; 8 to 15 bytes in two 8-byte pieces too cost the corpus
 * encode 2 more). */
static inline uint8_t *wire_write_raw(uint8_t *p, const uint8_t *data, uint32_t len)
{
    if (len >= 16 && len <= 64) {
        memcpy(p, data, 16);
        if (len > 32) {
            memcpy(p + 16, data + 16, 16);
            memcpy(p + len - 32, data + len - 32, 16);
        }
        memcpy(p + len - 16, data + len - 16, 16);
    } else if (len) { /* data may be NULL when len is 0 */
        memcpy(p, data, len);
    }
    return p + len;
}

static inline uint8_t *wire_write_prefixed(uint8_t *p, mqtt_bytes b)
{
    return wire_write_raw(wire_write_u16(p, b.len), b.data, b.len);
}

static inline uint8_t *wire_write_props(uint8_t *p, mqtt_props props)
{
    return wire_write_raw(wire_write_varint(p, props.len), props.data, props.len);
}

#endif
