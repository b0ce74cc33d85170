/* Frame headers read incrementally and checked against RFC 6455 5.2-5.5, then the payload located. */
#include <string.h>

#include "ws/frame.h"

/* Lengths a 64-bit field may carry: the RFC keeps the top bit clear. */
#define LEN64_LIMIT 0x7FFFFFFFFFFFFFFFull

bool ws_opcode_is_control(uint8_t opcode)
{
    return (opcode & 0x8) != 0;
}

const char *ws_opcode_name(uint8_t opcode)
{
    switch (opcode) {
    case WS_OP_CONTINUATION:
        return "continuation";
    case WS_OP_TEXT:
        return "text";
    case WS_OP_BINARY:
        return "binary";
    case WS_OP_CLOSE:
        return "close";
    case WS_OP_PING:
        return "ping";
    case WS_OP_PONG:
        return "pong";
    default:
        return "reserved";
    }
}

static bool opcode_reserved(uint8_t op)
{
    return (op >= 0x3 && op <= 0x7) || op >= 0xB;
}

static ws_result fail(ws_frame *f, ws_err code, uint64_t offset)
{
    f->error.code = code;
    f->error.offset = offset;
    return WS_MALFORMED;
}

static ws_result need(ws_frame *f, uint64_t total)
{
    f->need = total;
    return WS_NEED_MORE;
}

ws_result ws_frame_header(const uint8_t *buf, size_t len, const ws_decode_opts *opts, ws_frame *f)
{
    static const ws_decode_opts defaults = {.sender = WS_SENDER_UNKNOWN, .rsv_allowed = 0, .max_payload = 0};
    if (!opts)
        opts = &defaults;
    memset(f, 0, sizeof *f);
    if (len < 2)
        return need(f, 2);
    /* the first byte's rules are checked before the length is complete, so a broken stream is
     * refused as early as possible */
    f->fin = (buf[0] & 0x80) != 0;
    f->rsv = (uint8_t)((buf[0] >> 4) & 0x7);
    f->opcode = buf[0] & 0x0F;
    if (f->rsv & ~opts->rsv_allowed)
        return fail(f, WS_ERR_RSV_WITHOUT_EXTENSION, 0);
    if (opcode_reserved(f->opcode))
        return fail(f, WS_ERR_RESERVED_OPCODE, 0);
    if (ws_opcode_is_control(f->opcode) && !f->fin)
        return fail(f, WS_ERR_CONTROL_FRAGMENTED, 0);
    f->masked = (buf[1] & 0x80) != 0;
    if (opts->sender == WS_SENDER_CLIENT && !f->masked)
        return fail(f, WS_ERR_UNMASKED_FROM_CLIENT, 1);
    if (opts->sender == WS_SENDER_SERVER && f->masked)
        return fail(f, WS_ERR_MASKED_FROM_SERVER, 1);
    uint8_t len7 = buf[1] & 0x7F;
    size_t ext = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
    if (ws_opcode_is_control(f->opcode) && len7 > WS_MAX_CONTROL_PAYLOAD)
        return fail(f, WS_ERR_CONTROL_TOO_LONG, 1);
    size_t header = 2 + ext + (f->masked ? 4 : 0);
    if (len < 2 + ext)
        return need(f, header);
    uint64_t plen = len7;
    if (ext == 2) {
        plen = (uint64_t)buf[2] << 8 | buf[3];
        if (plen < 126)
            return fail(f, WS_ERR_LENGTH_NOT_MINIMAL, 2);
    } else if (ext == 8) {
        if (buf[2] & 0x80)
            return fail(f, WS_ERR_LENGTH_MSB_SET, 2);
        plen = 0;
        for (size_t i = 0; i < 8; i++)
            plen = plen << 8 | buf[2 + i];
        if (plen <= 0xFFFF)
            return fail(f, WS_ERR_LENGTH_NOT_MINIMAL, 2);
    }
    if (opts->max_payload && plen > opts->max_payload)
        return fail(f, WS_ERR_FRAME_TOO_LARGE, 1);
    if (len < header)
        return need(f, header);
    if (f->masked)
        memcpy(f->mask, buf + 2 + ext, 4);
    f->header_len = (uint8_t)header;
    f->payload_len = plen;
    return WS_COMPLETE;
}

ws_result ws_frame_decode(const uint8_t *buf, size_t len, const ws_decode_opts *opts, ws_frame *f)
{
    ws_result r = ws_frame_header(buf, len, opts, f);
    if (r != WS_COMPLETE)
        return r;
    /* header_len + payload_len cannot wrap: payload_len < 2^63 */
    uint64_t total = f->header_len + f->payload_len;
    if ((uint64_t)len < total)
        return need(f, total); /* header_len and payload_len stay filled */
    f->payload = buf + f->header_len;
    return WS_COMPLETE;
}

void ws_mask(uint8_t *dst, const uint8_t *src, size_t n, const uint8_t key[4], uint64_t pos)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = src[i] ^ key[(pos + i) & 3];
}

ws_err ws_message_frame(ws_message *m, const ws_frame *f)
{
    if (ws_opcode_is_control(f->opcode))
        return WS_OK; /* may sit between fragments; their own rules are checked by the header */
    if (f->opcode == WS_OP_CONTINUATION) {
        if (!m->in_progress)
            return WS_ERR_CONTINUATION_UNEXPECTED;
        m->length += f->payload_len;
        m->fragments++;
    } else {
        if (m->in_progress)
            return WS_ERR_MESSAGE_INTERLEAVED;
        m->opcode = f->opcode;
        m->length = f->payload_len;
        m->fragments = 1;
    }
    m->in_progress = !f->fin;
    return WS_OK;
}
