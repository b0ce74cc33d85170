/* mqtk codec — encoding, size first then serialize into the caller's buffer.
 *
 * By default the encoder enforces the same rules as the decoder: what it writes, mqtt_decode
 * accepts. MQTT_ENCODE_UNCHECKED writes the fields as given (QoS 3, wildcards in a topic name, a
 * zero packet id, …) so a test tool can send broken packets on purpose; lengths are still exact. */
#ifndef MQTT_ENCODE_H
#define MQTT_ENCODE_H

#include "mqtt/errors.h"
#include "mqtt/types.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { MQTT_ENCODE_UNCHECKED = 1u << 0 };

typedef struct mqtt_encode_opts {
    mqtt_version version;     /* CONNECT takes it as its level when protocol_level is 0 */
    mqtt_direction direction; /* as for decoding: one-sided rules apply only when known */
    unsigned flags;           /* MQTT_ENCODE_* */
} mqtt_encode_opts;

/* Total bytes the packet needs (fixed header included). opts NULL: 5.0, checked. */
mqtt_err mqtt_encoded_size(const mqtt_packet *pkt, const mqtt_encode_opts *opts, uint32_t *size);

/* Serialize into buf[0..cap). On success *written is the packet's length. On failure err (may be
 * NULL) says which rule or limit stopped it; nothing useful is left in buf. */
mqtt_err mqtt_encode(const mqtt_packet *pkt, const mqtt_encode_opts *opts, uint8_t *buf, size_t cap,
                     size_t *written, mqtt_error *err);

/* PUBLISH fixed + variable header only, for scatter-gather sends: the Remaining Length counts
 * pub->payload.len bytes that the caller sends after the header itself (payload.data may be NULL). */
mqtt_err mqtt_encode_publish_header(const mqtt_publish *pub, const mqtt_encode_opts *opts, uint8_t *buf,
                                    size_t cap, size_t *written, mqtt_error *err);

#ifdef __cplusplus
}
#endif
#endif
