/* mqtk encode: JSON Lines in the decode --json schema -> packet bytes (raw, or hex lines). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "commands.h"
#include "base/fileio.h"
#include "base/hex.h"
#include "format/json_read.h"
#include "mqtt/codec.h"
#include "output.h"
#include "format/packet_json.h"
#include "format/protocol_arg.h"
#include "base/xalloc.h"

static const char encode_help[] =
    "usage: mqtk encode [--protocol 3.1|3.1.1|5] [--direction client|server] [--hex] [FILE | -]\n"
    "\n"
    "Read JSON Lines, one packet per line in the schema 'mqtk decode --json' prints\n"
    "(docs/json-schema.md), and write the encoded packets back to back to standard output.\n"
    "Reads standard input when no FILE is given. Blank lines are skipped. Derived fields\n"
    "(offset, length, property and reason code names) are optional and ignored; so\n"
    "  mqtk decode --json FILE | mqtk encode | mqtk decode --json -\n"
    "prints the same JSON as the first decode.\n"
    "\n"
    "Options:\n"
    "  --protocol V     version for records without a \"version\" field: 3.1, 3.1.1 or 5.\n"
    "                   Default: the version of the first record when it is a CONNECT, else 5.\n"
    "  --direction D    who sends the packets: client or server; enables the one-sided rules\n"
    "  --hex            write each packet as one line of lowercase hex instead of raw bytes\n"
    "                   (raw bytes are not written to a terminal: use --hex or redirect)\n"
    "  -h, --help       show this help\n"
    "\n"
    "The encoder checks every rule the decoder checks. The first bad record stops the run;\n"
    "packets before it have been written.\n"
    "\n"
    "Exit codes:\n"
    "  0  every record was encoded\n"
    "  1  the codec refused a record (error: line L: <rule>: <description> [MQTT-x.x.x-y] ...)\n"
    "  2  usage error, JSON syntax error (line L, column C: expected ...), unknown field or type,\n"
    "     a value of the wrong JSON type or outside its field's range, unreadable input\n";

enum { OPT_PROTOCOL = 1, OPT_DIRECTION, OPT_HEX, OPT_HELP };

static const mqtk_option encode_options[] = {
    {"protocol", 0, true, OPT_PROTOCOL},
    {"direction", 0, true, OPT_DIRECTION},
    {"hex", 0, false, OPT_HEX},
    {"help", 'h', false, OPT_HELP},
};

typedef struct encode_config {
    mqtt_version version; /* 0: from the first record when it is a CONNECT, else 5 */
    mqtt_direction direction;
    bool hex;
    const char *path;
} encode_config;

