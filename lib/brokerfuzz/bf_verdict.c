#include "bf_verdict.h"

#include <string.h>

/* Per codec error, the statement that makes the broker close, per version (NULL: the rule binds the
 * sender only, or the standard leaves the receiver free). Why each row is (or is not) judged:
 * - flags: 3.1.1 tells the receiver to close [MQTT-2.2.2-2]; 5.0 calls invalid flags a Malformed
 *   Packet (2.1.3), and PUBREL/SUBSCRIBE/UNSUBSCRIBE/AUTH state the close themselves (see below).
 * - UTF-8: both versions say a receiver of ill-formed UTF-8 or U+0000 closes (3.1.1) / has a
 *   Malformed Packet (5.0 1.5.4).
 * - PUBLISH QoS 3: the receiver closes (3.1.1 [MQTT-3.3.1-4]); a Malformed Packet (5.0 3.3.1.2).
 * - no topic filter: a protocol violation (3.1.1 3.8.3/3.10.3) / Protocol Error (5.0).
 * - SUBSCRIBE options: 3.1.1 [MQTT-3.8.3-4] and 5.0 [MQTT-3.8.3-5] make the server close on reserved
 *   bits; 5.0 calls QoS 3, Retain Handling 3 and No Local on a shared subscription Protocol Errors.
 * - 5.0 properties: an identifier not valid for the packet is a Malformed Packet (2.2.2.2); each
 *   property given twice, Authentication Data without a Method, and the zero values the codec
 *   refuses (Receive Maximum, Maximum Packet Size, Topic Alias, Subscription Identifier) are
 *   Protocol Errors; an AUTH without Authentication Method is one too (3.15.2.2).
 * Not judged, because only the sender is bound: a non-minimal Variable Byte Integer [MQTT-1.5.5-1],
 * packet identifier 0, DUP on QoS 0, wildcards or emptiness in a topic name or filter (5.0 lets the
 * server refuse a filter in SUBACK), share names, a Response Topic with wildcards, a Subscription
 * Identifier from a client, a property value outside its set, and an undefined reason code (the
 * standard says which codes a sender uses, not that another one is malformed). */
static const struct {
    mqtt_err err;
    const char *v311, *v5;
} close_rules[] = {
    {MQTT_ERR_BAD_FIXED_HEADER_FLAGS, "MQTT-2.2.2-2", "MQTT-4.13.1-1"},
    {MQTT_ERR_UTF8_INVALID, "MQTT-1.5.3-1", "MQTT-4.13.1-1"},
    {MQTT_ERR_UTF8_NULL, "MQTT-1.5.3-2", "MQTT-4.13.1-1"},
    {MQTT_ERR_PUBLISH_QOS_3, "MQTT-3.3.1-4", "MQTT-4.13.1-1"},
    {MQTT_ERR_NO_TOPIC_FILTERS, "MQTT-4.8.0-1", "MQTT-4.13.1-1"},
    {MQTT_ERR_SUBSCRIBE_RESERVED_BITS, "MQTT-3.8.3-4", "MQTT-3.8.3-5"},
    {MQTT_ERR_SUBSCRIBE_QOS_3, "MQTT-3.8.3-4", "MQTT-4.13.1-1"},
    {MQTT_ERR_RETAIN_HANDLING_3, NULL, "MQTT-4.13.1-1"},
    {MQTT_ERR_SHARED_NO_LOCAL, NULL, "MQTT-4.13.1-1"},
    {MQTT_ERR_PROPERTY_UNKNOWN, NULL, "MQTT-4.13.1-1"},
    {MQTT_ERR_PROPERTY_NOT_ALLOWED, NULL, "MQTT-4.13.1-1"},
    {MQTT_ERR_PROPERTY_DUPLICATE, NULL, "MQTT-4.13.1-1"},
    {MQTT_ERR_PROPERTY_ZERO, NULL, "MQTT-4.13.1-1"},
    {MQTT_ERR_AUTH_DATA_WITHOUT_METHOD, NULL, "MQTT-4.13.1-1"},
    {MQTT_ERR_AUTH_METHOD_MISSING, NULL, "MQTT-4.13.1-1"},
};

/* 5.0 packets whose flags rule itself tells the server to treat other values as malformed and close */
static const char *const flag_rules_v5[] = {"MQTT-3.6.1-1", "MQTT-3.8.1-1", "MQTT-3.10.1-1", "MQTT-3.15.1-1",
                                            "MQTT-3.14.1-1"};

const char *bf_close_statement(uint8_t type, mqtt_err err, const char *codec_statement, mqtt_version v)
{
    /* the protocol name and level may be another specification the broker speaks */
    if (err == MQTT_ERR_PROTOCOL_LEVEL || err == MQTT_ERR_PROTOCOL_NAME)
        return NULL;
    /* the server must check a CONNECT against the format of 3.1 and close if it does not match; the
     * Remaining Length's encoding is a rule of 1.5.5 binding the sender, not one of 3.1 */
    if (type == MQTT_CONNECT && codec_statement && err != MQTT_ERR_VARINT_NOT_MINIMAL)
        return "MQTT-3.1.4-1";
    if (err == MQTT_ERR_BAD_FIXED_HEADER_FLAGS && v == MQTT_V5 && codec_statement)
        for (size_t i = 0; i < sizeof flag_rules_v5 / sizeof flag_rules_v5[0]; i++)
            if (strcmp(codec_statement, flag_rules_v5[i]) == 0)
                return flag_rules_v5[i];
    for (size_t i = 0; i < sizeof close_rules / sizeof close_rules[0]; i++)
        if (close_rules[i].err == err)
            return v == MQTT_V5 ? close_rules[i].v5 : close_rules[i].v311;
    return NULL;
}
