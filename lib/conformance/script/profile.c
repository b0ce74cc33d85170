#include "profile.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "base/fileio.h"
#include "script.h"

static const char *const default_caps[] = {"qos1", "qos2", "retain", "wildcards"};

void cs_profile_default(cs_profile *p)
{
    memset(p, 0, sizeof *p);
    p->name = "default";
    for (size_t i = 0; i < sizeof default_caps / sizeof default_caps[0]; i++)
        p->caps[p->ncaps++] = default_caps[i];
}

static char *next_word(char **cursor)
{
    char *p = *cursor;
    while (*p && isspace((unsigned char)*p))
        p++;
    if (!*p)
        return NULL;
    char *start = p;
    while (*p && !isspace((unsigned char)*p))
        p++;
    if (*p)
        *p++ = '\0';
    *cursor = p;
    return start;
}

static bool known_cap(const char *cap)
{
    const char *k = strstr(cs_known_capabilities, cap);
    size_t n = strlen(cap);
    return k && (k == cs_known_capabilities || k[-1] == ' ') && (k[n] == ' ' || k[n] == '\0');
}

int cs_profile_load(base_arena *arena, const char *path, cs_profile *p, base_strbuf *errs)
{
    memset(p, 0, sizeof *p);
    p->file = path;
    p->name = path;
    char *text = base_read_file(arena, path, NULL, errs);
    if (!text)
        return 1;
    int errors = 0, lineno = 0;
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        lineno++;
        char *cursor = line;
        char *word = next_word(&cursor);
        if (!word || word[0] == '#') {
            /* blank or comment */
        } else if (strcmp(word, "broker") == 0) {
            while (*cursor && isspace((unsigned char)*cursor))
                cursor++;
            p->name = cursor;
        } else if (strcmp(word, "capabilities") == 0) {
            char *cap;
            while ((cap = next_word(&cursor)) != NULL) {
                if (!known_cap(cap)) {
                    base_sb_printf(errs, "%s:%d: unknown capability '%s' (expected one of: %s)\n", path, lineno, cap,
                                   cs_known_capabilities);
                    errors++;
                } else if (strcmp(cap, CS_CAP_WEBSOCKET) == 0) {
                    base_sb_printf(errs,
                                   "%s:%d: capability '%s' comes from the run's transport (--transport ws or a "
                                   "ws:// broker), not from a profile\n",
                                   path, lineno, cap);
                    errors++;
                } else if (p->ncaps < sizeof p->caps / sizeof p->caps[0]) {
                    p->caps[p->ncaps++] = cap;
                }
            }
        } else if (strcmp(word, "refused-client-id") == 0 || strcmp(word, "forbidden-topic") == 0 ||
                   strcmp(word, "auth-method") == 0) {
            char *value = next_word(&cursor);
            char *extra = next_word(&cursor);
            bool auth = word[0] == 'a';
            if (!value || (extra && !auth) || next_word(&cursor)) {
                base_sb_printf(errs, "%s:%d: expected '%s %s'\n", path, lineno, word,
                               auth             ? "METHOD [DATA]"
                               : word[0] == 'r' ? "CLIENT-ID"
                                                : "TOPIC");
                errors++;
            } else {
                if (word[0] == 'r')
                    p->refused_client_id = value;
                else if (word[0] == 'f')
                    p->forbidden_topic = value;
                else {
                    p->auth_method = value;
                    p->auth_data = extra;
                }
                cs_profile_set(p, word, true);
            }
        } else if (strcmp(word, "deviation") == 0) {
            char *test = next_word(&cursor);
            char *statement = next_word(&cursor);
            while (*cursor && isspace((unsigned char)*cursor))
                cursor++;
            if (!test || !statement || !*cursor) {
                base_sb_printf(errs, "%s:%d: expected 'deviation TEST-ID STATEMENT-ID reason'\n", path, lineno);
                errors++;
            } else if (p->ndevs < sizeof p->devs / sizeof p->devs[0]) {
                p->devs[p->ndevs++] = (cs_deviation){test, statement, cursor, lineno};
            }
        } else {
            base_sb_printf(errs,
                           "%s:%d: expected 'broker', 'capabilities', 'deviation', 'refused-client-id', "
                           "'forbidden-topic' or 'auth-method', got '%s'\n",
                           path, lineno, word);
            errors++;
        }
        line = nl ? nl + 1 : NULL;
    }
    (void)arena;
    return errors;
}

static bool version_loaded(const char *test_id, const mqtt_version *versions, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *name = mqtt_version_name(versions[i]);
        size_t len = strlen(name);
        if (strncmp(test_id, name, len) == 0 && test_id[len] == '/')
            return true;
    }
    return false;
}

int cs_profile_check(const cs_profile *p, const cs_suite *suite, const mqtt_version *versions, size_t nversions,
                     base_strbuf *errs)
{
    int errors = 0;
    for (size_t d = 0; d < p->ndevs; d++) {
        const cs_deviation *dev = &p->devs[d];
        const cs_test *t = NULL;
        for (size_t i = 0; i < suite->ntests && !t; i++)
            if (strcmp(suite->tests[i].id, dev->test_id) == 0)
                t = &suite->tests[i];
        bool other_version = strncmp(dev->test_id, "3.1/", 4) == 0 || strncmp(dev->test_id, "3.1.1/", 6) == 0 ||
                             strncmp(dev->test_id, "5.0/", 4) == 0;
        if (!t && other_version && !version_loaded(dev->test_id, versions, nversions))
            continue; /* a test of a protocol not loaded in this run */
        if (!t) {
            base_sb_printf(errs,
                           "%s:%d: deviation names test %s, which does not exist (test ids look like "
                           "5.0/area/name)\n",
                           p->file, dev->line, dev->test_id);
            errors++;
            continue;
        }
        /* A statement the test does not cite is one a broker's packet broke during it (the run
         * names those); it must still look like an ID. A typo then never matches, and the test
         * keeps failing: fail-safe. */
        if (strncmp(dev->statement, "MQTT-", 5) != 0) {
            base_sb_printf(errs, "%s:%d: deviation of test %s: '%s' is not a statement ID (MQTT-x.y.z-n)\n", p->file,
                           dev->line, dev->test_id, dev->statement);
            errors++;
        }
    }
    return errors;
}

void cs_profile_set(cs_profile *p, const char *cap, bool on)
{
    for (size_t i = 0; i < p->ncaps; i++) {
        if (strcmp(p->caps[i], cap) == 0) {
            if (!on)
                p->caps[i] = p->caps[--p->ncaps];
            return;
        }
    }
    if (on && p->ncaps < sizeof p->caps / sizeof p->caps[0])
        p->caps[p->ncaps++] = cap;
}

bool cs_profile_has(const cs_profile *p, const char *cap)
{
    for (size_t i = 0; i < p->ncaps; i++)
        if (strcmp(p->caps[i], cap) == 0)
            return true;
    return false;
}

const cs_deviation *cs_profile_deviation(const cs_profile *p, const cs_test *t)
{
    for (size_t i = 0; i < p->ndevs; i++)
        if (strcmp(p->devs[i].test_id, t->id) == 0)
            return &p->devs[i];
    return NULL;
}
