/* Shared assertions and drivers for the codec unit tests (see support.h). */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

size_t hex_to_bytes(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int high = -1;
    for (const char *p = hex; *p; p++) {
        if (*p == ' ' || *p == '\n' || *p == '\t')
            continue;
        int d = hex_digit(*p);
        ck_assert_msg(d >= 0, "bad hex digit '%c' in test input \"%s\"", *p, hex);
        if (high < 0) {
            high = d;
            continue;
        }
        ck_assert_msg(n < cap, "test input longer than %zu bytes", cap);
        out[n++] = (uint8_t)(high << 4 | d);
        high = -1;
    }
    ck_assert_msg(high < 0, "odd number of hex digits in \"%s\"", hex);
    return n;
}

void bytes_to_hex(const uint8_t *data, size_t len, char *out, size_t cap)
{
    size_t at = 0;
    if (cap == 0)
        return;
    out[0] = '\0';
    for (size_t i = 0; i < len && at + 4 < cap; i++)
        at += (size_t)snprintf(out + at, cap - at, i ? " %02x" : "%02x", data[i]);
    if (len > 0 && at + 4 >= cap && cap > 4)
        snprintf(out + cap - 4, 4, "...");
}

/* Whether want (one item) is among the '|'-separated alternatives. */
static int listed(const char *alternatives, const char *want)
{
    size_t wl = strlen(want);
    const char *p = alternatives;
    for (;;) {
        const char *bar = strchr(p, '|');
        size_t l = bar ? (size_t)(bar - p) : strlen(p);
        if (l == wl && memcmp(p, want, l) == 0)
            return 1;
        if (!bar)
            return 0;
        p = bar + 1;
    }
}

void check_mqtt_error(const mqtt_error *err, mqtt_err code, const char *statements, const char *offsets,
                      const char *file, int line)
{
    char off[16];
    ck_assert_msg(err->code == code, "%s:%d: error %s (%d), expected %s (%d)", file, line, mqtt_err_name(err->code),
                  (int)err->code, mqtt_err_name(code), (int)code);
    if (statements == STMT_NONE)
        ck_assert_msg(err->statement == NULL, "%s:%d: %s: statement %s, expected none", file, line,
                      mqtt_err_name(code), err->statement);
    else if (strcmp(statements, STMT_ANY) != 0)
        ck_assert_msg(err->statement && listed(statements, err->statement), "%s:%d: %s: statement %s, expected %s",
                      file, line, mqtt_err_name(code), err->statement ? err->statement : "(none)", statements);
    snprintf(off, sizeof off, "%u", (unsigned)err->offset);
    if (strcmp(offsets, OFF_ANY) != 0)
        ck_assert_msg(listed(offsets, off), "%s:%d: %s: offset %s, expected %s", file, line, mqtt_err_name(code), off,
                      offsets);
}

void check_bytes_eq(const uint8_t *got, size_t got_len, const uint8_t *want, size_t want_len, const char *file,
                    int line)
{
    if (got_len == want_len && (want_len == 0 || memcmp(got, want, want_len) == 0))
        return;
    size_t first = 0;
    while (first < got_len && first < want_len && got[first] == want[first])
        first++;
    char g[600], w[600];
    bytes_to_hex(got, got_len, g, sizeof g);
    bytes_to_hex(want, want_len, w, sizeof w);
    ck_abort_msg("%s:%d: bytes differ at index %zu\n  got  (%zu): %s\n  want (%zu): %s", file, line, first, got_len, g,
                 want_len, w);
}

void check_view_str(mqtt_bytes view, const char *want, const char *file, int line)
{
    check_bytes_eq(view.data, view.len, (const uint8_t *)want, strlen(want), file, line);
}

void check_view_hex(mqtt_bytes view, const char *hex, const char *file, int line)
{
    uint8_t want[1024];
    size_t n = hex_to_bytes(hex, want, sizeof want);
    check_bytes_eq(view.data, view.len, want, n, file, line);
}

mqtt_bytes hex_view(const char *hex, uint8_t *buf, size_t cap)
{
    mqtt_bytes b = {buf, (uint32_t)hex_to_bytes(hex, buf, cap)};
    return b;
}

mqtt_props props_view(const char *hex, uint8_t *buf, size_t cap)
{
    mqtt_props p = {buf, (uint32_t)hex_to_bytes(hex, buf, cap)};
    return p;
}

mqtt_bytes props_bytes(mqtt_props p)
{
    mqtt_bytes b = {p.data, p.len};
    return b;
}

mqtt_decode_opts decode_opts(mqtt_version v, mqtt_direction dir)
{
    mqtt_decode_opts o = {.version = v, .direction = dir};
    return o;
}

mqtt_encode_opts encode_opts(mqtt_version v, mqtt_direction dir, unsigned flags)
{
    mqtt_encode_opts o = {v, dir, flags};
    return o;
}

