/* A small MQTT broker for the edge-coverage test of `mqtk fuzz` (test_edge_coverage.py), built there
 * with AFL++'s compiler so that its runtime writes the edge map mqtk makes. It has enough of a
 * broker to have states worth reaching: CONNECT (3.1.1 and 5.0, wills and credentials parsed),
 * SUBSCRIBE with + and # filters, UNSUBSCRIBE, PUBLISH at QoS 0 to 2 routed to subscribers at the
 * granted QoS, the QoS 2 handshake, PINGREQ, DISCONNECT, takeover of a client id, statistics that
 * change no answer; a packet it cannot parse closes the connection. No sessions kept, no retained messages. Test-only: one file,
 * no dependency, plain POSIX sockets.
 *   cov_broker PORT      listen on 127.0.0.1:PORT */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { MAXC = 64, BUF = 1 << 16, MAXSUB = 16, TOPIC = 128 };

typedef struct client {
    int fd;
    int version; /* 4: 3.1.1, 5: 5.0; 0 before CONNECT */
    char id[64];
    uint8_t in[BUF];
    size_t nin;
    char subs[MAXSUB][TOPIC];
    uint8_t subqos[MAXSUB];
    unsigned nsubs;
    uint16_t next_pid;
} client;

static client cl[MAXC];

static void drop(client *c)
{
    if (c->fd >= 0)
        close(c->fd);
    memset(c, 0, sizeof *c);
    c->fd = -1;
}

static void out(client *c, const uint8_t *b, size_t n)
{
    if (c->fd >= 0 && send(c->fd, b, n, MSG_NOSIGNAL) != (ssize_t)n)
        drop(c);
}

static size_t put_len(uint8_t *p, size_t v)
{
    size_t n = 0;
    do {
        p[n] = v % 128;
        v /= 128;
        if (v)
            p[n] |= 128;
        n++;
    } while (v);
    return n;
}

/* a Variable Byte Integer at p (at most 4 bytes within end): its length in bytes, 0 if bad */
static size_t get_len(const uint8_t *p, const uint8_t *end, size_t *v)
{
    size_t mul = 1, n = 0;
    *v = 0;
    while (p + n < end && n < 4) {
        *v += (p[n] & 127) * mul;
        mul *= 128;
        if (!(p[n++] & 128))
            return n;
    }
    return 0;
}

static void ack(client *c, uint8_t type, uint8_t flags, uint16_t pid, int with_reason)
{
    uint8_t b[5] = {(uint8_t)(type << 4 | flags), 2, (uint8_t)(pid >> 8), (uint8_t)pid, 0};
    if (with_reason)
        b[1] = 3; /* 5.0: reason code Success spelled out */
    out(c, b, (size_t)b[1] + 2);
}

typedef struct reader {
    const uint8_t *p, *end;
    int bad;
} reader;

static unsigned u16(reader *r)
{
    if (r->end - r->p < 2) {
        r->bad = 1;
        return 0;
    }
    unsigned v = (unsigned)r->p[0] << 8 | r->p[1];
    r->p += 2;
    return v;
}

static unsigned u8(reader *r)
{
    if (r->p >= r->end) {
        r->bad = 1;
        return 0;
    }
    return *r->p++;
}

static size_t str(reader *r, char *to, size_t cap)
{
    size_t n = u16(r);
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = 1;
        return 0;
    }
    if (to) {
        size_t k = n < cap - 1 ? n : cap - 1;
        memcpy(to, r->p, k);
        to[k] = '\0';
    }
    r->p += n;
    return n;
}

static void props(reader *r, int version)
{
    if (version != 5)
        return;
    size_t n, k = get_len(r->p, r->end, &n);
    if (!k || (size_t)(r->end - r->p) < k + n) {
        r->bad = 1;
        return;
    }
    r->p += k + n;
}

static int matches(const char *filter, const char *topic)
{
    while (*filter) {
        if (*filter == '#')
            return 1;
        if (*filter == '+') {
            while (*topic && *topic != '/')
                topic++;
            filter++;
            continue;
        }
        if (*filter != *topic)
            return 0;
        filter++;
        topic++;
    }
    return *topic == '\0';
}

