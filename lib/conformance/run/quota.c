#include "quota.h"

#include <string.h>

void cr_quota_reset(cr_quota *q)
{
    memset(q, 0, sizeof *q);
}

void cr_quota_connack(cr_quota *q, const mqtt_connack *ack)
{
    mqtt_property pr;
    if (ack->reason_code != 0)
        return;
    q->max = mqtt_props_find(ack->props, MQTT_PROP_RECEIVE_MAXIMUM, &pr) ? (uint16_t)pr.value : 65535;
}

static int find(const cr_quota *q, uint16_t id)
{
    for (int i = 0; i < q->n; i++)
        if (q->ids[i] == id)
            return i;
    return -1;
}

bool cr_quota_take(cr_quota *q, uint16_t packet_id)
{
    if (q->lost || find(q, packet_id) >= 0)
        return true;
    if (q->max && q->n >= q->max)
        return false;
    if (q->n == CR_QUOTA_TRACKED) {
        q->lost = true;
        return true;
    }
    q->ids[q->n++] = packet_id;
    return true;
}

void cr_quota_on_ack(cr_quota *q, const mqtt_packet *p)
{
    uint16_t id;
    switch (p->type) {
    case MQTT_PUBACK:
    case MQTT_PUBCOMP:
        id = p->u.ack.packet_id;
        break;
    case MQTT_PUBREC:
        if (p->u.ack.reason_code < 0x80)
            return; /* still in flight until PUBCOMP */
        id = p->u.ack.packet_id;
        break;
    default:
        return;
    }
    int i = find(q, id);
    if (i >= 0)
        q->ids[i] = q->ids[--q->n];
}
