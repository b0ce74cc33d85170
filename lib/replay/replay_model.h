/* mqtk replay — the session model: a capture read into client sessions and their packets.
 *
 * Every MQTT packet of a replayable stream becomes a step, in capture order across all streams:
 * client->server steps are what replay sends, server->client steps are the replies it expects.
 * Steps own a copy of their bytes, so decoded views into them stay valid for the whole replay. */
#ifndef REPLAY_MODEL_H
#define REPLAY_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/capture.h"

typedef enum replay_step_state {
    REPLAY_PENDING = 0, /* not sent / not received yet */
    REPLAY_DONE,        /* sent, or matched by a reply */
    REPLAY_MISSING      /* an expected reply that never came (a divergence was reported) */
} replay_step_state;

typedef struct replay_step {
    uint32_t session;      /* index into replay_capture.sessions */
    int dir;               /* CAP_C2S / CAP_S2C */
    uint64_t frame;        /* frame that completed the packet */
    int64_t time_ns;       /* since the first frame of the capture */
    uint8_t *raw;          /* the packet's bytes (owned) */
    uint32_t raw_len;
    bool well_formed;      /* decoded cleanly when captured; malformed client packets are sent as they are */
    uint8_t type;          /* packet type (high nibble of byte 0) */
    replay_step_state state;
} replay_step;

typedef struct replay_session {
    uint64_t stream_id;
    mqtt_version version;
    char client[64], server[64]; /* captured endpoints, for messages */
    const char *skip_reason;     /* NULL when replayable, else why not */
    uint32_t sends, replies;     /* client->server and server->client steps */
    uint64_t shown, left_out;    /* divergences printed and left out (replay_report's per-session cap) */
} replay_session;

typedef struct replay_capture {
    replay_step *steps;
    size_t step_count, step_cap;
    replay_session *sessions;
    size_t session_count, session_cap;
    uint32_t *session_of_stream; /* stream id -> session index + 1 (0: none yet) */
    size_t stream_slots;
    cap_pcap_totals totals;
} replay_capture;

/* Read a capture into sessions and steps; sessions that cannot be replayed (no CONNECT at their
 * start, bytes missing from the capture) keep a skip_reason and lose their steps. Returns
 * CAP_PCAP_OK or CAP_PCAP_UNREADABLE with err filled. */
cap_pcap_status replay_capture_load(replay_capture *cap, const char *path, const cap_pcap_opts *opts, char *err,
                                    size_t errcap);
void replay_capture_free(replay_capture *cap);

/* Decode a step's own bytes (well-formed steps only) with its session's version and direction. */
bool replay_step_decode(const replay_capture *cap, const replay_step *step, mqtt_packet *pkt);

#endif
