/* The TCP header: ports, sequence and acknowledgement numbers, flags, and where the payload starts. */
#include "tcp_parse.h"

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

cap_tcp_result cap_tcp_parse(const uint8_t *p, size_t caplen, size_t len, cap_tcp_info *info)
{
    if (len < 20)
        return CAP_TCP_MALFORMED;
    if (caplen < 20)
        return CAP_TCP_TRUNCATED;
    size_t header = (size_t)(p[12] >> 4) * 4;
    if (header < 20 || header > len)
        return CAP_TCP_MALFORMED;
    if (caplen < header)
        return CAP_TCP_TRUNCATED;
    info->sport = (uint16_t)(p[0] << 8 | p[1]);
    info->dport = (uint16_t)(p[2] << 8 | p[3]);
    info->seq = be32(p + 4);
    info->ack = be32(p + 8);
    info->flags = p[13];
    info->payload = p + header;
    info->payload_len = len - header;
    info->payload_caplen = caplen - header;
    return CAP_TCP_OK;
}
