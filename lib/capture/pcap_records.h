/* Classic pcap records read in place, the fast path of lib/capture's input: libpcap opens and checks
 * the file, then the plain records (whole, within the snapshot length) are walked here, straight
 * out of large reads, instead of two freads each through libpcap (about 370 instructions a frame).
 * The first record that is not plain, and whatever follows it, goes back to libpcap, so every
 * damaged or unusual file reads, and is reported, exactly as libpcap reads it. */
#ifndef CAP_PCAP_RECORDS_H
#define CAP_PCAP_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { CAP_PCAP_FILE_HEADER = 24, CAP_PCAP_RECORD_HEADER = 16 };

/* A record's header as libpcap's struct pcap_pkthdr gives it at nanosecond precision. */
typedef struct cap_record {
    int64_t sec;
    long frac; /* nanoseconds, unchecked: a classic pcap's fraction may be a second or more */
    uint32_t caplen, len;
} cap_record;
typedef void (*cap_record_fn)(void *ctx, const cap_record *rec, const uint8_t *data);

typedef struct cap_records {
    uint32_t ts_scale;   /* to nanoseconds: 1000 (the file counts microseconds) or 1 */
    uint32_t max_caplen; /* the longest record walked here: the snapshot length, at most libpcap's 262144 */
} cap_records;

/* Whether the file header at h (CAP_PCAP_FILE_HEADER bytes) is one whose records are walked here:
 * classic pcap 2.4, in this machine's byte order (what libpcap passes through unchanged). Sets
 * ts_scale; max_caplen is the caller's, from libpcap's pcap_snapshot. */
bool cap_records_header(const uint8_t *h, cap_records *w);

/* Hand each plain record at data[0..len) to fn(ctx, header, bytes) as pcap_loop would; returns the
 * bytes those records took.
 * *not_plain: the walk stopped at a whole record header it leaves to libpcap (caplen above
 * max_caplen), rather than at the end of the data. */
size_t cap_records_walk(const cap_records *w, const uint8_t *data, size_t len, cap_record_fn fn, void *ctx,
                        bool *not_plain);

#endif
