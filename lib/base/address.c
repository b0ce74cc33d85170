#include "address.h"

#include <netdb.h>
#include <stdio.h>
#include <string.h>

bool cf_parse_address(const char *arg, char *host, size_t host_cap, char *port, size_t port_cap, char *err,
                      size_t err_cap)
{
    const char *host_start = arg, *host_end, *colon;
    if (arg[0] == '[') {
        host_start = arg + 1;
        host_end = strchr(host_start, ']');
        colon = host_end ? host_end + 1 : NULL;
        if (!colon || *colon != ':') {
            snprintf(err, err_cap, "'%s' is not [IPV6]:PORT", arg);
            return false;
        }
    } else {
        colon = strrchr(arg, ':');
        host_end = colon;
        if (!colon || strchr(arg, ':') != colon) {
            snprintf(err, err_cap, "'%s' is not HOST:PORT (write an IPv6 address as [ADDR]:PORT)", arg);
            return false;
        }
    }
    size_t hlen = (size_t)(host_end - host_start);
    if (hlen == 0 || hlen >= host_cap) {
        snprintf(err, err_cap, "'%s' needs a host of 1 to %zu characters before the port", arg, host_cap - 1);
        return false;
    }
    for (const char *h = host_start; h < host_end; h++) {
        /* getaddrinfo would take "host name" or "[a]b" apart in surprising ways: refuse them */
        if ((unsigned char)*h <= ' ' || *h == 0x7f || *h == '[' || *h == ']') {
            snprintf(err, err_cap, "'%s': the host holds a space, bracket or control character", arg);
            return false;
        }
    }
    /* Digits only: strtol alone would take "+1883", " 1883" and "", and a cast would wrap 65536+. */
    const char *p = colon + 1;
    size_t plen = strlen(p);
    bool digits = plen > 0 && plen <= 5 && strspn(p, "0123456789") == plen;
    unsigned long n = 0;
    for (size_t i = 0; digits && i < plen; i++)
        n = n * 10 + (unsigned long)(p[i] - '0');
    if (!digits || n < 1 || n > 65535 || plen >= port_cap) {
        snprintf(err, err_cap, "'%s': the port must be a decimal number from 1 to 65535", arg);
        return false;
    }
    memcpy(host, host_start, hlen);
    host[hlen] = '\0';
    memcpy(port, p, plen + 1);
    return true;
}

int cf_resolve(const char *spec, struct sockaddr_storage *addr, socklen_t *addrlen, cf_strbuf *err)
{
    char host[256], port[8], why[512];
    if (!cf_parse_address(spec, host, sizeof host, port, sizeof port, why, sizeof why)) {
        cf_sb_puts(err, why);
        return -1;
    }
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV}, *res = NULL;
    int rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0) {
        cf_sb_printf(err, "cannot resolve '%s': %s", spec, gai_strerror(rc));
        return -1;
    }
    if (res->ai_addrlen > sizeof *addr) {
        freeaddrinfo(res);
        cf_sb_printf(err, "cannot use the address of '%s'", spec);
        return -1;
    }
    memcpy(addr, res->ai_addr, res->ai_addrlen);
    *addrlen = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}
