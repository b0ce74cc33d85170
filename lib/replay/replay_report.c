/* mqtk replay — printing divergences and the summary (see replay_report.h). */
#include "replay_report.h"

#include <stddef.h>
#include <string.h>

#include "format/json_write.h"

static const char *const kind_names[] = {
    [REPLAY_DIV_FIELD] = "field",         [REPLAY_DIV_MISSING] = "missing", [REPLAY_DIV_UNEXPECTED] = "unexpected",
    [REPLAY_DIV_MALFORMED] = "malformed", [REPLAY_DIV_CLOSED] = "closed",   [REPLAY_DIV_CONNECT] = "connect",
    [REPLAY_DIV_FLOOD] = "flood",
};

static const char *type_name(unsigned type)
{
    const char *n = mqtt_packet_type_name(type);
    return n ? n : "(reserved type 0)";
}

/* One JSON Lines object: begin_json_event, its members, then end_json_event prints the line. */
static void begin_json_event(fmt_json_writer *w, const char *event)
{
    fmt_jw_init(w);
    fmt_jw_object_begin(w);
    fmt_jw_key(w, "event");
    fmt_jw_cstring(w, event);
}

static void end_json_event(replay_report *r, fmt_json_writer *w)
{
    fmt_jw_object_end(w);
    fmt_jw_flush(w, r->out);
    fputc('\n', r->out);
    fflush(r->out);
    fmt_jw_free(w);
}

void replay_report_divergence(replay_report *r, replay_session *s, replay_div_kind kind,
                              const replay_step *step, unsigned type, const replay_diff *diff, const char *detail)
{
    r->stats->divergences++;
    /* a broker answering everything wrongly (or flooding) must not flood the output in turn */
    if (kind != REPLAY_DIV_FLOOD && s->shown >= REPLAY_SHOWN_PER_SESSION) {
        s->left_out++;
        r->stats->left_out++;
        return;
    }
    s->shown++;
    if (!r->json) {
        fprintf(r->out, "DIVERGENCE #%llu ", (unsigned long long)s->stream_id);
        if (step)
            fprintf(r->out, "frame %llu ", (unsigned long long)step->frame);
        if (type)
            fprintf(r->out, "%s ", type_name(type));
        fprintf(r->out, "%s: ", kind_names[kind]);
        if (diff)
            fprintf(r->out, "%s captured %s, replayed %s", diff->field, diff->captured, diff->replayed);
        if (detail)
            fprintf(r->out, "%s%s", diff ? " " : "", detail);
        fputc('\n', r->out);
        fflush(r->out);
        return;
    }
    fmt_json_writer w;
    begin_json_event(&w, "divergence");
    fmt_jw_key(&w, "kind");
    fmt_jw_cstring(&w, kind_names[kind]);
    fmt_jw_key(&w, "stream");
    fmt_jw_uint(&w, s->stream_id);
    fmt_jw_key(&w, "frame");
    if (step)
        fmt_jw_uint(&w, step->frame);
    else
        fmt_jw_null(&w);
    fmt_jw_key(&w, "packet");
    if (type)
        fmt_jw_cstring(&w, type_name(type));
    else
        fmt_jw_null(&w);
    if (diff) {
        fmt_jw_key(&w, "field");
        fmt_jw_cstring(&w, diff->field);
        fmt_jw_key(&w, "captured");
        fmt_jw_cstring(&w, diff->captured);
        fmt_jw_key(&w, "replayed");
        fmt_jw_cstring(&w, diff->replayed);
    }
    if (detail) {
        fmt_jw_key(&w, "message");
        fmt_jw_cstring(&w, detail);
    }
    end_json_event(r, &w);
}

void replay_report_skipped(replay_report *r, const replay_session *s)
{
    if (!r->json) {
        fprintf(r->out, "SKIPPED    #%llu %s -> %s: %s\n", (unsigned long long)s->stream_id, s->client, s->server,
                s->skip_reason);
        return;
    }
    fmt_json_writer w;
    begin_json_event(&w, "skipped");
    fmt_jw_key(&w, "stream");
    fmt_jw_uint(&w, s->stream_id);
    fmt_jw_key(&w, "client");
    fmt_jw_cstring(&w, s->client);
    fmt_jw_key(&w, "server");
    fmt_jw_cstring(&w, s->server);
    fmt_jw_key(&w, "reason");
    fmt_jw_cstring(&w, s->skip_reason);
    end_json_event(r, &w);
}

