/* Protocol version and direction as the CLI spells them. */
#ifndef FMT_PROTOCOL_ARG_H
#define FMT_PROTOCOL_ARG_H

#include <stdbool.h>

#include "mqtt/types.h"

/* "3.1", "3.1.1", "5" or "5.0"; 0 when s is none of them. */
mqtt_version fmt_parse_version(const char *s);
/* "client" (sent by a client, to the server) or "server"; false when s is neither. */
bool fmt_parse_direction(const char *s, mqtt_direction *dir);
/* Short label for summaries: "v3.1", "v3.1.1", "v5". */
const char *fmt_version_label(mqtt_version v);

#endif
