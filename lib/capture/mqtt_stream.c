/* MQTT over one reassembled TCP connection.
 *
 * Each direction's bytes are framed (quick_frame, else mqtt_frame_packet) and decoded in place with
 * mqtt_decode_framed, which does not frame them again, when a segment holds whole packets; only an
 * unfinished packet is copied into the direction's buffer. When the position of the next packet is unknown (the capture starts mid-stream, bytes
 * were lost, or bytes cannot be framed), the direction "hunts": it takes the first offset where a
 * whole packet decodes and the bytes after it frame as the start of another. */
#include "mqtt_stream.h"

#include <stdlib.h>
#include <string.h>

enum {
    HUNT_LOOKAHEAD = 1u << 20, /* while hunting, a candidate longer than this is not waited for */
    DETECT_BYTES = 16          /* enough bytes to read a CONNECT's protocol name and level */
};

static const char REASON_MID_STREAM[] = "the connection's SYN is not in the capture";
static const char REASON_GAP[] = "bytes missing from the capture";
static const char REASON_UNFRAMEABLE[] = "bytes that cannot be framed as a packet";

static int dir_of(const cap_stream *s, int sender)
{
    return sender == s->client ? CAP_C2S : CAP_S2C;
}

static void set_roles(cap_stream *s, int client, bool guessed)
{
    s->client = client;
    s->info.client = s->ep[client];
    s->info.server = s->ep[1 - client];
    s->info.roles_guessed = guessed;
    s->info.labels++;
}

static void activate(cap_stream *s)
{
    s->detect = CAP_DETECT_YES;
    s->em->totals->mqtt_streams++;
}

void cap_stream_init(cap_stream *s, uint64_t id, const cap_endpoint ep[2], const bool mqtt_port[2], int client,
                     const cap_emitter *em, uint32_t max_packet)
{
    memset(s, 0, sizeof *s);
    s->info.id = id;
    s->ep[0] = ep[0];
    s->ep[1] = ep[1];
    s->mqtt_port[0] = mqtt_port[0];
    s->mqtt_port[1] = mqtt_port[1];
    s->em = em;
    s->max_packet = max_packet;
    s->client = -1;
    if (client >= 0)
        set_roles(s, client, false);
}

/* The stream's first and last frame with an event. */
static void note_frame(cap_stream *s)
{
    if (!s->info.stats.first_frame)
        s->info.stats.first_frame = s->em->frame;
    s->info.stats.last_frame = s->em->frame;
}

static void emit(cap_stream *s, cap_event *ev)
{
    ev->stream = &s->info;
    note_frame(s);
    cap_emit(s->em, ev);
}

void cap_stream_emit(cap_stream *s, cap_event *ev)
{
    emit(s, ev);
}

void cap_stream_set_transport(cap_stream *s, cap_transport transport, int client)
{
    set_roles(s, client, false);
    s->info.transport = transport;
    s->info.labels++;
    s->detect = CAP_DETECT_YES;
    if (transport == CAP_TRANSPORT_TLS) {
        s->em->totals->tls_streams++;
        return;
    }
    s->em->totals->mqtt_streams++;
    if (transport == CAP_TRANSPORT_WEBSOCKET)
        s->em->totals->websocket_streams++;
}

static bool append(cap_half *h, const uint8_t *p, size_t n)
{
    if (n == 0)
        return true;
    if (h->len + n > h->cap) {
        size_t cap = h->cap ? h->cap : 4096;
        while (cap < h->len + n)
            cap *= 2;
        uint8_t *grown = realloc(h->buf, cap);
        if (!grown)
            return false;
        h->buf = grown;
        h->cap = cap;
    }
    memcpy(h->buf + h->len, p, n);
    h->len += n;
    return true;
}

static void release(cap_half *h)
{
    free(h->buf);
    h->buf = NULL;
    h->len = h->cap = 0;
}

static mqtt_decode_opts opts_as(const cap_stream *s, int sender, mqtt_version v)
{
    return (mqtt_decode_opts){
        .version = v,
        .direction = dir_of(s, sender) == CAP_C2S ? MQTT_DIR_TO_SERVER : MQTT_DIR_TO_CLIENT,
        .max_packet_size = s->max_packet,
    };
}

