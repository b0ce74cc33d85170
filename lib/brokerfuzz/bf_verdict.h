/* Which client packets the standard obliges a broker to close the connection on. A packet the codec
 * refuses breaks a rule, but many rules bind only the sender ("the Client MUST set ..."); such a
 * packet obliges the broker to close only where the standard also calls it malformed or a protocol
 * error and makes the server close on that (3.1.1: [MQTT-4.8.0-1] for what it names a protocol
 * violation, and the statements that tell the receiver to close; 5.0: [MQTT-4.13.1-1] for what it
 * names a Malformed Packet or Protocol Error), or the server must validate the packet (CONNECT:
 * [MQTT-3.1.4-1]). Everything else is not judged: a broker may go on, and a difference between two
 * brokers there goes to differs.txt as one no MUST decides. */
#ifndef BF_VERDICT_H
#define BF_VERDICT_H

#include <stdint.h>

#include "mqtt/codec.h"

/* The statement that obliges the broker to close after a client packet of type `type` that the codec
 * refused with err (codec_statement: the rule it breaks, may be NULL); NULL when none does. */
const char *bf_close_statement(uint8_t type, mqtt_err err, const char *codec_statement, mqtt_version v);

#endif
