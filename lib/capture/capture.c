/* libpcap input: open a file, standard input or a memory buffer, check the link type, and feed
 * every record to the frame pipeline. A read error part-way (a truncated file, a corrupt record)
 * ends the capture as damaged, naming the last good frame; what came before is still decoded. */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1 /* pcap.h needs the BSD u_int / u_char types, also when built outside lib/capture/ (fuzz/pcap.c) */
#endif
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "frame_pipeline.h"
#include "link_layer.h"
#include "capture.h"
#include "pcap_records.h"

void cap_pcap_opts_init(cap_pcap_opts *opts)
{
    memset(opts, 0, sizeof *opts);
}

/* A record's timestamp with the fraction below one second. A classic pcap record carries its
 * fraction as a raw 32-bit field, up to 4.29 s, that libpcap passes on unchecked. */
static void record_time(int64_t s, long frac, int64_t *sec, uint32_t *nsec)
{
    const long ns_per_sec = 1000000000;
    if (frac >= 0 && frac < ns_per_sec) { /* the usual case: no carry */
        *sec = s;
        *nsec = (uint32_t)frac;
        return;
    }
    long carry = frac / ns_per_sec;
    frac %= ns_per_sec;
    if (frac < 0) {
        frac += ns_per_sec;
        carry -= 1;
    }
    if (carry > 0)
        s = s > INT64_MAX - carry ? INT64_MAX : s + carry;
    else if (carry < 0)
        s = s < INT64_MIN - carry ? INT64_MIN : s + carry;
    *sec = s;
    *nsec = (uint32_t)frac;
}

typedef struct frame_reader {
    cap_frame_pipeline *pipeline;
    uint64_t frame; /* records read so far */
} frame_reader;

static void on_frame(frame_reader *r, int64_t s, long frac, const uint8_t *data, uint32_t caplen, uint32_t len)
{
    int64_t sec;
    uint32_t nsec;
    record_time(s, frac, &sec, &nsec);
    cap_frame_pipeline_frame(r->pipeline, ++r->frame, sec, nsec, data, caplen, len);
}

static void on_record(u_char *user, const struct pcap_pkthdr *hdr, const u_char *data)
{
    on_frame((frame_reader *)(void *)user, (int64_t)hdr->ts.tv_sec, (long)hdr->ts.tv_usec, data, hdr->caplen,
             hdr->len);
}

static void on_walked_record(void *ctx, const cap_record *rec, const uint8_t *data)
{
    on_frame(ctx, rec->sec, rec->frac, data, rec->caplen, rec->len);
}

/* The in-place fast path (pcap_records.h): read fp in chunks of up to `chunk` bytes, walk the plain
 * records, then put fp at the first record not walked, where libpcap goes on. False: fp could not
 * be put back there (the records before it were read). */
static bool walk_records(pcap_t *pc, FILE *fp, cap_records *w, size_t chunk, frame_reader *r)
{
    const int snap = pcap_snapshot(pc);
    w->max_caplen = snap > 0 ? (uint32_t)snap : 0;
    off_t at = ftello(fp);
    uint8_t *buf = at == CAP_PCAP_FILE_HEADER ? malloc(chunk) : NULL;
    if (!buf)
        return true; /* libpcap reads it all, as it would have */
    size_t have = 0;
    for (;;) {
        size_t n = fread(buf + have, 1, chunk - have, fp);
        have += n;
        bool not_plain;
        size_t used = cap_records_walk(w, buf, have, on_walked_record, r, &not_plain);
        at += (off_t)used;
        have -= used;
        memmove(buf, buf + used, have);
        if (not_plain || n == 0 || have == chunk) /* libpcap's turn; at the end, it sees the end */
            break;
    }
    free(buf);
    return fseeko(fp, at, SEEK_SET) == 0;
}

static cap_pcap_status run(pcap_t *pc, const cap_pcap_opts *opts, cap_event_sink sink, void *ctx,
                           cap_pcap_totals *totals, char *err, size_t errcap, FILE *walk_fp, cap_records *walk,
                           size_t chunk)
{
    int dlt = pcap_datalink(pc);
    if (!cap_link_type_supported(dlt)) {
        const char *name = pcap_datalink_val_to_name(dlt);
        snprintf(err, errcap, "unsupported link type %d (%s): mqtk reads Ethernet, Linux cooked (SLL, SLL2), raw IP "
                              "and BSD loopback captures", dlt, name ? name : "unknown");
        pcap_close(pc);
        return CAP_PCAP_UNREADABLE;
    }
    cap_frame_pipeline p;
    if (!cap_frame_pipeline_init(&p, dlt, opts, sink, ctx, totals)) {
        snprintf(err, errcap, "out of memory");
        pcap_close(pc);
        return CAP_PCAP_UNREADABLE;
    }
    /* pcap_loop hands every record to one callback: pcap_next_ex would go through the same read
     * plus a one-shot callback and a call per record. */
    frame_reader r = {.pipeline = &p, .frame = 0};
    int rc = 0;
    if (walk_fp && !pcap_is_swapped(pc) && !walk_records(pc, walk_fp, walk, chunk, &r)) {
        totals->damaged = true;
        snprintf(totals->damage, sizeof totals->damage, "capture damaged after frame %llu: cannot seek back to it",
                 (unsigned long long)r.frame);
        rc = 1; /* not PCAP_ERROR: the message is said */
    }
    if (rc == 0)
        rc = pcap_loop(pc, -1, on_record, (u_char *)&r);
    uint64_t frame = r.frame;
    if (rc == PCAP_ERROR) {
        totals->damaged = true;
        snprintf(totals->damage, sizeof totals->damage, "capture damaged after frame %llu: %s",
                 (unsigned long long)frame, pcap_geterr(pc));
    }
    cap_frame_pipeline_finish(&p);
    pcap_close(pc);
    return CAP_PCAP_OK;
}

