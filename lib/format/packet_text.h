/* Human-readable packets: the one-line description, in two styles from one walk over the
 * packet-field table (lib/format/packet_fields.c), and the layout in the style of tshark -V (the
 * summary line, then indented fields). `mqtk decode` prints both; `mqtk pcap` prints the summary
 * line, and the fields with -V; `mqtk run` writes the script style in transcripts and evidence. */
#ifndef FMT_PACKET_TEXT_H
#define FMT_PACKET_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mqtt/codec.h"
#include "packet_fields.h"
#include "text_out.h"

typedef enum fmt_line_style {
    FMT_LINE_SUMMARY, /* PUBLISH (v5.0) qos=1 id=3 retain topic="a" payload=2 bytes: names for people */
    FMT_LINE_SCRIPT   /* PUBLISH qos=1 pid=3 dup=0 retain=1 topic="a" payload="hi": the names a script
                         matches (its alias), values as a script writes them */
} fmt_line_style;

enum { FMT_SCRIPT_BYTES_SHOWN = 80 }; /* bytes shown of a value in the script style */

/* A packet on one line, without its newline: its type (and, in the summary style, the version),
 * then the fields the table lists for the line (fmt_pf_line) that the packet carries in v. */
void fmt_packet_line(fmt_text_out *out, const mqtt_packet *pkt, mqtt_version v, fmt_line_style style);
/* A field's value in the script style: a number, bytes quoted (FMT_SCRIPT_BYTES_SHOWN at most
 * shown), codes as hex "00,80" ("(none)" when empty). */
void fmt_pf_write_value(fmt_text_out *out, const fmt_packet_field *f, const fmt_pf_value *v);
/* The indented field lines (offset and length first), each ending in a newline. */
void fmt_packet_text_fields(fmt_text_out *out, const mqtt_packet *pkt, mqtt_version v, uint64_t offset, size_t length);
/* The summary line, then the fields. */
void fmt_packet_text_write(fmt_text_out *out, const mqtt_packet *pkt, mqtt_version v, uint64_t offset, size_t length);

#endif
