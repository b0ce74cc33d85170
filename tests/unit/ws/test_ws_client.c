/* The WebSocket client session (lib/ws/client.h): the Upgrade request it writes, the answers it
 * accepts and refuses (read at every split point), frames read one at a time (data, fragments,
 * ping, close) and refused with the close code to send, masked frames written and read back by the
 * server-side decoder, and the close handshake in both orders. */
#include <string.h>

#include "support.h"
#include "ws/ws.h"

static const uint8_t NONCE[16] = "the sample nonce"; /* RFC 6455 1.3: key dGhlIHNhbXBsZSBub25jZQ== */
static const uint8_t MASK[4] = {0x37, 0xfa, 0x21, 0x3d};

#define ACCEPT "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

static void upgrading(ws_client *c, const char *protocol)
{
    ck_assert_int_eq(ws_client_init(c, protocol, 1024), WS_OK);
    char req[512];
    size_t n;
    ck_assert_int_eq(ws_client_request(c, NONCE, "127.0.0.1:9001", "/mqtt", req, sizeof req, &n), WS_OK);
}

static void open_session(ws_client *c)
{
    upgrading(c, "mqtt");
    static const char resp[] = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                               "Sec-WebSocket-Accept: " ACCEPT "\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n";
    size_t used;
    ws_error e;
    ck_assert_int_eq(ws_client_response(c, (const uint8_t *)resp, strlen(resp), &used, &e), WS_COMPLETE);
    ck_assert_int_eq(c->state, WS_CLIENT_OPEN);
}

