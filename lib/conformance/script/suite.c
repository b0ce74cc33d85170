#include "suite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "script.h"
#include "base/sha256.h"

const char *cs_version_dir(mqtt_version v)
{
    switch (v) {
    case MQTT_V31: return "v3.1";
    case MQTT_V311: return "v3.1.1";
    default: return "v5.0";
    }
}

int cs_suite_load(base_arena *arena, const char *suite_dir, const mqtt_version *versions, size_t nversions,
                  cs_suite *suite, base_strbuf *errs, char hash[65])
{
    int errors = 0;
    base_sha256 sha;
    base_sha256_init(&sha);
    for (size_t v = 0; v < nversions; v++) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/%s", suite_dir, cs_version_dir(versions[v]));
        const char **names;
        int n = base_list_dir(arena, dir, ".mqtt", &names);
        if (n < 0) {
            base_sb_printf(errs, "%s: cannot read the test directory (is --suite right?)\n", dir);
            errors++;
            continue;
        }
        for (int i = 0; i < n; i++) {
            char path[4200];
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            size_t len = 0;
            char *text = base_read_file(arena, path, &len, errs);
            if (!text) {
                errors++;
                continue;
            }
            char rel[300];
            snprintf(rel, sizeof rel, "%s/%s", cs_version_dir(versions[v]), names[i]);
            base_sha256_update(&sha, rel, strlen(rel) + 1);
            base_sha256_update(&sha, text, len);
            const char *area = base_arena_strndup(arena, names[i], strlen(names[i]) - strlen(".mqtt"));
            errors += cs_parse_script(arena, base_arena_strdup(arena, path), text, versions[v], area, suite, errs);
        }
    }
    base_sha256_hex(&sha, hash);
    return errors;
}

void cs_suite_free(cs_suite *suite)
{
    free(suite->tests);
    suite->tests = NULL;
    suite->ntests = suite->cap = 0;
}