static int parse_encode_args(int argc, char **argv, encode_config *cfg, bool *done)
{
    mqtk_args a;
    const char *value;
    int id;
    *done = false;
    mqtk_args_init(&a, argc, argv);
    while ((id = mqtk_args_next(&a, encode_options, sizeof encode_options / sizeof encode_options[0], &value)) !=
           MQTK_ARG_END) {
        switch (id) {
        case MQTK_ARG_ERROR:
            return MQTK_EXIT_USAGE;
        case OPT_HELP:
            fputs(encode_help, stdout);
            *done = true;
            return MQTK_EXIT_OK;
        case OPT_PROTOCOL:
            cfg->version = fmt_parse_version(value);
            if (!cfg->version)
                return mqtk_usage_error("encode", "unknown protocol version '%s' (expected 3.1, 3.1.1 or 5)", value);
            break;
        case OPT_DIRECTION:
            if (!fmt_parse_direction(value, &cfg->direction))
                return mqtk_usage_error("encode", "unknown direction '%s' (expected client or server)", value);
            break;
        case OPT_HEX:
            cfg->hex = true;
            break;
        case MQTK_ARG_POSITIONAL:
            if (cfg->path)
                return mqtk_usage_error("encode", "more than one input ('%s' and '%s')", cfg->path, value);
            cfg->path = value;
            break;
        }
    }
    if (!cfg->hex && isatty(STDOUT_FILENO))
        return mqtk_usage_error("encode", "refusing to write raw packet bytes to a terminal; use --hex or redirect");
    return MQTK_EXIT_OK;
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

/* Encode into *buf (grown as needed); the first try uses a bound from the record's size. */
static mqtt_err encode_packet(const mqtt_packet *pkt, const mqtt_encode_opts *opts, size_t bound, uint8_t **buf,
                              size_t *cap, size_t *written, mqtt_error *err)
{
    if (*cap < bound) {
        *buf = base_xrealloc(*buf, bound);
        *cap = bound;
    }
    mqtt_err e = mqtt_encode(pkt, opts, *buf, *cap, written, err);
    if (e != MQTT_ERR_BUFFER_TOO_SMALL)
        return e;
    uint32_t size;
    e = mqtt_encoded_size(pkt, opts, &size);
    if (e != MQTT_OK) {
        *err = (mqtt_error){e, 0, mqtt_err_statement(e, opts->version)};
        return e;
    }
    *buf = base_xrealloc(*buf, size);
    *cap = size;
    return mqtt_encode(pkt, opts, *buf, *cap, written, err);
}

static void write_packet(const encode_config *cfg, const uint8_t *data, size_t n)
{
    if (!cfg->hex) {
        fwrite(data, 1, n, stdout);
        return;
    }
    char *line = base_xmalloc(2 * n + 1);
    base_hex_format(data, n, line);
    fputs(line, stdout);
    fputc('\n', stdout);
    free(line);
}

typedef struct encode_state {
    const encode_config *cfg;
    mqtt_version default_version;
    bool first_record;
    uint8_t *out;
    size_t out_cap;
} encode_state;

/* One JSON Lines record (line_no counts from 1): an exit code. */
static int encode_record(encode_state *st, const char *text, size_t n, unsigned long line_no)
{
    fmt_json_value *rec;
    fmt_json_error jerr;
    if (fmt_json_parse(text, n, &rec, &jerr) != 0) {
        mqtk_flush_stdout();
        fprintf(stderr, "mqtk encode: line %lu, column %lu: %s\n", line_no + jerr.line - 1, (unsigned long)jerr.column,
                jerr.message);
        return MQTK_EXIT_USAGE;
    }
    mqtt_packet pkt;
    mqtt_version version;
    fmt_packet_store store = {NULL, 0, 0};
    fmt_packet_json_error perr;
    int rc = MQTK_EXIT_OK;
    if (fmt_packet_from_json(rec, st->default_version, &pkt, &version, &store, &perr) != 0) {
        mqtk_flush_stdout();
        fprintf(stderr, "mqtk encode: line %lu, column %lu: %s\n", line_no + perr.line - 1, (unsigned long)perr.column,
                perr.message);
        rc = MQTK_EXIT_USAGE;
    } else {
        if (st->first_record && !st->cfg->version && pkt.type == MQTT_CONNECT)
            st->default_version = version;
        mqtt_encode_opts opts = {version, st->cfg->direction, 0};
        size_t written;
        mqtt_error err = {MQTT_OK, 0, NULL};
        if (encode_packet(&pkt, &opts, 2 * n + 256, &st->out, &st->out_cap, &written, &err) != MQTT_OK) {
            char msg[512];
            mqtt_error_format(&err, msg, sizeof msg);
            mqtk_flush_stdout();
            fprintf(stderr, "error: line %lu: %s %s: %s\n", line_no, mqtt_version_name(version),
                    mqtt_packet_type_name(pkt.type), msg);
            rc = MQTK_EXIT_FINDING;
        } else {
            write_packet(st->cfg, st->out, written);
        }
    }
    st->first_record = false;
    fmt_packet_store_free(&store);
    fmt_json_free(rec);
    return rc;
}

static int encode_lines(const encode_config *cfg, const char *text, size_t len)
{
    encode_state st = {cfg, cfg->version ? cfg->version : MQTT_V5, true, NULL, 0};
    int rc = MQTK_EXIT_OK;
    unsigned long line_no = 0;
    size_t pos = 0;
    while (pos < len && rc == MQTK_EXIT_OK && !ferror(stdout)) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        line_no++;
        if (!blank(text + pos, end - pos))
            rc = encode_record(&st, text + pos, end - pos, line_no);
        pos = end + 1;
    }
    free(st.out);
    mqtk_flush_stdout(); /* a failed write is reported, exit 2, by main() for every command */
    return rc;
}

int mqtk_cmd_encode(int argc, char **argv)
{
    encode_config cfg = {0, MQTT_DIR_UNKNOWN, false, NULL};
    bool done;
    int rc = parse_encode_args(argc, argv, &cfg, &done);
    if (rc != MQTK_EXIT_OK || done)
        return rc;
    const char *path = cfg.path ? cfg.path : "-";
    uint8_t *data;
    size_t len;
    if (base_read_input(path, &data, &len) != 0)
        return mqtk_usage_error("encode", "cannot read '%s': %s", path, strerror(errno));
    rc = encode_lines(&cfg, (const char *)data, len);
    free(data);
    return rc;
}
