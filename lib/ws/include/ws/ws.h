/* mqtk WebSocket layer (libmqtkws): RFC 6455 framing and the opening handshake, shared by the capture
 * reader and the client transports. */
#ifndef WS_WS_H
#define WS_WS_H

#include "ws/client.h"
#include "ws/errors.h"
#include "ws/frame.h"
#include "ws/handshake.h"

#endif
