/* mqtk fuzz target "json": the JSON Lines reader behind `mqtk encode`.
 * Input: [selector][one JSON record]; the selector gives the default version and the direction.
 * Any text: fmt_json_parse either builds a tree or reports an error with a real line/column and a
 * message; fmt_packet_from_json either builds a packet or says why. A packet the checked encoder
 * accepts must decode; decoding and re-encoding it gives the same bytes; and the CLI contract
 * `decode --json | encode` holds: writing the decoded packet as JSON, reading that back and encoding
 * it reproduces the bytes exactly.
 * MQTK_FUZZ_LINK: lib/format lib/base
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "fuzz_target.h"
#include "format/json_read.h"
#include "format/json_write.h"
#include "format/packet_json.h"

/* Encode with an exact-size heap buffer; NULL when the encoder refuses. */
static uint8_t *encode_packet(const mqtt_packet *pkt, const mqtt_encode_opts *eo, size_t *len)
{
    uint32_t size = 0;
    if (mqtt_encoded_size(pkt, eo, &size) != MQTT_OK)
        return NULL;
    uint8_t *buf = malloc(size);
    size_t written = 0;
    if (!buf)
        return NULL;
    mqtt_err rc = mqtt_encode(pkt, eo, buf, size, &written, NULL);
    FUZZ_REQUIRE(rc != MQTT_ERR_BUFFER_TOO_SMALL && (rc != MQTT_OK || written == size),
                 "%s: encoder and size query disagree (%s, %zu of %u bytes)", mqtt_packet_type_name(pkt->type),
                 mqtt_err_name(rc), written, (unsigned)size);
    if (rc != MQTT_OK) { /* the size query only sizes; the rules are the encoder's */
        free(buf);
        return NULL;
    }
    *len = written;
    return buf;
}

/* JSON text -> packet -> bytes; NULL at the first stage that refuses. */
static uint8_t *json_to_bytes(const char *text, size_t len, mqtt_version default_version, mqtt_direction dir,
                              mqtt_version *version, size_t *out_len)
{
    fmt_json_value *root = NULL;
    fmt_json_error jerr;
    if (fmt_json_parse(text, len, &root, &jerr) != 0) {
        FUZZ_REQUIRE(root == NULL && jerr.line >= 1 && jerr.column >= 1 && jerr.message[0] != '\0' &&
                         memchr(jerr.message, '\0', sizeof jerr.message) != NULL,
                     "json_parse error without a position or message");
        return NULL;
    }
    FUZZ_REQUIRE(root != NULL, "json_parse succeeds without a tree");
    mqtt_packet pkt;
    fmt_packet_store store = {NULL, 0, 0};
    fmt_packet_json_error perr;
    uint8_t *bytes = NULL;
    if (fmt_packet_from_json(root, default_version, &pkt, version, &store, &perr) == 0) {
        mqtt_encode_opts eo = {*version, dir, 0};
        bytes = encode_packet(&pkt, &eo, out_len);
    } else {
        FUZZ_REQUIRE(perr.message[0] != '\0' && memchr(perr.message, '\0', sizeof perr.message) != NULL,
                     "packet_from_json fails without a message");
    }
    fmt_packet_store_free(&store);
    fmt_json_free(root);
    return bytes;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    mqtt_decode_opts opts;
    fuzz_decode_opts_from_selector(data[0], &opts);
    opts.max_packet_size = 0;
    const char *text = (const char *)data + 1; /* in place: the input buffer is exactly size bytes */
    size_t tlen = size - 1;

    mqtt_version version = opts.version;
    size_t elen = 0;
    uint8_t *enc = json_to_bytes(text, tlen, opts.version, opts.direction, &version, &elen);
    if (!enc)
        return 0;

    mqtt_decode_opts dopts = {.version = version, .direction = opts.direction};
    mqtt_packet pkt;
    mqtt_frame frame;
    mqtt_result r = mqtt_decode(enc, elen, &dopts, &pkt, &frame);
    if (r != MQTT_COMPLETE) {
        char msg[256] = "incomplete";
        if (r == MQTT_MALFORMED)
            mqtt_error_format(&frame.error, msg, sizeof msg);
        fuzz_fail("the decoder rejects the encoder's %s (%s) built from JSON: %s", mqtt_packet_type_name(enc[0] >> 4),
                  mqtt_version_name(version), msg);
    }
    FUZZ_REQUIRE(frame.packet_len == elen, "encoder wrote %zu bytes, decoder used %u", elen, (unsigned)frame.packet_len);
    fuzz_check_decoded(enc, elen, &dopts, &pkt, &frame);

    /* decode --json | encode reproduces the bytes. */
    fmt_json_writer w;
    fmt_jw_init(&w);
    fmt_packet_json_write(&w, &pkt, fuzz_effective_version(&pkt, &dopts), 0, elen);
    mqtt_version again_version = version;
    size_t again_len = 0;
    uint8_t *again = json_to_bytes(w.buf, w.len, version, opts.direction, &again_version, &again_len);
    if (!again)
        fuzz_fail("the JSON written for a decoded %s does not encode again: %.*s", mqtt_packet_type_name(pkt.type),
                  (int)(w.len < 400 ? w.len : 400), w.buf);
    FUZZ_REQUIRE(again_len == elen && memcmp(again, enc, elen) == 0,
                 "decode --json | encode changes the bytes of a %s: %.*s", mqtt_packet_type_name(pkt.type),
                 (int)(w.len < 400 ? w.len : 400), w.buf);
    fmt_jw_free(&w);
    free(again);
    free(enc);
    return 0;
}
