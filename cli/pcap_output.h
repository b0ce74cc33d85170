/* Output of `mqtk pcap`: per-event lines (text, or JSON Lines) and the --summary report. The
 * per-packet part reuses the packet printers of lib/format (lib/format/packet_text.c, lib/format/packet_json.c). */
#ifndef MQTK_PCAP_OUTPUT_H
#define MQTK_PCAP_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "capture/capture.h"

/* What every event of one stream in one direction repeats, kept as the printer wrote it the first
 * time: the text listing's "#ID   SRC -> DST C->S ", the JSON members from "stream" to "dst". A
 * listing writes it for every packet, for a few hundred open streams at a time; copied, it costs a
 * tenth of formatting it. Slot (id * 2 + dir) mod PCAP_STREAM_SLOTS; a slot holds its text only for
 * the same stream and direction while the stream's transport and endpoints are unchanged (roles may
 * be learnt after a stream's first event): its labels count is the same. */
enum { PCAP_STREAM_SLOTS = 2048, PCAP_STREAM_TEXT = 176 };
typedef struct pcap_stream_slot {
    uint64_t id;
    uint32_t labels; /* cap_stream_info.labels when the text was kept */
    int dir;
    uint8_t len; /* 0: empty */
    char text[PCAP_STREAM_TEXT];
} pcap_stream_slot;

typedef struct pcap_printer {
    FILE *out;
    const cap_pcap_totals *totals;  /* for the time of frame 1 */
    struct fmt_text_out *text;      /* the text listing's buffer, written out to `out` */
    bool verbose;                   /* text: every field of each packet under its line */
    struct fmt_json_writer *json;   /* --json: one buffer for every event, flushed when large */
    pcap_stream_slot *streams;      /* PCAP_STREAM_SLOTS of them, or NULL: format every time */
} pcap_printer;

/* Event sinks (ctx: a pcap_printer). STREAM_END is not printed per event. */
void pcap_print_text(void *ctx, const cap_event *ev);
void pcap_print_json(void *ctx, const cap_event *ev);
/* Write out what the printer holds (call before anything else goes to p->out or stderr). */
void pcap_printer_flush(pcap_printer *p);

/* Time since frame 1 as "S.UUUUUU", and the absolute timestamp as "S.NNNNNNNNN" (both
 * NUL-terminated; abs NULL: not wanted); returns the length of the first. */
size_t pcap_format_time(const cap_pcap_totals *t, const cap_event *ev, char *rel, size_t rel_cap, char *abs,
                        size_t abs_cap);
/* ep as text ("10.0.0.1:1883", "[::1]:1883") written into scratch; *len its length. */
const char *pcap_endpoint_text(const cap_endpoint *ep, char scratch[64], size_t *len);
/* The slot for the event's stream and direction (NULL: not kept, as for stream-level events, or
 * no cache); *held whether its text is the one the event needs. When not, the caller writes the
 * text and hands it to pcap_stream_keep. */
pcap_stream_slot *pcap_stream_find(const pcap_printer *p, const cap_event *ev, bool *held);
/* Keep the n bytes at text in slot for the event's stream and direction (not when they do not fit). */
void pcap_stream_keep(pcap_stream_slot *slot, const cap_event *ev, const char *text, size_t n);
/* The endpoint that sent the event's bytes and the one they went to (client/server for dir -1). */
void pcap_event_endpoints(const cap_event *ev, const cap_endpoint **src, const cap_endpoint **dst);
/* "version_source" spelling: "connect", "assumed", "inferred", "none". */
const char *pcap_version_source_name(cap_version_source s);
/* "tcp", "websocket", "tls". */
const char *pcap_transport_name(cap_transport t);

/* One stream's closing statistics as a JSON object (for the JSON summary). */
struct fmt_json_writer;
void pcap_json_stream(struct fmt_json_writer *w, const cap_stream_info *info);

/* --summary: collects while the capture is read, prints at the end. */
typedef struct pcap_summary pcap_summary;
pcap_summary *pcap_summary_new(FILE *warnings);
void pcap_summary_event(void *ctx, const cap_event *ev); /* sink; ctx: the pcap_summary */
void pcap_summary_print(const pcap_summary *s, const cap_pcap_totals *t, const char *path, bool json, FILE *out);
void pcap_summary_free(pcap_summary *s);

#endif