void decode_hex_ok(const char *hex, mqtt_version v, mqtt_direction dir, uint8_t *buf, size_t cap, mqtt_packet *pkt,
                   const char *file, int line)
{
    size_t n = hex_to_bytes(hex, buf, cap);
    mqtt_decode_opts o = decode_opts(v, dir);
    mqtt_frame fr;
    memset(pkt, 0, sizeof *pkt);
    memset(&fr, 0, sizeof fr);
    mqtt_result r = mqtt_decode(buf, n, &o, pkt, &fr);
    if (r == MQTT_MALFORMED) {
        char msg[256];
        mqtt_error_format(&fr.error, msg, sizeof msg);
        ck_abort_msg("%s:%d: decode of a valid packet failed: %s", file, line, msg);
    }
    ck_assert_msg(r == MQTT_COMPLETE, "%s:%d: decode result %d, expected COMPLETE", file, line, (int)r);
    ck_assert_msg(fr.packet_len == n, "%s:%d: packet_len %u, expected %zu", file, line, (unsigned)fr.packet_len, n);
}

void encode_expect_hex(const mqtt_packet *pkt, mqtt_version v, mqtt_direction dir, const char *hex, const char *file,
                       int line)
{
    uint8_t want[2048];
    size_t n = hex_to_bytes(hex, want, sizeof want);
    mqtt_encode_opts o = encode_opts(v, dir, 0);
    uint32_t size = 0;
    mqtt_err e = mqtt_encoded_size(pkt, &o, &size);
    ck_assert_msg(e == MQTT_OK, "%s:%d: encoded_size failed: %s", file, line, mqtt_err_name(e));
    ck_assert_msg(size == n, "%s:%d: encoded_size %u, golden is %zu bytes", file, line, (unsigned)size, n);

    /* Exactly sized heap buffers let ASan catch a write past cap. */
    uint8_t *out = malloc(n);
    ck_assert_ptr_nonnull(out);
    size_t written = 0;
    mqtt_error err = {MQTT_OK, 0, NULL};
    e = mqtt_encode(pkt, &o, out, n, &written, &err);
    if (e != MQTT_OK) {
        free(out);
        ck_abort_msg("%s:%d: encode failed: %s (offset %u, %s)", file, line, mqtt_err_name(e), (unsigned)err.offset,
                     err.statement ? err.statement : "-");
    }
    ck_assert_msg(written == n, "%s:%d: written %zu, expected %zu", file, line, written, n);
    check_bytes_eq(out, written, want, n, file, line);
    free(out);

    for (size_t cap = 0; cap < n; cap++) {
        uint8_t *small = malloc(cap ? cap : 1);
        ck_assert_ptr_nonnull(small);
        written = 12345;
        e = mqtt_encode(pkt, &o, small, cap, &written, &err);
        free(small);
        ck_assert_msg(e == MQTT_ERR_BUFFER_TOO_SMALL, "%s:%d: cap %zu of %zu: %s, expected buffer_too_small", file,
                      line, cap, n, mqtt_err_name(e));
    }
}

void roundtrip_hex(const char *hex, mqtt_version v, mqtt_direction dir, const char *file, int line)
{
    uint8_t in[2048];
    mqtt_packet pkt;
    decode_hex_ok(hex, v, dir, in, sizeof in, &pkt, file, line);
    size_t n = hex_to_bytes(hex, in, sizeof in); /* same bytes again; views stay valid */
    uint8_t out[2048];
    size_t written = 0;
    mqtt_error err = {MQTT_OK, 0, NULL};
    mqtt_encode_opts o = encode_opts(v, dir, 0);
    mqtt_err e = mqtt_encode(&pkt, &o, out, sizeof out, &written, &err);
    ck_assert_msg(e == MQTT_OK, "%s:%d: re-encode failed: %s (offset %u)", file, line, mqtt_err_name(e),
                  (unsigned)err.offset);
    check_bytes_eq(out, written, in, n, file, line);
}

void run_decode_error_case(const decode_error_case *c, const char *file, int line)
{
    uint8_t buf[2048];
    size_t n = hex_to_bytes(c->hex, buf, sizeof buf);
    mqtt_decode_opts o = decode_opts(c->version, c->direction);
    mqtt_packet pkt;
    mqtt_frame fr;
    memset(&fr, 0, sizeof fr);
    mqtt_result r = mqtt_decode(buf, n, &o, &pkt, &fr);
    char where[160];
    snprintf(where, sizeof where, "%s (case \"%s\", v%s)", file, c->name, mqtt_version_name(c->version));
    ck_assert_msg(r == MQTT_MALFORMED, "%s:%d: decode result %d, expected MALFORMED (%s)", where, line, (int)r,
                  mqtt_err_name(c->code));
    check_mqtt_error(&fr.error, c->code, c->statement, c->offset, where, line);
}

void run_decode_ok_case(const decode_ok_case *c, const char *file, int line)
{
    uint8_t buf[2048];
    mqtt_packet pkt;
    char where[160];
    snprintf(where, sizeof where, "%s (case \"%s\", v%s)", file, c->name, mqtt_version_name(c->version));
    decode_hex_ok(c->hex, c->version, c->direction, buf, sizeof buf, &pkt, where, line);
}
