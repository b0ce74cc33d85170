/* The opening handshake's values and checks (RFC 6455 4.1, 4.2.1, 4.2.2; MQTT section 6). */
#include <string.h>

#include "ws/handshake.h"
#include "ws_base64.h"
#include "ws_sha1.h"

/* The fixed GUID RFC 6455 appends to the key before hashing. */
static const char GUID[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

void ws_key_from_nonce(const uint8_t nonce[16], char out[WS_KEY_LEN + 1])
{
    ws_base64_encode(nonce, 16, out);
}

bool ws_key_valid(const char *key, size_t len)
{
    return len == WS_KEY_LEN && ws_base64_decoded_len(key, len) == 16;
}

void ws_accept_for_key(const char *key, size_t len, char out[WS_ACCEPT_LEN + 1])
{
    ws_sha1 sha;
    uint8_t digest[20];
    ws_sha1_init(&sha);
    ws_sha1_update(&sha, key, len);
    ws_sha1_update(&sha, GUID, sizeof GUID - 1);
    ws_sha1_final(&sha, digest);
    ws_base64_encode(digest, sizeof digest, out);
}

static ws_result fail(ws_error *err, ws_err code, const ws_str *where, const uint8_t *buf)
{
    err->code = code;
    err->offset = where && where->data && buf ? (uint64_t)((const uint8_t *)where->data - buf) : 0;
    return WS_MALFORMED;
}

static bool is(ws_str s, const char *word)
{
    return s.len == strlen(word) && memcmp(s.data, word, s.len) == 0;
}

/* Upgrade and Connection, which both sides must send. */
static ws_result check_upgrade(const ws_http *h, const uint8_t *buf, ws_error *err)
{
    if (!h->upgrade.data || !ws_token_list_has(h->upgrade, "websocket"))
        return fail(err, WS_ERR_HTTP_UPGRADE, &h->upgrade, buf);
    if (!h->connection.data || !ws_token_list_has(h->connection, "upgrade"))
        return fail(err, WS_ERR_HTTP_CONNECTION, &h->connection, buf);
    return WS_COMPLETE;
}

ws_result ws_check_request(const ws_http *req, const uint8_t *buf, const char *protocol, ws_error *err)
{
    if (req->is_response || !is(req->method, "GET"))
        return fail(err, WS_ERR_HTTP_NOT_GET, &req->method, buf);
    if (!is(req->version, "HTTP/1.1"))
        return fail(err, WS_ERR_HTTP_SYNTAX, &req->version, buf);
    ws_result r = check_upgrade(req, buf, err);
    if (r != WS_COMPLETE)
        return r;
    if (!is(req->ws_version, "13"))
        return fail(err, WS_ERR_HTTP_VERSION, &req->ws_version, buf);
    if (!req->key.data || !ws_key_valid(req->key.data, req->key.len))
        return fail(err, WS_ERR_HTTP_KEY, &req->key, buf);
    if (protocol && !ws_http_offers_protocol(req, protocol))
        return fail(err, WS_ERR_MQTT_NOT_OFFERED, &req->protocol, buf);
    return WS_COMPLETE;
}

ws_result ws_check_response(const ws_http *resp, const uint8_t *buf, const char *key, size_t key_len,
                            const char *protocol, ws_error *err)
{
    if (!resp->is_response || resp->status != 101)
        return fail(err, WS_ERR_HTTP_STATUS, &resp->version, buf);
    ws_result r = check_upgrade(resp, buf, err);
    if (r != WS_COMPLETE)
        return r;
    char want[WS_ACCEPT_LEN + 1];
    ws_accept_for_key(key, key_len, want);
    if (!is(resp->accept, want))
        return fail(err, WS_ERR_HTTP_ACCEPT, &resp->accept, buf);
    /* the server selects one of the offered subprotocols, on one line, or none */
    if (resp->protocol.data && (!protocol || !is(resp->protocol, protocol) || resp->protocol_lines > 1))
        return fail(err, WS_ERR_HTTP_PROTOCOL_NOT_OFFERED, &resp->protocol, buf);
    if (protocol && !resp->protocol.data)
        return fail(err, WS_ERR_MQTT_SUBPROTOCOL, NULL, buf);
    return WS_COMPLETE;
}
