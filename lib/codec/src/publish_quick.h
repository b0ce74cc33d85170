/* The quick decode of a PUBLISH body: the common, valid packet read with no error bookkeeping, the
 * way props_quick.h reads a property list. It tests every rule decode_publish tests, in whatever
 * order is cheapest, and says only yes or no: false hands the packet to decode_publish, which reads
 * it again and names the first rule broken, so errors, their statements and offsets are unchanged. */
#ifndef MQTT_PUBLISH_QUICK_H
#define MQTT_PUBLISH_QUICK_H

#include <stddef.h>
#include <string.h>

#include "mqtt/decode.h"
#include "props_quick.h"
#include "text_scan.h"
#include "wire.h"

/* The fixed-header flags a PUBLISH may carry, a bit per value of the low nibble: not QoS 3 (both QoS
 * bits set), not DUP at QoS 0. */
#define PUBLISH_FLAGS_OK 0x3C3Fu

/* body..end: the packet after its fixed header, whose flags the caller found in PUBLISH_FLAGS_OK.
 * On true *p is filled as decode_publish fills it (on false it may be half filled: the exact path
 * writes it again). Every field is stored before the property walk, which runs last and inline: none
 * of them is live in its loop, which keeps its state in registers (headline decode 385 -> 369
 * instructions against an out-of-line walk called before the stores). */
WIRE_HOT_INLINE bool publish_quick(const uint8_t *body, const uint8_t *end, unsigned flags,
                                   const mqtt_decode_opts *opts, mqtt_publish *p)
{
    if (end - body < 2)
        return false;
    const unsigned qos = flags >> 1 & 3u;
    /* dup, qos, retain and the padding byte after them, one row per value of the flags: one load and
     * one store instead of three fields computed apart */
    static const uint8_t flag_bytes[16][4] = {
        {0, 0, 0, 0}, {0, 0, 1, 0}, {0, 1, 0, 0}, {0, 1, 1, 0}, {0, 2, 0, 0}, {0, 2, 1, 0}, {0, 3, 0, 0}, {0, 3, 1, 0},
        {1, 0, 0, 0}, {1, 0, 1, 0}, {1, 1, 0, 0}, {1, 1, 1, 0}, {1, 2, 0, 0}, {1, 2, 1, 0}, {1, 3, 0, 0}, {1, 3, 1, 0},
    };
    _Static_assert(offsetof(mqtt_publish, dup) == 0 && offsetof(mqtt_publish, qos) == 1 &&
                       offsetof(mqtt_publish, retain) == 2 &&
                       offsetof(mqtt_publish, topic) >= 4, "dup, qos and retain lead mqtt_publish, padding after");
    memcpy((unsigned char *)p, flag_bytes[flags], 4);
    const uint32_t topic_len = wire_u16(body);
    const uint8_t *q = body + 2;
    /* an empty topic needs a Topic Alias: the exact path judges it */
    if (topic_len == 0 || (size_t)(end - q) < topic_len || text_unusual(q, topic_len, true))
        return false;
    p->topic = (mqtt_bytes){q, topic_len};
    q += topic_len;
    uint16_t packet_id = 0;
    if (qos) {
        if (end - q < 2 || !(packet_id = wire_u16(q)))
            return false;
        q += 2;
    }
    p->packet_id = packet_id;
    mqtt_props props = {NULL, 0};
    const bool v5 = opts->version == MQTT_V5;
    if (v5) {
        if (q < end && *q < 0x80) /* a one-byte Property Length, the common case, kept in line */
            props.len = *q++;
        else if (wire_varint(q, end, &props.len, &q) != MQTT_OK)
            return false;
        if ((size_t)(end - q) < props.len)
            return false;
        props.data = q;
        q += props.len;
    }
    p->props = props;
    p->payload = (mqtt_bytes){q, (uint32_t)(end - q)};
    return !v5 || props_surely_valid(props.data, q, MQTT_PUBLISH, opts->direction, NULL);
}

#endif