void replay_report_start(replay_report *r, const char *capture, const char *broker, const char *pace,
                         uint64_t sessions)
{
    if (!r->json)
        fprintf(r->out, "replaying %llu session%s of %s against %s (%s)\n", (unsigned long long)sessions,
                sessions == 1 ? "" : "s", capture, broker, pace);
}

void replay_report_left_out(replay_report *r, const replay_session *sessions, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const replay_session *s = &sessions[i];
        if (!s->left_out)
            continue;
        if (!r->json) {
            fprintf(r->out, "LEFT OUT   #%llu: %llu more divergence%s of this session not shown (at most %d are shown "
                            "per session)\n",
                    (unsigned long long)s->stream_id, (unsigned long long)s->left_out, s->left_out == 1 ? "" : "s",
                    REPLAY_SHOWN_PER_SESSION);
            continue;
        }
        fmt_json_writer w;
        begin_json_event(&w, "left_out");
        fmt_jw_key(&w, "stream");
        fmt_jw_uint(&w, s->stream_id);
        fmt_jw_key(&w, "divergences");
        fmt_jw_uint(&w, s->left_out);
        end_json_event(r, &w);
    }
    fflush(r->out);
}

void replay_report_summary(replay_report *r, const char *capture, const char *broker)
{
    const replay_stats *st = r->stats;
    if (!r->json) {
        char left_out[48] = "";
        if (st->left_out)
            snprintf(left_out, sizeof left_out, " (%llu not shown)", (unsigned long long)st->left_out);
        fprintf(r->out,
                "summary: %llu session%s replayed, %llu skipped; %llu packets sent (%llu rewritten); "
                "%llu of %llu captured replies matched, %llu received; %llu divergence%s%s; %s%s%s%.3f s\n",
                (unsigned long long)st->sessions, st->sessions == 1 ? "" : "s", (unsigned long long)st->skipped,
                (unsigned long long)st->sent, (unsigned long long)st->rewritten, (unsigned long long)st->matched,
                (unsigned long long)st->expected, (unsigned long long)st->received,
                (unsigned long long)st->divergences, st->divergences == 1 ? "" : "s", left_out,
                st->transport[0] ? "over " : "", st->transport, st->transport[0] ? "; " : "", st->seconds);
        fflush(r->out);
        return;
    }
    fmt_json_writer w;
    begin_json_event(&w, "summary");
    fmt_jw_key(&w, "capture");
    fmt_jw_cstring(&w, capture);
    fmt_jw_key(&w, "broker");
    fmt_jw_cstring(&w, broker);
    fmt_jw_key(&w, "transport");
    if (st->transport[0])
        fmt_jw_cstring(&w, st->transport);
    else
        fmt_jw_null(&w);
    static const struct {
        const char *name;
        size_t offset;
    } counters[] = {
        {"sessions", offsetof(replay_stats, sessions)},       {"skipped", offsetof(replay_stats, skipped)},
        {"sent", offsetof(replay_stats, sent)},               {"rewritten", offsetof(replay_stats, rewritten)},
        {"expected_replies", offsetof(replay_stats, expected)}, {"matched", offsetof(replay_stats, matched)},
        {"received", offsetof(replay_stats, received)},       {"divergences", offsetof(replay_stats, divergences)},
        {"left_out", offsetof(replay_stats, left_out)},       {"gaps_shortened", offsetof(replay_stats, gaps_shortened)},
    };
    for (size_t i = 0; i < sizeof counters / sizeof counters[0]; i++) {
        fmt_jw_key(&w, counters[i].name);
        fmt_jw_uint(&w, *(const uint64_t *)((const char *)st + counters[i].offset));
    }
    fmt_jw_key(&w, "damaged");
    if (st->damaged)
        fmt_jw_cstring(&w, st->damaged);
    else
        fmt_jw_null(&w);
    char secs[32];
    snprintf(secs, sizeof secs, "%.3f", st->seconds);
    fmt_jw_key(&w, "seconds");
    fmt_jw_cstring(&w, secs);
    end_json_event(r, &w);
}
