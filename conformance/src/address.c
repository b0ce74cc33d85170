#include "address.h"

#include <netdb.h>
#include <stdio.h>
#include <string.h>

int cf_resolve(const char *spec, struct sockaddr_storage *addr, socklen_t *addrlen, cf_strbuf *err)
{
    char host[256];
    const char *port;
    if (spec[0] == '[') {
        const char *close = strchr(spec, ']');
        if (!close || close[1] != ':') {
            cf_sb_printf(err, "expected [ADDRESS]:PORT, got '%s'", spec);
            return -1;
        }
        snprintf(host, sizeof host, "%.*s", (int)(close - spec - 1), spec + 1);
        port = close + 2;
    } else {
        const char *colon = strrchr(spec, ':');
        if (!colon) {
            cf_sb_printf(err, "expected HOST:PORT, got '%s'", spec);
            return -1;
        }
        snprintf(host, sizeof host, "%.*s", (int)(colon - spec), spec);
        port = colon + 1;
    }
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV}, *res = NULL;
    int rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0) {
        cf_sb_printf(err, "cannot resolve '%s': %s", spec, gai_strerror(rc));
        return -1;
    }
    memcpy(addr, res->ai_addr, res->ai_addrlen);
    *addrlen = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}