static mqtt_result decode_as(const cap_stream *s, int sender, mqtt_version v, const uint8_t *p, size_t n,
                             mqtt_packet *pkt, mqtt_frame *fr)
{
    mqtt_decode_opts opts = opts_as(s, sender, v);
    return mqtt_decode(p, n, &opts, pkt, fr);
}

static void version_event(cap_stream *s, const char *why)
{
    cap_event ev = {.kind = CAP_EV_VERSION, .dir = -1, .version = s->info.version, .message = why};
    emit(s, &ev);
}

/* Without a CONNECT, 5.0 is assumed and every packet is also decoded as 3.1.1 until one decodes as
 * only one of them: that one is then the stream's version. */
static mqtt_result decode_unsure(cap_stream *s, int sender, const uint8_t *p, size_t n, mqtt_packet *pkt,
                                 mqtt_frame *fr)
{
    mqtt_result r5 = decode_as(s, sender, MQTT_V5, p, n, pkt, fr);
    mqtt_packet pkt311;
    mqtt_frame fr311;
    mqtt_result r311 = decode_as(s, sender, MQTT_V311, p, n, &pkt311, &fr311);
    if (r5 == MQTT_COMPLETE && r311 != MQTT_COMPLETE) {
        s->info.version_source = CAP_VERSION_INFERRED;
        version_event(s, "a packet decodes as MQTT 5.0 but not as 3.1.1: taking 5.0 for this stream");
    } else if (r5 != MQTT_COMPLETE && r311 == MQTT_COMPLETE) {
        s->info.version = MQTT_V311;
        s->info.version_source = CAP_VERSION_INFERRED;
        version_event(s, "a packet decodes as MQTT 3.1.1 but not as 5.0: taking 3.1.1 for this stream");
        *pkt = pkt311;
        *fr = fr311;
        return r311;
    }
    return r5;
}

/* p holds exactly one packet, framed as *framed says, at offset in its direction's stream. Inlined
 * into consume, its one caller. */
static CAP_HOT_INLINE void decode_packet(cap_stream *s, int sender, const uint8_t *p, const mqtt_frame *framed,
                                         uint64_t offset)
{
    const uint32_t len = framed->packet_len;
    int d = dir_of(s, sender);
    if ((p[0] >> 4) == MQTT_CONNECT && d == CAP_C2S) {
        mqtt_version announced = mqtt_version_from_level(mqtt_peek_connect_level(p, len));
        if (announced) {
            s->info.version = announced;
            s->info.version_source = CAP_VERSION_CONNECT;
        }
    }
    if (s->info.version_source == CAP_VERSION_NONE) {
        s->info.version = MQTT_V5;
        s->info.version_source = CAP_VERSION_ASSUMED;
        version_event(s, "no CONNECT seen in this stream: assuming MQTT 5.0 until a packet decodes only as 3.1.1");
    }
    mqtt_packet pkt;
    mqtt_frame fr;
    mqtt_result r;
    if (s->info.version_source == CAP_VERSION_ASSUMED) {
        r = decode_unsure(s, sender, p, len, &pkt, &fr);
    } else {
        mqtt_decode_opts opts = opts_as(s, sender, s->info.version);
        r = mqtt_decode_framed(p, framed, &opts, &pkt, &fr);
    }
    if (r == MQTT_COMPLETE) {
        s->info.stats.packets[d]++;
        if (!cap_count_packet(s->em, pkt.type)) {
            note_frame(s);
            return;
        }
        cap_event *pe = s->em->packet_event; /* these fields and emit's are all a packet event sets */
        pe->kind = CAP_EV_PACKET;
        pe->dir = d;
        pe->version = s->info.version;
        pe->packet = &pkt;
        pe->raw = p;
        pe->raw_len = len;
        pe->offset = offset;
        emit(s, pe);
        return;
    }
    cap_event ev = {.kind = CAP_EV_MALFORMED,
                    .dir = d,
                    .version = s->info.version,
                    .raw = p,
                    .raw_len = len,
                    .offset = offset,
                    .error = fr.error};
    if (r == MQTT_NEED_MORE) /* framing said the packet is whole: the decoder disagrees */
        ev.error = (mqtt_error){.code = MQTT_ERR_TRUNCATED, .offset = len};
    s->info.stats.malformed[d]++;
    emit(s, &ev);
}

