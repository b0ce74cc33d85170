/* SHA-256 (FIPS 180-4), to fingerprint the suite a report certifies. */
#ifndef BASE_SHA256_H
#define BASE_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct base_sha256 {
    uint32_t h[8];
    uint64_t total;
    uint8_t block[64];
    size_t fill;
} base_sha256;

void base_sha256_init(base_sha256 *s);
void base_sha256_update(base_sha256 *s, const void *data, size_t len);
/* 64 lowercase hex digits and a NUL into hex. */
void base_sha256_hex(base_sha256 *s, char hex[65]);

#endif
