/* UTF-8 decoding and encoding for the JSON reader and writers. Depends on nothing but libc, so
 * the JSON reader stays usable on its own (fuzz targets link json_read.c + utf8.c). */
#ifndef MQTK_UTF8_H
#define MQTK_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Length (1..4) of the well-formed sequence at s[0..n), its code point in *cp (may be NULL);
 * 0 when ill-formed: bad lead or continuation byte, overlong form, surrogate, above U+10FFFF. */
size_t mqtk_utf8_sequence(const uint8_t *s, size_t n, uint32_t *cp);
bool mqtk_utf8_valid(const uint8_t *s, size_t n);
/* Encode a code point (not a surrogate, at most U+10FFFF) into out; returns 1..4. */
size_t mqtk_utf8_encode(uint32_t cp, uint8_t out[4]);

#endif