/* Decode as hunting needs it: by the stream's version, or either candidate when it is not known. */
static mqtt_result decode_any(cap_stream *s, int sender, const uint8_t *p, size_t n, mqtt_packet *pkt,
                              mqtt_frame *fr)
{
    if (s->info.version_source == CAP_VERSION_CONNECT || s->info.version_source == CAP_VERSION_INFERRED)
        return decode_as(s, sender, s->info.version, p, n, pkt, fr);
    mqtt_result r = decode_as(s, sender, MQTT_V5, p, n, pkt, fr);
    if (r == MQTT_MALFORMED)
        r = decode_as(s, sender, MQTT_V311, p, n, pkt, fr);
    return r;
}

typedef enum hunt_verdict { HUNT_NO, HUNT_YES, HUNT_WAIT } hunt_verdict;

/* Whether a packet plausibly starts at p: it decodes whole, and what follows frames as a packet
 * (or the stream is over). A packet that fills the bytes exactly is trusted only at the first byte
 * after the stream's start or a gap (senders write packets at segment starts); elsewhere it waits
 * for what follows. Short of bytes, wait, unless the candidate is too long to trust. */
static hunt_verdict boundary_at(cap_stream *s, int sender, const uint8_t *p, size_t n, bool final, bool first)
{
    if ((p[0] >> 4) == 0)
        return HUNT_NO;
    mqtt_packet pkt;
    mqtt_frame fr;
    mqtt_result r = decode_any(s, sender, p, n, &pkt, &fr);
    if (r == MQTT_MALFORMED)
        return HUNT_NO;
    if (r == MQTT_NEED_MORE)
        return !final && fr.need <= HUNT_LOOKAHEAD ? HUNT_WAIT : HUNT_NO;
    size_t next = fr.packet_len;
    if (next == n)
        return final || first ? HUNT_YES : HUNT_WAIT;
    mqtt_frame follow;
    if ((p[next] >> 4) == 0 || mqtt_frame_packet(p + next, n - next, s->max_packet, &follow) == MQTT_MALFORMED)
        return HUNT_NO;
    return HUNT_YES;
}

/* How many bytes at p precede the next plausible packet start; *found false when none was found
 * (all n skipped) or the candidate there needs more bytes. */
static size_t hunt(cap_stream *s, int sender, const uint8_t *p, size_t n, bool final, bool *found)
{
    bool at_start = s->half[sender].hunt_skipped == 0;
    for (size_t i = 0; i < n; i++) {
        hunt_verdict v = boundary_at(s, sender, p + i, n - i, final, at_start && i == 0);
        if (v != HUNT_NO) {
            *found = v == HUNT_YES;
            return i;
        }
    }
    *found = false;
    return n;
}

static void end_hunt(cap_stream *s, int sender, bool found, uint64_t offset)
{
    cap_half *h = &s->half[sender];
    cap_event ev = {.kind = CAP_EV_RESYNC,
                    .dir = dir_of(s, sender),
                    .count = h->hunt_skipped,
                    .found = found,
                    .message = h->hunt_reason,
                    .offset = offset};
    bool clean_start = found && h->hunt_skipped == 0 && h->hunt_reason == REASON_MID_STREAM;
    h->hunting = false;
    h->hunt_skipped = 0;
    if (clean_start) /* the first captured byte starts a packet: nothing was skipped, nothing to say */
        return;
    s->info.stats.resyncs++;
    s->info.stats.skipped_bytes += ev.count;
    emit(s, &ev);
}

static void start_hunt(cap_half *h, const char *reason)
{
    h->hunting = true;
    h->hunt_reason = reason;
    h->hunt_skipped = 0;
}

/* The Remaining Length at p[1..], when its encoding is complete. */
static bool remaining_length(const uint8_t *p, size_t n, uint32_t *total)
{
    uint32_t value = 0;
    for (size_t i = 1; i < n && i <= 4; i++) {
        value |= (uint32_t)(p[i] & 0x7F) << (7 * (i - 1));
        if (!(p[i] & 0x80)) {
            *total = (uint32_t)(i + 1) + value;
            return true;
        }
    }
    return false;
}

