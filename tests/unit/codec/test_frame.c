/* Framing: cutting packets out of a byte stream however it was split (mqtt_frame_packet and
 * mqtt_decode, and mqtt_decode_framed after it), Remaining Length encoding rules, and the caller's
 * maximum packet size. */
#include <stdlib.h>
#include <string.h>

#include "support.h"

/* A stream builder: appends packets and remembers where each ends and how long its header is. */
typedef struct stream {
    uint8_t *data;
    size_t len, cap;
    size_t ends[8];
    uint8_t header_len[8];
    size_t count;
} stream;

static void stream_init(stream *s, size_t cap)
{
    memset(s, 0, sizeof *s);
    s->data = malloc(cap);
    s->cap = cap;
    ck_assert_ptr_nonnull(s->data);
}

static void stream_add_hex(stream *s, const char *hex, uint8_t header_len)
{
    s->len += hex_to_bytes(hex, s->data + s->len, s->cap - s->len);
    s->ends[s->count] = s->len;
    s->header_len[s->count++] = header_len;
}

/* A QoS 0 PUBLISH to topic "t" whose payload makes the Remaining Length rl. The Remaining Length
 * bytes are written by hand below each call (the expected encoding is part of the test). */
static void stream_add_publish(stream *s, const char *fixed_header_hex, uint8_t header_len, uint32_t rl)
{
    size_t start = s->len;
    s->len += hex_to_bytes(fixed_header_hex, s->data + s->len, s->cap - s->len);
    ck_assert_uint_eq(s->len - start, header_len);
    ck_assert_uint_ge(s->cap - s->len, rl);
    s->data[s->len++] = 0x00; /* topic length MSB */
    s->data[s->len++] = 0x01; /* topic length LSB: 1 */
    s->data[s->len++] = 't';
    memset(s->data + s->len, 'x', rl - 3); /* payload */
    s->len += rl - 3;
    s->ends[s->count] = s->len;
    s->header_len[s->count++] = header_len;
}

/* The stream every framing test walks: packets with 1-, 2-, 3- and 4-byte Remaining Lengths. */
static void build_mixed_stream(stream *s, int with_huge)
{
    stream_init(s, 2200000);
    stream_add_hex(s, "c0 00", 2);              /* PINGREQ, Remaining Length 0 */
    stream_add_hex(s, "30 05 00 01 61 68 69", 2); /* PUBLISH QoS 0, RL 5, topic "a", payload "hi" */
    stream_add_publish(s, "30 c8 01", 3, 200);  /* RL 200 = 0x48 + 1*128: c8 01 */
    stream_add_publish(s, "30 80 80 01", 4, 16384); /* RL 16384 = 128^2: 80 80 01 */
    if (with_huge)
        stream_add_publish(s, "30 80 80 80 01", 5, 2097152); /* RL 2097152 = 128^3: 80 80 80 01 */
    stream_add_hex(s, "d0 00", 2);              /* PINGRESP */
}

/* Feed the stream one byte at a time (which visits every split point a reader can be in) and
 * check NEED_MORE with a sound `need` until each packet is complete, never MALFORMED. */
START_TEST(frame_every_split_point_byte_by_byte)
{
    stream s;
    build_mixed_stream(&s, 1);
    size_t start = 0, pkt = 0;
    for (size_t have = 0; have <= s.len; have++) {
        size_t buffered = have - start;
        mqtt_frame fr;
        memset(&fr, 0, sizeof fr);
        mqtt_result r = mqtt_frame_packet(s.data + start, buffered, 0, &fr);
        size_t plen = s.ends[pkt] - start;
        if (buffered < plen) {
            ck_assert_msg(r == MQTT_NEED_MORE, "packet %zu, %zu of %zu bytes: result %d", pkt, buffered, plen, (int)r);
            /* need must promise progress and never ask past the packet's real end */
            ck_assert_msg(fr.need > buffered && fr.need <= plen, "packet %zu, %zu buffered: need %u (len %zu)", pkt,
                          buffered, (unsigned)fr.need, plen);
            if (buffered >= s.header_len[pkt])
                ck_assert_uint_eq(fr.need, plen); /* header known: the exact total */
            continue;
        }
        ck_assert_msg(r == MQTT_COMPLETE, "packet %zu complete at %zu bytes: result %d", pkt, buffered, (int)r);
        ck_assert_uint_eq(fr.packet_len, plen);
        ck_assert_uint_eq(fr.header_len, s.header_len[pkt]);
        ck_assert_uint_eq(fr.remaining_length, plen - s.header_len[pkt]);
        start = s.ends[pkt++];
        if (pkt == s.count)
            break;
        have--; /* re-frame the next packet with zero bytes of it buffered */
    }
    ck_assert_uint_eq(pkt, s.count);
    free(s.data);
}
END_TEST

