/* mqtk entry point: global options, then dispatch to a command from the table in commands.c. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "base/xalloc.h"
#include "output.h"
#include "mqtt/codec.h"

#ifndef MQTK_VERSION
#error "MQTK_VERSION comes from CMake's project version (cli/CMakeLists.txt)"
#endif

static void print_help(FILE *out)
{
    fputs("usage: mqtk <command> [options]\n"
          "       mqtk --help | --version\n"
          "\n"
          "mqtk is an MQTT toolkit: a strict codec for MQTT 3.1, 3.1.1 and 5.0 and the tools around it.\n"
          "\n"
          "Commands:\n",
          out);
    for (size_t i = 0; i < mqtk_command_count; i++)
        fprintf(out, "  %-10s %s\n", mqtk_commands[i].name, mqtk_commands[i].summary);
    fputs("\n"
          "Run 'mqtk <command> --help' for a command's options.\n"
          "\n"
          "Exit codes (every command):\n"
          "  0  success\n"
          "  1  a finding: malformed input, failed test, divergence\n"
          "  2  usage or setup error\n",
          out);
}

/* Every command prints through stdio and its write errors only set the stream's error flag: check
 * it once, here, for all of them (help texts included). A failed write (full disk, a closed file)
 * is a setup error, exit 2, whatever the command found. */
static int finish_output(const char *command, int rc)
{
    errno = 0;
    bool failed = fflush(stdout) != 0;
    int e = mqtk_stdout_errno() ? mqtk_stdout_errno() : errno;
    failed = ferror(stdout) || failed;
    if (fclose(stdout) != 0 && !failed) {
        failed = true;
        e = errno;
    }
    if (!failed)
        return rc;
    /* errno is gone when the failed write was an earlier one: say so rather than print "Success" */
    fprintf(stderr, "mqtk%s%s: cannot write to standard output: %s\n", command ? " " : "", command ? command : "",
            e ? strerror(e) : "an earlier write failed");
    return MQTK_EXIT_USAGE;
}

/* Out of memory is a setup error: a message and exit 2, so no caller checks for NULL. */
static void out_of_memory(size_t size)
{
    fprintf(stderr, "mqtk: out of memory (allocating %zu bytes)\n", size);
    exit(MQTK_EXIT_USAGE);
}

static const mqtk_command *find_command(const char *name)
{
    for (size_t i = 0; i < mqtk_command_count; i++)
        if (strcmp(mqtk_commands[i].name, name) == 0)
            return &mqtk_commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    base_xalloc_on_failure(out_of_memory);
    if (argc < 2) {
        print_help(stderr);
        return MQTK_EXIT_USAGE;
    }
    const char *first = argv[1];
    if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0 || strcmp(first, "help") == 0) {
        if (argc > 2 && strcmp(first, "help") == 0 && find_command(argv[2])) {
            char *help_argv[] = {argv[2], "--help", NULL};
            return finish_output(argv[2], find_command(argv[2])->run(2, help_argv));
        }
        if (argc > 2 && strcmp(first, "help") == 0) {
            fprintf(stderr, "mqtk: unknown command '%s'; see 'mqtk --help'\n", argv[2]);
            return MQTK_EXIT_USAGE;
        }
        print_help(stdout);
        return finish_output(NULL, MQTK_EXIT_OK);
    }
    if (strcmp(first, "--version") == 0 || strcmp(first, "-V") == 0) {
        printf("mqtk %s (codec %s)\n", MQTK_VERSION, mqtt_codec_version());
        return finish_output(NULL, MQTK_EXIT_OK);
    }
    if (first[0] == '-') {
        fprintf(stderr, "mqtk: unknown option '%s'; see 'mqtk --help'\n", first);
        return MQTK_EXIT_USAGE;
    }
    const mqtk_command *cmd = find_command(first);
    if (!cmd) {
        fprintf(stderr, "mqtk: unknown command '%s'; see 'mqtk --help'\n", first);
        return MQTK_EXIT_USAGE;
    }
    return finish_output(cmd->name, cmd->run(argc - 1, argv + 1));
}
