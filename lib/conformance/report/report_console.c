#include <string.h>

#include "report.h"

static bool is_problem(cr_verdict v)
{
    return v == CR_FAIL || v == CR_INCONCLUSIVE || v == CR_XPASS;
}

/* The statements of t whose finding is o, space separated; false when there are none. */
static bool statements_with(const cs_test *t, const cr_result *r, cr_obs o, base_strbuf *out)
{
    bool any = false;
    for (size_t i = 0; r->obs && i < t->nstatements; i++) {
        if (r->obs[i] != o)
            continue;
        base_sb_printf(out, "%s%s", any ? " " : "", t->statements[i]);
        any = true;
    }
    return any;
}

/* "[failed: A B; not reached: C]" for a test, or its cited statements when it passed. */
static void print_statements(FILE *out, const cs_test *t, const cr_result *r)
{
    static const struct {
        cr_obs obs;
        const char *label;
    } groups[] = {{CR_OBS_FAIL, "failed"},
                  {CR_OBS_XFAIL, "expected-fail"},
                  {CR_OBS_INCONCLUSIVE, "inconclusive"},
                  {CR_OBS_NOT_REACHED, "not reached"},
                  {CR_OBS_PASS, "passed"},
                  {CR_OBS_SKIP, "skipped"}};
    base_strbuf s = {0};
    size_t shown = 0;
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        base_strbuf ids = {0};
        if (statements_with(t, r, groups[g].obs, &ids))
            base_sb_printf(&s, "%s%s: %s", shown++ ? "; " : "", groups[g].label, base_sb_str(&ids));
        base_sb_free(&ids);
    }
    for (size_t i = 0; i < r->nviolations; i++)
        base_sb_printf(&s, "%s%s", i == 0 ? (shown++ ? "; broken by a packet: " : "broken by a packet: ") : " ",
                       r->violations[i]);
    for (size_t i = 0; i < r->nxviolations; i++)
        base_sb_printf(&s, "%s%s", i == 0 ? (shown ? "; broken by a packet, expected: " : "broken by a packet, expected: ")
                                          : " ",
                       r->xviolations[i]);
    fprintf(out, " [%s]", base_sb_str(&s));
    base_sb_free(&s);
}

void rp_console_progress(void *console, size_t done, size_t total, const cs_test *t, const cr_result *r)
{
    rp_console *c = console;
    c->counts[r->verdict]++;
    if (c->tty)
        fputs("\r\033[K", c->out);
    if (is_problem(r->verdict) || c->verbose) {
        const char *label = r->verdict == CR_FAIL    ? "FAIL"
                            : r->verdict == CR_XPASS ? "XPASS"
                                                     : cr_verdict_name(r->verdict);
        fprintf(c->out, "%-12s %s (%s:%d)", label, t->id, t->file, t->line);
        print_statements(c->out, t, r);
        if (r->message.len)
            fprintf(c->out, ": %s", base_sb_str(&r->message));
        if (r->verdict == CR_XPASS)
            fprintf(c->out, ": listed as a deviation (%s) but passed; the deviation looks fixed", r->deviation);
        fputc('\n', c->out);
        if (c->verbose && r->notes.len)
            fprintf(c->out, "             note: %s\n", base_sb_str(&r->notes));
        if (c->verbose && r->verdict == CR_FAIL)
            fputs(base_sb_str(&r->log.text), c->out);
    }
    if (c->tty) {
        fprintf(c->out, "[%zu/%zu] %u passed, %u failed, %u skipped, %u inconclusive", done, total,
                c->counts[CR_PASS] + c->counts[CR_XPASS], c->counts[CR_FAIL], c->counts[CR_SKIP],
                c->counts[CR_INCONCLUSIVE]);
        if (done == total)
            fputs("\r\033[K", c->out);
    }
    fflush(c->out);
}

static void print_counts(FILE *out, const unsigned *k)
{
    fprintf(out, "%u passed, %u failed, %u skipped, %u inconclusive, %u expected failures, %u unexpected passes",
            k[CR_PASS], k[CR_FAIL], k[CR_SKIP], k[CR_INCONCLUSIVE], k[CR_XFAIL], k[CR_XPASS]);
}

