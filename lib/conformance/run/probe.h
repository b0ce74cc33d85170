/* Before the run: is the broker reachable, and what version does it say it is. */
#ifndef CR_PROBE_H
#define CR_PROBE_H

#include <stddef.h>

#include "interp.h"
#include "net/tls.h"

/* Open and close a connection (through its TLS / WebSocket handshakes), keeping what the transport
 * negotiated in transport (net_describe: "TLSv1.3 TLS_AES_256_GCM_SHA384 over TCP ..."). -1 with the
 * reason in err when the broker is unreachable or a handshake fails. */
int cr_probe_reachable(const cr_run_opts *opts, char *transport, size_t cap, net_tls_session *tls, base_strbuf *err);
/* Put the run's --username / --password (when given) into a CONNECT the runner sends on its own. */
void cr_connect_set_credentials(mqtt_connect *c, const cr_run_opts *opts);
/* Subscribe to $SYS/broker/version (MQTT 3.1.1) and wait up to wait_ms for its retained value.
 * out is "" when the broker does not publish one. */
void cr_probe_version(const cr_run_opts *opts, int wait_ms, char *out, size_t cap);

/* Encode p as 3.1.1 and send it before deadline (0 when sent). */
int cr_probe_send(cr_conn *c, mqtt_packet *p, int64_t deadline);
/* Take the first unconsumed packet of type, waiting until deadline; NULL when none came. */
const mqtt_packet *cr_probe_await(cr_conn *c, mqtt_packet_type type, int64_t deadline);

#endif
