/* mqtk pcap: decode the MQTT in a capture file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "capture/capture.h"
#include "format/json_write.h"
#include "format/text_out.h"
#include "capture/capture.h"
#include "pcap_output.h"

static const char pcap_help[] =
    "usage: mqtk pcap [-V | --json | --summary] [--port N ...] [--stream ID] (FILE | -)\n"
    "\n"
    "Decode every MQTT packet in a capture (pcap or pcapng, read with libpcap; - is standard\n"
    "input). Link types: Ethernet (with VLAN tags), Linux cooked SLL and SLL2, raw IP, BSD\n"
    "loopback. IPv4 and IPv6 (extension headers walked). TCP is reassembled per direction:\n"
    "out-of-order segments, retransmissions and overlaps are handled; bytes missing from the\n"
    "capture are reported as a GAP and decoding resynchronises on the next packet boundary.\n"
    "\n"
    "A TCP connection is decoded as MQTT when one side uses port 1883 or a --port, or when\n"
    "the client's first bytes are a CONNECT. Its version is the one its CONNECT announces;\n"
    "without a CONNECT, 5.0 is assumed until a packet decodes only as 3.1.1 (said in a\n"
    "VERSION line).\n"
    "\n"
    "Options:\n"
    "  -V, --verbose    under each packet's line, every field of the packet (the listing of\n"
    "                   'mqtk decode', in the layout of tshark -V)\n"
    "  --json           JSON Lines: one object per event; packets carry the capture metadata\n"
    "                   and, under \"packet\", what 'mqtk decode --json' prints\n"
    "  --summary        instead of one line per packet: per-stream rows, packet counts by\n"
    "                   type and findings by rule (a single JSON object with --json)\n"
    "  --port N         also decode TCP port N as MQTT (repeatable)\n"
    "  --stream ID      decode only TCP stream ID (streams are numbered from 0 in order of\n"
    "                   appearance)\n"
    "  -h, --help       show this help\n"
    "\n"
    "Text output, one line per event:\n"
    "  FRAME TIME #STREAM SRC -> DST C->S|S->C WHAT\n"
    "TIME is seconds since the first frame; C->S is client to server. WHAT is the packet\n"
    "summary, or MALFORMED / TRUNCATED (rule, statement ID, byte offset in the packet), GAP,\n"
    "RESYNC, VERSION or WARNING (a frame that could not be read in full).\n"
    "\n"
    "Exit codes:\n"
    "  0  the capture was read and every MQTT packet in it is well-formed\n"
    "  1  a finding: a malformed or truncated MQTT packet, bytes missing from the capture\n"
    "     (gap, frame cut by the snapshot length, IP fragment), or a damaged capture file\n"
    "  2  usage error, or the input cannot be read as a capture (not pcap/pcapng, unknown\n"
    "     link type, unreadable file), or it holds no stream --stream ID\n";

enum { OPT_JSON = 1, OPT_SUMMARY, OPT_VERBOSE, OPT_PORT, OPT_STREAM, OPT_HELP };

static const mqtk_option pcap_options[] = {
    {"json", 0, false, OPT_JSON},    {"summary", 0, false, OPT_SUMMARY}, {"verbose", 'V', false, OPT_VERBOSE},
    {"port", 0, true, OPT_PORT},     {"stream", 0, true, OPT_STREAM},    {"help", 'h', false, OPT_HELP},
};

typedef struct pcap_config {
    bool json, summary, verbose;
    const char *path;
    cap_pcap_opts opts;
} pcap_config;

static bool parse_number(const char *s, unsigned long long max, unsigned long long *out)
{
    if (!*s || *s == '-' || *s == '+')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno || v > max)
        return false;
    *out = v;
    return true;
}

/* 0 to go on, or an exit code (help printed or usage error). */
static int parse_pcap_args(int argc, char **argv, pcap_config *cfg, bool *done)
{
    mqtk_args a;
    const char *value;
    int id;
    unsigned long long n;
    int port;
    *done = false;
    mqtk_args_init(&a, argc, argv);
    while ((id = mqtk_args_next(&a, pcap_options, sizeof pcap_options / sizeof pcap_options[0], &value)) !=
           MQTK_ARG_END) {
        switch (id) {
        case MQTK_ARG_ERROR:
            return MQTK_EXIT_USAGE;
        case OPT_HELP:
            fputs(pcap_help, stdout);
            *done = true;
            return MQTK_EXIT_OK;
        case OPT_JSON:
            cfg->json = true;
            break;
        case OPT_SUMMARY:
            cfg->summary = true;
            break;
        case OPT_VERBOSE:
            cfg->verbose = true;
            break;
        case OPT_PORT:
            if (mqtk_arg_int("pcap", "port", value, 1, 65535, "a TCP port", &port))
                return MQTK_EXIT_USAGE;
            if (cfg->opts.port_count == CAP_PCAP_MAX_PORTS)
                return mqtk_usage_error("pcap", "at most %d --port options", CAP_PCAP_MAX_PORTS);
            cfg->opts.ports[cfg->opts.port_count++] = (uint16_t)port;
            break;
        case OPT_STREAM:
            if (!parse_number(value, UINT64_MAX, &n))
                return mqtk_usage_error("pcap", "--stream needs a stream number, got '%s'", value);
            cfg->opts.only_stream = true;
            cfg->opts.stream_id = n;
            break;
        case MQTK_ARG_POSITIONAL:
            if (cfg->path)
                return mqtk_usage_error("pcap", "more than one capture ('%s' and '%s')", cfg->path, value);
            cfg->path = value;
            break;
        default:
            break;
        }
    }
    if (!cfg->path)
        return mqtk_usage_error("pcap", "no capture: give a FILE, or - for standard input");
    if (cfg->verbose && (cfg->json || cfg->summary))
        return mqtk_usage_error("pcap", "-V lists fields in the text output: not with %s",
                                cfg->json ? "--json (its objects carry every field)" : "--summary");
    return MQTK_EXIT_OK;
}

