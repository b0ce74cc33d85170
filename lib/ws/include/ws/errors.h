/* mqtk WebSocket layer — errors. Each value has a stable name, a one-line description and the rule it
 * breaks: the RFC 6455 section ("RFC 6455 5.2"), RFC 7230 for HTTP syntax, or the MQTT statement ID
 * for the rules MQTT adds on top of WebSocket ("MQTT-6.0.0-1"). The catalogue is one table
 * (lib/ws/src/ws_errors.c). */
#ifndef WS_ERRORS_H
#define WS_ERRORS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ws_err {
    WS_OK = 0,
    /* frames */
    WS_ERR_RSV_WITHOUT_EXTENSION,   /* RSV1-3 set with no extension negotiated that defines them */
    WS_ERR_RESERVED_OPCODE,         /* opcode 3-7 or 0xB-0xF */
    WS_ERR_CONTROL_TOO_LONG,        /* a control frame with a payload over 125 bytes */
    WS_ERR_CONTROL_FRAGMENTED,      /* a control frame without FIN */
    WS_ERR_LENGTH_NOT_MINIMAL,      /* a 16- or 64-bit length that fits in fewer bytes */
    WS_ERR_LENGTH_MSB_SET,          /* a 64-bit length with its most significant bit set */
    WS_ERR_UNMASKED_FROM_CLIENT,    /* a client frame without a mask */
    WS_ERR_MASKED_FROM_SERVER,      /* a server frame with a mask */
    WS_ERR_FRAME_TOO_LARGE,         /* a payload over the caller's limit */
    /* messages */
    WS_ERR_CONTINUATION_UNEXPECTED, /* a continuation frame with no fragmented message in progress */
    WS_ERR_MESSAGE_INTERLEAVED,     /* a text or binary frame while a fragmented message is in progress */
    WS_ERR_TEXT_UTF8,               /* a text message that is not UTF-8 */
    /* close frames */
    WS_ERR_CLOSE_PAYLOAD_ONE_BYTE,  /* a close payload of 1 byte: a status code needs 2 */
    WS_ERR_CLOSE_CODE_INVALID,      /* a status code that must not be sent (below 1000, 1004-1006, 1015, unassigned) */
    WS_ERR_CLOSE_REASON_UTF8,       /* a close reason that is not UTF-8 */
    /* MQTT over WebSocket */
    WS_ERR_MQTT_NOT_BINARY,         /* MQTT in a text frame */
    WS_ERR_MQTT_NOT_OFFERED,        /* the client did not offer the "mqtt" subprotocol */
    WS_ERR_MQTT_SUBPROTOCOL,        /* the server did not select the "mqtt" subprotocol */
    /* HTTP Upgrade */
    WS_ERR_HTTP_TOO_LONG,           /* no end of the header block within the caller's bound */
    WS_ERR_HTTP_SYNTAX,             /* not an HTTP/1.1 request or status line, or a header line without ':' */
    WS_ERR_HTTP_NOT_GET,            /* the opening handshake is not a GET */
    WS_ERR_HTTP_STATUS,             /* the server answered with a status other than 101 */
    WS_ERR_HTTP_UPGRADE,            /* no Upgrade: websocket */
    WS_ERR_HTTP_CONNECTION,         /* no Connection: Upgrade */
    WS_ERR_HTTP_VERSION,            /* Sec-WebSocket-Version is not 13 */
    WS_ERR_HTTP_KEY,                /* Sec-WebSocket-Key missing or not 16 bytes in base64 */
    WS_ERR_HTTP_ACCEPT,             /* Sec-WebSocket-Accept missing or not derived from the key */
    WS_ERR_HTTP_PROTOCOL_NOT_OFFERED, /* the server selected a subprotocol the client did not offer */
    /* encoder */
    WS_ERR_BUFFER_TOO_SMALL,        /* the caller's output buffer cannot hold the frame */
    WS_ERR_VALUE_OUT_OF_RANGE,      /* a field the encoder refuses (bad opcode, RSV over 7, ...) */
    /* client session (ws/client.h) */
    WS_ERR_FRAME_AFTER_CLOSE,       /* the server sent a frame after its close frame */
    WS_ERR_SEND_AFTER_CLOSE,        /* a data frame asked for after this side sent its close */
    WS_ERR_NOT_OPEN,                /* a frame asked for or read before the handshake completed */
    WS_ERR_COUNT
} ws_err;

/* An error and where it is: offset counts from the first byte given to the call that found it. */
typedef struct ws_error {
    ws_err code;
    uint64_t offset;
} ws_error;

/* Stable snake_case name, e.g. "control_too_long"; "unknown_error" out of range. */
const char *ws_err_name(ws_err e);
/* One-line description in plain words. */
const char *ws_err_description(ws_err e);
/* The rule: "RFC 6455 5.5", "RFC 7230 3", "MQTT-6.0.0-1"; NULL for WS_OK and encoder limits. */
const char *ws_err_reference(ws_err e);
/* "name: description [reference] at byte N" into buf (NUL-terminated when cap > 0); returns the
 * length it would have written, like snprintf. */
int ws_error_format(const ws_error *err, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
