/* The embedded broker: a mosquitto started on a free loopback port with a configuration in a
 * temporary directory (anonymous access, no persistence, an ACL refusing mqtk/forbidden/#), stopped
 * after the run. */
#ifndef CF_BROKER_H
#define CF_BROKER_H

#include <sys/types.h>

#include "base/strbuf.h"

typedef struct cf_broker {
    pid_t pid;
    int port;
    char dir[256];   /* temporary directory with mosquitto.conf, acl and mosquitto.log */
    char exe[256];   /* the mosquitto binary used */
} cf_broker;

/* Start it and wait (at most timeout_ms) until it accepts connections. -1 with err. */
int cf_broker_start(cf_broker *b, int timeout_ms, cf_strbuf *err);
/* Stop it: SIGTERM, then SIGKILL after a grace period. */
void cf_broker_stop(cf_broker *b);
/* Remove the temporary directory (its configuration and log). */
void cf_broker_remove_dir(cf_broker *b);

#endif
