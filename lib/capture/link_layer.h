/* Link layer: find the network-layer packet inside a captured frame. */
#ifndef CAP_LINK_LAYER_H
#define CAP_LINK_LAYER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum cap_link_result {
    CAP_LINK_IP = 0,   /* *l3 / *l3_len hold an IPv4 or IPv6 packet (version nibble says which) */
    CAP_LINK_OTHER,    /* a well-formed frame that carries something else (ARP, LLC, …) */
    CAP_LINK_TRUNCATED /* the captured bytes end inside the link-layer header */
} cap_link_result;

/* Whether this DLT_* value is one cap_link_parse understands. */
bool cap_link_type_supported(int dlt);

/* Strip the link-layer header (and any 802.1Q / 802.1ad tags) of a frame of link type dlt. */
cap_link_result cap_link_parse(int dlt, const uint8_t *frame, size_t caplen, const uint8_t **l3, size_t *l3_len);

#endif
