#!/usr/bin/python3
"""The MQTT conversation recorded in tests/data/pcaps/real/paho-v311-v5.pcapng, played by Debian's
python3-paho-mqtt (the 1.6 API of Debian 12) against a broker on 127.0.0.1.

Four clients, one step at a time, each step awaited with a deadline so the capture's order is fixed:
  paho-sub5     5.0    subscribes to mqtk/# (QoS 2, subscription identifier 1) and stays to the end
  paho-pub311   3.1.1  credentials and a will; retained QoS 0, QoS 1, QoS 2; normal DISCONNECT (will dropped)
  paho-late311  3.1.1  subscribes to mqtk/retained: gets the retained message; unsubscribes
  paho-pub5     5.0    credentials, a will with properties; QoS 2 with properties, a topic alias set then
                       used, a large QoS 1 payload, the retained message cleared; DISCONNECT 0x04
                       (disconnect with will message), so the broker publishes the will
The subscriber checks it got the nine messages it should.

usage: paho_session.py --port PORT [--host 127.0.0.1] [--username U --password P] [--large BYTES]
exit status: 0 done, 2 a step failed or timed out (the reason on stderr)."""
import argparse
import base64
import os
import sys
import threading

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCodes
from paho.mqtt.subscribeoptions import SubscribeOptions

DEADLINE_S = 10


def fail(message):
    print(f"paho_session: {message}", file=sys.stderr)
    sys.exit(2)


def code_of(rc):
    """paho 1.6 passes ints for 3.1.1 and ReasonCodes objects for 5.0."""
    return rc.value if hasattr(rc, "value") else rc


class Session:
    """One paho client on its network thread; the main thread awaits its events with a deadline."""

    def __init__(self, client_id, protocol, args, will=None):
        self.name = client_id
        self.v5 = protocol == mqtt.MQTTv5
        self.client = mqtt.Client(client_id=client_id, protocol=protocol,
                                  clean_session=None if self.v5 else True)
        if args.username:
            self.client.username_pw_set(args.username, args.password)
        if will:
            self.client.will_set(**will)
        self.changed = threading.Condition()
        self.connect_code = None
        self.disconnected = False
        self.done_mids = set()  # PUBLISH finished, SUBACK or UNSUBACK received
        self.messages = []
        self.client.on_connect = self._on_connect
        self.client.on_publish = self._on_done
        self.client.on_subscribe = self._on_subscribe
        self.client.on_unsubscribe = self._on_unsubscribe
        self.client.on_message = self._on_message
        self.client.on_disconnect = self._on_disconnect

    def _note(self, update):
        with self.changed:
            update()
            self.changed.notify_all()

    def _on_connect(self, client, userdata, flags, rc, properties=None):
        self._note(lambda: setattr(self, "connect_code", code_of(rc)))

    def _on_done(self, client, userdata, mid):
        self._note(lambda: self.done_mids.add(mid))

    def _on_subscribe(self, client, userdata, mid, granted, properties=None):
        self._on_done(client, userdata, mid)

    def _on_unsubscribe(self, client, userdata, mid, *v5_properties_and_codes):
        self._on_done(client, userdata, mid)

    def _on_message(self, client, userdata, msg):
        self._note(lambda: self.messages.append((msg.topic, len(msg.payload), msg.qos, msg.retain)))

    def _on_disconnect(self, client, userdata, rc, properties=None):
        self._note(lambda: setattr(self, "disconnected", True))

    def wait(self, what, predicate):
        with self.changed:
            if not self.changed.wait_for(predicate, DEADLINE_S):
                fail(f"{self.name}: no {what} within {DEADLINE_S} s")

    def connect(self, args, properties=None):
        extra = {"clean_start": True, "properties": properties} if self.v5 else {}
        try:
            self.client.connect(args.host, args.port, keepalive=60, **extra)
        except OSError as e:
            fail(f"{self.name}: cannot connect to {args.host}:{args.port}: {e.strerror or e}")
        self.client.loop_start()
        self.wait("CONNACK", lambda: self.connect_code is not None)
        if self.connect_code != 0:
            fail(f"{self.name}: CONNACK refused the connection (code {self.connect_code})")

    def publish(self, topic, payload, qos, retain=False, properties=None):
        info = self.client.publish(topic, payload, qos=qos, retain=retain, properties=properties)
        if info.rc != mqtt.MQTT_ERR_SUCCESS:
            fail(f"{self.name}: publish to {topic!r} failed: {mqtt.error_string(info.rc)}")
        self.wait(f"end of the QoS {qos} flow of {topic!r}", lambda: info.mid in self.done_mids)

    def subscribe(self, topic, qos, properties=None):
        if self.v5:
            rc, mid = self.client.subscribe(topic, options=SubscribeOptions(qos=qos), properties=properties)
        else:
            rc, mid = self.client.subscribe(topic, qos)
        if rc != mqtt.MQTT_ERR_SUCCESS:
            fail(f"{self.name}: subscribe to {topic!r} failed: {mqtt.error_string(rc)}")
        self.wait("SUBACK", lambda: mid in self.done_mids)

    def unsubscribe(self, topic):
        rc, mid = self.client.unsubscribe(topic)
        if rc != mqtt.MQTT_ERR_SUCCESS:
            fail(f"{self.name}: unsubscribe from {topic!r} failed: {mqtt.error_string(rc)}")
        self.wait("UNSUBACK", lambda: mid in self.done_mids)

    def wait_messages(self, count):
        self.wait(f"delivery number {count}", lambda: len(self.messages) >= count)

    def disconnect(self, reasoncode=None):
        self.client.disconnect(reasoncode=reasoncode)
        self.wait("end of the connection", lambda: self.disconnected)
        self.client.loop_stop()


