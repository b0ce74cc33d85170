#include "script.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "propfields.h"

/* The first group a profile lists; the 5.0 ones the broker's CONNACK announces (a 5.0 run discovers
 * them); then what a profile may add that CONNACK cannot say; mqtt31: the broker accepts a 3.1
 * CONNECT (a run with 3.1 tests checks it). The *-unavailable ones assert an absence, for tests of
 * what a broker lacking the feature must do: wildcards-unavailable comes from a profile (3.1.1 has
 * no way to announce it) or from a 5.0 CONNACK. websocket: the run's transport is WebSocket (set by
 * the runner, never by a profile). */
const char cs_known_capabilities[] = "qos1 qos2 retain wildcards sys empty-client-id "
                                     "subscription-ids shared-subs topic-alias client-keep-alive "
                                     "max-qos-below-2 retain-unavailable wildcards-unavailable "
                                     "refused-client-id forbidden-topic auth-method mqtt31 " CS_CAP_WEBSOCKET;

enum { MAX_STEPS = 256, MAX_LIST = 64, MAX_OUTCOMES = 8 };

typedef struct parser {
    base_arena *arena;
    const char *file;
    mqtt_version version;
    const char *area;
    cs_suite *suite;
    base_strbuf *errs;
    int errors;
    int line;
    /* the test being read */
    cs_test *test;
    cs_step steps[MAX_STEPS];
    size_t nsteps;
    const char *statements[MAX_LIST];
    size_t nstatements;
    const char *needs[MAX_LIST];
    size_t nneeds;
    const char *conns[MAX_LIST];
    size_t nconns;
} parser;

static void error_at(parser *ps, int col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void error_at(parser *ps, int col, const char *fmt, ...)
{
    va_list ap;
    base_sb_printf(ps->errs, "%s:%d:%d: ", ps->file, ps->line, col);
    va_start(ap, fmt);
    base_sb_vprintf(ps->errs, fmt, ap);
    va_end(ap);
    base_sb_putc(ps->errs, '\n');
    ps->errors++;
}

static bool word_is(const cs_token *t, const char *w)
{
    const char *s = cs_tok_word(t);
    return s && strcmp(s, w) == 0;
}

static bool valid_name(const char *s, size_t max, bool lower_only)
{
    size_t n = strlen(s);
    if (n == 0 || n > max)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool ok = lower_only ? (islower(c) || isdigit(c)) : (isalnum(c) || c == '-' || c == '_' || c == '.');
        if (!ok)
            return false;
    }
    return true;
}

static bool valid_statement_id(const char *s)
{
    if (strncmp(s, "MQTT-", 5) != 0)
        return false;
    const char *p = s + 5;
    const char *dash = strrchr(p, '-');
    if (!dash || dash == p || !dash[1])
        return false;
    for (const char *q = p; q < dash; q++)
        if (!isdigit((unsigned char)*q) && !(*q == '.' && q > p && q[1] != '-' && q[1] != '.'))
            return false;
    for (const char *q = dash + 1; *q; q++)
        if (!isdigit((unsigned char)*q))
            return false;
    return true;
}

static bool known_capability(const char *cap)
{
    size_t n = strlen(cap);
    const char *p = cs_known_capabilities;
    while (*p) {
        const char *end = strchr(p, ' ');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncmp(p, cap, n) == 0)
            return true;
        p += len + (end ? 1 : 0);
    }
    return false;
}

/* The connection name at toks[1]; records it in the test's list. */
static const char *conn_arg(parser *ps, const cs_token *toks, int n, const char *verb)
{
    if (n < 2) {
        error_at(ps, toks[0].col + (int)strlen(verb), "expected a connection name after '%s'", verb);
        return NULL;
    }
    const char *name = cs_tok_word(&toks[1]);
    if (!name || !valid_name(name, 12, true)) {
        error_at(ps, toks[1].col, "expected a connection name (1-12 of a-z 0-9), got '%s'", toks[1].text);
        return NULL;
    }
    for (size_t i = 0; i < ps->nconns; i++)
        if (strcmp(ps->conns[i], name) == 0)
            return ps->conns[i];
    if (ps->nconns == MAX_LIST) {
        error_at(ps, toks[1].col, "too many connections in one test (at most %d)", MAX_LIST);
        return NULL;
    }
    ps->conns[ps->nconns++] = name;
    return name;
}

static cs_step *new_step(parser *ps, cs_step_kind kind, int col)
{
    if (ps->nsteps == MAX_STEPS) {
        error_at(ps, col, "too many steps in one test (at most %d)", MAX_STEPS);
        return NULL;
    }
    cs_step *s = &ps->steps[ps->nsteps++];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->line = ps->line;
    s->within_ms = -1;
    return s;
}

