/* Broker addresses (lib/net): every scheme, IPv6 in brackets, the default WebSocket path, and a
 * reason naming what is wrong for each malformed form. */
#include <string.h>

#include "net/address.h"
#include "support.h"

static const struct {
    const char *arg;
    net_scheme scheme;
    const char *host, *port, *path, *formatted;
} good[] = {
    {"127.0.0.1:1883", NET_SCHEME_TCP, "127.0.0.1", "1883", "", "127.0.0.1:1883"},
    {"mqtt://localhost:1", NET_SCHEME_TCP, "localhost", "1", "", "localhost:1"},
    {"mqtt://localhost:1883/", NET_SCHEME_TCP, "localhost", "1883", "", "localhost:1883"},
    {"mqtts://broker.example:8883", NET_SCHEME_TLS, "broker.example", "8883", "", "mqtts://broker.example:8883"},
    {"[::1]:65535", NET_SCHEME_TCP, "::1", "65535", "", "[::1]:65535"},
    {"mqtts://[::1]:8883", NET_SCHEME_TLS, "::1", "8883", "", "mqtts://[::1]:8883"},
    {"ws://127.0.0.1:9001", NET_SCHEME_WS, "127.0.0.1", "9001", "/mqtt", "ws://127.0.0.1:9001/mqtt"},
    {"ws://127.0.0.1:9001/", NET_SCHEME_WS, "127.0.0.1", "9001", "/", "ws://127.0.0.1:9001/"},
    {"wss://[fe80::1]:443/a/b?x=1", NET_SCHEME_WSS, "fe80::1", "443", "/a/b?x=1", "wss://[fe80::1]:443/a/b?x=1"},
};

static const struct {
    const char *arg;
    const char *reason; /* a piece of the message */
} bad[] = {
    {"127.0.0.1", "has no port"},
    {"127.0.0.1:", "port must be"},
    {"127.0.0.1:0", "port must be"},
    {"127.0.0.1:65536", "port must be"},
    {"127.0.0.1:+1883", "port must be"},
    {"127.0.0.1:1883x", "port must be"},
    {"127.0.0.1:018830", "port must be"},
    {":1883", "needs a host"},
    {"::1:1883", "IPv6 address as [ADDR]:PORT"},
    {"[::1]1883", "[ADDR]:PORT"},
    {"[::1", "[ADDR]:PORT"},
    {"http://127.0.0.1:80", "unknown scheme 'http'"},
    {"mqtts://:8883", "needs a host"},
    {"mqtt://127.0.0.1:1883/mqtt", "needs ws:// or wss://"},
    {"ws://127.0.0.1:0/mqtt", "port must be"},
    {"ws://127.0.0.1/mqtt", "has no port"},
    {"ws://127.0.0.1:9001/a b", "the path holds a space"},
    {"user@host:1883", "'@'"},
    {"ho st:1883", "space"},
};

START_TEST(good_addresses)
{
    net_address a;
    char err[300] = "", text[600];
    ck_assert_msg(net_address_parse(good[_i].arg, &a, err, sizeof err), "%s: %s", good[_i].arg, err);
    ck_assert_int_eq(a.scheme, good[_i].scheme);
    ck_assert_str_eq(a.host, good[_i].host);
    ck_assert_str_eq(a.port, good[_i].port);
    ck_assert_str_eq(a.path, good[_i].path);
    net_address_format(&a, text, sizeof text);
    ck_assert_str_eq(text, good[_i].formatted);
    ck_assert(net_scheme_tls(a.scheme) == (a.scheme == NET_SCHEME_TLS || a.scheme == NET_SCHEME_WSS));
    ck_assert(net_scheme_ws(a.scheme) == (a.scheme == NET_SCHEME_WS || a.scheme == NET_SCHEME_WSS));
}
END_TEST

START_TEST(bad_addresses)
{
    net_address a;
    char err[300] = "";
    ck_assert_msg(!net_address_parse(bad[_i].arg, &a, err, sizeof err), "%s was accepted", bad[_i].arg);
    ck_assert_msg(strstr(err, bad[_i].reason) != NULL, "%s: '%s' does not say '%s'", bad[_i].arg, err,
                  bad[_i].reason);
    ck_assert_msg(strstr(err, bad[_i].arg) != NULL, "%s: '%s' does not quote the argument", bad[_i].arg, err);
}
END_TEST

START_TEST(resolves_loopback)
{
    net_address a;
    net_endpoints ep;
    char err[300] = "";
    ck_assert(net_address_parse("mqtts://127.0.0.1:8883", &a, err, sizeof err));
    ck_assert_msg(net_resolve(&a, &ep, err, sizeof err), "%s", err);
    ck_assert_uint_eq(ep.n, 1);
    ck_assert_int_eq(((const struct sockaddr *)&ep.addr[0])->sa_family, AF_INET);
    ck_assert(net_address_parse("[::1]:1883", &a, err, sizeof err));
    ck_assert_msg(net_resolve(&a, &ep, err, sizeof err), "%s", err);
    ck_assert_int_eq(((const struct sockaddr *)&ep.addr[0])->sa_family, AF_INET6);
    ck_assert(net_address_parse("no-such-host.invalid:1883", &a, err, sizeof err));
    ck_assert(!net_resolve(&a, &ep, err, sizeof err));
    ck_assert_msg(strstr(err, "cannot resolve 'no-such-host.invalid'") != NULL, "%s", err);
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("net_address");
    TCase *tc = tcase_create("net_address");
    tcase_add_loop_test(tc, good_addresses, 0, (int)ARRAY_LEN(good));
    tcase_add_loop_test(tc, bad_addresses, 0, (int)ARRAY_LEN(bad));
    tcase_add_test(tc, resolves_loopback);
    suite_add_tcase(s, tc);
    return s;
}
