/* Frames written into the caller's buffer: size first, then the bytes. Checked by default: the
 * encoder refuses what the decoder refuses, unless WS_ENCODE_UNCHECKED asks for broken frames. */
#include <string.h>

#include "ws/frame.h"

size_t ws_header_size(uint64_t payload_len, bool masked, unsigned flags)
{
    size_t ext = (flags & WS_ENCODE_LONG_LENGTH) || payload_len > 0xFFFF ? 8 : payload_len >= 126 ? 2 : 0;
    return 2 + ext + (masked ? 4 : 0);
}

static ws_err check_spec(const ws_frame_spec *spec, uint64_t payload_len, unsigned flags)
{
    if (spec->opcode > 0xF || spec->rsv > 7 || payload_len > 0x7FFFFFFFFFFFFFFFull)
        return WS_ERR_VALUE_OUT_OF_RANGE; /* cannot be written at all */
    if (flags & WS_ENCODE_UNCHECKED)
        return WS_OK;
    if ((spec->opcode >= 0x3 && spec->opcode <= 0x7) || spec->opcode >= 0xB)
        return WS_ERR_RESERVED_OPCODE;
    if (spec->rsv)
        return WS_ERR_RSV_WITHOUT_EXTENSION;
    if (ws_opcode_is_control(spec->opcode)) {
        if (!spec->fin)
            return WS_ERR_CONTROL_FRAGMENTED;
        if (payload_len > WS_MAX_CONTROL_PAYLOAD)
            return WS_ERR_CONTROL_TOO_LONG;
    }
    return WS_OK;
}

ws_err ws_encode_header(uint8_t *buf, size_t cap, const ws_frame_spec *spec, uint64_t payload_len, unsigned flags,
                        size_t *written)
{
    *written = 0;
    ws_err e = check_spec(spec, payload_len, flags);
    if (e != WS_OK)
        return e;
    size_t header = ws_header_size(payload_len, spec->masked, flags);
    if (cap < header)
        return WS_ERR_BUFFER_TOO_SMALL;
    buf[0] = (uint8_t)((spec->fin ? 0x80 : 0) | spec->rsv << 4 | spec->opcode);
    uint8_t mask_bit = spec->masked ? 0x80 : 0;
    size_t at = 2;
    if (header - (spec->masked ? 4 : 0) == 10) {
        buf[1] = mask_bit | 127;
        for (int i = 7; i >= 0; i--)
            buf[at++] = (uint8_t)(payload_len >> (8 * i));
    } else if (header - (spec->masked ? 4 : 0) == 4) {
        buf[1] = mask_bit | 126;
        buf[at++] = (uint8_t)(payload_len >> 8);
        buf[at++] = (uint8_t)payload_len;
    } else {
        buf[1] = (uint8_t)(mask_bit | payload_len);
    }
    if (spec->masked)
        memcpy(buf + at, spec->mask, 4);
    *written = header;
    return WS_OK;
}

ws_err ws_encode(uint8_t *buf, size_t cap, const ws_frame_spec *spec, const uint8_t *payload, size_t len,
                 unsigned flags, size_t *written)
{
    size_t header;
    ws_err e = ws_encode_header(buf, cap, spec, len, flags, &header);
    if (e != WS_OK)
        return e;
    if (cap - header < len) {
        *written = 0;
        return WS_ERR_BUFFER_TOO_SMALL;
    }
    if (spec->masked)
        ws_mask(buf + header, payload, len, spec->mask, 0);
    else if (len)
        memmove(buf + header, payload, len);
    *written = header + len;
    return WS_OK;
}

ws_err ws_close_payload(uint8_t *buf, size_t cap, uint16_t code, const uint8_t *reason, size_t reason_len,
                        unsigned flags, size_t *written)
{
    *written = 0;
    if (!(flags & WS_ENCODE_UNCHECKED)) {
        if (!ws_close_code_valid(code))
            return WS_ERR_CLOSE_CODE_INVALID;
        if (!ws_utf8_valid(reason, reason_len, NULL))
            return WS_ERR_CLOSE_REASON_UTF8;
        if (reason_len > WS_MAX_CONTROL_PAYLOAD - 2)
            return WS_ERR_CONTROL_TOO_LONG;
    }
    if (cap < 2 || cap - 2 < reason_len)
        return WS_ERR_BUFFER_TOO_SMALL;
    buf[0] = (uint8_t)(code >> 8);
    buf[1] = (uint8_t)code;
    if (reason_len)
        memmove(buf + 2, reason, reason_len);
    *written = 2 + reason_len;
    return WS_OK;
}