static const cs_token *copy_tokens(parser *ps, const cs_token *toks, size_t n)
{
    cs_token *out = base_arena_alloc(ps->arena, sizeof(cs_token) * (n ? n : 1));
    memcpy(out, toks, sizeof(cs_token) * n);
    return out;
}

/* Check send fields: key=value with keys of type (plus extra_key when given). */
static bool check_send_fields(parser *ps, mqtt_packet_type type, const cs_token *toks, int n, const char *extra_key)
{
    bool ok = true;
    for (int i = 0; i < n; i++) {
        const cs_token *t = &toks[i];
        if (t->op != CS_OP_EQ) {
            error_at(ps, t->col, "expected field=value for %s, got '%s'", mqtt_packet_type_name(type), t->text);
            ok = false;
        } else if ((strncmp(t->key, CS_PROP_PREFIX, strlen(CS_PROP_PREFIX)) == 0 &&
                    !cs_prop_key_id(t->key, CS_PROP_PREFIX)) ||
                   (strncmp(t->key, CS_WILL_PROP_PREFIX, strlen(CS_WILL_PROP_PREFIX)) == 0 &&
                    !cs_prop_key_id(t->key, CS_WILL_PROP_PREFIX))) {
            error_at(ps, t->col, "unknown property '%s' (expected a property name such as topic_alias or "
                     "user_property)", strchr(t->key, '.') + 1);
            ok = false;
        } else if (cs_prop_key_id(t->key, CS_PROP_PREFIX) && ps->version != MQTT_V5) {
            error_at(ps, t->col, "'%s': properties exist only in MQTT 5.0", t->key);
            ok = false;
        } else if (!cs_field_sendable(type, t->key) && !(extra_key && strcmp(t->key, extra_key) == 0)) {
            base_strbuf list = {0};
            cs_field_list(type, true, ps->version, &list);
            error_at(ps, t->col, "unknown field '%s' for sending %s (expected one of: %s%s%s)", t->key,
                     mqtt_packet_type_name(type), base_sb_str(&list), extra_key ? " " : "", extra_key ? extra_key : "");
            base_sb_free(&list);
            ok = false;
        }
    }
    return ok;
}

static bool check_match_fields(parser *ps, mqtt_packet_type type, const cs_token *toks, int n)
{
    bool ok = true;
    for (int i = 0; i < n; i++) {
        const cs_token *t = &toks[i];
        if (t->op == CS_OP_NONE) {
            error_at(ps, t->col, "expected field=value, field!=value, field^=prefix or field->variable for %s, got '%s'",
                     mqtt_packet_type_name(type), t->text);
            ok = false;
        } else if (strncmp(t->key, CS_PROP_PREFIX, strlen(CS_PROP_PREFIX)) == 0 &&
                   !cs_prop_key_id(t->key, CS_PROP_PREFIX)) {
            error_at(ps, t->col,
                     "unknown property '%s' (expected a property name such as topic_alias or "
                     "user_property)",
                     t->key + strlen(CS_PROP_PREFIX));
            ok = false;
        } else if (!cs_field_matchable(type, t->key)) {
            base_strbuf list = {0};
            cs_field_list(type, false, ps->version, &list);
            error_at(ps, t->col, "unknown field '%s' for expecting %s (expected one of: %s)", t->key,
                     mqtt_packet_type_name(type), base_sb_str(&list));
            base_sb_free(&list);
            ok = false;
        } else if (t->op == CS_OP_PREFIX && cs_field_numeric(t->key)) {
            error_at(ps, t->col, "'^=' compares text; %s is a number", t->key);
            ok = false;
        } else if ((t->op == CS_OP_LE || t->op == CS_OP_GE) && !cs_field_numeric(t->key)) {
            error_at(ps, t->col, "'%s' compares numbers; %s is not a number", t->op == CS_OP_LE ? "<=" : ">=", t->key);
            ok = false;
        } else if (t->op == CS_OP_CAPTURE) {
            const char *var = t->value.nsegs == 1 && !t->value.segs[0].is_var && !t->value.quoted
                                  ? t->value.segs[0].text
                                  : NULL;
            if (!var || !valid_name(var, 40, false) || !(isalpha((unsigned char)var[0]) || var[0] == '_')) {
                error_at(ps, t->col, "expected a variable name after '->', got '%s'", t->text);
                ok = false;
            }
        }
    }
    return ok;
}

