/* mqtk fuzz target "script_parser": the conformance runner's script parser (lib/conformance/script/script.c and
 * its lexer). Input: script text, with no selector byte so that the committed scripts are seeds as
 * they are; it is parsed as a 3.1.1 file and as a 5.0 file. Any text: the parser adds tests or reports errors, never crashes, leaks or loops. Each
 * error is one "file:line:col: message" line whose line and column lie inside the text (or one
 * "file: message" line about the whole file); with no
 * error, every test it added has an id, at least one statement ID and at least one step.
 * MQTK_FUZZ_LINK: lib/conformance/script lib/format lib/base
 * MQTK_FUZZ_CORPUS: suite/v3.1 suite/v3.1.1 suite/v5.0
 * MQTK_FUZZ_MAX_LEN: 16384 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "fuzz_target.h"
#include "conformance/script/script.h"

/* Lines and columns count from 1; a column may stand one past the line's last character. */
static void check_error_lines(const char *errs, const char *text)
{
    size_t lines = 1;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';
    for (const char *line = errs; *line;) {
        const char *end = strchr(line, '\n');
        FUZZ_REQUIRE(end != NULL, "error message without a newline: %s", line);
        FUZZ_REQUIRE(strncmp(line, "fuzz.mqtt:", 10) == 0, "error without the file name: %.*s", (int)(end - line),
                     line);
        if (line[10] == ' ') { /* a note about the file as a whole, e.g. that it gave up */
            line = end + 1;
            continue;
        }
        char *after;
        unsigned long ln = strtoul(line + 10, &after, 10);
        FUZZ_REQUIRE(*after == ':' && ln >= 1 && ln <= lines, "error line %lu outside 1..%zu: %.*s", ln, lines,
                     (int)(end - line), line);
        unsigned long col = strtoul(after + 1, &after, 10);
        FUZZ_REQUIRE(*after == ':' && col >= 1, "error without a column: %.*s", (int)(end - line), line);
        line = end + 1;
    }
}

static void parse_as(const char *text, mqtt_version version)
{
    base_arena arena = {0};
    cs_suite suite = {0};
    base_strbuf errs = {0};
    int nerrors = cs_parse_script(&arena, "fuzz.mqtt", text, version, "fuzz", &suite, &errs);
    FUZZ_REQUIRE(nerrors >= 0, "negative error count %d", nerrors);
    FUZZ_REQUIRE((nerrors == 0) == (errs.len == 0), "%d errors but %zu bytes of messages", nerrors, errs.len);
    if (nerrors)
        check_error_lines(base_sb_str(&errs), text);
    else
        for (size_t i = 0; i < suite.ntests; i++) {
            const cs_test *t = &suite.tests[i];
            FUZZ_REQUIRE(t->id && t->nstatements > 0 && t->nsteps > 0, "test %zu accepted without id, statements or steps",
                         i);
        }
    free(suite.tests);
    base_sb_free(&errs);
    base_arena_free(&arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1); /* NUL-terminated: the parser reads a C string */
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    parse_as(text, MQTT_V311);
    parse_as(text, MQTT_V5);
    free(text);
    return 0;
}
