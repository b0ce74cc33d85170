/* The WebSocket opening handshake (lib/ws): the RFC 6455 accept example, SHA-1 through it, keys,
 * HTTP/1.1 header blocks read incrementally and bounded, and the checks of both sides including
 * MQTT's subprotocol rules. */
#include <string.h>

#include "support.h"
#include "ws/ws.h"

static const char REQUEST[] = "GET /mqtt HTTP/1.1\r\n"
                              "Host: 127.0.0.1:9001\r\n"
                              "Upgrade: websocket\r\n"
                              "Connection: keep-alive, Upgrade\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                              "Sec-WebSocket-Protocol: chat\r\n"
                              "Sec-WebSocket-Protocol: mqttv3.1, mqtt\r\n"
                              "Sec-WebSocket-Version: 13\r\n"
                              "\r\n";

static const char RESPONSE[] = "HTTP/1.1 101 Switching Protocols\r\n"
                               "Upgrade: websocket\r\n"
                               "Connection: Upgrade\r\n"
                               "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                               "Sec-WebSocket-Protocol: mqtt\r\n"
                               "\r\n";

#define KEY "dGhlIHNhbXBsZSBub25jZQ=="

static void check_view(ws_str v, const char *want)
{
    ck_assert_ptr_nonnull(v.data);
    ck_assert_uint_eq(v.len, strlen(want));
    ck_assert(memcmp(v.data, want, v.len) == 0);
}

