/* SUBSCRIBE, UNSUBSCRIBE, SUBACK and UNSUBACK share one body shape: packet id, properties (5.0),
 * then a list kept raw (subscriptions, filters or reason codes). 3.x UNSUBACK has no list. */
#include "encode_body.h"
#include "wire_write.h"

typedef struct id_list {
    uint16_t packet_id;
    mqtt_props props;
    mqtt_bytes list;
} id_list;

static id_list id_list_of(const mqtt_packet *pkt)
{
    switch (pkt->type) {
    case MQTT_SUBSCRIBE:
        return (id_list){pkt->u.subscribe.packet_id, pkt->u.subscribe.props, pkt->u.subscribe.payload};
    case MQTT_UNSUBSCRIBE:
        return (id_list){pkt->u.unsubscribe.packet_id, pkt->u.unsubscribe.props, pkt->u.unsubscribe.payload};
    default: /* SUBACK, UNSUBACK */
        return (id_list){pkt->u.suback.packet_id, pkt->u.suback.props, pkt->u.suback.reason_codes};
    }
}

uint64_t enc_id_list_size(const mqtt_packet *pkt, mqtt_version v)
{
    id_list l = id_list_of(pkt);
    return 2u + (v == MQTT_V5 ? wire_props_size(l.props) : 0u) + l.list.len;
}

uint8_t *enc_id_list_write(const mqtt_packet *pkt, mqtt_version v, uint8_t *p)
{
    id_list l = id_list_of(pkt);
    p = wire_write_u16(p, l.packet_id);
    if (v == MQTT_V5)
        p = wire_write_props(p, l.props);
    return wire_write_raw(p, l.list.data, l.list.len);
}

uint64_t enc_unsuback_size(const mqtt_packet *pkt, mqtt_version v)
{
    return v == MQTT_V5 ? enc_id_list_size(pkt, v) : 2u;
}

uint8_t *enc_unsuback_write(const mqtt_packet *pkt, mqtt_version v, uint8_t *p)
{
    return v == MQTT_V5 ? enc_id_list_write(pkt, v, p) : wire_write_u16(p, pkt->u.suback.packet_id);
}
