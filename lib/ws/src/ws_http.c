/* HTTP/1.1 header blocks as the opening handshake uses them (RFC 7230 3, RFC 6455 4): the start line,
 * then "name: value" lines up to a blank line. Bounded by the caller; views only. */
#include <string.h>

#include "ws/handshake.h"

enum { DEFAULT_MAX = 8192 };

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool equals_nocase(ws_str s, const char *word)
{
    size_t n = strlen(word);
    if (s.len != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(s.data[i]) != lower(word[i]))
            return false;
    return true;
}

static bool is_tchar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static ws_str trim(ws_str s)
{
    while (s.len && (s.data[0] == ' ' || s.data[0] == '\t'))
        s.data++, s.len--;
    while (s.len && (s.data[s.len - 1] == ' ' || s.data[s.len - 1] == '\t'))
        s.len--;
    return s;
}

/* The line at text[at..): its content without the line end, and where the next one starts. */
static bool next_line(const char *text, size_t len, size_t *at, ws_str *line)
{
    if (*at >= len)
        return false;
    const char *start = text + *at;
    const char *nl = memchr(start, '\n', len - *at);
    size_t n = nl ? (size_t)(nl - start) : len - *at;
    *at += n + (nl ? 1 : 0);
    if (n && start[n - 1] == '\r')
        n--;
    line->data = start;
    line->len = n;
    return true;
}

/* Where the blank line ending the block ends, or 0 when it is not in the first len bytes. */
static size_t block_end(const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (buf[i] != '\n')
            continue;
        if (i + 1 < len && buf[i + 1] == '\n')
            return i + 2;
        if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
            return i + 3;
    }
    return 0;
}

static ws_result syntax(ws_error *err, const ws_str *where, const uint8_t *buf)
{
    err->code = WS_ERR_HTTP_SYNTAX;
    err->offset = where ? (uint64_t)((const uint8_t *)where->data - buf) : 0;
    return WS_MALFORMED;
}

/* "HTTP/1.x" */
static bool http_version(ws_str s)
{
    return s.len == 8 && memcmp(s.data, "HTTP/1.", 7) == 0 && s.data[7] >= '0' && s.data[7] <= '9';
}

/* Split at the first space; *rest after it. */
static ws_str word(ws_str *rest)
{
    ws_str w = *rest;
    const char *sp = memchr(rest->data, ' ', rest->len);
    if (!sp) {
        rest->data += rest->len;
        rest->len = 0;
        return w;
    }
    w.len = (size_t)(sp - rest->data);
    rest->len -= w.len + 1;
    rest->data = sp + 1;
    return w;
}

static bool start_line(ws_str line, ws_http *h)
{
    ws_str rest = line;
    ws_str first = word(&rest);
    if (http_version(first)) {
        ws_str code = word(&rest);
        if (code.len != 3)
            return false;
        unsigned v = 0;
        for (size_t i = 0; i < 3; i++) {
            if (code.data[i] < '0' || code.data[i] > '9')
                return false;
            v = v * 10 + (unsigned)(code.data[i] - '0');
        }
        h->is_response = true;
        h->version = first;
        h->status = (uint16_t)v;
        h->reason = rest;
        return true;
    }
    ws_str target = word(&rest);
    if (!first.len || !target.len || !http_version(rest))
        return false;
    for (size_t i = 0; i < first.len; i++)
        if (!is_tchar(first.data[i]))
            return false;
    h->method = first;
    h->target = target;
    h->version = rest;
    return true;
}

static bool split_header(ws_str line, ws_str *name, ws_str *value)
{
    const char *colon = memchr(line.data, ':', line.len);
    if (!colon || colon == line.data)
        return false;
    name->data = line.data;
    name->len = (size_t)(colon - line.data);
    for (size_t i = 0; i < name->len; i++)
        if (!is_tchar(name->data[i])) /* also refuses space before the colon (RFC 7230 3.2.4) */
            return false;
    value->data = colon + 1;
    value->len = line.len - name->len - 1;
    *value = trim(*value);
    return true;
}

bool ws_http_next_header(ws_str *rest, ws_str *name, ws_str *value)
{
    size_t at = 0;
    ws_str line;
    if (!rest->data) /* a block that did not parse has no header lines */
        return false;
    while (next_line(rest->data, rest->len, &at, &line)) {
        if (line.len == 0)
            continue;
        if (split_header(line, name, value)) {
            rest->data += at;
            rest->len -= at;
            return true;
        }
    }
    rest->data += rest->len;
    rest->len = 0;
    return false;
}

static void keep_first(ws_str *field, ws_str value)
{
    if (!field->data)
        *field = value;
}

ws_result ws_http_parse(const uint8_t *buf, size_t len, size_t max_len, ws_http *out, ws_error *err)
{
    memset(out, 0, sizeof *out);
    if (!max_len)
        max_len = DEFAULT_MAX;
    size_t end = block_end(buf, len < max_len ? len : max_len);
    if (!end) {
        if (len < max_len)
            return WS_NEED_MORE;
        err->code = WS_ERR_HTTP_TOO_LONG;
        err->offset = max_len;
        return WS_MALFORMED;
    }
    const char *text = (const char *)buf;
    size_t at = 0;
    ws_str line;
    next_line(text, end, &at, &line);
    if (!start_line(line, out))
        return syntax(err, &line, buf);
    out->headers.data = text + at;
    out->headers.len = end - at;
    while (next_line(text, end, &at, &line) && line.len) {
        ws_str name, value;
        if (line.data[0] == ' ' || line.data[0] == '\t' || !split_header(line, &name, &value))
            return syntax(err, &line, buf); /* obsolete line folding is refused too (RFC 7230 3.2.4) */
        if (equals_nocase(name, "Host"))
            keep_first(&out->host, value);
        else if (equals_nocase(name, "Upgrade"))
            keep_first(&out->upgrade, value);
        else if (equals_nocase(name, "Connection"))
            keep_first(&out->connection, value);
        else if (equals_nocase(name, "Sec-WebSocket-Key"))
            keep_first(&out->key, value);
        else if (equals_nocase(name, "Sec-WebSocket-Accept"))
            keep_first(&out->accept, value);
        else if (equals_nocase(name, "Sec-WebSocket-Version"))
            keep_first(&out->ws_version, value);
        else if (equals_nocase(name, "Sec-WebSocket-Extensions"))
            keep_first(&out->extensions, value);
        else if (equals_nocase(name, "Sec-WebSocket-Protocol")) {
            keep_first(&out->protocol, value);
            out->protocol_lines++;
        }
    }
    out->length = end;
    return WS_COMPLETE;
}

static bool list_has(ws_str list, const char *token, bool nocase)
{
    size_t n = strlen(token);
    while (list.len) {
        const char *comma = memchr(list.data, ',', list.len);
        ws_str item = {list.data, comma ? (size_t)(comma - list.data) : list.len};
        item = trim(item);
        if (nocase ? equals_nocase(item, token) : (item.len == n && memcmp(item.data, token, n) == 0))
            return true;
        if (!comma)
            break;
        list.len -= (size_t)(comma - list.data) + 1;
        list.data = comma + 1;
    }
    return false;
}

bool ws_token_list_has(ws_str list, const char *token)
{
    return list_has(list, token, true);
}

bool ws_http_offers_protocol(const ws_http *h, const char *protocol)
{
    ws_str rest = h->headers, name, value;
    while (ws_http_next_header(&rest, &name, &value))
        if (equals_nocase(name, "Sec-WebSocket-Protocol") && list_has(value, protocol, false))
            return true;
    return false;
}
