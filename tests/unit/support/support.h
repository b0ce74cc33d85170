/* Helpers shared by the codec unit tests: hex input, error and byte assertions, decode/encode
 * drivers and the table row type for "this input must be refused with this error".
 *
 * Expected statements and offsets are strings so a row can name the few answers the standard
 * leaves open: "MQTT-4.8.2-1|MQTT-4.8.2-2" accepts either ID, "4|5" either offset. STMT_NONE
 * demands a NULL statement (the standard states the rule without an ID); STMT_ANY skips the check. */
#ifndef MQTK_TEST_SUPPORT_H
#define MQTK_TEST_SUPPORT_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

#include "mqtt/codec.h"

#define STMT_NONE ((const char *)0)
#define STMT_ANY "*"
#define OFF_ANY "*"

/* Each test file defines the suite the shared runner main() runs. */
Suite *unit_suite(void);

/* Parse hex ("10 1f 00 04", whitespace ignored) into out; fails the test on bad input or overflow. */
size_t hex_to_bytes(const char *hex, uint8_t *out, size_t cap);
/* "10 1f 00 …" for messages; always NUL-terminated. */
void bytes_to_hex(const uint8_t *data, size_t len, char *out, size_t cap);

void check_mqtt_error(const mqtt_error *err, mqtt_err code, const char *statements, const char *offsets,
                      const char *file, int line);
#define ck_assert_mqtt_error(err, code, statements, offsets)                                                        \
    check_mqtt_error((err), (code), (statements), (offsets), __FILE__, __LINE__)

void check_bytes_eq(const uint8_t *got, size_t got_len, const uint8_t *want, size_t want_len, const char *file,
                    int line);
#define ck_assert_bytes_eq(got, got_len, want, want_len)                                                            \
    check_bytes_eq((got), (got_len), (want), (want_len), __FILE__, __LINE__)

/* A view equals a C string (byte for byte, no terminator in the view). */
void check_view_str(mqtt_bytes view, const char *want, const char *file, int line);
#define ck_assert_view_str(view, want) check_view_str((view), (want), __FILE__, __LINE__)
/* A view equals the bytes the hex spells. */
void check_view_hex(mqtt_bytes view, const char *hex, const char *file, int line);
#define ck_assert_view_hex(view, hex) check_view_hex((view), (hex), __FILE__, __LINE__)

/* Views of hex-spelled bytes stored in buf (for building packets to encode). */
mqtt_bytes hex_view(const char *hex, uint8_t *buf, size_t cap);
mqtt_props props_view(const char *hex, uint8_t *buf, size_t cap);
mqtt_bytes props_bytes(mqtt_props p);

mqtt_decode_opts decode_opts(mqtt_version v, mqtt_direction dir);
mqtt_encode_opts encode_opts(mqtt_version v, mqtt_direction dir, unsigned flags);

/* Decode hex (which must be exactly one well-formed packet) into pkt, views into buf. */
void decode_hex_ok(const char *hex, mqtt_version v, mqtt_direction dir, uint8_t *buf, size_t cap, mqtt_packet *pkt,
                   const char *file, int line);
#define DECODE_OK(hex, v, dir, buf, pkt) decode_hex_ok((hex), (v), (dir), (buf), sizeof(buf), (pkt), __FILE__, __LINE__)

/* Encode pkt (checked) and compare with the golden hex; also checks that mqtt_encoded_size equals the
 * length written and that every smaller buffer gets MQTT_ERR_BUFFER_TOO_SMALL. */
void encode_expect_hex(const mqtt_packet *pkt, mqtt_version v, mqtt_direction dir, const char *hex, const char *file,
                       int line);
#define ENCODE_EQ(pkt, v, dir, hex) encode_expect_hex((pkt), (v), (dir), (hex), __FILE__, __LINE__)

/* Decode hex, encode the result, expect the identical bytes. */
void roundtrip_hex(const char *hex, mqtt_version v, mqtt_direction dir, const char *file, int line);
#define ROUNDTRIP(hex, v, dir) roundtrip_hex((hex), (v), (dir), __FILE__, __LINE__)

/* One input the decoder must refuse. hex may hold bytes after the packet (to prove that lengths are
 * bounded by the packet, not by the buffer). */
typedef struct decode_error_case {
    const char *name;
    const char *hex;
    mqtt_version version;
    mqtt_direction direction;
    mqtt_err code;
    const char *statement; /* see the header comment */
    const char *offset;
}
decode_error_case;

void run_decode_error_case(const decode_error_case *c, const char *file, int line);
#define RUN_ERROR_CASE(c) run_decode_error_case((c), __FILE__, __LINE__)

/* One input the decoder must accept (usually a boundary next to an error case). */
typedef struct decode_ok_case {
    const char *name;
    const char *hex;
    mqtt_version version;
    mqtt_direction direction;
} decode_ok_case;

void run_decode_ok_case(const decode_ok_case *c, const char *file, int line);
#define RUN_OK_CASE(c) run_decode_ok_case((c), __FILE__, __LINE__)

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
