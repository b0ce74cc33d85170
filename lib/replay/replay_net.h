/* mqtk replay — the network side: resolving the broker, TCP connections with deadlines. */
#ifndef MQTK_REPLAY_NET_H
#define MQTK_REPLAY_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct addrinfo;

/* Resolve host:port once for the whole replay (the caller frees the list with freeaddrinfo).
 * NULL with err filled when the name does not resolve. */
struct addrinfo *replay_resolve(const char *host, const char *port, char *err, size_t errcap);

/* Open a non-blocking TCP connection to one of the resolved addresses, waiting at most until
 * deadline_ns (cf_clock_real_ns time, base/clock.h). Returns the socket, or -1 with err saying why. *own is true
 * when the failure is mqtk's own (no socket or local port to be had: EMFILE, ENFILE, ENOBUFS,
 * ENOMEM, EADDRNOTAVAIL), false when it is the broker's (refused, unreachable, no answer). */
int replay_connect(const struct addrinfo *addrs, const char *host, const char *port, int64_t deadline_ns, bool *own,
                   char *err, size_t errcap);

/* errno values that are this process's or this host's resources running out, not the peer's doing. */
bool replay_errno_is_own(int e);

#endif
