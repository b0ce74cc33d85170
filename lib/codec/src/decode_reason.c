/* Packets with no body (PINGREQ, PINGRESP, 3.x DISCONNECT) and the 5.0 reason-code packets
 * DISCONNECT and AUTH, whose reason code and properties may be left out together. */
#include "decode_internal.h"

mqtt_err decode_empty(decoder *d, mqtt_packet *pkt)
{
    (void)pkt;
    return dec_finish(d); /* the length table already holds these at 0 */
}

mqtt_err decode_disconnect(decoder *d, mqtt_packet *pkt)
{
    uint64_t seen;
    if (d->version != MQTT_V5) {
        pkt->u.reason = (mqtt_reason_packet){0, {NULL, 0}, MQTT_TAIL_SHORTEST};
        return dec_finish(d);
    }
    mqtt_reason_packet *r = &pkt->u.reason;
    return dec_reason_tail(d, pkt->type, &r->reason_code, &r->props, &r->tail, &seen);
}

mqtt_err decode_auth(decoder *d, mqtt_packet *pkt)
{
    /* 3.15.2.1 lets the sender drop both code and property length, not the property length alone */
    if (pkt->remaining_length == 1)
        return dec_fail(d, MQTT_ERR_WRONG_REMAINING_LENGTH, d->start + 1);
    uint64_t seen;
    mqtt_reason_packet *r = &pkt->u.reason;
    mqtt_err e = dec_reason_tail(d, pkt->type, &r->reason_code, &r->props, &r->tail, &seen);
    if (e == MQTT_OK && pkt->remaining_length > 0 && !(seen & PROP_SEEN(MQTT_PROP_AUTHENTICATION_METHOD)))
        return dec_fail(d, MQTT_ERR_AUTH_METHOD_MISSING, d->end - pkt->remaining_length + 1);
    return e;
}
