/* Names of packet types and protocol versions. */
#include <string.h>

#include "mqtt/types.h"

static const char *const packet_type_names[16] = {
    NULL,        "CONNECT", "CONNACK",    "PUBLISH",  "PUBACK",      "PUBREC",  "PUBREL",     "PUBCOMP",
    "SUBSCRIBE", "SUBACK",  "UNSUBSCRIBE", "UNSUBACK", "PINGREQ",    "PINGRESP", "DISCONNECT", "AUTH",
};

const char *mqtt_packet_type_name(unsigned type)
{
    return type < 16 ? packet_type_names[type] : NULL;
}

mqtt_version mqtt_version_from_level(unsigned level)
{
    switch (level) {
    case MQTT_V31:
    case MQTT_V311:
    case MQTT_V5:
        return (mqtt_version)level;
    default:
        return (mqtt_version)0;
    }
}

const char *mqtt_version_name(mqtt_version v)
{
    switch (v) {
    case MQTT_V31:
        return "3.1";
    case MQTT_V311:
        return "3.1.1";
    case MQTT_V5:
        return "5.0";
    }
    return "unknown";
}

mqtt_bytes mqtt_cstr(const char *s)
{
    return (mqtt_bytes){(const uint8_t *)s, s ? (uint32_t)strlen(s) : 0};
}
