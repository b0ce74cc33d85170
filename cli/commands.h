/* mqtk CLI — the command table. Each subcommand is a function taking its own argv (argv[0] is the
 * command name) and returning the process exit code: 0 success, 1 a finding (malformed input,
 * failed test, divergence), 2 usage or setup error. */
#ifndef MQTK_COMMANDS_H
#define MQTK_COMMANDS_H

#include <stddef.h>

typedef int (*mqtk_command_fn)(int argc, char **argv);

typedef struct mqtk_command {
    const char *name;
    const char *summary; /* one line for `mqtk --help` */
    mqtk_command_fn run;
} mqtk_command;

extern const mqtk_command mqtk_commands[];
extern const size_t mqtk_command_count;

enum { MQTK_EXIT_OK = 0, MQTK_EXIT_FINDING = 1, MQTK_EXIT_USAGE = 2 };

/* One function per command, one row each in commands.c. */
int mqtk_cmd_decode(int argc, char **argv); /* cmd_decode.c */
int mqtk_cmd_encode(int argc, char **argv); /* cmd_encode.c */
int mqtk_cmd_pcap(int argc, char **argv);   /* cmd_pcap.c */
int mqtk_cmd_replay(int argc, char **argv); /* cmd_replay.c */
int mqtk_cmd_run(int argc, char **argv);    /* cmd_run.c */
int mqtk_cmd_probe(int argc, char **argv);  /* cmd_probe.c */
int mqtk_cmd_fuzz(int argc, char **argv);   /* cmd_fuzz.c */

#endif
