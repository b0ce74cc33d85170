/* WebSocket frames (lib/ws): the RFC 6455 5.7 examples, every split point of a stream of frames,
 * the header rules with their RFC sections and offsets, fragmentation, close payloads, unmasking in
 * pieces, and the encoder (sizes, checked refusals, round trips). */
#include <string.h>

#include "support.h"
#include "ws/ws.h"

static const ws_decode_opts FROM_CLIENT = {.sender = WS_SENDER_CLIENT, .rsv_allowed = 0, .max_payload = 0};
static const ws_decode_opts FROM_SERVER = {.sender = WS_SENDER_SERVER, .rsv_allowed = 0, .max_payload = 0};

static void check_ws_error(ws_result r, const ws_frame *f, ws_err code, uint64_t offset, const char *ref)
{
    ck_assert_int_eq(r, WS_MALFORMED);
    ck_assert_str_eq(ws_err_name(f->error.code), ws_err_name(code));
    ck_assert_uint_eq(f->error.offset, offset);
    ck_assert_str_eq(ws_err_reference(code), ref);
}

/* RFC 6455 5.7: a single-frame unmasked text message "Hello", and the masked one. */
START_TEST(rfc_examples_hello)
{
    uint8_t b[32];
    ws_frame f;
    size_t n = hex_to_bytes("81 05 48 65 6c 6c 6f", b, sizeof b);
    ck_assert_int_eq(ws_frame_decode(b, n, &FROM_SERVER, &f), WS_COMPLETE);
    ck_assert(f.fin);
    ck_assert_uint_eq(f.opcode, WS_OP_TEXT);
    ck_assert(!f.masked);
    ck_assert_uint_eq(f.header_len, 2);
    ck_assert_uint_eq(f.payload_len, 5);
    ck_assert_bytes_eq(f.payload, 5, (const uint8_t *)"Hello", 5);

    n = hex_to_bytes("81 85 37 fa 21 3d 7f 9f 4d 51 58", b, sizeof b);
    ck_assert_int_eq(ws_frame_decode(b, n, &FROM_CLIENT, &f), WS_COMPLETE);
    ck_assert(f.masked);
    ck_assert_uint_eq(f.header_len, 6);
    uint8_t plain[5];
    ws_mask(plain, f.payload, 5, f.mask, 0);
    ck_assert_bytes_eq(plain, 5, (const uint8_t *)"Hello", 5);
    /* the same payload unmasked one byte at a time, as a reader that gets it piece by piece */
    for (size_t i = 0; i < 5; i++)
        ws_mask(plain + i, f.payload + i, 1, f.mask, i);
    ck_assert_bytes_eq(plain, 5, (const uint8_t *)"Hello", 5);

    /* masked frames from the server, unmasked from the client, are refused by direction */
    n = hex_to_bytes("81 85 37 fa 21 3d 7f 9f 4d 51 58", b, sizeof b);
    check_ws_error(ws_frame_decode(b, n, &FROM_SERVER, &f), &f, WS_ERR_MASKED_FROM_SERVER, 1, "RFC 6455 5.1");
    n = hex_to_bytes("81 05 48 65 6c 6c 6f", b, sizeof b);
    check_ws_error(ws_frame_decode(b, n, &FROM_CLIENT, &f), &f, WS_ERR_UNMASKED_FROM_CLIENT, 1, "RFC 6455 5.1");
    /* and accepted when the sender is not known */
    ck_assert_int_eq(ws_frame_decode(b, n, NULL, &f), WS_COMPLETE);
}
END_TEST

/* RFC 6455 5.7: a fragmented unmasked text message, an unmasked ping and a masked pong. */
START_TEST(rfc_examples_fragments_and_ping)
{
    uint8_t b[64];
    size_t n = hex_to_bytes("01 03 48 65 6c  80 02 6c 6f  89 05 48 65 6c 6c 6f", b, sizeof b);
    ws_frame f;
    ws_message m;
    memset(&m, 0, sizeof m);
    size_t off = 0;
    ck_assert_int_eq(ws_frame_decode(b + off, n - off, &FROM_SERVER, &f), WS_COMPLETE);
    ck_assert(!f.fin);
    ck_assert_uint_eq(ws_message_frame(&m, &f), WS_OK);
    ck_assert(m.in_progress);
    off += f.header_len + f.payload_len;
    ck_assert_int_eq(ws_frame_decode(b + off, n - off, &FROM_SERVER, &f), WS_COMPLETE);
    ck_assert_uint_eq(f.opcode, WS_OP_CONTINUATION);
    ck_assert_uint_eq(ws_message_frame(&m, &f), WS_OK);
    ck_assert(!m.in_progress);
    ck_assert_uint_eq(m.length, 5);
    ck_assert_uint_eq(m.fragments, 2);
    ck_assert_uint_eq(m.opcode, WS_OP_TEXT);
    off += f.header_len + f.payload_len;
    ck_assert_int_eq(ws_frame_decode(b + off, n - off, &FROM_SERVER, &f), WS_COMPLETE);
    ck_assert_str_eq(ws_opcode_name(f.opcode), "ping");
    ck_assert_uint_eq(off + f.header_len + f.payload_len, n);

    n = hex_to_bytes("8a 85 37 fa 21 3d 7f 9f 4d 51 58", b, sizeof b);
    ck_assert_int_eq(ws_frame_decode(b, n, &FROM_CLIENT, &f), WS_COMPLETE);
    ck_assert_str_eq(ws_opcode_name(f.opcode), "pong");
}
END_TEST

