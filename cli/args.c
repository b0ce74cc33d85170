#include "args.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"

void mqtk_args_init(mqtk_args *a, int argc, char **argv)
{
    a->argc = argc;
    a->argv = argv;
    a->index = 1;
    a->options_done = false;
    a->command = argc > 0 ? argv[0] : "mqtk";
}

int mqtk_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "mqtk %s: ", command);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "; see 'mqtk %s --help'\n", command);
    return MQTK_EXIT_USAGE;
}

static const mqtk_option *find_long(const mqtk_option *options, int count, const char *name, size_t len)
{
    for (int i = 0; i < count; i++)
        if (strlen(options[i].name) == len && strncmp(options[i].name, name, len) == 0)
            return &options[i];
    return NULL;
}

static const mqtk_option *find_short(const mqtk_option *options, int count, char c)
{
    for (int i = 0; i < count; i++)
        if (options[i].short_name && options[i].short_name == c)
            return &options[i];
    return NULL;
}

int mqtk_args_next(mqtk_args *a, const mqtk_option *options, int count, const char **value)
{
    *value = NULL;
    if (a->index >= a->argc)
        return MQTK_ARG_END;
    char *arg = a->argv[a->index++];
    if (a->options_done || arg[0] != '-' || strcmp(arg, "-") == 0) {
        *value = arg;
        return MQTK_ARG_POSITIONAL;
    }
    if (strcmp(arg, "--") == 0) {
        a->options_done = true;
        return mqtk_args_next(a, options, count, value);
    }

    const mqtk_option *opt;
    const char *inline_value = NULL;
    if (arg[1] == '-') {
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        opt = find_long(options, count, name, len);
        if (eq)
            inline_value = eq + 1;
    } else {
        opt = arg[2] == 0 ? find_short(options, count, arg[1]) : NULL;
    }
    if (!opt) {
        mqtk_usage_error(a->command, "unknown option '%s'", arg);
        return MQTK_ARG_ERROR;
    }
    if (!opt->has_value) {
        if (inline_value) {
            mqtk_usage_error(a->command, "option '--%s' takes no value", opt->name);
            return MQTK_ARG_ERROR;
        }
        return opt->id;
    }
    if (!inline_value) {
        if (a->index >= a->argc) {
            mqtk_usage_error(a->command, "option '--%s' needs a value", opt->name);
            return MQTK_ARG_ERROR;
        }
        inline_value = a->argv[a->index++];
    }
    *value = inline_value;
    return opt->id;
}