static bool has_findings(const cap_pcap_totals *t)
{
    return t->malformed || t->truncated || t->gaps || t->frame_warnings || t->ws_errors || t->damaged;
}

int mqtk_cmd_pcap(int argc, char **argv)
{
    pcap_config cfg = {0};
    cap_pcap_opts_init(&cfg.opts);
    bool done;
    int rc = parse_pcap_args(argc, argv, &cfg, &done);
    if (rc != MQTK_EXIT_OK || done)
        return rc;

    cap_pcap_totals totals;
    fmt_json_writer json;
    fmt_jw_init(&json);
    static fmt_text_out text; /* 32 KiB: static, not on the stack */
    fmt_txt_init(&text, stdout);
    pcap_printer printer = {stdout, &totals, &text, cfg.verbose, &json, NULL};
    printer.streams = calloc(PCAP_STREAM_SLOTS, sizeof *printer.streams); /* NULL: formatted every time */
    pcap_summary *summary = NULL;
    cap_event_sink sink = cfg.json ? pcap_print_json : pcap_print_text;
    void *ctx = &printer;
    if (cfg.summary) {
        summary = pcap_summary_new(stderr);
        if (!summary) {
            fputs("mqtk pcap: out of memory\n", stderr);
            return MQTK_EXIT_USAGE;
        }
        sink = pcap_summary_event;
        cfg.opts.counts_only = true; /* it reads no packet event: the totals count them */
        ctx = summary;
    }
    char err[512];
    cap_pcap_status st = cap_pcap_read_file(cfg.path, &cfg.opts, sink, ctx, &totals, err, sizeof err);
    pcap_printer_flush(&printer);
    fmt_jw_free(&json);
    free(printer.streams);
    if (st != CAP_PCAP_OK) {
        fprintf(stderr, "mqtk pcap: error: %s\n", err);
        pcap_summary_free(summary);
        return MQTK_EXIT_USAGE;
    }
    if (cfg.opts.only_stream && cfg.opts.stream_id >= totals.streams) {
        /* printing nothing would look like a stream without MQTT: say the ID is not there */
        char range[64] = "";
        if (totals.streams)
            snprintf(range, sizeof range, " (#0 to #%llu)", (unsigned long long)totals.streams - 1);
        fflush(stdout);
        fprintf(stderr, "mqtk pcap: error: no TCP stream %llu in %s: it holds %llu TCP stream%s%s\n",
                (unsigned long long)cfg.opts.stream_id, cfg.path, (unsigned long long)totals.streams,
                totals.streams == 1 ? "" : "s", range);
        if (totals.damaged)
            fprintf(stderr, "mqtk pcap: error: %s\n", totals.damage);
        pcap_summary_free(summary);
        return MQTK_EXIT_USAGE;
    }
    if (summary)
        pcap_summary_print(summary, &totals, cfg.path, cfg.json, stdout);
    pcap_summary_free(summary);
    fflush(stdout);
    if (totals.damaged)
        fprintf(stderr, "mqtk pcap: error: %s\n", totals.damage);
    return has_findings(&totals) ? MQTK_EXIT_FINDING : MQTK_EXIT_OK;
}
