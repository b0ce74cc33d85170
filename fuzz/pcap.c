/* mqtk fuzz target "pcap": the capture reader, the link/IP/TCP parsers, TCP reassembly and MQTT stream
 * decoding (lib/capture/), fed a whole capture file from memory through cap_pcap_read_buffer.
 * Input: the bytes of a pcap or pcapng file (the seeds are the committed captures). An odd-sized
 * input is read with small limits (4 KiB of out-of-order bytes per direction, 64 KiB packets), so
 * the gap-by-limit and packet_too_large paths are reached by short inputs too.
 * Checked for every event: a packet's bytes re-decode, as the version and direction it was decoded
 * with, to a packet of the same type and exactly raw_len bytes; errors are real codes; gaps are not
 * empty; directions and streams are set as documented; frames never go backwards. At the end the
 * totals agree with the events counted.
 * MQTK_FUZZ_LINK: lib/capture lib/ws lib/base
 * MQTK_FUZZ_LIBS: -lpcap
 * MQTK_FUZZ_CORPUS: tests/data/pcaps/crafted tests/data/pcaps/real
 * MQTK_FUZZ_MAX_LEN: 65536 */
#include <string.h>

#include "fuzz_support.h"
#include "fuzz_target.h"
#include "capture/capture.h"

typedef struct seen {
    uint64_t by_kind[CAP_EV_STREAM_END + 1];
    uint64_t last_frame;
} seen;

static void check_packet(const cap_event *ev)
{
    FUZZ_REQUIRE(ev->packet && ev->raw && ev->raw_len >= 2, "packet event without a packet or its bytes");
    FUZZ_REQUIRE(ev->packet->type == ev->raw[0] >> 4, "packet type %u but first byte 0x%02x",
                 (unsigned)ev->packet->type, ev->raw[0]);
    mqtt_decode_opts o = {.version = ev->version, .direction = ev->dir == CAP_C2S ? MQTT_DIR_TO_SERVER : MQTT_DIR_TO_CLIENT};
    mqtt_packet again;
    mqtt_frame fr;
    mqtt_result r = mqtt_decode(ev->raw, ev->raw_len, &o, &again, &fr);
    FUZZ_REQUIRE(r == MQTT_COMPLETE && fr.packet_len == ev->raw_len && again.type == ev->packet->type,
                 "frame %llu: a reported packet (%u bytes) does not re-decode as itself",
                 (unsigned long long)ev->frame, (unsigned)ev->raw_len);
}

static void check_event(void *ctx, const cap_event *ev)
{
    seen *s = ctx;
    FUZZ_REQUIRE(ev->kind <= CAP_EV_STREAM_END, "event kind %d", (int)ev->kind);
    s->by_kind[ev->kind]++;
    FUZZ_REQUIRE(ev->frame >= s->last_frame, "frame %llu after frame %llu", (unsigned long long)ev->frame,
                 (unsigned long long)s->last_frame);
    s->last_frame = ev->frame;
    FUZZ_REQUIRE(ev->dir >= -1 && ev->dir <= 1, "direction %d", ev->dir);
    FUZZ_REQUIRE(ev->stream || ev->kind == CAP_EV_FRAME_WARNING, "event kind %d without a stream", (int)ev->kind);
    switch (ev->kind) {
    case CAP_EV_PACKET:
        FUZZ_REQUIRE(ev->dir >= 0, "a packet without a direction");
        check_packet(ev);
        break;
    case CAP_EV_MALFORMED:
    case CAP_EV_TRUNCATED:
        FUZZ_REQUIRE(ev->error.code > MQTT_OK && ev->error.code < MQTT_ERR_COUNT, "error code %d",
                     (int)ev->error.code);
        FUZZ_REQUIRE(ev->raw_len == 0 || ev->raw, "malformed bytes missing");
        break;
    case CAP_EV_GAP:
        FUZZ_REQUIRE(ev->count > 0, "an empty gap");
        break;
    case CAP_EV_RESYNC:
    case CAP_EV_VERSION:
    case CAP_EV_FRAME_WARNING:
        FUZZ_REQUIRE(ev->message && *ev->message, "event kind %d without a message", (int)ev->kind);
        break;
    case CAP_EV_TRANSPORT:
        FUZZ_REQUIRE(ev->message && *ev->message, "a transport event without a message");
        FUZZ_REQUIRE(ev->stream->transport != CAP_TRANSPORT_TCP, "a transport event on a plain TCP stream");
        break;
    case CAP_EV_WS_ERROR:
        FUZZ_REQUIRE(ev->ws_error.code > WS_OK && ev->ws_error.code < WS_ERR_COUNT, "WebSocket error code %d",
                     (int)ev->ws_error.code);
        FUZZ_REQUIRE(ev->stream->transport == CAP_TRANSPORT_WEBSOCKET, "a WebSocket error on another transport");
        break;
    case CAP_EV_STREAM_END:
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cap_pcap_opts opts;
    cap_pcap_opts_init(&opts);
    opts.ports[opts.port_count++] = 17501; /* a non-standard MQTT port of the shared captures */
    if (size & 1) {
        opts.pending_limit = 4096;
        opts.max_packet = 65536;
    }
    seen s;
    memset(&s, 0, sizeof s);
    cap_pcap_totals totals;
    char err[256];
    cap_pcap_status st = cap_pcap_read_buffer(data, size, &opts, check_event, &s, &totals, err, sizeof err);
    if (st != CAP_PCAP_OK) {
        FUZZ_REQUIRE(st == CAP_PCAP_UNREADABLE && err[0], "status %d without a reason", (int)st);
        return 0;
    }
    FUZZ_REQUIRE(totals.packets == s.by_kind[CAP_EV_PACKET], "totals say %llu packets, %llu reported",
                 (unsigned long long)totals.packets, (unsigned long long)s.by_kind[CAP_EV_PACKET]);
    FUZZ_REQUIRE(totals.malformed == s.by_kind[CAP_EV_MALFORMED] && totals.truncated == s.by_kind[CAP_EV_TRUNCATED] &&
                     totals.gaps == s.by_kind[CAP_EV_GAP],
                 "totals disagree with the malformed / truncated / gap events");
    FUZZ_REQUIRE(totals.mqtt_streams <= totals.streams, "more MQTT streams than streams");
    FUZZ_REQUIRE(s.last_frame <= totals.frames, "an event names frame %llu of %llu", (unsigned long long)s.last_frame,
                 (unsigned long long)totals.frames);
    return 0;
}
