#include "protocol_arg.h"

#include <string.h>

static const struct {
    const char *spelling;
    mqtt_version version;
} version_spellings[] = {
    {"3.1", MQTT_V31},
    {"3.1.1", MQTT_V311},
    {"5", MQTT_V5},
    {"5.0", MQTT_V5},
};

mqtt_version fmt_parse_version(const char *s)
{
    for (size_t i = 0; i < sizeof version_spellings / sizeof version_spellings[0]; i++)
        if (strcmp(s, version_spellings[i].spelling) == 0)
            return version_spellings[i].version;
    return 0;
}

bool fmt_parse_direction(const char *s, mqtt_direction *dir)
{
    if (strcmp(s, "client") == 0)
        *dir = MQTT_DIR_TO_SERVER;
    else if (strcmp(s, "server") == 0)
        *dir = MQTT_DIR_TO_CLIENT;
    else
        return false;
    return true;
}

const char *fmt_version_label(mqtt_version v)
{
    switch (v) {
    case MQTT_V31:
        return "v3.1";
    case MQTT_V311:
        return "v3.1.1";
    case MQTT_V5:
        return "v5";
    }
    return "v?";
}
