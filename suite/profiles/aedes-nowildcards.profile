# Profile of aedes 1.2.0 in the broker matrix configuration 'aedes-nowildcards' (scripts/broker-matrix.sh,
# scripts/brokers/aedes.sh): `node scripts/peers/aedes.mjs --tcp --no-wildcards`, the 'aedes' configuration
# (plain TCP on 127.0.0.1, in-memory persistence, a user name and password required) refusing every
# Topic Filter that holds + or # with SUBACK 0x80, as a minimal broker may (wildcards are optional:
# 3.1.1 section 4.7, 5.0's Wildcard Subscription Available). aedes speaks MQTT 3.1 and 3.1.1 only.
broker aedes 1.2.0 (Node.js, broker matrix configuration aedes-nowildcards)
capabilities qos1 qos2 retain empty-client-id

# aedes 1.2's deviations, copied from aedes.profile, except the one only a wildcard filter can show
# (overlapping-subscriptions-highest-qos): deviation TEST-ID STATEMENT-ID reason
deviation 3.1.1/connect/unsupported-protocol-level MQTT-3.1.2-2 aedes 1.2 closes the connection without a CONNACK when a CONNECT names protocol level 7, instead of answering return code 0x01 and then closing
deviation 3.1.1/connect/will-qos-3 MQTT-3.1.4-1 aedes 1.2 accepts a CONNECT whose Will QoS is 3 (malformed, section 3.1.2.6) with CONNACK 0x00 instead of closing without a CONNACK
deviation 3.1.1/connect/password-without-username-flag MQTT-3.1.4-1 aedes 1.2 answers a CONNECT with the Password Flag set and the User Name Flag clear (malformed, section 3.1.2.9) with a CONNACK (0x04 when a password is required) instead of closing without a CONNACK
deviation 3.1.1/connect/username-without-flag MQTT-3.1.4-1 aedes 1.2 answers a CONNECT carrying a User Name field with the User Name Flag clear (malformed: the payload does not match the flags) with a CONNACK instead of closing without one
deviation 3.1.1/connect/password-without-flag MQTT-3.1.4-1 aedes 1.2 answers a CONNECT carrying a Password field with the Password Flag clear (malformed: the payload does not match the flags) with a CONNACK instead of closing without one
deviation 3.1.1/connect/client-id-ill-formed-utf8 MQTT-1.5.3-1 aedes 1.2 accepts a Client Identifier that is not well-formed UTF-8 (CONNACK 0x00) instead of closing the connection
deviation 3.1.1/connect/client-id-ill-formed-utf8 MQTT-3.1.4-1 aedes 1.2 answers a CONNECT whose Client Identifier is not well-formed UTF-8 with CONNACK 0x00 instead of closing without a CONNACK
deviation 3.1.1/connect/client-id-null-character MQTT-1.5.3-2 aedes 1.2 accepts a Client Identifier containing U+0000 (CONNACK 0x00) instead of closing the connection
deviation 3.1.1/connect/client-id-null-character MQTT-3.1.4-1 aedes 1.2 answers a CONNECT whose Client Identifier contains U+0000 with CONNACK 0x00 instead of closing without a CONNACK
deviation 3.1.1/connect/will-topic-ill-formed-utf8 MQTT-1.5.3-1 aedes 1.2 accepts a Will Topic that is not well-formed UTF-8 (CONNACK 0x00) instead of closing the connection
deviation 3.1.1/connect/will-topic-ill-formed-utf8 MQTT-3.1.4-1 aedes 1.2 answers a CONNECT whose Will Topic is not well-formed UTF-8 with CONNACK 0x00 instead of closing without a CONNACK
deviation 3.1.1/connect/username-ill-formed-utf8 MQTT-3.1.4-1 aedes 1.2 answers a CONNECT whose User Name is not well-formed UTF-8 with a CONNACK (0x04 when a password is required) instead of closing without one
deviation 3.1.1/connect/empty-client-id-needs-clean-session MQTT-3.1.3-8 aedes 1.2 accepts a zero-byte Client Identifier with Clean Session 0 (CONNACK 0x00) instead of answering 0x02 and closing
deviation 3.1.1/publish/qos1-identifier-reuse-is-new-message MQTT-3.3.1-2 aedes 1.2 forwards a PUBLISH that arrived with DUP 1 to a QoS 0 subscriber with DUP still 1 (a QoS 0 PUBLISH must have DUP 0)
deviation 3.1.1/publish/dup-not-propagated MQTT-3.3.1-3 aedes 1.2 forwards the DUP flag of an incoming PUBLISH to subscribers instead of setting it by its own delivery (DUP 1 on a first delivery)
deviation 3.1.1/publish/topic-name-null-character-closes MQTT-1.5.3-2 aedes 1.2 accepts a PUBLISH whose Topic Name contains U+0000 and keeps the connection open
deviation 3.1.1/publish/topic-name-ill-formed-utf8-closes MQTT-1.5.3-1 aedes 1.2 accepts a PUBLISH whose Topic Name is not well-formed UTF-8 and keeps the connection open
deviation 3.1.1/publish/qos1-packet-id-zero-closes MQTT-4.8.0-1 aedes 1.2 acknowledges a QoS 1 PUBLISH with Packet Identifier 0 (a protocol violation, section 2.3.1) with PUBACK 0 instead of closing the connection
deviation 3.1.1/session/resumed-empty-session-present-1 MQTT-3.2.2-2 aedes 1.2 answers Session Present 0 when a client resumes (Clean Session 0) a session that holds no subscription, though the session was kept
deviation 3.1.1/session/resumed-empty-session-present-1 MQTT-3.1.2-4 aedes 1.2 does not keep a Clean Session 0 session that holds no subscription past the disconnect (Session Present 0 on resumption)
deviation 3.1.1/session/unacknowledged-qos1-redelivered MQTT-3.3.1-1 aedes 1.2 re-sends an unacknowledged QoS 1 PUBLISH to a resumed session with DUP 0
deviation 3.1.1/session/unacknowledged-qos2-redelivered MQTT-3.3.1-1 aedes 1.2 re-sends an unacknowledged QoS 2 PUBLISH to a resumed session with DUP 0
deviation 3.1.1/subscribe/subscribe-filter-ill-formed-utf8-closes MQTT-1.5.3-1 aedes 1.2 grants a Topic Filter that is not well-formed UTF-8 (SUBACK 0x00) instead of closing the connection
deviation 3.1.1/subscribe/subscribe-packet-id-zero-closes MQTT-4.8.0-1 aedes 1.2 answers a SUBSCRIBE with Packet Identifier 0 with SUBACK 0 instead of closing the connection
deviation 3.1.1/unsubscribe/unsubscribe-without-filters-closes MQTT-4.8.0-1 aedes 1.2 answers an UNSUBSCRIBE with no Topic Filter (a protocol violation, section 3.10.3) with UNSUBACK and keeps the connection open
deviation 3.1.1/unsubscribe/unsubscribe-filter-ill-formed-utf8-closes MQTT-1.5.3-1 aedes 1.2 answers an UNSUBSCRIBE whose Topic Filter is not well-formed UTF-8 with UNSUBACK instead of closing the connection
deviation 3.1.1/unsubscribe/unsubscribe-packet-id-zero-closes MQTT-4.8.0-1 aedes 1.2 answers an UNSUBSCRIBE with Packet Identifier 0 with UNSUBACK 0 instead of closing the connection