void rp_console_summary(rp_console *c, const rp_run *run)
{
    const unsigned *n = run->counts;
    fprintf(c->out, "%zu tests against %s%s", run->ntests, run->broker, run->embedded ? " (embedded mosquitto)" : "");
    cr_kv kv[6];
    size_t nkv = rp_run_transport(run, kv);
    for (size_t i = 1; i < nkv; i++) /* over TLS: version, cipher, whether the certificate was verified... */
        fprintf(c->out, "%s%s %s", i == 1 ? " over TLS (" : ", ", kv[i].name + 4, kv[i].value);
    fputs(nkv > 1 ? "): " : ": ", c->out);
    print_counts(c->out, n);
    fprintf(c->out, " in %.2f s%s\n", (double)run->duration_ms / 1000.0, run->interrupted ? " (INTERRUPTED)" : "");
    if (run->interrupted) {
        base_strbuf why = {0};
        rp_run_interruption(run, &why);
        fprintf(c->out, "  %s\n", base_sb_str(&why));
        base_sb_free(&why);
    }
    for (size_t i = 0; i < run->nprobes; i++) {
        const cr_version_probe *p = &run->probes[i];
        if (p->state == CR_VS_UNSUPPORTED)
            fprintf(c->out, "  MQTT %-5s not supported by the broker: %s\n", mqtt_version_name(p->version), p->evidence);
        else if (p->state == CR_VS_BROKEN)
            fprintf(c->out, "  MQTT %-5s FAIL before any test: %s\n", mqtt_version_name(p->version), p->evidence);
    }
    mqtt_version versions[3];
    size_t nv = rp_run_versions(run, versions);
    for (size_t v = 0; nv > 1 && v < nv; v++) {
        unsigned k[CR_VERDICT_COUNT];
        size_t total = rp_run_counts(run, versions[v], k);
        fprintf(c->out, "  MQTT %-5s %4zu tests: ", mqtt_version_name(versions[v]), total);
        print_counts(c->out, k);
        fputc('\n', c->out);
    }
    rp_column cols[4];
    size_t ncols = rp_run_columns(run, cols);
    for (size_t ci = 0; ci < ncols; ci++) {
        const rp_column *col = &cols[ci];
        unsigned counts[RP_ST_COUNT] = {0};
        size_t of = 0;
        base_strbuf failed = {0}, name = {0};
        for (size_t i = 0; i < col->reg->n; i++) {
            const cs_statement *s = &col->reg->items[i];
            if (!rp_column_covers(run, col, s->id))
                continue;
            rp_evidence ev;
            rp_stmt_status st = rp_statement_status(run, col, s, &ev);
            counts[st]++;
            of++;
            if (st == RP_ST_FAIL) {
                base_sb_printf(&failed, "  FAILED %s", s->id);
                if (ev.test)
                    base_sb_printf(&failed, " by %s (%s:%d): %s", ev.test->id, ev.test->file, ev.result->fail_line,
                                   base_sb_str(&ev.result->message));
                else
                    base_sb_puts(&failed, " before any test (see above)");
                base_sb_putc(&failed, '\n');
            }
        }
        rp_column_name(col, &name);
        fprintf(c->out,
                "%s statements: %u pass, %u fail, %u expected-fail, %u inconclusive, %u not reached, "
                "%u skipped, %u not supported, %u not run",
                base_sb_str(&name), counts[RP_ST_PASS], counts[RP_ST_FAIL], counts[RP_ST_XFAIL],
                counts[RP_ST_INCONCLUSIVE], counts[RP_ST_NOT_REACHED], counts[RP_ST_SKIP], counts[RP_ST_UNSUPPORTED],
                counts[RP_ST_NOT_RUN]);
        if (col->tests == col->reg->version)
            fprintf(c->out, ", %u not yet tested, %u not testable (of %zu)\n", counts[RP_ST_NOT_YET_TESTED],
                    counts[RP_ST_NOT_TESTABLE], of);
        else
            fprintf(c->out, " (of the %zu its tests cite)\n", of);
        fputs(base_sb_str(&failed), c->out);
        base_sb_free(&failed);
        base_sb_free(&name);
    }
    for (size_t i = 0; i < run->ntests; i++) {
        const cr_result *r = &run->results[i];
        if (r->rerun == CR_RERUN_ONLY_IN_SEQUENCE)
            fprintf(c->out, "  note: %s %s\n", run->tests[i]->id, base_sb_str(&r->rerun_note));
    }
    if (run->health.len)
        fprintf(c->out, "  note: %s\n", base_sb_str(&run->health));
}

