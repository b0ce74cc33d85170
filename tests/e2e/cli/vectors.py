"""Hand-built packets for every control packet type in every protocol version, with the JSON
`mqtk decode --json` must print for them. Each byte string was laid out by hand from the standards
(fixed header, Remaining Length, variable header, properties, payload). Encoding the JSON gives back
the same bytes: a 5.0 packet that spells out a reason code or Property Length it could omit says so
in "tail", and nothing else does."""


def rec(type_, version, length, **fields):
    return {"type": type_, "version": version, "offset": 0, "length": length, **fields}


def data(hexstr, text=None):
    d = {"hex": hexstr}
    if text is not None:
        d["text"] = text
    return d


def reason(code, name):
    return {"code": code, "name": name}


def prop(name, id_, value, key=None):
    p = {"name": name, "id": id_}
    if key is not None:
        p["key"] = key
    p["value"] = value
    return p


def v3(version):
    """Packets whose bytes and JSON are the same in 3.1 and 3.1.1 (only "version" differs)."""
    return [
        ("connack", "20 02 00 00", rec("CONNACK", version, 4, session_present=False, reason_code=reason(0, "accepted"))),
        ("connack-refused", "20 02 00 05",
         rec("CONNACK", version, 4, session_present=False, reason_code=reason(5, "not_authorized"))),
        # PUBLISH QoS 0: topic "a/b", payload "hi"
        ("publish-qos0", "30 07 00 03 61 2f 62 68 69",
         rec("PUBLISH", version, 9, dup=False, qos=0, retain=False, topic="a/b", packet_id=None,
             payload=data("6869", "hi"))),
        # PUBLISH DUP, QoS 1, RETAIN (0x3b), id 10
        ("publish-qos1-dup-retain", "3b 09 00 03 61 2f 62 00 0a 68 69",
         rec("PUBLISH", version, 11, dup=True, qos=1, retain=True, topic="a/b", packet_id=10,
             payload=data("6869", "hi"))),
        # QoS 2 with an empty payload
        ("publish-qos2-empty", "34 05 00 01 74 00 02",
         rec("PUBLISH", version, 7, dup=False, qos=2, retain=False, topic="t", packet_id=2, payload=data("", ""))),
        ("puback", "40 02 00 0a", rec("PUBACK", version, 4, packet_id=10)),
        ("pubrec", "50 02 00 0a", rec("PUBREC", version, 4, packet_id=10)),
        ("pubrel", "62 02 00 0a", rec("PUBREL", version, 4, packet_id=10)),
        ("pubcomp", "70 02 00 0a", rec("PUBCOMP", version, 4, packet_id=10)),
        # SUBSCRIBE id 1: "a/b" QoS 1, "#" QoS 2
        ("subscribe", "82 0c 00 01 00 03 61 2f 62 01 00 01 23 02",
         rec("SUBSCRIBE", version, 14, packet_id=1,
             subscriptions=[{"filter": "a/b", "qos": 1}, {"filter": "#", "qos": 2}])),
        ("suback", "90 04 00 01 01 02",
         rec("SUBACK", version, 6, packet_id=1,
             reason_codes=[reason(1, "granted_qos_1"), reason(2, "granted_qos_2")])),
        ("unsubscribe", "a2 0a 00 02 00 03 61 2f 62 00 01 23",
         rec("UNSUBSCRIBE", version, 12, packet_id=2, filters=["a/b", "#"])),
        ("unsuback", "b0 02 00 02", rec("UNSUBACK", version, 4, packet_id=2)),
        ("pingreq", "c0 00", rec("PINGREQ", version, 2)),
        ("pingresp", "d0 00", rec("PINGRESP", version, 2)),
        ("disconnect", "e0 00", rec("DISCONNECT", version, 2)),
    ]


