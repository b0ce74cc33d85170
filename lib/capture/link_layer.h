/* Link layer: find the network-layer packet inside a captured frame. */
#ifndef MQTK_LINK_LAYER_H
#define MQTK_LINK_LAYER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum link_result {
    LINK_IP = 0,      /* *l3 / *l3_len hold an IPv4 or IPv6 packet (version nibble says which) */
    LINK_OTHER,       /* a well-formed frame that carries something else (ARP, LLC, …) */
    LINK_TRUNCATED    /* the captured bytes end inside the link-layer header */
} link_result;

/* Whether this DLT_* value is one link_parse understands. */
bool link_type_supported(int dlt);

/* Strip the link-layer header (and any 802.1Q / 802.1ad tags) of a frame of link type dlt. */
link_result link_parse(int dlt, const uint8_t *frame, size_t caplen, const uint8_t **l3, size_t *l3_len);

#endif
