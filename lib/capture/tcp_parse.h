/* Transport layer: the TCP header. */
#ifndef CAP_TCP_PARSE_H
#define CAP_TCP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { CAP_TCP_FIN = 0x01, CAP_TCP_SYN = 0x02, CAP_TCP_RST = 0x04, CAP_TCP_PSH = 0x08, CAP_TCP_ACK = 0x10 };

typedef enum cap_tcp_result { CAP_TCP_OK = 0, CAP_TCP_TRUNCATED, CAP_TCP_MALFORMED } cap_tcp_result;

typedef struct cap_tcp_info {
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;
    const uint8_t *payload;
    size_t payload_caplen; /* captured payload bytes */
    size_t payload_len;    /* payload length per the IP length: more than caplen when snaplen cut the frame */
} cap_tcp_info;

/* Parse the TCP segment at p: caplen bytes captured of a segment len bytes long. */
cap_tcp_result cap_tcp_parse(const uint8_t *p, size_t caplen, size_t len, cap_tcp_info *info);

#endif
