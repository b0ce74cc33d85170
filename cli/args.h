/* Command-line option parsing shared by the commands: long options from a table, "--name value"
 * or "--name=value", one-letter aliases, "--" ends the options, "-" alone is a positional. */
#ifndef MQTK_ARGS_H
#define MQTK_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "net/address.h"

typedef struct mqtk_option {
    const char *name; /* long name without "--" */
    char short_name;  /* 0 for none */
    bool has_value;
    int id; /* > 0, returned by mqtk_args_next */
} mqtk_option;

typedef struct mqtk_args {
    int argc;
    char **argv;
    int index;
    bool options_done;
    const char *command; /* for messages: "decode" */
} mqtk_args;

enum { MQTK_ARG_END = -1, MQTK_ARG_ERROR = -2, MQTK_ARG_POSITIONAL = 0 };

/* argv[0] is the command name; parsing starts at argv[1]. */
void mqtk_args_init(mqtk_args *a, int argc, char **argv);

/* Next argument: an option's id (its value in *value when it takes one), MQTK_ARG_POSITIONAL with
 * the argument in *value, MQTK_ARG_END, or MQTK_ARG_ERROR after printing what is wrong to stderr. */
int mqtk_args_next(mqtk_args *a, const mqtk_option *options, int count, const char **value);

/* Option values every command reads the same way. Each returns 0, or MQTK_EXIT_USAGE after printing
 * "mqtk <command>: --<option> ..." naming what was wrong. */

/* A decimal integer from min to max: digits only (no sign, no blanks); unit names it in the message
 * ("--timeout needs milliseconds from 10 to 600000, got 'x'"). */
int mqtk_arg_int(const char *command, const char *option, const char *value, long min, long max, const char *unit,
                 int *out);
/* A number > 0 and at most max, in unit ("seconds"): "--timeout needs seconds > 0, at most 3600, got 'x'". */
int mqtk_arg_positive(const char *command, const char *option, const char *value, double max, const char *unit,
                      double *out);
/* A broker address (lib/net's one syntax: HOST:PORT, [IPV6]:PORT, mqtt://, ws://..., port 1-65535)
 * into out. A malformed address is a usage error, never "unreachable". */
int mqtk_arg_broker(const char *command, const char *value, net_address *out);

/* "mqtk <command>: <message>; see 'mqtk <command> --help'" on stderr; returns MQTK_EXIT_USAGE. */
int mqtk_usage_error(const char *command, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