static void clear(cap_pcap_totals *totals, char *err, size_t errcap)
{
    memset(totals, 0, sizeof *totals);
    if (errcap)
        err[0] = '\0';
}

cap_pcap_status cap_pcap_read_file(const char *path, const cap_pcap_opts *opts, cap_event_sink sink, void *ctx,
                                   cap_pcap_totals *totals, char *err, size_t errcap)
{
    clear(totals, err, errcap);
    char pcap_err[PCAP_ERRBUF_SIZE];
    /* A file gets a 1 MiB stdio buffer: libpcap reads each record with two small freads, which
     * through the default 4 KiB buffer made a read(2) per 4 KiB of capture. Standard input, or a
     * file fopen refuses, goes through libpcap's own opening (and its error message). */
    enum { READ_BUFFER = 1 << 20 };
    FILE *fp = strcmp(path, "-") != 0 ? fopen(path, "rb") : NULL;
    /* a classic pcap is walked in place (pcap_records.h) out of 1 MiB reads of its own: then stdio's
     * buffer stays small, as libpcap reads only the header and whatever the walk leaves */
    uint8_t head[CAP_PCAP_FILE_HEADER];
    cap_records walk;
    const bool walked = fp && pread(fileno(fp), head, sizeof head, 0) == (ssize_t)sizeof head &&
                        cap_records_header(head, &walk);
    char *buffer = fp && !walked ? malloc(READ_BUFFER) : NULL;
    if (buffer)
        setvbuf(fp, buffer, _IOFBF, READ_BUFFER);
    /* nanosecond timestamps: libpcap scales microsecond files up, so tv_usec always holds nanoseconds */
    pcap_t *pc = fp ? pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, pcap_err)
                    : pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, pcap_err);
    if (!pc) {
        if (fp) /* libpcap leaves the stream to the caller when it fails */
            fclose(fp);
        free(buffer);
        snprintf(err, errcap, "cannot read %s as a pcap or pcapng capture: %s", path, pcap_err);
        return CAP_PCAP_UNREADABLE;
    }
    cap_pcap_status st = run(pc, opts, sink, ctx, totals, err, errcap, walked ? fp : NULL, &walk,
                             READ_BUFFER); /* closes fp */
    free(buffer);
    return st;
}

cap_pcap_status cap_pcap_read_buffer(const uint8_t *data, size_t len, const cap_pcap_opts *opts, cap_event_sink sink,
                                     void *ctx, cap_pcap_totals *totals, char *err, size_t errcap)
{
    clear(totals, err, errcap);
    if (len == 0) {
        snprintf(err, errcap, "empty input is not a capture");
        return CAP_PCAP_UNREADABLE;
    }
    FILE *fp = fmemopen((void *)data, len, "rb"); /* read-only: fmemopen does not write in "r" mode */
    if (!fp) {
        snprintf(err, errcap, "cannot open the buffer as a stream");
        return CAP_PCAP_UNREADABLE;
    }
    char pcap_err[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, pcap_err);
    if (!pc) { /* libpcap leaves the stream to the caller when it fails */
        fclose(fp);
        snprintf(err, errcap, "not a pcap or pcapng capture: %s", pcap_err);
        return CAP_PCAP_UNREADABLE;
    }
    /* the same in-place walk as for a file, in chunks no larger than the input */
    cap_records walk;
    const bool walked = len >= CAP_PCAP_FILE_HEADER && cap_records_header(data, &walk);
    enum { CHUNK = 1 << 20 };
    return run(pc, opts, sink, ctx, totals, err, errcap, walked ? fp : NULL, &walk, len < CHUNK ? len : CHUNK);
}

/* The decimal digits of v (at most 65535) at out; returns the end. */
static char *decimal(char *out, unsigned v)
{
    char digits[5];
    size_t k = 0;
    do {
        digits[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (k)
        *out++ = digits[--k];
    return out;
}

int cap_endpoint_format(const cap_endpoint *ep, char *buf, size_t cap)
{
    if (ep->family == 4) { /* "%u.%u.%u.%u:%u" by hand: every event of a listing prints two */
        char text[24], *end = text;
        for (int i = 0; i < 4; i++) {
            uint8_t b = ep->addr[i];
            if (b >= 100)
                *end++ = (char)('0' + b / 100);
            if (b >= 10)
                *end++ = (char)('0' + b / 10 % 10);
            *end++ = (char)('0' + b % 10);
            *end++ = i < 3 ? '.' : ':';
        }
        end = decimal(end, ep->port);
        size_t n = (size_t)(end - text);
        if (cap) {
            size_t copy = n < cap ? n : cap - 1;
            memcpy(buf, text, copy);
            buf[copy] = '\0';
        }
        return (int)n;
    }
    /* IPv6: the RFC 5952 text form (longest zero run as ::, lower-case hex), in brackets */
    char text[64];
    size_t n = 0;
    int best = -1, best_len = 0;
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && ep->addr[2 * j] == 0 && ep->addr[2 * j + 1] == 0)
            j++;
        if (j - i > best_len && j - i > 1) {
            best = i;
            best_len = j - i;
        }
        i = j > i ? j : i + 1;
    }
    for (int i = 0; i < 8; i++) {
        if (i == best) {
            n += (size_t)snprintf(text + n, sizeof text - n, "::");
            i += best_len - 1;
            continue;
        }
        unsigned word = (unsigned)ep->addr[2 * i] << 8 | ep->addr[2 * i + 1];
        n += (size_t)snprintf(text + n, sizeof text - n, "%s%x", (i && i != best + best_len) ? ":" : "", word);
    }
    return snprintf(buf, cap, "[%s]:%u", text, ep->port);
}
