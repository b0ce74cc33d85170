/* The script parser: a .mqtt file into tests (see conformance/README.md for the language). */
#ifndef CS_SCRIPT_H
#define CS_SCRIPT_H

#include "base/arena.h"
#include "base/strbuf.h"
#include "model.h"

/* Parse text (the contents of file) and append its tests to suite. version is the protocol the
 * file's directory stands for; area names the file's group ("connect"). Each error is appended to
 * errs as "file:line:col: message\n". Returns the number of errors (0: all tests added). */
int cs_parse_script(base_arena *arena, const char *file, const char *text, mqtt_version version, const char *area,
                    cs_suite *suite, base_strbuf *errs);

/* The capabilities a test may declare with `needs`, space separated. */
extern const char cs_known_capabilities[];

/* A ws step's action as written in scripts: "split", "fragment", "hold", "flush", "text", "binary". */
const char *cs_ws_action_name(cs_ws_action a);

#endif
