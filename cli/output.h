/* Standard output errors. stdio only sets the stream's error flag when a buffered write fails, and
 * errno is long gone when main() looks: commands that flush stdout themselves (to order it before
 * a message on stderr) do it through mqtk_flush_stdout, which keeps the first failure's errno. */
#ifndef MQTK_OUTPUT_H
#define MQTK_OUTPUT_H

/* fflush(stdout); on failure remembers errno (the first one) and returns -1. */
int mqtk_flush_stdout(void);
/* The errno of the first failed mqtk_flush_stdout, or 0. */
int mqtk_stdout_errno(void);

#endif
