/* mqtk replay — reading a capture into client sessions and steps (see replay_model.h). */
#include "replay_model.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

static replay_session *session_for(replay_capture *cap, const cap_stream_info *info)
{
    if (info->id >= cap->stream_slots) {
        size_t slots = cap->stream_slots ? cap->stream_slots : 16;
        while (slots <= info->id)
            slots *= 2;
        cap->session_of_stream = base_xrealloc(cap->session_of_stream, slots * sizeof *cap->session_of_stream);
        memset(cap->session_of_stream + cap->stream_slots, 0,
               (slots - cap->stream_slots) * sizeof *cap->session_of_stream);
        cap->stream_slots = slots;
    }
    uint32_t *slot = &cap->session_of_stream[info->id];
    if (*slot)
        return &cap->sessions[*slot - 1];
    if (cap->session_count == cap->session_cap) {
        cap->session_cap = cap->session_cap ? cap->session_cap * 2 : 16;
        cap->sessions = base_xrealloc(cap->sessions, cap->session_cap * sizeof *cap->sessions);
    }
    replay_session *s = &cap->sessions[cap->session_count++];
    memset(s, 0, sizeof *s);
    s->stream_id = info->id;
    cap_endpoint_format(&info->client, s->client, sizeof s->client);
    cap_endpoint_format(&info->server, s->server, sizeof s->server);
    if (info->mid_stream)
        s->skip_reason = "the capture starts in the middle of the connection";
    *slot = (uint32_t)cap->session_count;
    return s;
}

static void add_step(replay_capture *cap, replay_session *s, const cap_event *ev)
{
    if (cap->step_count == cap->step_cap) {
        cap->step_cap = cap->step_cap ? cap->step_cap * 2 : 256;
        cap->steps = base_xrealloc(cap->steps, cap->step_cap * sizeof *cap->steps);
    }
    replay_step *st = &cap->steps[cap->step_count++];
    memset(st, 0, sizeof *st);
    st->session = (uint32_t)(s - cap->sessions);
    st->dir = ev->dir;
    st->frame = ev->frame;
    /* relative to frame 1, whose time the reader set before any event (saturated, never overflowing) */
    st->time_ns = cap_time_span_ns(cap_time_between((int64_t)cap->totals.first_frame_ts_sec,
                                                    cap->totals.first_frame_ts_nsec, ev->ts_sec, ev->ts_nsec));
    st->raw = base_xmalloc(ev->raw_len);
    memcpy(st->raw, ev->raw, ev->raw_len);
    st->raw_len = ev->raw_len;
    st->well_formed = ev->kind == CAP_EV_PACKET;
    st->type = (uint8_t)(ev->raw[0] >> 4);
    if (ev->dir == CAP_C2S)
        s->sends++;
    else
        s->replies++;
}

static void collect(void *ctx, const cap_event *ev)
{
    replay_capture *cap = ctx;
    if (!ev->stream)
        return;
    replay_session *s = session_for(cap, ev->stream);
    switch (ev->kind) {
    case CAP_EV_PACKET:
    case CAP_EV_MALFORMED:
        if (!ev->raw_len)
            break;
        if (!s->version)
            s->version = ev->version;
        if (s->sends == 0 && ev->dir == CAP_C2S && (ev->kind != CAP_EV_PACKET || ev->packet->type != MQTT_CONNECT) &&
            !s->skip_reason)
            s->skip_reason = "its first client packet is not a CONNECT";
        add_step(cap, s, ev);
        break;
    case CAP_EV_GAP:
    case CAP_EV_TRUNCATED:
    case CAP_EV_RESYNC:
        if (!s->skip_reason)
            s->skip_reason = "bytes of the connection are missing from the capture";
        break;
    case CAP_EV_VERSION:
        if (!s->skip_reason)
            s->skip_reason = "no CONNECT: the protocol version is a guess";
        break;
    case CAP_EV_WS_ERROR:
        if (!s->skip_reason)
            s->skip_reason = "a WebSocket frame or handshake breaks a rule";
        break;
    case CAP_EV_TRANSPORT:
        if (ev->stream->transport == CAP_TRANSPORT_TLS && !s->skip_reason)
            s->skip_reason = "a TLS connection: encrypted, not decoded";
        break;
    case CAP_EV_FRAME_WARNING:
    case CAP_EV_STREAM_END:
        break;
    }
}

/* Drop the steps of sessions that will not be replayed. */
static void settle(replay_capture *cap)
{
    size_t kept = 0;
    for (size_t i = 0; i < cap->step_count; i++) {
        replay_step st = cap->steps[i];
        replay_session *s = &cap->sessions[st.session];
        if (!s->skip_reason && s->sends == 0)
            s->skip_reason = "the client sent no MQTT packet";
        if (s->skip_reason) {
            free(st.raw);
            continue;
        }
        cap->steps[kept++] = st;
    }
    cap->step_count = kept;
}

cap_pcap_status replay_capture_load(replay_capture *cap, const char *path, const cap_pcap_opts *opts, char *err,
                                    size_t errcap)
{
    memset(cap, 0, sizeof *cap);
    cap_pcap_status st = cap_pcap_read_file(path, opts, collect, cap, &cap->totals, err, errcap);
    if (st == CAP_PCAP_OK)
        settle(cap);
    return st;
}

void replay_capture_free(replay_capture *cap)
{
    for (size_t i = 0; i < cap->step_count; i++)
        free(cap->steps[i].raw);
    free(cap->steps);
    free(cap->sessions);
    free(cap->session_of_stream);
    memset(cap, 0, sizeof *cap);
}

bool replay_step_decode(const replay_capture *cap, const replay_step *step, mqtt_packet *pkt)
{
    if (!step->well_formed)
        return false;
    mqtt_decode_opts o = {.version = cap->sessions[step->session].version, .direction = step->dir == CAP_C2S ? MQTT_DIR_TO_SERVER : MQTT_DIR_TO_CLIENT};
    mqtt_frame fr;
    return mqtt_decode(step->raw, step->raw_len, &o, pkt, &fr) == MQTT_COMPLETE;
}
