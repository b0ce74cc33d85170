#include "suite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "script.h"
#include "base/sha256.h"

const char *cf_version_dir(mqtt_version v)
{
    switch (v) {
    case MQTT_V31: return "v3.1";
    case MQTT_V311: return "v3.1.1";
    default: return "v5.0";
    }
}

int cf_suite_load(cf_arena *arena, const char *suite_dir, const mqtt_version *versions, size_t nversions,
                  cf_suite *suite, cf_strbuf *errs, char hash[65])
{
    int errors = 0;
    cf_sha256 sha;
    cf_sha256_init(&sha);
    for (size_t v = 0; v < nversions; v++) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/%s", suite_dir, cf_version_dir(versions[v]));
        const char **names;
        int n = cf_list_dir(arena, dir, ".mqtt", &names);
        if (n < 0) {
            cf_sb_printf(errs, "%s: cannot read the test directory (is --suite right?)\n", dir);
            errors++;
            continue;
        }
        for (int i = 0; i < n; i++) {
            char path[4200];
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            size_t len = 0;
            char *text = cf_read_file(arena, path, &len, errs);
            if (!text) {
                errors++;
                continue;
            }
            char rel[300];
            snprintf(rel, sizeof rel, "%s/%s", cf_version_dir(versions[v]), names[i]);
            cf_sha256_update(&sha, rel, strlen(rel) + 1);
            cf_sha256_update(&sha, text, len);
            const char *area = cf_arena_strndup(arena, names[i], strlen(names[i]) - strlen(".mqtt"));
            errors += cf_parse_script(arena, cf_arena_strdup(arena, path), text, versions[v], area, suite, errs);
        }
    }
    cf_sha256_hex(&sha, hash);
    return errors;
}

void cf_suite_free(cf_suite *suite)
{
    free(suite->tests);
    suite->tests = NULL;
    suite->ntests = suite->cap = 0;
}
