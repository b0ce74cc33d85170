/* Frames to TCP segments to connections. A connection gets a flow (and a stream id) on its first
 * SYN or payload; it is ended when both FINs are in and every byte is delivered, on RST, when a new
 * SYN reuses its ports, or when the capture ends. */
#include "frame_pipeline.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ip_parse.h"
#include "link_layer.h"
#include "tcp_parse.h"

enum { DEFAULT_PENDING_LIMIT = 8u << 20, DEFAULT_MAX_PACKET = 64u << 20, PROTO_TCP = 6 };

bool cap_frame_pipeline_init(cap_frame_pipeline *p, int linktype, const cap_pcap_opts *opts, cap_event_sink sink,
                             void *ctx, cap_pcap_totals *totals)
{
    memset(p, 0, sizeof *p);
    p->opts = *opts;
    if (!p->opts.pending_limit)
        p->opts.pending_limit = DEFAULT_PENDING_LIMIT;
    if (!p->opts.max_packet)
        p->opts.max_packet = DEFAULT_MAX_PACKET;
    p->em.sink = sink;
    p->em.ctx = ctx;
    p->em.totals = totals;
    p->em.packet_event = &p->packet_event;
    p->em.counts_only = opts->counts_only;
    p->linktype = linktype;
    totals->linktype = linktype;
    return cap_flow_table_init(&p->flows);
}

/* stream and dir (CAP_C2S / CAP_S2C / -1) place the warning when it concerns a connection. */
static void warn(cap_frame_pipeline *p, const cap_stream_info *stream, int dir, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->message, sizeof p->message, fmt, ap);
    va_end(ap);
    cap_event ev = {.kind = CAP_EV_FRAME_WARNING, .stream = stream, .dir = dir, .message = p->message};
    cap_emit(&p->em, &ev);
}

static bool is_mqtt_port(const cap_frame_pipeline *p, uint16_t port)
{
    if (port == CAP_MQTT_PORT)
        return true;
    for (size_t i = 0; i < p->opts.port_count; i++)
        if (p->opts.ports[i] == port)
            return true;
    return false;
}

static void on_data(void *ctx, const uint8_t *data, size_t n, uint64_t frame)
{
    (void)frame;
    cap_flow_side *side = ctx;
    cap_flow *f = side->f;
    cap_stream_transport_data(&f->xport, &f->mqtt, side->sender, f->reasm[side->sender].syn_seen, data, n);
}

static void on_gap(void *ctx, uint32_t seq, uint32_t missing, uint64_t frame)
{
    (void)frame;
    cap_flow_side *side = ctx;
    cap_flow *f = side->f;
    cap_stream_transport_gap(&f->xport, &f->mqtt, side->sender, seq - f->isn[side->sender], missing);
}

static void end_flow(cap_frame_pipeline *p, cap_flow *f)
{
    for (int i = 0; i < 2; i++) {
        if (!f->ignored)
            cap_reasm_flush(&f->reasm[i], p->em.frame, &f->sink[i]);
    }
    cap_stream_add_retransmitted(&f->mqtt, f->reasm[0].retransmitted_bytes + f->reasm[1].retransmitted_bytes);
    cap_stream_transport_end(&f->xport, &f->mqtt);
    cap_stream_end(&f->mqtt);
    cap_stream_transport_free(&f->xport);
    cap_reasm_free(&f->reasm[0]);
    cap_reasm_free(&f->reasm[1]);
    cap_stream_free(&f->mqtt);
    free(f);
}

static void close_flow(cap_frame_pipeline *p, cap_flow *f)
{
    cap_flow_remove(&p->flows, f);
    end_flow(p, f);
}

static cap_flow *open_flow(cap_frame_pipeline *p, const cap_endpoint *src, const cap_endpoint *dst,
                           const cap_tcp_info *tcp)
{
    cap_flow *f = cap_flow_insert(&p->flows, src, dst);
    if (!f) {
        warn(p, NULL, -1, "out of memory: connection %u -> %u not followed", src->port, dst->port);
        return NULL;
    }
    uint64_t id = p->next_stream_id++;
    p->em.totals->streams++;
    int client = -1; /* a SYN says who the client is */
    if (tcp->flags & CAP_TCP_SYN)
        client = (tcp->flags & CAP_TCP_ACK) ? 1 : 0;
    bool mqtt_port[2] = {is_mqtt_port(p, src->port), is_mqtt_port(p, dst->port)};
    cap_stream_init(&f->mqtt, id, f->ep, mqtt_port, client, &p->em, p->opts.max_packet);
    for (int i = 0; i < 2; i++) {
        cap_reasm_init(&f->reasm[i], p->opts.pending_limit);
        f->sink[i] = (cap_reasm_sink){.data = on_data, .gap = on_gap, .ctx = &f->side[i]};
    }
    f->ignored = p->opts.only_stream && id != p->opts.stream_id;
    return f;
}

/* Both directions finished: every byte up to each FIN was delivered. */
static bool fully_closed(const cap_flow *f)
{
    for (int i = 0; i < 2; i++)
        if (!f->reasm[i].fin_seen || f->reasm[i].next_seq != f->reasm[i].fin_seq)
            return false;
    return true;
}