void rp_console_coverage(FILE *out, const rp_run *run)
{
    for (size_t r = 0; r < run->nregs; r++) {
        const cs_registry *reg = &run->regs[r];
        size_t tested = 0, untestable = 0, todo = 0;
        fprintf(out, "MQTT %s statement coverage\n", mqtt_version_name(reg->version));
        for (size_t i = 0; i < reg->n; i++) {
            const cs_statement *s = &reg->items[i];
            const char *what;
            if (rp_statement_tested(run, reg, s->id)) {
                what = "tested";
                tested++;
            } else if (!cs_statement_observable(s)) {
                what = "not testable";
                untestable++;
            } else {
                what = "not yet tested";
                todo++;
            }
            fprintf(out, "  %-16s %-15s %-7s %s", s->id, what, s->applies_to, s->summary);
            if (!cs_statement_observable(s) && strlen(s->observable) > 4)
                fprintf(out, " (%s)", s->observable + 4);
            fputc('\n', out);
        }
        fprintf(out, "  %zu tested, %zu not testable, %zu not yet tested, of %zu\n", tested, untestable, todo, reg->n);
    }
}

enum { CRITICAL_PATH_SHOWN = 5 };

/* When test i ended, in ms after the first test started. */
static int64_t ended_at(const rp_run *run, size_t i)
{
    return run->results[i].log.t0 - run->tests_t0 + run->results[i].duration_ms;
}

static void print_span(FILE *out, const rp_run *run, size_t i, const char *label)
{
    const cr_result *r = &run->results[i];
    fprintf(out, "  %7.2f s  %s%s", (double)r->duration_ms / 1000.0, label, run->tests[i]->id);
    if (r->log.t0) /* else decided without running (a skip): no span */
        fprintf(out, " (from %.2f to %.2f s)", (double)(ended_at(run, i) - r->duration_ms) / 1000.0,
                (double)ended_at(run, i) / 1000.0);
    fputc('\n', out);
}

void rp_console_critical_path(rp_console *c, const rp_run *run, unsigned jobs)
{
    size_t shown[CRITICAL_PATH_SHOWN];
    size_t k = 0;
    int64_t sum = 0;
    for (size_t i = 0; i < run->ntests; i++) {
        sum += run->results[i].duration_ms;
        /* keep the CRITICAL_PATH_SHOWN longest, longest first (insertion into a short list) */
        size_t at = k;
        while (at > 0 && run->results[shown[at - 1]].duration_ms < run->results[i].duration_ms)
            at--;
        if (at >= CRITICAL_PATH_SHOWN)
            continue;
        if (k < CRITICAL_PATH_SHOWN)
            k++;
        memmove(&shown[at + 1], &shown[at], (k - 1 - at) * sizeof shown[0]);
        shown[at] = i;
    }
    fprintf(c->out,
            "critical path: %u tests at once; the run took %.2f s after %.2f s of set-up (broker, probes, "
            "discovery), its tests %.2f s in all, the longest:\n",
            jobs, (double)run->duration_ms / 1000.0, (double)run->setup_ms / 1000.0, (double)sum / 1000.0);
    for (size_t j = 0; j < k; j++)
        print_span(c->out, run, shown[j], "");
    /* the test that ended last ends the run: when it is not among the longest, it started late */
    size_t last = run->ntests;
    for (size_t i = 0; i < run->ntests; i++)
        if (run->results[i].log.t0 && (last == run->ntests || ended_at(run, i) > ended_at(run, last)))
            last = i;
    bool shown_last = false;
    for (size_t j = 0; j < k; j++)
        shown_last = shown_last || shown[j] == last;
    if (last < run->ntests && !shown_last)
        print_span(c->out, run, last, "the last to end: ");
}