/* Two reads, split at every index of the smaller stream; the reader frames and decodes whatever
 * is complete after each read. */
START_TEST(decode_every_two_chunk_split)
{
    stream s;
    build_mixed_stream(&s, 0);
    uint8_t *buf = malloc(s.len);
    ck_assert_ptr_nonnull(buf);
    for (size_t split = 0; split <= s.len; split++) {
        size_t filled = 0, start = 0, decoded = 0;
        for (int read = 0; read < 2; read++) {
            size_t upto = read == 0 ? split : s.len;
            memcpy(buf + filled, s.data + filled, upto - filled);
            filled = upto;
            for (;;) {
                mqtt_packet p;
                mqtt_frame fr;
                mqtt_decode_opts o = decode_opts(MQTT_V311, MQTT_DIR_UNKNOWN); /* PUBLISH without properties */
                mqtt_result r = mqtt_decode(buf + start, filled - start, &o, &p, &fr);
                ck_assert_msg(r != MQTT_MALFORMED, "split %zu: malformed %s at %u", split, mqtt_err_name(fr.error.code),
                              (unsigned)fr.error.offset);
                if (r == MQTT_NEED_MORE) {
                    ck_assert_uint_gt(fr.need, filled - start);
                    ck_assert_uint_le(fr.need, s.ends[decoded] - start);
                    break;
                }
                ck_assert_uint_eq(start + fr.packet_len, s.ends[decoded]);
                start += fr.packet_len;
                decoded++;
            }
        }
        ck_assert_uint_eq(decoded, s.count);
    }
    free(buf);
    free(s.data);
}
END_TEST

START_TEST(frame_empty_and_one_byte_need_two)
{
    static const uint8_t b[] = {0xc0};
    mqtt_frame fr;
    ck_assert_int_eq(mqtt_frame_packet(b, 0, 0, &fr), MQTT_NEED_MORE);
    ck_assert_uint_eq(fr.need, 2); /* the shortest packet is 2 bytes */
    ck_assert_int_eq(mqtt_frame_packet(b, 1, 0, &fr), MQTT_NEED_MORE);
    ck_assert_uint_eq(fr.need, 2);
}
END_TEST

START_TEST(frame_remaining_length_split_mid_varint)
{
    /* 30 80 | 01 ...: the second length byte has the continuation bit, a third follows */
    uint8_t b[200];
    size_t n = hex_to_bytes("30 80", b, sizeof b);
    mqtt_frame fr;
    ck_assert_int_eq(mqtt_frame_packet(b, n, 0, &fr), MQTT_NEED_MORE);
    ck_assert_uint_ge(fr.need, 3);
    ck_assert_uint_le(fr.need, 3 + 128); /* the smallest packet this header can start is RL 128 */
    n = hex_to_bytes("30 80 01", b, sizeof b);
    ck_assert_int_eq(mqtt_frame_packet(b, n, 0, &fr), MQTT_NEED_MORE);
    ck_assert_uint_eq(fr.need, 3 + 128);
}
END_TEST

START_TEST(frame_largest_remaining_length)
{
    uint8_t b[8];
    size_t n = hex_to_bytes("30 ff ff ff 7f", b, sizeof b); /* 127 + 127*128 + 127*128^2 + 127*128^3 */
    mqtt_frame fr;
    ck_assert_int_eq(mqtt_frame_packet(b, n, 0, &fr), MQTT_NEED_MORE);
    ck_assert_uint_eq(fr.need, MQTT_MAX_PACKET_SIZE);
    ck_assert_uint_eq(MQTT_MAX_REMAINING_LENGTH, 268435455u);
}
END_TEST

