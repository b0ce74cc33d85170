/* The interpreter: runs one test's steps against the broker, then cleans up what the test left
 * behind (retained messages, persistent sessions). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "conformance/script/fields.h"
#include "interp.h"
#include "conformance/script/vars.h"
#include "base/hex.h"
#include "conformance/script/build.h"
#include "conformance/script/match.h"

enum { MAX_CONNS = 64, MAX_TRACKED = 32 };

/* Why the test stopped at a step. */
typedef enum fail_kind {
    FK_NONE = 0,
    FK_STEP,        /* the step's expectation was not met (a finding when the step observes statements) */
    FK_VIOLATION,   /* the broker sent a packet that breaks a rule (the codec or a limit names it) */
    FK_SCRIPT,      /* the script cannot be carried out: an error of the suite, not of the broker */
    FK_UNREACHABLE, /* no TCP connection to the broker could be opened for this test */
    FK_TIMING,      /* a timed outcome too close to call */
    FK_LIMIT        /* a packet of the test is over a limit the broker announced: not applicable here */
} fail_kind;

typedef struct tracked {
    char *items[MAX_TRACKED];
    size_t n;
} tracked;

typedef struct interp {
    const cs_test *test;
    const cr_run_opts *opts;
    cr_result *r;
    cs_vars vars;
    cr_conn conns[MAX_CONNS];
    char ids[MAX_CONNS][32];
    char idbase[16];
    tracked retained; /* topics the test left a retained message on */
    tracked sessions; /* client ids that connected with clean=0 */
    int64_t test_deadline;
    fail_kind kind;
    const char *violation; /* FK_VIOLATION: the statement (may be NULL) */
    bool *close_call;      /* per step: a timed outcome fell in its tolerance band */
    size_t cur;            /* the step running */
    base_strbuf timing;    /* why a timed outcome fell in its tolerance band (the test is then inconclusive) */
    /* The failing step's packet differed only in fields its statements are bound to: bit i set when
     * the step's observes[i] is bound to a field that differed (cs_step.observe_fields). */
    bool field_only;
    uint64_t field_failed;
} interp;

static const char *const verdict_names[CR_VERDICT_COUNT] = {
    "pass", "fail", "skip", "inconclusive", "expected-fail", "unexpected-pass",
};

const char *cr_verdict_name(cr_verdict v)
{
    return (unsigned)v < CR_VERDICT_COUNT ? verdict_names[v] : "?";
}

static void track(tracked *t, const base_strbuf *value)
{
    if (value->len == 0)
        return;
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->items[i], base_sb_str(value)) == 0)
            return;
    if (t->n < MAX_TRACKED) {
        t->items[t->n] = malloc(value->len + 1);
        if (!t->items[t->n])
            abort();
        memcpy(t->items[t->n], value->data, value->len + 1);
        t->n++;
    }
}

static void untrack_all(tracked *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->items[i]);
    t->n = 0;
}

static cr_conn *conn_of(interp *in, const char *name)
{
    for (size_t i = 0; i < in->test->nconns; i++)
        if (strcmp(in->test->conns[i], name) == 0)
            return &in->conns[i];
    return NULL;
}

static const char *id_of(interp *in, const cr_conn *c)
{
    return in->ids[c - in->conns];
}

static int64_t deadline_in(interp *in, int ms)
{
    int64_t d = base_now_ms() + ms;
    return d < in->test_deadline ? d : in->test_deadline;
}

