/* mqtk fuzz target "decode": any bytes as one packet.
 * Input: [selector][packet bytes]; the selector picks version, direction and an optional small
 * maximum packet size (fuzz_support.h). Every accepted packet must satisfy fuzz_check_decoded;
 * every rejection must carry a well-formed error. The packet bytes are read in place: libFuzzer (and
 * fuzz/replay_main.c) hand over a heap buffer of exactly the input's size, so ASan catches a read
 * one past the end without a copy here.
 * build.sh also builds decode_structured (with fuzz/mutator.c) for this marker:
 * MQTK_FUZZ_STRUCTURED: yes
 * MQTK_FUZZ_MAX_LEN: 1024 */
#include "fuzz_support.h"
#include "fuzz_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    mqtt_decode_opts opts;
    fuzz_decode_opts_from_selector(data[0], &opts);
    const uint8_t *buf = data + 1;
    size_t len = size - 1;

    mqtt_packet pkt;
    mqtt_frame frame;
    mqtt_result r = mqtt_decode(buf, len, &opts, &pkt, &frame);
    if (r == MQTT_COMPLETE) {
        fuzz_check_decoded(buf, len, &opts, &pkt, &frame);
    } else {
        fuzz_check_rejected(r, len, &frame);
    }

    /* The one-sided rules and the size limit only ever take packets away: what is accepted with
     * them is accepted without them, as the same packet. */
    if (r == MQTT_COMPLETE && (opts.direction != MQTT_DIR_UNKNOWN || opts.max_packet_size != 0)) {
        mqtt_decode_opts lax = {.version = opts.version, .direction = MQTT_DIR_UNKNOWN};
        mqtt_packet again;
        mqtt_frame again_frame;
        FUZZ_REQUIRE(mqtt_decode(buf, len, &lax, &again, &again_frame) == MQTT_COMPLETE &&
                         again_frame.packet_len == frame.packet_len,
                     "accepted with direction %d / limit %u but rejected without", (int)opts.direction,
                     (unsigned)opts.max_packet_size);
        fuzz_require_same_packet(&pkt, &again, opts.version, "direction-free decode");
    }

    /* Framing alone must agree with decoding about where the packet ends. */
    mqtt_frame framed;
    mqtt_result fr = mqtt_frame_packet(buf, len, opts.max_packet_size, &framed);
    if (r == MQTT_COMPLETE)
        FUZZ_REQUIRE(fr == MQTT_COMPLETE && framed.packet_len == frame.packet_len, "frame and decode disagree");
    if (fr == MQTT_NEED_MORE)
        FUZZ_REQUIRE(r == MQTT_NEED_MORE && framed.need == frame.need, "decode ignores an incomplete frame");
    if (fr == MQTT_MALFORMED)
        FUZZ_REQUIRE(r == MQTT_MALFORMED && framed.error.code == frame.error.code,
                     "decode reports %s where framing reports %s", mqtt_err_name(frame.error.code),
                     mqtt_err_name(framed.error.code));

    /* CONNECT level peeking never reads out of bounds and agrees with a decoded CONNECT. */
    unsigned level = mqtt_peek_connect_level(buf, len);
    if (r == MQTT_COMPLETE && pkt.type == MQTT_CONNECT)
        FUZZ_REQUIRE(level == pkt.u.connect.protocol_level, "peek level %u vs decoded %u", level,
                     pkt.u.connect.protocol_level);
    return 0;
}
