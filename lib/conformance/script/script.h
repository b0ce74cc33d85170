/* The script parser: a .mqtt file into tests (see conformance/README.md for the language). */
#ifndef CF_SCRIPT_H
#define CF_SCRIPT_H

#include "base/arena.h"
#include "base/strbuf.h"
#include "model.h"

/* Parse text (the contents of file) and append its tests to suite. version is the protocol the
 * file's directory stands for; area names the file's group ("connect"). Each error is appended to
 * errs as "file:line:col: message\n". Returns the number of errors (0: all tests added). */
int cf_parse_script(cf_arena *arena, const char *file, const char *text, mqtt_version version, const char *area,
                    cf_suite *suite, cf_strbuf *errs);

/* The capabilities a test may declare with `needs`, space separated. */
extern const char cf_known_capabilities[];

/* A ws step's action as written in scripts: "split", "fragment", "hold", "flush", "text", "binary". */
const char *cf_ws_action_name(cf_ws_action a);

#endif