/* RFC 6455 5.7: 256 bytes and 64 KiB in one unmasked binary frame: the 16- and 64-bit forms. */
START_TEST(rfc_examples_long_lengths)
{
    static uint8_t big[10 + 65536];
    memset(big, 0xAB, sizeof big);
    ws_frame f;
    size_t n = hex_to_bytes("82 7e 01 00", big, 4);
    ck_assert_uint_eq(n, 4);
    ck_assert_int_eq(ws_frame_decode(big, 4 + 256, &FROM_SERVER, &f), WS_COMPLETE);
    ck_assert_uint_eq(f.header_len, 4);
    ck_assert_uint_eq(f.payload_len, 256);
    ck_assert_int_eq(ws_frame_decode(big, 4 + 255, &FROM_SERVER, &f), WS_NEED_MORE);
    ck_assert_uint_eq(f.need, 260);

    hex_to_bytes("82 7f 00 00 00 00 00 01 00 00", big, 10);
    ck_assert_int_eq(ws_frame_decode(big, sizeof big, &FROM_SERVER, &f), WS_COMPLETE);
    ck_assert_uint_eq(f.header_len, 10);
    ck_assert_uint_eq(f.payload_len, 65536);
    ck_assert_ptr_eq(f.payload, big + 10);
}
END_TEST

/* Every way a stream of frames can be cut: each prefix says NEED_MORE with a need beyond it and no
 * beyond the frame's end, and the whole frame decodes the same. */
START_TEST(every_split_point)
{
    uint8_t b[512];
    uint8_t payload[300];
    for (size_t i = 0; i < sizeof payload; i++)
        payload[i] = (uint8_t)i;
    const size_t sizes[] = {0, 1, 125, 126, 300};
    for (size_t s = 0; s < ARRAY_LEN(sizes); s++) {
        for (int masked = 0; masked < 2; masked++) {
            ws_frame_spec spec = {.fin = true, .opcode = WS_OP_BINARY, .masked = masked != 0,
                                  .mask = {1, 2, 3, 4}};
            size_t len;
            ck_assert_uint_eq(ws_encode(b, sizeof b, &spec, payload, sizes[s], 0, &len), WS_OK);
            ck_assert_uint_eq(len, ws_header_size(sizes[s], masked, 0) + sizes[s]);
            const ws_decode_opts *o = masked ? &FROM_CLIENT : &FROM_SERVER;
            ws_frame f;
            for (size_t cut = 0; cut < len; cut++) {
                ck_assert_int_eq(ws_frame_decode(b, cut, o, &f), WS_NEED_MORE);
                ck_assert_uint_gt(f.need, cut);
                ck_assert_uint_le(f.need, len);
            }
            ck_assert_int_eq(ws_frame_decode(b, len, o, &f), WS_COMPLETE);
            ck_assert_uint_eq(f.payload_len, sizes[s]);
            uint8_t back[300];
            ws_mask(back, f.payload, sizes[s], f.mask, 0);
            if (!masked)
                memcpy(back, f.payload, sizes[s]);
            ck_assert_bytes_eq(back, sizes[s], payload, sizes[s]);
        }
    }
}
END_TEST

typedef struct bad_frame {
    const char *hex;
    const ws_decode_opts *opts;
    ws_err code;
    uint64_t offset;
    const char *ref;
} bad_frame;

static const ws_decode_opts CLIENT_LIMIT = {.sender = WS_SENDER_CLIENT, .rsv_allowed = 0, .max_payload = 100};
static const ws_decode_opts RSV1_OK = {.sender = WS_SENDER_SERVER, .rsv_allowed = WS_RSV1, .max_payload = 0};

