/* PUBLISH: fixed header flags, variable header (topic name, packet id when QoS > 0, properties in
 * 5.0) and the payload, which has no length prefix: the Remaining Length bounds it. */
#include "encode_body.h"
#include "props_quick.h"
#include "text_scan.h"
#include "wire_write.h"

uint8_t enc_publish_byte0(const mqtt_publish *pub)
{
    return (uint8_t)(MQTT_PUBLISH << 4 | (unsigned)pub->dup << 3 | (pub->qos & 3u) << 1 | (unsigned)pub->retain);
}

uint64_t enc_publish_varhdr_size(const mqtt_publish *pub, mqtt_version v)
{
    uint64_t n = wire_prefixed_size(pub->topic) + (pub->qos ? 2u : 0u);
    if (v == MQTT_V5)
        n += wire_props_size(pub->props);
    if (pub->qos > 3u) /* two bits in the fixed header */
        n += WIRE_UNENCODABLE;
    return n;
}

uint8_t *enc_publish_varhdr_write(const mqtt_publish *pub, mqtt_version v, uint8_t *p)
{
    p = wire_write_prefixed(p, pub->topic);
    if (pub->qos)
        p = wire_write_u16(p, pub->packet_id);
    if (v == MQTT_V5)
        p = wire_write_props(p, pub->props);
    return p;
}

uint64_t enc_publish_size(const mqtt_packet *pkt, mqtt_version v)
{
    return enc_publish_varhdr_size(&pkt->u.publish, v) + pkt->u.publish.payload.len;
}

uint8_t *enc_publish_write(const mqtt_packet *pkt, mqtt_version v, uint8_t *p)
{
    const mqtt_publish *pub = &pkt->u.publish;
    p = enc_publish_varhdr_write(pub, v, p);
    return wire_write_raw(p, pub->payload.data, pub->payload.len);
}

bool enc_publish_surely_valid(const mqtt_publish *pub, mqtt_version v, mqtt_direction direction)
{
    if (pub->qos > 2 || (pub->dup && pub->qos == 0) || (pub->qos && pub->packet_id == 0) || pub->topic.len == 0)
        return false; /* (an empty topic may be fine with a Topic Alias: the decoder judges) */
    if (text_unusual(pub->topic.data, pub->topic.len, true))
        return false;
    return v != MQTT_V5 || pub->props.len == 0 ||
           props_surely_valid(pub->props.data, pub->props.data + pub->props.len, MQTT_PUBLISH, direction, NULL);
}
