# Profile of Eclipse Mosquitto 2.0 as `mqtk run` starts it without --broker (anonymous access,
# no persistence, default limits). Capabilities are the optional features the broker offers;
# tests needing any other are skipped as not applicable.
broker mosquitto 2.0 (embedded configuration)
capabilities qos1 qos2 retain wildcards sys empty-client-id

# Known deviations: deviation TEST-ID STATEMENT-ID reason
deviation 3.1.1/publish/overlapping-subscriptions-highest-qos MQTT-3.3.5-1 mosquitto 2.0 sends one copy of a message that matches several subscriptions of a client, at the QoS of the first matching subscription rather than the highest (observed with filters a at QoS 0 and + at QoS 1)
deviation 3.1.1/ping/pingreq-bad-flags-closes MQTT-2.2.2-2 mosquitto 2.0 answers a PINGREQ whose reserved fixed-header flags are 0001 with PINGRESP instead of closing the connection
deviation 3.1.1/ping/puback-bad-flags-closes MQTT-2.2.2-2 mosquitto 2.0 keeps the connection open after a PUBACK whose reserved fixed-header flags are 0010

# What CONNACK cannot say: the embedded configuration's ACL refuses this topic tree to every client.
forbidden-topic mqtk/forbidden/x
deviation 5.0/publish/subscription-identifier-from-client-closes MQTT-4.13.1-1 mosquitto 2.0.11 accepts a PUBLISH from a client that carries a Subscription Identifier (a Protocol Error, section 3.3.4) and keeps the connection open
deviation 5.0/subscribe/shared-without-filter-refused MQTT-4.8.2-2 mosquitto 2.0.11 grants a subscription to "$share/NAME" with no topic filter after the share name instead of refusing it
deviation 5.0/subscribe/shared-no-local-is-protocol-error MQTT-3.8.3-4 mosquitto 2.0.11 grants a shared subscription with No Local set (a Protocol Error) instead of closing the connection
deviation 5.0/flow/receive-maximum-respected MQTT-3.3.4-9 mosquitto 2.0.11 sends two queued QoS 1 messages after a single PUBACK to a client with Receive Maximum 2, leaving three unacknowledged
deviation 5.0/session/qos2-inflight-not-expired MQTT-4.3.3-7 mosquitto 2.0.11 discards a QoS 2 message whose Message Expiry Interval passes after the PUBLISH was sent but before PUBREC, instead of resending it on session resumption
deviation 5.0/disconnect/keep-alive-expiry-disconnects MQTT-3.1.2-22 mosquitto 2.0.11 checks keep alive in one sweep over all clients every 5 to 6 s: a silent client with Keep Alive 2 that connects right after a sweep is closed about 5 s after CONNACK, not within 3 s (one that happens to connect about 3 s before a sweep is closed on time)
deviation 5.0/flow/receive-maximum-respected MQTT-4.9.0-2 mosquitto 2.0.11 lets the number of unacknowledged QoS 1 messages to a client exceed the Receive Maximum it announced (three in flight with Receive Maximum 2 after one PUBACK)
deviation 5.0/subscribe/shared-no-local-is-protocol-error MQTT-4.13.1-1 mosquitto 2.0.11 answers a shared subscription with No Local set (a Protocol Error) with SUBACK 0x00 and keeps the connection open instead of closing it
deviation 5.0/will/will-sent-at-close-without-session-expiry MQTT-3.1.2-8 mosquitto 2.0.11 holds the will for the full Will Delay Interval even when Session Expiry is 0, so the session ends at the close and the will should go out then (observed: Will Delay 30 s, will sent 30 s after the close)
deviation 3.1.1/ping/keep-alive-expiry-disconnects MQTT-3.1.2-24 mosquitto 2.0.11 checks keep alive in one sweep over all clients every 5 to 6 s: a silent client with Keep Alive 2 that connects right after a sweep is closed about 5 s after CONNACK, not within 3 s (one that happens to connect about 3 s before a sweep is closed on time)
