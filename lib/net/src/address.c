#include "net/address.h"

#include <netdb.h>
#include <stdio.h>
#include <string.h>

/* One row per scheme: the URL prefix, and what it stacks over TCP. */
static const struct {
    const char *name;
    const char *prefix;
    bool tls, ws;
} schemes[NET_SCHEME_COUNT] = {
    [NET_SCHEME_TCP] = {"mqtt", "mqtt://", false, false},
    [NET_SCHEME_TLS] = {"mqtts", "mqtts://", true, false},
    [NET_SCHEME_WS] = {"ws", "ws://", false, true},
    [NET_SCHEME_WSS] = {"wss", "wss://", true, true},
};

const char *net_scheme_name(net_scheme s)
{
    return s < NET_SCHEME_COUNT ? schemes[s].name : "?";
}

bool net_scheme_tls(net_scheme s)
{
    return s < NET_SCHEME_COUNT && schemes[s].tls;
}

bool net_scheme_ws(net_scheme s)
{
    return s < NET_SCHEME_COUNT && schemes[s].ws;
}

/* HOST:PORT (host may be [IPV6]) from rest, which ends at the end of the string or at '/'. */
static bool parse_authority(const char *arg, const char *rest, size_t len, net_address *out, char *err,
                            size_t err_cap)
{
    const char *end = rest + len, *host_start = rest, *host_end, *colon;
    if (rest[0] == '[') {
        host_start = rest + 1;
        host_end = memchr(host_start, ']', (size_t)(end - host_start));
        colon = host_end ? host_end + 1 : NULL;
        if (!colon || colon == end || *colon != ':') {
            snprintf(err, err_cap, "'%s': an IPv6 host is written [ADDR]:PORT", arg);
            return false;
        }
    } else {
        colon = NULL;
        for (const char *p = rest; p < end; p++)
            if (*p == ':') {
                if (colon) {
                    snprintf(err, err_cap, "'%s' is not HOST:PORT (write an IPv6 address as [ADDR]:PORT)", arg);
                    return false;
                }
                colon = p;
            }
        if (!colon) {
            snprintf(err, err_cap, "'%s' has no port: write HOST:PORT", arg);
            return false;
        }
        host_end = colon;
    }
    size_t hlen = (size_t)(host_end - host_start);
    if (hlen == 0 || hlen >= sizeof out->host) {
        snprintf(err, err_cap, "'%s' needs a host of 1 to %zu characters before the port", arg, sizeof out->host - 1);
        return false;
    }
    for (const char *h = host_start; h < host_end; h++) {
        /* getaddrinfo would take "host name" or "[a]b" apart in surprising ways: refuse them */
        if ((unsigned char)*h <= ' ' || *h == 0x7f || *h == '[' || *h == ']' || *h == '/' || *h == '@') {
            snprintf(err, err_cap, "'%s': the host holds a space, bracket, '/', '@' or control character", arg);
            return false;
        }
    }
    /* Digits only: strtol alone would take "+1883", " 1883" and "", and a cast would wrap 65536+. */
    const char *p = colon + 1;
    size_t plen = (size_t)(end - p);
    bool digits = plen > 0 && plen <= 5 && strspn(p, "0123456789") >= plen;
    unsigned long n = 0;
    for (size_t i = 0; digits && i < plen; i++)
        n = n * 10 + (unsigned long)(p[i] - '0');
    if (!digits || n < 1 || n > 65535) {
        snprintf(err, err_cap, "'%s': the port must be a decimal number from 1 to 65535", arg);
        return false;
    }
    memcpy(out->host, host_start, hlen);
    out->host[hlen] = '\0';
    memcpy(out->port, p, plen);
    out->port[plen] = '\0';
    return true;
}

bool net_address_parse(const char *arg, net_address *out, char *err, size_t err_cap)
{
    memset(out, 0, sizeof *out);
    const char *rest = arg;
    const char *sep = strstr(arg, "://");
    if (sep) {
        size_t slen = (size_t)(sep - arg);
        int found = -1;
        for (int s = 0; s < NET_SCHEME_COUNT; s++)
            if (strlen(schemes[s].name) == slen && strncmp(arg, schemes[s].name, slen) == 0)
                found = s;
        if (found < 0) {
            snprintf(err, err_cap, "'%s': unknown scheme '%.*s' (mqtt, mqtts, ws or wss)", arg, (int)(slen > 20 ? 20 : slen),
                     arg);
            return false;
        }
        out->scheme = (net_scheme)found;
        rest = sep + 3;
    }
    const char *slash = strchr(rest, '/');
    size_t alen = slash ? (size_t)(slash - rest) : strlen(rest);
    if (!parse_authority(arg, rest, alen, out, err, err_cap))
        return false;
    if (!net_scheme_ws(out->scheme)) {
        if (slash && slash[1] != '\0') {
            snprintf(err, err_cap, "'%s': a path ('%s') needs ws:// or wss://", arg, slash);
            return false;
        }
        return true;
    }
    const char *path = slash ? slash : "/mqtt";
    size_t plen = strlen(path);
    if (plen >= sizeof out->path) {
        snprintf(err, err_cap, "'%s': the path is longer than %zu characters", arg, sizeof out->path - 1);
        return false;
    }
    for (const char *q = path; *q; q++)
        if ((unsigned char)*q <= ' ' || *q == 0x7f || *q == '#') {
            snprintf(err, err_cap, "'%s': the path holds a space, '#' or control character at offset %zu", arg,
                     (size_t)(q - arg));
            return false;
        }
    memcpy(out->path, path, plen + 1);
    return true;
}

void net_address_format(const net_address *a, char *out, size_t cap)
{
    bool v6 = strchr(a->host, ':') != NULL;
    snprintf(out, cap, "%s%s%s%s:%s%s", a->scheme == NET_SCHEME_TCP ? "" : schemes[a->scheme].prefix, v6 ? "[" : "",
             a->host, v6 ? "]" : "", a->port, a->path);
}

bool net_resolve(const net_address *a, net_endpoints *out, char *err, size_t err_cap)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV}, *res = NULL;
    memset(out, 0, sizeof *out);
    int rc = getaddrinfo(a->host, a->port, &hints, &res);
    if (rc != 0) {
        snprintf(err, err_cap, "cannot resolve '%s': %s", a->host, gai_strerror(rc));
        return false;
    }
    for (struct addrinfo *ai = res; ai && out->n < NET_MAX_ENDPOINTS; ai = ai->ai_next) {
        if (ai->ai_addrlen > sizeof out->addr[0])
            continue;
        memcpy(&out->addr[out->n], ai->ai_addr, ai->ai_addrlen);
        out->len[out->n++] = ai->ai_addrlen;
    }
    freeaddrinfo(res);
    if (out->n == 0) {
        snprintf(err, err_cap, "cannot resolve '%s': no usable address", a->host);
        return false;
    }
    return true;
}