static void route(const char *topic, const uint8_t *payload, size_t plen, unsigned qos)
{
    for (int i = 0; i < MAXC; i++) {
        client *c = &cl[i];
        int best = -1;
        for (unsigned s = 0; c->fd >= 0 && c->version && s < c->nsubs; s++)
            if (matches(c->subs[s], topic) && c->subqos[s] > best)
                best = c->subqos[s];
        if (best < 0)
            continue;
        unsigned q = qos < (unsigned)best ? qos : (unsigned)best;
        size_t tl = strlen(topic), body = 2 + tl + (q ? 2 : 0) + (c->version == 5) + plen;
        uint8_t *b = malloc(body + 5);
        if (!b)
            abort();
        size_t n = 0;
        b[n++] = (uint8_t)(3 << 4 | q << 1);
        n += put_len(b + n, body);
        b[n++] = (uint8_t)(tl >> 8);
        b[n++] = (uint8_t)tl;
        memcpy(b + n, topic, tl);
        n += tl;
        if (q) {
            if (++c->next_pid == 0)
                c->next_pid = 1;
            b[n++] = (uint8_t)(c->next_pid >> 8);
            b[n++] = (uint8_t)c->next_pid;
        }
        if (c->version == 5)
            b[n++] = 0;
        memcpy(b + n, payload, plen);
        out(c, b, n + plen);
        free(b);
    }
}

static int on_connect(client *c, reader *r)
{
    char proto[8];
    str(r, proto, sizeof proto);
    unsigned level = u8(r), flags = u8(r);
    u16(r); /* keep alive */
    if (r->bad || strcmp(proto, "MQTT") != 0 || (level != 4 && level != 5) || (flags & 1))
        return -1;
    c->version = (int)level;
    props(r, c->version);
    str(r, c->id, sizeof c->id);
    if (flags & 4) { /* will */
        props(r, c->version);
        str(r, NULL, 0);
        str(r, NULL, 0);
    }
    if (flags & 128)
        str(r, NULL, 0);
    if (flags & 64)
        str(r, NULL, 0);
    if (r->bad || r->p != r->end)
        return -1;
    for (int i = 0; i < MAXC; i++) /* takeover: the older connection of this id goes */
        if (&cl[i] != c && cl[i].fd >= 0 && cl[i].version && c->id[0] && strcmp(cl[i].id, c->id) == 0)
            drop(&cl[i]);
    uint8_t b[5] = {0x20, 2, 0, 0, 0};
    if (c->version == 5)
        b[1] = 3;
    out(c, b, (size_t)b[1] + 2);
    return 0;
}

static int on_subscribe(client *c, reader *r, int unsub)
{
    unsigned pid = u16(r);
    props(r, c->version);
    uint8_t b[4 + 2 + 1 + MAXSUB * 4];
    size_t n = 0, codes = 0;
    uint8_t code[64];
    while (!r->bad && r->p < r->end && codes < sizeof code) {
        char f[TOPIC];
        if (!str(r, f, sizeof f) || r->bad)
            return -1;
        if (unsub) {
            unsigned found = 0;
            for (unsigned s = 0; s < c->nsubs; s++)
                if (strcmp(c->subs[s], f) == 0) {
                    memmove(c->subs[s], c->subs[s + 1], (c->nsubs - s - 1) * sizeof c->subs[0]);
                    memmove(&c->subqos[s], &c->subqos[s + 1], c->nsubs - s - 1);
                    c->nsubs--;
                    found = 1;
                    break;
                }
            code[codes++] = found ? 0 : 0x11;
            continue;
        }
        unsigned opts = u8(r), qos = opts & 3;
        if (qos == 3 || (opts & (c->version == 5 ? 0xc0 : 0xfc)))
            return -1;
        unsigned s = 0;
        while (s < c->nsubs && strcmp(c->subs[s], f) != 0)
            s++;
        if (s == c->nsubs && c->nsubs < MAXSUB)
            snprintf(c->subs[c->nsubs++], TOPIC, "%s", f);
        if (s < c->nsubs) {
            c->subqos[s] = (uint8_t)qos;
            code[codes++] = (uint8_t)qos;
        } else {
            code[codes++] = 0x80;
        }
    }
    if (r->bad || !codes)
        return -1;
    if (unsub && c->version != 5)
        codes = 0; /* 3.1.1's UNSUBACK has no payload */
    size_t body = 2 + (c->version == 5) + codes;
    b[n++] = unsub ? 0xb0 : 0x90;
    n += put_len(b + n, body);
    b[n++] = (uint8_t)(pid >> 8);
    b[n++] = (uint8_t)pid;
    if (c->version == 5)
        b[n++] = 0;
    if (codes > sizeof b - n)
        codes = sizeof b - n;
    memcpy(b + n, code, codes);
    out(c, b, n + codes);
    return 0;
}

/* Statistics by topic depth and payload size: paths that change no answer, as a real broker has
 * (its topic tree, its buffers), which only edge coverage sees. */
static unsigned long by_depth[6], by_size[4];

static void account(const char *topic, size_t payload)
{
    unsigned depth = 0;
    for (const char *t = topic; *t; t++)
        depth += *t == '/';
    switch (depth) {
    case 0:
        by_depth[0]++;
        break;
    case 1:
        by_depth[1]++;
        break;
    case 2:
        by_depth[2]++;
        break;
    case 3:
        by_depth[3]++;
        break;
    case 4:
        by_depth[4]++;
        break;
    default:
        by_depth[5]++;
        break;
    }
    if (payload == 0)
        by_size[0]++;
    else if (payload < 16)
        by_size[1]++;
    else if (payload < 256)
        by_size[2]++;
    else
        by_size[3]++;
}