static int fail(interp *in, const cs_step *s, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(interp *in, const cs_step *s, const char *fmt, ...)
{
    va_list ap;
    in->r->fail_line = s->line;
    base_sb_printf(&in->r->message, "line %d: ", s->line);
    va_start(ap, fmt);
    base_sb_vprintf(&in->r->message, fmt, ap);
    va_end(ap);
    cr_log(&in->r->log, "FAILED at line %d", s->line);
    return -1;
}

static int script_error(interp *in, const cs_step *s, const char *fmt, const char *conn)
{
    base_strbuf msg = {0};
    base_sb_puts(&msg, "script error: ");
    base_sb_printf(&msg, fmt, conn);
    fail(in, s, "%s", base_sb_str(&msg));
    base_sb_free(&msg);
    in->kind = FK_SCRIPT;
    return -1;
}

static int open_conn(interp *in, const cs_step *s, cr_conn *c)
{
    base_strbuf err = {0};
    int rc = cr_conn_open(c, &in->opts->target, in->test->version, deadline_in(in, in->opts->timeout_ms), &err);
    if (rc < 0) {
        fail(in, s, "%s: %s", c->name, base_sb_str(&err));
        in->kind = FK_UNREACHABLE;
    }
    base_sb_free(&err);
    return rc;
}

/* The run's password never reaches a transcript: every occurrence in what is logged becomes '*'. */
static void mask_password(const cr_run_opts *opts, uint8_t *b, size_t n)
{
    size_t plen = opts->password ? strlen(opts->password) : 0;
    if (plen == 0)
        return;
    for (size_t i = 0; i + plen <= n; i++)
        if (memcmp(b + i, opts->password, plen) == 0)
            memset(b + i, '*', plen);
}

static void log_sent(interp *in, cr_conn *c, const base_strbuf *bytes, bool raw)
{
    base_strbuf line = {0}, shown = {0};
    base_sb_append(&shown, bytes->data, bytes->len);
    mask_password(in->opts, (uint8_t *)shown.data, shown.len);
    mqtt_packet pkt;
    mqtt_frame frame;
    mqtt_decode_opts dopts = {.version = in->test->version, .direction = MQTT_DIR_TO_SERVER};
    if (mqtt_decode((const uint8_t *)shown.data, shown.len, &dopts, &pkt, &frame) == MQTT_COMPLETE &&
        frame.packet_len == shown.len)
        cs_packet_describe(&pkt, in->test->version, &line);
    else
        base_sb_puts(&line, raw ? "raw bytes" : "packet (unchecked)");
    base_sb_puts(&line, " | ");
    base_sb_hex(&line, (const uint8_t *)shown.data, shown.len, 96);
    cr_log(&in->r->log, "%s -> %s", c->name, base_sb_str(&line));
    base_sb_free(&line);
    base_sb_free(&shown);
}

static int send_bytes(interp *in, const cs_step *s, cr_conn *c, const base_strbuf *bytes, bool raw)
{
    base_strbuf err = {0};
    cr_send_check chk = cr_conn_check_send(c, (const uint8_t *)bytes->data, bytes->len, &err);
    if (chk != CR_SEND_OK) {
        fail(in, s, "%s%s", chk == CR_SEND_OVER_QUOTA ? "script error: " : "", base_sb_str(&err));
        in->kind = chk == CR_SEND_OVER_QUOTA ? FK_SCRIPT : FK_LIMIT;
        base_sb_free(&err);
        return -1;
    }
    log_sent(in, c, bytes, raw);
    int rc = cr_conn_send(c, (const uint8_t *)bytes->data, bytes->len, deadline_in(in, in->opts->timeout_ms), &err);
    if (rc < 0)
        fail(in, s, "%s", base_sb_str(&err));
    base_sb_free(&err);
    return rc < 0 ? -1 : 0;
}

static int send_fields(interp *in, const cs_step *s, cr_conn *c, mqtt_packet_type type, const cs_token *args,
                       size_t nargs, bool unchecked)
{
    cs_build_ctx ctx = {in->test->version,  &in->vars,    id_of(in, c), in->opts->username,
                        in->opts->password, &c->next_pid, unchecked};
    cs_build_info info = {0};
    base_strbuf bytes = {0}, err = {0};
    int rc = cs_build(&ctx, type, args, nargs, &bytes, &info, &err);
    if (rc < 0) {
        fail(in, s, "script error: cannot build %s: %s", mqtt_packet_type_name(type), base_sb_str(&err));
        in->kind = FK_SCRIPT;
    } else
        rc = send_bytes(in, s, c, &bytes, false);
    if (type == MQTT_CONNECT)
        cr_conn_set_limits(c, info.max_packet_size, info.topic_alias_max, info.session_expiry);
    track(&in->retained, &info.retained_topic);
    track(&in->sessions, &info.session_client_id);
    cs_build_info_free(&info);
    base_sb_free(&bytes);
    base_sb_free(&err);
    return rc;
}

/* Assemble a raw packet: hex, str:TEXT (u16 length + bytes), txt:TEXT, and '*' for the Remaining
 * Length of everything after it. */
static int build_raw(interp *in, const cs_step *s, base_strbuf *out)
{
    base_strbuf head = {0}, tail = {0}, err = {0};
    base_strbuf *cur = &head;
    bool star = false;
    int rc = 0;
    for (size_t i = 0; i < s->nargs && rc == 0; i++) {
        const cs_token *t = &s->args[i];
        const char *w = cs_tok_word(t);
        if (w && strcmp(w, "*") == 0) {
            star = true;
            cur = &tail;
            continue;
        }
        if (w && strncmp(w, "cflags:", 7) == 0) {
            /* CONNECT flags as written, plus User Name / Password for the run's credentials */
            int flags = base_hex_digit_value((unsigned char)w[7]) * 16 + base_hex_digit_value((unsigned char)w[8]);
            flags |= (in->opts->username ? 0x80 : 0) | (in->opts->password ? 0x40 : 0);
            base_sb_putc(cur, (char)flags);
            continue;
        }
        if (w && strcmp(w, "creds") == 0) {
            const char *cred[2] = {in->opts->username, in->opts->password};
            for (int k = 0; k < 2; k++) {
                if (!cred[k])
                    continue;
                size_t n = strlen(cred[k]);
                if (n > 65535) {
                    rc = fail(in, s, "script error: the run's %s is %zu bytes, over the 65535 a string can hold",
                              k ? "password" : "user name", n);
                    in->kind = FK_SCRIPT;
                    break;
                }
                uint8_t len[2] = {(uint8_t)(n >> 8), (uint8_t)n};
                base_sb_append(cur, len, 2);
                base_sb_append(cur, cred[k], n);
            }
            continue;
        }
        base_strbuf v = {0};
        if (cs_expand(&in->vars, &t->value, &v, &err) < 0) {
            rc = fail(in, s, "script error: %s", base_sb_str(&err));
            in->kind = FK_SCRIPT;
        } else if (v.len >= 4 && (memcmp(v.data, "str:", 4) == 0 || memcmp(v.data, "txt:", 4) == 0)) {
            size_t n = v.len - 4;
            if (v.data[0] == 's') {
                uint8_t len[2] = {(uint8_t)(n >> 8), (uint8_t)n};
                base_sb_append(cur, len, 2);
            }
            base_sb_append(cur, v.data + 4, n);
        } else {
            for (size_t k = 0; k + 1 < v.len; k += 2) {
                int hi = base_hex_digit_value((unsigned char)v.data[k]),
                    lo = base_hex_digit_value((unsigned char)v.data[k + 1]);
                base_sb_putc(cur, (char)(hi * 16 + lo));
            }
        }
        base_sb_free(&v);
    }
    if (rc == 0) {
        base_sb_append(out, head.data, head.len);
        if (star) {
            uint32_t rl = (uint32_t)tail.len;
            do {
                uint8_t b = rl & 0x7f;
                rl >>= 7;
                base_sb_putc(out, (char)(b | (rl ? 0x80 : 0)));
            } while (rl);
            base_sb_append(out, tail.data, tail.len);
        }
    }
    base_sb_free(&head);
    base_sb_free(&tail);
    base_sb_free(&err);
    return rc;
}

/* Does this raw CONNECT name a protocol level, or a protocol name, other than the test's version? */
static bool foreign_connect(const uint8_t *b, size_t len, mqtt_version version)
{
    if (len < 2 || b[0] != 0x10)
        return false;
    unsigned level = mqtt_peek_connect_level(b, len);
    if (level != (unsigned)version)
        return true;
    size_t at = 1;
    while (at < len && at < 5 && (b[at] & 0x80))
        at++;
    at++; /* past the Remaining Length */
    if (at + 2 > len)
        return false;
    size_t n = (size_t)b[at] << 8 | b[at + 1];
    const char *own = version == MQTT_V31 ? "MQIsdp" : "MQTT";
    return at + 2 + n > len || n != strlen(own) || memcmp(b + at + 2, own, n) != 0;
}

/* ---- expectations ---- */

typedef enum eval { EV_PENDING, EV_SATISFIED, EV_FAILED, EV_ERROR } eval;

static void describe_pending(const cr_conn *c, base_strbuf *out)
{
    size_t shown = 0;
    for (size_t i = 0; i < c->nrx; i++) {
        if (c->rx[i].consumed)
            continue;
        if (shown == 8) {
            base_sb_puts(out, "; …");
            break;
        }
        base_sb_puts(out, shown++ ? "; " : " (unexpected packets waiting: ");
        cs_packet_describe(&c->rx[i].pkt, c->version, out);
    }
    if (shown)
        base_sb_putc(out, ')');
}

static void describe_outcome(const cs_outcome *o, base_strbuf *out)
{
    static const char *const kinds[] = {"", "the connection closed by the broker", "nothing", "no "};
    static const char *const modes[] = {"", "any ", "next "};
    if (o->kind == CS_OUT_CLOSED || o->kind == CS_OUT_NOTHING) {
        base_sb_puts(out, kinds[o->kind]);
        return;
    }
    base_sb_printf(out, "%s%s%s", kinds[o->kind], o->kind == CS_OUT_PACKET ? modes[o->mode] : "",
                   mqtt_packet_type_name(o->type));
    for (size_t i = 0; i < o->nargs; i++)
        base_sb_printf(out, " %s", o->args[i].text);
}

/* Judge one outcome against what has arrived so far. Packets are judged by when they arrived: for
 * a negative outcome, what arrived after window_end (and a close after it) is outside the window
 * and stays queued for later steps. On EV_SATISFIED for a packet, *taken is its index and *at when
 * it happened. */
static bool bound_field(const cs_step *s, const char *key)
{
    for (size_t i = 0; key && s->observe_fields && i < s->nobserves; i++)
        if (s->observe_fields[i] && strcmp(s->observe_fields[i], key) == 0)
            return true;
    return false;
}

/* The running step's packet outcome o did not match pkt. When pkt matches once the fields bound to
 * statements are left out, the failure is those fields': note which statements they observe. A
 * connect step's CONNACK comes here too (its outcome is rc=0 and the step's sp=). */
static void blame_fields(interp *in, const cs_outcome *o, const mqtt_packet *pkt)
{
    const cs_step *s = &in->test->steps[in->cur];
    enum { MAX_ARGS = 64 };
    if (!s->observe_fields || o->nargs > MAX_ARGS || s->nobserves > 64)
        return;
    cs_token rest[MAX_ARGS], one[MAX_ARGS];
    size_t nrest = 0;
    for (size_t i = 0; i < o->nargs; i++)
        if (!bound_field(s, o->args[i].key))
            rest[nrest++] = o->args[i];
    base_strbuf ignored = {0};
    bool rest_matches = cs_match(pkt, rest, nrest, &in->vars, false, &ignored) == CS_MATCHED;
    uint64_t failed = 0;
    for (size_t k = 0; rest_matches && k < s->nobserves; k++) {
        if (!s->observe_fields[k])
            continue;
        size_t none = 0;
        for (size_t i = 0; i < o->nargs; i++)
            if (o->args[i].key && strcmp(o->args[i].key, s->observe_fields[k]) == 0)
                one[none++] = o->args[i];
        base_sb_reset(&ignored);
        if (cs_match(pkt, one, none, &in->vars, false, &ignored) != CS_MATCHED)
            failed |= UINT64_C(1) << k;
    }
    base_sb_free(&ignored);
    in->field_only = rest_matches && failed;
    in->field_failed = failed;
}

static eval judge(interp *in, cr_conn *c, const cs_outcome *o, bool window_over, int64_t window_end, size_t *taken,
                  int64_t *at, base_strbuf *why)
{
    bool closed = c->state == CR_CONN_PEER_CLOSED && c->closed_at_ms <= window_end;
    const bool broken = c->state == CR_CONN_BROKEN && c->closed_at_ms <= window_end;
    if (broken && o->kind != CS_OUT_PACKET) {
        /* a rule broken by the broker (or a flood) ends every other outcome, negative ones included:
         * mqtk stopped reading, so "nothing arrived" would no longer be true evidence. A packet that
         * arrived before the breaking one still is, so a packet outcome looks at those first. */
        base_sb_puts(why, c->why);
        return EV_FAILED;
    }
    switch (o->kind) {
    case CS_OUT_CLOSED:
        *at = c->closed_at_ms;
        return closed ? EV_SATISFIED : EV_PENDING;
    case CS_OUT_NOTHING:
        for (size_t i = 0; i < c->nrx; i++) {
            if (!c->rx[i].consumed && c->rx[i].at_ms <= window_end) {
                base_sb_puts(why, "got ");
                cs_packet_describe(&c->rx[i].pkt, c->version, why);
                return EV_FAILED;
            }
        }
        if (closed) {
            base_sb_printf(why, "the broker closed the connection (%s)", c->why);
            return EV_FAILED;
        }
        return window_over ? EV_SATISFIED : EV_PENDING;
    case CS_OUT_NO:
        for (size_t i = 0; i < c->nrx; i++) {
            if (c->rx[i].consumed || c->rx[i].pkt.type != o->type || c->rx[i].at_ms > window_end)
                continue;
            base_strbuf ignored = {0};
            cs_match_result m = cs_match(&c->rx[i].pkt, o->args, o->nargs, &in->vars, false, &ignored);
            base_sb_free(&ignored);
            if (m == CS_MATCH_ERROR) {
                cs_match(&c->rx[i].pkt, o->args, o->nargs, &in->vars, false, why);
                return EV_ERROR;
            }
            if (m == CS_MATCHED) {
                base_sb_puts(why, "got ");
                cs_packet_describe(&c->rx[i].pkt, c->version, why);
                return EV_FAILED;
            }
        }
        return window_over || closed ? EV_SATISFIED : EV_PENDING;
    case CS_OUT_PACKET:
        break;
    }
    bool seen_type = false;
    for (size_t i = 0; i < c->nrx; i++) {
        const cr_rx_packet *rx = &c->rx[i];
        if (rx->consumed)
            continue;
        if (o->mode == CS_MATCH_NEXT && rx->pkt.type != o->type) {
            base_sb_printf(why, "expected %s next, got ", mqtt_packet_type_name(o->type));
            cs_packet_describe(&rx->pkt, c->version, why);
            return EV_FAILED;
        }
        if (rx->pkt.type != o->type)
            continue;
        seen_type = true;
        base_strbuf mismatch = {0};
        cs_match_result m = cs_match(&rx->pkt, o->args, o->nargs, &in->vars, false, &mismatch);
        if (m == CS_MATCHED) {
            base_sb_free(&mismatch);
            *taken = i;
            *at = rx->at_ms;
            return EV_SATISFIED;
        }
        if (m == CS_MATCH_ERROR || o->mode != CS_MATCH_ANY) {
            if (m == CS_MISMATCH)
                blame_fields(in, o, &rx->pkt);
            base_sb_printf(why, "got ");
            cs_packet_describe(&rx->pkt, c->version, why);
            base_sb_printf(why, " (%s)", base_sb_str(&mismatch));
            base_sb_free(&mismatch);
            return m == CS_MATCH_ERROR ? EV_ERROR : EV_FAILED;
        }
        /* "any": should none match, one that differs only in bound fields still tells what failed */
        if (m == CS_MISMATCH && !in->field_only)
            blame_fields(in, o, &rx->pkt);
        base_sb_free(&mismatch);
    }
    if (broken) {
        base_sb_puts(why, c->why);
        return EV_FAILED;
    }
    if (c->state == CR_CONN_PEER_CLOSED) {
        base_sb_printf(why, "%s%s", c->why, seen_type ? " (no packet of that type matched)" : "");
        return EV_FAILED;
    }
    return EV_PENDING;
}

/* A timed outcome inside its tolerance band: note it; the test ends inconclusive unless it fails. */
static void timing_noise(interp *in, const cs_step *s, const char *what, int64_t at, int within, int grace)
{
    in->close_call[in->cur] = true;
    base_sb_printf(&in->timing, "%sline %d: %s after %lld ms, inside the %d ms tolerance %s the %d ms limit",
                   in->timing.len ? "; " : "", s->line, what, (long long)at, grace, at >= within ? "beyond" : "before",
                   within);
    cr_log(&in->r->log, "TIMING at line %d: %s after %lld ms (limit %d ms, tolerance %d ms)", s->line, what,
           (long long)at, within, grace);
}

/* The step failed because the broker broke a rule on c: that, not the step, is the finding. */
static void note_violation(interp *in, const cr_conn *c)
{
    if (c->state == CR_CONN_BROKEN && c->violated) {
        in->kind = FK_VIOLATION;
        in->violation = c->violation;
    }
}

/* A step waiting only for the broker's close got a SUBACK or UNSUBACK with no code: the answer to a
 * SUBSCRIBE or UNSUBSCRIBE without filters, which the broker should have closed on instead. */
static bool answered_instead_of_closing(const cr_conn *c, const cs_outcome *outs, size_t nouts)
{
    for (size_t i = 0; i < nouts; i++)
        if (outs[i].kind != CS_OUT_CLOSED)
            return false;
    return c->state == CR_CONN_BROKEN && c->violated && c->violation_err == MQTT_ERR_NO_REASON_CODES &&
           (c->violation_type == MQTT_SUBACK || c->violation_type == MQTT_UNSUBACK);
}

/* Wait for one of the outcomes until the window closes; judge each by when it happened.
 * Timed outcomes (grace > 0): a positive outcome must happen within `within`; in the `grace` band
 * after it, it is too close to call. A negative one must not happen within `within`; in the band just
 * before its end, it is too close to call (the test stops, inconclusive). A positive outcome with
 * the run's default deadline that has not happened by then is awaited late_ms longer, so that a slow
 * broker is reported late rather than failed. */
static int expect_step(interp *in, const cs_step *s, cr_conn *c, const cs_outcome *outs, size_t nouts, int within)
{
    if (c->state == CR_CONN_IDLE) {
        fail(in, s, "script error: expect on %s, which is not open (open or connect it first)", c->name);
        in->kind = FK_SCRIPT;
        return -1;
    }
    bool negative_only = true;
    for (size_t i = 0; i < nouts; i++)
        if (outs[i].kind == CS_OUT_PACKET || outs[i].kind == CS_OUT_CLOSED)
            negative_only = false;
    int window = within >= 0 ? within : negative_only ? in->opts->settle_ms : in->opts->timeout_ms;
    int grace = negative_only && s->grace_ms > window ? window : s->grace_ms;
    int64_t start = base_now_ms();
    int64_t window_end = negative_only ? start + window : INT64_MAX;
    int64_t deadline = deadline_in(in, negative_only ? window : window + grace);
    bool may_be_late = within < 0 && !negative_only && in->opts->late_ms > 0, extended = false;
    base_strbuf why = {0};
    int rc = -1;
    in->field_only = false;
    for (;;) {
        bool over = base_now_ms() >= deadline;
        size_t failed = 0;
        base_sb_reset(&why);
        for (size_t i = 0; i < nouts; i++) {
            size_t taken = 0;
            int64_t at_abs = 0;
            base_strbuf one = {0};
            eval e = judge(in, c, &outs[i], over, window_end, &taken, &at_abs, &one);
            if (e == EV_SATISFIED) {
                int64_t at = (at_abs ? at_abs : base_now_ms()) - start;
                if (at < 0)
                    at = 0; /* it was already queued when the step began */
                base_strbuf what = {0};
                describe_outcome(&outs[i], &what);
                if (grace && !negative_only && at > window)
                    timing_noise(in, s, base_sb_str(&what), at, window, grace);
                if (extended && at > window) {
                    base_sb_printf(&in->r->notes, "%sline %d: %s arrived late, after %lld ms (deadline %d ms)",
                                   in->r->notes.len ? "; " : "", s->line, base_sb_str(&what), (long long)at, window);
                    cr_log(&in->r->log, "LATE at line %d: after %lld ms, past the %d ms deadline", s->line,
                           (long long)at, window);
                }
                base_sb_free(&what);
                if (outs[i].kind == CS_OUT_PACKET) {
                    c->rx[taken].consumed = true;
                    base_strbuf ignored = {0};
                    cs_match(&c->rx[taken].pkt, outs[i].args, outs[i].nargs, &in->vars, true, &ignored);
                    base_sb_free(&ignored);
                }
                base_sb_free(&one);
                base_sb_free(&why);
                return 0;
            }
            if (e == EV_ERROR) {
                rc = fail(in, s, "script error: %s", base_sb_str(&one));
                in->kind = FK_SCRIPT;
                base_sb_free(&one);
                base_sb_free(&why);
                return rc;
            }
            if (e == EV_FAILED)
                failed++;
            base_sb_puts(&why, i ? "; or " : "");
            base_strbuf what = {0};
            describe_outcome(&outs[i], &what);
            base_sb_printf(&why, "expected %s: %s", base_sb_str(&what),
                           e == EV_FAILED ? base_sb_str(&one) : "never came");
            base_sb_free(&what);
            base_sb_free(&one);
        }
        if (failed == nouts && grace && negative_only && base_now_ms() - start >= window - grace &&
            !(c->state == CR_CONN_BROKEN && c->violated)) {
            timing_noise(in, s, base_sb_str(&why), base_now_ms() - start, window, grace);
            in->kind = FK_TIMING;
            in->r->fail_line = s->line;
            base_sb_printf(&in->r->message, "timing too close to call: %s", base_sb_str(&in->timing));
            base_sb_free(&why);
            return -1;
        }
        if (failed == nouts)
            break;
        if (over) {
            if (!may_be_late || c->state != CR_CONN_OPEN)
                break;
            may_be_late = false; /* one extension only */
            extended = true;
            /* late_ms more than the window, counted from the step's start like the window */
            deadline = start + window + in->opts->late_ms < in->test_deadline ? start + window + in->opts->late_ms
                                                                                : in->test_deadline;
            cr_log(&in->r->log, "%s: nothing matched within %d ms; waiting up to %d ms more to tell late from never",
                   c->name, window, in->opts->late_ms);
            continue;
        }
        if (c->state != CR_CONN_OPEN)
            deadline = base_now_ms(); /* nothing more can arrive: judge the window as over */
        else
            cr_conn_wait(c, deadline);
    }
    base_strbuf pending = {0};
    describe_pending(c, &pending);
    if (answered_instead_of_closing(c, outs, nouts)) {
        /* the broker should have sent nothing: the finding is the step's own statements (it did not
         * close), not the per-filter code rule, which a request without filters meets vacuously */
        base_sb_reset(&why);
        base_sb_printf(&why, "expected the connection closed by the broker: got %s without any code instead",
                       mqtt_packet_type_name((mqtt_packet_type)c->violation_type));
        c->violated = false;
        c->violation = NULL;
    }
    rc = fail(in, s, "%s: %s after %lld ms%s", c->name, base_sb_str(&why), (long long)(base_now_ms() - start),
              base_sb_str(&pending));
    note_violation(in, c);
    base_sb_free(&pending);
    base_sb_free(&why);
    return rc;
}

/* The tokens "rc=0" for the CONNACK a connect step waits for. */
static const cs_seg zero_seg = {"0", 1, false};
static const cs_token rc_zero = {"rc", CS_OP_EQ, {&zero_seg, 1, false}, "rc=0", 0};

static int connect_step(interp *in, const cs_step *s, cr_conn *c)
{
    cs_token send_args[64], expect_args[64];
    size_t ns = 0, ne = 0;
    expect_args[ne++] = rc_zero;
    for (size_t i = 0; i < s->nargs && ns < 64 && ne < 64; i++) {
        if (strcmp(s->args[i].key, "sp") == 0 || s->args[i].op == CS_OP_CAPTURE)
            expect_args[ne++] = s->args[i];
        else
            send_args[ns++] = s->args[i];
    }
    if (c->state != CR_CONN_IDLE)
        cr_conn_close(c);
    if (open_conn(in, s, c) < 0)
        return -1;
    if (send_fields(in, s, c, MQTT_CONNECT, send_args, ns, false) < 0)
        return -1;
    cs_outcome o = {CS_OUT_PACKET, CS_MATCH_FIRST, MQTT_CONNACK, expect_args, ne};
    if (expect_step(in, s, c, &o, 1, -1) < 0)
        return -1;
    base_strbuf why = {0};
    if (cr_conn_session_cut(c, &why)) {
        fail(in, s, "%s", base_sb_str(&why));
        in->kind = FK_LIMIT;
    }
    base_sb_free(&why);
    return in->kind == FK_LIMIT ? -1 : 0;
}

static int run_step(interp *in, const cs_step *s)
{
    cr_conn *c = conn_of(in, s->conn);
    switch (s->kind) {
    case CS_STEP_OPEN:
        return open_conn(in, s, c);
    case CS_STEP_CONNECT:
        return connect_step(in, s, c);
    case CS_STEP_SEND:
    case CS_STEP_RAW:
        if (c->state == CR_CONN_IDLE)
            return script_error(in, s, "send on %s, which is not open (open or connect it first)", c->name);
        if (s->kind == CS_STEP_SEND)
            return send_fields(in, s, c, s->type, s->args, s->nargs, s->unchecked);
        {
            base_strbuf bytes = {0};
            int rc = build_raw(in, s, &bytes);
            /* a CONNECT naming another protocol level or name may be refused in another version's
             * CONNACK format (5.0 3.1.2.1 lets the server answer by another specification) */
            if (rc == 0 && foreign_connect((const uint8_t *)bytes.data, bytes.len, in->test->version))
                c->any_connack_format = true;
            if (rc == 0)
                rc = send_bytes(in, s, c, &bytes, true);
            base_sb_free(&bytes);
            return rc;
        }
    case CS_STEP_EXPECT:
        return expect_step(in, s, c, s->outcomes, s->noutcomes, s->within_ms);
    case CS_STEP_DISCONNECT:
        if (c->state == CR_CONN_IDLE)
            return script_error(in, s, "disconnect on %s, which is not open", c->name);
        if (send_fields(in, s, c, MQTT_DISCONNECT, s->args, s->nargs, false) < 0)
            return -1;
        cr_conn_half_close(c, deadline_in(in, in->opts->timeout_ms));
        cr_log(&in->r->log, "%s: disconnected", c->name);
        return 0;
    case CS_STEP_CLOSE:
        cr_conn_close(c);
        cr_log(&in->r->log, "%s: connection dropped by the test", c->name);
        return 0;
    case CS_STEP_WS: {
        if (!net_scheme_ws(in->opts->target.address.scheme))
            return script_error(in, s, "'ws' on %s, but this run is not over WebSocket", c->name);
        base_strbuf err = {0};
        int rc = cr_conn_ws(c, s->ws, s->ws_size, deadline_in(in, in->opts->timeout_ms), &err);
        if (rc < 0)
            fail(in, s, "%s: %s", c->name, base_sb_str(&err));
        base_sb_free(&err);
        return rc;
    }
    case CS_STEP_SYNC: {
        if (c->state == CR_CONN_IDLE)
            return script_error(in, s, "sync on %s, which is not open", c->name);
        if (send_fields(in, s, c, MQTT_PINGREQ, NULL, 0, false) < 0)
            return -1;
        cs_outcome o = {CS_OUT_PACKET, CS_MATCH_FIRST, MQTT_PINGRESP, NULL, 0};
        return expect_step(in, s, c, &o, 1, -1);
    }
    }
    return script_error(in, s, "unknown step on %s", s->conn);
}

/* ---- cleanup ---- */

static int cleanup_connect(interp *in, cr_conn *c, const char *client_id)
{
    base_strbuf err = {0}, bytes = {0};
    cs_build_info info = {0};
    int64_t deadline = base_now_ms() + in->opts->timeout_ms;
    cs_seg seg = {client_id, strlen(client_id), false};
    cs_token id = {"id", CS_OP_EQ, {&seg, 1, false}, "id", 0};
    int rc = cr_conn_open(c, &in->opts->target, MQTT_V311, deadline, &err);
    cs_build_ctx ctx = {MQTT_V311, &in->vars, client_id, in->opts->username, in->opts->password, &c->next_pid, false};
    if (rc == 0)
        rc = cs_build(&ctx, MQTT_CONNECT, &id, 1, &bytes, &info, &err);
    if (rc == 0)
        rc = cr_conn_send(c, (const uint8_t *)bytes.data, bytes.len, deadline, &err) ? -1 : 0;
    while (rc == 0 && c->nrx == 0 && c->state == CR_CONN_OPEN && base_now_ms() < deadline)
        cr_conn_wait(c, deadline);
    if (rc == 0 && (c->nrx == 0 || c->rx[0].pkt.type != MQTT_CONNACK || c->rx[0].pkt.u.connack.reason_code != 0))
        rc = -1;
    if (rc < 0)
        cr_log(&in->r->log, "cleanup: could not connect as %s %s", client_id, base_sb_str(&err));
    cs_build_info_free(&info);
    base_sb_free(&bytes);
    base_sb_free(&err);
    return rc;
}

static void cleanup_send(interp *in, cr_conn *c, mqtt_packet *p)
{
    uint8_t buf[1024];
    size_t n = 0;
    mqtt_encode_opts o = {MQTT_V311, MQTT_DIR_TO_SERVER, 0};
    base_strbuf err = {0};
    if (mqtt_encode(p, &o, buf, sizeof buf, &n, NULL) == MQTT_OK)
        cr_conn_send(c, buf, n, base_now_ms() + in->opts->timeout_ms, &err);
    base_sb_free(&err);
}

/* Connect with clean session 3.1.1 (which every broker under test speaks), clear the retained
 * topics, and end every persistent session the test opened. */
static void cleanup(interp *in)
{
    if (in->retained.n == 0 && in->sessions.n == 0)
        return;
    cr_conn c;
    cr_conn_init(&c, "cleanup", &in->r->log);
    char id[32];
    snprintf(id, sizeof id, "%szz", in->idbase);
    if (in->retained.n && cleanup_connect(in, &c, id) == 0) {
        for (size_t i = 0; i < in->retained.n; i++) {
            mqtt_packet p = {.type = MQTT_PUBLISH};
            p.u.publish.retain = true;
            p.u.publish.qos = 1;
            p.u.publish.packet_id = (uint16_t)(i + 1);
            p.u.publish.topic = mqtt_cstr(in->retained.items[i]);
            cleanup_send(in, &c, &p);
        }
        int64_t deadline = base_now_ms() + in->opts->timeout_ms;
        while (c.state == CR_CONN_OPEN && c.nrx < in->retained.n + 1 && base_now_ms() < deadline)
            cr_conn_wait(&c, deadline);
        mqtt_packet d = {.type = MQTT_DISCONNECT};
        cleanup_send(in, &c, &d);
        cr_conn_half_close(&c, base_now_ms() + in->opts->settle_ms);
        cr_log(&in->r->log, "cleanup: cleared %zu retained topic(s)", in->retained.n);
    }
    for (size_t i = 0; i < in->sessions.n; i++) {
        if (cleanup_connect(in, &c, in->sessions.items[i]) == 0) {
            mqtt_packet d = {.type = MQTT_DISCONNECT};
            cleanup_send(in, &c, &d);
            cr_conn_half_close(&c, base_now_ms() + in->opts->settle_ms);
        }
    }
    if (in->sessions.n)
        cr_log(&in->r->log, "cleanup: ended %zu persistent session(s)", in->sessions.n);
    cr_conn_free(&c);
}

/* ---- verdicts ---- */

static const char *const obs_names[] = {"not reached", "pass", "fail", "expected-fail", "inconclusive", "skip"};

const char *cr_obs_name(cr_obs o)
{
    return (unsigned)o < sizeof obs_names / sizeof obs_names[0] ? obs_names[o] : "?";
}

bool cr_result_breaks(const cs_test *t, const cr_result *r, const char *id)
{
    for (size_t i = 0; r->obs && i < t->nstatements; i++)
        if ((r->obs[i] == CR_OBS_FAIL || r->obs[i] == CR_OBS_XFAIL) && strcmp(t->statements[i], id) == 0)
            return true;
    for (size_t i = 0; i < r->nviolations; i++)
        if (strcmp(r->violations[i], id) == 0)
            return true;
    return false;
}

static bool observes(const cs_step *s, const char *id)
{
    for (size_t i = 0; i < s->nobserves; i++)
        if (strcmp(s->observes[i], id) == 0)
            return true;
    return false;
}

/* Reason codes by which a broker says it does not offer a feature (5.0): Retain not supported, QoS
 * not supported, Shared Subscriptions not supported, Subscription Identifiers not supported,
 * Wildcard Subscriptions not supported. */
static bool not_supported_code(uint8_t rc)
{
    return rc == 0x9a || rc == 0x9b || rc == 0x9e || rc == 0xa1 || rc == 0xa2;
}

/* The highest code a SUBACK outcome's codes= accepts at position k, or -1 (not given). */
static int wanted_code(const cs_outcome *o, size_t k)
{
    for (size_t i = 0; i < o->nargs; i++) {
        const cs_token *t = &o->args[i];
        if (strcmp(t->key, "codes") != 0 || t->op != CS_OP_EQ || t->value.nsegs != 1 || t->value.segs[0].is_var)
            continue;
        const char *p = t->value.segs[0].text;
        for (size_t at = 0; at < k && p; at++) {
            p = strchr(p, ',');
            p = p ? p + 1 : NULL;
        }
        int best = -1;
        while (p && *p && *p != ',') {
            int v = (int)strtol(p, (char **)&p, 16);
            best = v > best ? v : best;
            if (*p == '|')
                p++;
            else
                break;
        }
        return best;
    }
    return -1;
}

/* Is this field list's topic= written as a literal starting with '$' (a topic reserved for the server,
 * [MQTT-4.7.2-1])? */
static bool dollar_topic(const cs_token *args, size_t nargs)
{
    for (size_t i = 0; i < nargs; i++) {
        const cs_token *t = &args[i];
        if (t->key && strcmp(t->key, "topic") == 0 && t->value.nsegs > 0 && !t->value.segs[0].is_var &&
            t->value.segs[0].len > 0 && t->value.segs[0].text[0] == '$')
            return true;
    }
    return false;
}

/* Did the test publish to a '$' topic before step `upto`, on connection conn (NULL: any)? */
static bool published_dollar_topic(const cs_test *t, const char *conn, size_t upto)
{
    for (size_t i = 0; i < upto && i < t->nsteps; i++) {
        const cs_step *s = &t->steps[i];
        if (s->kind == CS_STEP_SEND && s->type == MQTT_PUBLISH && (!conn || strcmp(s->conn, conn) == 0) &&
            dollar_topic(s->args, s->nargs))
            return true;
    }
    return false;
}

/* A setup step failed because the broker does not take client publications to '$' topics (they are
 * reserved for its own use, 4.7.2): a 5.0 PUBACK or PUBREC of 0x80 or more to such a PUBLISH, or no
 * delivery to the exact subscriber of one (3.1.1 lets a server acknowledge and drop a publication
 * it refuses, [MQTT-3.3.5-2]). */
static bool dollar_refused(interp *in, const cs_step *s, const cr_conn *c, base_strbuf *why)
{
    size_t at = (size_t)(s - in->test->steps);
    for (size_t i = 0; in->test->version == MQTT_V5 && i < c->nrx; i++) {
        const mqtt_packet *p = &c->rx[i].pkt;
        if (!c->rx[i].consumed && (p->type == MQTT_PUBACK || p->type == MQTT_PUBREC) &&
            p->u.ack.reason_code >= 0x80 && published_dollar_topic(in->test, s->conn, at)) {
            base_sb_printf(why,
                           "%s 0x%02x (%s) to a PUBLISH on a '$' topic: the broker refuses client publications "
                           "to '$' topics",
                           mqtt_packet_type_name(p->type), p->u.ack.reason_code,
                           mqtt_reason_name(MQTT_V5, p->type, p->u.ack.reason_code));
            return true;
        }
    }
    if (s->kind == CS_STEP_EXPECT && s->noutcomes == 1 && s->outcomes[0].kind == CS_OUT_PACKET &&
        s->outcomes[0].type == MQTT_PUBLISH && dollar_topic(s->outcomes[0].args, s->outcomes[0].nargs) &&
        c->state == CR_CONN_OPEN && published_dollar_topic(in->test, NULL, at)) {
        base_sb_puts(why, "no delivery of a client publication on a '$' topic to its exact subscriber: the broker "
                          "does not take client publications to '$' topics");
        return true;
    }
    return false;
}

/* A setup step failed: did the broker say it does not offer what the test needs? A lower QoS or a
 * refusal in a SUBACK the step waited for, or a "not supported" reason code in a CONNACK,
 * SUBACK or DISCONNECT, or a refusal of '$' topics. Then the test does not apply (skip), rather
 * than being inconclusive. */
static bool not_offered(interp *in, const cs_step *s, base_strbuf *why)
{
    cr_conn *c = conn_of(in, s->conn);
    if (c && dollar_refused(in, s, c, why))
        return true;
    for (size_t i = 0; c && i < c->nrx; i++) {
        const cr_rx_packet *rx = &c->rx[i];
        if (rx->consumed)
            continue;
        const mqtt_packet *p = &rx->pkt;
        if (p->type == MQTT_CONNACK && in->test->version == MQTT_V5 && not_supported_code(p->u.connack.reason_code)) {
            base_sb_printf(why, "CONNACK 0x%02x (%s)", p->u.connack.reason_code,
                           mqtt_reason_name(MQTT_V5, MQTT_CONNACK, p->u.connack.reason_code));
            return true;
        }
        if (p->type == MQTT_DISCONNECT && not_supported_code(p->u.reason.reason_code)) {
            base_sb_printf(why, "DISCONNECT 0x%02x (%s)", p->u.reason.reason_code,
                           mqtt_reason_name(MQTT_V5, MQTT_DISCONNECT, p->u.reason.reason_code));
            return true;
        }
        if (p->type != MQTT_SUBACK)
            continue;
        const cs_outcome *want = NULL;
        for (size_t k = 0; s->kind == CS_STEP_EXPECT && k < s->noutcomes; k++)
            if (s->outcomes[k].kind == CS_OUT_PACKET && s->outcomes[k].type == MQTT_SUBACK)
                want = &s->outcomes[k];
        for (size_t k = 0; k < p->u.suback.reason_codes.len; k++) {
            uint8_t code = p->u.suback.reason_codes.data[k];
            int w = want ? wanted_code(want, k) : -1;
            bool lower = w >= 0 && w < 0x80 && code < w;
            bool refused = code >= 0x80 && (w < 0 || w < 0x80);
            if (lower || refused || not_supported_code(code)) {
                base_sb_printf(why, "SUBACK granted 0x%02x for filter %zu", code, k + 1);
                if (w >= 0)
                    base_sb_printf(why, " where the test needs 0x%02x", w);
                return true;
            }
        }
    }
    return false;
}

typedef enum blame { BLAME_FAILED, BLAME_HELD, BLAME_UNSEEN } blame;

/* What the failed step fs says of statement id. Unbound: it failed, unless the packet came and
 * differed only in bound fields (blame_fields), when it held. Bound to a field: it failed when that
 * field differed, held when it did not, and was not observed when no otherwise-matching packet came.
 * A statement listed more than once ("MQTT-4.3.2-2 dup:MQTT-4.3.2-2": the packet must come, with
 * that DUP) fails when any of its entries does, and was not observed only when none was. */
static blame step_blame(const interp *in, const cs_step *fs, const char *id)
{
    bool held = false, unseen = false;
    for (size_t i = 0; i < fs->nobserves; i++) {
        if (strcmp(fs->observes[i], id) != 0)
            continue;
        blame b;
        if (!fs->observe_fields || !fs->observe_fields[i])
            b = in->field_only ? BLAME_HELD : BLAME_FAILED;
        else if (!in->field_only)
            b = BLAME_UNSEEN;
        else
            b = (in->field_failed >> i & 1u) ? BLAME_FAILED : BLAME_HELD;
        if (b == BLAME_FAILED)
            return b;
        held |= b == BLAME_HELD;
        unseen |= b == BLAME_UNSEEN;
    }
    return held ? BLAME_HELD : unseen ? BLAME_UNSEEN : BLAME_FAILED;
}

static bool observed_after(const cs_test *t, size_t failed, const char *id)
{
    for (size_t i = failed + 1; i < t->nsteps; i++)
        if (observes(&t->steps[i], id))
            return true;
    return false;
}

static void add_violation(cr_result *r, const char *id)
{
    for (size_t i = 0; i < r->nviolations; i++)
        if (strcmp(r->violations[i], id) == 0)
            return;
    if (r->nviolations < CR_MAX_VIOLATIONS)
        r->violations[r->nviolations++] = id;
}

/* Turn where the test stopped (failed: the step's index, or nsteps) into a verdict per statement
 * and for the test. A statement fails only when a step observing it fails, or when the broker sent a
 * packet breaking it; a statement whose observing steps did not all run is not reached. */
static void decide(interp *in, size_t failed)
{
    const cs_test *t = in->test;
    cr_result *r = in->r;
    bool any_fail = false, any_close = false;
    /* a rule broken on any connection counts, even one no step was waiting on */
    for (size_t i = 0; i < t->nconns; i++) {
        if (in->conns[i].state == CR_CONN_BROKEN && in->conns[i].violated) {
            if (in->conns[i].violation)
                add_violation(r, in->conns[i].violation);
            else
                any_fail = true; /* a malformed packet the standard gives no ID: still a failure */
        }
    }
    if (in->kind == FK_VIOLATION && !in->violation)
        any_fail = true;
    const cs_step *fs = failed < t->nsteps ? &t->steps[failed] : NULL;
    for (size_t k = 0; k < t->nstatements; k++) {
        const char *id = t->statements[k];
        bool reached = true, close = false, broke = false;
        for (size_t i = 0; i < r->nviolations; i++)
            broke = broke || strcmp(r->violations[i], id) == 0;
        for (size_t i = 0; i < t->nsteps; i++) {
            if (!observes(&t->steps[i], id))
                continue;
            if (i >= failed)
                reached = false;
            if (i < failed && in->close_call[i])
                close = true;
        }
        cr_obs o = CR_OBS_PASS;
        if (broke)
            o = CR_OBS_FAIL;
        else if (fs && observes(fs, id) && in->kind == FK_STEP) {
            blame b = step_blame(in, fs, id);
            if (b == BLAME_FAILED)
                o = CR_OBS_FAIL;
            else if (b == BLAME_UNSEEN || observed_after(t, failed, id))
                o = CR_OBS_NOT_REACHED;
            else /* it held here: the step failed on another statement's field */
                o = close ? CR_OBS_INCONCLUSIVE : CR_OBS_PASS;
        }
        else if (fs && observes(fs, id) && in->kind == FK_TIMING)
            o = CR_OBS_INCONCLUSIVE;
        else if (!reached)
            o = CR_OBS_NOT_REACHED;
        else if (close)
            o = CR_OBS_INCONCLUSIVE;
        r->obs[k] = o;
        any_fail = any_fail || o == CR_OBS_FAIL;
        any_close = any_close || o == CR_OBS_INCONCLUSIVE;
    }
    /* violations the test cites are already among its statements */
    size_t kept = 0;
    for (size_t i = 0; i < r->nviolations; i++) {
        bool cited = false;
        for (size_t k = 0; k < t->nstatements; k++)
            cited = cited || strcmp(t->statements[k], r->violations[i]) == 0;
        if (!cited)
            r->violations[kept++] = r->violations[i];
    }
    r->nviolations = kept;
    any_fail = any_fail || kept > 0;
    if (any_fail) {
        r->verdict = CR_FAIL;
        return;
    }
    if (in->kind == FK_SCRIPT) {
        r->script_error = true;
        r->verdict = CR_INCONCLUSIVE;
        return;
    }
    base_strbuf why = {0};
    if (fs && in->kind == FK_LIMIT)
        base_sb_puts(&why, base_sb_str(&r->message)); /* already "line N: ..." */
    if (fs && ((in->kind == FK_STEP && not_offered(in, fs, &why)) || in->kind == FK_LIMIT)) {
        r->verdict = CR_SKIP;
        base_strbuf msg = {0};
        if (in->kind == FK_LIMIT)
            base_sb_printf(&msg, "not offered: %s", base_sb_str(&why));
        else
            base_sb_printf(&msg, "not offered: %s at line %d", base_sb_str(&why), fs->line);
        base_sb_reset(&r->message);
        base_sb_puts(&r->message, base_sb_str(&msg));
        for (size_t k = 0; k < t->nstatements; k++)
            r->obs[k] = r->obs[k] == CR_OBS_PASS ? CR_OBS_PASS : CR_OBS_SKIP;
        base_sb_free(&msg);
        base_sb_free(&why);
        return;
    }
    base_sb_free(&why);
    if (fs && (in->kind == FK_STEP || in->kind == FK_UNREACHABLE)) {
        /* a setup step: nothing it saw is evidence about the statements it does not observe */
        base_strbuf msg = {0};
        base_sb_printf(&msg, "setup step failed, statements not reached: %s", base_sb_str(&r->message));
        base_sb_reset(&r->message);
        base_sb_puts(&r->message, base_sb_str(&msg));
        base_sb_free(&msg);
        r->verdict = CR_INCONCLUSIVE;
        return;
    }
    if (fs || any_close) {
        if (!r->message.len && in->timing.len)
            base_sb_printf(&r->message, "timing too close to call: %s", base_sb_str(&in->timing));
        r->verdict = CR_INCONCLUSIVE;
        return;
    }
    r->verdict = CR_PASS;
}

static void setup_vars(interp *in, unsigned index)
{
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    char idx[4] = {digits[(index / 1296) % 36], digits[(index / 36) % 36], digits[index % 36], 0};
    snprintf(in->idbase, sizeof in->idbase, "%s%s", in->opts->prefix, idx);
    char topic[64];
    snprintf(topic, sizeof topic, "mqtk/%s/%s", in->opts->prefix, idx);
    cs_vars_set(&in->vars, "prefix", in->opts->prefix, strlen(in->opts->prefix));
    cs_vars_set(&in->vars, "topic", topic, strlen(topic));
    for (size_t i = 0; i < in->opts->nvars; i++)
        cs_vars_set(&in->vars, in->opts->vars[i].name, in->opts->vars[i].value, strlen(in->opts->vars[i].value));
    for (size_t i = 0; i < in->test->nconns; i++) {
        char name[48];
        snprintf(in->ids[i], sizeof in->ids[i], "%s%s", in->idbase, in->test->conns[i]);
        snprintf(name, sizeof name, "%s.id", in->test->conns[i]);
        cs_vars_set(&in->vars, name, in->ids[i], strlen(in->ids[i]));
        cr_conn_init(&in->conns[i], in->test->conns[i], &in->r->log);
    }
}

void cr_run_test(const cs_test *test, unsigned index, const cr_run_opts *opts, cr_result *r)
{
    interp *in = calloc(1, sizeof *in);
    if (!in)
        abort();
    in->test = test;
    in->opts = opts;
    in->r = r;
    int64_t start = base_now_ms();
    r->log.t0 = start;
    int budget = test->timeout_ms ? test->timeout_ms : 30000;
    in->test_deadline = start + budget;
    setup_vars(in, index);
    cr_log(&r->log, "test %s (%s:%d), client ids %s<name>, topics under %s", test->id, test->file, test->line,
           in->idbase, base_sb_str(cs_vars_get(&in->vars, "topic")));
    in->close_call = calloc(test->nsteps + 1, sizeof *in->close_call);
    r->obs = calloc(test->nstatements + 1, sizeof *r->obs);
    if (!in->close_call || !r->obs)
        abort();
    size_t failed = test->nsteps;
    for (in->cur = 0; in->cur < test->nsteps; in->cur++) {
        in->kind = FK_STEP;
        if (run_step(in, &test->steps[in->cur]) < 0) {
            failed = in->cur;
            break;
        }
    }
    if (failed == test->nsteps)
        in->kind = FK_NONE;
    decide(in, failed);
    free(in->close_call);
    base_sb_free(&in->timing);
    for (size_t i = 0; i < test->nconns; i++)
        cr_conn_free(&in->conns[i]);
    cleanup(in);
    untrack_all(&in->retained);
    untrack_all(&in->sessions);
    cs_vars_free(&in->vars);
    free(in);
    r->duration_ms = base_now_ms() - start;
}

void cr_result_free(cr_result *r)
{
    free(r->obs);
    r->obs = NULL;
    base_sb_free(&r->notes);
    base_sb_free(&r->rerun_note);
    base_sb_free(&r->health);
    base_sb_free(&r->message);
    base_sb_free(&r->log.text);
}
