/* mqtk decode: a byte stream of MQTT packets -> readable text or JSON Lines. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "base/fileio.h"
#include "base/hex.h"
#include "format/json_write.h"
#include "mqtt/codec.h"
#include "output.h"
#include "format/packet_json.h"
#include "format/packet_text.h"
#include "format/protocol_arg.h"
#include "base/xalloc.h"

static const char decode_help[] =
    "usage: mqtk decode [--protocol 3.1|3.1.1|5] [--direction client|server] [--json]\n"
    "                   (--hex HEX | FILE | -)\n"
    "\n"
    "Decode a byte stream of one or more MQTT control packets and validate every packet\n"
    "against the rules of the standard.\n"
    "\n"
    "Input (exactly one):\n"
    "  --hex HEX        the bytes as hex: digit pairs, optionally separated by spaces or ':',\n"
    "                   groups may start with 0x (\"10 0c 00 04\", \"10:0c\", \"0x100c\")\n"
    "  FILE             a file holding the raw bytes\n"
    "  -                raw bytes from standard input\n"
    "\n"
    "Options:\n"
    "  --protocol V     protocol version of the stream: 3.1, 3.1.1 or 5 (also 5.0).\n"
    "                   Default: when the stream starts with a CONNECT, the version it announces\n"
    "                   (its protocol level); otherwise 5. A CONNECT is always read by its own level.\n"
    "  --direction D    who sent the bytes: client or server. Enables the rules that bind one side\n"
    "                   only (e.g. no Subscription Identifier in a PUBLISH from a client).\n"
    "                   Default: unknown, those rules are not checked.\n"
    "  --json           one JSON object per packet (JSON Lines), schema in docs/json-schema.md\n"
    "  -h, --help       show this help\n"
    "\n"
    "Errors go to standard error as\n"
    "  error: <rule>: <description> [MQTT-x.x.x-y] at byte N\n"
    "where N counts from the start of the stream; packets before the error are still printed.\n"
    "\n"
    "Exit codes:\n"
    "  0  the bytes are exactly a sequence of complete, well-formed packets\n"
    "  1  a packet is malformed, or the input ends inside a packet (truncated)\n"
    "  2  usage error: unknown option, bad hex, unreadable or empty input, or the output\n"
    "     cannot be written\n";

enum { OPT_PROTOCOL = 1, OPT_DIRECTION, OPT_JSON, OPT_HEX, OPT_HELP };

static const mqtk_option decode_options[] = {
    {"protocol", 0, true, OPT_PROTOCOL}, {"direction", 0, true, OPT_DIRECTION}, {"json", 0, false, OPT_JSON},
    {"hex", 0, true, OPT_HEX},           {"help", 'h', false, OPT_HELP},
};

typedef struct decode_config {
    mqtt_version version; /* 0: detect */
    mqtt_direction direction;
    bool json;
    const char *hex;
    const char *path;
} decode_config;

/* 0 to go on, or an exit code (help printed or usage error). */
static int parse_decode_args(int argc, char **argv, decode_config *cfg, bool *done)
{
    mqtk_args a;
    const char *value;
    int id;
    *done = false;
    mqtk_args_init(&a, argc, argv);
    while ((id = mqtk_args_next(&a, decode_options, sizeof decode_options / sizeof decode_options[0], &value)) !=
           MQTK_ARG_END) {
        switch (id) {
        case MQTK_ARG_ERROR:
            return MQTK_EXIT_USAGE;
        case OPT_HELP:
            fputs(decode_help, stdout);
            *done = true;
            return MQTK_EXIT_OK;
        case OPT_PROTOCOL:
            cfg->version = fmt_parse_version(value);
            if (!cfg->version)
                return mqtk_usage_error("decode", "unknown protocol version '%s' (expected 3.1, 3.1.1 or 5)", value);
            break;
        case OPT_DIRECTION:
            if (!fmt_parse_direction(value, &cfg->direction))
                return mqtk_usage_error("decode", "unknown direction '%s' (expected client or server)", value);
            break;
        case OPT_JSON:
            cfg->json = true;
            break;
        case OPT_HEX:
            cfg->hex = value;
            break;
        case MQTK_ARG_POSITIONAL:
            if (cfg->path)
                return mqtk_usage_error("decode", "more than one input ('%s' and '%s')", cfg->path, value);
            cfg->path = value;
            break;
        }
    }
    if (cfg->hex && cfg->path)
        return mqtk_usage_error("decode", "give either --hex or an input file, not both");
    if (!cfg->hex && !cfg->path)
        return mqtk_usage_error("decode", "no input: give --hex HEX, a FILE, or - for standard input");
    return MQTK_EXIT_OK;
}