static int on_publish(client *c, reader *r, unsigned flags)
{
    unsigned qos = flags >> 1 & 3;
    if (qos == 3)
        return -1;
    char topic[TOPIC];
    str(r, topic, sizeof topic);
    unsigned pid = qos ? u16(r) : 0;
    props(r, c->version);
    if (r->bad || strchr(topic, '+') || strchr(topic, '#') || (qos && !pid))
        return -1;
    if (!topic[0] && c->version != 5)
        return -1;
    account(topic, (size_t)(r->end - r->p));
    route(topic, r->p, (size_t)(r->end - r->p), qos);
    if (qos == 1)
        ack(c, 4, 0, (uint16_t)pid, 0);
    else if (qos == 2)
        ack(c, 5, 0, (uint16_t)pid, 0);
    return 0;
}

/* One whole packet (header byte h, body of n bytes): 0, or -1 to close. */
static int packet(client *c, uint8_t h, const uint8_t *body, size_t n)
{
    reader r = {body, body + n, 0};
    unsigned type = h >> 4, flags = h & 15;
    if (!c->version && type != 1)
        return -1;
    switch (type) {
    case 1:
        return c->version || flags ? -1 : on_connect(c, &r);
    case 3:
        return on_publish(c, &r, flags);
    case 4: /* PUBACK of a delivery */
    case 7: /* PUBCOMP */
        return flags || n < 2 ? -1 : 0;
    case 5: /* PUBREC of a delivery */
        if (flags || n < 2)
            return -1;
        ack(c, 6, 2, (uint16_t)u16(&r), 0);
        return 0;
    case 6:
        if (flags != 2 || n < 2)
            return -1;
        ack(c, 7, 0, (uint16_t)u16(&r), 0);
        return 0;
    case 8:
        return flags != 2 ? -1 : on_subscribe(c, &r, 0);
    case 10:
        return flags != 2 ? -1 : on_subscribe(c, &r, 1);
    case 12: {
        if (flags || n)
            return -1;
        uint8_t b[2] = {0xd0, 0};
        out(c, b, 2);
        return 0;
    }
    case 14:
        return -1; /* DISCONNECT: close */
    default:
        return -1;
    }
}

static void readable(client *c)
{
    ssize_t got = recv(c->fd, c->in + c->nin, sizeof c->in - c->nin, 0);
    if (got <= 0) {
        drop(c);
        return;
    }
    c->nin += (size_t)got;
    for (;;) {
        if (c->nin < 2)
            return;
        size_t len, k = get_len(c->in + 1, c->in + c->nin, &len);
        if (!k) {
            if (c->nin >= 5)
                drop(c);
            return;
        }
        if (1 + k + len > sizeof c->in) {
            drop(c);
            return;
        }
        if (c->nin < 1 + k + len)
            return;
        if (packet(c, c->in[0], c->in + 1 + k, len) != 0) {
            drop(c);
            return;
        }
        if (c->fd < 0)
            return;
        memmove(c->in, c->in + 1 + k + len, c->nin - 1 - k - len);
        c->nin -= 1 + k + len;
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: cov_broker PORT\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1]))};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(ls, (struct sockaddr *)&a, sizeof a) != 0 || listen(ls, 64) != 0) {
        perror("cov_broker: bind");
        return 1;
    }
    for (int i = 0; i < MAXC; i++)
        cl[i].fd = -1;
    for (;;) {
        struct pollfd p[MAXC + 1];
        int idx[MAXC + 1], n = 0;
        p[n] = (struct pollfd){ls, POLLIN, 0};
        idx[n++] = -1;
        for (int i = 0; i < MAXC; i++)
            if (cl[i].fd >= 0) {
                p[n] = (struct pollfd){cl[i].fd, POLLIN, 0};
                idx[n++] = i;
            }
        if (poll(p, (nfds_t)n, -1) < 0)
            continue;
        for (int j = 1; j < n; j++)
            if (p[j].revents && cl[idx[j]].fd == p[j].fd)
                readable(&cl[idx[j]]);
        if (p[0].revents & POLLIN) {
            int fd = accept(ls, NULL, NULL);
            int i = 0;
            while (i < MAXC && cl[i].fd >= 0)
                i++;
            if (fd >= 0 && i == MAXC)
                close(fd);
            else if (fd >= 0) {
                /* small packets answered at once, as a broker does (Nagle would hold them) */
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                cl[i].fd = fd;
            }
        }
    }
}
