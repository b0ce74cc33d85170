/* mqtk replay — broker address, connections with deadlines, the clock (see replay_net.h). */
#include "replay_net.h"
#include "base/clock.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Wait for a non-blocking connect to finish; 0 when connected, else an errno value. Every poll is
 * bounded by the deadline, and a signal does not restart the wait from scratch. */
static int finish_connect(int fd, int64_t deadline_ns)
{
    for (;;) {
        int64_t left = deadline_ns - cf_clock_real_ns();
        if (left <= 0)
            return ETIMEDOUT;
        struct pollfd p = {fd, POLLOUT, 0};
        int n = poll(&p, 1, (int)(left / 1000000) + 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno;
        if (n == 0)
            continue;
        int soerr = 0;
        socklen_t len = sizeof soerr;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
            return errno;
        return soerr;
    }
}

bool replay_errno_is_own(int e)
{
    return e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM || e == EADDRNOTAVAIL;
}

struct addrinfo *replay_resolve(const char *host, const char *port, char *err, size_t errcap)
{
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int gai = getaddrinfo(host, port, &hints, &res);
    if (gai) {
        snprintf(err, errcap, "cannot resolve '%s': %s", host,
                 gai == EAI_SYSTEM ? strerror(errno) : gai_strerror(gai));
        return NULL;
    }
    return res;
}

int replay_connect(const struct addrinfo *addrs, const char *host, const char *port, int64_t deadline_ns, bool *own,
                   char *err, size_t errcap)
{
    int last = ECONNREFUSED;
    const char *step = "connect";
    *own = false;
    for (const struct addrinfo *ai = addrs; ai; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) {
            last = errno;
            step = "socket";
            if (replay_errno_is_own(last))
                break; /* another address family will not find a descriptor either */
            continue;
        }
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        int rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
        last = rc == 0 ? 0 : errno == EINPROGRESS ? finish_connect(fd, deadline_ns) : errno;
        step = "connect";
        if (last == 0)
            return fd;
        close(fd);
        if (replay_errno_is_own(last))
            break;
    }
    *own = replay_errno_is_own(last);
    if (*own)
        snprintf(err, errcap, "cannot open a connection (%s): %s", step, strerror(last));
    else
        snprintf(err, errcap, strchr(host, ':') ? "cannot connect to [%s]:%s: %s" : "cannot connect to %s:%s: %s", host,
                 port, last == ETIMEDOUT ? "no answer before the deadline" : strerror(last));
    return -1;
}
