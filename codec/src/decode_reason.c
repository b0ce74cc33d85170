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
        pkt->u.reason = (mqtt_reason_packet){0, {NULL, 0}};
        return dec_finish(d);
    }
    return dec_reason_tail(d, pkt->type, &pkt->u.reason.reason_code, &pkt->u.reason.props, &seen);
}

mqtt_err decode_auth(decoder *d, mqtt_packet *pkt)
{
    /* 3.15.2.1 lets the sender drop both code and property length, not the property length alone */
    if (pkt->remaining_length == 1)
        return dec_fail(d, MQTT_ERR_WRONG_REMAINING_LENGTH, d->start + 1);
    uint64_t seen;
    mqtt_err e = dec_reason_tail(d, pkt->type, &pkt->u.reason.reason_code, &pkt->u.reason.props, &seen);
    if (e == MQTT_OK && pkt->remaining_length > 0 && !(seen & PROP_SEEN(MQTT_PROP_AUTHENTICATION_METHOD)))
        return dec_fail(d, MQTT_ERR_AUTH_METHOD_MISSING, d->end - pkt->remaining_length + 1);
    return e;
}
