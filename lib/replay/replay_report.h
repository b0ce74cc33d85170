/* mqtk replay — output: each divergence as it is found, skipped sessions, the closing summary;
 * readable text or JSON Lines. */
#ifndef REPLAY_REPORT_H
#define REPLAY_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "replay_compare.h"
#include "replay_model.h"

typedef enum replay_div_kind {
    REPLAY_DIV_FIELD,      /* a reply whose key field differs */
    REPLAY_DIV_MISSING,    /* a captured reply that did not come */
    REPLAY_DIV_UNEXPECTED, /* a reply the capture does not show */
    REPLAY_DIV_MALFORMED,  /* a reply the codec rejects */
    REPLAY_DIV_CLOSED,     /* the broker closed the connection while the capture goes on */
    REPLAY_DIV_CONNECT,    /* a session's connection could not be opened */
    REPLAY_DIV_FLOOD       /* the broker sent more than replay keeps (always printed) */
} replay_div_kind;

typedef struct replay_stats {
    uint64_t sessions, skipped;
    uint64_t sent, rewritten;
    uint64_t expected, matched, received;
    uint64_t divergences;
    uint64_t left_out;       /* divergences counted but not printed (per-session cap) */
    uint64_t gaps_shortened; /* captured pauses cut to --max-gap */
    const char *damaged;     /* the capture's damage, as mqtk pcap reports it; NULL when intact */
    double seconds;
    char transport[320];     /* what the first connection negotiated (net_describe), "" before one */
} replay_stats;

typedef struct replay_report {
    FILE *out;
    bool json;
    replay_stats *stats; /* divergences counted here */
} replay_report;

/* Divergence lines printed per session; later ones are counted, and the count printed at the end. */
#define REPLAY_SHOWN_PER_SESSION 100

/* One divergence in session s. step: the captured packet concerned (NULL for an unexpected reply);
 * type: the packet type (0 when the divergence is about the connection); diff: the differing field (FIELD only); detail: words for the rest. */
void replay_report_divergence(replay_report *r, replay_session *s, replay_div_kind kind,
                              const replay_step *step, unsigned type, const replay_diff *diff, const char *detail);
void replay_report_skipped(replay_report *r, const replay_session *s);
void replay_report_start(replay_report *r, const char *capture, const char *broker, const char *pace,
                         uint64_t sessions);
/* Sessions whose divergences passed the cap: how many were left out (one line each). */
void replay_report_left_out(replay_report *r, const replay_session *sessions, size_t count);
void replay_report_summary(replay_report *r, const char *capture, const char *broker);

#endif
