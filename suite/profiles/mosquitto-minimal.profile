# Profile of Eclipse Mosquitto 2.0 in the broker matrix configuration 'mosquitto-minimal' (scripts/broker-matrix.sh,
# scripts/brokers/mosquitto.sh): the embedded configuration of `mqtk run` (loopback listener, no
# persistence, the ACL refusing mqtk/forbidden/# and opening $mqtk/#) plus
#   all the minimal settings at once: password_file (user mqtk) with allow_anonymous false, max_inflight_messages 1, max_qos 1, retain_available false,
#   sys_interval 0 (no $SYS topics).
# Capabilities are what this configuration really offers; a 5.0 run reads the rest from CONNACK.
broker mosquitto 2.0 (mosquitto-minimal)
capabilities qos1 wildcards empty-client-id
forbidden-topic mqtk/forbidden/x

# mosquitto 2.0's own deviations, copied from mosquitto.profile, except the QoS 2 one (no QoS 2 here, so no test can show it): deviation TEST-ID STATEMENT-ID reason
deviation 3.1.1/publish/overlapping-subscriptions-highest-qos MQTT-3.3.5-1 mosquitto 2.0 sends one copy of a message that matches several subscriptions of a client, at the QoS of the first matching subscription rather than the highest (observed with filters a at QoS 0 and + at QoS 1)
deviation 3.1.1/ping/pingreq-bad-flags-closes MQTT-2.2.2-2 mosquitto 2.0 answers a PINGREQ whose reserved fixed-header flags are 0001 with PINGRESP instead of closing the connection
deviation 3.1.1/ping/puback-bad-flags-closes MQTT-2.2.2-2 mosquitto 2.0 keeps the connection open after a PUBACK whose reserved fixed-header flags are 0010
deviation 5.0/publish/subscription-identifier-from-client-closes MQTT-4.13.1-1 mosquitto 2.0.11 accepts a PUBLISH from a client that carries a Subscription Identifier (a Protocol Error, section 3.3.4) and keeps the connection open
deviation 5.0/subscribe/shared-without-filter-refused MQTT-4.8.2-2 mosquitto 2.0.11 grants a subscription to "$share/NAME" with no topic filter after the share name instead of refusing it
deviation 5.0/subscribe/shared-no-local-is-protocol-error MQTT-3.8.3-4 mosquitto 2.0.11 grants a shared subscription with No Local set (a Protocol Error) instead of closing the connection
deviation 5.0/flow/receive-maximum-respected MQTT-3.3.4-9 mosquitto 2.0.11 sends two queued QoS 1 messages after a single PUBACK to a client with Receive Maximum 2, leaving three unacknowledged
deviation 5.0/disconnect/keep-alive-expiry-disconnects MQTT-3.1.2-22 mosquitto 2.0.11 checks keep alive in one sweep over all clients every 5 to 6 s: a silent client with Keep Alive 2 that connects right after a sweep is closed about 5 s after CONNACK, not within 3 s (one that happens to connect about 3 s before a sweep is closed on time)
deviation 5.0/flow/receive-maximum-respected MQTT-4.9.0-2 mosquitto 2.0.11 lets the number of unacknowledged QoS 1 messages to a client exceed the Receive Maximum it announced (three in flight with Receive Maximum 2 after one PUBACK)
deviation 5.0/subscribe/shared-no-local-is-protocol-error MQTT-4.13.1-1 mosquitto 2.0.11 answers a shared subscription with No Local set (a Protocol Error) with SUBACK 0x00 and keeps the connection open instead of closing it
deviation 5.0/will/will-sent-at-close-without-session-expiry MQTT-3.1.2-8 mosquitto 2.0.11 holds the will for the full Will Delay Interval even when Session Expiry is 0, so the session ends at the close and the will should go out then (observed: Will Delay 30 s, will sent 30 s after the close)
deviation 3.1.1/ping/keep-alive-expiry-disconnects MQTT-3.1.2-24 mosquitto 2.0.11 checks keep alive in one sweep over all clients every 5 to 6 s: a silent client with Keep Alive 2 that connects right after a sweep is closed about 5 s after CONNACK, not within 3 s (one that happens to connect about 3 s before a sweep is closed on time)

# Deviations of this configuration only (max_inflight_messages 1), observed alone; docs/matrix-audit.md
deviation 5.0/flow/oversized-message-dropped MQTT-3.1.2-25 mosquitto 2.0.11 with max_inflight_messages 1 keeps a QoS 1 message too large for the client's Maximum Packet Size in its only in-flight slot instead of treating it as delivered: no later message reaches the client
deviation 5.0/session/expired-message-dropped MQTT-3.3.2-5 mosquitto 2.0.11 with max_inflight_messages 1 leaves a queued message whose expiry passed in the session's only in-flight slot instead of deleting it: the fresh QoS 1 message queued behind it is never sent

# 3.1.1 has no way to announce that retained messages are unavailable (docs/matrix-audit.md D1)
deviation 3.1.1/retain/retained-delivered-to-new-subscription MQTT-3.3.1-5 retain_available false closes 3.1.1 clients that publish retained messages
