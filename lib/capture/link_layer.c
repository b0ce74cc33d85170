/* Link-layer headers: Ethernet (with VLAN tags), Linux cooked SLL and SLL2, raw IP, BSD loopback.
 * Each link type is a row of the table below: how long its header is and where the protocol field sits. */
#include "link_layer.h"

#include <pcap/dlt.h>

enum { ETHERTYPE_IPV4 = 0x0800, ETHERTYPE_IPV6 = 0x86DD };

/* Ethertypes that are VLAN tags: 802.1Q, 802.1ad (QinQ) and the old pre-standard QinQ value. */
static bool is_vlan_tag(uint16_t ethertype)
{
    return ethertype == 0x8100 || ethertype == 0x88A8 || ethertype == 0x9100;
}

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)((p[0] << 8) | p[1]);
}

static cap_link_result by_ethertype(uint16_t ethertype, const uint8_t *p, size_t len, const uint8_t **l3,
                                    size_t *l3_len)
{
    if (ethertype != ETHERTYPE_IPV4 && ethertype != ETHERTYPE_IPV6)
        return CAP_LINK_OTHER;
    *l3 = p;
    *l3_len = len;
    return CAP_LINK_IP;
}

static cap_link_result ethernet(const uint8_t *f, size_t len, const uint8_t **l3, size_t *l3_len)
{
    if (len < 14)
        return CAP_LINK_TRUNCATED;
    size_t off = 12;
    uint16_t type = be16(f + off);
    while (is_vlan_tag(type)) { /* each tag: 2 bytes TCI, then the next ethertype */
        off += 4;
        if (len < off + 2)
            return CAP_LINK_TRUNCATED;
        type = be16(f + off);
    }
    off += 2;
    return by_ethertype(type, f + off, len - off, l3, l3_len);
}

/* Raw IP: the version nibble says IPv4 or IPv6. */
static cap_link_result raw_ip(const uint8_t *f, size_t len, const uint8_t **l3, size_t *l3_len)
{
    if (len < 1)
        return CAP_LINK_TRUNCATED;
    unsigned version = f[0] >> 4;
    if (version != 4 && version != 6)
        return CAP_LINK_OTHER;
    *l3 = f;
    *l3_len = len;
    return CAP_LINK_IP;
}

/* BSD loopback: a 4-byte address family, in the writer's byte order (DLT_NULL) or big-endian (DLT_LOOP).
 * AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24, 28 or 30 (the BSDs, macOS). Reading the family
 * in both byte orders makes either writer work. */
static cap_link_result loopback(const uint8_t *f, size_t len, const uint8_t **l3, size_t *l3_len)
{
    if (len < 4)
        return CAP_LINK_TRUNCATED;
    uint32_t le = (uint32_t)f[0] | (uint32_t)f[1] << 8 | (uint32_t)f[2] << 16 | (uint32_t)f[3] << 24;
    uint32_t be = (uint32_t)f[3] | (uint32_t)f[2] << 8 | (uint32_t)f[1] << 16 | (uint32_t)f[0] << 24;
    uint32_t family = le < be ? le : be;
    switch (family) {
    case 2: case 10: case 24: case 28: case 30:
        return raw_ip(f + 4, len - 4, l3, l3_len);
    default:
        return CAP_LINK_OTHER;
    }
}

/* Linux cooked capture v1: 16-byte header, protocol (an ethertype) at offset 14. */
static cap_link_result linux_sll(const uint8_t *f, size_t len, const uint8_t **l3, size_t *l3_len)
{
    if (len < 16)
        return CAP_LINK_TRUNCATED;
    return by_ethertype(be16(f + 14), f + 16, len - 16, l3, l3_len);
}

/* Linux cooked capture v2: 20-byte header, protocol at offset 0. */
static cap_link_result linux_sll2(const uint8_t *f, size_t len, const uint8_t **l3, size_t *l3_len)
{
    if (len < 20)
        return CAP_LINK_TRUNCATED;
    return by_ethertype(be16(f), f + 20, len - 20, l3, l3_len);
}

typedef cap_link_result (*link_parser)(const uint8_t *f, size_t len, const uint8_t **l3, size_t *l3_len);

typedef struct link_row {
    int dlt;
    link_parser parse;
} link_row;

/* DLT_RAW differs between platforms (12 or 14); libpcap maps LINKTYPE_RAW (101) to it on read. */
static const link_row link_table[] = {
    {DLT_EN10MB, ethernet},       {DLT_LINUX_SLL, linux_sll}, {DLT_LINUX_SLL2, linux_sll2},
    {DLT_RAW, raw_ip},            {DLT_IPV4, raw_ip},         {DLT_IPV6, raw_ip},
    {DLT_NULL, loopback},         {DLT_LOOP, loopback},
};

static const link_row *find_row(int dlt)
{
    for (size_t i = 0; i < sizeof link_table / sizeof link_table[0]; i++)
        if (link_table[i].dlt == dlt)
            return &link_table[i];
    return NULL;
}

bool cap_link_type_supported(int dlt)
{
    return find_row(dlt) != NULL;
}

cap_link_result cap_link_parse(int dlt, const uint8_t *frame, size_t caplen, const uint8_t **l3, size_t *l3_len)
{
    /* Ethernet without VLAN tags, nearly every frame of most captures: no table walk and no call
     * through it (about 30 instructions a frame). ethernet() does the rest. */
    if (dlt == DLT_EN10MB && caplen >= 14) {
        uint16_t type = be16(frame + 12);
        if (type == ETHERTYPE_IPV4 || type == ETHERTYPE_IPV6) {
            *l3 = frame + 14;
            *l3_len = caplen - 14;
            return CAP_LINK_IP;
        }
    }
    const link_row *row = find_row(dlt);
    if (!row)
        return CAP_LINK_OTHER;
    return row->parse(frame, caplen, l3, l3_len);
}
