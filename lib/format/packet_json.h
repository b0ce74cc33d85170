/* mqtt_packet <-> JSON in the schema documented in docs/json-schema.md. */
#ifndef FMT_PACKET_JSON_H
#define FMT_PACKET_JSON_H

#include <stddef.h>

#include "json_read.h"
#include "json_write.h"
#include "mqtt/codec.h"

/* Write a decoded packet as one JSON object (no newline). v is the version it was decoded with;
 * offset and length place it in the input stream. */
void fmt_packet_json_write(fmt_json_writer *w, const mqtt_packet *pkt, mqtt_version v, uint64_t offset, size_t length);

/* The "tail" values of 5.0 acknowledgements, DISCONNECT and AUTH, indexed by mqtt_tail. */
extern const char *const fmt_packet_json_tail_names[3];

/* Memory that a packet built from JSON points into (decoded hex, property lists, payloads). */
typedef struct fmt_packet_store {
    void **blocks;
    size_t count;
    size_t cap;
} fmt_packet_store;

void fmt_packet_store_free(fmt_packet_store *s);

typedef struct fmt_packet_json_error {
    uint32_t line, column; /* of the offending value, as json_read counts them */
    char message[200];
} fmt_packet_json_error;

/* Build a packet from one record. The record's "version" wins; a CONNECT without one takes its
 * "protocol_level"; otherwise default_version. On success returns 0 with *pkt and *version set
 * (pkt's views point into rec and store: keep both until the packet is encoded). On a schema
 * error (unknown or misplaced field, wrong JSON type, value outside the field's range) -1. */
int fmt_packet_from_json(const fmt_json_value *rec, mqtt_version default_version, mqtt_packet *pkt,
                         mqtt_version *version, fmt_packet_store *store, fmt_packet_json_error *err);

#endif