static const bad_frame bad_frames[] = {
    {"c2 00", &FROM_SERVER, WS_ERR_RSV_WITHOUT_EXTENSION, 0, "RFC 6455 5.2"}, /* RSV1 */
    {"92 00", &FROM_SERVER, WS_ERR_RSV_WITHOUT_EXTENSION, 0, "RFC 6455 5.2"}, /* RSV3 */
    {"a2 00", &RSV1_OK, WS_ERR_RSV_WITHOUT_EXTENSION, 0, "RFC 6455 5.2"},     /* RSV2 with RSV1 negotiated */
    {"83 00", &FROM_SERVER, WS_ERR_RESERVED_OPCODE, 0, "RFC 6455 5.2"},
    {"87 00", &FROM_SERVER, WS_ERR_RESERVED_OPCODE, 0, "RFC 6455 5.2"},
    {"8b 00", &FROM_SERVER, WS_ERR_RESERVED_OPCODE, 0, "RFC 6455 5.2"},
    {"8f 00", &FROM_SERVER, WS_ERR_RESERVED_OPCODE, 0, "RFC 6455 5.2"},
    {"09 00", &FROM_SERVER, WS_ERR_CONTROL_FRAGMENTED, 0, "RFC 6455 5.5"},
    {"88 7e 00 7e", &FROM_SERVER, WS_ERR_CONTROL_TOO_LONG, 1, "RFC 6455 5.5"},
    {"89 7f", &FROM_SERVER, WS_ERR_CONTROL_TOO_LONG, 1, "RFC 6455 5.5"}, /* known from byte 1 alone */
    {"82 7e 00 7d", &FROM_SERVER, WS_ERR_LENGTH_NOT_MINIMAL, 2, "RFC 6455 5.2"},
    {"82 7f 00 00 00 00 00 00 ff ff", &FROM_SERVER, WS_ERR_LENGTH_NOT_MINIMAL, 2, "RFC 6455 5.2"},
    {"82 7f 80 00 00 00 00 00 00 00", &FROM_SERVER, WS_ERR_LENGTH_MSB_SET, 2, "RFC 6455 5.2"},
    {"82 05 01 02 03 04 05", &FROM_CLIENT, WS_ERR_UNMASKED_FROM_CLIENT, 1, "RFC 6455 5.1"},
    {"82 85 00 00 00 00 01", &FROM_SERVER, WS_ERR_MASKED_FROM_SERVER, 1, "RFC 6455 5.1"},
    {"82 fe 00 80", &CLIENT_LIMIT, WS_ERR_FRAME_TOO_LARGE, 1, "RFC 6455 10.4"},
};

START_TEST(bad_frame_table)
{
    const bad_frame *row = &bad_frames[_i];
    uint8_t b[64];
    size_t n = hex_to_bytes(row->hex, b, sizeof b);
    ws_frame f;
    check_ws_error(ws_frame_header(b, n, row->opts, &f), &f, row->code, row->offset, row->ref);
    /* the error is found from the bytes given, whatever follows them */
    memset(b + n, 0, sizeof b - n);
    check_ws_error(ws_frame_decode(b, sizeof b, row->opts, &f), &f, row->code, row->offset, row->ref);
}
END_TEST

START_TEST(rsv_allowed_by_extension)
{
    uint8_t b[8];
    size_t n = hex_to_bytes("c2 01 00", b, sizeof b);
    ws_frame f;
    ck_assert_int_eq(ws_frame_decode(b, n, &RSV1_OK, &f), WS_COMPLETE);
    ck_assert_uint_eq(f.rsv, WS_RSV1);
}
END_TEST

START_TEST(fragmentation_rules)
{
    ws_message m;
    memset(&m, 0, sizeof m);
    ws_frame f;
    memset(&f, 0, sizeof f);
    f.opcode = WS_OP_CONTINUATION;
    f.fin = true;
    ck_assert_uint_eq(ws_message_frame(&m, &f), WS_ERR_CONTINUATION_UNEXPECTED);
    ck_assert_str_eq(ws_err_reference(WS_ERR_CONTINUATION_UNEXPECTED), "RFC 6455 5.4");
    f.opcode = WS_OP_BINARY;
    f.fin = false;
    f.payload_len = 3;
    ck_assert_uint_eq(ws_message_frame(&m, &f), WS_OK);
    f.opcode = WS_OP_PING; /* a control frame in the middle is fine */
    f.fin = true;
    ck_assert_uint_eq(ws_message_frame(&m, &f), WS_OK);
    ck_assert(m.in_progress);
    f.opcode = WS_OP_TEXT;
    ck_assert_uint_eq(ws_message_frame(&m, &f), WS_ERR_MESSAGE_INTERLEAVED);
    ck_assert(m.in_progress);
    f.opcode = WS_OP_CONTINUATION;
    f.payload_len = 4;
    ck_assert_uint_eq(ws_message_frame(&m, &f), WS_OK);
    ck_assert(!m.in_progress);
    ck_assert_uint_eq(m.length, 7);
    ck_assert_uint_eq(m.opcode, WS_OP_BINARY);
}
END_TEST

