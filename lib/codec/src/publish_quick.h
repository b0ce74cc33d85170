/* The quick decode of a PUBLISH body: the common, valid packet read with no error bookkeeping, the
 * way props_quick.h reads a property list. It tests every rule decode_publish tests, in whatever
 * order is cheapest, and says only yes or no: false hands the packet to decode_publish, which reads
 * it again and names the first rule broken, so errors, their statements and offsets are unchanged. */
#ifndef MQTT_PUBLISH_QUICK_H
#define MQTT_PUBLISH_QUICK_H

#include "props_quick.h"
#include "text_scan.h"
#include "wire.h"

/* The fixed-header flags a PUBLISH may carry, a bit per value of the low nibble: not QoS 3 (both QoS
 * bits set), not DUP at QoS 0. */
#define PUBLISH_FLAGS_OK 0x3C3Fu

/* The property walk of a PUBLISH, out of line: a leaf with few live values keeps its loop in registers. */
WIRE_OUT_OF_LINE bool publish_props_valid(const uint8_t *p, const uint8_t *end, mqtt_direction direction)
{
    return props_surely_valid(p, end, MQTT_PUBLISH, direction, NULL);
}

/* body..end: the packet after its fixed header. On true *p is filled as decode_publish fills it. */
WIRE_HOT_INLINE bool publish_quick(const uint8_t *body, const uint8_t *end, unsigned flags, mqtt_version version,
                                   mqtt_direction direction, mqtt_publish *p)
{
    if (!(PUBLISH_FLAGS_OK >> flags & 1u) || end - body < 2)
        return false;
    const unsigned qos = flags >> 1 & 3u;
    p->dup = flags & 0x08u;
    p->qos = (uint8_t)qos;
    p->retain = flags & 0x01u;
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
    if (version == MQTT_V5) {
        if (wire_varint(q, end, &props.len, &q) != MQTT_OK || (size_t)(end - q) < props.len)
            return false;
        props.data = q;
        q += props.len;
    }
    p->props = props;
    p->payload = (mqtt_bytes){q, (uint32_t)(end - q)};
    return version != MQTT_V5 || props_surely_valid(props.data, q, MQTT_PUBLISH, direction, NULL);
}

#endif
