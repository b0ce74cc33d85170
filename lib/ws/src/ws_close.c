/* Close frame payloads (RFC 6455 5.5.1, 7.4) and the UTF-8 check they and text messages need. */
#include "ws/frame.h"

bool ws_utf8_valid(const uint8_t *p, size_t n, size_t *bad)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = p[i];
        size_t extra;
        uint32_t min, cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            extra = 1, min = 0x80, cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2, min = 0x800, cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3, min = 0x10000, cp = c & 0x07;
        } else {
            goto invalid;
        }
        if (n - i <= extra)
            goto invalid;
        for (size_t k = 1; k <= extra; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                goto invalid;
            cp = cp << 6 | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            goto invalid;
        i += extra + 1;
    }
    return true;
invalid:
    if (bad)
        *bad = i;
    return false;
}

bool ws_close_code_valid(uint16_t code)
{
    /* 1004 is reserved, 1005 / 1006 / 1015 only report a missing code or a lost connection, the
     * rest of 1000-2999 is for registered codes, and 5000 and up do not exist */
    if (code >= 1000 && code <= 1003)
        return true;
    if (code >= 1007 && code <= 1014)
        return true;
    return code >= 3000 && code <= 4999;
}

ws_result ws_close_parse(const uint8_t *payload, size_t len, ws_close *out, ws_error *err)
{
    out->has_code = false;
    out->code = 0;
    out->reason = NULL;
    out->reason_len = 0;
    if (len == 0)
        return WS_COMPLETE;
    if (len == 1) {
        err->code = WS_ERR_CLOSE_PAYLOAD_ONE_BYTE;
        err->offset = 0;
        return WS_MALFORMED;
    }
    out->has_code = true;
    out->code = (uint16_t)(payload[0] << 8 | payload[1]);
    out->reason = payload + 2;
    out->reason_len = len - 2;
    if (!ws_close_code_valid(out->code)) {
        err->code = WS_ERR_CLOSE_CODE_INVALID;
        err->offset = 0;
        return WS_MALFORMED;
    }
    size_t bad;
    if (!ws_utf8_valid(out->reason, out->reason_len, &bad)) {
        err->code = WS_ERR_CLOSE_REASON_UTF8;
        err->offset = 2 + bad;
        return WS_MALFORMED;
    }
    return WS_COMPLETE;
}
