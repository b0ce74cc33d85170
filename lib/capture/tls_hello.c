/* TLS hellos (RFC 8446 4.1.2, 4.1.3, 4.2.1; RFC 6066 3 for server_name), read with a cursor that
 * never passes its end. */
#include "tls_hello.h"

#include <stdio.h>
#include <string.h>

enum {
    CONTENT_HANDSHAKE = 22,
    HS_CLIENT_HELLO = 1,
    HS_SERVER_HELLO = 2,
    EXT_SERVER_NAME = 0,
    EXT_SUPPORTED_VERSIONS = 43,
    NAME_TYPE_HOST = 0
};

typedef struct cursor {
    const uint8_t *p;
    size_t left;
    bool ok;
} cursor;

static uint32_t take(cursor *c, size_t n)
{
    if (!c->ok || c->left < n) {
        c->ok = false;
        return 0;
    }
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v << 8 | c->p[i];
    c->p += n;
    c->left -= n;
    return v;
}

/* A length-prefixed block as its own cursor, the outer one moved past it. */
static cursor block(cursor *c, size_t prefix)
{
    size_t n = take(c, prefix);
    cursor inner = {c->p, n, c->ok && c->left >= n};
    if (inner.ok) {
        c->p += n;
        c->left -= n;
    } else {
        c->ok = false;
    }
    return inner;
}

cap_tls_sniff cap_tls_sniff_record(const uint8_t *buf, size_t len, size_t *need)
{
    /* type, then major version 3 and a minor version up to 4: bytes no MQTT stream starts with */
    if (len >= 1 && buf[0] != CONTENT_HANDSHAKE)
        return CAP_TLS_SNIFF_NO;
    if (len >= 2 && buf[1] != 3)
        return CAP_TLS_SNIFF_NO;
    if (len >= 3 && buf[2] > 4)
        return CAP_TLS_SNIFF_NO;
    if (len < CAP_TLS_RECORD_HEADER) {
        *need = CAP_TLS_RECORD_HEADER;
        return CAP_TLS_SNIFF_MORE;
    }
    size_t body = (size_t)buf[3] << 8 | buf[4];
    if (body == 0 || body > CAP_TLS_RECORD_MAX)
        return CAP_TLS_SNIFF_NO;
    *need = CAP_TLS_RECORD_HEADER + body;
    return len >= *need ? CAP_TLS_SNIFF_YES : CAP_TLS_SNIFF_MORE;
}

/* The handshake message of the record at buf, when it is of type want. */
static bool handshake(const uint8_t *buf, size_t len, unsigned want, cursor *body)
{
    size_t need;
    if (cap_tls_sniff_record(buf, len, &need) != CAP_TLS_SNIFF_YES)
        return false;
    cursor rec = {buf + CAP_TLS_RECORD_HEADER, need - CAP_TLS_RECORD_HEADER, true};
    if (take(&rec, 1) != want)
        return false;
    size_t n = take(&rec, 3);
    if (!rec.ok)
        return false;
    /* a hello longer than its record continues in the next one: read what this record holds */
    body->p = rec.p;
    body->left = n < rec.left ? n : rec.left;
    body->ok = true;
    return true;
}

static void copy_name(cursor name, char *out, size_t cap)
{
    size_t n = name.left < cap - 1 ? name.left : cap - 1;
    for (size_t i = 0; i < n; i++)
        out[i] = name.p[i] > 0x20 && name.p[i] < 0x7F ? (char)name.p[i] : '?';
    out[n] = '\0';
}

static void server_name(cursor ext, cap_tls_info *info)
{
    cursor list = block(&ext, 2);
    while (list.ok && list.left) {
        unsigned type = take(&list, 1);
        cursor name = block(&list, 2);
        if (list.ok && type == NAME_TYPE_HOST) {
            copy_name(name, info->sni, sizeof info->sni);
            return;
        }
    }
}

bool cap_tls_parse_client_hello(const uint8_t *buf, size_t len, cap_tls_info *info)
{
    cursor c;
    if (!handshake(buf, len, HS_CLIENT_HELLO, &c))
        return false;
    info->client_version = (uint16_t)take(&c, 2);
    take(&c, 32);  /* random */
    block(&c, 1);  /* session id */
    block(&c, 2);  /* cipher suites */
    block(&c, 1);  /* compression methods */
    if (!c.ok)
        return false;
    cursor exts = block(&c, 2);
    while (exts.ok && exts.left >= 4) {
        unsigned type = take(&exts, 2);
        cursor ext = block(&exts, 2);
        if (!exts.ok)
            break;
        if (type == EXT_SERVER_NAME) {
            server_name(ext, info);
        } else if (type == EXT_SUPPORTED_VERSIONS) {
            cursor versions = block(&ext, 1);
            while (versions.ok && versions.left >= 2) {
                uint16_t v = (uint16_t)take(&versions, 2);
                if ((v >> 8) == 3 && v > info->offered_max) /* GREASE values are not 3.x */
                    info->offered_max = v;
            }
        }
    }
    return true;
}

bool cap_tls_parse_server_hello(const uint8_t *buf, size_t len, cap_tls_info *info)
{
    cursor c;
    if (!handshake(buf, len, HS_SERVER_HELLO, &c))
        return false;
    uint16_t version = (uint16_t)take(&c, 2);
    take(&c, 32);
    block(&c, 1);
    take(&c, 2); /* cipher suite */
    take(&c, 1); /* compression */
    if (!c.ok)
        return false;
    info->server_hello = true;
    info->selected = version;
    cursor exts = block(&c, 2);
    while (exts.ok && exts.left >= 4) {
        unsigned type = take(&exts, 2);
        cursor ext = block(&exts, 2);
        if (exts.ok && type == EXT_SUPPORTED_VERSIONS && ext.left == 2)
            info->selected = (uint16_t)take(&ext, 2);
    }
    return true;
}

void cap_tls_version_name(uint16_t version, char *buf, size_t cap)
{
    if (version == 0x0300)
        snprintf(buf, cap, "SSL 3.0");
    else if (version >= 0x0301 && version <= 0x0304)
        snprintf(buf, cap, "TLS 1.%u", (unsigned)(version - 0x0301));
    else
        snprintf(buf, cap, "0x%04x", (unsigned)version);
}