START_TEST(close_payloads)
{
    ws_close c;
    ws_error e;
    uint8_t b[64];
    memset(b, 0, sizeof b);
    ck_assert_int_eq(ws_close_parse(b, 0, &c, &e), WS_COMPLETE);
    ck_assert(!c.has_code);
    size_t n = hex_to_bytes("03 e8 62 79 65", b, sizeof b); /* 1000 "bye" */
    ck_assert_int_eq(ws_close_parse(b, n, &c, &e), WS_COMPLETE);
    ck_assert_uint_eq(c.code, 1000);
    ck_assert_bytes_eq(c.reason, c.reason_len, (const uint8_t *)"bye", 3);
    ck_assert_int_eq(ws_close_parse(b, 1, &c, &e), WS_MALFORMED);
    ck_assert_uint_eq(e.code, WS_ERR_CLOSE_PAYLOAD_ONE_BYTE);
    ck_assert_str_eq(ws_err_reference(e.code), "RFC 6455 5.5.1");
    const uint16_t refused[] = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535};
    for (size_t i = 0; i < ARRAY_LEN(refused); i++) {
        b[0] = (uint8_t)(refused[i] >> 8);
        b[1] = (uint8_t)refused[i];
        ck_assert_int_eq(ws_close_parse(b, 2, &c, &e), WS_MALFORMED);
        ck_assert_uint_eq(e.code, WS_ERR_CLOSE_CODE_INVALID);
    }
    const uint16_t allowed[] = {1000, 1001, 1002, 1003, 1007, 1011, 1014, 3000, 4999};
    for (size_t i = 0; i < ARRAY_LEN(allowed); i++)
        ck_assert(ws_close_code_valid(allowed[i]));
    n = hex_to_bytes("03 e8 61 c0 80", b, sizeof b); /* overlong NUL in the reason */
    ck_assert_int_eq(ws_close_parse(b, n, &c, &e), WS_MALFORMED);
    ck_assert_uint_eq(e.code, WS_ERR_CLOSE_REASON_UTF8);
    ck_assert_uint_eq(e.offset, 3);
    n = hex_to_bytes("03 e8 ed a0 80", b, sizeof b); /* a surrogate */
    ck_assert_int_eq(ws_close_parse(b, n, &c, &e), WS_MALFORMED);
    n = hex_to_bytes("03 e8 f0 9f 98 80", b, sizeof b); /* U+1F600 */
    ck_assert_int_eq(ws_close_parse(b, n, &c, &e), WS_COMPLETE);
    n = hex_to_bytes("03 e8 f0 9f 98", b, sizeof b); /* cut short */
    ck_assert_int_eq(ws_close_parse(b, n, &c, &e), WS_MALFORMED);

    size_t w;
    ck_assert_uint_eq(ws_close_payload(b, sizeof b, 1000, (const uint8_t *)"bye", 3, 0, &w), WS_OK);
    ck_assert_bytes_eq(b, w, (const uint8_t *)"\x03\xe8" "bye", 5);
    ck_assert_uint_eq(ws_close_payload(b, sizeof b, 1005, NULL, 0, 0, &w), WS_ERR_CLOSE_CODE_INVALID);
    ck_assert_uint_eq(ws_close_payload(b, sizeof b, 1005, NULL, 0, WS_ENCODE_UNCHECKED, &w), WS_OK);
    ck_assert_uint_eq(ws_close_payload(b, 3, 1000, (const uint8_t *)"bye", 3, 0, &w), WS_ERR_BUFFER_TOO_SMALL);
}
END_TEST