V31 = [
    # CONNECT "MQIsdp" level 3, clean session, keep alive 60, client id "c1"
    ("connect", "10 10 00 06 4d 51 49 73 64 70 03 02 00 3c 00 02 63 31",
     rec("CONNECT", "3.1", 18, protocol_name="MQIsdp", protocol_level=3, clean_start=True, keep_alive=60,
         client_id="c1", will=None, username=None, password=None)),
    # flags 0xc4: user name, password, will (QoS 0); will topic "w", message "bye", user "u", password "p"
    ("connect-will-auth", "10 1e 00 06 4d 51 49 73 64 70 03 c4 00 0a 00 02 63 31 00 01 77 00 03 62 79 65 00 01 75"
                          " 00 01 70",
     rec("CONNECT", "3.1", 32, protocol_name="MQIsdp", protocol_level=3, clean_start=False, keep_alive=10,
         client_id="c1", will={"qos": 0, "retain": False, "topic": "w", "payload": data("627965", "bye")},
         username="u", password=data("70", "p"))),
] + v3("3.1")

V311 = [
    ("connect", "10 0e 00 04 4d 51 54 54 04 02 00 3c 00 02 63 31",
     rec("CONNECT", "3.1.1", 16, protocol_name="MQTT", protocol_level=4, clean_start=True, keep_alive=60,
         client_id="c1", will=None, username=None, password=None)),
    # flags 0xee: user name, password, will retain, will QoS 1, will, clean session
    ("connect-will-auth", "10 1c 00 04 4d 51 54 54 04 ee 00 3c 00 02 63 31 00 01 77 00 03 62 79 65 00 01 75 00 01 70",
     rec("CONNECT", "3.1.1", 30, protocol_name="MQTT", protocol_level=4, clean_start=True, keep_alive=60,
         client_id="c1", will={"qos": 1, "retain": True, "topic": "w", "payload": data("627965", "bye")},
         username="u", password=data("70", "p"))),
    ("connack-session-present", "20 02 01 00",
     rec("CONNACK", "3.1.1", 4, session_present=True, reason_code=reason(0, "accepted"))),
    ("suback-failure", "90 04 00 01 01 80",
     rec("SUBACK", "3.1.1", 6, packet_id=1, reason_codes=[reason(1, "granted_qos_1"), reason(128, "failure")])),
] + v3("3.1.1")

