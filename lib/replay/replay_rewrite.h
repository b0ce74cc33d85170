/* mqtk replay — what must differ on a new connection: client ids (on request), the packet ids the
 * broker picks, topic aliases. One replay_rewrite per replayed session. */
#ifndef REPLAY_REWRITE_H
#define REPLAY_REWRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mqtt/codec.h"

/* Topic alias -> topic name, for one direction of one connection (topics are copied). */
typedef struct replay_alias {
    uint16_t alias;
    uint32_t len;
    uint8_t *topic;
} replay_alias;

typedef struct replay_alias_table {
    replay_alias *items;
    size_t count, cap;
} replay_alias_table;

typedef struct replay_rewrite {
    const char *client_prefix;  /* prepended to non-empty client ids; NULL keeps them */
    uint16_t *server_ids;       /* captured id of a broker-initiated flow -> the broker's id now (0: unknown) */
    uint16_t broker_alias_max;  /* Topic Alias Maximum of the broker's CONNACK now (0: no aliases) */
    replay_alias_table client_aliases;          /* set up by the captured client */
    replay_alias_table captured_server_aliases; /* set up by the captured broker */
    replay_alias_table replayed_server_aliases; /* set up by the broker now */
    uint8_t *buf;               /* the rewritten packet */
    size_t buf_cap;
} replay_rewrite;

void replay_rewrite_init(replay_rewrite *rw, const char *client_prefix);
void replay_rewrite_free(replay_rewrite *rw);

/* The topic a PUBLISH stands for on its connection: its topic name (recording the alias it sets),
 * or the topic its alias was set to. False when an alias was never set. */
bool replay_publish_topic(replay_alias_table *t, const mqtt_publish *pub, mqtt_version v, mqtt_bytes *topic);

/* Broker-initiated flows (PUBLISH QoS > 0 to the client, its PUBREL): remember which id the
 * broker uses now for a captured id, and translate. */
void replay_map_server_id(replay_rewrite *rw, uint16_t captured, uint16_t now);
uint16_t replay_server_id(const replay_rewrite *rw, uint16_t captured);

/* Learn the broker's limits from the CONNACK it sent now. */
void replay_note_connack(replay_rewrite *rw, const mqtt_packet *connack);

/* The bytes to send for a captured client packet: *out points at raw itself when nothing must
 * change, else at rw->buf. On an encoding failure returns false with err filled (*out = raw). */
bool replay_rewrite_packet(replay_rewrite *rw, mqtt_version v, const mqtt_packet *pkt, const uint8_t *raw,
                           size_t raw_len, const uint8_t **out, size_t *out_len, char *err, size_t errcap);

#endif
