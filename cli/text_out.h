/* Plain text onto a stdio stream without printf. The packet printers run once per packet of a
 * capture, where printf's parsing of its format string cost more than decoding the packet. */
#ifndef MQTK_TEXT_OUT_H
#define MQTK_TEXT_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum { TXT_UINT_MAX_DIGITS = 20 };

/* The decimal digits of v at buf (room for TXT_UINT_MAX_DIGITS), not NUL-terminated; returns how
 * many. */
size_t txt_format_uint(char *buf, uint64_t v);

void txt_put(FILE *out, const void *s, size_t n);
void txt_puts(FILE *out, const char *s);
void txt_uint(FILE *out, uint64_t v);
/* n bytes of s in at least |width| columns, padded with spaces: on the left for width > 0, on the
 * right for width < 0 (printf's %*s and %-*s). */
void txt_pad(FILE *out, const char *s, size_t n, int width);
/* v as txt_pad lays out text (printf's %*llu and %-*llu). */
void txt_uint_pad(FILE *out, uint64_t v, int width);
/* Two lower-case hex digits (printf's %02x). */
void txt_hex2(FILE *out, uint8_t b);

#endif
