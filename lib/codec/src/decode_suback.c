/* SUBACK and UNSUBACK: packet id, 5.0 properties, one code per filter. 3.x UNSUBACK is the packet
 * id alone (the length table fixes it at 2 bytes). */
#include "decode_internal.h"

mqtt_err decode_suback(decoder *d, mqtt_packet *pkt)
{
    mqtt_suback *s = &pkt->u.suback;
    mqtt_err e = dec_ack_packet_id(d, &s->packet_id, SUBSCRIBE_ACK_ID_RULE);
    s->props = (mqtt_props){NULL, 0};
    if (e == MQTT_OK && d->version == MQTT_V5)
        e = dec_props(d, pkt->type, &s->props, NULL);
    if (e != MQTT_OK)
        return e;
    s->reason_codes = (mqtt_bytes){d->pos, (uint32_t)dec_left(d)};
    const bool codes_expected = pkt->type == MQTT_SUBACK || d->version == MQTT_V5;
    if (!codes_expected)
        return MQTT_OK;
    if (s->reason_codes.len == 0)
        return dec_fail(d, MQTT_ERR_NO_REASON_CODES, d->pos);
    for (; d->pos < d->end; d->pos++)
        if ((e = dec_reason_check(d, pkt->type, *d->pos, d->pos)) != MQTT_OK)
            return e;
    return MQTT_OK;
}
