/* SUBSCRIBE / UNSUBSCRIBE payloads: walking a validated payload (filter, then an options byte for
 * SUBSCRIBE) and writing one from a list. */
#include "mqtt/packet.h"

#include "wire_write.h"

/* Subscription options byte: QoS in bits 0-1, No Local bit 2, Retain As Published bit 3, Retain
 * Handling bits 4-5 (5.0). */
#define OPT_NO_LOCAL_SHIFT 2
#define OPT_RAP_SHIFT 3
#define OPT_RETAIN_HANDLING_SHIFT 4

static void iter_init(mqtt_payload_iter *it, mqtt_bytes payload)
{
    it->pos = payload.data;
    it->end = payload.data ? payload.data + payload.len : NULL;
}

/* The next length-prefixed filter followed by trailer_len more bytes; false at the end or when
 * the rest is too short to hold one (the iterator then stays at the end). */
static bool next_filter(mqtt_payload_iter *it, size_t trailer_len, mqtt_bytes *filter)
{
    size_t left = it->pos ? (size_t)(it->end - it->pos) : 0u;
    if (left < 2u) {
        it->pos = it->end;
        return false;
    }
    uint32_t len = (uint32_t)it->pos[0] << 8 | it->pos[1];
    if (left - 2u < len + trailer_len) {
        it->pos = it->end;
        return false;
    }
    *filter = (mqtt_bytes){it->pos + 2, len};
    it->pos += 2u + len;
    return true;
}

void mqtt_subscribe_iter_init(mqtt_payload_iter *it, const mqtt_subscribe *sub)
{
    iter_init(it, sub->payload);
}

bool mqtt_subscribe_next(mqtt_payload_iter *it, mqtt_subscription *out)
{
    if (!next_filter(it, 1u, &out->filter))
        return false;
    uint8_t options = *it->pos++;
    out->qos = options & 3u;
    out->no_local = (options >> OPT_NO_LOCAL_SHIFT) & 1u;
    out->retain_as_published = (options >> OPT_RAP_SHIFT) & 1u;
    out->retain_handling = (options >> OPT_RETAIN_HANDLING_SHIFT) & 3u;
    return true;
}

void mqtt_unsubscribe_iter_init(mqtt_payload_iter *it, const mqtt_unsubscribe *unsub)
{
    iter_init(it, unsub->payload);
}

bool mqtt_unsubscribe_next(mqtt_payload_iter *it, mqtt_bytes *filter)
{
    return next_filter(it, 0u, filter);
}

/* Whether a payload of size bytes fits a packet (the loops summing it stop once it does not, so
 * the count always fits 32 bits) and the caller's buffer. */
static mqtt_err payload_fits(uint64_t size, size_t cap)
{
    if (size > WIRE_MAX_VARINT)
        return MQTT_ERR_VALUE_OUT_OF_RANGE;
    return size > cap ? MQTT_ERR_BUFFER_TOO_SMALL : MQTT_OK;
}

static uint8_t options_byte(const mqtt_subscription *s)
{
    return (uint8_t)(s->qos | (unsigned)s->no_local << OPT_NO_LOCAL_SHIFT |
                     (unsigned)s->retain_as_published << OPT_RAP_SHIFT |
                     (unsigned)s->retain_handling << OPT_RETAIN_HANDLING_SHIFT);
}

mqtt_err mqtt_subscribe_payload_write(mqtt_subscribe *sub, const mqtt_subscription *list, size_t n, uint8_t *buf,
                                      size_t cap)
{
    uint64_t size = 0;
    for (size_t i = 0; i < n && size <= WIRE_MAX_VARINT; i++) {
        if (list[i].qos > 3u || list[i].retain_handling > 3u) /* two bits each */
            return MQTT_ERR_VALUE_OUT_OF_RANGE;
        size += wire_prefixed_size(list[i].filter) + 1u;
    }
    mqtt_err rc = payload_fits(size, cap);
    if (rc != MQTT_OK)
        return rc;
    uint8_t *p = buf;
    for (size_t i = 0; i < n; i++) {
        p = wire_write_prefixed(p, list[i].filter);
        *p++ = options_byte(&list[i]);
    }
    sub->payload = (mqtt_bytes){buf, (uint32_t)size};
    sub->count = (uint32_t)n;
    return MQTT_OK;
}

mqtt_err mqtt_unsubscribe_payload_write(mqtt_unsubscribe *unsub, const mqtt_bytes *filters, size_t n, uint8_t *buf,
                                        size_t cap)
{
    uint64_t size = 0;
    for (size_t i = 0; i < n && size <= WIRE_MAX_VARINT; i++)
        size += wire_prefixed_size(filters[i]);
    mqtt_err rc = payload_fits(size, cap);
    if (rc != MQTT_OK)
        return rc;
    uint8_t *p = buf;
    for (size_t i = 0; i < n; i++)
        p = wire_write_prefixed(p, filters[i]);
    unsub->payload = (mqtt_bytes){buf, (uint32_t)size};
    unsub->count = (uint32_t)n;
    return MQTT_OK;
}