typedef struct frame_error_case {
    const char *name;
    const char *hex;
    uint32_t max_packet_size;
    mqtt_err code;
    const char *offset;
} frame_error_case;

static const frame_error_case frame_errors[] = {
    /* four length bytes all with the continuation bit: a fifth would be needed, which is never allowed */
    {"5 length bytes", "30 ff ff ff ff 7f", 0, MQTT_ERR_VARINT_TOO_LONG, "1|4|5"},
    {"4 continuation bytes, nothing after", "30 ff ff ff ff", 0, MQTT_ERR_VARINT_TOO_LONG, "1|4|5"},
    {"5 length bytes of zero", "c0 80 80 80 80 00", 0, MQTT_ERR_VARINT_TOO_LONG, "1|4|5"},
    /* 0 written in two bytes (80 00) */
    {"RL 0 in 2 bytes", "c0 80 00", 0, MQTT_ERR_VARINT_NOT_MINIMAL, "1|2"},
    /* 127 written in two bytes (ff 00) */
    {"RL 127 in 2 bytes", "30 ff 00", 0, MQTT_ERR_VARINT_NOT_MINIMAL, "1|2"},
    /* 128 written in three bytes (80 81 00) */
    {"RL 128 in 3 bytes", "30 80 81 00", 0, MQTT_ERR_VARINT_NOT_MINIMAL, "1|3"},
    /* 1 written in 4 bytes */
    {"RL 1 in 4 bytes", "30 81 80 80 00", 0, MQTT_ERR_VARINT_NOT_MINIMAL, "1|4"},
    /* PUBLISH of 12 bytes with a limit of 11: refused from the header alone */
    {"over max, header only", "30 0a", 11, MQTT_ERR_PACKET_TOO_LARGE, "0|1"},
    {"over max, whole packet", "30 0a 00 01 61 00 00 00 00 00 00 00", 11, MQTT_ERR_PACKET_TOO_LARGE, "0|1"},
};

START_TEST(frame_malformed_table)
{
    const frame_error_case *c = &frame_errors[_i];
    uint8_t b[64];
    size_t n = hex_to_bytes(c->hex, b, sizeof b);
    mqtt_frame fr;
    memset(&fr, 0, sizeof fr);
    mqtt_result r = mqtt_frame_packet(b, n, c->max_packet_size, &fr);
    ck_assert_msg(r == MQTT_MALFORMED, "%s: result %d", c->name, (int)r);
    check_mqtt_error(&fr.error, c->code, STMT_ANY, c->offset, c->name, 0);
}
END_TEST

START_TEST(frame_max_packet_size_boundary)
{
    uint8_t b[16];
    size_t n = hex_to_bytes("30 0a 00 01 61 00 00 00 00 00 00 00", b, sizeof b); /* 12 bytes */
    mqtt_frame fr;
    ck_assert_int_eq(mqtt_frame_packet(b, n, 12, &fr), MQTT_COMPLETE);
    ck_assert_uint_eq(fr.packet_len, 12);
    mqtt_decode_opts o = {.version = MQTT_V311, .direction = MQTT_DIR_UNKNOWN, .max_packet_size = 12};
    mqtt_packet p;
    ck_assert_int_eq(mqtt_decode(b, n, &o, &p, &fr), MQTT_COMPLETE);
    o.max_packet_size = 11;
    ck_assert_int_eq(mqtt_decode(b, n, &o, &p, &fr), MQTT_MALFORMED);
    ck_assert_mqtt_error(&fr.error, MQTT_ERR_PACKET_TOO_LARGE, STMT_ANY, "0|1");
}
END_TEST

START_TEST(frame_ignores_type_decode_checks_it)
{
    uint8_t b[4];
    size_t n = hex_to_bytes("00 00", b, sizeof b);
    mqtt_frame fr;
    ck_assert_int_eq(mqtt_frame_packet(b, n, 0, &fr), MQTT_COMPLETE);
    ck_assert_uint_eq(fr.packet_len, 2);
    ck_assert_uint_eq(fr.header_len, 2);
    ck_assert_uint_eq(fr.remaining_length, 0);
}
END_TEST