static int load_input(const decode_config *cfg, uint8_t **data, size_t *len)
{
    if (cfg->hex) {
        size_t n = strlen(cfg->hex);
        base_hex_error herr;
        *data = base_xmalloc(n / 2 + 1);
        if (!base_hex_parse(cfg->hex, n, *data, len, &herr)) {
            free(*data);
            *data = NULL;
            return mqtk_usage_error("decode", "bad --hex at character %zu: %s", herr.column, herr.message);
        }
        return MQTK_EXIT_OK;
    }
    if (base_read_input(cfg->path, data, len) != 0)
        return mqtk_usage_error("decode", "cannot read '%s': %s", cfg->path, strerror(errno));
    return MQTK_EXIT_OK;
}

static void report_error(const mqtt_error *err, size_t packet_offset)
{
    char msg[512];
    mqtt_error_format_at(err, packet_offset, msg, sizeof msg); /* 64 bits: no wrap past 4 GiB */
    mqtk_flush_stdout();
    fprintf(stderr, "error: %s\n", msg);
}

static void report_truncated(size_t packet_offset, uint32_t need, size_t have)
{
    mqtt_error at = {MQTT_ERR_TRUNCATED, 0, NULL};
    char msg[512];
    mqtt_error_format_at(&at, packet_offset, msg, sizeof msg);
    mqtk_flush_stdout();
    fprintf(stderr, "error: %s: the packet starting there needs at least %lu bytes, only %zu remain\n", msg,
            (unsigned long)need, have);
}

static int decode_stream(const decode_config *cfg, const uint8_t *data, size_t len)
{
    mqtt_decode_opts opts = {.version = cfg->version, .direction = cfg->direction};
    if (!opts.version) {
        mqtt_version announced = mqtt_version_from_level(mqtt_peek_connect_level(data, len));
        opts.version = announced ? announced : MQTT_V5;
    }
    fmt_json_writer w;
    fmt_jw_init(&w);
    int rc = MQTK_EXIT_OK;
    size_t off = 0;
    while (off < len) {
        mqtt_packet pkt;
        mqtt_frame frame;
        mqtt_result r = mqtt_decode(data + off, len - off, &opts, &pkt, &frame);
        if (r == MQTT_NEED_MORE) {
            report_truncated(off, frame.need, len - off);
            rc = MQTK_EXIT_FINDING;
            break;
        }
        if (r != MQTT_COMPLETE) {
            report_error(&frame.error, off);
            rc = MQTK_EXIT_FINDING;
            break;
        }
        mqtt_version v = opts.version;
        if (pkt.type == MQTT_CONNECT && mqtt_version_from_level(pkt.u.connect.protocol_level))
            v = mqtt_version_from_level(pkt.u.connect.protocol_level);
        if (cfg->json) {
            fmt_packet_json_write(&w, &pkt, v, off, frame.packet_len);
            fmt_jw_flush(&w, stdout);
            fputc('\n', stdout);
        } else {
            if (off > 0)
                fputc('\n', stdout);
            static fmt_text_out text; /* 32 KiB: static, not on the stack */
            fmt_txt_init(&text, stdout);
            fmt_packet_text_write(&text, &pkt, v, off, frame.packet_len);
            fmt_txt_flush(&text);
        }
        off += frame.packet_len;
        if (ferror(stdout)) { /* the output is lost anyway; main() reports it, exit 2 */
            mqtk_flush_stdout();
            break;
        }
    }
    fmt_jw_free(&w);
    mqtk_flush_stdout();
    return rc;
}

int mqtk_cmd_decode(int argc, char **argv)
{
    decode_config cfg = {0, MQTT_DIR_UNKNOWN, false, NULL, NULL};
    bool done;
    int rc = parse_decode_args(argc, argv, &cfg, &done);
    if (rc != MQTK_EXIT_OK || done)
        return rc;
    uint8_t *data;
    size_t len;
    rc = load_input(&cfg, &data, &len);
    if (rc != MQTK_EXIT_OK)
        return rc;
    if (len == 0) { /* nothing decoded is not "every packet is well-formed" */
        free(data);
        fprintf(stderr, "mqtk decode: error: the input (%s) is empty: no bytes to decode\n",
                cfg.hex ? "--hex" : strcmp(cfg.path, "-") == 0 ? "standard input" : cfg.path);
        return MQTK_EXIT_USAGE;
    }
    rc = decode_stream(&cfg, data, len);
    free(data);
    return rc;
}
