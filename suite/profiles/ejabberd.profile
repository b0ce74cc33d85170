# Profile of ejabberd 23.01 (Debian bookworm package) with mod_mqtt, as scripts/broker-matrix.sh runs it
# (scripts/brokers/ejabberd.sh, ejabberd.yml.in): an isolated, non-distributed instance with an MQTT
# listener on 127.0.0.1 only, internal authentication (user mqtk, a non-empty password; anonymous
# CONNECTs are refused), Mnesia in a temporary spool, default mod_mqtt limits.
# Capabilities are what it offers; a 5.0 run reads the rest from CONNACK (mqtk probe: Maximum QoS 2,
# Retain Available, wildcards, Subscription Identifiers, Topic Alias Maximum 100, no shared
# subscriptions, Server Keep Alive 60, empty client id assigned).
broker ejabberd 23.01 (mod_mqtt, broker matrix configuration)
capabilities qos1 qos2 retain wildcards empty-client-id

# What CONNACK cannot say: mod_mqtt refuses every client publication to a topic starting with '$'.
forbidden-topic $mqtk/forbidden

# Known deviations: deviation TEST-ID STATEMENT-ID reason; each observed by the broker matrix and checked
# against the statement (docs/matrix-audit.md)
deviation 3.1.1/connect/empty-client-id-needs-clean-session MQTT-3.1.3-8 ejabberd 23.01 accepts a 3.1.1 CONNECT with a zero-byte client id and Clean Session 0 (CONNACK 0x00, connection kept) instead of answering 0x02 and closing
deviation 3.1.1/subscribe/subscribe-without-filters-closes MQTT-4.8.0-1 ejabberd 23.01 answers a 3.1.1 SUBSCRIBE with no payload (a protocol violation, section 3.8.3) with a SUBACK carrying no return code and keeps the connection open
deviation 3.1.1/subscribe/subscribe-reserved-qos-bits-closes MQTT-3.8.3-4 ejabberd 23.01 grants a 3.1.1 SUBSCRIBE whose requested-QoS byte has a reserved bit set (0x04) instead of closing the connection
deviation 3.1.1/unsubscribe/unsubscribe-without-filters-closes MQTT-4.8.0-1 ejabberd 23.01 answers a 3.1.1 UNSUBSCRIBE with no payload (a protocol violation, section 3.10.3) with UNSUBACK and keeps the connection open
deviation 5.0/connect/takeover-disconnect-fits-packet-size MQTT-3.1.2-24 ejabberd 23.01 sends its 18-byte CONNACK (Topic Alias Maximum, Shared Subscription Available, Session Expiry Interval, Server Keep Alive) to a client whose Maximum Packet Size is 16
deviation 5.0/flow/oversized-message-dropped MQTT-3.1.2-24 ejabberd 23.01 forwards a 123-byte PUBLISH to a subscriber that announced a Maximum Packet Size of 64 instead of discarding it
deviation 5.0/flow/oversized-not-resent-to-session MQTT-3.1.2-24 ejabberd 23.01 forwards a 123-byte PUBLISH to a subscriber that announced a Maximum Packet Size of 64 (seen before the PINGRESP of the sync) instead of discarding it as if delivered
deviation 5.0/publish/subscription-identifier-from-client-closes MQTT-4.13.1-1 ejabberd 23.01 accepts a PUBLISH from a client carrying a Subscription Identifier (a Protocol Error, section 3.3.4) and keeps the connection open
deviation 5.0/session/message-expiry-decremented MQTT-3.3.2-6 ejabberd 23.01 forwards a message that waited 1.2 s in an offline session with its Message Expiry Interval unchanged (20) instead of reduced by the time it waited
deviation 5.0/session/expired-message-dropped MQTT-3.3.2-5 ejabberd 23.01 delivers to the resumed session a queued message whose 1 s Message Expiry Interval passed 2 s earlier instead of deleting it
deviation 5.0/subscribe/subscribe-without-filters-closes MQTT-4.13.1-1 ejabberd 23.01 answers a 5.0 SUBSCRIBE with no Topic Filter (a Protocol Error, section 3.8.3) with a SUBACK carrying no reason code instead of closing the connection
deviation 5.0/subscribe/subscription-identifier-zero-closes MQTT-4.13.1-1 ejabberd 23.01 grants a SUBSCRIBE whose Subscription Identifier is 0 (a Protocol Error, section 3.8.2.1.2) instead of closing the connection
deviation 5.0/subscribe/unsubscribe-without-filters-closes MQTT-4.13.1-1 ejabberd 23.01 answers a 5.0 UNSUBSCRIBE with no Topic Filter (a Protocol Error, section 3.10.3) with an UNSUBACK carrying no reason code instead of closing the connection
