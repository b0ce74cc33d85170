/* What a 5.0 broker announces about itself in CONNACK (Maximum QoS, Retain Available, the three
 * "available" flags, Topic Alias Maximum, Receive Maximum, Maximum Packet Size, Server Keep Alive),
 * and how that turns into the run's capabilities and $server.* variables. */
#ifndef CR_DISCOVER_H
#define CR_DISCOVER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/arena.h"
#include "conformance/script/profile.h"
#include "interp.h"

typedef struct cr_server_caps {
    uint8_t maximum_qos;            /* 2 when absent */
    bool retain_available;          /* true when absent */
    bool wildcard_available;        /* true when absent */
    bool subscription_ids_available; /* true when absent */
    bool shared_available;          /* true when absent */
    uint16_t topic_alias_maximum;   /* 0 when absent */
    uint16_t receive_maximum;       /* 65535 when absent */
    uint32_t maximum_packet_size;   /* 0 when absent: no limit beyond the protocol's */
    int32_t server_keep_alive;      /* -1 when absent (the client's Keep Alive of 60 s applies) */
    bool assigns_client_id;         /* an empty client id got a CONNACK 0x00 */
    char assigned_client_id[128];
} cr_server_caps;

/* Connect with MQTT 5.0 (Keep Alive 60, no session) and read the CONNACK; then try an empty client
 * id. -1 with the reason in err when the broker does not accept a 5.0 connection. */
int cr_discover(const cr_run_opts *opts, cr_server_caps *caps, base_strbuf *err);
/* Send a CONNECT of version v with the run's credentials and say what the broker's answer means
 * for that version (spoken, not supported, or a finding), with *rtt_ms the CONNECT-CONNACK time.
 * Returns 0; -1 when the broker refuses the run's credentials, -2 when no TCP connection opens
 * (both setup errors, with the reason in err). */
int cr_probe_protocol(const cr_run_opts *opts, mqtt_version v, cr_version_probe *out, int64_t *rtt_ms,
                      base_strbuf *err);
/* MQTT 3.1.1 has no CONNACK properties: find out what the broker grants by asking. Subscribes at
 * QoS 2 (the granted QoS), to a wildcard filter (refused or not), and checks a retained message
 * reaches a later subscriber. Sets qos1 qos2 max-qos-below-2 wildcards wildcards-unavailable retain
 * retain-unavailable in p; returns -1 (p untouched) when it could not ask. */
int cr_discover_v311(const cr_run_opts *opts, cs_profile *p, base_strbuf *notes);
/* Is the broker still working: a fresh 3.1.1 connection, a subscription, a message through it.
 * -1 with what went wrong in why. index keeps client ids apart. */
int cr_health_check(const cr_run_opts *opts, unsigned index, base_strbuf *why);
/* Set the CONNACK-announced capabilities in p (they override the profile) and add the $server.*
 * and $profile.* variables to opts. Strings live in arena. */
void cr_caps_apply(const cr_server_caps *caps, cs_profile *p, cr_run_opts *opts, base_arena *arena);
/* Add the $profile.* variables of p to opts (for runs without 5.0). */
void cr_profile_vars(const cs_profile *p, cr_run_opts *opts);
/* The discovered profile as text (a profile file's syntax, with comments) or JSON. */
void cr_caps_print(FILE *out, const cr_server_caps *caps, const cs_profile *p, const char *broker,
                   const char *transport, bool json);

#endif
