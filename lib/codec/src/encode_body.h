/* Internal to the encoder: each packet type's body (variable header + payload) as a size function
 * and a write function, and the framing steps encode.c and encode_publish_header.c share.
 *
 * A size function returns the body's length in bytes, or at least WIRE_UNENCODABLE when a field
 * cannot be represented (see wire_write.h). A write function writes exactly that many bytes at p
 * and returns the byte after them. Both take the version the packet is encoded for; fields of
 * other versions (properties before 5.0) are ignored. */
#ifndef MQTT_ENCODE_BODY_H
#define MQTT_ENCODE_BODY_H

#include "mqtt/encode.h"
#include "mqtt/errors.h"
#include "mqtt/types.h"

typedef uint64_t (*enc_size_fn)(const mqtt_packet *pkt, mqtt_version v);
typedef uint8_t *(*enc_write_fn)(const mqtt_packet *pkt, mqtt_version v, uint8_t *p);

uint64_t enc_connect_size(const mqtt_packet *pkt, mqtt_version v);
uint8_t *enc_connect_write(const mqtt_packet *pkt, mqtt_version v, uint8_t *p);
uint64_t enc_connack_size(const mqtt_packet *pkt, mqtt_version v);
uint8_t *enc_connack_write(const mqtt_packet *pkt, mqtt_version v, uint8_t *p);
uint64_t enc_publish_size(const mqtt_packet *pkt, mqtt_version v);
uint8_t *enc_publish_write(const mqtt_packet *pkt, mqtt_version v, uint8_t *p);
uint64_t enc_ack_size(const mqtt_packet *pkt, mqtt_version v); /* PUBACK PUBREC PUBREL PUBCOMP */
uint8_t *enc_ack_write(const mqtt_packet *pkt, mqtt_version v, uint8_t *p);
uint64_t enc_id_list_size(const mqtt_packet *pkt, mqtt_version v); /* SUBSCRIBE UNSUBSCRIBE SUBACK */
uint8_t *enc_id_list_write(const mqtt_packet *pkt, mqtt_version v, uint8_t *p);
uint64_t enc_unsuback_size(const mqtt_packet *pkt, mqtt_version v);
uint8_t *enc_unsuback_write(const mqtt_packet *pkt, mqtt_version v, uint8_t *p);
uint64_t enc_disconnect_size(const mqtt_packet *pkt, mqtt_version v);
uint8_t *enc_disconnect_write(const mqtt_packet *pkt, mqtt_version v, uint8_t *p);
uint64_t enc_auth_size(const mqtt_packet *pkt, mqtt_version v);
uint8_t *enc_auth_write(const mqtt_packet *pkt, mqtt_version v, uint8_t *p);

/* The 5.0 reason-code tail (acknowledgements, DISCONNECT, AUTH) to write: at least what asked
 * names, more when the fields need it (a non-zero code needs the code; properties need the Property
 * Length). Without code_alone (AUTH) there is no form with the code but no Property Length. */
static inline mqtt_tail enc_tail(mqtt_tail asked, uint8_t reason_code, mqtt_props props, bool code_alone)
{
    mqtt_tail need = props.len ? MQTT_TAIL_PROPERTIES : reason_code ? MQTT_TAIL_REASON : MQTT_TAIL_SHORTEST;
    mqtt_tail t = (unsigned)asked > (unsigned)need ? asked : need;
    if (t == MQTT_TAIL_SHORTEST || (t == MQTT_TAIL_REASON && code_alone))
        return t;
    return MQTT_TAIL_PROPERTIES; /* also any value above it */
}

/* Bytes the tail t takes, and writing it. */
uint64_t enc_tail_size(mqtt_tail t, mqtt_props props);
uint8_t *enc_tail_write(mqtt_tail t, uint8_t reason_code, mqtt_props props, uint8_t *p);

/* PUBLISH: first byte of the fixed header, and the variable header (topic, packet id, properties). */
uint8_t enc_publish_byte0(const mqtt_publish *pub);
uint64_t enc_publish_varhdr_size(const mqtt_publish *pub, mqtt_version v);
uint8_t *enc_publish_varhdr_write(const mqtt_publish *pub, mqtt_version v, uint8_t *p);
/* Whether the decoder would surely accept this PUBLISH as written: the rules of decode_publish
 * checked on the fields (the quick tests of text_scan.h and props_quick.h). false is no verdict:
 * the checked encoder then decodes its output to learn which rule, if any, is broken. */
bool enc_publish_surely_valid(const mqtt_publish *pub, mqtt_version v, mqtt_direction direction);

/* The encode version opts ask for (NULL: 5.0); 0 when it is not 3, 4 or 5. Inline: it is on
 * every encode's path. */
static inline mqtt_version enc_version(const mqtt_encode_opts *opts)
{
    if (!opts)
        return MQTT_V5;
    return opts->version >= MQTT_V31 && opts->version <= MQTT_V5 ? opts->version : (mqtt_version)0;
}

/* Whether opts ask for checked encoding (the default), and the direction they name. */
bool enc_checked(const mqtt_encode_opts *opts);
mqtt_direction enc_direction(const mqtt_encode_opts *opts);

/* Total packet size for a body of body_len bytes: MQTT_ERR_VALUE_OUT_OF_RANGE when the Remaining
 * Length cannot carry it. */
mqtt_err enc_total_size(uint64_t body_len, uint32_t *total);

/* Fixed header: byte 0 and Remaining Length. */
uint8_t *enc_fixed_header_write(uint8_t *p, uint8_t byte0, uint32_t remaining_length);

/* Checked mode: the decoder is the one statement of the rules, so what it rejects in the len bytes
 * at buf (one whole packet) is refused with its error. */
mqtt_err enc_check_by_decoding(const uint8_t *buf, size_t len, mqtt_version v, const mqtt_encode_opts *opts,
                               mqtt_error *err);

/* Fill *err (when not NULL) with code at offset, the statement being the code's default for v;
 * returns code. */
mqtt_err enc_fail(mqtt_error *err, mqtt_err code, uint32_t offset, mqtt_version v);

#endif
