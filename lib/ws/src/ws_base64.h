/* Base64 (RFC 4648 section 4, with padding) for the handshake's key and accept values. */
#ifndef WS_BASE64_H
#define WS_BASE64_H

#include <stddef.h>
#include <stdint.h>

/* Write 4 * ceil(n / 3) characters and a NUL into out. */
void ws_base64_encode(const uint8_t *in, size_t n, char *out);
/* The number of bytes text decodes to, or -1 when it is not canonical padded base64. */
long ws_base64_decoded_len(const char *text, size_t len);

#endif
