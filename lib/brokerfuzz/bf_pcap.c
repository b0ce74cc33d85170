#include "bf_pcap.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum { ETH = 14, IP = 20, TCPH = 20, MSS = 1400 };
enum { F_FIN = 0x01, F_SYN = 0x02, F_PSH = 0x08, F_ACK = 0x10 };

typedef struct flow {
    uint16_t cport;
    uint32_t cseq, sseq; /* next sequence number each side sends */
    int open;
} flow;

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)(v >> 16));
    put16(p + 2, (uint16_t)v);
}

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t acc)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        acc += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        acc += (uint32_t)(p[n - 1] << 8);
    return acc;
}

static uint16_t fold(uint32_t acc)
{
    while (acc >> 16)
        acc = (acc & 0xffff) + (acc >> 16);
    return (uint16_t)~acc;
}

static void le32(FILE *f, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    fwrite(b, 1, 4, f);
}

/* One segment: from the client (to_server) or the broker. */
static void segment(FILE *f, int64_t at_us, flow *fl, unsigned sport, int to_server, uint8_t flags,
                    const uint8_t *data, size_t len)
{
    uint8_t pkt[ETH + IP + TCPH + MSS];
    uint8_t *eth = pkt, *ip = pkt + ETH, *tcp = ip + IP;
    static const uint8_t mac_c[6] = {2, 0, 0, 0, 0, 1}, mac_s[6] = {2, 0, 0, 0, 0, 2};
    memcpy(eth, to_server ? mac_s : mac_c, 6);
    memcpy(eth + 6, to_server ? mac_c : mac_s, 6);
    put16(eth + 12, 0x0800);
    uint8_t src[4] = {127, 0, 0, (uint8_t)(to_server ? 2 : 1)}, dst[4] = {127, 0, 0, (uint8_t)(to_server ? 1 : 2)};
    memset(ip, 0, IP);
    ip[0] = 0x45;
    put16(ip + 2, (uint16_t)(IP + TCPH + len));
    ip[8] = 64;
    ip[9] = 6;
    memcpy(ip + 12, src, 4);
    memcpy(ip + 16, dst, 4);
    put16(ip + 10, fold(sum16(ip, IP, 0)));
    memset(tcp, 0, TCPH);
    put16(tcp, to_server ? fl->cport : (uint16_t)sport);
    put16(tcp + 2, to_server ? (uint16_t)sport : fl->cport);
    put32(tcp + 4, to_server ? fl->cseq : fl->sseq);
    put32(tcp + 8, (flags & F_ACK) ? (to_server ? fl->sseq : fl->cseq) : 0);
    tcp[12] = 0x50;
    tcp[13] = flags;
    put16(tcp + 14, 65535);
    if (len)
        memcpy(tcp + TCPH, data, len);
    uint8_t pseudo[12];
    memcpy(pseudo, src, 4);
    memcpy(pseudo + 4, dst, 4);
    pseudo[8] = 0;
    pseudo[9] = 6;
    put16(pseudo + 10, (uint16_t)(TCPH + len));
    put16(tcp + 16, fold(sum16(tcp, TCPH + len, sum16(pseudo, 12, 0))));
    uint32_t adv = (uint32_t)len + ((flags & (F_SYN | F_FIN)) ? 1u : 0u);
    if (to_server)
        fl->cseq += adv;
    else
        fl->sseq += adv;
    uint32_t total = (uint32_t)(ETH + IP + TCPH + len);
    le32(f, (uint32_t)(at_us / 1000000));
    le32(f, (uint32_t)(at_us % 1000000));
    le32(f, total);
    le32(f, total);
    fwrite(pkt, 1, total, f);
}

int bf_pcap_write(const char *path, const bf_event *ev, size_t n, unsigned server_port)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    le32(f, 0xa1b2c3d4u);
    uint8_t ver[4] = {2, 0, 4, 0};
    fwrite(ver, 1, 4, f);
    le32(f, 0);
    le32(f, 0);
    le32(f, 65535);
    le32(f, 1); /* LINKTYPE_ETHERNET */
    flow flows[8];
    memset(flows, 0, sizeof flows);
    unsigned opened = 0;
    int64_t base = 1700000000LL * 1000000;
    for (size_t i = 0; i < n; i++) {
        const bf_event *e = &ev[i];
        flow *fl = &flows[e->client % 8];
        int64_t at = base + e->at_us;
        if (e->dir == 2 || (!fl->open && e->dir < 2)) {
            fl->cport = (uint16_t)(40000 + opened++);
            fl->cseq = 1000;
            fl->sseq = 5000;
            fl->open = 1;
            segment(f, at, fl, server_port, 1, F_SYN, NULL, 0);
            segment(f, at, fl, server_port, 0, F_SYN | F_ACK, NULL, 0);
            segment(f, at, fl, server_port, 1, F_ACK, NULL, 0);
            if (e->dir == 2)
                continue;
        }
        if (e->dir == 3) {
            if (fl->open)
                segment(f, at, fl, server_port, 1, F_FIN | F_ACK, NULL, 0);
            fl->open = 0;
            continue;
        }
        for (size_t off = 0; off < e->len; off += MSS) {
            size_t piece = e->len - off < MSS ? e->len - off : MSS;
            segment(f, at, fl, server_port, e->dir == 0, F_PSH | F_ACK, e->bytes + off, piece);
        }
    }
    return fclose(f) == 0 ? 0 : -1;
}
