"""encode: JSON Lines in, packet bytes out; schema and codec errors with their exit codes."""
import json

import pytest


def encode(run, *records, args=("--hex",)):
    text = "".join((r if isinstance(r, str) else json.dumps(r, separators=(",", ":"))) + "\n" for r in records)
    return run("encode", *args, input=text)


def test_minimal_records_take_defaults(run):
    r = encode(run, {"type": "PINGREQ"}, {"type": "PUBLISH", "topic": "a/b", "payload": {"text": "hi"}})
    assert r.rc == 0, r.err
    assert r.text == "c000\n" + "3008" + "0003612f62" + "00" + "6869" + "\n"


def test_raw_output_is_bytes(run):
    r = encode(run, {"type": "PINGRESP"}, {"type": "DISCONNECT", "version": "3.1.1"}, args=())
    assert r.rc == 0
    assert r.out == b"\xd0\x00\xe0\x00"


def test_property_by_name_or_id_and_reason_by_name(run):
    r = encode(run, {"type": "PUBLISH", "qos": 1, "packet_id": 7, "topic": "t",
                     "properties": [{"name": "user_property", "key": "a", "value": "b"}, {"id": 2, "value": 9}]},
               {"type": "CONNACK", "reason_code": {"name": "not_authorized"}})
    assert r.rc == 0, r.err
    # PUBLISH QoS 1 id 7, topic "t", properties (12 bytes): user property a=b, message expiry 9
    assert r.text.splitlines() == ["321200017400070c260001610001620200000009", "2003008700"]


def test_version_field_and_protocol_option(run):
    puback = {"type": "PUBACK", "packet_id": 3}
    assert encode(run, puback).text == "40020003\n"
    assert encode(run, puback, args=("--hex", "--protocol", "3.1.1")).text == "40020003\n"
    # a 5.0 reason code is refused as a field in 3.1.1
    r = encode(run, {**puback, "version": "3.1.1", "reason_code": {"code": 16}})
    assert r.rc == 2
    assert 'field "reason_code" of PUBACK exists only in MQTT 5.0, not in 3.1.1' in r.err


def test_first_connect_sets_the_stream_version(run):
    connect = {"type": "CONNECT", "protocol_level": 4, "client_id": "x", "clean_start": True}
    r = encode(run, connect, {"type": "SUBSCRIBE", "packet_id": 1, "subscriptions": [{"filter": "a", "qos": 1}]})
    assert r.rc == 0, r.err
    # 3.1.1 SUBSCRIBE: no property length byte
    assert r.text.splitlines() == ["100d00044d51545404020000000178", "8206000100016101"]
    # without the CONNECT the same record is 5.0 and gets a property length
    r = encode(run, {"type": "SUBSCRIBE", "packet_id": 1, "subscriptions": [{"filter": "a", "qos": 1}]})
    assert r.text == "820700010000016101\n"


@pytest.mark.parametrize("record,message", [
    ({"type": "PUBLISH", "qos": 3, "topic": "a"},
     "error: line 1: 5.0 PUBLISH: publish_qos_3: PUBLISH has both QoS bits set [MQTT-3.3.1-4] at byte 0"),
    ({"type": "PUBLISH", "topic": "a/#"},
     "error: line 1: 5.0 PUBLISH: topic_wildcard: topic name contains a wildcard character ('+' or '#') "
     "[MQTT-3.3.2-2] at byte 6"),
    ({"type": "PUBLISH", "topic": "t\u0000"},
     "error: line 1: 5.0 PUBLISH: utf8_null: string contains the null character U+0000 [MQTT-4.7.3-2] at byte 5"),
    ({"type": "SUBSCRIBE", "packet_id": 1, "subscriptions": []},
     "error: line 1: 5.0 SUBSCRIBE: no_topic_filters: SUBSCRIBE or UNSUBSCRIBE carries no topic filter"),
    ({"type": "AUTH", "version": "3.1.1"},
     "error: line 1: 3.1.1 AUTH: bad_packet_type: packet type is reserved in this protocol version"),
])
def test_codec_refusal_is_exit_1(run, record, message):
    r = encode(run, record)
    assert r.rc == 1
    assert r.err.startswith(message)
    assert r.out == b""


def test_error_names_the_line_and_earlier_packets_are_written(run):
    r = encode(run, {"type": "PINGREQ"}, "", {"type": "PUBLISH", "qos": 1, "packet_id": 0, "topic": "t"})
    assert r.rc == 1
    assert r.text == "c000\n"
    assert r.err.startswith("error: line 3: 5.0 PUBLISH: packet_id_zero: ")


@pytest.mark.parametrize("line,message", [
    ('{"type":"PUBLISH","topic":"a",}', "line 1, column 31: expected a string key, found '}'"),
    ('{"type":"PUBLISH" "topic":"a"}', "line 1, column 19: expected ',' or '}' after an object member, found a string"),
    ('{"type":"PINGREQ"} x', "line 1, column 20: expected end of record after the value"),
    ('{"type":"PINGREQ","type":"PINGREQ"}', 'line 1, column 19: duplicate key "type"'),
    ('{"type":"PUBLISH","qos":01}', "line 1, column 25: numbers must not have leading zeros"),
    ('{"type":"PUBLISH","topic":"t\\ud800"}', "line 1, column 29: high surrogate \\uD800 not followed by a low"),
    ('{"type":"PUBLISH","topic":"\\q"}', "line 1, column 28: expected an escape"),
    ('{"type":"PUBLISH","topic":"a', "line 1, column 27: unterminated string"),
    ('[' * 70, "line 1, column 65: nesting deeper than 64 levels"),
])
def test_json_syntax_error_is_exit_2(run, line, message):
    r = run("encode", "--hex", input=line + "\n")
    assert r.rc == 2
    assert r.err.startswith("mqtk encode: " + message), r.err


