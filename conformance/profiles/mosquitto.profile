# Profile of Eclipse Mosquitto 2.0 as `mqtk run` starts it without --broker (anonymous access,
# no persistence, default limits). Capabilities are the optional features the broker offers;
# tests needing any other are skipped as not applicable.
broker mosquitto 2.0 (embedded configuration)
capabilities qos1 qos2 retain wildcards sys empty-client-id

# Known deviations: deviation TEST-ID STATEMENT-ID reason
deviation 3.1.1/publish/overlapping-subscriptions-highest-qos MQTT-3.3.5-1 mosquitto 2.0 sends one copy of a message that matches several subscriptions of a client, at the QoS of the first matching subscription rather than the highest (observed with filters a at QoS 0 and + at QoS 1)
deviation 3.1.1/ping/pingreq-bad-flags-closes MQTT-2.2.2-2 mosquitto 2.0 answers a PINGREQ whose reserved fixed-header flags are 0001 with PINGRESP instead of closing the connection
deviation 3.1.1/ping/puback-bad-flags-closes MQTT-2.2.2-2 mosquitto 2.0 keeps the connection open after a PUBACK whose reserved fixed-header flags are 0010
