#include <string.h>

#include "report.h"

static bool is_problem(cf_verdict v)
{
    return v == CF_FAIL || v == CF_INCONCLUSIVE || v == CF_XPASS;
}

static void print_statements(FILE *out, const cf_test *t)
{
    fputs(" [", out);
    for (size_t i = 0; i < t->nstatements; i++)
        fprintf(out, "%s%s", i ? " " : "", t->statements[i]);
    fputc(']', out);
}

void cf_console_progress(void *console, size_t done, size_t total, const cf_test *t, const cf_result *r)
{
    cf_console *c = console;
    c->counts[r->verdict]++;
    if (c->tty)
        fputs("\r\033[K", c->out);
    if (is_problem(r->verdict) || c->verbose) {
        const char *label = r->verdict == CF_FAIL ? "FAIL" : r->verdict == CF_XPASS ? "XPASS" : cf_verdict_name(r->verdict);
        fprintf(c->out, "%-12s %s (%s:%d)", label, t->id, t->file, t->line);
        print_statements(c->out, t);
        if (r->message.len)
            fprintf(c->out, ": %s", cf_sb_str(&r->message));
        if (r->verdict == CF_XPASS)
            fprintf(c->out, ": listed as a deviation (%s) but passed; the deviation looks fixed", r->deviation);
        fputc('\n', c->out);
        if (c->verbose && r->verdict == CF_FAIL)
            fputs(cf_sb_str(&r->log.text), c->out);
    }
    if (c->tty) {
        fprintf(c->out, "[%zu/%zu] %u passed, %u failed, %u skipped", done, total, c->counts[CF_PASS] + c->counts[CF_XPASS],
                c->counts[CF_FAIL], c->counts[CF_SKIP]);
        if (done == total)
            fputs("\r\033[K", c->out);
    }
    fflush(c->out);
}

void cf_console_summary(cf_console *c, const cf_run *run)
{
    const unsigned *n = run->counts;
    fprintf(c->out, "%zu tests against %s%s: %u passed, %u failed, %u skipped (not applicable)", run->ntests,
            run->broker, run->embedded ? " (embedded mosquitto)" : "", n[CF_PASS], n[CF_FAIL], n[CF_SKIP]);
    if (n[CF_INCONCLUSIVE])
        fprintf(c->out, ", %u inconclusive", n[CF_INCONCLUSIVE]);
    if (n[CF_XFAIL])
        fprintf(c->out, ", %u expected failures (known deviations)", n[CF_XFAIL]);
    if (n[CF_XPASS])
        fprintf(c->out, ", %u unexpected passes", n[CF_XPASS]);
    fprintf(c->out, " in %.2f s\n", (double)run->duration_ms / 1000.0);
    mqtt_version versions[3];
    size_t nv = cf_run_versions(run, versions);
    for (size_t v = 0; nv > 1 && v < nv; v++) {
        unsigned k[CF_VERDICT_COUNT];
        size_t total = cf_run_counts(run, versions[v], k);
        fprintf(c->out, "  MQTT %-5s %4zu tests: %u passed, %u failed, %u skipped, %u inconclusive, %u expected failures, "
                        "%u unexpected passes\n",
                mqtt_version_name(versions[v]), total, k[CF_PASS], k[CF_FAIL], k[CF_SKIP], k[CF_INCONCLUSIVE],
                k[CF_XFAIL], k[CF_XPASS]);
    }
    for (size_t r = 0; r < run->nregs; r++) {
        const cf_registry *reg = &run->regs[r];
        unsigned counts[8] = {0};
        for (size_t i = 0; i < reg->n; i++)
            counts[cf_statement_status(run, reg, &reg->items[i])]++;
        fprintf(c->out, "MQTT %s statements: %u pass, %u fail, %u expected-fail, %u skipped, %u not run, %u not yet "
                        "tested, %u not testable (of %zu)\n",
                mqtt_version_name(reg->version), counts[CF_ST_PASS], counts[CF_ST_FAIL], counts[CF_ST_XFAIL],
                counts[CF_ST_SKIP], counts[CF_ST_NOT_RUN], counts[CF_ST_NOT_YET_TESTED], counts[CF_ST_NOT_TESTABLE],
                reg->n);
    }
}

void cf_console_coverage(FILE *out, const cf_run *run)
{
    for (size_t r = 0; r < run->nregs; r++) {
        const cf_registry *reg = &run->regs[r];
        size_t tested = 0, untestable = 0, todo = 0;
        fprintf(out, "MQTT %s statement coverage\n", mqtt_version_name(reg->version));
        for (size_t i = 0; i < reg->n; i++) {
            const cf_statement *s = &reg->items[i];
            const char *what;
            if (cf_statement_tested(run, reg, s->id)) {
                what = "tested";
                tested++;
            } else if (!cf_statement_observable(s)) {
                what = "not testable";
                untestable++;
            } else {
                what = "not yet tested";
                todo++;
            }
            fprintf(out, "  %-16s %-15s %-7s %s", s->id, what, s->applies_to, s->summary);
            if (!cf_statement_observable(s) && strlen(s->observable) > 4)
                fprintf(out, " (%s)", s->observable + 4);
            fputc('\n', out);
        }
        fprintf(out, "  %zu tested, %zu not testable, %zu not yet tested, of %zu\n", tested, untestable, todo, reg->n);
    }
}
