/* Command-line option parsing shared by the commands: long options from a table, "--name value"
 * or "--name=value", one-letter aliases, "--" ends the options, "-" alone is a positional. */
#ifndef MQTK_ARGS_H
#define MQTK_ARGS_H

#include <stdbool.h>

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

/* "mqtk <command>: <message>; see 'mqtk <command> --help'" on stderr; returns MQTK_EXIT_USAGE. */
int mqtk_usage_error(const char *command, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
