/* Human-readable packet layout in the style of tshark -V: one summary line, then indented fields. */
#ifndef MQTK_PACKET_TEXT_H
#define MQTK_PACKET_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mqtt/codec.h"

void packet_text_write(FILE *out, const mqtt_packet *pkt, mqtt_version v, uint64_t offset, size_t length);

#endif
