/* Network layer: IPv4 and IPv6 (walking IPv6 extension headers) down to the upper-layer packet. */
#ifndef CAP_IP_PARSE_H
#define CAP_IP_PARSE_H

#include <stddef.h>
#include <stdint.h>

typedef enum cap_ip_result {
    CAP_IP_OK = 0,    /* info filled */
    CAP_IP_TRUNCATED, /* the capture ends inside the IP header(s) */
    CAP_IP_MALFORMED, /* a length field that cannot be right */
    CAP_IP_FRAGMENT,  /* a fragment of a larger datagram (proto set): not reassembled */
    CAP_IP_OPAQUE     /* nothing readable follows (ESP, No Next Header) */
} cap_ip_result;

typedef struct cap_ip_info {
    uint8_t family;  /* 4 or 6 */
    uint8_t src[16]; /* IPv4 uses the first 4 bytes */
    uint8_t dst[16];
    uint8_t proto;   /* upper-layer protocol number (6 = TCP) */
    const uint8_t *l4;
    size_t l4_caplen; /* bytes of the upper-layer packet that were captured */
    size_t l4_len;    /* its length per the IP header(s) */
} cap_ip_info;

/* Parse the IP packet at p (len captured bytes; link-layer padding beyond the IP length is ignored). */
cap_ip_result cap_ip_parse(const uint8_t *p, size_t len, cap_ip_info *info);

#endif
