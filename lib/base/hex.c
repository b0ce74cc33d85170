#include "hex.h"

int hex_digit_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool is_separator(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':';
}

bool hex_parse(const char *text, size_t len, uint8_t *out, size_t *out_len, hex_error *err)
{
    size_t i = 0, n = 0;
    while (i < len) {
        if (is_separator(text[i])) {
            i++;
            continue;
        }
        size_t group_start = i;
        if (i + 1 < len && text[i] == '0' && (text[i + 1] == 'x' || text[i + 1] == 'X'))
            i += 2;
        size_t digits_start = i;
        while (i < len && !is_separator(text[i])) {
            if (hex_digit_value((unsigned char)text[i]) < 0) {
                err->column = i + 1;
                err->message = "not a hex digit";
                return false;
            }
            i++;
        }
        size_t digits = i - digits_start;
        if (digits == 0) {
            err->column = group_start + 1;
            err->message = "\"0x\" without hex digits";
            return false;
        }
        if (digits % 2) {
            err->column = group_start + 1;
            err->message = "odd number of hex digits in a group";
            return false;
        }
        for (size_t k = digits_start; k < i; k += 2)
            out[n++] = (uint8_t)(hex_digit_value((unsigned char)text[k]) << 4 |
                                 hex_digit_value((unsigned char)text[k + 1]));
    }
    *out_len = n;
    return true;
}

void hex_format(const uint8_t *data, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 15];
    }
    out[2 * n] = 0;
}
