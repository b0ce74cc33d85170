/* mqtk WebSocket layer — RFC 6455 frames: decoding, unmasking, fragmentation, close frames, encoding.
 *
 * Like the MQTT codec: no allocation, no I/O, no global mutable state. Decoding is incremental:
 * WS_NEED_MORE is not an error and says how many bytes in total are needed. Decoded payloads are
 * views into the caller's buffer, still masked as they were sent; ws_mask() unmasks them into a
 * caller buffer, in one go or piece by piece (a frame's payload may be read as it arrives). */
#ifndef WS_FRAME_H
#define WS_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ws/errors.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ws_opcode {
    WS_OP_CONTINUATION = 0x0,
    WS_OP_TEXT = 0x1,
    WS_OP_BINARY = 0x2,
    WS_OP_CLOSE = 0x8,
    WS_OP_PING = 0x9,
    WS_OP_PONG = 0xA
} ws_opcode;

typedef enum ws_result {
    WS_COMPLETE = 0,  /* a whole frame header (or frame) is there and obeys the rules */
    WS_NEED_MORE = 1, /* not an error: more bytes are needed */
    WS_MALFORMED = 2  /* see the ws_error */
} ws_result;

/* Who sent the frame: a client masks every frame, a server none (RFC 6455 5.1). */
typedef enum ws_sender {
    WS_SENDER_UNKNOWN = 0, /* masking is not checked */
    WS_SENDER_CLIENT = 1,
    WS_SENDER_SERVER = 2
} ws_sender;

/* The largest header: 2 bytes, a 64-bit length, a 4-byte mask key. */
#define WS_MAX_HEADER_LEN 14u
/* Control frames carry at most this many payload bytes (RFC 6455 5.5). */
#define WS_MAX_CONTROL_PAYLOAD 125u

/* RSV bits as they sit in ws_frame.rsv and ws_decode_opts.rsv_allowed. */
#define WS_RSV1 0x4u
#define WS_RSV2 0x2u
#define WS_RSV3 0x1u

typedef struct ws_decode_opts {
    ws_sender sender;
    uint8_t rsv_allowed;  /* RSV bits an extension negotiated (none for MQTT): others are errors */
    uint64_t max_payload; /* 0: any length the RFC allows */
} ws_decode_opts;

typedef struct ws_frame {
    bool fin;
    uint8_t rsv;            /* RSV1..3 as a 3-bit value */
    uint8_t opcode;
    bool masked;
    uint8_t mask[4];        /* when masked */
    uint8_t header_len;     /* COMPLETE: 2..14 */
    uint64_t payload_len;   /* COMPLETE */
    const uint8_t *payload; /* ws_frame_decode COMPLETE: the payload as sent (still masked) */
    uint64_t need;          /* NEED_MORE: try again once at least this many bytes are buffered */
    ws_error error;         /* MALFORMED: offset from buf's first byte */
} ws_frame;

/* Read and check the frame header at the start of buf (opts NULL: sender unknown, no extension, no
 * limit). The payload need not be there: header_len and payload_len say where it is. */
ws_result ws_frame_header(const uint8_t *buf, size_t len, const ws_decode_opts *opts, ws_frame *f);

/* The same, and NEED_MORE until the whole payload is there; on COMPLETE f->payload views it and the
 * frame used header_len + payload_len bytes. */
ws_result ws_frame_decode(const uint8_t *buf, size_t len, const ws_decode_opts *opts, ws_frame *f);

/* XOR n bytes of src with key into dst (dst may equal src). pos is the position of src[0] in the
 * frame's payload, so a payload can be unmasked in pieces. Masking and unmasking are the same. */
void ws_mask(uint8_t *dst, const uint8_t *src, size_t n, const uint8_t key[4], uint64_t pos);

/* Whether opcode names a control frame (close, ping, pong, and the reserved 0xB-0xF). */
bool ws_opcode_is_control(uint8_t opcode);
/* "continuation", "text", "binary", "close", "ping", "pong", or "reserved". */
const char *ws_opcode_name(uint8_t opcode);

/* Fragmentation (RFC 6455 5.4): a message is a text or binary frame, then continuation frames up to
 * one with FIN; control frames may come between them. The caller keeps one ws_message per direction,
 * zeroed at the start, and hands it every frame header in order. */
typedef struct ws_message {
    bool in_progress;    /* a fragmented message is open */
    uint8_t opcode;      /* of the message in progress, or of the last one finished */
    uint64_t length;     /* payload bytes of the message so far */
    uint32_t fragments;  /* data frames in it so far */
} ws_message;

/* WS_OK, or the rule the frame breaks (the state is left as it was then). */
ws_err ws_message_frame(ws_message *m, const ws_frame *f);

/* A close frame's payload, unmasked: no code, or a status code and a UTF-8 reason (RFC 6455 5.5.1). */
typedef struct ws_close {
    bool has_code;
    uint16_t code;
    const uint8_t *reason; /* view into the payload */
    size_t reason_len;
} ws_close;

/* Read and check a close payload; on an error, err->offset is from the payload's first byte. */
ws_result ws_close_parse(const uint8_t *payload, size_t len, ws_close *out, ws_error *err);
/* Whether an endpoint may send this status code in a close frame (RFC 6455 7.4). */
bool ws_close_code_valid(uint16_t code);
/* Whether p is well-formed UTF-8 (no overlong forms, surrogates or values over U+10FFFF); when not,
 * *bad is the offset of the first byte of the bad sequence. */
bool ws_utf8_valid(const uint8_t *p, size_t n, size_t *bad);

/* What the encoder writes. */
typedef struct ws_frame_spec {
    bool fin;
    uint8_t rsv;
    uint8_t opcode;
    bool masked;
    uint8_t mask[4]; /* the caller's key: a client draws it from a strong source for every frame */
} ws_frame_spec;

/* Encoder flags. */
#define WS_ENCODE_UNCHECKED 0x1u /* write reserved opcodes, RSV bits, long or fragmented control frames */
#define WS_ENCODE_LONG_LENGTH 0x2u /* always the 64-bit length form (not minimal: for hostile peers) */

/* Bytes of the header for a payload of payload_len. */
size_t ws_header_size(uint64_t payload_len, bool masked, unsigned flags);

/* Write the header alone (the payload follows it, masked by the caller with ws_mask); *written is the
 * header's length. */
ws_err ws_encode_header(uint8_t *buf, size_t cap, const ws_frame_spec *spec, uint64_t payload_len, unsigned flags,
                        size_t *written);

/* Write a whole frame, the payload masked when spec->masked; *written is its length. */
ws_err ws_encode(uint8_t *buf, size_t cap, const ws_frame_spec *spec, const uint8_t *payload, size_t len,
                 unsigned flags, size_t *written);

/* Write a close payload (code, then reason) into buf; *written its length. The checked form refuses
 * codes that must not be sent, reasons that are not UTF-8 and payloads over 125 bytes. */
ws_err ws_close_payload(uint8_t *buf, size_t cap, uint16_t code, const uint8_t *reason, size_t reason_len,
                        unsigned flags, size_t *written);

#ifdef __cplusplus
}
#endif
#endif