/* Inlined into cap_frame_pipeline_frame, its one caller. */
static CAP_HOT_INLINE void tcp_segment(cap_frame_pipeline *p, const cap_ip_info *ip, const cap_tcp_info *tcp)
{
    cap_endpoint src = {.family = ip->family, .port = tcp->sport};
    cap_endpoint dst = {.family = ip->family, .port = tcp->dport};
    memcpy(src.addr, ip->src, sizeof src.addr);
    memcpy(dst.addr, ip->dst, sizeof dst.addr);
    int sender = 0;
    cap_flow *f = cap_flow_find(&p->flows, &src, &dst, &sender);
    bool syn_only = (tcp->flags & (CAP_TCP_SYN | CAP_TCP_ACK)) == CAP_TCP_SYN;
    if (f && syn_only && f->reasm[sender].syn_seen && f->isn[sender] != tcp->seq) {
        close_flow(p, f); /* the ports were reused for a new connection */
        f = NULL;
    }
    if (!f) {
        if (tcp->flags & CAP_TCP_RST || (!(tcp->flags & CAP_TCP_SYN) && tcp->payload_len == 0))
            return; /* nothing to decode in a connection not yet seen */
        f = open_flow(p, &src, &dst, tcp);
        if (!f)
            return;
        sender = 0;
    }
    if (tcp->flags & CAP_TCP_SYN && !f->reasm[sender].syn_seen)
        f->isn[sender] = tcp->seq;
    if (!f->ignored && f->mqtt.detect != CAP_DETECT_NO) {
        int dir = f->mqtt.client < 0 ? -1 : sender == f->mqtt.client ? CAP_C2S : CAP_S2C;
        if (tcp->payload_caplen < tcp->payload_len)
            warn(p, &f->mqtt.info, dir, "frame cut short by the snapshot length: %zu of %zu TCP payload bytes captured",
                 tcp->payload_caplen, tcp->payload_len);
        if (!cap_reasm_segment(&f->reasm[sender], tcp->seq, tcp->flags, tcp->payload, tcp->payload_caplen,
                               tcp->payload_len, p->em.frame, &f->sink[sender]))
            warn(p, &f->mqtt.info, dir, "out of memory: an out-of-order segment was dropped");
        if (tcp->flags & CAP_TCP_ACK)
            cap_reasm_peer_ack(&f->reasm[1 - sender], tcp->ack, p->em.frame, &f->sink[1 - sender]);
    }
    if (tcp->flags & CAP_TCP_RST || fully_closed(f))
        close_flow(p, f);
}

static const char *const ip_problem[] = {
    [CAP_IP_TRUNCATED] = "captured bytes end inside the IP header",
    [CAP_IP_MALFORMED] = "IP header has impossible lengths",
    [CAP_IP_FRAGMENT] = "TCP in an IP fragment: fragments are not reassembled, this frame is not decoded",
};

void cap_frame_pipeline_frame(cap_frame_pipeline *p, uint64_t frame, int64_t ts_sec, uint32_t ts_nsec,
                              const uint8_t *data, size_t caplen, size_t len)
{
    cap_pcap_totals *t = p->em.totals;
    p->em.frame = frame;
    p->em.ts_sec = ts_sec;
    p->em.ts_nsec = ts_nsec;
    if (t->frames++ == 0) {
        t->first_frame_ts_sec = (uint64_t)ts_sec;
        t->first_frame_ts_nsec = ts_nsec;
    }
    t->captured_bytes += caplen;
    const uint8_t *l3;
    size_t l3_len;
    cap_link_result lr = cap_link_parse(p->linktype, data, caplen, &l3, &l3_len);
    if (lr == CAP_LINK_TRUNCATED) {
        warn(p, NULL, -1, "captured bytes (%zu of %zu) end inside the link-layer header", caplen, len);
        return;
    }
    if (lr == CAP_LINK_OTHER) {
        t->other_frames++;
        return;
    }
    cap_ip_info ip;
    cap_ip_result ir = cap_ip_parse(l3, l3_len, &ip);
    if (ir == CAP_IP_OPAQUE || ((ir == CAP_IP_OK || ir == CAP_IP_FRAGMENT) && ip.proto != PROTO_TCP)) {
        t->other_frames++;
        return;
    }
    if (ir != CAP_IP_OK) {
        warn(p, NULL, -1, "%s", ip_problem[ir]);
        return;
    }
    cap_tcp_info tcp;
    cap_tcp_result tr = cap_tcp_parse(ip.l4, ip.l4_caplen, ip.l4_len, &tcp);
    if (tr != CAP_TCP_OK) {
        warn(p, NULL, -1,
             tr == CAP_TCP_TRUNCATED ? "captured bytes end inside the TCP header" : "TCP header is malformed");
        return;
    }
    t->tcp_segments++;
    tcp_segment(p, &ip, &tcp);
}

static int by_stream_id(const void *a, const void *b)
{
    const cap_flow *x = *(cap_flow *const *)a, *y = *(cap_flow *const *)b;
    return x->mqtt.info.id < y->mqtt.info.id ? -1 : x->mqtt.info.id > y->mqtt.info.id;
}

void cap_frame_pipeline_finish(cap_frame_pipeline *p)
{
    size_t n;
    cap_flow **all = cap_flow_table_take_all(&p->flows, &n);
    if (all) {
        qsort(all, n, sizeof *all, by_stream_id);
        for (size_t i = 0; i < n; i++)
            end_flow(p, all[i]);
        free(all);
    }
    cap_flow_table_free(&p->flows);
}
