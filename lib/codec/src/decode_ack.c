/* PUBACK, PUBREC, PUBREL, PUBCOMP. 3.x: packet id only (the length table fixes 2 bytes). 5.0:
 * Remaining Length 2 means success without properties, 3 a reason code alone, 4+ code and
 * properties. */
#include "decode_internal.h"

mqtt_err decode_ack(decoder *d, mqtt_packet *pkt)
{
    mqtt_ack *a = &pkt->u.ack;
    mqtt_err e = dec_ack_packet_id(d, &a->packet_id, PUBLISH_ACK_ID_RULE);
    if (e != MQTT_OK)
        return e;
    uint64_t seen;
    return dec_reason_tail(d, pkt->type, &a->reason_code, &a->props, &a->tail, &seen);
}
