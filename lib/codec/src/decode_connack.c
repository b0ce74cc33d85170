/* CONNACK: acknowledge flags, return / reason code, 5.0 properties. */
#include "decode_internal.h"

enum { SESSION_PRESENT = 0x01 };

mqtt_err decode_connack(decoder *d, mqtt_packet *pkt)
{
    mqtt_connack *c = &pkt->u.connack;
    const uint8_t *flags_at = d->pos;
    const uint8_t flags = flags_at[0], code = flags_at[1]; /* the length table guarantees both */
    d->pos += 2;
    /* Bits 7-1 are reserved. 3.1 calls the whole byte reserved and unused but sets no value for it;
     * brokers that also speak 3.1.1 put Session Present in bit 0 for 3.1 clients too (aedes 1.2),
     * so 3.1 reads the byte as 3.1.1 does. */
    if (flags & (uint8_t)~SESSION_PRESENT)
        return dec_fail(d, MQTT_ERR_CONNACK_RESERVED_FLAGS, flags_at);
    mqtt_err e = dec_reason_check(d, MQTT_CONNACK, code, flags_at + 1);
    if (e != MQTT_OK)
        return e;
    if ((flags & SESSION_PRESENT) && code != 0)
        return dec_fail(d, MQTT_ERR_SESSION_PRESENT_ON_ERROR, flags_at);
    c->session_present = flags & SESSION_PRESENT;
    c->reason_code = code;
    c->props = (mqtt_props){NULL, 0};
    if (d->version == MQTT_V5 && (e = dec_props(d, MQTT_CONNACK, &c->props, NULL)) != MQTT_OK)
        return e;
    return dec_finish(d);
}