START_TEST(request_text)
{
    ws_client c;
    ck_assert_int_eq(ws_client_init(&c, "mqttv3.1", 0), WS_OK);
    char req[512];
    size_t n;
    ck_assert_int_eq(ws_client_request(&c, NONCE, "[::1]:9001", "/mqtt?x=1", req, sizeof req, &n), WS_OK);
    ck_assert_uint_eq(n, strlen(req));
    ck_assert_str_eq(req, "GET /mqtt?x=1 HTTP/1.1\r\nHost: [::1]:9001\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                          "Sec-WebSocket-Protocol: mqttv3.1\r\n\r\n");
    ck_assert_int_eq(c.state, WS_CLIENT_UPGRADING);
    /* the server-side check accepts what we wrote */
    ws_http h;
    ws_error e;
    ck_assert_int_eq(ws_http_parse((const uint8_t *)req, n, 0, &h, &e), WS_COMPLETE);
    ck_assert_int_eq(ws_check_request(&h, (const uint8_t *)req, "mqttv3.1", &e), WS_COMPLETE);
    /* a request is written once; short buffers and bad host/path text are refused */
    ck_assert_int_eq(ws_client_request(&c, NONCE, "h:1", "/", req, sizeof req, &n), WS_ERR_VALUE_OUT_OF_RANGE);
    ws_client d;
    ws_client_init(&d, "mqtt", 0);
    ck_assert_int_eq(ws_client_request(&d, NONCE, "h:1", "/mqtt", req, 40, &n), WS_ERR_BUFFER_TOO_SMALL);
    ck_assert_int_eq(ws_client_request(&d, NONCE, "h 1", "/mqtt", req, sizeof req, &n), WS_ERR_VALUE_OUT_OF_RANGE);
    ck_assert_int_eq(ws_client_request(&d, NONCE, "h:1", "mqtt", req, sizeof req, &n), WS_ERR_VALUE_OUT_OF_RANGE);
    ck_assert_int_eq(ws_client_request(&d, NONCE, "h:1", "/a\r\nX: y", req, sizeof req, &n),
                     WS_ERR_VALUE_OUT_OF_RANGE);
    ck_assert_int_eq(ws_client_init(&d, "mq tt", 0), WS_ERR_VALUE_OUT_OF_RANGE);
    ck_assert_int_eq(ws_client_init(&d, "mqtt,x", 0), WS_ERR_VALUE_OUT_OF_RANGE);
}
END_TEST

/* The accepted answer, fed at every length: NEED_MORE up to its blank line, then COMPLETE with the
 * frame that follows it left for ws_client_read. */
START_TEST(response_at_every_length)
{
    static const char resp[] = "HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\nConnection: keep-alive, "
                               "upgrade\r\nSec-WebSocket-Accept: " ACCEPT "\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n"
                               "\x82\x02\x20\x02";
    size_t head = strlen(resp) - 4;
    for (size_t cut = 0; cut <= strlen(resp); cut++) {
        ws_client c;
        upgrading(&c, "mqtt");
        size_t used;
        ws_error e;
        ws_result r = ws_client_response(&c, (const uint8_t *)resp, cut, &used, &e);
        ck_assert_int_eq(r, cut < head ? WS_NEED_MORE : WS_COMPLETE);
        if (r != WS_COMPLETE)
            continue;
        ck_assert_uint_eq(used, head);
        ws_event ev;
        r = ws_client_read(&c, (const uint8_t *)resp + used, cut - used, &ev, &e);
        ck_assert_int_eq(r, cut == strlen(resp) ? WS_COMPLETE : WS_NEED_MORE);
        if (r == WS_COMPLETE) {
            ck_assert_int_eq(ev.type, WS_EVENT_DATA);
            ck_assert_uint_eq(ev.len, 2);
            ck_assert_uint_eq(ev.used, 4);
        }
    }
}
END_TEST

static const struct bad_response {
    const char *text;
    const char *protocol;
    ws_err code;
} bad_responses[] = {
    {"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", "mqtt", WS_ERR_HTTP_STATUS},
    {"HTTP/1.1 101 OK\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
     "AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n",
     "mqtt", WS_ERR_HTTP_ACCEPT},
    {"HTTP/1.1 101 OK\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n", "mqtt",
     WS_ERR_HTTP_ACCEPT},
    {"HTTP/1.1 101 OK\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " ACCEPT "\r\n\r\n",
     "mqtt", WS_ERR_MQTT_SUBPROTOCOL},
    {"HTTP/1.1 101 OK\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " ACCEPT
     "\r\nSec-WebSocket-Protocol: chat\r\n\r\n",
     "mqtt", WS_ERR_HTTP_PROTOCOL_NOT_OFFERED},
    {"HTTP/1.1 101 OK\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " ACCEPT
     "\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n",
     "mqttv3.1", WS_ERR_HTTP_PROTOCOL_NOT_OFFERED},
    {"HTTP/1.1 101 OK\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " ACCEPT "\r\n\r\n", "mqtt",
     WS_ERR_HTTP_UPGRADE},
    {"SSH-2.0-OpenSSH_9.2\r\n\r\n", "mqtt", WS_ERR_HTTP_SYNTAX},
};

START_TEST(bad_response_table)
{
    const struct bad_response *row = &bad_responses[_i];
    ws_client c;
    upgrading(&c, row->protocol);
    size_t used;
    ws_error e;
    ck_assert_int_eq(ws_client_response(&c, (const uint8_t *)row->text, strlen(row->text), &used, &e), WS_MALFORMED);
    ck_assert_str_eq(ws_err_name(e.code), ws_err_name(row->code));
    ck_assert_int_eq(c.state, WS_CLIENT_CLOSED);
}
END_TEST

/* A header block that never ends is refused at the bound, not read forever. */
START_TEST(response_too_long)
{
    static uint8_t big[WS_CLIENT_RESPONSE_MAX + 64];
    memset(big, 'a', sizeof big);
    memcpy(big, "HTTP/1.1 101 OK\r\nX: ", 20);
    ws_client c;
    upgrading(&c, "mqtt");
    size_t used;
    ws_error e;
    ck_assert_int_eq(ws_client_response(&c, big, sizeof big, &used, &e), WS_MALFORMED);
    ck_assert_int_eq(e.code, WS_ERR_HTTP_TOO_LONG);
}
END_TEST

/* Data in one frame and in fragments, a ping between fragments, a pong. */
START_TEST(read_frames)
{
    ws_client c;
    open_session(&c);
    uint8_t b[64];
    size_t n = hex_to_bytes("02 02 30 03  89 01 70  80 03 00 01 61  8a 00", b, sizeof b);
    const ws_event_type want[] = {WS_EVENT_DATA, WS_EVENT_PING, WS_EVENT_DATA, WS_EVENT_PONG};
    const size_t lens[] = {2, 1, 3, 0};
    size_t at = 0;
    for (size_t i = 0; i < ARRAY_LEN(want); i++) {
        ws_event ev;
        ws_error e;
        ck_assert_int_eq(ws_client_read(&c, b + at, n - at, &ev, &e), WS_COMPLETE);
        ck_assert_int_eq(ev.type, want[i]);
        ck_assert_uint_eq(ev.len, lens[i]);
        at += ev.used;
    }
    ck_assert_uint_eq(at, n);
    ws_event ev;
    ws_error e;
    ck_assert_int_eq(ws_client_read(&c, b, 1, &ev, &e), WS_NEED_MORE);
    ck_assert_uint_eq(ev.need, 2);
}
END_TEST

static const struct bad_frame {
    const char *hex;
    ws_err code;
    uint16_t close_code;
} bad_frames[] = {
    {"81 02 7b 7d", WS_ERR_MQTT_NOT_BINARY, 1003},                  /* text [MQTT-6.0.0-1] */
    {"82 82 01 02 03 04 31 32", WS_ERR_MASKED_FROM_SERVER, 1002},   /* masked by the server */
    {"82 7f 00 00 01 00 00 00 00 00", WS_ERR_FRAME_TOO_LARGE, 1009}, /* 2^40 bytes: known from the header */
    {"82 7e 04 01", WS_ERR_FRAME_TOO_LARGE, 1009},                  /* 1025 > the 1024 limit */
    {"00 01 30", WS_ERR_CONTINUATION_UNEXPECTED, 1002},
    {"02 01 30 82 01 30", WS_ERR_MESSAGE_INTERLEAVED, 1002},
    {"c2 01 30", WS_ERR_RSV_WITHOUT_EXTENSION, 1002},
    {"83 00", WS_ERR_RESERVED_OPCODE, 1002},
    {"09 00", WS_ERR_CONTROL_FRAGMENTED, 1002},
    {"88 01 03", WS_ERR_CLOSE_PAYLOAD_ONE_BYTE, 1002},
    {"88 03 03 e8 ff", WS_ERR_CLOSE_REASON_UTF8, 1007},
    {"88 02 03 e8 82 01 30", WS_ERR_FRAME_AFTER_CLOSE, 1002}, /* data after the server's close */
};

START_TEST(bad_frame_table)
{
    const struct bad_frame *row = &bad_frames[_i];
    ws_client c;
    open_session(&c);
    uint8_t b[64];
    size_t n = hex_to_bytes(row->hex, b, sizeof b), at = 0;
    ws_event ev;
    ws_error e;
    ws_result r;
    while ((r = ws_client_read(&c, b + at, n - at, &ev, &e)) == WS_COMPLETE)
        at += ev.used;
    ck_assert_int_eq(r, WS_MALFORMED);
    ck_assert_str_eq(ws_err_name(e.code), ws_err_name(row->code));
    ck_assert_uint_eq(ws_client_fail_code(e.code), row->close_code);
    ck_assert_int_eq(c.state, WS_CLIENT_CLOSED);
    /* a failed session still sends its close, then nothing */
    uint8_t out[16];
    size_t w;
    ck_assert_int_eq(ws_client_frame(&c, WS_OP_BINARY, true, MASK, b, 1, out, sizeof out, &w),
                     WS_ERR_SEND_AFTER_CLOSE);
    if (!c.close_sent)
        ck_assert_int_eq(ws_client_close(&c, ws_client_fail_code(e.code), MASK, out, sizeof out, &w), WS_OK);
}
END_TEST

/* What the client writes is masked, and the server-side decoder reads back the same bytes: a packet
 * split over a binary frame and a continuation, then two packets coalesced in one frame. */
START_TEST(write_frames_read_back)
{
    ws_client c;
    open_session(&c);
    uint8_t pkt[] = {0x30, 0x05, 0x00, 0x01, 't', 'h', 'i', 0xc0, 0x00};
    uint8_t out[128];
    size_t at = 0, w;
    ck_assert_int_eq(ws_client_frame(&c, WS_OP_BINARY, false, MASK, pkt, 3, out, sizeof out, &w), WS_OK);
    ck_assert_uint_eq(w, ws_client_frame_size(3));
    at += w;
    ck_assert_int_eq(ws_client_frame(&c, WS_OP_CONTINUATION, true, MASK, pkt + 3, 4, out + at, sizeof out - at, &w),
                     WS_OK);
    at += w;
    ck_assert_int_eq(ws_client_frame(&c, WS_OP_BINARY, true, MASK, pkt, sizeof pkt, out + at, sizeof out - at, &w),
                     WS_OK);
    at += w;
    const ws_decode_opts from_client = {.sender = WS_SENDER_CLIENT, .rsv_allowed = 0, .max_payload = 0};
    const size_t lens[] = {3, 4, sizeof pkt};
    const size_t offs[] = {0, 3, 0};
    size_t pos = 0;
    for (size_t i = 0; i < 3; i++) {
        ws_frame f;
        ck_assert_int_eq(ws_frame_decode(out + pos, at - pos, &from_client, &f), WS_COMPLETE);
        ck_assert(f.masked);
        ck_assert_uint_eq(f.payload_len, lens[i]);
        uint8_t plain[16];
        ws_mask(plain, f.payload, lens[i], f.mask, 0);
        ck_assert_bytes_eq(plain, lens[i], pkt + offs[i], lens[i]);
        pos += f.header_len + lens[i];
    }
    ck_assert_uint_eq(pos, at);
    /* control frames are checked: a ping over 125 bytes is refused; close goes through ws_client_close */
    static uint8_t big[200];
    static uint8_t bigout[256];
    ck_assert_int_eq(ws_client_frame(&c, WS_OP_PING, true, MASK, big, 126, bigout, sizeof bigout, &w),
                     WS_ERR_CONTROL_TOO_LONG);
    ck_assert_int_eq(ws_client_frame(&c, WS_OP_CLOSE, true, MASK, big, 0, bigout, sizeof bigout, &w),
                     WS_ERR_VALUE_OUT_OF_RANGE);
    /* a text frame may be written on purpose (to see a server refuse it) */
    ck_assert_int_eq(ws_client_frame(&c, WS_OP_TEXT, true, MASK, pkt, 2, out, sizeof out, &w), WS_OK);
    ck_assert_uint_eq(out[0], 0x81);
}
END_TEST

/* We close first: CLOSING, then the server's close makes it CLOSED; nothing may be sent after ours.
 * The server closes first: its close is read, ours answers it. */
START_TEST(close_handshake_both_orders)
{
    ws_client c;
    open_session(&c);
    uint8_t out[32];
    size_t w;
    ck_assert_int_eq(ws_client_close(&c, 1000, MASK, out, sizeof out, &w), WS_OK);
    ck_assert_uint_eq(w, 8);
    ck_assert_uint_eq(out[0], 0x88);
    ck_assert_uint_eq(out[1], 0x82);
    ck_assert_int_eq(c.state, WS_CLIENT_CLOSING);
    ck_assert_int_eq(ws_client_close(&c, 1000, MASK, out, sizeof out, &w), WS_ERR_SEND_AFTER_CLOSE);
    ck_assert_int_eq(ws_client_frame(&c, WS_OP_PONG, true, MASK, out, 0, out, sizeof out, &w),
                     WS_ERR_SEND_AFTER_CLOSE);
    uint8_t b[16];
    size_t n = hex_to_bytes("82 01 30 88 02 03 e8", b, sizeof b); /* data may still arrive before its close */
    ws_event ev;
    ws_error e;
    ck_assert_int_eq(ws_client_read(&c, b, n, &ev, &e), WS_COMPLETE);
    ck_assert_int_eq(ev.type, WS_EVENT_DATA);
    ck_assert_int_eq(ws_client_read(&c, b + 3, n - 3, &ev, &e), WS_COMPLETE);
    ck_assert_int_eq(ev.type, WS_EVENT_CLOSE);
    ck_assert(ev.close.has_code);
    ck_assert_uint_eq(ev.close.code, 1000);
    ck_assert_int_eq(c.state, WS_CLIENT_CLOSED);

    ws_client d;
    open_session(&d);
    n = hex_to_bytes("88 00", b, sizeof b);
    ck_assert_int_eq(ws_client_read(&d, b, n, &ev, &e), WS_COMPLETE);
    ck_assert_int_eq(ev.type, WS_EVENT_CLOSE);
    ck_assert(!ev.close.has_code);
    ck_assert_int_eq(d.state, WS_CLIENT_CLOSING);
    ck_assert_int_eq(ws_client_close(&d, 1000, MASK, out, sizeof out, &w), WS_OK);
    ck_assert_int_eq(d.state, WS_CLIENT_CLOSED);
    ck_assert_int_eq(ws_client_close(&d, 1005, MASK, out, sizeof out, &w), WS_ERR_SEND_AFTER_CLOSE);
    ck_assert_str_eq(ws_client_state_name(d.state), "closed");
}
END_TEST

/* Nothing is read or written before the handshake. */
START_TEST(not_open_yet)
{
    ws_client c;
    upgrading(&c, "mqtt");
    uint8_t b[8] = {0x82, 0x00};
    uint8_t out[16];
    size_t w;
    ws_event ev;
    ws_error e;
    ck_assert_int_eq(ws_client_frame(&c, WS_OP_BINARY, true, MASK, b, 1, out, sizeof out, &w), WS_ERR_NOT_OPEN);
    ck_assert_int_eq(ws_client_close(&c, 1000, MASK, out, sizeof out, &w), WS_ERR_NOT_OPEN);
    ck_assert_int_eq(ws_client_read(&c, b, 2, &ev, &e), WS_MALFORMED);
    ck_assert_int_eq(e.code, WS_ERR_NOT_OPEN);
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("ws_client");
    TCase *tc = tcase_create("ws_client");
    tcase_add_test(tc, request_text);
    tcase_add_test(tc, response_at_every_length);
    tcase_add_loop_test(tc, bad_response_table, 0, (int)ARRAY_LEN(bad_responses));
    tcase_add_test(tc, response_too_long);
    tcase_add_test(tc, read_frames);
    tcase_add_loop_test(tc, bad_frame_table, 0, (int)ARRAY_LEN(bad_frames));
    tcase_add_test(tc, write_frames_read_back);
    tcase_add_test(tc, close_handshake_both_orders);
    tcase_add_test(tc, not_open_yet);
    suite_add_tcase(s, tc);
    return s;
}
