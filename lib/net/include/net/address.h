/* Broker addresses: one syntax for every command that talks to a broker (run, probe, replay).
 *
 *   HOST:PORT  mqtt://HOST:PORT      MQTT over TCP
 *   mqtts://HOST:PORT                MQTT over TLS
 *   ws://HOST:PORT/PATH              MQTT over WebSocket (PATH defaults to /mqtt)
 *   wss://HOST:PORT/PATH             MQTT over WebSocket over TLS
 *
 * HOST is a name, an IPv4 address or an IPv6 address in brackets ([::1]:1883). PORT is 1-65535 in
 * decimal, and always given: a default port would hide which listener is being certified. */
#ifndef NET_ADDRESS_H
#define NET_ADDRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

typedef enum net_scheme {
    NET_SCHEME_TCP = 0, /* HOST:PORT, mqtt:// */
    NET_SCHEME_TLS,     /* mqtts:// */
    NET_SCHEME_WS,      /* ws:// */
    NET_SCHEME_WSS,     /* wss:// */
    NET_SCHEME_COUNT
} net_scheme;

enum { NET_HOST_MAX = 256, NET_PATH_MAX = 512, NET_MAX_ENDPOINTS = 8 };

typedef struct net_address {
    net_scheme scheme;
    char host[NET_HOST_MAX]; /* without the brackets of an IPv6 address */
    char port[6];            /* decimal text, 1-65535 */
    char path[NET_PATH_MAX]; /* ws/wss: the request path, starting with '/'; empty otherwise */
} net_address;

/* The scheme's name in URLs ("mqtt", "mqtts", "ws", "wss") and whether it runs over TLS / WebSocket. */
const char *net_scheme_name(net_scheme s);
bool net_scheme_tls(net_scheme s);
bool net_scheme_ws(net_scheme s);

/* Parse arg. false with a one-line reason naming what is wrong in err (NUL-terminated). */
bool net_address_parse(const char *arg, net_address *out, char *err, size_t err_cap);

/* The address back as text: "mqtts://[::1]:8883", "127.0.0.1:1883" for plain TCP. */
void net_address_format(const net_address *a, char *out, size_t cap);

/* What a name resolved to: every address to try, in getaddrinfo's order. */
typedef struct net_endpoints {
    size_t n;
    struct sockaddr_storage addr[NET_MAX_ENDPOINTS];
    socklen_t len[NET_MAX_ENDPOINTS];
} net_endpoints;

/* Resolve a's host and port. false with "cannot resolve 'HOST': reason" in err. */
bool net_resolve(const net_address *a, net_endpoints *out, char *err, size_t err_cap);

#endif
