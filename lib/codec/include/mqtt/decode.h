/* mqtk codec — framing and decoding.
 *
 * Framing cuts a byte stream into packets however it was split: call mqtt_frame_packet() on the
 * bytes received so far; it says MQTT_NEED_MORE (with the least total it needs), MQTT_MALFORMED,
 * or MQTT_COMPLETE with the packet's length. mqtt_decode() frames and then decodes and validates one
 * packet into views of the caller's buffer. Neither allocates, keeps state, or does I/O. */
#ifndef MQTT_DECODE_H
#define MQTT_DECODE_H

#include "mqtt/errors.h"
#include "mqtt/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The largest Remaining Length a 4-byte Variable Byte Integer can carry. */
#define MQTT_MAX_REMAINING_LENGTH 268435455u
/* The largest whole packet: 1 type byte + 4 length bytes + the above. */
#define MQTT_MAX_PACKET_SIZE (MQTT_MAX_REMAINING_LENGTH + 5u)

typedef enum mqtt_result {
    MQTT_COMPLETE = 0,  /* a whole packet is there (and, for mqtt_decode, well-formed) */
    MQTT_NEED_MORE = 1, /* not an error: more bytes are needed */
    MQTT_MALFORMED = 2  /* see the mqtt_error */
} mqtt_result;

typedef struct mqtt_frame {
    uint32_t packet_len;       /* COMPLETE: fixed header + Remaining Length */
    uint32_t remaining_length; /* COMPLETE */
    uint8_t header_len;        /* COMPLETE: 2..5 */
    uint32_t need;             /* NEED_MORE: try again once at least this many bytes are buffered */
    mqtt_error error;          /* MALFORMED */
} mqtt_frame;

/* Frame the packet at the start of buf. max_packet_size 0 means MQTT_MAX_PACKET_SIZE.
 * Checks only the fixed header's length encoding (and the size limit): packet type and flags are
 * checked by mqtt_decode. */
mqtt_result mqtt_frame_packet(const uint8_t *buf, size_t len, uint32_t max_packet_size, mqtt_frame *frame);

typedef struct mqtt_decode_opts {
    mqtt_version version;     /* the connection's version; CONNECT is always read by its own level */
    mqtt_direction direction; /* MQTT_DIR_UNKNOWN skips the one-sided rules */
    uint32_t max_packet_size; /* 0: MQTT_MAX_PACKET_SIZE */
    /* The receiver itself sent a packet with Packet Identifier 0, so an acknowledgement carrying 0
     * echoes it, as [MQTT-2.3.1-6] / [MQTT-2.3.1-7] ask, and is not malformed. */
    bool zero_id_acks;
} mqtt_decode_opts;

/* Frame, decode and validate the packet at the start of buf (opts NULL: 5.0, unknown direction).
 * On COMPLETE, *pkt holds views into buf and frame->packet_len is the bytes it used; on
 * MALFORMED, frame->error names the first rule broken and where. */
mqtt_result mqtt_decode(const uint8_t *buf, size_t len, const mqtt_decode_opts *opts, mqtt_packet *pkt,
                        mqtt_frame *frame);

/* mqtt_decode of a packet already framed: framed is what mqtt_frame_packet said COMPLETE for buf
 * (with opts' max_packet_size, or a smaller limit), and buf holds its framed->packet_len bytes. The
 * result is mqtt_decode(buf, framed->packet_len, ...)'s; a stream reader that frames each packet
 * to cut its bytes saves the second framing. */
mqtt_result mqtt_decode_framed(const uint8_t *buf, const mqtt_frame *framed, const mqtt_decode_opts *opts,
                               mqtt_packet *pkt, mqtt_frame *frame);

/* Read the protocol level a CONNECT at the start of buf announces, without validating the rest:
 * lets a stream reader pick the version before decoding. 0 when buf is not such a CONNECT. */
unsigned mqtt_peek_connect_level(const uint8_t *buf, size_t len);

/* Read the Packet Identifier of the packet at the start of buf (a PUBLISH at QoS 1 or 2, an
 * acknowledgement, SUBSCRIBE, UNSUBSCRIBE), without validating the rest: buf may end past the
 * identifier, inside the packet. false when the packet carries none or buf ends before it. */
bool mqtt_peek_packet_id(const uint8_t *buf, size_t len, uint16_t *packet_id);

#ifdef __cplusplus
}
#endif
#endif
