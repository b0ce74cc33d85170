/* Small socket chores of the embedded broker launcher, kept here so that lib/net stays the only code
 * that calls the socket API. */
#ifndef NET_LOCAL_H
#define NET_LOCAL_H

#include <stdbool.h>

/* A TCP port on 127.0.0.1 that nothing listens on right now (the kernel picks it); -1 when none. */
int net_free_loopback_port(void);
/* Whether something accepts TCP connections on 127.0.0.1:port within timeout_ms. */
bool net_loopback_accepts(int port, int timeout_ms);

#endif