/* mqtt_decode_framed on what mqtt_frame_packet framed gives mqtt_decode's result, packet and frame,
 * for well-formed packets, short and long acknowledgements, and packets the decoder rejects. */
START_TEST(decode_framed_matches_decode)
{
    static const char *const packets[] = {
        "c0 00", "30 05 00 01 61 68 69", "40 02 00 07", "62 02 00 07", "62 02 00 00", "60 02 00 07",
        "50 03 00 07 10", "70 04 00 07 00 00", "32 03 00 01 61", "10 00", "e0 00", "f0 00", "00 00", "3e 00",
    };
    for (size_t i = 0; i < ARRAY_LEN(packets); i++) {
        uint8_t b[16];
        size_t n = hex_to_bytes(packets[i], b, sizeof b);
        mqtt_frame framed;
        ck_assert_int_eq(mqtt_frame_packet(b, n, 0, &framed), MQTT_COMPLETE);
        for (mqtt_version v = MQTT_V31; v <= MQTT_V5; v++) {
            for (int dir = MQTT_DIR_UNKNOWN; dir <= MQTT_DIR_TO_CLIENT; dir++) {
                mqtt_decode_opts o = decode_opts(v, (mqtt_direction)dir);
                mqtt_packet p1, p2;
                mqtt_frame f1, f2;
                memset(&p1, 0, sizeof p1);
                memset(&p2, 0, sizeof p2);
                memset(&f1, 0, sizeof f1);
                memset(&f2, 0, sizeof f2);
                mqtt_result r1 = mqtt_decode(b, n, &o, &p1, &f1);
                mqtt_result r2 = mqtt_decode_framed(b, &framed, &o, &p2, &f2);
                ck_assert_msg(r1 == r2, "%s, version %d, direction %d: %d and %d", packets[i], (int)v, dir, (int)r1,
                              (int)r2);
                ck_assert_int_eq(memcmp(&f1, &f2, sizeof f1), 0);
                if (r1 == MQTT_COMPLETE)
                    ck_assert_int_eq(memcmp(&p1, &p2, sizeof p1), 0);
            }
        }
    }
}
END_TEST

/* Remaining Length rules through mqtt_decode, which knows the version and so the statement. */
static const decode_error_case decode_rl_errors[] = {
    {"RL 0 in 2 bytes, 3.1.1", "c0 80 00", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_VARINT_NOT_MINIMAL, STMT_NONE, "1|2"},
    {"RL 0 in 2 bytes, 5.0", "c0 80 00", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_VARINT_NOT_MINIMAL, "MQTT-1.5.5-1",
     "1|2"},
    {"RL 0 in 2 bytes, 3.1", "c0 80 00", MQTT_V31, MQTT_DIR_UNKNOWN, MQTT_ERR_VARINT_NOT_MINIMAL, STMT_NONE, "1|2"},
    {"5 length bytes, 5.0", "30 ff ff ff ff 7f", MQTT_V5, MQTT_DIR_UNKNOWN, MQTT_ERR_VARINT_TOO_LONG, STMT_NONE,
     "1|4|5"},
    {"5 length bytes, 3.1.1", "30 ff ff ff ff 7f", MQTT_V311, MQTT_DIR_UNKNOWN, MQTT_ERR_VARINT_TOO_LONG, STMT_NONE,
     "1|4|5"},
};

START_TEST(decode_remaining_length_errors)
{
    RUN_ERROR_CASE(&decode_rl_errors[_i]);
}
END_TEST

/* A truncated packet is NEED_MORE for decode too, with the exact total once the header is in. */
START_TEST(decode_truncated_is_need_more)
{
    uint8_t b[16];
    size_t n = hex_to_bytes("30 05 00 01 61 68 69", b, sizeof b);
    for (size_t k = 0; k < n; k++) {
        mqtt_packet p;
        mqtt_frame fr;
        mqtt_decode_opts o = decode_opts(MQTT_V311, MQTT_DIR_UNKNOWN);
        ck_assert_int_eq(mqtt_decode(b, k, &o, &p, &fr), MQTT_NEED_MORE);
        ck_assert_uint_gt(fr.need, k);
        ck_assert_uint_le(fr.need, n);
        if (k >= 2)
            ck_assert_uint_eq(fr.need, n);
    }
}
END_TEST