START_TEST(encoder_sizes_and_refusals)
{
    ck_assert_uint_eq(ws_header_size(0, false, 0), 2);
    ck_assert_uint_eq(ws_header_size(125, true, 0), 6);
    ck_assert_uint_eq(ws_header_size(126, false, 0), 4);
    ck_assert_uint_eq(ws_header_size(65535, false, 0), 4);
    ck_assert_uint_eq(ws_header_size(65536, true, 0), 14);
    ck_assert_uint_eq(ws_header_size(1, false, WS_ENCODE_LONG_LENGTH), 10);

    uint8_t b[256], payload[200];
    memset(payload, 'x', sizeof payload);
    size_t w;
    ws_frame_spec spec = {.fin = true, .opcode = WS_OP_PING, .masked = false, .mask = {0}};
    ck_assert_uint_eq(ws_encode(b, sizeof b, &spec, payload, 126, 0, &w), WS_ERR_CONTROL_TOO_LONG);
    ck_assert_uint_eq(ws_encode(b, sizeof b, &spec, payload, 126, WS_ENCODE_UNCHECKED, &w), WS_OK);
    spec.fin = false;
    ck_assert_uint_eq(ws_encode(b, sizeof b, &spec, payload, 1, 0, &w), WS_ERR_CONTROL_FRAGMENTED);
    spec.opcode = 0x3;
    spec.fin = true;
    ck_assert_uint_eq(ws_encode(b, sizeof b, &spec, payload, 1, 0, &w), WS_ERR_RESERVED_OPCODE);
    spec.opcode = WS_OP_BINARY;
    spec.rsv = 4;
    ck_assert_uint_eq(ws_encode(b, sizeof b, &spec, payload, 1, 0, &w), WS_ERR_RSV_WITHOUT_EXTENSION);
    spec.rsv = 8;
    ck_assert_uint_eq(ws_encode(b, sizeof b, &spec, payload, 1, WS_ENCODE_UNCHECKED, &w), WS_ERR_VALUE_OUT_OF_RANGE);
    spec.rsv = 0;
    /* every buffer short of the frame is refused, the exact one is enough */
    for (size_t cap = 0; cap < 2 + 100; cap++)
        ck_assert_uint_eq(ws_encode(b, cap, &spec, payload, 100, 0, &w), WS_ERR_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(ws_encode(b, 102, &spec, payload, 100, 0, &w), WS_OK);
    ck_assert_uint_eq(w, 102);
    /* the non-minimal form is written on request and refused by the decoder */
    ck_assert_uint_eq(ws_encode(b, sizeof b, &spec, payload, 5, WS_ENCODE_LONG_LENGTH, &w), WS_OK);
    ws_frame f;
    check_ws_error(ws_frame_decode(b, w, &FROM_SERVER, &f), &f, WS_ERR_LENGTH_NOT_MINIMAL, 2, "RFC 6455 5.2");
}
END_TEST

START_TEST(encode_rfc_masked_hello)
{
    uint8_t b[32], want[32];
    size_t w;
    ws_frame_spec spec = {.fin = true, .opcode = WS_OP_TEXT, .masked = true, .mask = {0x37, 0xfa, 0x21, 0x3d}};
    ck_assert_uint_eq(ws_encode(b, sizeof b, &spec, (const uint8_t *)"Hello", 5, 0, &w), WS_OK);
    size_t n = hex_to_bytes("81 85 37 fa 21 3d 7f 9f 4d 51 58", want, sizeof want);
    ck_assert_bytes_eq(b, w, want, n);
}
END_TEST

START_TEST(error_text)
{
    ws_error e = {.code = WS_ERR_CONTROL_TOO_LONG, .offset = 1};
    char text[256];
    ws_error_format(&e, text, sizeof text);
    ck_assert_str_eq(text, "control_too_long: a control frame carries more than 125 payload bytes [RFC 6455 5.5] at byte 1");
    ck_assert_str_eq(ws_err_name(WS_ERR_COUNT), "unknown_error");
    for (int i = 1; i < WS_ERR_COUNT; i++) {
        ck_assert_ptr_nonnull(ws_err_name((ws_err)i));
        ck_assert_ptr_nonnull(ws_err_description((ws_err)i));
    }
    ck_assert_str_eq(ws_err_reference(WS_ERR_MQTT_NOT_BINARY), "MQTT-6.0.0-1");
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("ws_frame");
    TCase *tc = tcase_create("ws_frame");
    tcase_add_test(tc, rfc_examples_hello);
    tcase_add_test(tc, rfc_examples_fragments_and_ping);
    tcase_add_test(tc, rfc_examples_long_lengths);
    tcase_add_test(tc, every_split_point);
    tcase_add_loop_test(tc, bad_frame_table, 0, (int)ARRAY_LEN(bad_frames));
    tcase_add_test(tc, rsv_allowed_by_extension);
    tcase_add_test(tc, fragmentation_rules);
    tcase_add_test(tc, close_payloads);
    tcase_add_test(tc, encoder_sizes_and_refusals);
    tcase_add_test(tc, encode_rfc_masked_hello);
    tcase_add_test(tc, error_text);
    suite_add_tcase(s, tc);
    return s;
}