def properties(packet_type, **values):
    props = Properties(packet_type)
    for name, value in values.items():
        setattr(props, name, value)
    return props


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--username")
    parser.add_argument("--password")
    parser.add_argument("--large", type=int, default=300000, help="size of the large payload in bytes")
    args = parser.parse_args()
    large = base64.b64encode(os.urandom(args.large))[:args.large]  # text, so a reader can show it

    sub = Session("paho-sub5", mqtt.MQTTv5, args)
    sub.connect(args)
    sub.subscribe("mqtk/#", 2, properties(PacketTypes.SUBSCRIBE, SubscriptionIdentifier=1))

    pub = Session("paho-pub311", mqtt.MQTTv311, args,
                  will={"topic": "mqtk/will", "payload": "gone 3.1.1", "qos": 1})
    pub.connect(args)
    pub.publish("mqtk/retained", "kept", 0, retain=True)
    sub.wait_messages(1)
    pub.publish("mqtk/qos1", "at least once", 1)
    sub.wait_messages(2)
    pub.publish("mqtk/qos2", "exactly once", 2)
    sub.wait_messages(3)
    pub.disconnect()

    late = Session("paho-late311", mqtt.MQTTv311, args)
    late.connect(args)
    late.subscribe("mqtk/retained", 1)
    late.wait_messages(1)
    late.unsubscribe("mqtk/retained")
    late.disconnect()
    if late.messages != [("mqtk/retained", 4, 0, True)]:
        fail(f"paho-late311 got {late.messages}, not the retained message")

    will5 = {"topic": "mqtk/will", "payload": "gone 5.0", "qos": 1,
             "properties": properties(PacketTypes.WILLMESSAGE, WillDelayInterval=0, ContentType="text/plain")}
    pub5 = Session("paho-pub5", mqtt.MQTTv5, args, will=will5)
    pub5.connect(args, properties(PacketTypes.CONNECT, SessionExpiryInterval=0, ReceiveMaximum=20))
    pub5.publish("mqtk/qos2", "exactly once, with properties", 2, properties=properties(
        PacketTypes.PUBLISH, MessageExpiryInterval=60, ContentType="text/plain", UserProperty=[("k", "v")]))
    sub.wait_messages(4)
    pub5.publish("mqtk/alias", "topic alias set", 1, properties=properties(PacketTypes.PUBLISH, TopicAlias=1))
    sub.wait_messages(5)
    pub5.publish("", "topic alias used", 1, properties=properties(PacketTypes.PUBLISH, TopicAlias=1))
    sub.wait_messages(6)
    pub5.publish("mqtk/large", large, 1)
    sub.wait_messages(7)
    pub5.publish("mqtk/retained", None, 1, retain=True)  # an empty retained message clears it
    sub.wait_messages(8)
    pub5.disconnect(ReasonCodes(PacketTypes.DISCONNECT, "Disconnect with will message"))
    sub.wait_messages(9)

    sub.unsubscribe("mqtk/#")
    sub.disconnect()
    want = [("mqtk/retained", 4, 0, False), ("mqtk/qos1", 13, 1, False), ("mqtk/qos2", 12, 2, False),
            ("mqtk/qos2", 29, 2, False), ("mqtk/alias", 15, 1, False), ("mqtk/alias", 16, 1, False),
            ("mqtk/large", args.large, 1, False), ("mqtk/retained", 0, 1, False), ("mqtk/will", 8, 1, False)]
    if sub.messages != want:
        fail(f"paho-sub5 got {sub.messages}, expected {want}")


if __name__ == "__main__":
    main()
