/* mqtk replay — the scheduler: drives every captured client session over its own connection (lib/net: TCP, TLS, WebSocket),
 * in capture order across sessions. Before a client packet is sent, every reply the capture shows
 * before it (in any session) must have arrived or timed out, and, unless --fast, its captured time
 * (scaled by the speed factor) must have come. Replies are matched to the captured ones of their
 * session by type and key fields; each difference is reported as it is found. */
#ifndef REPLAY_SCHED_H
#define REPLAY_SCHED_H

#include <stdint.h>

#include "net/transport.h"
#include "replay_model.h"
#include "replay_report.h"

/* What replay keeps from a broker, per connection. Past either flood limit the connection is
 * closed and the flood reported; a packet announced larger than the reply limit is not buffered. */
#define REPLAY_FLOOD_PACKETS 1000u          /* replies the capture has no counterpart for */
#define REPLAY_FLOOD_BYTES (16u << 20)      /* their bytes */
#define REPLAY_MAX_REPLY (16u << 20)        /* one reply, unless the capture shows a larger one */
#define REPLAY_READ_BUDGET (256u << 10)     /* bytes read from one socket before deadlines are looked at again */

typedef struct replay_config {
    net_target *target;    /* the broker: address parsed, resolved by replay_run; TLS/WebSocket settings */
    double speed;          /* captured time is divided by this; 0 ignores the timing (--fast) */
    int64_t timeout_ns;    /* how long a captured reply is awaited */
    int64_t max_gap_ns;    /* longest wait for a captured pause (after the speed factor) */
    const char *client_prefix;
    bool progress;         /* progress lines on stderr */
} replay_config;

enum { REPLAY_RAN = 0, REPLAY_FAILED = -1 };

/* REPLAY_RAN when the replay ran (divergences were reported to rep, counts are in rep->stats);
 * REPLAY_FAILED when the broker could not be reached at all, or replay itself failed (no file
 * descriptor, no memory for a socket, poll failing): err says why, and nothing of that is blamed
 * on the broker. The caller turns these into exit codes. */
int replay_run(replay_capture *cap, const replay_config *cfg, replay_report *rep, char *err, size_t errcap);

#endif