/* RFC 6455 1.3 and 4.2.2: the sample nonce's key and its 28-character accept value. */
START_TEST(rfc_accept_example)
{
    char accept[WS_ACCEPT_LEN + 1];
    ws_accept_for_key(KEY, strlen(KEY), accept);
    ck_assert_str_eq(accept, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    ck_assert(ws_key_valid(KEY, strlen(KEY)));
    /* "the sample nonce" is the RFC's 16-byte nonce */
    char key[WS_KEY_LEN + 1];
    ws_key_from_nonce((const uint8_t *)"the sample nonce", key);
    ck_assert_str_eq(key, KEY);
    ck_assert(!ws_key_valid("dGhlIHNhbXBsZSBub25jZQ=", 23));
    ck_assert(!ws_key_valid("dGhlIHNhbXBsZSBub25jZR==", 24)); /* not canonical: stray low bits */
    ck_assert(!ws_key_valid("dGhlIHNhbXBsZSBub25j*Q==", 24));
    ck_assert(!ws_key_valid("dGhlIHNhbXBsZSBub25jZWVl", 24)); /* 18 bytes */
}
END_TEST

START_TEST(request_parsed_at_every_length)
{
    const uint8_t *b = (const uint8_t *)REQUEST;
    size_t n = strlen(REQUEST);
    ws_http h;
    ws_error e;
    for (size_t cut = 0; cut < n; cut++)
        ck_assert_int_eq(ws_http_parse(b, cut, 0, &h, &e), WS_NEED_MORE);
    ck_assert_int_eq(ws_http_parse(b, n, 0, &h, &e), WS_COMPLETE);
    ck_assert(!h.is_response);
    ck_assert_uint_eq(h.length, n);
    check_view(h.method, "GET");
    check_view(h.target, "/mqtt");
    check_view(h.version, "HTTP/1.1");
    check_view(h.host, "127.0.0.1:9001");
    check_view(h.key, KEY);
    check_view(h.protocol, "chat");
    ck_assert_uint_eq(h.protocol_lines, 2);
    ck_assert(ws_http_offers_protocol(&h, "mqtt"));
    ck_assert(ws_http_offers_protocol(&h, "mqttv3.1"));
    ck_assert(!ws_http_offers_protocol(&h, "MQTT")); /* subprotocol names are case-sensitive */
    ck_assert(ws_token_list_has(h.connection, "upgrade"));
    ck_assert_int_eq(ws_check_request(&h, b, "mqtt", &e), WS_COMPLETE);
    ck_assert_int_eq(ws_check_request(&h, b, "wamp", &e), WS_MALFORMED);
    ck_assert_uint_eq(e.code, WS_ERR_MQTT_NOT_OFFERED);
    ck_assert_str_eq(ws_err_reference(e.code), "MQTT-6.0.0-3");
    ck_assert_str_eq(ws_err_reference(WS_ERR_MQTT_SUBPROTOCOL), "MQTT-6.0.0-4");

    /* the bytes after the block are not part of it */
    uint8_t more[1024];
    memcpy(more, REQUEST, n);
    memcpy(more + n, "\x82\x80", 2);
    ck_assert_int_eq(ws_http_parse(more, n + 2, 0, &h, &e), WS_COMPLETE);
    ck_assert_uint_eq(h.length, n);

    int count = 0;
    ws_str rest = h.headers, name, value;
    while (ws_http_next_header(&rest, &name, &value))
        count++;
    ck_assert_int_eq(count, 7);
}
END_TEST

START_TEST(response_checked_against_key)
{
    const uint8_t *b = (const uint8_t *)RESPONSE;
    ws_http h;
    ws_error e;
    ck_assert_int_eq(ws_http_parse(b, strlen(RESPONSE), 0, &h, &e), WS_COMPLETE);
    ck_assert(h.is_response);
    ck_assert_uint_eq(h.status, 101);
    check_view(h.reason, "Switching Protocols");
    ck_assert_int_eq(ws_check_response(&h, b, KEY, strlen(KEY), "mqtt", &e), WS_COMPLETE);
    /* another key, another accept */
    ck_assert_int_eq(ws_check_response(&h, b, "AAAAAAAAAAAAAAAAAAAAAA==", 24, "mqtt", &e), WS_MALFORMED);
    ck_assert_uint_eq(e.code, WS_ERR_HTTP_ACCEPT);
    ck_assert_uint_eq(e.offset, (uint64_t)(strstr(RESPONSE, "s3pP") - RESPONSE));
    /* a subprotocol the client did not offer */
    ck_assert_int_eq(ws_check_response(&h, b, KEY, strlen(KEY), "mqttv3.1", &e), WS_MALFORMED);
    ck_assert_uint_eq(e.code, WS_ERR_HTTP_PROTOCOL_NOT_OFFERED);
    ck_assert_int_eq(ws_check_response(&h, b, KEY, strlen(KEY), NULL, &e), WS_MALFORMED);
    ck_assert_uint_eq(e.code, WS_ERR_HTTP_PROTOCOL_NOT_OFFERED);
}
END_TEST

typedef struct bad_response {
    const char *text;
    ws_err code;
} bad_response;

static const bad_response bad_responses[] = {
    {"HTTP/1.1 200 OK\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", WS_ERR_HTTP_STATUS},
    {"HTTP/1.1 101 x\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n",
     WS_ERR_HTTP_UPGRADE},
    {"HTTP/1.1 101 x\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n",
     WS_ERR_HTTP_CONNECTION},
    {"HTTP/1.1 101 x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", WS_ERR_HTTP_ACCEPT},
    {"HTTP/1.1 101 x\nUpgrade: WebSocket\nConnection: upgrade\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\n\n",
     WS_ERR_MQTT_SUBPROTOCOL}, /* LF line ends and any case of the tokens are fine; no subprotocol is not */
};

START_TEST(bad_response_table)
{
    const bad_response *row = &bad_responses[_i];
    ws_http h;
    ws_error e;
    const uint8_t *b = (const uint8_t *)row->text;
    ck_assert_int_eq(ws_http_parse(b, strlen(row->text), 0, &h, &e), WS_COMPLETE);
    ck_assert_int_eq(ws_check_response(&h, b, KEY, strlen(KEY), "mqtt", &e), WS_MALFORMED);
    ck_assert_str_eq(ws_err_name(e.code), ws_err_name(row->code));
}
END_TEST

START_TEST(syntax_and_bounds)
{
    ws_http h;
    ws_error e;
    const char *bad[] = {
        "GET /mqtt\r\n\r\n",                        /* no version */
        "GET /mqtt HTTP/2.0\r\n\r\n",               /* not HTTP/1.x */
        "G(T /mqtt HTTP/1.1\r\n\r\n",               /* not a token */
        "GET /mqtt HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n",    /* no colon */
        "GET /mqtt HTTP/1.1\r\nHost : 127.0.0.1\r\n\r\n",  /* space before the colon */
        "GET /mqtt HTTP/1.1\r\nX: a\r\n  folded\r\n\r\n",   /* obsolete folding */
        "HTTP/1.1 1O1 Switching\r\n\r\n",          /* status not digits */
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        ck_assert_int_eq(ws_http_parse((const uint8_t *)bad[i], strlen(bad[i]), 0, &h, &e), WS_MALFORMED);
        ck_assert_uint_eq(e.code, WS_ERR_HTTP_SYNTAX);
    }
    const char *folded = "GET /mqtt HTTP/1.1\r\nX: a\r\n  folded\r\n\r\n";
    ws_http_parse((const uint8_t *)folded, strlen(folded), 0, &h, &e);
    ck_assert_uint_eq(e.offset, 26);

    /* no blank line within the bound: refused once the bound is reached, waited for before */
    const uint8_t *b = (const uint8_t *)REQUEST;
    size_t n = strlen(REQUEST);
    ck_assert_int_eq(ws_http_parse(b, 63, 64, &h, &e), WS_NEED_MORE);
    ck_assert_int_eq(ws_http_parse(b, n, 64, &h, &e), WS_MALFORMED);
    ck_assert_uint_eq(e.code, WS_ERR_HTTP_TOO_LONG);
    ck_assert_uint_eq(e.offset, 64);
    ck_assert_int_eq(ws_http_parse(b, n, n, &h, &e), WS_COMPLETE);

    const char *post = "POST /mqtt HTTP/1.1\r\nUpgrade: websocket\r\n\r\n";
    ck_assert_int_eq(ws_http_parse((const uint8_t *)post, strlen(post), 0, &h, &e), WS_COMPLETE);
    ck_assert_int_eq(ws_check_request(&h, (const uint8_t *)post, NULL, &e), WS_MALFORMED);
    ck_assert_uint_eq(e.code, WS_ERR_HTTP_NOT_GET);
    const char *v8 = "GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 8\r\n"
                     "Sec-WebSocket-Key: " KEY "\r\n\r\n";
    ck_assert_int_eq(ws_http_parse((const uint8_t *)v8, strlen(v8), 0, &h, &e), WS_COMPLETE);
    ck_assert_int_eq(ws_check_request(&h, (const uint8_t *)v8, NULL, &e), WS_MALFORMED);
    ck_assert_uint_eq(e.code, WS_ERR_HTTP_VERSION);
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("ws_handshake");
    TCase *tc = tcase_create("ws_handshake");
    tcase_add_test(tc, rfc_accept_example);
    tcase_add_test(tc, request_parsed_at_every_length);
    tcase_add_test(tc, response_checked_against_key);
    tcase_add_loop_test(tc, bad_response_table, 0, (int)ARRAY_LEN(bad_responses));
    tcase_add_test(tc, syntax_and_bounds);
    suite_add_tcase(s, tc);
    return s;
}