static bool parse_packet_type(parser *ps, const cs_token *t, mqtt_packet_type *type)
{
    const char *w = cs_tok_word(t);
    *type = w ? cs_packet_type_by_name(w) : 0;
    if (*type == 0 || (*type == MQTT_AUTH && ps->version != MQTT_V5)) {
        error_at(ps, t->col, "expected a packet type (CONNECT, PUBLISH, SUBSCRIBE, ...), got '%s'", t->text);
        return false;
    }
    return true;
}

static bool hex_literal(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n % 2)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i]))
            return false;
    return true;
}

static void parse_raw(parser *ps, cs_step *s, const cs_token *toks, int n)
{
    int stars = 0;
    for (int i = 0; i < n; i++) {
        const cs_token *t = &toks[i];
        const char *w = cs_tok_word(t);
        bool prefixed =
            t->op == CS_OP_NONE && t->value.nsegs > 0 && !t->value.segs[0].is_var &&
            (strncmp(t->value.segs[0].text, "str:", 4) == 0 || strncmp(t->value.segs[0].text, "txt:", 4) == 0);
        bool creds = w && (strcmp(w, "creds") == 0 ||
                           (strncmp(w, "cflags:", 7) == 0 && strlen(w) == 9 && hex_literal(w + 7)));
        if (creds)
            continue;
        if (w && strcmp(w, "*") == 0) {
            if (++stars > 1)
                error_at(ps, t->col, "%s", "only one '*' (remaining length) per raw packet");
        } else if (!prefixed && !(w && hex_literal(w))) {
            error_at(ps, t->col,
                     "expected hex bytes (e.g. 30 or 3002), '*' (remaining length), str:TEXT (length-prefixed "
                     "string), txt:TEXT (bare bytes), cflags:HH (CONNECT flags plus the run's credential flags) "
                     "or creds (the run's user name and password), got '%s'",
                     t->text);
        }
    }
    if (n == 0)
        error_at(ps, 1, "%s", "expected bytes after 'raw'");
    s->args = copy_tokens(ps, toks, (size_t)n);
    s->nargs = (size_t)n;
}

static void parse_send(parser *ps, const cs_token *toks, int n)
{
    const char *conn = conn_arg(ps, toks, n, "send");
    if (!conn)
        return;
    int i = 2;
    bool unchecked = false;
    if (i < n && word_is(&toks[i], "unchecked")) {
        unchecked = true;
        i++;
    }
    if (i >= n) {
        error_at(ps, toks[n - 1].col, "%s", "expected a packet type or 'raw' after the connection name");
        return;
    }
    cs_step *s = new_step(ps, CS_STEP_SEND, toks[0].col);
    if (!s)
        return;
    s->conn = conn;
    s->unchecked = unchecked;
    if (word_is(&toks[i], "raw")) {
        s->kind = CS_STEP_RAW;
        parse_raw(ps, s, toks + i + 1, n - i - 1);
        return;
    }
    if (!parse_packet_type(ps, &toks[i], &s->type))
        return;
    check_send_fields(ps, s->type, toks + i + 1, n - i - 1, NULL);
    s->args = copy_tokens(ps, toks + i + 1, (size_t)(n - i - 1));
    s->nargs = (size_t)(n - i - 1);
}

/* One outcome from toks[0..n). */
static bool parse_outcome(parser *ps, const cs_token *toks, int n, cs_outcome *o)
{
    memset(o, 0, sizeof *o);
    if (n == 0) {
        error_at(ps, 1, "%s", "expected an outcome (a packet type, closed, nothing, or no TYPE) around '|'");
        return false;
    }
    if (word_is(&toks[0], "closed") || word_is(&toks[0], "nothing")) {
        o->kind = word_is(&toks[0], "closed") ? CS_OUT_CLOSED : CS_OUT_NOTHING;
        if (n > 1) {
            error_at(ps, toks[1].col, "expected '|' or the end of the line after '%s', got '%s'", toks[0].text,
                     toks[1].text);
            return false;
        }
        return true;
    }
    int i = 0;
    o->kind = CS_OUT_PACKET;
    o->mode = CS_MATCH_FIRST;
    if (word_is(&toks[0], "no")) {
        o->kind = CS_OUT_NO;
        i++;
    } else if (word_is(&toks[0], "next")) {
        o->mode = CS_MATCH_NEXT;
        i++;
    } else if (word_is(&toks[0], "any")) {
        o->mode = CS_MATCH_ANY;
        i++;
    }
    if (i >= n) {
        error_at(ps, toks[n - 1].col, "expected a packet type after '%s'", toks[n - 1].text);
        return false;
    }
    if (!parse_packet_type(ps, &toks[i], &o->type))
        return false;
    if (!check_match_fields(ps, o->type, toks + i + 1, n - i - 1))
        return false;
    o->args = copy_tokens(ps, toks + i + 1, (size_t)(n - i - 1));
    o->nargs = (size_t)(n - i - 1);
    return true;
}

