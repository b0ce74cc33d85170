#include "args.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

int mqtk_arg_int(const char *command, const char *option, const char *value, long min, long max, const char *unit,
                 int *out)
{
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (value[0] < '0' || value[0] > '9' || *end || errno || v < min || v > max) /* digits only */
        return mqtk_usage_error(command, "--%s needs %s from %ld to %ld, got '%s'", option, unit, min, max, value);
    *out = (int)v;
    return 0;
}

int mqtk_arg_positive(const char *command, const char *option, const char *value, double max, const char *unit,
                      double *out)
{
    char *end;
    errno = 0;
    double v = strtod(value, &end);
    if (!*value || *end || errno || !isfinite(v) || v <= 0 || v > max)
        return mqtk_usage_error(command, "--%s needs %s > 0, at most %g, got '%s'", option, unit, max, value);
    *out = v;
    return 0;
}

int mqtk_arg_broker(const char *command, const char *value, net_address *out)
{
    char why[512];
    if (!net_address_parse(value, out, why, sizeof why))
        return mqtk_usage_error(command, "--broker: %s", why);
    return 0;
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
    if (!opt) { /* the name alone: "--bogus=1" is an unknown --bogus, not an unknown "--bogus=1" */
        const char *eq = arg[1] == '-' ? strchr(arg, '=') : NULL;
        mqtk_usage_error(a->command, "unknown option '%.*s'", eq ? (int)(eq - arg) : (int)strlen(arg), arg);
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
