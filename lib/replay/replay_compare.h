/* mqtk replay — comparing a broker's reply with the captured one by type and key fields. */
#ifndef REPLAY_COMPARE_H
#define REPLAY_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "mqtt/codec.h"

/* A decoded reply and what it stands for on its connection. */
typedef struct replay_reply {
    const mqtt_packet *pkt;
    mqtt_bytes topic;   /* PUBLISH: the topic, aliases resolved */
    int32_t packet_id;  /* the id to compare (captured ids translated to now), -1: not compared */
} replay_reply;

typedef struct replay_diff {
    const char *field;  /* "reason_code", "session_present", … */
    char captured[96];
    char replayed[96];
} replay_diff;

enum { REPLAY_MAX_DIFFS = 8 };

/* The key fields where replayed differs from captured (same packet type): fills diffs, returns how
 * many (0: the reply matches). */
size_t replay_compare(const replay_reply *captured, const replay_reply *replayed, replay_diff *diffs, size_t max);

#endif
