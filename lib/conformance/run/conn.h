/* One test connection to the broker over lib/net's transport (TCP, TLS, WebSocket), every wait bounded by a deadline,
 * incoming bytes framed and decoded by the codec into a queue of packets, and a transcript line
 * for everything sent and received. */
#ifndef CR_CONN_H
#define CR_CONN_H

#include <stdbool.h>
#include <stdint.h>

#include "mqtt/codec.h"
#include "base/strbuf.h"
#include "conformance/script/model.h"
#include "net/transport.h"
#include "aliases.h"
#include "quota.h"

typedef struct cr_rx_packet {
    uint8_t *bytes;
    size_t len;
    mqtt_packet pkt; /* views into bytes (a PUBLISH's topic into `topic` when an alias stood for it) */
    uint8_t *topic;  /* the Topic Name a Topic Alias stood for (owned; NULL: none) */
    bool consumed;   /* an expectation has taken it */
    int64_t at_ms;   /* when it arrived (base_now_ms): judged by arrival, not by when the script looked */
} cr_rx_packet;

typedef enum cr_conn_state {
    CR_CONN_IDLE = 0, /* never opened, or closed by the test */
    CR_CONN_OPEN,
    CR_CONN_PEER_CLOSED, /* the broker closed (or reset) it */
    CR_CONN_BROKEN       /* the broker sent bytes the codec rejects; reading stopped */
} cr_conn_state;

typedef struct cr_transcript {
    base_strbuf text;
    int64_t t0;
} cr_transcript;

typedef struct cr_conn {
    const char *name;
    net_conn *net;          /* NULL when not open */
    cr_conn_state state;
    mqtt_version version;
    char why[320];          /* PEER_CLOSED / BROKEN: what happened */
    int64_t closed_at_ms;   /* PEER_CLOSED / BROKEN: when */
    const char *violation;  /* BROKEN by a broker's packet: the statement it breaks (NULL: none named) */
    bool violated;          /* BROKEN because the broker broke a rule (not by a flood cap) */
    mqtt_err violation_err; /* BROKEN by a malformed packet: the codec's rule (MQTT_OK otherwise) */
    uint8_t violation_type; /* and that packet's type (0 when it did not frame) */
    size_t rx_bytes;        /* bytes kept in rx, for the flood caps */
    uint8_t *rbuf;
    size_t rlen, rcap;
    cr_rx_packet *rx;
    size_t nrx, rxcap;
    uint16_t next_pid;
    uint32_t max_packet_size; /* announced in our CONNECT (0: none): the broker must stay within it */
    uint16_t topic_alias_max; /* announced in our CONNECT: the broker's aliases must not exceed it */
    cr_aliases aliases;       /* the broker's Topic Alias mappings on this network connection */
    cr_quota quota;           /* our unacknowledged QoS 1/2 PUBLISHes against the broker's Receive Maximum */
    uint32_t broker_max_packet; /* the Maximum Packet Size of the broker's CONNACK (0: none) */
    uint32_t asked_expiry;    /* the Session Expiry Interval of our CONNECT */
    uint32_t granted_expiry;  /* and the one the broker's CONNACK leaves (its own when it sends one) */
    uint16_t zero_id_answers; /* bit per packet type that may echo a Packet Identifier 0 we sent */
    bool any_connack_format;  /* our CONNECT named another protocol level: read its CONNACK in either format */
    /* how sends are framed over WebSocket (ws steps; kept across reopening) */
    bool ws_framed;           /* a ws step set them (until then the run's --ws-frame applies) */
    unsigned ws_split;        /* payload bytes a frame (0: one frame a send) */
    bool ws_fragment;         /* split as one fragmented message */
    bool ws_hold, ws_text;
    cr_transcript *log;
} cr_conn;

/* What one connection keeps of what the broker sends: past either cap the broker is flooding, and
 * the connection is broken with a finding instead of memory growing without bound. */
enum { CR_CONN_MAX_PACKETS = 2000, CR_CONN_MAX_BYTES = 2 * 1024 * 1024 };

/* Whether a packet may go out within what the broker's 5.0 CONNACK set (with why when not). */
typedef enum cr_send_check {
    CR_SEND_OK,
    CR_SEND_OVER_QUOTA, /* one QoS 1/2 PUBLISH more than its Receive Maximum [MQTT-3.3.4-7]: the test's bug */
    CR_SEND_TOO_LARGE   /* over its Maximum Packet Size [MQTT-3.2.2-15]: the test cannot run on this broker */
} cr_send_check;
cr_send_check cr_conn_check_send(cr_conn *c, const uint8_t *bytes, size_t len, base_strbuf *why);
/* After a 5.0 CONNACK accepting our CONNECT: true (with why) when the broker cut the Session Expiry
 * Interval the CONNECT asked for (5.0 lets it, section 3.2.2.3.2): the session may end before the
 * test is done with it. */
bool cr_conn_session_cut(const cr_conn *c, base_strbuf *why);

/* Append a timestamped line to the transcript. */
void cr_log(cr_transcript *log, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void cr_conn_init(cr_conn *c, const char *name, cr_transcript *log);
/* What the client announced in CONNECT, which every packet received afterwards is held to. */
void cr_conn_set_limits(cr_conn *c, uint32_t max_packet_size, uint16_t topic_alias_max, uint32_t session_expiry);
/* Connect to target (and through its TLS / WebSocket handshakes) before deadline. -1 with a message in
 * err on failure. Drops old packets. */
int cr_conn_open(cr_conn *c, const net_target *target, mqtt_version version, int64_t deadline, base_strbuf *err);
/* Send all bytes before deadline. Returns 0 when sent, 1 when the broker had already closed the
 * connection (noted in the transcript), -1 with err on a timeout. */
int cr_conn_send(cr_conn *c, const uint8_t *bytes, size_t len, int64_t deadline, base_strbuf *err);
/* Read whatever arrives until at least one event (a packet, a close) or the deadline. Returns true
 * when something happened. */
bool cr_conn_wait(cr_conn *c, int64_t deadline);
/* A ws step: change how later sends are framed over WebSocket (kept across reopening), or flush the
 * held bytes. -1 with err when the flush times out. */
int cr_conn_ws(cr_conn *c, cs_ws_action action, unsigned size, int64_t deadline, base_strbuf *err);
/* Stop sending, then wait (until deadline) for the broker to close its side. */
void cr_conn_half_close(cr_conn *c, int64_t deadline);
/* Drop the connection at once (no DISCONNECT). */
void cr_conn_close(cr_conn *c);
/* Close it with a TCP reset (net_close_reset): no TIME_WAIT left on this side. */
void cr_conn_close_reset(cr_conn *c);
void cr_conn_free(cr_conn *c);

#endif
