/* mqtkpcap — decode MQTT from captures: the public API of the capture reader.
 *
 * A capture (a file, standard input, or bytes in memory) is read through libpcap, each frame is
 * parsed down to TCP, every TCP connection is reassembled per direction, and the connections that
 * carry MQTT are cut into packets and decoded by the codec. Everything found is handed to the
 * caller's sink as an event, in capture order. Memory grows with the open connections, not with
 * the capture: a connection's state is freed when it closes. */
#ifndef CAP_PCAP_H
#define CAP_PCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mqtt/codec.h"
#include "ws/errors.h"

#define CAP_PCAP_MAX_PORTS 32
#define CAP_MQTT_PORT 1883

typedef struct cap_endpoint {
    uint8_t family;   /* 4 or 6 */
    uint8_t addr[16]; /* IPv4 in the first 4 bytes */
    uint16_t port;
} cap_endpoint;

typedef enum cap_version_source {
    CAP_VERSION_NONE = 0, /* nothing decoded yet */
    CAP_VERSION_CONNECT,  /* the stream's CONNECT announced it */
    CAP_VERSION_ASSUMED,  /* no CONNECT: 5.0 assumed, every packet so far decodes as 5.0 */
    CAP_VERSION_INFERRED  /* no CONNECT: a packet decoded as only one of 5.0 / 3.1.1 */
} cap_version_source;

/* What carries the stream's bytes. MQTT is decoded over TCP and over WebSocket; a TLS stream is
 * reported (version, server name, bytes) but its records are encrypted and not decoded. */
typedef enum cap_transport { CAP_TRANSPORT_TCP = 0, CAP_TRANSPORT_WEBSOCKET, CAP_TRANSPORT_TLS } cap_transport;

/* A WebSocket stream: what its opening handshake said and how many frames went each way. */
typedef struct cap_ws_info {
    char path[128];        /* the request target, cut to fit; empty when the request was not seen */
    char subprotocol[32];  /* selected by the server, else the first MQTT one offered */
    uint16_t status;       /* of the server's answer, 0 when not seen */
    uint64_t frames[2];    /* by direction (CAP_C2S / CAP_S2C), control frames included */
    uint64_t control_frames;
    uint64_t errors;       /* frames or handshakes breaking a rule */
    uint64_t unread_bytes; /* bytes not followed after an error or a gap */
} cap_ws_info;

/* A TLS stream: what the hellos say in clear. Versions are as on the wire (0x0303 is TLS 1.2). */
typedef struct cap_tls_info {
    uint16_t client_version;  /* the ClientHello's legacy version field */
    uint16_t offered_max;     /* the highest of supported_versions (TLS 1.3 clients), else 0 */
    uint16_t selected;        /* from the ServerHello (its supported_versions first), 0 when not seen */
    char sni[256];            /* server_name host_name, empty when absent; bytes outside printable ASCII as '?' */
    bool server_hello;
} cap_tls_info;

/* Per-direction index: [0] client to server, [1] server to client. */
enum { CAP_C2S = 0, CAP_S2C = 1 };

typedef struct cap_stream_stats {
    uint64_t packets[2];
    uint64_t malformed[2];
    uint64_t bytes[2];           /* reassembled stream bytes */
    uint64_t gaps, gap_bytes;    /* holes in the capture */
    uint64_t resyncs, skipped_bytes;
    uint64_t retransmitted_bytes;
    uint64_t first_frame, last_frame;
} cap_stream_stats;

typedef struct cap_stream_info {
    uint64_t id;                 /* 0, 1, …: order of first appearance, like tshark's tcp.stream */
    cap_endpoint client, server;
    bool roles_guessed;          /* neither a SYN nor a CONNECT said who is the client */
    bool mid_stream;             /* the capture starts after the connection's first bytes */
    mqtt_version version;        /* 0 while unknown */
    cap_version_source version_source;
    cap_stream_stats stats;
    cap_transport transport;
    cap_ws_info ws;   /* CAP_TRANSPORT_WEBSOCKET */
    cap_tls_info tls; /* CAP_TRANSPORT_TLS */
    uint32_t labels;  /* counts changes of client, server and transport: what a printer keeps of them
                         (its "#ID SRC -> DST" text) holds while this is the same */
} cap_stream_info;

typedef enum cap_event_kind {
    CAP_EV_PACKET,        /* a well-formed MQTT packet: packet, raw */
    CAP_EV_MALFORMED,     /* a packet breaking a rule: error, raw (raw_len 0 when it could not be framed) */
    CAP_EV_TRUNCATED,     /* the stream ended inside a packet: count bytes buffered, error.code truncated */
    CAP_EV_GAP,           /* count bytes missing from the capture at sequence number seq; dropped bytes of a
                              packet in progress were lost with them */
    CAP_EV_RESYNC,        /* looking for a packet boundary ended: skipped bytes (count); found says whether a
                              boundary was found or the stream ended first */
    CAP_EV_VERSION,       /* the stream's protocol version was assumed or inferred: message says why */
    CAP_EV_FRAME_WARNING, /* a frame that could not be read in full: message (stream may be NULL) */
    CAP_EV_TRANSPORT,     /* about the stream's transport: what (see cap_transport_what), message */
    CAP_EV_WS_ERROR,      /* a WebSocket frame or handshake breaking a rule: ws_error, raw (the frame
                              header or the HTTP block) */
    CAP_EV_STREAM_END     /* an MQTT stream closed or the capture ended: stream->stats are final */
} cap_event_kind;

