#include "transport_opts.h"

#include <stdlib.h>
#include <string.h>

#include "net/tls.h"
#include "commands.h"

static const mqtk_option options[] = {MQTK_TRANSPORT_OPTIONS};

int mqtk_transport_option_id(const char *name, bool *has_value)
{
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
        if (strcmp(options[i].name, name) == 0) {
            *has_value = options[i].has_value;
            return options[i].id;
        }
    return 0;
}

bool mqtk_transport_option_is(int id)
{
    return id >= MQTK_TOPT_FIRST && id <= MQTK_TOPT_LAST;
}

int mqtk_transport_option_apply(const char *command, int id, const char *value, net_opts *o)
{
    switch (id) {
    case MQTK_TOPT_CAFILE:
        o->tls.cafile = value;
        break;
    case MQTK_TOPT_CERT:
        o->tls.cert = value;
        break;
    case MQTK_TOPT_KEY:
        o->tls.key = value;
        break;
    case MQTK_TOPT_ALPN:
        if (!*value || strlen(value) > 255)
            return mqtk_usage_error(command, "--alpn takes a protocol name of 1 to 255 bytes");
        o->tls.alpn = value;
        break;
    case MQTK_TOPT_INSECURE:
        o->tls.insecure = true;
        break;
    case MQTK_TOPT_TLS_MIN:
        if (strcmp(value, "1.2") != 0 && strcmp(value, "1.3") != 0)
            return mqtk_usage_error(command, "--tls-min takes 1.2 or 1.3, not '%s'", value);
        o->tls.min_version = value[2] == '3' ? 13 : 12;
        break;
    case MQTK_TOPT_WS_FRAME: {
        char *end = (char *)value;
        long n = value[0] >= '0' && value[0] <= '9' ? strtol(value, &end, 10) : 0;
        if (n < 1 || n > 65536 || *end)
            return mqtk_usage_error(command, "--ws-frame takes a frame size from 1 to 65536 bytes, not '%s'", value);
        o->ws.frame_max = (size_t)n;
        break;
    }
    default:
        return MQTK_EXIT_USAGE;
    }
    return MQTK_EXIT_OK;
}

int mqtk_transport_check(const char *command, net_target *t)
{
    const net_tls_opts *tls = &t->opts.tls;
    const char *given = tls->cafile ? "--cafile" : tls->cert ? "--cert" : tls->key ? "--key" : tls->alpn ? "--alpn"
                        : tls->insecure ? "--insecure" : tls->min_version ? "--tls-min" : NULL;
    if (given && !net_scheme_tls(t->address.scheme))
        return mqtk_usage_error(command, "%s is a TLS option: the broker address needs mqtts:// or wss://", given);
    if (t->opts.ws.frame_max && !net_scheme_ws(t->address.scheme))
        return mqtk_usage_error(command, "--ws-frame is a WebSocket option: the broker address needs ws:// or wss://");
    if (!tls->cert != !tls->key)
        return mqtk_usage_error(command, "--cert and --key go together");
    if (tls->insecure && tls->cafile)
        return mqtk_usage_error(command, "--insecure and --cafile exclude each other");
    char err[400];
    if (net_scheme_tls(t->address.scheme) && !net_tls_prepare(&t->opts, err, sizeof err))
        return mqtk_usage_error(command, "%s", err);
    return MQTK_EXIT_OK;
}
