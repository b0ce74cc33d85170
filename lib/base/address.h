/* Broker addresses on the command line: "HOST:PORT" or "[IPV6]:PORT". One strict parser for every
 * command that takes a broker (run, probe, replay). */
#ifndef CF_ADDRESS_H
#define CF_ADDRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "strbuf.h"

/* Split arg into host and port text. The port is 1 to 5 decimal digits with a value 1-65535 (no
 * sign, no spaces, nothing after it); the host is non-empty, has no spaces or control characters,
 * and holds a ':' only inside brackets. false with a one-line reason in err (NUL-terminated).
 * Depends on libc only, so the capture replayer can call it too. */
bool cf_parse_address(const char *arg, char *host, size_t host_cap, char *port, size_t port_cap, char *err,
                      size_t err_cap);

/* Parse spec with cf_parse_address and resolve it into addr. -1 with a message in err. */
int cf_resolve(const char *spec, struct sockaddr_storage *addr, socklen_t *addrlen, cf_strbuf *err);

#endif