static void parse_expect(parser *ps, const cs_token *toks, int n)
{
    const char *conn = conn_arg(ps, toks, n, "expect");
    if (!conn)
        return;
    cs_step *s = new_step(ps, CS_STEP_EXPECT, toks[0].col);
    if (!s)
        return;
    s->conn = conn;
    cs_token rest[128];
    int nrest = 0;
    for (int i = 2; i < n; i++) {
        bool within = toks[i].key && strcmp(toks[i].key, "within") == 0 && toks[i].op == CS_OP_EQ;
        bool grace = toks[i].key && strcmp(toks[i].key, "grace") == 0 && toks[i].op == CS_OP_EQ;
        if (within || grace) {
            const char *w = toks[i].value.nsegs == 1 && !toks[i].value.segs[0].is_var ? toks[i].value.segs[0].text : "";
            uint32_t ms = 0;
            if (!cs_parse_uint(w, strlen(w), 600000, &ms))
                error_at(ps, toks[i].col, "expected %s=MILLISECONDS (0-600000), got '%s'", toks[i].key, toks[i].text);
            if (within)
                s->within_ms = (int)ms;
            else
                s->grace_ms = (int)ms;
            continue;
        }
        rest[nrest++] = toks[i];
    }
    cs_outcome outs[MAX_OUTCOMES];
    size_t nouts = 0;
    int start = 0;
    for (int i = 0; i <= nrest; i++) {
        if (i < nrest && !word_is(&rest[i], "|"))
            continue;
        if (nouts == MAX_OUTCOMES) {
            error_at(ps, rest[i - 1].col, "at most %d outcomes", MAX_OUTCOMES);
            return;
        }
        if (!parse_outcome(ps, rest + start, i - start, &outs[nouts]))
            return;
        nouts++;
        start = i + 1;
    }
    if (s->grace_ms && s->within_ms < 0)
        error_at(ps, toks[0].col, "%s", "grace= needs within= (the limit the tolerance applies to)");
    cs_outcome *o = base_arena_alloc(ps->arena, sizeof(cs_outcome) * nouts);
    memcpy(o, outs, sizeof(cs_outcome) * nouts);
    s->outcomes = o;
    s->noutcomes = nouts;
}

static void parse_simple_conn_step(parser *ps, cs_step_kind kind, const cs_token *toks, int n, const char *verb)
{
    const char *conn = conn_arg(ps, toks, n, verb);
    if (!conn)
        return;
    if (n > 2) {
        error_at(ps, toks[2].col, "expected the end of the line after '%s %s', got '%s'", verb, conn, toks[2].text);
        return;
    }
    cs_step *s = new_step(ps, kind, toks[0].col);
    if (s)
        s->conn = conn;
}

/* ws C ACTION: the actions, and whether each takes a size (split=N, fragment=N). */
static const struct {
    const char *name;
    cs_ws_action action;
    bool sized;
} WS_ACTIONS[] = {
    {"split", CS_WS_SPLIT, true},  {"fragment", CS_WS_FRAGMENT, true}, {"hold", CS_WS_HOLD, false},
    {"flush", CS_WS_FLUSH, false}, {"text", CS_WS_TEXT, false},        {"binary", CS_WS_BINARY, false},
};

const char *cs_ws_action_name(cs_ws_action a)
{
    for (size_t i = 0; i < sizeof WS_ACTIONS / sizeof WS_ACTIONS[0]; i++)
        if (WS_ACTIONS[i].action == a)
            return WS_ACTIONS[i].name;
    return "?";
}

