/* PUBACK, PUBREC, PUBREL, PUBCOMP body: packet id; in 5.0 the shortest form that carries the
 * fields: the reason code only when it is not 0 or properties follow, the Property Length only when
 * there are properties. */
#include "encode_body.h"
#include "wire_write.h"

uint64_t enc_ack_size(const mqtt_packet *pkt, mqtt_version v)
{
    const mqtt_ack *ack = &pkt->u.ack;
    if (v != MQTT_V5 || (ack->reason_code == 0 && ack->props.len == 0))
        return 2u;
    if (ack->props.len == 0)
        return 3u;
    return 3u + wire_props_size(ack->props);
}

uint8_t *enc_ack_write(const mqtt_packet *pkt, mqtt_version v, uint8_t *p)
{
    const mqtt_ack *ack = &pkt->u.ack;
    p = wire_write_u16(p, ack->packet_id);
    if (v != MQTT_V5 || (ack->reason_code == 0 && ack->props.len == 0))
        return p;
    *p++ = ack->reason_code;
    if (ack->props.len == 0)
        return p;
    return wire_write_props(p, ack->props);
}
