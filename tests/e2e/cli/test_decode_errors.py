"""Malformed and truncated input: exit 1, rule name, statement ID and the byte offset in the stream."""
import pytest

# (version, hex, expected stderr line)
MALFORMED = [
    ("3.1.1", "60 02 00 0a", "bad_fixed_header_flags: reserved flag bits of the fixed header differ from the "
                             "required value [MQTT-3.6.1-1] at byte 0"),
    ("5", "00 00", "bad_packet_type: packet type is reserved in this protocol version at byte 0"),
    ("3.1.1", "f0 00", "bad_packet_type: packet type is reserved in this protocol version at byte 0"),
    ("5", "36 07 00 03 61 2f 62 00 01", "publish_qos_3: PUBLISH has both QoS bits set [MQTT-3.3.1-4] at byte 0"),
    ("5", "38 05 00 03 61 2f 62", "publish_dup_qos_0: PUBLISH has DUP set with QoS 0 [MQTT-3.3.1-2] at byte 0"),
    ("3.1.1", "30 05 00 03 61 2f 23", "topic_wildcard: topic name contains a wildcard character ('+' or '#') "
                                      "[MQTT-3.3.2-2] at byte 6"),
    ("3.1.1", "32 07 00 03 61 2f 62 00 00", "packet_id_zero: packet identifier is 0 where a non-zero one is "
                                            "required [MQTT-2.3.1-1] at byte 7"),
    # CONNECT 3.1.1 with the Password flag but no User Name flag (flags 0x42)
    ("3.1.1", "10 11 00 04 4d 51 54 54 04 42 00 3c 00 02 63 31 00 01 70",
     "password_without_username: Password Flag is set while the User Name Flag is 0 [MQTT-3.1.2-22] at byte 9"),
    ("3.1.1", "10 0e 00 04 4d 51 54 54 04 03 00 3c 00 02 63 31",
     "connect_reserved_flag: reserved bit 0 of the connect flags is set [MQTT-3.1.2-3] at byte 9"),
    ("5", "c0 80 00", "varint_not_minimal: variable byte integer uses more bytes than its value needs "
                      "[MQTT-1.5.5-1] at byte 1"),
    ("5", "30 ff ff ff ff 01", "varint_too_long: variable byte integer is longer than 4 bytes at byte 1"),
    ("5", "30 04 00 02 c0 80", "utf8_invalid: string is not well-formed UTF-8 (bad sequence, overlong form, "
                               "surrogate or above U+10FFFF) [MQTT-3.3.2-1] at byte 4"),
    ("5", "30 04 00 02 61 00", "utf8_null: string contains the null character U+0000 [MQTT-4.7.3-2] at byte 5"),
    ("5", "c0 01 00", "wrong_remaining_length: remaining length is not one this packet type allows at byte 1"),
    ("3.1.1", "10 0f 00 04 4d 51 54 54 04 02 00 3c 00 02 63 31 00",
     "trailing_bytes: bytes are left over after the last field of the packet at byte 16"),
    ("5", "30 03 00 05 61", "field_overruns_packet: a field runs past the end of the packet at byte 2"),
    # two Message Expiry Interval properties; the second starts at byte 11
    ("5", "30 0f 00 01 74 0a 02 00 00 00 01 02 00 00 00 02 61",
     "property_duplicate: property appears more than once at byte 11"),
    ("5", "30 09 00 01 74 05 11 00 00 00 01", "property_not_allowed: property is not allowed in this packet at byte 6"),
    ("3.1.1", "82 02 00 01", "no_topic_filters: SUBSCRIBE or UNSUBSCRIBE carries no topic filter [MQTT-3.8.3-3] "
                             "at byte 4"),
    ("3.1.1", "82 08 00 01 00 03 61 2f 62 03", "subscribe_qos_3: requested QoS is 3 [MQTT-3.8.3-4] at byte 9"),
    ("5", "40 03 00 0a 04", "reason_code_not_allowed: reason or return code is not one this packet type may carry "
                            "[MQTT-3.4.2-1] at byte 4"),
    ("3.1.1", "90 02 00 01", "no_reason_codes: SUBACK or UNSUBACK carries no reason code [MQTT-3.8.4-5] at byte 4"),
    ("3.1", "90 03 00 01 80", "reason_code_not_allowed: reason or return code is not one this packet type may "
                              "carry [MQTT-3.9.3-2] at byte 4"),
    ("3.1", "20 02 02 00", "connack_reserved_flags: reserved bits 7-1 of the CONNACK flags are set at byte 2"),
]


@pytest.mark.parametrize("version,hexstr,message", MALFORMED, ids=[m.split(":")[0] + "-" + v for v, _, m in MALFORMED])
def test_malformed_packet(run, version, hexstr, message):
    for fmt in ([], ["--json"]):
        r = run("decode", *fmt, "--protocol", version, "--hex", hexstr)
        assert r.rc == 1
        assert r.err == f"error: {message}\n"
        assert r.out == b""


def test_error_offset_counts_from_stream_start_and_earlier_packets_print(run):
    # PINGREQ, PINGRESP, then a PUBREL with flags 0 at byte 4
    r = run("decode", "--json", "--hex", "c0 00 d0 00 60 02 00 0a")
    assert r.rc == 1
    assert [x["type"] for x in r.records] == ["PINGREQ", "PINGRESP"]
    assert r.err == ("error: bad_fixed_header_flags: reserved flag bits of the fixed header differ from the "
                     "required value [MQTT-3.6.1-1] at byte 4\n")


def test_error_inside_second_packet_adds_its_start(run):
    # PINGREQ then a PUBLISH whose topic ends in '#': the '#' is byte 6 of the PUBLISH, 2 + 6 = 8 of the stream
    r = run("decode", "--hex", "c0 00 30 05 00 03 61 2f 23")
    assert r.rc == 1
    assert r.text.startswith("PINGREQ (v5)")
    assert r.err.endswith("[MQTT-3.3.2-2] at byte 8\n")


def test_one_sided_rule_needs_direction(run):
    # PUBLISH with a Subscription Identifier: fine from a server, forbidden from a client
    hexstr = "30 06 00 01 74 02 0b 01"
    assert run("decode", "--hex", hexstr).rc == 0
    assert run("decode", "--direction", "server", "--hex", hexstr).rc == 0
    r = run("decode", "--direction", "client", "--hex", hexstr)
    assert r.rc == 1
    assert r.err == ("error: subscription_id_from_client: PUBLISH sent by a client carries a Subscription "
                     "Identifier [MQTT-3.3.4-6] at byte 6\n")


@pytest.mark.parametrize("hexstr,start,need,have", [
    ("30 07 00 03 61", 0, 9, 5),             # body cut short
    ("30", 0, 2, 1),                          # no Remaining Length yet
    ("30 80", 0, 3, 2),                       # Remaining Length continues
    ("c0 00 d0 00 40 02 00", 4, 4, 3),        # third packet incomplete
])
def test_truncated(run, hexstr, start, need, have):
    r = run("decode", "--json", "--hex", hexstr)
    assert r.rc == 1
    assert r.err == (f"error: truncated: input ends inside a packet at byte {start}: the packet starting there "
                     f"needs at least {need} bytes, only {have} remain\n")
    assert len(r.records) == (2 if start == 4 else 0)


def test_empty_input_is_an_error(run):
    # no bytes is not "a sequence of well-formed packets": say so, exit 2 (issue 14, item 10)
    r = run("decode", "--hex", "")
    assert (r.rc, r.out) == (2, b"")
    assert r.err == "mqtk decode: error: the input (--hex) is empty: no bytes to decode\n"
