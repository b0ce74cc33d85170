/* mqtt_encode_publish_header: a PUBLISH's fixed and variable header alone, its Remaining Length
 * counting a payload the caller sends separately.
 *
 * Checked mode lets the decoder judge, as mqtt_encode does: the PUBLISH rules are all in the
 * header (the decoder reads the payload as opaque bytes), so the header framed as a PUBLISH with
 * an empty payload is decoded first. Only its Remaining Length differs from the real header; error
 * offsets past it are shifted by the difference. */
#include "mqtt/encode.h"

#include "encode_body.h"
#include "wire_write.h"

/* Frame the variable header alone at buf, decode it, and report the decoder's verdict with offsets
 * as they stand in the real header, whose fixed header is real_header_len bytes. */
static mqtt_err check_header_alone(const mqtt_publish *pub, const mqtt_encode_opts *opts, mqtt_version v,
                                   uint32_t varhdr_len, uint32_t real_header_len, uint8_t *buf, mqtt_error *err)
{
    uint8_t *p = enc_fixed_header_write(buf, enc_publish_byte0(pub), varhdr_len);
    uint32_t probe_header_len = (uint32_t)(p - buf);
    enc_publish_varhdr_write(pub, v, p);
    mqtt_err rc = enc_check_by_decoding(buf, probe_header_len + varhdr_len, v, opts, err);
    if (rc != MQTT_OK && err && err->offset >= probe_header_len)
        err->offset += real_header_len - probe_header_len;
    return rc;
}

mqtt_err mqtt_encode_publish_header(const mqtt_publish *pub, const mqtt_encode_opts *opts, uint8_t *buf,
                                    size_t cap, size_t *written, mqtt_error *err)
{
    mqtt_version v = enc_version(opts);
    *written = 0;
    if (!v)
        return enc_fail(err, MQTT_ERR_VALUE_OUT_OF_RANGE, 0, v);
    uint64_t varhdr_len = enc_publish_varhdr_size(pub, v);
    uint64_t body_len = varhdr_len + pub->payload.len;
    uint32_t total;
    if (enc_total_size(body_len, &total) != MQTT_OK)
        return enc_fail(err, MQTT_ERR_VALUE_OUT_OF_RANGE, 0, v);
    uint32_t header_len = total - (uint32_t)body_len;
    size_t len = header_len + (size_t)varhdr_len;
    if (cap < len)
        return enc_fail(err, MQTT_ERR_BUFFER_TOO_SMALL, (uint32_t)cap, v);
    if (enc_checked(opts)) {
        /* the probe is never longer than the real header: its Remaining Length is smaller */
        mqtt_err rc = check_header_alone(pub, opts, v, (uint32_t)varhdr_len, header_len, buf, err);
        if (rc != MQTT_OK)
            return rc;
    }
    uint8_t *p = enc_fixed_header_write(buf, enc_publish_byte0(pub), (uint32_t)body_len);
    enc_publish_varhdr_write(pub, v, p);
    *written = len;
    return MQTT_OK;
}
