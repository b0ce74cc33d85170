#include <string.h>

#include "base/interrupt.h"
#include "report.h"

static void xml_escape(base_strbuf *o, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&':
            base_sb_puts(o, "&amp;");
            break;
        case '<':
            base_sb_puts(o, "&lt;");
            break;
        case '>':
            base_sb_puts(o, "&gt;");
            break;
        case '"':
            base_sb_puts(o, "&quot;");
            break;
        default:
            if (c < 0x20 && c != '\n' && c != '\t')
                base_sb_putc(o, '?'); /* not allowed in XML 1.0 */
            else
                base_sb_putc(o, (char)c);
        }
    }
}

static void write_case(base_strbuf *o, const cs_test *t, const cr_result *r)
{
    char classname[128];
    snprintf(classname, sizeof classname, "%s.%s", mqtt_version_name(t->version), t->area);
    base_sb_puts(o, "    <testcase classname=\"");
    xml_escape(o, classname);
    base_sb_puts(o, "\" name=\"");
    xml_escape(o, t->name);
    base_sb_printf(o, "\" file=\"");
    xml_escape(o, t->file);
    base_sb_printf(o, "\" line=\"%d\" time=\"%.3f\">\n      <properties>\n", t->line, (double)r->duration_ms / 1000.0);
    for (size_t i = 0; i < t->nstatements; i++)
        base_sb_printf(o,
                       "        <property name=\"statement\" value=\"%s\"/>\n"
                       "        <property name=\"%s\" value=\"%s\"/>\n",
                       t->statements[i], t->statements[i], r->obs ? cr_obs_name(r->obs[i]) : "not run");
    for (size_t i = 0; i < r->nviolations; i++)
        base_sb_printf(o, "        <property name=\"violation\" value=\"%s\"/>\n", r->violations[i]);
    for (size_t i = 0; i < r->nxviolations; i++)
        base_sb_printf(o, "        <property name=\"expected-violation\" value=\"%s\"/>\n", r->xviolations[i]);
    base_sb_printf(o, "        <property name=\"verdict\" value=\"%s\"/>\n      </properties>\n",
                   cr_verdict_name(r->verdict));
    const char *element = NULL;
    base_strbuf msg = {0};
    switch (r->verdict) {
    case CR_FAIL:
        element = "failure";
        base_sb_puts(&msg, base_sb_str(&r->message));
        break;
    case CR_INCONCLUSIVE:
        element = "error";
        base_sb_printf(&msg, "inconclusive: %s", base_sb_str(&r->message));
        break;
    case CR_SKIP:
        element = "skipped";
        base_sb_puts(&msg, base_sb_str(&r->message));
        break;
    case CR_XFAIL:
        element = "skipped";
        base_sb_printf(&msg, "expected failure (deviation: %s): %s", r->deviation, base_sb_str(&r->message));
        break;
    default: break;
    }
    if (element) {
        base_sb_printf(o, "      <%s message=\"", element);
        xml_escape(o, base_sb_str(&msg));
        base_sb_puts(o, "\"");
        if (r->verdict == CR_FAIL || r->verdict == CR_INCONCLUSIVE) {
            base_sb_puts(o, ">");
            xml_escape(o, base_sb_str(&r->log.text));
            base_sb_printf(o, "</%s>\n", element);
        } else {
            base_sb_puts(o, "/>\n");
        }
    }
    if (r->verdict == CR_XPASS) {
        base_sb_puts(o, "      <system-out>unexpected pass: listed as a deviation (");
        xml_escape(o, r->deviation);
        base_sb_puts(o, ") but passed</system-out>\n");
    }
    base_sb_free(&msg);
    base_sb_puts(o, "    </testcase>\n");
}

int rp_report_junit(const rp_run *run, const char *path, base_strbuf *err)
{
    base_strbuf o = {0};
    const unsigned *n = run->counts;
    /* an interrupted run's unfinished tests are skipped cases of their own suite, so a CI system
     * shows the report as partial */
    size_t left = run->interrupted ? run->nunfinished : 0;
    base_sb_printf(&o,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mqtk conformance\" tests=\"%zu\" "
                   "failures=\"%u\" errors=\"%u\" skipped=\"%zu\" time=\"%.3f\">\n",
                   run->ntests + left, n[CR_FAIL], n[CR_INCONCLUSIVE], n[CR_SKIP] + n[CR_XFAIL] + left,
                   (double)run->duration_ms / 1000.0);
    mqtt_version versions[3];
    size_t nversions = rp_run_versions(run, versions);
    for (size_t v = 0; v < nversions; v++) {
        unsigned k[CR_VERDICT_COUNT];
        size_t count = rp_run_counts(run, versions[v], k);
        base_sb_printf(&o,
                       "  <testsuite name=\"MQTT %s\" tests=\"%zu\" failures=\"%u\" errors=\"%u\" skipped=\"%u\" "
                       "hostname=\"",
                       mqtt_version_name(versions[v]), count, k[CR_FAIL], k[CR_INCONCLUSIVE], k[CR_SKIP] + k[CR_XFAIL]);
        xml_escape(&o, run->broker);
        base_sb_printf(&o, "\" timestamp=\"%s\">\n    <properties>\n", run->started);
        cr_kv kv[6];
        size_t nkv = rp_run_transport(run, kv);
        for (size_t j = 0; j < nkv; j++) {
            base_sb_printf(&o, "      <property name=\"%s\" value=\"", kv[j].name);
            xml_escape(&o, kv[j].value);
            base_sb_puts(&o, "\"/>\n");
        }
        base_sb_puts(&o, "    </properties>\n");
        for (size_t i = 0; i < run->ntests; i++)
            if (run->tests[i]->version == versions[v])
                write_case(&o, run->tests[i], &run->results[i]);
        base_sb_puts(&o, "  </testsuite>\n");
    }
    if (run->interrupted) {
        base_strbuf why = {0};
        rp_run_interruption(run, &why);
        base_sb_printf(&o,
                       "  <testsuite name=\"interrupted\" tests=\"%zu\" failures=\"0\" errors=\"0\" skipped=\"%zu\" "
                       "timestamp=\"%s\">\n    <properties>\n      <property name=\"interrupted\" value=\"",
                       left, left, run->started);
        xml_escape(&o, base_sb_str(&why));
        base_sb_printf(&o, "\"/>\n      <property name=\"signal\" value=\"%s\"/>\n    </properties>\n",
                       base_interrupt_name(run->signal));
        for (size_t i = 0; i < left; i++) {
            const cs_test *t = run->unfinished[i];
            char classname[128];
            snprintf(classname, sizeof classname, "%s.%s", mqtt_version_name(t->version), t->area);
            base_sb_puts(&o, "    <testcase classname=\"");
            xml_escape(&o, classname);
            base_sb_puts(&o, "\" name=\"");
            xml_escape(&o, t->name);
            base_sb_printf(&o,
                           "\">\n      <skipped message=\"not finished: the run was interrupted by %s\"/>\n"
                           "    </testcase>\n",
                           base_interrupt_name(run->signal));
        }
        base_sb_puts(&o, "  </testsuite>\n");
        base_sb_free(&why);
    }
    base_sb_puts(&o, "</testsuites>\n");
    return rp_report_save(&o, path, err);
}
