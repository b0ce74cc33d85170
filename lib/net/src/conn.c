/* The transport-independent half of lib/net: building the stack for a scheme, and the net_* calls that
 * dispatch to the top layer. */
#include "net/transport.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net_internal.h"
#include "base/clock.h"

static const char *const status_names[] = {"ok", "timeout", "closed", "reset", "error", "local"};

const char *net_status_name(net_status s)
{
    return (size_t)s < sizeof status_names / sizeof status_names[0] ? status_names[s] : "?";
}

int64_t net_now(const net_conn *c)
{
    return c->opts.now_ms ? c->opts.now_ms() : base_clock_real_ms();
}

bool net_errno_is_local(int e)
{
    return e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM || e == EADDRNOTAVAIL;
}

net_status net_fail(net_conn *c, net_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->error, sizeof c->error, fmt, ap);
    va_end(ap);
    return status;
}

net_status net_fail_from(net_conn *c, net_status status, const char *doing)
{
    const char *why = c->lower && c->lower->error[0] ? c->lower->error : net_status_name(status);
    char copy[sizeof c->error];
    snprintf(copy, sizeof copy, "%s", why);
    return net_fail(c, status, "%s: %s", doing, copy);
}

int net_poll_fd(const net_conn *c, short events, int64_t deadline)
{
    for (;;) {
        int64_t left = deadline - net_now(c);
        if (left < 0)
            left = 0;
        int slice = left > 100 ? 100 : (int)left;
        struct pollfd p = {.fd = c->fd, .events = events};
        int rc = poll(&p, 1, slice);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc == 0 && left > slice)
            continue;
        if (rc <= 0)
            return rc;
        return p.revents;
    }
}

/* One row per layer the schemes can stack over TCP; a NULL transport is one this build lacks. */
static const net_transport *const *layer_for(net_scheme s, int i)
{
    static const net_transport *const *const stacks[NET_SCHEME_COUNT][2] = {
        [NET_SCHEME_TCP] = {NULL, NULL},
        [NET_SCHEME_TLS] = {&net_tls_layer, NULL},
        [NET_SCHEME_WS] = {&net_ws_layer, NULL},
        [NET_SCHEME_WSS] = {&net_tls_layer, &net_ws_layer},
    };
    return stacks[s][i];
}

bool net_target_parse(net_target *t, const char *arg, char *err, size_t err_cap)
{
    return net_address_parse(arg, &t->address, err, err_cap) && net_resolve(&t->address, &t->endpoints, err, err_cap);
}

net_status net_connect(const net_target *t, int64_t deadline, net_conn **out, char *err, size_t err_cap)
{
    const net_address *a = &t->address;
    *out = NULL;
    net_conn *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, err_cap, "cannot open a connection: out of memory");
        return NET_LOCAL;
    }
    c->fd = -1;
    c->address = *a;
    c->opts = t->opts;
    c->ops = &net_tcp_transport;
    net_status st = net_tcp_connect(c, &t->endpoints, deadline);
    for (int i = 0; st == NET_OK && i < 2 && layer_for(a->scheme, i); i++) {
        const net_transport *ops = *layer_for(a->scheme, i);
        if (!ops) {
            st = net_fail(c, NET_LOCAL, "%s:// is not supported by this build of mqtk", net_scheme_name(a->scheme));
            break;
        }
        net_conn *up = calloc(1, sizeof *up);
        if (!up) {
            st = net_fail(c, NET_LOCAL, "cannot open a connection: out of memory");
            break;
        }
        up->ops = ops;
        up->lower = c;
        up->fd = c->fd;
        up->opts = c->opts;
        up->address = *a;
        c = up;
        st = ops->open(c, deadline);
    }
    if (st != NET_OK) {
        snprintf(err, err_cap, "%s", c->error);
        net_close(c);
        return st;
    }
    *out = c;
    return NET_OK;
}

net_status net_send(net_conn *c, const void *buf, size_t len, size_t *sent, int64_t deadline)
{
    size_t ignored;
    return c->ops->send(c, buf, len, sent ? sent : &ignored, deadline);
}

net_status net_send_all(net_conn *c, const void *buf, size_t len, size_t *sent, int64_t deadline)
{
    size_t off = 0;
    net_status st = NET_OK;
    while (off < len) {
        size_t n = 0;
        st = c->ops->send(c, (const uint8_t *)buf + off, len - off, &n, deadline);
        off += n;
        if (st != NET_OK || n == 0)
            break;
    }
    if (sent)
        *sent = off;
    return off < len && st == NET_OK ? NET_TIMEOUT : st;
}

net_status net_recv(net_conn *c, void *buf, size_t cap, size_t *got, int64_t deadline)
{
    *got = 0;
    return c->ops->recv(c, buf, cap, got, deadline);
}

bool net_pending(const net_conn *c)
{
    for (; c; c = c->lower)
        if (c->ops->pending && c->ops->pending(c))
            return true;
    return false;
}

void net_close_reset(net_conn *c)
{
    if (net_recycle(c))
        return;
    if (c && c->fd >= 0) {
        struct linger lg = {1, 0};
        setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
    net_close(c);
}

net_status net_shutdown(net_conn *c, int64_t deadline)
{
    return c->ops->shutdown(c, deadline);
}

void net_close(net_conn *c)
{
    while (c) {
        net_conn *lower = c->lower;
        if (c->ops && c->ops->close)
            c->ops->close(c);
        free(c);
        c = lower;
    }
}

const char *net_error(const net_conn *c)
{
    return c->error;
}

int net_fd(const net_conn *c)
{
    return c->fd;
}

void net_describe(const net_conn *c, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = '\0';
    for (; c && used + 1 < cap; c = c->lower) {
        char one[200];
        c->ops->describe(c, one, sizeof one);
        int n = snprintf(out + used, cap - used, "%s%s", used ? " over " : "", one);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

int net_wait(net_waiter *w, size_t n, int timeout_ms)
{
    struct pollfd stack[64], *p = n <= 64 ? stack : malloc(n * sizeof *p);
    if (!p) {
        errno = ENOMEM;
        return -1;
    }
    int ready = 0;
    for (size_t i = 0; i < n; i++) {
        w[i].readable = w[i].conn && net_pending(w[i].conn);
        w[i].writable = false;
        ready += w[i].readable;
        p[i] = (struct pollfd){.fd = w[i].conn ? w[i].conn->fd : -1,
                               .events = (short)(POLLIN | (w[i].want_write ? POLLOUT : 0))};
    }
    int rc = poll(p, (nfds_t)n, ready ? 0 : timeout_ms);
    if (rc < 0 && errno == EINTR)
        rc = 0;
    if (rc > 0) {
        for (size_t i = 0; i < n; i++) {
            bool r = (p[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0, wr = (p[i].revents & POLLOUT) != 0;
            ready += (r && !w[i].readable) || wr;
            w[i].readable = w[i].readable || r;
            w[i].writable = wr;
        }
    }
    if (p != stack)
        free(p);
    return rc < 0 ? -1 : ready;
}
