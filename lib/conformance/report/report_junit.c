#include <string.h>

#include "base/interrupt.h"
#include "report.h"

static void xml_escape(cf_strbuf *o, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&': cf_sb_puts(o, "&amp;"); break;
        case '<': cf_sb_puts(o, "&lt;"); break;
        case '>': cf_sb_puts(o, "&gt;"); break;
        case '"': cf_sb_puts(o, "&quot;"); break;
        default:
            if (c < 0x20 && c != '\n' && c != '\t')
                cf_sb_putc(o, '?'); /* not allowed in XML 1.0 */
            else
                cf_sb_putc(o, (char)c);
        }
    }
}

static void write_case(cf_strbuf *o, const cf_test *t, const cf_result *r)
{
    char classname[128];
    snprintf(classname, sizeof classname, "%s.%s", mqtt_version_name(t->version), t->area);
    cf_sb_puts(o, "    <testcase classname=\"");
    xml_escape(o, classname);
    cf_sb_puts(o, "\" name=\"");
    xml_escape(o, t->name);
    cf_sb_printf(o, "\" file=\"");
    xml_escape(o, t->file);
    cf_sb_printf(o, "\" line=\"%d\" time=\"%.3f\">\n      <properties>\n", t->line, (double)r->duration_ms / 1000.0);
    for (size_t i = 0; i < t->nstatements; i++)
        cf_sb_printf(o, "        <property name=\"statement\" value=\"%s\"/>\n"
                        "        <property name=\"%s\" value=\"%s\"/>\n",
                     t->statements[i], t->statements[i], r->obs ? cf_obs_name(r->obs[i]) : "not run");
    for (size_t i = 0; i < r->nviolations; i++)
        cf_sb_printf(o, "        <property name=\"violation\" value=\"%s\"/>\n", r->violations[i]);
    cf_sb_printf(o, "        <property name=\"verdict\" value=\"%s\"/>\n      </properties>\n",
                 cf_verdict_name(r->verdict));
    const char *element = NULL;
    cf_strbuf msg = {0};
    switch (r->verdict) {
    case CF_FAIL: element = "failure"; cf_sb_puts(&msg, cf_sb_str(&r->message)); break;
    case CF_INCONCLUSIVE: element = "error"; cf_sb_printf(&msg, "inconclusive: %s", cf_sb_str(&r->message)); break;
    case CF_SKIP: element = "skipped"; cf_sb_puts(&msg, cf_sb_str(&r->message)); break;
    case CF_XFAIL: element = "skipped"; cf_sb_printf(&msg, "expected failure (deviation: %s): %s", r->deviation,
                                                      cf_sb_str(&r->message)); break;
    default: break;
    }
    if (element) {
        cf_sb_printf(o, "      <%s message=\"", element);
        xml_escape(o, cf_sb_str(&msg));
        cf_sb_puts(o, "\"");
        if (r->verdict == CF_FAIL || r->verdict == CF_INCONCLUSIVE) {
            cf_sb_puts(o, ">");
            xml_escape(o, cf_sb_str(&r->log.text));
            cf_sb_printf(o, "</%s>\n", element);
        } else {
            cf_sb_puts(o, "/>\n");
        }
    }
    if (r->verdict == CF_XPASS) {
        cf_sb_puts(o, "      <system-out>unexpected pass: listed as a deviation (");
        xml_escape(o, r->deviation);
        cf_sb_puts(o, ") but passed</system-out>\n");
    }
    cf_sb_free(&msg);
    cf_sb_puts(o, "    </testcase>\n");
}

int cf_report_junit(const cf_run *run, const char *path, cf_strbuf *err)
{
    cf_strbuf o = {0};
    const unsigned *n = run->counts;
    /* an interrupted run's unfinished tests are skipped cases of their own suite, so a CI system
     * shows the report as partial */
    size_t left = run->interrupted ? run->nunfinished : 0;
    cf_sb_printf(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mqtk conformance\" tests=\"%zu\" "
                     "failures=\"%u\" errors=\"%u\" skipped=\"%zu\" time=\"%.3f\">\n",
                 run->ntests + left, n[CF_FAIL], n[CF_INCONCLUSIVE], n[CF_SKIP] + n[CF_XFAIL] + left,
                 (double)run->duration_ms / 1000.0);
    mqtt_version versions[3];
    size_t nversions = cf_run_versions(run, versions);
    for (size_t v = 0; v < nversions; v++) {
        unsigned k[CF_VERDICT_COUNT];
        size_t count = cf_run_counts(run, versions[v], k);
        cf_sb_printf(&o, "  <testsuite name=\"MQTT %s\" tests=\"%zu\" failures=\"%u\" errors=\"%u\" skipped=\"%u\" "
                         "hostname=\"",
                     mqtt_version_name(versions[v]), count, k[CF_FAIL], k[CF_INCONCLUSIVE], k[CF_SKIP] + k[CF_XFAIL]);
        xml_escape(&o, run->broker);
        cf_sb_printf(&o, "\" timestamp=\"%s\">\n    <properties>\n", run->started);
        cf_kv kv[6];
        size_t nkv = cf_run_transport(run, kv);
        for (size_t j = 0; j < nkv; j++) {
            cf_sb_printf(&o, "      <property name=\"%s\" value=\"", kv[j].name);
            xml_escape(&o, kv[j].value);
            cf_sb_puts(&o, "\"/>\n");
        }
        cf_sb_puts(&o, "    </properties>\n");
        for (size_t i = 0; i < run->ntests; i++)
            if (run->tests[i]->version == versions[v])
                write_case(&o, run->tests[i], &run->results[i]);
        cf_sb_puts(&o, "  </testsuite>\n");
    }
    if (run->interrupted) {
        cf_strbuf why = {0};
        cf_run_interruption(run, &why);
        cf_sb_printf(&o, "  <testsuite name=\"interrupted\" tests=\"%zu\" failures=\"0\" errors=\"0\" skipped=\"%zu\" "
                         "timestamp=\"%s\">\n    <properties>\n      <property name=\"interrupted\" value=\"",
                     left, left, run->started);
        xml_escape(&o, cf_sb_str(&why));
        cf_sb_printf(&o, "\"/>\n      <property name=\"signal\" value=\"%s\"/>\n    </properties>\n",
                     cf_interrupt_name(run->signal));
        for (size_t i = 0; i < left; i++) {
            const cf_test *t = run->unfinished[i];
            char classname[128];
            snprintf(classname, sizeof classname, "%s.%s", mqtt_version_name(t->version), t->area);
            cf_sb_puts(&o, "    <testcase classname=\"");
            xml_escape(&o, classname);
            cf_sb_puts(&o, "\" name=\"");
            xml_escape(&o, t->name);
            cf_sb_printf(&o, "\">\n      <skipped message=\"not finished: the run was interrupted by %s\"/>\n"
                             "    </testcase>\n", cf_interrupt_name(run->signal));
        }
        cf_sb_puts(&o, "  </testsuite>\n");
        cf_sb_free(&why);
    }
    cf_sb_puts(&o, "</testsuites>\n");
    return cf_report_save(&o, path, err);
}