/* A peek at a CONNECT's level works on a partial buffer and says 0 for anything else. */
START_TEST(peek_connect_level)
{
    uint8_t b[64];
    size_t n = hex_to_bytes("10 10 00 04 4d 51 54 54 05 02 00 3c 00 00 03 61 62 63", b, sizeof b);
    ck_assert_uint_eq(mqtt_peek_connect_level(b, n), 5);
    n = hex_to_bytes("10 0c 00 04 4d 51 54 54 04 02 00 3c", b, sizeof b);
    ck_assert_uint_eq(mqtt_peek_connect_level(b, n), 4);
    n = hex_to_bytes("10 0e 00 06 4d 51 49 73 64 70 03 02 00 3c", b, sizeof b);
    ck_assert_uint_eq(mqtt_peek_connect_level(b, n), 3);
    n = hex_to_bytes("20 02 00 00", b, sizeof b); /* CONNACK */
    ck_assert_uint_eq(mqtt_peek_connect_level(b, n), 0);
    n = hex_to_bytes("10 0c 00 04 4d 51", b, sizeof b); /* cut before the level */
    ck_assert_uint_eq(mqtt_peek_connect_level(b, n), 0);
}
END_TEST

/* The Packet Identifier peek: found in a PUBLISH at QoS 1 (past the topic) and in the packets that
 * always carry one, even where buf ends inside the packet; none in QoS 0, CONNECT, PINGREQ, or when
 * buf ends before it. */
START_TEST(peek_packet_id)
{
    static const struct {
        const char *hex;
        bool found;
        uint16_t pid;
    } cases[] = {
        {"32 07 00 03 61 2f 62 12 34", true, 0x1234},  {"34 09 00 03 61 2f 62 00 00 78", true, 0},
        {"32 07 00 03 61 2f 62 00", false, 0},         {"30 05 00 03 61 2f 62", false, 0},
        {"40 02 00 07", true, 7},                      {"62 02 ab cd", true, 0xabcd},
        {"82 06 00 00", true, 0},                      {"a2 05 00 09 00 01", true, 9},
        {"b0 02 00 05", true, 5},                      {"10 0c 00 04 4d 51 54 54 04 02 00 3c", false, 0},
        {"c0 00", false, 0},                           {"40 02 00", false, 0},
        {"32 ff ff ff ff 7f", false, 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        uint8_t b[32];
        size_t n = hex_to_bytes(cases[i].hex, b, sizeof b);
        uint16_t pid = 0xffff;
        ck_assert_msg(mqtt_peek_packet_id(b, n, &pid) == cases[i].found, "%s", cases[i].hex);
        if (cases[i].found)
            ck_assert_uint_eq(pid, cases[i].pid);
    }
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("frame");
    TCase *tc = tcase_create("frame");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, frame_every_split_point_byte_by_byte);
    tcase_add_test(tc, decode_every_two_chunk_split);
    tcase_add_test(tc, frame_empty_and_one_byte_need_two);
    tcase_add_test(tc, frame_remaining_length_split_mid_varint);
    tcase_add_test(tc, frame_largest_remaining_length);
    tcase_add_loop_test(tc, frame_malformed_table, 0, (int)ARRAY_LEN(frame_errors));
    tcase_add_test(tc, frame_max_packet_size_boundary);
    tcase_add_test(tc, frame_ignores_type_decode_checks_it);
    tcase_add_test(tc, decode_framed_matches_decode);
    tcase_add_loop_test(tc, decode_remaining_length_errors, 0, (int)ARRAY_LEN(decode_rl_errors));
    tcase_add_test(tc, decode_truncated_is_need_more);
    tcase_add_test(tc, peek_connect_level);
    tcase_add_test(tc, peek_packet_id);
    suite_add_tcase(s, tc);
    return s;
}