static void parse_ws(parser *ps, const cs_token *toks, int n)
{
    const char *conn = conn_arg(ps, toks, n, "ws");
    if (!conn)
        return;
    if (n != 3) {
        error_at(ps, toks[n < 3 ? 0 : 3].col, "%s",
                 "expected 'ws C ACTION' with one action: split=N, fragment=N, hold, flush, text or binary");
        return;
    }
    const cs_token *t = &toks[2];
    const char *name = t->op == CS_OP_EQ ? t->key : cs_tok_word(t);
    for (size_t i = 0; name && i < sizeof WS_ACTIONS / sizeof WS_ACTIONS[0]; i++) {
        if (strcmp(name, WS_ACTIONS[i].name) != 0)
            continue;
        uint32_t size = 0;
        const char *v =
            t->op == CS_OP_EQ && t->value.nsegs == 1 && !t->value.segs[0].is_var ? t->value.segs[0].text : NULL;
        if (WS_ACTIONS[i].sized != (t->op == CS_OP_EQ) ||
            (WS_ACTIONS[i].sized && (!v || !cs_parse_uint(v, t->value.segs[0].len, 65536, &size)))) {
            error_at(ps, t->col, WS_ACTIONS[i].sized ? "expected '%s=N' with N from 0 to 65536 bytes"
                                                     : "expected '%s' without a value",
                     WS_ACTIONS[i].name);
            return;
        }
        cs_step *s = new_step(ps, CS_STEP_WS, toks[0].col);
        if (s) {
            s->conn = conn;
            s->ws = WS_ACTIONS[i].action;
            s->ws_size = size;
        }
        return;
    }
    error_at(ps, t->col, "expected a ws action (split=N, fragment=N, hold, flush, text, binary), got '%s'", t->text);
}

static void parse_connect(parser *ps, const cs_token *toks, int n)
{
    const char *conn = conn_arg(ps, toks, n, "connect");
    if (!conn)
        return;
    cs_step *s = new_step(ps, CS_STEP_CONNECT, toks[0].col);
    if (!s)
        return;
    s->conn = conn;
    s->type = MQTT_CONNECT;
    /* field=value tokens build the CONNECT; field->var tokens capture from its CONNACK */
    cs_token sends[128], captures[128];
    memset(sends, 0, sizeof sends); /* gcc cannot see that only the counted entries are read */
    memset(captures, 0, sizeof captures);
    int nsend = 0, ncapture = 0;
    for (int i = 2; i < n; i++) {
        if (toks[i].op == CS_OP_CAPTURE)
            captures[ncapture++] = toks[i];
        else
            sends[nsend++] = toks[i];
    }
    check_send_fields(ps, MQTT_CONNECT, sends, nsend, "sp");
    check_match_fields(ps, MQTT_CONNACK, captures, ncapture);
    s->args = copy_tokens(ps, toks + 2, (size_t)(n - 2));
    s->nargs = (size_t)(n - 2);
}

static void parse_disconnect(parser *ps, const cs_token *toks, int n)
{
    const char *conn = conn_arg(ps, toks, n, "disconnect");
    if (!conn)
        return;
    cs_step *s = new_step(ps, CS_STEP_DISCONNECT, toks[0].col);
    if (!s)
        return;
    s->conn = conn;
    s->type = MQTT_DISCONNECT;
    check_send_fields(ps, MQTT_DISCONNECT, toks + 2, n - 2, NULL);
    s->args = copy_tokens(ps, toks + 2, (size_t)(n - 2));
    s->nargs = (size_t)(n - 2);
}

static void parse_list(parser *ps, const cs_token *toks, int n, const char **list, size_t *count, bool statements)
{
    if (n < 2)
        error_at(ps, toks[0].col, "expected at least one %s after '%s'", statements ? "statement ID" : "capability",
                 toks[0].text);
    for (int i = 1; i < n; i++) {
        const char *w = cs_tok_word(&toks[i]);
        if (statements && (!w || !valid_statement_id(w))) {
            error_at(ps, toks[i].col, "expected a statement ID like MQTT-3.1.2-3, got '%s'", toks[i].text);
            continue;
        }
        if (!statements && (!w || !known_capability(w))) {
            error_at(ps, toks[i].col, "unknown capability '%s' (expected one of: %s)", toks[i].text,
                     cs_known_capabilities);
            continue;
        }
        if (*count == MAX_LIST) {
            error_at(ps, toks[i].col, "too many entries (at most %d)", MAX_LIST);
            return;
        }
        list[(*count)++] = w;
    }
}

static void begin_test(parser *ps, const cs_token *toks, int n)
{
    const char *name = n == 2 ? cs_tok_word(&toks[1]) : NULL;
    if (!name || !valid_name(name, 80, false)) {
        error_at(ps, n > 1 ? toks[1].col : toks[0].col + 4, "%s",
                 "expected 'test NAME' (NAME of letters, digits, '-', '_', '.')");
        name = "unnamed";
    }
    ps->test = base_arena_alloc(ps->arena, sizeof(cs_test));
    ps->test->name = name;
    ps->test->line = ps->line;
    ps->nsteps = ps->nstatements = ps->nneeds = ps->nconns = 0;
}

static const char **copy_list(parser *ps, const char **list, size_t n)
{
    const char **out = base_arena_alloc(ps->arena, sizeof(char *) * (n ? n : 1));
    memcpy(out, list, sizeof(char *) * n);
    return out;
}

