/* UTF-8 decoding and encoding for the JSON reader and writers. Depends on nothing but libc, so
 * the JSON reader stays usable on its own (fuzz targets link json_read.c + utf8.c). */
#ifndef BASE_UTF8_H
#define BASE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Length (1..4) of the well-formed sequence at s[0..n), its code point in *cp (may be NULL);
 * 0 when ill-formed: bad lead or continuation byte, overlong form, surrogate, above U+10FFFF. */
size_t base_utf8_sequence(const uint8_t *s, size_t n, uint32_t *cp);
bool base_utf8_valid(const uint8_t *s, size_t n);
/* How many bytes at the start of s[0..n) the printers copy into quotes as they are: printable
 * ASCII (0x20..0x7E) other than '"' and '\\'. Scans 16 bytes at a time where it can. */
size_t base_plain_prefix(const uint8_t *s, size_t n);
/* Code points that must not reach a terminal raw: DEL and the C1 controls (U+007F-U+009F, some
 * terminals act on them), the bidirectional controls (U+061C, U+200E-U+200F, U+202A-U+202E,
 * U+2066-U+2069, which reorder what is shown) and the line/paragraph separators (U+2028-U+2029).
 * Printers escape them like the C0 controls. */
bool base_codepoint_escaped(uint32_t cp);
/* Encode a code point (not a surrogate, at most U+10FFFF) into out; returns 1..4. */
size_t base_utf8_encode(uint32_t cp, uint8_t out[4]);

#endif
