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

# Known deviations: deviation TEST-ID STATEMENT-ID reason
