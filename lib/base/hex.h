/* Hex text <-> bytes. Input is lenient about layout, strict about digits: groups of hex digit
 * pairs separated by whitespace or ':', each group may start with "0x" ("10 0c", "10:0c",
 * "0x100c", "0x10 0x0c"); a group with an odd number of digits or any other character is an error. */
#ifndef BASE_HEX_H
#define BASE_HEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct base_hex_error {
    size_t column;       /* 1-based character position in the text */
    const char *message; /* "odd number of hex digits in a group", … */
} base_hex_error;

/* Parse len characters of text into out, which must hold at least len / 2 bytes. */
bool base_hex_parse(const char *text, size_t len, uint8_t *out, size_t *out_len, base_hex_error *err);

/* Lowercase hex of n bytes into out (2n characters plus a NUL). */
void base_hex_format(const uint8_t *data, size_t n, char *out);

/* Value of one hex digit, or -1. */
int base_hex_digit_value(int c);

#endif
