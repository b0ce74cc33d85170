/* The error catalogue: one row per ws_err, in enum order. */
#include <stdio.h>

#include "ws/errors.h"

typedef struct err_row {
    const char *name;
    const char *description;
    const char *reference;
} err_row;

static const err_row ROWS[WS_ERR_COUNT] = {
    [WS_OK] = {"ok", "no error", NULL},
    [WS_ERR_RSV_WITHOUT_EXTENSION] = {"rsv_without_extension",
                                      "an RSV bit is set but no negotiated extension defines it", "RFC 6455 5.2"},
    [WS_ERR_RESERVED_OPCODE] = {"reserved_opcode", "the opcode is reserved (3-7, 0xB-0xF)", "RFC 6455 5.2"},
    [WS_ERR_CONTROL_TOO_LONG] = {"control_too_long", "a control frame carries more than 125 payload bytes",
                                 "RFC 6455 5.5"},
    [WS_ERR_CONTROL_FRAGMENTED] = {"control_fragmented", "a control frame has FIN clear", "RFC 6455 5.5"},
    [WS_ERR_LENGTH_NOT_MINIMAL] = {"length_not_minimal",
                                   "the payload length is not in the shortest of its three forms", "RFC 6455 5.2"},
    [WS_ERR_LENGTH_MSB_SET] = {"length_msb_set", "a 64-bit payload length has its most significant bit set",
                               "RFC 6455 5.2"},
    [WS_ERR_UNMASKED_FROM_CLIENT] = {"unmasked_from_client", "a frame from the client is not masked",
                                     "RFC 6455 5.1"},
    [WS_ERR_MASKED_FROM_SERVER] = {"masked_from_server", "a frame from the server is masked", "RFC 6455 5.1"},
    [WS_ERR_FRAME_TOO_LARGE] = {"frame_too_large", "the payload is longer than the reader accepts",
                                "RFC 6455 10.4"},
    [WS_ERR_CONTINUATION_UNEXPECTED] = {"continuation_unexpected",
                                        "a continuation frame arrives with no fragmented message open",
                                        "RFC 6455 5.4"},
    [WS_ERR_MESSAGE_INTERLEAVED] = {"message_interleaved",
                                    "a new text or binary frame arrives inside a fragmented message",
                                    "RFC 6455 5.4"},
    [WS_ERR_TEXT_UTF8] = {"text_not_utf8", "a text message is not valid UTF-8", "RFC 6455 8.1"},
    [WS_ERR_CLOSE_PAYLOAD_ONE_BYTE] = {"close_payload_one_byte",
                                       "a close frame's payload is one byte: a status code takes two",
                                       "RFC 6455 5.5.1"},
    [WS_ERR_CLOSE_CODE_INVALID] = {"close_code_invalid", "the close status code is one an endpoint must not send",
                                   "RFC 6455 7.4"},
    [WS_ERR_CLOSE_REASON_UTF8] = {"close_reason_not_utf8", "the close reason is not valid UTF-8",
                                  "RFC 6455 5.5.1"},
    [WS_ERR_MQTT_NOT_BINARY] = {"mqtt_not_binary", "MQTT must travel in binary frames: a text frame arrived",
                                "MQTT-6.0.0-1"},
    [WS_ERR_MQTT_NOT_OFFERED] = {"mqtt_not_offered", "the client did not offer the \"mqtt\" subprotocol",
                                 "MQTT-6.0.0-3"},
    [WS_ERR_MQTT_SUBPROTOCOL] = {"mqtt_subprotocol", "the server did not select the \"mqtt\" subprotocol",
                                 "MQTT-6.0.0-4"},
    [WS_ERR_HTTP_TOO_LONG] = {"http_too_long", "the HTTP header block does not end within the bound",
                              "RFC 6455 4.1"},
    [WS_ERR_HTTP_SYNTAX] = {"http_syntax", "not an HTTP/1.1 request or status line, or a malformed header line",
                            "RFC 7230 3"},
    [WS_ERR_HTTP_NOT_GET] = {"http_not_get", "the opening handshake is not a GET request", "RFC 6455 4.1"},
    [WS_ERR_HTTP_STATUS] = {"http_status", "the server did not answer 101 Switching Protocols", "RFC 6455 4.1"},
    [WS_ERR_HTTP_UPGRADE] = {"http_upgrade", "no \"Upgrade: websocket\" header", "RFC 6455 4.1"},
    [WS_ERR_HTTP_CONNECTION] = {"http_connection", "no \"Connection: Upgrade\" header", "RFC 6455 4.1"},
    [WS_ERR_HTTP_VERSION] = {"http_ws_version", "Sec-WebSocket-Version is missing or not 13", "RFC 6455 4.1"},
    [WS_ERR_HTTP_KEY] = {"http_key", "Sec-WebSocket-Key is missing or not 16 bytes in base64", "RFC 6455 4.1"},
    [WS_ERR_HTTP_ACCEPT] = {"http_accept", "Sec-WebSocket-Accept is missing or does not match the key",
                            "RFC 6455 4.1"},
    [WS_ERR_HTTP_PROTOCOL_NOT_OFFERED] = {"http_protocol_not_offered",
                                          "the server selected a subprotocol the client did not offer",
                                          "RFC 6455 4.1"},
    [WS_ERR_BUFFER_TOO_SMALL] = {"buffer_too_small", "the output buffer cannot hold the frame", NULL},
    [WS_ERR_VALUE_OUT_OF_RANGE] = {"value_out_of_range", "a field the encoder cannot write as given", NULL},
    [WS_ERR_FRAME_AFTER_CLOSE] = {"frame_after_close", "the server sent a frame after its close frame",
                                  "RFC 6455 5.5.1"},
    [WS_ERR_SEND_AFTER_CLOSE] = {"send_after_close", "no data frame may follow this side's close frame",
                                 "RFC 6455 5.5.1"},
    [WS_ERR_NOT_OPEN] = {"not_open", "the opening handshake has not completed", "RFC 6455 4.1"},
};

const char *ws_err_name(ws_err e)
{
    return (unsigned)e < WS_ERR_COUNT ? ROWS[e].name : "unknown_error";
}

const char *ws_err_description(ws_err e)
{
    return (unsigned)e < WS_ERR_COUNT ? ROWS[e].description : "unknown error";
}

const char *ws_err_reference(ws_err e)
{
    return (unsigned)e < WS_ERR_COUNT ? ROWS[e].reference : NULL;
}

int ws_error_format(const ws_error *err, char *buf, size_t cap)
{
    const char *ref = ws_err_reference(err->code);
    return snprintf(buf, cap, "%s: %s%s%s%s at byte %llu", ws_err_name(err->code), ws_err_description(err->code),
                    ref ? " [" : "", ref ? ref : "", ref ? "]" : "", (unsigned long long)err->offset);
}