/* Framing failed at p: report it, then pass over the packet (too large but well framed) or hunt. */
static void unframeable(cap_stream *s, int sender, const uint8_t *p, size_t n, const mqtt_error *err,
                        uint64_t offset)
{
    cap_half *h = &s->half[sender];
    int d = dir_of(s, sender);
    cap_event ev = {
        .kind = CAP_EV_MALFORMED, .dir = d, .version = s->info.version, .error = *err, .raw = p, .offset = offset};
    uint32_t total;
    if (err->code == MQTT_ERR_PACKET_TOO_LARGE && remaining_length(p, n, &total)) {
        ev.raw_len = (uint32_t)(n < 5 ? n : 5);
        h->skip_left = total;
    } else {
        start_hunt(h, REASON_UNFRAMEABLE);
    }
    s->info.stats.malformed[d]++;
    emit(s, &ev);
}

/* Frames the whole packet at p into *fr (as mqtt_frame_packet would) when its Remaining Length takes
 * one or two bytes (minimal), the packet is all in the n bytes and within max_packet; else false,
 * and mqtt_frame_packet decides. Most packets are framed here, without the call (about 20
 * instructions a packet). */
static CAP_HOT_INLINE bool quick_frame(const uint8_t *p, size_t n, uint32_t max_packet, mqtt_frame *fr)
{
    if (n < 2)
        return false;
    uint32_t header, remaining;
    if (p[1] < 0x80) {
        header = 2;
        remaining = p[1];
    } else if (n >= 3 && p[2] != 0 && p[2] < 0x80) {
        header = 3;
        remaining = (p[1] & 0x7Fu) + ((uint32_t)p[2] << 7);
    } else {
        return false;
    }
    const uint32_t len = header + remaining;
    if (len > n || (max_packet && len > max_packet))
        return false;
    fr->packet_len = len;
    fr->remaining_length = remaining;
    fr->header_len = (uint8_t)header;
    return true;
}

/* Decode what p holds (p[0] is at stream position h->pos); returns how many bytes were used (the
 * rest is an unfinished packet or a candidate boundary waiting for more) and moves h->pos past
 * them. final: no more bytes will come. Inlined into its two callers. */
static CAP_HOT_INLINE size_t consume(cap_stream *s, int sender, const uint8_t *p, size_t n, bool final)
{
    cap_half *h = &s->half[sender];
    size_t off = 0;
    while (off < n) {
        if (h->skip_left) {
            size_t k = n - off < h->skip_left ? n - off : (size_t)h->skip_left;
            off += k;
            h->skip_left -= k;
            continue;
        }
        if (h->hunting) {
            bool found;
            size_t skipped = hunt(s, sender, p + off, n - off, final, &found);
            off += skipped;
            h->hunt_skipped += skipped;
            if (!found)
                break;
            end_hunt(s, sender, true, h->pos + off);
            continue;
        }
        mqtt_frame fr;
        if (!quick_frame(p + off, n - off, s->max_packet, &fr)) {
            mqtt_result r = mqtt_frame_packet(p + off, n - off, s->max_packet, &fr);
            if (r == MQTT_NEED_MORE)
                break;
            if (r == MQTT_MALFORMED) {
                unframeable(s, sender, p + off, n - off, &fr.error, h->pos + off);
                continue;
            }
        }
        decode_packet(s, sender, p + off, &fr, h->pos + off);
        off += fr.packet_len;
    }
    h->pos += off;
    return off;
}

/* Decode the buffered bytes of a direction and keep what is left. */
static void consume_buffer(cap_stream *s, int sender, bool final)
{
    cap_half *h = &s->half[sender];
    size_t used = consume(s, sender, h->buf, h->len, final);
    memmove(h->buf, h->buf + used, h->len - used);
    h->len -= used;
}

/* Whether this stream is MQTT: a port says so, or its client's first bytes are a CONNECT. */
static void detect(cap_stream *s, int sender)
{
    cap_half *h = &s->half[sender];
    bool may_be_client = s->client < 0 || s->client == sender;
    if (may_be_client && !h->hunting) {
        if (mqtt_peek_connect_level(h->buf, h->len)) {
            if (s->client < 0)
                set_roles(s, sender, false);
            activate(s);
            return;
        }
        if (h->len < DETECT_BYTES && h->buf[0] == (MQTT_CONNECT << 4))
            return; /* maybe a CONNECT cut short: wait for more */
    }
    s->detect = CAP_DETECT_NO;
    release(&s->half[0]);
    release(&s->half[1]);
}

