/* The cleartext start of a TLS connection: the record header that tells TLS from other protocols,
 * and the ClientHello / ServerHello fields a capture report shows (versions, server name). Bounded
 * reads of the first record only; nothing is decrypted. */
#ifndef CAP_TLS_HELLO_H
#define CAP_TLS_HELLO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture.h"

/* A TLS record header is 5 bytes; a record carries at most 2^14 bytes plus expansion. */
enum { CAP_TLS_RECORD_HEADER = 5, CAP_TLS_RECORD_MAX = 18432 };

typedef enum cap_tls_sniff {
    CAP_TLS_SNIFF_NO = 0, /* not a TLS handshake record */
    CAP_TLS_SNIFF_MORE,   /* could be: *need bytes are needed */
    CAP_TLS_SNIFF_YES     /* a whole handshake record is there */
} cap_tls_sniff;

/* Whether buf starts with a TLS handshake record (type 22, version 3.x); *need its full length. */
cap_tls_sniff cap_tls_sniff_record(const uint8_t *buf, size_t len, size_t *need);

/* Read the ClientHello in the record at buf into info; false when it is not one. */
bool cap_tls_parse_client_hello(const uint8_t *buf, size_t len, cap_tls_info *info);
/* Read the ServerHello in the record at buf into info->selected; false when it is not one. */
bool cap_tls_parse_server_hello(const uint8_t *buf, size_t len, cap_tls_info *info);

/* "TLS 1.2", "SSL 3.0", or "0x7f1c" for an unknown value, into buf. */
void cap_tls_version_name(uint16_t version, char *buf, size_t cap);

#endif
