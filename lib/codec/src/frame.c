/* Framing: find where the packet at the start of a byte stream ends, however the stream was split. */
#include "mqtt/decode.h"
#include "wire.h"

static mqtt_result frame_malformed(mqtt_frame *frame, mqtt_err code, uint32_t offset)
{
    frame->error = (mqtt_error){code, offset, NULL}; /* the decoder cites a statement per version */
    return MQTT_MALFORMED;
}

mqtt_result mqtt_frame_packet(const uint8_t *buf, size_t len, uint32_t max_packet_size, mqtt_frame *frame)
{
    if (len < 2) {
        frame->need = 2;
        return MQTT_NEED_MORE;
    }
    uint32_t remaining, header_len;
    mqtt_err e = wire_fixed_header(buf, len, &remaining, &header_len); /* the length ends by byte 5 */
    if (e == MQTT_ERR_FIELD_OVERRUNS_PACKET) {
        /* every length byte so far says "more follows": at least one more byte is needed */
        frame->need = (uint32_t)len + 1;
        return MQTT_NEED_MORE;
    }
    if (e != MQTT_OK)
        return frame_malformed(frame, e, 1);
    uint64_t packet_len = (uint64_t)header_len + remaining;
    uint64_t limit = max_packet_size ? max_packet_size : MQTT_MAX_PACKET_SIZE;
    if (packet_len > limit)
        return frame_malformed(frame, MQTT_ERR_PACKET_TOO_LARGE, 0);
    if (len < packet_len) {
        frame->need = (uint32_t)packet_len;
        return MQTT_NEED_MORE;
    }
    frame->packet_len = (uint32_t)packet_len;
    frame->remaining_length = remaining;
    frame->header_len = (uint8_t)header_len;
    return MQTT_COMPLETE;
}