/* A port decides as soon as bytes flow: the endpoint on an MQTT port is the server. */
static void detect_by_port(cap_stream *s)
{
    if (s->client < 0) {
        int server = s->mqtt_port[0] && s->mqtt_port[1] ? (s->ep[0].port <= s->ep[1].port ? 0 : 1)
                                                        : (s->mqtt_port[0] ? 0 : 1);
        set_roles(s, 1 - server, true);
    }
    activate(s);
}

void cap_stream_data(cap_stream *s, int sender, bool from_start, const uint8_t *p, size_t n)
{
    if (s->detect == CAP_DETECT_NO || n == 0)
        return;
    cap_half *h = &s->half[sender];
    if (!h->seen) {
        h->seen = true;
        if (!from_start) {
            start_hunt(h, REASON_MID_STREAM);
            s->info.mid_stream = true;
        }
    }
    if (s->detect == CAP_DETECT_PENDING && (s->mqtt_port[0] || s->mqtt_port[1]))
        detect_by_port(s);
    if (s->detect == CAP_DETECT_PENDING) {
        if (!append(h, p, n)) {
            s->detect = CAP_DETECT_NO;
            release(h);
            return;
        }
        detect(s, sender);
        if (s->detect != CAP_DETECT_YES)
            return;
        p += n; /* the bytes are in the buffer now */
        n = 0;
    }
    s->info.stats.bytes[dir_of(s, sender)] += n ? n : h->len;
    if (h->len == 0) {
        size_t used = consume(s, sender, p, n, false);
        p += used;
        n -= used;
        if (append(h, p, n))
            return;
    } else if (append(h, p, n)) {
        consume_buffer(s, sender, false);
        return;
    }
    cap_stream_gap(s, sender, 0, (uint32_t)n); /* out of memory: what could not be kept is lost */
}

void cap_stream_gap(cap_stream *s, int sender, uint32_t seq, uint32_t missing)
{
    if (s->detect == CAP_DETECT_PENDING) { /* cannot see how the stream starts: not taken as MQTT */
        s->detect = CAP_DETECT_NO;
        release(&s->half[0]);
        release(&s->half[1]);
    }
    if (s->detect != CAP_DETECT_YES)
        return;
    cap_half *h = &s->half[sender];
    cap_event ev = {
        .kind = CAP_EV_GAP, .dir = dir_of(s, sender), .seq = seq, .count = missing, .offset = h->pos + h->len};
    s->info.stats.gaps++;
    s->info.stats.gap_bytes += missing;
    h->seen = true;
    if (h->skip_left >= missing) { /* the hole lies inside a packet being passed over: still in step */
        h->skip_left -= missing;
    } else if (h->hunting) {
        h->hunt_skipped += h->len;
        h->len = 0;
    } else {
        ev.dropped = h->len;
        h->len = 0;
        h->skip_left = 0;
        start_hunt(h, REASON_GAP);
    }
    h->pos = ev.offset + missing;
    emit(s, &ev);
}

void cap_stream_add_retransmitted(cap_stream *s, uint64_t bytes)
{
    s->info.stats.retransmitted_bytes += bytes;
}

void cap_stream_end(cap_stream *s)
{
    if (s->detect != CAP_DETECT_YES)
        return;
    for (int sender = 0; sender < 2; sender++) {
        cap_half *h = &s->half[sender];
        if (h->len)
            consume_buffer(s, sender, true);
        if (h->hunting) {
            h->hunt_skipped += h->len;
            h->pos += h->len;
            h->len = 0;
            end_hunt(s, sender, false, h->pos);
        } else if (h->len) {
            cap_event ev = {.kind = CAP_EV_TRUNCATED,
                            .dir = dir_of(s, sender),
                            .version = s->info.version,
                            .raw = h->buf,
                            .raw_len = (uint32_t)h->len,
                            .count = h->len,
                            .offset = h->pos,
                            .error = {.code = MQTT_ERR_TRUNCATED, .offset = (uint32_t)h->len}};
            s->info.stats.malformed[dir_of(s, sender)]++;
            h->len = 0;
            emit(s, &ev);
        }
    }
    cap_event ev = {.kind = CAP_EV_STREAM_END, .dir = -1, .version = s->info.version};
    emit(s, &ev);
}

void cap_stream_free(cap_stream *s)
{
    release(&s->half[0]);
    release(&s->half[1]);
}
