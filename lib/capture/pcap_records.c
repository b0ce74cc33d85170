/* Classic pcap records in place: the 16-byte record header (seconds, fraction, captured length,
 * original length; 32 bits each in the file's byte order, here the machine's) and the bytes. */
#include "pcap_records.h"

#include <string.h>

#define PCAP_MAGIC_USEC 0xa1b2c3d4u
#define PCAP_MAGIC_NSEC 0xa1b23c4du
#define LIBPCAP_MAX_SNAPLEN 262144u /* libpcap refuses longer records of the link types mqtk reads */

static uint32_t u32_at(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

bool cap_records_header(const uint8_t *h, cap_records *w)
{
    const uint32_t magic = u32_at(h);
    uint16_t major, minor;
    memcpy(&major, h + 4, 2);
    memcpy(&minor, h + 6, 2);
    if ((magic != PCAP_MAGIC_USEC && magic != PCAP_MAGIC_NSEC) || major != 2 || minor != 4)
        return false; /* pcapng, the other byte order, old versions (lengths maybe swapped): libpcap */
    w->ts_scale = magic == PCAP_MAGIC_USEC ? 1000 : 1;
    w->max_caplen = 0;
    return true;
}

size_t cap_records_walk(const cap_records *w, const uint8_t *data, size_t len, cap_record_fn fn, void *ctx,
                        bool *not_plain)
{
    const uint32_t max_caplen = w->max_caplen < LIBPCAP_MAX_SNAPLEN ? w->max_caplen : LIBPCAP_MAX_SNAPLEN;
    size_t at = 0;
    *not_plain = false;
    while (len - at >= CAP_PCAP_RECORD_HEADER) {
        const uint8_t *h = data + at;
        const uint32_t caplen = u32_at(h + 8);
        if (caplen > max_caplen) { /* libpcap cuts it to the snapshot length, or refuses it */
            *not_plain = true;
            break;
        }
        if (len - at - CAP_PCAP_RECORD_HEADER < caplen)
            break; /* not all here yet */
        /* as libpcap: both fields are signed 32-bit in the file, the fraction scaled in a long */
        const cap_record rec = {.sec = (int32_t)u32_at(h),
                                .frac = (long)(int32_t)u32_at(h + 4) * (long)w->ts_scale,
                                .caplen = caplen,
                                .len = u32_at(h + 12)};
        fn(ctx, &rec, h + CAP_PCAP_RECORD_HEADER);
        at += CAP_PCAP_RECORD_HEADER + caplen;
    }
    return at;
}
