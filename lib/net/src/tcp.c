/* The TCP transport: the bottom of every stack. Non-blocking socket, TCP_NODELAY (MQTT packets are
 * small and a test waits for each answer), every wait bounded by the caller's deadline. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net_internal.h"

static void endpoint_text(const net_conn *c, char *out, size_t cap)
{
    bool v6 = strchr(c->address.host, ':') != NULL;
    snprintf(out, cap, v6 ? "[%s]:%s" : "%s:%s", c->address.host, c->address.port);
}

/* Wait for a non-blocking connect to finish: 0 when connected, else an errno value. */
static int finish_connect(net_conn *c, int64_t deadline)
{
    int ev = net_poll_fd(c, POLLOUT, deadline);
    if (ev < 0)
        return errno;
    if (ev == 0)
        return ETIMEDOUT;
    /* writable without an error or hang-up: connected (no SO_ERROR round trip per connection) */
    if ((ev & POLLOUT) && !(ev & (POLLERR | POLLHUP)))
        return 0;
    int soerr = 0;
    socklen_t len = sizeof soerr;
    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
        return errno;
    return soerr;
}

/* A kept socket of this family, or -1. */
static int pool_take(net_pool *p, int family)
{
    for (unsigned i = p ? p->n : 0; i-- > 0;)
        if (p->family[i] == family) {
            int fd = p->fd[i];
            p->n--;
            p->fd[i] = p->fd[p->n];
            p->family[i] = p->family[p->n];
            return fd;
        }
    return -1;
}

bool net_recycle(net_conn *c)
{
    net_pool *p = c ? c->opts.pool : NULL;
    if (!p || p->n == NET_POOL_MAX || c->lower || c->ops != &net_tcp_transport || c->fd < 0)
        return false;
    /* the socket forgets its peer (a reset if the connection is open) and can connect again; its
     * options stay */
    struct sockaddr none = {.sa_family = AF_UNSPEC};
    if (connect(c->fd, &none, sizeof none) != 0)
        return false;
    p->fd[p->n] = c->fd;
    p->family[p->n++] = c->family;
    c->fd = -1;
    net_close(c);
    return true;
}

void net_pool_drain(net_pool *p)
{
    while (p->n)
        close(p->fd[--p->n]);
}

net_status net_tcp_connect(net_conn *c, const net_endpoints *ep, int64_t deadline)
{
    int last = ECONNREFUSED;
    const char *step = "connect";
    for (size_t i = 0; i < ep->n; i++) {
        const struct sockaddr *sa = (const struct sockaddr *)&ep->addr[i];
        int fd = pool_take(c->opts.pool, sa->sa_family);
        if (fd < 0) {
            /* non-blocking from the start: no fcntl round trips per connection (the fuzzer opens thousands) */
            fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
            if (fd < 0) {
                last = errno;
                step = "socket";
                if (net_errno_is_local(last))
                    break; /* another address family will not find a descriptor either */
                continue;
            }
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            /* one segment less per connection, sent and received in this process's system calls */
            if (c->opts.ack_with_data)
                setsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &one, sizeof one);
        }
        c->fd = fd;
        c->family = sa->sa_family;
        int rc = connect(fd, sa, ep->len[i]);
        last = rc == 0 ? 0 : errno == EINPROGRESS ? finish_connect(c, deadline) : errno;
        step = "connect";
        if (last == 0)
            return NET_OK;
        close(fd);
        c->fd = -1;
        if (net_errno_is_local(last) || last == ETIMEDOUT)
            break;
    }
    if (net_errno_is_local(last))
        return net_fail(c, NET_LOCAL, "cannot open a connection (%s): %s", step, strerror(last));
    char where[NET_HOST_MAX + 10];
    endpoint_text(c, where, sizeof where);
    return net_fail(c, last == ETIMEDOUT ? NET_TIMEOUT : NET_ERROR, "cannot connect to %s: %s", where,
                    last == ETIMEDOUT ? "no answer before the deadline" : strerror(last));
}

static net_status tcp_send(net_conn *c, const uint8_t *buf, size_t len, size_t *sent, int64_t deadline)
{
    size_t off = 0;
    net_status st = NET_OK;
    while (off < len) {
        ssize_t n = send(c->fd, buf + off, len - off, MSG_NOSIGNAL);
        if (n > 0) {
            off += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            int ev = net_poll_fd(c, POLLOUT, deadline);
            if (ev > 0)
                continue;
            st = ev == 0 ? NET_TIMEOUT : net_fail(c, NET_LOCAL, "poll: %s", strerror(errno));
            break;
        }
        int e = n < 0 ? errno : EPIPE;
        st = e == EPIPE || e == ECONNRESET ? net_fail(c, NET_RESET, "connection closed by the peer (seen while sending)")
             : net_errno_is_local(e) ? net_fail(c, NET_LOCAL, "send: %s", strerror(e))
                                     : net_fail(c, NET_RESET, "send: %s", strerror(e));
        break;
    }
    *sent = off;
    return st;
}

static net_status tcp_recv(net_conn *c, uint8_t *buf, size_t cap, size_t *got, int64_t deadline)
{
    for (;;) {
        ssize_t n = recv(c->fd, buf, cap, 0);
        if (n > 0) {
            *got = (size_t)n;
            return NET_OK;
        }
        if (n == 0)
            return net_fail(c, NET_CLOSED, "connection closed by the peer");
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            int ev = net_poll_fd(c, POLLIN, deadline);
            if (ev > 0)
                continue;
            return ev == 0 ? NET_TIMEOUT : net_fail(c, NET_LOCAL, "poll: %s", strerror(errno));
        }
        if (errno == ECONNRESET)
            return net_fail(c, NET_RESET, "connection reset by the peer");
        return net_fail(c, net_errno_is_local(errno) ? NET_LOCAL : NET_RESET, "recv: %s", strerror(errno));
    }
}

static net_status tcp_shutdown(net_conn *c, int64_t deadline)
{
    (void)deadline;
    if (shutdown(c->fd, SHUT_WR) < 0 && errno != ENOTCONN)
        return net_fail(c, NET_RESET, "shutdown: %s", strerror(errno));
    return NET_OK;
}

static void tcp_close(net_conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}

static void tcp_describe(const net_conn *c, char *out, size_t cap)
{
    char where[NET_HOST_MAX + 10];
    endpoint_text(c, where, sizeof where);
    snprintf(out, cap, "TCP %s", where);
}

const net_transport net_tcp_transport = {
    .name = "tcp",
    .open = NULL, /* net_tcp_connect opens it */
    .send = tcp_send,
    .recv = tcp_recv,
    .pending = NULL,
    .shutdown = tcp_shutdown,
    .close = tcp_close,
    .describe = tcp_describe,
};
