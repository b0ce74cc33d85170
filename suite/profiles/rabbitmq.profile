# Profile of RabbitMQ 3.10.8 (Debian bookworm package rabbitmq-server) with the rabbitmq_mqtt plugin, as
# scripts/broker-matrix.sh runs it (scripts/brokers/rabbitmq.sh): an isolated node with its own epmd,
# distribution port and MQTT listener on 127.0.0.1, no AMQP listener, one user imported at boot (user
# mqtk, a non-empty password, all rights on vhost "/" but a topic permission refusing publications to
# mqtk/forbidden/...), anonymous MQTT refused, default plugin settings (retained messages in the
# node-local store, vhost "/", exchange amq.topic).
# The plugin speaks MQTT 3.1 and 3.1.1 only: a 5.0 CONNECT is closed without CONNACK, so the 5.0 tests
# are "not supported by the broker". It grants QoS 0 and 1 (a QoS 2 subscription is granted 1), accepts
# wildcard filters, keeps retained messages, assigns a client id to an empty one with Clean Session 1,
# and has no $SYS tree.
broker rabbitmq 3.10.8 (rabbitmq_mqtt, broker matrix configuration)
capabilities qos1 retain wildcards empty-client-id

# What CONNACK cannot say: the configuration's topic permission (definitions.json) refuses the user's
# publications to mqtk/forbidden/... (routing keys mqtk.forbidden...).
forbidden-topic mqtk/forbidden/x

