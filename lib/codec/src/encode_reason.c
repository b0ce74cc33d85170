/* DISCONNECT and AUTH body (5.0; empty in 3.x): the reason-code tail, as short as the fields and the
 * packet's tail allow. DISCONNECT may stop after the reason code; AUTH may not, so an AUTH that is
 * not the bare success form carries a Property Length even when 0. The acknowledgements share the
 * tail writer. */
#include "encode_body.h"
#include "wire_write.h"

uint64_t enc_tail_size(mqtt_tail t, mqtt_props props)
{
    if (t == MQTT_TAIL_SHORTEST)
        return 0u;
    return t == MQTT_TAIL_REASON ? 1u : 1u + wire_props_size(props);
}

uint8_t *enc_tail_write(mqtt_tail t, uint8_t reason_code, mqtt_props props, uint8_t *p)
{
    if (t == MQTT_TAIL_SHORTEST)
        return p;
    *p++ = reason_code;
    return t == MQTT_TAIL_REASON ? p : wire_write_props(p, props);
}

/* The tail a DISCONNECT (code_alone) or AUTH is written with. */
static mqtt_tail reason_tail(const mqtt_packet *pkt, mqtt_version v, bool code_alone)
{
    const mqtt_reason_packet *r = &pkt->u.reason;
    return v == MQTT_V5 ? enc_tail(r->tail, r->reason_code, r->props, code_alone) : MQTT_TAIL_SHORTEST;
}

uint64_t enc_disconnect_size(const mqtt_packet *pkt, mqtt_version v)
{
    return enc_tail_size(reason_tail(pkt, v, true), pkt->u.reason.props);
}

uint8_t *enc_disconnect_write(const mqtt_packet *pkt, mqtt_version v, uint8_t *p)
{
    const mqtt_reason_packet *r = &pkt->u.reason;
    return enc_tail_write(reason_tail(pkt, v, true), r->reason_code, r->props, p);
}

uint64_t enc_auth_size(const mqtt_packet *pkt, mqtt_version v)
{
    return enc_tail_size(reason_tail(pkt, v, false), pkt->u.reason.props);
}

uint8_t *enc_auth_write(const mqtt_packet *pkt, mqtt_version v, uint8_t *p)
{
    const mqtt_reason_packet *r = &pkt->u.reason;
    return enc_tail_write(reason_tail(pkt, v, false), r->reason_code, r->props, p);
}
