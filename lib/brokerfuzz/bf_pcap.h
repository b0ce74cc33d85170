/* A finding's session as a classic pcap (Ethernet, IPv4, TCP with real checksums and sequence
 * numbers, synthetic addresses): every connection with its handshake, data both ways, and close. */
#ifndef BF_PCAP_H
#define BF_PCAP_H

#include <stddef.h>

#include "bf_exec.h"

/* Write the events; server_port is the broker's port in the capture. -1 when the file cannot be written. */
int bf_pcap_write(const char *path, const bf_event *ev, size_t n, unsigned server_port);

#endif
