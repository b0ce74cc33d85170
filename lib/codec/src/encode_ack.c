/* PUBACK, PUBREC, PUBREL, PUBCOMP body: packet id; in 5.0 then the reason-code tail, as short as the
 * fields and the packet's tail allow: the reason code only when it is not 0, properties follow or
 * the tail asks for it, the Property Length only when there are properties or the tail asks for it. */
#include "encode_body.h"
#include "wire_write.h"

static mqtt_tail ack_tail(const mqtt_ack *ack, mqtt_version v)
{
    return v == MQTT_V5 ? enc_tail(ack->tail, ack->reason_code, ack->props, true) : MQTT_TAIL_SHORTEST;
}

uint64_t enc_ack_size(const mqtt_packet *pkt, mqtt_version v)
{
    const mqtt_ack *ack = &pkt->u.ack;
    return 2u + enc_tail_size(ack_tail(ack, v), ack->props);
}

uint8_t *enc_ack_write(const mqtt_packet *pkt, mqtt_version v, uint8_t *p)
{
    const mqtt_ack *ack = &pkt->u.ack;
    p = wire_write_u16(p, ack->packet_id);
    return enc_tail_write(ack_tail(ack, v), ack->reason_code, ack->props, p);
}
