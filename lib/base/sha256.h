/* SHA-256 (FIPS 180-4), to fingerprint the suite a report certifies. */
#ifndef CF_SHA256_H
#define CF_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct cf_sha256 {
    uint32_t h[8];
    uint64_t total;
    uint8_t block[64];
    size_t fill;
} cf_sha256;

void cf_sha256_init(cf_sha256 *s);
void cf_sha256_update(cf_sha256 *s, const void *data, size_t len);
/* 64 lowercase hex digits and a NUL into hex. */
void cf_sha256_hex(cf_sha256 *s, char hex[65]);

#endif