/* Every statement the header cites is observed by some step, and every observed one is cited. */
static void check_observed(parser *ps, const cs_test *t, int col)
{
    for (size_t k = 0; k < ps->nstatements; k++) {
        bool seen = false;
        for (size_t i = 0; i < ps->nsteps && !seen; i++)
            for (size_t j = 0; j < ps->steps[i].nobserves && !seen; j++)
                seen = strcmp(ps->steps[i].observes[j], ps->statements[k]) == 0;
        if (!seen)
            error_at(ps, col, "test '%s' (line %d) cites %s, but no step observes it (end a connect, expect or "
                     "sync line with [%s])", t->name, t->line, ps->statements[k], ps->statements[k]);
    }
    for (size_t i = 0; i < ps->nsteps; i++) {
        for (size_t j = 0; j < ps->steps[i].nobserves; j++) {
            bool cited = false;
            for (size_t k = 0; k < ps->nstatements && !cited; k++)
                cited = strcmp(ps->steps[i].observes[j], ps->statements[k]) == 0;
            if (!cited)
                error_at(ps, col, "test '%s': line %d observes %s, which its 'statements' line does not cite", t->name,
                         ps->steps[i].line, ps->steps[i].observes[j]);
        }
    }
}

/* ws steps mean nothing over another transport: such a test must say it needs WebSocket, so it is
 * skipped (with that reason) elsewhere instead of judging a broker on framing it never saw. */
static void check_ws_needs(parser *ps, const cs_test *t, int col)
{
    bool framed = false, needs = false;
    for (size_t i = 0; i < ps->nsteps; i++)
        framed = framed || ps->steps[i].kind == CS_STEP_WS;
    for (size_t i = 0; i < ps->nneeds; i++)
        needs = needs || strcmp(ps->needs[i], CS_CAP_WEBSOCKET) == 0;
    if (framed && !needs)
        error_at(ps, col, "test '%s' (line %d) has ws steps: expected 'needs %s'", t->name, t->line, CS_CAP_WEBSOCKET);
}

static void end_test(parser *ps, int col)
{
    cs_test *t = ps->test;
    ps->test = NULL;
    if (ps->nstatements == 0)
        error_at(ps, col, "test '%s' (line %d) declares no statements: expected a 'statements' line", t->name, t->line);
    if (ps->nsteps == 0)
        error_at(ps, col, "test '%s' (line %d) has no steps", t->name, t->line);
    check_observed(ps, t, col);
    check_ws_needs(ps, t, col);
    for (size_t i = 0; i < ps->suite->ntests; i++) {
        const cs_test *o = &ps->suite->tests[i];
        if (o->version == ps->version && strcmp(o->area, ps->area) == 0 && strcmp(o->name, t->name) == 0)
            error_at(ps, col, "test '%s' is defined twice (also at %s:%d)", t->name, o->file, o->line);
    }
    char id[160];
    snprintf(id, sizeof id, "%s/%s/%s", mqtt_version_name(ps->version), ps->area, t->name);
    t->id = base_arena_strdup(ps->arena, id);
    t->area = ps->area;
    t->file = ps->file;
    t->version = ps->version;
    t->statements = copy_list(ps, ps->statements, ps->nstatements);
    t->nstatements = ps->nstatements;
    t->needs = copy_list(ps, ps->needs, ps->nneeds);
    t->nneeds = ps->nneeds;
    t->conns = copy_list(ps, ps->conns, ps->nconns);
    t->nconns = ps->nconns;
    cs_step *steps = base_arena_alloc(ps->arena, sizeof(cs_step) * (ps->nsteps ? ps->nsteps : 1));
    memcpy(steps, ps->steps, sizeof(cs_step) * ps->nsteps);
    t->steps = steps;
    t->nsteps = ps->nsteps;
    if (ps->suite->ntests == ps->suite->cap) {
        size_t cap = ps->suite->cap ? ps->suite->cap * 2 : 64;
        cs_test *grown = realloc(ps->suite->tests, cap * sizeof(cs_test));
        if (!grown)
            abort();
        ps->suite->tests = grown;
        ps->suite->cap = cap;
    }
    ps->suite->tests[ps->suite->ntests++] = *t;
}

/* A trailing "[MQTT-a field:MQTT-b]" on a step line: the statements that step observes, each maybe
 * bound to one field of the expected packet. Returns how many tokens come before it (n when there is
 * none); the IDs go to ids, their fields (or NULL) to fields. */
