/* CONNACK body: acknowledge flags, return / reason code, and (5.0) properties. */
#include "encode_body.h"
#include "wire_write.h"

uint64_t enc_connack_size(const mqtt_packet *pkt, mqtt_version v)
{
    return 2u + (v == MQTT_V5 ? wire_props_size(pkt->u.connack.props) : 0u);
}

uint8_t *enc_connack_write(const mqtt_packet *pkt, mqtt_version v, uint8_t *p)
{
    const mqtt_connack *ca = &pkt->u.connack;
    *p++ = (uint8_t)ca->session_present;
    *p++ = ca->reason_code;
    if (v == MQTT_V5)
        p = wire_write_props(p, ca->props);
    return p;
}
