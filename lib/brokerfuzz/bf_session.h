/* A fuzzing session: the packets several clients send, in order, as bytes. The generator builds
 * them valid, the mutators change fields, bytes or order, the executor plays them, the minimizer
 * removes what a finding does not need, and the writers turn them into a script and a pcap. */
#ifndef BF_SESSION_H
#define BF_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mqtt/codec.h"

enum { BF_MAX_CLIENTS = 4, BF_MAX_STEPS = 40, BF_MAX_STEP_BYTES = 600 };

typedef enum bf_step_kind {
    BF_SEND = 0, /* write bytes (a CONNECT on a closed connection opens a new one first) */
    BF_DROP      /* close the TCP connection without DISCONNECT (the will fires) */
} bf_step_kind;

typedef struct bf_step {
    uint8_t client;   /* connection index */
    uint8_t kind;     /* bf_step_kind */
    uint8_t type;     /* the packet type meant (the bytes may say otherwise once mutated) */
    uint8_t mutation; /* bf_mutation applied to this step (0: none) */
    uint8_t splits;   /* 0/1: one write; n: the bytes go out in n writes */
    uint16_t len;
    uint8_t bytes[BF_MAX_STEP_BYTES];
} bf_step;

typedef struct bf_session {
    mqtt_version version;
    uint32_t tag;     /* unique per generated session: client ids and topics carry it */
    uint8_t nclients; /* connections 0..nclients-1 */
    uint16_t nsteps;
    bf_step steps[BF_MAX_STEPS];
} bf_session;

/* Append a step encoding pkt (checked unless unchecked). false when it does not fit or the codec
 * refuses it. */
bool bf_session_add_packet(bf_session *s, uint8_t client, const mqtt_packet *pkt, bool unchecked);
bool bf_session_add_drop(bf_session *s, uint8_t client);
/* Copy src into dst: the header and the steps in use only (a session is mostly unused step slots, and
 * copying whole ones into and out of the corpus was a third of the fuzzer's own instructions). */
void bf_session_copy(bf_session *dst, const bf_session *src);
/* Remove step i. */
void bf_session_remove(bf_session *s, size_t i);
/* Total bytes the session sends. */
size_t bf_session_bytes(const bf_session *s);
/* Connections the session uses (the highest client index + 1). */
unsigned bf_session_clients_used(const bf_session *s);

/* Give the session a new tag: its client ids and topics (which carry the tag as 8 hex digits) change
 * with it, so a session played again meets none of the state (retained messages, persistent
 * sessions) its earlier plays left in the broker. */
void bf_session_retag(bf_session *s, uint32_t tag);
/* Renumber the connections in order of first use (after the minimizer dropped some). */
void bf_session_compact_clients(bf_session *s);

/* Decode a step's bytes as the broker must read them (strict, client to server). MQTT_COMPLETE
 * with *used the bytes of the first packet; MQTT_NEED_MORE when they stop short of a packet. */
mqtt_result bf_step_decode(const bf_session *s, const bf_step *st, mqtt_packet *pkt, mqtt_frame *frame);

#endif