static int split_observes(parser *ps, const cs_token *toks, int n, const char **ids, const char **fields,
                          size_t *nids)
{
    int at = n;
    *nids = 0;
    for (int i = 0; i < n; i++) {
        if (toks[i].op == CS_OP_NONE && toks[i].text[0] == '[') {
            at = i;
            break;
        }
    }
    if (at == n)
        return n;
    const char *last = toks[n - 1].text;
    if (last[strlen(last) - 1] != ']') {
        error_at(ps, toks[at].col, "%s", "expected ']' to close the observed statements at the end of the line");
        return at;
    }
    for (int i = at; i < n; i++) {
        const char *w = toks[i].text;
        size_t len = strlen(w);
        if (i == at)
            w++, len--;
        if (i == n - 1)
            len--;
        if (len == 0)
            continue;
        const char *colon = memchr(w, ':', len);
        const char *field = colon ? base_arena_strndup(ps->arena, w, (size_t)(colon - w)) : NULL;
        if (colon) {
            len -= (size_t)(colon + 1 - w);
            w = colon + 1;
        }
        char *id = base_arena_strndup(ps->arena, w, len);
        if (!valid_statement_id(id) || toks[i].op != CS_OP_NONE || (field && !*field)) {
            error_at(ps, toks[i].col, "expected a statement ID like MQTT-3.1.2-3 (or FIELD:ID) inside [...], got '%s'",
                     toks[i].text);
            continue;
        }
        if (*nids < MAX_LIST) {
            fields[*nids] = field;
            ids[(*nids)++] = id;
        }
    }
    if (*nids == 0)
        error_at(ps, toks[at].col, "%s", "expected statement IDs inside [...]");
    return at;
}

static void parse_step(parser *ps, const char *verb, const cs_token *toks, int n);

/* Whether step s expects one packet and compares field in it: an expect step with one packet
 * outcome, or a connect step's Session Present (its CONNACK's "sp=", the only field a connect step
 * compares besides rc=0; a refusal is evidence against all the step observes, so rc is not offered). */
static bool field_of_outcome(const cs_step *s, const char *field)
{
    if (s->kind == CS_STEP_CONNECT) {
        for (size_t i = 0; strcmp(field, "sp") == 0 && i < s->nargs; i++)
            if (s->args[i].key && strcmp(s->args[i].key, "sp") == 0 && s->args[i].op != CS_OP_CAPTURE)
                return true;
        return false;
    }
    if (s->kind != CS_STEP_EXPECT || s->noutcomes != 1 || s->outcomes[0].kind != CS_OUT_PACKET)
        return false;
    for (size_t i = 0; i < s->outcomes[0].nargs; i++)
        if (s->outcomes[0].args[i].key && strcmp(s->outcomes[0].args[i].key, field) == 0)
            return true;
    return false;
}

static void parse_in_test(parser *ps, const cs_token *toks, int n)
{
    const char *verb = cs_tok_word(&toks[0]);
    if (!verb)
        verb = "";
    const char *ids[MAX_LIST], *fields[MAX_LIST];
    size_t nids = 0;
    int nstep = split_observes(ps, toks, n, ids, fields, &nids);
    if (nstep == n || nstep == 0) {
        if (nstep == 0)
            error_at(ps, toks[0].col, "%s", "expected a step before the observed statements");
        else
            parse_step(ps, verb, toks, n);
        return;
    }
    size_t before = ps->nsteps;
    parse_step(ps, verb, toks, nstep);
    if (ps->nsteps != before + 1)
        return; /* not a step, or an error already reported */
    cs_step *s = &ps->steps[ps->nsteps - 1];
    if (s->kind != CS_STEP_CONNECT && s->kind != CS_STEP_EXPECT && s->kind != CS_STEP_SYNC) {
        error_at(ps, toks[nstep].col, "'%s' observes nothing: only connect, expect and sync steps observe statements",
                 verb);
        return;
    }
    bool bound = false;
    for (size_t i = 0; i < nids; i++) {
        for (size_t j = 0; j < i; j++) {
            if (strcmp(ids[i], ids[j]) == 0 && (fields[i] ? fields[j] && strcmp(fields[i], fields[j]) == 0 : !fields[j])) {
                error_at(ps, toks[nstep].col, "'%s%s%s' is listed twice in the observed statements",
                         fields[i] ? fields[i] : "", fields[i] ? ":" : "", ids[i]);
                return;
            }
        }
        if (!fields[i])
            continue;
        if (!field_of_outcome(s, fields[i])) {
            error_at(ps, toks[nstep].col,
                     "'%s:%s': a statement bound to a field needs an expect step with one packet outcome that "
                     "compares '%s', or a connect step with sp=",
                     fields[i], ids[i], fields[i]);
            return;
        }
        bound = true;
    }
    const char **copy = base_arena_alloc(ps->arena, sizeof(char *) * nids);
    memcpy(copy, ids, sizeof(char *) * nids);
    s->observes = copy;
    s->nobserves = nids;
    if (bound) {
        const char **fcopy = base_arena_alloc(ps->arena, sizeof(char *) * nids);
        memcpy(fcopy, fields, sizeof(char *) * nids);
        s->observe_fields = fcopy;
    }
}

