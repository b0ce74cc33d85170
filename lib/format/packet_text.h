/* Human-readable packet layout in the style of tshark -V: one summary line, then indented fields.
 * `mqtk decode` prints both; `mqtk pcap` prints the summary line, and the fields with -V. */
#ifndef FMT_PACKET_TEXT_H
#define FMT_PACKET_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mqtt/codec.h"
#include "text_out.h"

/* The summary line, without its newline. */
void fmt_packet_text_summary(fmt_text_out *out, const mqtt_packet *pkt, mqtt_version v);
/* The indented field lines (offset and length first), each ending in a newline. */
void fmt_packet_text_fields(fmt_text_out *out, const mqtt_packet *pkt, mqtt_version v, uint64_t offset, size_t length);
/* The summary line, then the fields. */
void fmt_packet_text_write(fmt_text_out *out, const mqtt_packet *pkt, mqtt_version v, uint64_t offset, size_t length);

#endif
