/* Transport layer: the TCP header. */
#ifndef MQTK_TCP_PARSE_H
#define MQTK_TCP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { TCP_FIN = 0x01, TCP_SYN = 0x02, TCP_RST = 0x04, TCP_PSH = 0x08, TCP_ACK = 0x10 };

typedef enum tcp_result { TCP_OK = 0, TCP_TRUNCATED, TCP_MALFORMED } tcp_result;

typedef struct tcp_info {
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;
    const uint8_t *payload;
    size_t payload_caplen; /* captured payload bytes */
    size_t payload_len;    /* payload length per the IP length: more than caplen when snaplen cut the frame */
} tcp_info;

/* Parse the TCP segment at p: caplen bytes captured of a segment len bytes long. */
tcp_result tcp_parse(const uint8_t *p, size_t caplen, size_t len, tcp_info *info);

#endif