V5 = [
    ("connect", "10 0d 00 04 4d 51 54 54 05 02 00 3c 00 00 00",
     rec("CONNECT", "5.0", 15, protocol_name="MQTT", protocol_level=5, clean_start=True, keep_alive=60,
         properties=[], client_id="", will=None, username=None, password=None)),
    # flags 0xce; properties: session expiry 120, receive maximum 10, user property k=v;
    # will properties: will delay 5; password is binary 00 ff (not UTF-8: hex only)
    ("connect-full", "10 33 00 04 4d 51 54 54 05 ce 00 3c 0f 11 00 00 00 78 21 00 0a 26 00 01 6b 00 01 76 00 02 63 31"
                     " 05 18 00 00 00 05 00 01 77 00 03 62 79 65 00 01 75 00 02 00 ff",
     rec("CONNECT", "5.0", 53, protocol_name="MQTT", protocol_level=5, clean_start=True, keep_alive=60,
         properties=[prop("session_expiry_interval", 17, 120), prop("receive_maximum", 33, 10),
                     prop("user_property", 38, "v", key="k")],
         client_id="c1",
         will={"qos": 1, "retain": False, "properties": [prop("will_delay_interval", 24, 5)], "topic": "w",
               "payload": data("627965", "bye")},
         username="u", password=data("00ff"))),
    ("connack", "20 03 00 00 00",
     rec("CONNACK", "5.0", 5, session_present=False, reason_code=reason(0, "success"), properties=[])),
    ("connack-props", "20 0b 01 00 08 12 00 02 61 62 22 00 0a",
     rec("CONNACK", "5.0", 13, session_present=True, reason_code=reason(0, "success"),
         properties=[prop("assigned_client_identifier", 18, "ab"), prop("topic_alias_maximum", 34, 10)])),
    ("connack-refused", "20 03 00 87 00",
     rec("CONNACK", "5.0", 5, session_present=False, reason_code=reason(135, "not_authorized"), properties=[])),
    ("publish-qos0", "30 08 00 03 61 2f 62 00 68 69",
     rec("PUBLISH", "5.0", 10, dup=False, qos=0, retain=False, topic="a/b", packet_id=None, properties=[],
         payload=data("6869", "hi"))),
    # the example of the docs: message expiry 60, user property k=v, payload "hello"
    ("publish-props", "32 19 00 03 61 2f 62 00 0a 0c 02 00 00 00 3c 26 00 01 6b 00 01 76 68 65 6c 6c 6f",
     rec("PUBLISH", "5.0", 27, dup=False, qos=1, retain=False, topic="a/b", packet_id=10,
         properties=[prop("message_expiry_interval", 2, 60), prop("user_property", 38, "v", key="k")],
         payload=data("68656c6c6f", "hello"))),
    # QoS 2, correlation data ff 00, payload format 0, binary payload ff fe
    ("publish-binary", "34 0f 00 01 74 00 01 07 09 00 02 ff 00 01 00 ff fe",
     rec("PUBLISH", "5.0", 17, dup=False, qos=2, retain=False, topic="t", packet_id=1,
         properties=[prop("correlation_data", 9, data("ff00")), prop("payload_format_indicator", 1, 0)],
         payload=data("fffe"))),
    # empty topic with a Topic Alias (allowed in 5.0), retain
    ("publish-topic-alias", "31 06 00 00 03 23 00 05",
     rec("PUBLISH", "5.0", 8, dup=False, qos=0, retain=True, topic="", packet_id=None,
         properties=[prop("topic_alias", 35, 5)], payload=data("", ""))),
    ("puback-short", "40 02 00 0a",
     rec("PUBACK", "5.0", 4, packet_id=10, reason_code=reason(0, "success"), properties=[])),
    ("puback-reason", "40 03 00 0a 10",
     rec("PUBACK", "5.0", 5, packet_id=10, reason_code=reason(16, "no_matching_subscribers"), properties=[])),
    ("puback-props", "40 09 00 0a 10 05 1f 00 02 6e 6f",
     rec("PUBACK", "5.0", 11, packet_id=10, reason_code=reason(16, "no_matching_subscribers"),
         properties=[prop("reason_string", 31, "no")])),
    ("pubrec", "50 03 00 0a 80",
     rec("PUBREC", "5.0", 5, packet_id=10, reason_code=reason(128, "unspecified_error"), properties=[])),
    ("pubrel", "62 03 00 0a 92",
     rec("PUBREL", "5.0", 5, packet_id=10, reason_code=reason(146, "packet_identifier_not_found"), properties=[])),
    ("pubcomp", "70 02 00 0b",
     rec("PUBCOMP", "5.0", 4, packet_id=11, reason_code=reason(0, "success"), properties=[])),
    # the long forms of the acknowledgements: success code 00 (RL 3), then Property Length 00 (RL 4)
    ("puback-long-reason", "40 03 00 0a 00",
     rec("PUBACK", "5.0", 5, packet_id=10, reason_code=reason(0, "success"), properties=[], tail="reason_code")),
    ("puback-long-props", "40 04 00 0a 00 00",
     rec("PUBACK", "5.0", 6, packet_id=10, reason_code=reason(0, "success"), properties=[], tail="properties")),
    ("pubrec-long-props", "50 04 00 0a 10 00",
     rec("PUBREC", "5.0", 6, packet_id=10, reason_code=reason(16, "no_matching_subscribers"), properties=[],
         tail="properties")),
    ("pubrel-long-reason", "62 03 00 0a 00",
     rec("PUBREL", "5.0", 5, packet_id=10, reason_code=reason(0, "success"), properties=[], tail="reason_code")),
    ("pubcomp-long-props", "70 04 00 0b 00 00",
     rec("PUBCOMP", "5.0", 6, packet_id=11, reason_code=reason(0, "success"), properties=[], tail="properties")),
    # subscription identifier 5; "a/+" options 0x1d (QoS 1, No Local, RAP, RH 1); "$share/g/x" QoS 0
    ("subscribe", "82 18 00 01 02 0b 05 00 03 61 2f 2b 1d 00 0a 24 73 68 61 72 65 2f 67 2f 78 00",
     rec("SUBSCRIBE", "5.0", 26, packet_id=1, properties=[prop("subscription_identifier", 11, 5)],
         subscriptions=[
             {"filter": "a/+", "qos": 1, "no_local": True, "retain_as_published": True, "retain_handling": 1},
             {"filter": "$share/g/x", "qos": 0, "no_local": False, "retain_as_published": False,
              "retain_handling": 0}])),
    ("suback", "90 06 00 01 00 01 87 a2",
     rec("SUBACK", "5.0", 8, packet_id=1, properties=[],
         reason_codes=[reason(1, "granted_qos_1"), reason(135, "not_authorized"),
                       reason(162, "wildcard_subscriptions_not_supported")])),
    ("unsubscribe", "a2 0b 00 02 00 00 03 61 2f 62 00 01 23",
     rec("UNSUBSCRIBE", "5.0", 13, packet_id=2, properties=[], filters=["a/b", "#"])),
    ("unsuback", "b0 05 00 02 00 00 11",
     rec("UNSUBACK", "5.0", 7, packet_id=2, properties=[],
         reason_codes=[reason(0, "success"), reason(17, "no_subscription_existed")])),
    ("pingreq", "c0 00", rec("PINGREQ", "5.0", 2)),
    ("pingresp", "d0 00", rec("PINGRESP", "5.0", 2)),
    ("disconnect", "e0 00",
     rec("DISCONNECT", "5.0", 2, reason_code=reason(0, "normal_disconnection"), properties=[])),
    ("disconnect-will", "e0 01 04",
     rec("DISCONNECT", "5.0", 3, reason_code=reason(4, "disconnect_with_will_message"), properties=[])),
    # the long forms of a normal disconnection: code 00 (RL 1), then Property Length 00 (RL 2)
    ("disconnect-long-reason", "e0 01 00",
     rec("DISCONNECT", "5.0", 3, reason_code=reason(0, "normal_disconnection"), properties=[], tail="reason_code")),
    ("disconnect-long-props", "e0 02 00 00",
     rec("DISCONNECT", "5.0", 4, reason_code=reason(0, "normal_disconnection"), properties=[], tail="properties")),
    ("disconnect-will-long-props", "e0 02 04 00",
     rec("DISCONNECT", "5.0", 4, reason_code=reason(4, "disconnect_with_will_message"), properties=[],
         tail="properties")),
    ("disconnect-props", "e0 07 8e 05 1f 00 02 6e 6f",
     rec("DISCONNECT", "5.0", 9, reason_code=reason(142, "session_taken_over"),
         properties=[prop("reason_string", 31, "no")])),
    ("auth", "f0 00", rec("AUTH", "5.0", 2, reason_code=reason(0, "success"), properties=[])),
    # continue authentication, method "X", data 01 02 (valid UTF-8, so "text" is present too)
    ("auth-continue", "f0 0b 18 09 15 00 01 58 16 00 02 01 02",
     rec("AUTH", "5.0", 13, reason_code=reason(24, "continue_authentication"),
         properties=[prop("authentication_method", 21, "X"),
                     prop("authentication_data", 22, data("0102", "\u0001\u0002"))])),
]

ALL = [("3.1", n, h, r) for n, h, r in V31] + [("3.1.1", n, h, r) for n, h, r in V311] + \
      [("5", n, h, r) for n, h, r in V5]

PACKET_TYPES = {"CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "SUBSCRIBE", "SUBACK",
                "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "AUTH"}
