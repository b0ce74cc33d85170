/* Broker addresses on the command line: "host:port" or "[v6]:port". */
#ifndef CF_ADDRESS_H
#define CF_ADDRESS_H

#include <sys/socket.h>

#include "strbuf.h"

/* Resolve spec into addr. -1 with a message in err. */
int cf_resolve(const char *spec, struct sockaddr_storage *addr, socklen_t *addrlen, cf_strbuf *err);

#endif