# Known deviations: deviation TEST-ID STATEMENT-ID reason; each one observed by the broker matrix and
# reproduced alone (docs/matrix-audit.md, section on RabbitMQ)
# -- CONNECT: the plugin's frame parser checks lengths, not the rules of section 3.1
deviation 3.1.1/connect/second-connect-is-violation MQTT-3.1.0-2 RabbitMQ 3.10 answers a second CONNECT on an established connection with another CONNACK 0x00 and keeps the connection open
deviation 3.1.1/connect/second-connect-is-violation MQTT-4.8.0-1 RabbitMQ 3.10 answers a second CONNECT on an established connection with another CONNACK 0x00 and keeps the connection open
deviation 3.1.1/connect/unsupported-protocol-level MQTT-3.1.2-2 RabbitMQ 3.10 closes the connection without any CONNACK when a CONNECT names protocol MQTT at a level it does not speak (7 here, 5 in the run's version probe), instead of answering return code 0x01 first
deviation 3.1.1/connect/reserved-connect-flag MQTT-3.1.2-3 RabbitMQ 3.10 accepts a CONNECT whose reserved Connect Flags bit 0 is 1 (CONNACK 0x00, connection kept)
deviation 3.1.1/connect/reserved-connect-flag MQTT-3.1.4-1 RabbitMQ 3.10 accepts a CONNECT whose reserved Connect Flags bit 0 is 1 (CONNACK 0x00, connection kept)
deviation 3.1.1/connect/will-qos-without-will-flag MQTT-3.1.4-1 RabbitMQ 3.10 accepts a CONNECT with Will QoS 1 and the Will Flag 0 (CONNACK 0x00) instead of closing without CONNACK
deviation 3.1.1/connect/will-retain-without-will-flag MQTT-3.1.4-1 RabbitMQ 3.10 accepts a CONNECT with Will Retain 1 and the Will Flag 0 (CONNACK 0x00) instead of closing without CONNACK
deviation 3.1.1/connect/will-qos-3 MQTT-3.1.4-1 RabbitMQ 3.10 accepts a CONNECT with the Will Flag 1 and Will QoS 3 (CONNACK 0x00) instead of closing without CONNACK
deviation 3.1.1/connect/password-without-username-flag MQTT-3.1.4-1 RabbitMQ 3.10 answers a CONNECT with the Password Flag 1 and the User Name Flag 0 with CONNACK 0x04 (login failed) before closing, instead of closing without CONNACK
deviation 3.1.1/connect/username-ill-formed-utf8 MQTT-3.1.4-1 RabbitMQ 3.10 does not check the User Name's UTF-8: it answers a CONNECT whose User Name ends in byte 0xFF with CONNACK 0x04 (unknown user) before closing, instead of closing without CONNACK
deviation 3.1.1/connect/client-id-ill-formed-utf8 MQTT-1.5.3-1 RabbitMQ 3.10 accepts a CONNECT whose Client Identifier is ill-formed UTF-8 (CONNACK 0x00, connection kept)
deviation 3.1.1/connect/client-id-ill-formed-utf8 MQTT-3.1.4-1 RabbitMQ 3.10 accepts a CONNECT whose Client Identifier is ill-formed UTF-8 (CONNACK 0x00, connection kept)
deviation 3.1.1/connect/client-id-null-character MQTT-1.5.3-2 RabbitMQ 3.10 accepts a CONNECT whose Client Identifier contains U+0000 (CONNACK 0x00, connection kept)
deviation 3.1.1/connect/client-id-null-character MQTT-3.1.4-1 RabbitMQ 3.10 accepts a CONNECT whose Client Identifier contains U+0000 (CONNACK 0x00, connection kept)
deviation 3.1.1/connect/will-topic-ill-formed-utf8 MQTT-1.5.3-1 RabbitMQ 3.10 accepts a CONNECT whose Will Topic is ill-formed UTF-8 (CONNACK 0x00, connection kept)
deviation 3.1.1/connect/will-topic-ill-formed-utf8 MQTT-3.1.4-1 RabbitMQ 3.10 accepts a CONNECT whose Will Topic is ill-formed UTF-8 (CONNACK 0x00, connection kept)
# -- keep alive, fixed-header flags
deviation 3.1.1/ping/keep-alive-expiry-disconnects MQTT-3.1.2-24 RabbitMQ 3.10 closes a silent client after three Keep Alive periods, not one and a half (measured alone with a bare socket client: 6.01 to 6.04 s for Keep Alive 2 in 3 tries, 3.02 s for Keep Alive 1 in 2 tries)
deviation 3.1.1/ping/pingreq-bad-flags-closes MQTT-2.2.2-2 RabbitMQ 3.10 answers a PINGREQ whose reserved fixed-header flags are 0001 with PINGRESP instead of closing the connection
deviation 3.1.1/ping/puback-bad-flags-closes MQTT-2.2.2-2 RabbitMQ 3.10 keeps the connection open after a PUBACK whose reserved fixed-header flags are 0010
# -- PUBLISH: the publisher's DUP flag travels with the message (header x-mqtt-dup)
deviation 3.1.1/publish/qos1-identifier-reuse-is-new-message MQTT-4.3.2-2 RabbitMQ 3.10 acknowledges a second QoS 1 PUBLISH that reuses an acknowledged Packet Identifier with DUP 1 but never delivers it to the QoS 0 subscriber (it drops deliveries marked duplicate for QoS 0 subscriptions), instead of treating it as a new publication
deviation 3.1.1/publish/dup-not-propagated MQTT-3.3.1-3 RabbitMQ 3.10 copies the publisher's DUP 1 onto the first delivery of the message to a QoS 1 subscriber, which is not a retransmission
deviation 3.1.1/publish/wildcard-in-topic-name-closes MQTT-4.8.0-1 RabbitMQ 3.10 accepts a PUBLISH whose Topic Name contains '+' and keeps the connection open
deviation 3.1.1/publish/multi-level-wildcard-in-topic-name-closes MQTT-4.8.0-1 RabbitMQ 3.10 accepts a PUBLISH whose Topic Name contains '#' and keeps the connection open
deviation 3.1.1/publish/empty-topic-name-closes MQTT-4.8.0-1 RabbitMQ 3.10 accepts a PUBLISH with a zero-length Topic Name and keeps the connection open
deviation 3.1.1/publish/topic-name-null-character-closes MQTT-1.5.3-2 RabbitMQ 3.10 accepts a PUBLISH whose Topic Name contains U+0000 and keeps the connection open
deviation 3.1.1/publish/topic-name-ill-formed-utf8-closes MQTT-1.5.3-1 RabbitMQ 3.10 accepts a PUBLISH whose Topic Name is ill-formed UTF-8 and keeps the connection open
# Packet Identifier 0: RabbitMQ echoes it (PUBACK / SUBACK / UNSUBACK with identifier 0) and keeps the
# connection open. Until the runner stops charging the echo as the broker's own use of identifier 0
# (MQTT-2.3.1-6 / -7), these three stay failures; these lines name what RabbitMQ does break.
deviation 3.1.1/publish/qos1-packet-id-zero-closes MQTT-4.8.0-1 RabbitMQ 3.10 answers a QoS 1 PUBLISH with Packet Identifier 0 with PUBACK 0 and keeps the connection open
deviation 3.1.1/subscribe/subscribe-packet-id-zero-closes MQTT-4.8.0-1 RabbitMQ 3.10 answers a SUBSCRIBE with Packet Identifier 0 with SUBACK 0 and keeps the connection open
deviation 3.1.1/unsubscribe/unsubscribe-packet-id-zero-closes MQTT-4.8.0-1 RabbitMQ 3.10 answers an UNSUBSCRIBE with Packet Identifier 0 with UNSUBACK 0 and keeps the connection open
# -- retained messages, sessions, wills
deviation 3.1.1/retain/retained-on-every-matching-topic MQTT-3.3.1-6 RabbitMQ 3.10 looks retained messages up by exact topic only: a subscription to a filter with a wildcard receives none of the retained messages it matches (documented limitation, rabbitmq-server issue 8824)
deviation 3.1.1/retain/resubscribe-resends-retained MQTT-3.8.4-3 RabbitMQ 3.10 keeps the QoS 0 subscription when the same filter is subscribed again at QoS 1 and adds a second one: every later message arrives twice, at QoS 0 and at QoS 1
deviation 3.1.1/subscribe/subscription-replaced-not-duplicated MQTT-3.8.4-3 RabbitMQ 3.10 keeps the QoS 0 subscription when the same filter is subscribed again at QoS 1 and adds a second one: every later message arrives twice, at QoS 0 and at QoS 1
deviation 3.1.1/session/resumed-empty-session-present-1 MQTT-3.2.2-2 RabbitMQ 3.10 keeps no state for a Clean Session 0 client without QoS 1 subscriptions: reconnecting with Clean Session 0 after such a session gets Session Present 0
deviation 3.1.1/session/resumed-empty-session-present-1 MQTT-3.1.2-4 RabbitMQ 3.10 keeps no state for a Clean Session 0 client without QoS 1 subscriptions: reconnecting with Clean Session 0 after such a session gets Session Present 0
deviation 3.1.1/will/will-published-when-server-closes MQTT-3.1.2-8 RabbitMQ 3.10 closes the connection on a PUBLISH with QoS 3 (a malformed packet) without publishing the client's will (the will is published when the client drops the connection)
# -- SUBSCRIBE / UNSUBSCRIBE payloads are not validated
deviation 3.1.1/subscribe/subscribe-without-filters-closes MQTT-4.8.0-1 RabbitMQ 3.10 answers a SUBSCRIBE with no payload (a protocol violation, section 3.8.3) with a SUBACK carrying no return code and keeps the connection open
deviation 3.1.1/subscribe/subscribe-reserved-qos-bits-closes MQTT-3.8.3-4 RabbitMQ 3.10 grants a SUBSCRIBE whose requested-QoS byte has a reserved bit set (0x04) instead of closing the connection
deviation 3.1.1/subscribe/subscribe-filter-ill-formed-utf8-closes MQTT-1.5.3-1 RabbitMQ 3.10 grants a SUBSCRIBE whose Topic Filter is ill-formed UTF-8 and keeps the connection open
deviation 3.1.1/subscribe/subscribe-empty-filter-rejected MQTT-4.8.0-1 RabbitMQ 3.10 grants (0x00) a subscription to a zero-length Topic Filter instead of refusing it or closing the connection
deviation 3.1.1/subscribe/misplaced-multi-level-wildcard-rejected MQTT-4.8.0-1 RabbitMQ 3.10 grants (0x00) a Topic Filter with '#' before its last level instead of refusing it or closing the connection
deviation 3.1.1/subscribe/multi-level-wildcard-not-alone-rejected MQTT-4.8.0-1 RabbitMQ 3.10 grants (0x00) a Topic Filter with '#' sharing a level with other characters instead of refusing it or closing the connection
deviation 3.1.1/subscribe/single-level-wildcard-not-alone-rejected MQTT-4.8.0-1 RabbitMQ 3.10 grants (0x00) a Topic Filter with '+' sharing a level with other characters instead of refusing it or closing the connection
deviation 3.1.1/subscribe/dollar-topic-not-matched-by-wildcards MQTT-4.7.2-1 RabbitMQ 3.10 gives '$' no special meaning: a message published to $mqtk/... reaches a subscription to +/... as well as the exact one
deviation 3.1.1/unsubscribe/unsubscribe-without-filters-closes MQTT-4.8.0-1 RabbitMQ 3.10 answers an UNSUBSCRIBE with no payload (a protocol violation, section 3.10.3) with UNSUBACK and keeps the connection open
deviation 3.1.1/unsubscribe/unsubscribe-filter-ill-formed-utf8-closes MQTT-1.5.3-1 RabbitMQ 3.10 answers an UNSUBSCRIBE whose Topic Filter is ill-formed UTF-8 with UNSUBACK and keeps the connection open
# Not expressible here (no statement of the test fails): on a resumed MQTT 3.1 (MQIsdp) session the
# CONNACK's first byte, which 3.1 reserves, is 0x01 (the 3.1.1 Session Present flag), which mqtk's codec
# rejects; 3.1/basic/persistent-session fails with no statement reached.
