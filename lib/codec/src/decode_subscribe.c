/* SUBSCRIBE and UNSUBSCRIBE: packet id, 5.0 properties, then at least one topic filter (with an
 * options byte in SUBSCRIBE). The payload stays raw; it is validated here and counted. */
#include "decode_internal.h"
#include "topic_internal.h"

enum {
    OPT_QOS = 0x03,
    OPT_NO_LOCAL = 0x04,
    OPT_RETAIN_HANDLING = 0x30,
};

static const statement_pair subscribe_filter_utf8 = {"MQTT-3.8.3-1", "MQTT-3.8.3-1"};
static const statement_pair unsubscribe_filter_utf8 = {"MQTT-3.10.3-1", "MQTT-3.10.3-1"};
static const statement_pair no_filters[2] = {{"MQTT-3.8.3-3", "MQTT-3.8.3-2"}, {"MQTT-3.10.3-2", "MQTT-3.10.3-2"}};

/* One length-prefixed filter, checked as a topic filter of this version. */
static mqtt_err decode_filter(decoder *d, mqtt_bytes *filter, statement_pair utf8)
{
    const uint8_t *at = d->pos;
    if (wire_prefixed(at, d->end, filter, &d->pos) != MQTT_OK)
        return dec_fail(d, MQTT_ERR_FIELD_OVERRUNS_PACKET, at);
    uint32_t bad;
    mqtt_err e = mqtt_topic_filter_check(*filter, d->version, &bad);
    const uint8_t *bad_at = filter->data + bad;
    switch (e) {
    case MQTT_OK:
        return MQTT_OK;
    case MQTT_ERR_UTF8_INVALID:
        return dec_fail_cited(d, e, bad_at, dec_pick(d, utf8));
    case MQTT_ERR_UTF8_NULL:
        return dec_fail_cited(d, e, bad_at, TOPIC_NULL_STATEMENT);
    case MQTT_ERR_SHARE_NAME_INVALID:
        return dec_fail_cited(d, e, at, topic_share_statement(*filter));
    case MQTT_ERR_FILTER_EMPTY:
        return dec_fail(d, e, at);
    default:
        return dec_fail(d, e, bad_at);
    }
}

static mqtt_err check_options(decoder *d, mqtt_bytes filter, uint8_t options, const uint8_t *at)
{
    const uint8_t reserved = d->version == MQTT_V5 ? 0xC0 : 0xFC;
    if (options & reserved)
        return dec_fail(d, MQTT_ERR_SUBSCRIBE_RESERVED_BITS, at);
    if ((options & OPT_QOS) == 3)
        return dec_fail(d, MQTT_ERR_SUBSCRIBE_QOS_3, at);
    if (d->version != MQTT_V5)
        return MQTT_OK;
    if ((options & OPT_RETAIN_HANDLING) == OPT_RETAIN_HANDLING)
        return dec_fail(d, MQTT_ERR_RETAIN_HANDLING_3, at);
    if ((options & OPT_NO_LOCAL) && mqtt_topic_shared_split(filter, NULL, NULL))
        return dec_fail(d, MQTT_ERR_SHARED_NO_LOCAL, at);
    return MQTT_OK;
}

/* Packet id and properties, common to both; leaves d->pos at the payload. */
static mqtt_err decode_head(decoder *d, mqtt_packet_type type, uint16_t *packet_id, mqtt_props *props)
{
    mqtt_err e = dec_packet_id(d, packet_id, dec_new_packet_id_rule(d));
    *props = (mqtt_props){NULL, 0};
    if (e == MQTT_OK && d->version == MQTT_V5)
        e = dec_props(d, type, props, NULL);
    return e;
}

/* The filters (each followed by an options byte when with_options) up to the packet's end. */
static mqtt_err decode_filters(decoder *d, bool with_options, mqtt_bytes *payload, uint32_t *count)
{
    const statement_pair utf8 = with_options ? subscribe_filter_utf8 : unsubscribe_filter_utf8;
    const uint8_t *start = d->pos;
    uint32_t n = 0;
    mqtt_err e;
    while (d->pos < d->end) {
        mqtt_bytes filter;
        if ((e = decode_filter(d, &filter, utf8)) != MQTT_OK)
            return e;
        const uint8_t *options_at = d->pos;
        uint8_t options;
        if (with_options &&
            ((e = dec_u8(d, &options)) != MQTT_OK || (e = check_options(d, filter, options, options_at)) != MQTT_OK))
            return e;
        n++;
    }
    *payload = (mqtt_bytes){start, (uint32_t)(d->pos - start)};
    *count = n;
    return n ? MQTT_OK : dec_fail_cited(d, MQTT_ERR_NO_TOPIC_FILTERS, d->pos, dec_pick(d, no_filters[!with_options]));
}

mqtt_err decode_subscribe(decoder *d, mqtt_packet *pkt)
{
    mqtt_subscribe *s = &pkt->u.subscribe;
    mqtt_err e = decode_head(d, MQTT_SUBSCRIBE, &s->packet_id, &s->props);
    return e != MQTT_OK ? e : decode_filters(d, true, &s->payload, &s->count);
}

mqtt_err decode_unsubscribe(decoder *d, mqtt_packet *pkt)
{
    mqtt_unsubscribe *u = &pkt->u.unsubscribe;
    mqtt_err e = decode_head(d, MQTT_UNSUBSCRIBE, &u->packet_id, &u->props);
    return e != MQTT_OK ? e : decode_filters(d, false, &u->payload, &u->count);
}
