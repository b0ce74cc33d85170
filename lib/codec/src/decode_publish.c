/* PUBLISH: the hot path. Flags from the fixed header, topic, packet id when QoS > 0, 5.0
 * properties, payload to the end. */
#include "decode_internal.h"

static const statement_pair topic_utf8 = {"MQTT-3.3.2-1", "MQTT-3.3.2-1"};

mqtt_err decode_publish(decoder *d, mqtt_packet *pkt)
{
    mqtt_publish *p = &pkt->u.publish;
    const unsigned flags = pkt->flags;
    p->dup = flags & 0x08u;
    p->qos = (uint8_t)((flags >> 1) & 3u);
    p->retain = flags & 0x01u;
    if (p->qos == 3)
        return dec_fail(d, MQTT_ERR_PUBLISH_QOS_3, d->start);
    if (p->dup && p->qos == 0)
        return dec_fail(d, MQTT_ERR_PUBLISH_DUP_QOS_0, d->start);

    const uint8_t *topic_at = d->pos;
    mqtt_err e = dec_text(d, &p->topic, topic_utf8, true);
    if (e != MQTT_OK)
        return e;
    p->packet_id = 0;
    if (p->qos > 0 && (e = dec_packet_id(d, &p->packet_id, dec_new_packet_id_rule(d))) != MQTT_OK)
        return e;
    uint64_t seen = 0;
    p->props = (mqtt_props){NULL, 0};
    if (d->version == MQTT_V5 && (e = dec_props_hot(d, MQTT_PUBLISH, &p->props, &seen)) != MQTT_OK)
        return e;
    /* 5.0 lets a Topic Alias stand in for an empty topic */
    if (p->topic.len == 0 && !(seen & PROP_SEEN(MQTT_PROP_TOPIC_ALIAS)))
        return dec_fail(d, MQTT_ERR_TOPIC_EMPTY, topic_at);
    p->payload = (mqtt_bytes){d->pos, (uint32_t)dec_left(d)};
    d->pos = d->end;
    return MQTT_OK;
}
