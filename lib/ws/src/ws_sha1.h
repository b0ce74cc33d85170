/* SHA-1 (FIPS 180-4) for Sec-WebSocket-Accept only: the handshake hashes 60 bytes once per
 * connection, so a small local digest keeps libmqtkws free of a crypto library. Not for security. */
#ifndef WS_SHA1_H
#define WS_SHA1_H

#include <stddef.h>
#include <stdint.h>

typedef struct ws_sha1 {
    uint32_t h[5];
    uint64_t total;    /* bytes hashed */
    uint8_t block[64];
    size_t used;       /* bytes in block */
} ws_sha1;

void ws_sha1_init(ws_sha1 *s);
void ws_sha1_update(ws_sha1 *s, const void *data, size_t n);
void ws_sha1_final(ws_sha1 *s, uint8_t digest[20]);

#endif
