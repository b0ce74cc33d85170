/* mqtk replay — the network side: broker address, TCP connections with deadlines, a monotonic clock. */
#ifndef MQTK_REPLAY_NET_H
#define MQTK_REPLAY_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Monotonic time in nanoseconds. */
int64_t replay_now_ns(void);

/* Split "HOST:PORT" or "[V6ADDR]:PORT" into host (NUL-terminated) and port; false with err filled when malformed. */
bool replay_parse_broker(const char *arg, char *host, size_t host_cap, char *port, size_t port_cap, char *err,
                         size_t errcap);

/* Open a non-blocking TCP connection to host:port, waiting at most until deadline_ns (replay_now_ns
 * time). Returns the socket, or -1 with err saying why (resolution, refusal, timeout). */
int replay_connect(const char *host, const char *port, int64_t deadline_ns, char *err, size_t errcap);

#endif
