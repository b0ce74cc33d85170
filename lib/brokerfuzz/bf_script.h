/* A finding as a test in the suite's script language, so `mqtk run --suite DIR` replays it: the
 * session's steps (valid CONNECTs as `connect`, everything else as raw bytes, a `sync` where the
 * fuzzer waited for the broker), then the expectation the oracle judged by, tagged with its
 * statement. */
#ifndef BF_SCRIPT_H
#define BF_SCRIPT_H

#include <stdio.h>

#include "bf_exec.h"
#include "bf_session.h"

/* Write test `name` to f. With no statement (a crash or a hang), the steps are written as a comment
 * block only: the suite has no statement for "does not crash". */
void bf_script_write(FILE *f, const char *name, const bf_session *s, const bf_finding *fd, const char *header);

#endif
