/* mqtk codec — the whole public API. Allocation-free, no global mutable state, no I/O. */
#ifndef MQTT_CODEC_H
#define MQTT_CODEC_H

#include "mqtt/types.h"
#include "mqtt/errors.h"
#include "mqtt/decode.h"
#include "mqtt/encode.h"
#include "mqtt/properties.h"
#include "mqtt/packet.h"
#include "mqtt/topic.h"
#include "mqtt/reason_codes.h"

#endif