def test_json_syntax_error_line_number(run):
    r = run("encode", "--hex", input='{"type":"PINGREQ"}\n\n{"type":\n')
    assert r.rc == 2
    assert r.text == "c000\n"
    assert r.err.startswith("mqtk encode: line 3, column 9: expected a value")


@pytest.mark.parametrize("record,message", [
    ({"type": "PUBLISH", "topic": "a", "bogus": 1}, 'line 1, column 39: unknown field "bogus" in PUBLISH'),
    ({"type": "PUBLISHX"}, 'line 1, column 9: unknown packet type "PUBLISHX"'),
    ({"topic": "a"}, 'line 1, column 1: expected a "type" field'),
    ({"type": "PUBLISH", "qos": 1, "packet_id": 70000, "topic": "t"},
     'line 1, column 39: field "packet_id": 70000 is outside 0..65535'),
    ({"type": "PUBLISH", "qos": "1"}, 'line 1, column 25: field "qos": expected an integer, found string'),
    ({"type": "PUBLISH", "qos": 1.5}, 'field "qos": expected an integer, found a fraction'),
    ({"type": "PUBLISH", "dup": 1}, 'field "dup": expected a boolean, found number'),
    ({"type": "PUBLISH", "topic": "t", "payload": {"hex": "abc"}}, 'field "payload": odd number of hex digits'),
    ({"type": "PUBLISH", "topic": "t", "payload": {"hex": "zz"}}, 'field "payload": not a hex digit'),
    ({"type": "PUBLISH", "topic": "t", "payload": {"hex": "6869", "text": "ho"}},
     'field "payload": "hex" and "text" hold different bytes'),
    ({"type": "PUBLISH", "version": "4.0"}, 'field "version": expected "3.1", "3.1.1" or "5.0"'),
    ({"type": "PUBLISH", "version": "3.1.1", "properties": []}, 'field "properties" of PUBLISH exists only in MQTT 5.0'),
    ({"type": "PUBLISH", "properties": [{"id": 99, "value": 1}]}, "property id 99 is not an MQTT 5.0 property"),
    ({"type": "PUBLISH", "properties": [{"name": "nope", "value": 1}]}, 'property: unknown name "nope"'),
    ({"type": "PUBLISH", "properties": [{"id": 1, "value": 256}]}, 'field "value": 256 is outside 0..255'),
    ({"type": "PUBLISH", "properties": [{"id": 2, "key": "k", "value": 1}]},
     "property message_expiry_interval has no \"key\""),
    ({"type": "CONNACK", "reason_code": {"name": "nope"}}, '"nope" is not a reason code name of CONNACK in 5.0'),
    ({"type": "PUBACK", "packet_id": 1, "tail": "long"}, 'field "tail": "long" is not "shortest", "reason_code"'),
    ({"type": "DISCONNECT", "tail": 1}, 'field "tail": expected a string, found number'),
    ({"type": "PUBACK", "version": "3.1.1", "packet_id": 1, "tail": "shortest"},
     'field "tail" of PUBACK exists only in MQTT 5.0'),
    ({"type": "CONNACK", "tail": "properties"}, 'unknown field "tail" in CONNACK'),
    ("[1]", "line 1, column 1: expected a JSON object per line, found array"),
])
def test_schema_error_is_exit_2(run, record, message):
    r = encode(run, record)
    assert r.rc == 2
    assert message in r.err, r.err
    assert r.err.startswith("mqtk encode: line 1, column ")


def test_derived_fields_are_ignored(run):
    r = encode(run, {"type": "PUBACK", "version": "5.0", "offset": 999, "length": 1, "packet_id": 1,
                     "reason_code": {"code": 16, "name": "whatever"},
                     "properties": [{"name": "also_ignored", "id": 31, "value": "x"}]})
    assert r.rc == 0, r.err
    assert r.text == "40080001100" + "41f000178" + "\n"


def test_non_utf8_string_as_hex_object(run):
    # a string field given as {"hex"} reaches the codec byte for byte, which refuses it
    r = encode(run, {"type": "PUBLISH", "topic": {"hex": "c328"}})
    assert r.rc == 1
    assert "utf8_invalid" in r.err


def test_raw_bytes_not_written_to_a_terminal(run, mqtk):
    import os
    import pty
    import subprocess
    controller, terminal = pty.openpty()
    try:
        proc = subprocess.run([mqtk, "encode"], input=b'{"type":"PINGREQ"}\n', stdout=terminal,
                              stderr=subprocess.PIPE, timeout=30)
    finally:
        os.close(terminal)
        os.close(controller)
    assert proc.returncode == 2
    assert b"refusing to write raw packet bytes to a terminal" in proc.stderr
