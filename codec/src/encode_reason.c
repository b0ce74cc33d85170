/* DISCONNECT and AUTH body (5.0; empty in 3.x): reason code and properties, each left out when the
 * standard lets a shorter form stand for it. DISCONNECT may stop after the reason code; AUTH may
 * not, so an AUTH that is not the bare success form carries a Property Length even when 0. */
#include "encode_body.h"
#include "wire_write.h"

static bool reason_bare(const mqtt_reason_packet *r)
{
    return r->reason_code == 0 && r->props.len == 0;
}

uint64_t enc_disconnect_size(const mqtt_packet *pkt, mqtt_version v)
{
    const mqtt_reason_packet *r = &pkt->u.reason;
    if (v != MQTT_V5 || reason_bare(r))
        return 0u;
    return r->props.len == 0 ? 1u : 1u + wire_props_size(r->props);
}

uint8_t *enc_disconnect_write(const mqtt_packet *pkt, mqtt_version v, uint8_t *p)
{
    const mqtt_reason_packet *r = &pkt->u.reason;
    if (v != MQTT_V5 || reason_bare(r))
        return p;
    *p++ = r->reason_code;
    return r->props.len == 0 ? p : wire_write_props(p, r->props);
}

uint64_t enc_auth_size(const mqtt_packet *pkt, mqtt_version v)
{
    const mqtt_reason_packet *r = &pkt->u.reason;
    if (v != MQTT_V5 || reason_bare(r))
        return 0u;
    return 1u + wire_props_size(r->props);
}

uint8_t *enc_auth_write(const mqtt_packet *pkt, mqtt_version v, uint8_t *p)
{
    const mqtt_reason_packet *r = &pkt->u.reason;
    if (v != MQTT_V5 || reason_bare(r))
        return p;
    *p++ = r->reason_code;
    return wire_write_props(p, r->props);
}
