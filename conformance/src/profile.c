#include "profile.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "fileio.h"
#include "script.h"

static const char *const default_caps[] = {"qos1", "qos2", "retain", "wildcards"};

void cf_profile_default(cf_profile *p)
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
    const char *k = strstr(cf_known_capabilities, cap);
    size_t n = strlen(cap);
    return k && (k == cf_known_capabilities || k[-1] == ' ') && (k[n] == ' ' || k[n] == '\0');
}

int cf_profile_load(cf_arena *arena, const char *path, cf_profile *p, cf_strbuf *errs)
{
    memset(p, 0, sizeof *p);
    p->file = path;
    p->name = path;
    char *text = cf_read_file(arena, path, NULL, errs);
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
                    cf_sb_printf(errs, "%s:%d: unknown capability '%s' (expected one of: %s)\n", path, lineno, cap,
                                 cf_known_capabilities);
                    errors++;
                } else if (p->ncaps < sizeof p->caps / sizeof p->caps[0]) {
                    p->caps[p->ncaps++] = cap;
                }
            }
        } else if (strcmp(word, "deviation") == 0) {
            char *test = next_word(&cursor);
            char *statement = next_word(&cursor);
            while (*cursor && isspace((unsigned char)*cursor))
                cursor++;
            if (!test || !statement || !*cursor) {
                cf_sb_printf(errs, "%s:%d: expected 'deviation TEST-ID STATEMENT-ID reason'\n", path, lineno);
                errors++;
            } else if (p->ndevs < sizeof p->devs / sizeof p->devs[0]) {
                p->devs[p->ndevs++] = (cf_deviation){test, statement, cursor, lineno};
            }
        } else {
            cf_sb_printf(errs, "%s:%d: expected 'broker', 'capabilities' or 'deviation', got '%s'\n", path, lineno,
                         word);
            errors++;
        }
        line = nl ? nl + 1 : NULL;
    }
    (void)arena;
    return errors;
}

int cf_profile_check(const cf_profile *p, const cf_suite *suite, cf_strbuf *errs)
{
    int errors = 0;
    for (size_t d = 0; d < p->ndevs; d++) {
        const cf_deviation *dev = &p->devs[d];
        const cf_test *t = NULL;
        for (size_t i = 0; i < suite->ntests && !t; i++)
            if (strcmp(suite->tests[i].id, dev->test_id) == 0)
                t = &suite->tests[i];
        if (!t)
            continue; /* a test of a protocol not loaded in this run */
        bool cited = false;
        for (size_t i = 0; i < t->nstatements; i++)
            cited = cited || strcmp(t->statements[i], dev->statement) == 0;
        if (!cited) {
            cf_sb_printf(errs, "%s:%d: test %s does not check %s\n", p->file, dev->line, dev->test_id, dev->statement);
            errors++;
        }
    }
    return errors;
}

bool cf_profile_has(const cf_profile *p, const char *cap)
{
    for (size_t i = 0; i < p->ncaps; i++)
        if (strcmp(p->caps[i], cap) == 0)
            return true;
    return false;
}

const cf_deviation *cf_profile_deviation(const cf_profile *p, const cf_test *t)
{
    for (size_t i = 0; i < p->ndevs; i++)
        if (strcmp(p->devs[i].test_id, t->id) == 0)
            return &p->devs[i];
    return NULL;
}
