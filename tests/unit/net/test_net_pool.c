/* Reused sockets (lib/net: net_pool, net_recycle): a connection closed with a reset leaves its socket
 * in the pool and the next connect takes it; the peer sees the reset; a peer-closed connection is
 * recycled too; without a pool, when full, or with a layer over TCP nothing is kept. Loopback only. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/clock.h"
#include "net/transport.h"
#include "support.h"

static int listener(net_target *t)
{
    int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    ck_assert_int_eq(bind(l, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(listen(l, 16), 0);
    ck_assert_int_eq(getsockname(l, (struct sockaddr *)&a, &len), 0);
    char spec[40], err[300] = "";
    snprintf(spec, sizeof spec, "127.0.0.1:%u", ntohs(a.sin_port));
    memset(t, 0, sizeof *t);
    ck_assert_msg(net_target_parse(t, spec, err, sizeof err), "%s", err);
    return l;
}

/* The accepted side, within a second. */
static int accept_one(int l)
{
    struct pollfd p = {.fd = l, .events = POLLIN};
    ck_assert_int_eq(poll(&p, 1, 1000), 1);
    int fd = accept(l, NULL, NULL);
    ck_assert_int_ge(fd, 0);
    return fd;
}

/* What the accepted side reads next, waiting up to a second: bytes, 0 at EOF, -errno. */
static ssize_t peer_read(int fd, char *buf, size_t cap)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    ck_assert_int_eq(poll(&p, 1, 1000), 1);
    ssize_t n = recv(fd, buf, cap, 0);
    return n < 0 ? -errno : n;
}

static net_conn *connect_to(const net_target *t)
{
    net_conn *c = NULL;
    char err[300] = "";
    ck_assert_msg(net_connect(t, base_now_ms() + 1000, &c, err, sizeof err) == NET_OK, "%s", err);
    return c;
}

START_TEST(reset_close_keeps_the_socket)
{
    net_target t;
    net_pool pool = {0};
    int l = listener(&t);
    t.opts.pool = &pool;
    net_conn *c = connect_to(&t);
    int fd = net_fd(c), peer = accept_one(l);
    net_close_reset(c);
    ck_assert_uint_eq(pool.n, 1);
    ck_assert_int_eq(pool.fd[0], fd);
    char buf[8];
    ck_assert_int_eq(peer_read(peer, buf, sizeof buf), -ECONNRESET);
    close(peer);

    /* the next connection takes it, TCP_NODELAY still set, and carries bytes */
    c = connect_to(&t);
    ck_assert_int_eq(net_fd(c), fd);
    ck_assert_uint_eq(pool.n, 0);
    int one = 0;
    socklen_t len = sizeof one;
    ck_assert_int_eq(getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, &len), 0);
    ck_assert_int_eq(one, 1);
    peer = accept_one(l);
    size_t sent = 0;
    ck_assert(net_send_all(c, "hi", 2, &sent, base_now_ms() + 1000) == NET_OK);
    ck_assert_int_eq(peer_read(peer, buf, sizeof buf), 2);
    ck_assert(memcmp(buf, "hi", 2) == 0);

    /* the peer closes first: recycled as well */
    close(peer);
    size_t got = 0;
    ck_assert(net_recv(c, buf, sizeof buf, &got, base_now_ms() + 1000) == NET_CLOSED);
    ck_assert(net_recycle(c));
    ck_assert_uint_eq(pool.n, 1);
    net_pool_drain(&pool);
    ck_assert_uint_eq(pool.n, 0);
    ck_assert_int_eq(fcntl(fd, F_GETFD), -1); /* closed */
    close(l);
}
END_TEST

START_TEST(nothing_kept_without_room)
{
    net_target t;
    int l = listener(&t);
    /* no pool: net_recycle leaves the connection alone; net_close_reset closes it */
    net_conn *c = connect_to(&t);
    int peer = accept_one(l);
    ck_assert(!net_recycle(c));
    net_close_reset(c);
    close(peer);

    /* a full pool takes nothing more */
    net_pool pool = {0};
    t.opts.pool = &pool;
    pool.n = NET_POOL_MAX;
    for (unsigned i = 0; i < NET_POOL_MAX; i++)
        pool.fd[i] = -1;
    c = connect_to(&t);
    peer = accept_one(l);
    ck_assert(!net_recycle(c));
    net_close(c);
    close(peer);
    close(l);
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("net_pool");
    TCase *tc = tcase_create("net_pool");
    tcase_add_test(tc, reset_close_keeps_the_socket);
    tcase_add_test(tc, nothing_kept_without_room);
    suite_add_tcase(s, tc);
    return s;
}