typedef enum cap_transport_what {
    CAP_TR_WS_UPGRADE = 0, /* an HTTP Upgrade request or answer opened the WebSocket: stream->ws */
    CAP_TR_WS_CLOSE,       /* a close frame: close_code (0: none), text the reason */
    CAP_TR_WS_STOPPED,     /* the direction's frames are not followed any more: message says why */
    CAP_TR_TLS_HELLO,      /* a TLS ClientHello (or ServerHello): stream->tls */
    CAP_TR_TLS_END         /* the TLS stream ended: stream->stats.bytes */
} cap_transport_what;

typedef struct cap_event {
    cap_event_kind kind;
    uint64_t frame;                 /* 1-based frame number, as tshark counts */
    int64_t ts_sec;                 /* capture timestamp */
    uint32_t ts_nsec;
    const cap_stream_info *stream;  /* NULL only for frame warnings outside any stream */
    int dir;                        /* CAP_C2S / CAP_S2C, -1 for stream-level events */
    mqtt_version version;           /* PACKET / MALFORMED: the version the bytes were decoded as */
    const mqtt_packet *packet;      /* PACKET */
    const uint8_t *raw;             /* PACKET / MALFORMED: the packet's bytes */
    uint32_t raw_len;
    mqtt_error error;               /* MALFORMED / TRUNCATED */
    uint64_t count;                 /* GAP, RESYNC, TRUNCATED: bytes */
    uint64_t dropped;               /* GAP: buffered bytes of an unfinished packet thrown away */
    uint64_t offset;                /* PACKET, MALFORMED, TRUNCATED, GAP, RESYNC: position in the direction's
                                       byte stream (missing bytes counted), where the event's bytes start */
    uint32_t seq;                   /* GAP: relative sequence number when the SYN was seen, else absolute */
    bool found;                     /* RESYNC */
    const char *message;            /* RESYNC, VERSION, FRAME_WARNING, TRANSPORT: plain-words explanation */
    cap_transport_what what;        /* TRANSPORT */
    uint16_t close_code;            /* TRANSPORT WS_CLOSE */
    const uint8_t *text;            /* TRANSPORT WS_CLOSE: the reason (UTF-8, not NUL-terminated) */
    size_t text_len;
    ws_error ws_error;              /* WS_ERROR: offset from raw's first byte; ev.offset is the frame's
                                       position in the direction's TCP byte stream */
} cap_event;

typedef void (*cap_event_sink)(void *ctx, const cap_event *ev);

typedef struct cap_pcap_opts {
    uint16_t ports[CAP_PCAP_MAX_PORTS]; /* MQTT ports besides 1883 */
    size_t port_count;
    bool only_stream;                    /* decode only stream stream_id */
    uint64_t stream_id;
    size_t pending_limit;    /* out-of-order bytes kept per direction before a hole counts as a gap (0: 8 MiB) */
    uint32_t max_packet;     /* largest MQTT packet buffered for decoding (0: 64 MiB); larger ones are
                                reported packet_too_large and skipped */
    bool counts_only;        /* well-formed packets are counted in the totals but not handed to the
                                sink (a summary that reads nothing else of them) */
} cap_pcap_opts;

typedef struct cap_pcap_totals {
    uint64_t frames;
    uint64_t captured_bytes;
    uint64_t tcp_segments;
    uint64_t other_frames;      /* well-formed frames that are not TCP over IP */
    uint64_t frame_warnings;    /* frames cut by snaplen, fragments, broken headers */
    uint64_t streams;           /* TCP connections seen */
    uint64_t mqtt_streams;      /* over TCP or WebSocket */
    uint64_t websocket_streams; /* of them, over WebSocket */
    uint64_t tls_streams;       /* TLS: reported, not decoded */
    uint64_t ws_errors;
    uint64_t packets, malformed, truncated;
    uint64_t gaps, gap_bytes, resyncs;
    uint64_t type_counts[16];   /* well-formed packets by type */
    uint64_t first_frame_ts_sec; /* of frame 1 */
    uint32_t first_frame_ts_nsec;
    int linktype;
    bool damaged;               /* the file ended in the middle of a record, or read failed part-way */
    char damage[256];           /* what went wrong, naming the frame */
} cap_pcap_totals;

typedef enum cap_pcap_status {
    CAP_PCAP_OK = 0,        /* read to the end (see totals for findings and damage) */
    CAP_PCAP_UNREADABLE = 2 /* not a capture, unknown link type, cannot open: err says why */
} cap_pcap_status;

void cap_pcap_opts_init(cap_pcap_opts *opts);

/* Read a capture file (pcap or pcapng; "-" is standard input). */
cap_pcap_status cap_pcap_read_file(const char *path, const cap_pcap_opts *opts, cap_event_sink sink, void *ctx,
                                   cap_pcap_totals *totals, char *err, size_t errcap);

/* Read a capture held in memory: the entry point for fuzzing the reader and the reassembly. */
cap_pcap_status cap_pcap_read_buffer(const uint8_t *data, size_t len, const cap_pcap_opts *opts, cap_event_sink sink,
                                     void *ctx, cap_pcap_totals *totals, char *err, size_t errcap);

/* Time from capture timestamp a to b: sign, whole seconds, nanoseconds. Exact for any pair of
 * int64 seconds (pcapng timestamps with a large resolution or offset reach them), with no overflow.
 * Nanoseconds must be below 1e9, as the reader hands them out. */
typedef struct cap_time_span {
    bool negative;
    uint64_t sec;
    uint32_t nsec;
} cap_time_span;
cap_time_span cap_time_between(int64_t a_sec, uint32_t a_nsec, int64_t b_sec, uint32_t b_nsec);
/* The same as signed nanoseconds, saturated at INT64_MIN / INT64_MAX (about 292 years). */
int64_t cap_time_span_ns(cap_time_span span);

/* "10.0.0.1:1883" or "[::1]:1883" into buf. */
int cap_endpoint_format(const cap_endpoint *ep, char *buf, size_t cap);

#endif
