/* IPv4 and IPv6 headers. IPv6 extension headers are walked by the table of their length rules. */
#include "ip_parse.h"

#include <stdbool.h>
#include <string.h>

enum { PROTO_HOPOPTS = 0, PROTO_ROUTING = 43, PROTO_FRAGMENT = 44, PROTO_ESP = 50, PROTO_AH = 51,
       PROTO_NONE = 59, PROTO_DSTOPTS = 60, PROTO_MOBILITY = 135, PROTO_HIP = 139, PROTO_SHIM6 = 140 };

static size_t be16(const uint8_t *p)
{
    return (size_t)p[0] << 8 | p[1];
}

/* Both lengths given: how many captured bytes the upper layer has. */
static void set_l4(cap_ip_info *info, const uint8_t *l4, size_t captured, size_t declared)
{
    info->l4 = l4;
    info->l4_len = declared;
    info->l4_caplen = captured < declared ? captured : declared;
}

static cap_ip_result ipv4(const uint8_t *p, size_t len, cap_ip_info *info)
{
    if (len < 20)
        return CAP_IP_TRUNCATED;
    size_t ihl = (size_t)(p[0] & 0x0F) * 4;
    size_t total = be16(p + 2);
    if (ihl < 20 || total < ihl)
        return CAP_IP_MALFORMED;
    if (len < ihl)
        return CAP_IP_TRUNCATED;
    info->family = 4;
    memcpy(info->src, p + 12, 4);
    memcpy(info->dst, p + 16, 4);
    info->proto = p[9];
    unsigned more_fragments = p[6] & 0x20;
    size_t frag_offset = be16(p + 6) & 0x1FFF;
    if (more_fragments || frag_offset)
        return CAP_IP_FRAGMENT;
    set_l4(info, p + ihl, len - ihl, total - ihl);
    return CAP_IP_OK;
}

/* Whether next names an IPv6 extension header this reader skips. */
static bool is_ext_header(unsigned next)
{
    switch (next) {
    case PROTO_HOPOPTS: case PROTO_ROUTING: case PROTO_DSTOPTS: case PROTO_MOBILITY: case PROTO_HIP:
    case PROTO_SHIM6: case PROTO_FRAGMENT: case PROTO_AH:
        return true;
    default:
        return false;
    }
}

/* Length of extension header h of type next: most count 8-byte units beyond the first, AH counts
 * 4-byte units beyond the first two, a Fragment header is always 8. */
static size_t ext_header_len(unsigned next, const uint8_t *h)
{
    if (next == PROTO_FRAGMENT)
        return 8;
    if (next == PROTO_AH)
        return ((size_t)h[1] + 2) * 4;
    return ((size_t)h[1] + 1) * 8;
}

static cap_ip_result ipv6(const uint8_t *p, size_t len, cap_ip_info *info)
{
    if (len < 40)
        return CAP_IP_TRUNCATED;
    info->family = 6;
    memcpy(info->src, p + 8, 16);
    memcpy(info->dst, p + 24, 16);
    size_t payload = be16(p + 4);
    if (payload == 0) /* a jumbogram (hop-by-hop Jumbo Payload option): take what was captured */
        payload = len - 40;
    unsigned next = p[6];
    size_t off = 40, end = 40 + payload;
    for (;;) {
        if (next == PROTO_ESP || next == PROTO_NONE)
            return CAP_IP_OPAQUE;
        if (!is_ext_header(next))
            break;
        if (len < off + 8)
            return CAP_IP_TRUNCATED;
        const uint8_t *h = p + off;
        size_t hlen = ext_header_len(next, h);
        if (next == PROTO_FRAGMENT && (be16(h + 2) & 0xFFF9) != 0) { /* offset or More Fragments set */
            info->proto = h[0];
            return CAP_IP_FRAGMENT;
        }
        if (off + hlen > end)
            return CAP_IP_MALFORMED;
        next = h[0];
        off += hlen;
    }
    if (len < off)
        return CAP_IP_TRUNCATED;
    info->proto = (uint8_t)next;
    set_l4(info, p + off, len - off, end - off);
    return CAP_IP_OK;
}

cap_ip_result cap_ip_parse(const uint8_t *p, size_t len, cap_ip_info *info)
{
    memset(info, 0, sizeof *info);
    if (len < 1)
        return CAP_IP_TRUNCATED;
    switch (p[0] >> 4) {
    case 4:
        return ipv4(p, len, info);
    case 6:
        return ipv6(p, len, info);
    default:
        return CAP_IP_MALFORMED;
    }
}