static void parse_step(parser *ps, const char *verb, const cs_token *toks, int n)
{
    if (strcmp(verb, "end") == 0) {
        if (n > 1)
            error_at(ps, toks[1].col, "expected the end of the line after 'end', got '%s'", toks[1].text);
        end_test(ps, toks[0].col);
    } else if (strcmp(verb, "statements") == 0) {
        parse_list(ps, toks, n, ps->statements, &ps->nstatements, true);
    } else if (strcmp(verb, "needs") == 0) {
        parse_list(ps, toks, n, ps->needs, &ps->nneeds, false);
    } else if (strcmp(verb, "timeout") == 0) {
        const char *w = n == 2 ? cs_tok_word(&toks[1]) : NULL;
        uint32_t ms;
        if (!w || !cs_parse_uint(w, strlen(w), 600000, &ms))
            error_at(ps, toks[0].col, "%s", "expected 'timeout MILLISECONDS'");
        else
            ps->test->timeout_ms = (int)ms;
    } else if (strcmp(verb, "open") == 0) {
        parse_simple_conn_step(ps, CS_STEP_OPEN, toks, n, verb);
    } else if (strcmp(verb, "connect") == 0) {
        parse_connect(ps, toks, n);
    } else if (strcmp(verb, "send") == 0) {
        parse_send(ps, toks, n);
    } else if (strcmp(verb, "expect") == 0) {
        parse_expect(ps, toks, n);
    } else if (strcmp(verb, "disconnect") == 0) {
        parse_disconnect(ps, toks, n);
    } else if (strcmp(verb, "close") == 0) {
        parse_simple_conn_step(ps, CS_STEP_CLOSE, toks, n, verb);
    } else if (strcmp(verb, "sync") == 0) {
        parse_simple_conn_step(ps, CS_STEP_SYNC, toks, n, verb);
    } else if (strcmp(verb, "ws") == 0) {
        parse_ws(ps, toks, n);
    } else if (strcmp(verb, "test") == 0) {
        error_at(ps, toks[0].col, "expected 'end' before the next 'test' (test '%s' from line %d is still open)",
                 ps->test->name, ps->test->line);
    } else {
        error_at(ps, toks[0].col,
                 "expected a step (open, connect, send, expect, disconnect, close, sync, ws), 'statements', 'needs', "
                 "'timeout' or 'end', got '%s'",
                 toks[0].text);
    }
}

static void parse_line(parser *ps, const char *line)
{
    cs_token *toks;
    cs_lex_error lerr;
    int n = cs_lex_line(ps->arena, line, &toks, &lerr);
    if (n < 0) {
        error_at(ps, lerr.col, "%s", lerr.message);
        return;
    }
    if (n == 0)
        return;
    if (ps->test) {
        parse_in_test(ps, toks, n);
    } else if (word_is(&toks[0], "test")) {
        begin_test(ps, toks, n);
    } else {
        error_at(ps, toks[0].col, "expected 'test NAME' to start a test, got '%s'", toks[0].text);
    }
}

int cs_parse_script(base_arena *arena, const char *file, const char *text, mqtt_version version, const char *area,
                    cs_suite *suite, base_strbuf *errs)
{
    parser ps = {.arena = arena, .file = file, .version = version, .area = area, .suite = suite, .errs = errs};
    base_strbuf line = {0};
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        const char *next = nl ? nl + 1 : p + strlen(p);
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len && p[len - 1] == '\r')
            len--;
        base_sb_reset(&line);
        base_sb_append(&line, p, len);
        ps.line++;
        parse_line(&ps, base_sb_str(&line));
        if (ps.errors >= 20) {
            base_sb_printf(errs, "%s: too many errors, giving up\n", file);
            break;
        }
        p = next; /* not p + len: a final "\r" without "\n" was cut from len */
    }
    if (ps.test && ps.errors < 20) {
        if (p > text && p[-1] == '\n')
            ps.line++; /* the end of the file is the empty line after the last newline */
        error_at(&ps, 1, "expected 'end' to close test '%s' (line %d) before the end of the file", ps.test->name,
                 ps.test->line);
    }
    base_sb_free(&line);
    return ps.errors;
}
