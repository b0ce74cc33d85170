"""decode --json prints exactly the documented record for every packet type in every version."""
import pytest

from vectors import ALL, PACKET_TYPES


def test_vectors_cover_every_type_in_every_version():
    for version in ("3.1", "3.1.1", "5"):
        types = {r["type"] for v, _, _, r in ALL if v == version}
        expected = PACKET_TYPES if version == "5" else PACKET_TYPES - {"AUTH"}
        assert types == expected, version


@pytest.mark.parametrize("version,name,hexstr,expected", ALL, ids=[f"{v}-{n}" for v, n, _, _ in ALL])
def test_decode_json_record(run, version, name, hexstr, expected):
    r = run("decode", "--json", "--protocol", version, "--hex", hexstr)
    assert r.rc == 0, r.err
    assert r.err == ""
    assert r.records == [expected]


@pytest.mark.parametrize("version,name,hexstr,expected", ALL, ids=[f"{v}-{n}" for v, n, _, _ in ALL])
def test_decode_text_summary(run, version, name, hexstr, expected):
    r = run("decode", "--protocol", version, "--hex", hexstr)
    assert r.rc == 0, r.err
    first = r.text.splitlines()[0]
    label = {"3.1": "v3.1", "3.1.1": "v3.1.1", "5": "v5"}[version]
    assert first.startswith(f"{expected['type']} ({label})")
    assert r.text.splitlines()[1] == f"    Offset: 0, Length: {expected['length']} " \
                                     f"(Remaining Length {expected['length'] - 2})"


def test_stream_offsets_and_lengths(run):
    # PINGREQ, PUBLISH QoS 1 (27 bytes), PINGRESP back to back
    r = run("decode", "--json", "--hex",
            "c0 00 32 19 00 03 61 2f 62 00 0a 0c 02 00 00 00 3c 26 00 01 6b 00 01 76 68 65 6c 6c 6f d0 00")
    assert r.rc == 0
    assert [(x["type"], x["offset"], x["length"]) for x in r.records] == [
        ("PINGREQ", 0, 2), ("PUBLISH", 2, 27), ("PINGRESP", 29, 2)]


def test_text_output_layout(run):
    r = run("decode", "--hex", "32 19 00 03 61 2f 62 00 0a 0c 02 00 00 00 3c 26 00 01 6b 00 01 76 68 65 6c 6c 6f")
    assert r.rc == 0
    assert r.text == (
        'PUBLISH (v5) qos=1 id=10 topic="a/b" payload=5 bytes\n'
        "    Offset: 0, Length: 27 (Remaining Length 25)\n"
        "    Flags: DUP 0, QoS 1, RETAIN 0\n"
        '    Topic: "a/b"\n'
        "    Packet Identifier: 10\n"
        "    Properties (2):\n"
        "        message_expiry_interval (0x02): 60\n"
        '        user_property (0x26): "k" = "v"\n'
        '    Payload (5 bytes): "hello"\n')


def test_text_output_binary_payload_is_a_hex_dump(run):
    r = run("decode", "--hex", "30 06 00 01 74 00 ff fe")
    assert r.rc == 0
    assert "    Payload (2 bytes):\n        0000  ff fe " in r.text


def test_non_utf8_string_in_json_is_hex_object(run):
    # binary data is always {"hex"}, with "text" only when the bytes are UTF-8
    r = run("decode", "--json", "--hex", "30 06 00 01 74 00 c3 28")
    assert r.rc == 0
    assert r.records[0]["payload"] == {"hex": "c328"}


def test_control_characters_are_escaped_in_json(run):
    r = run("decode", "--json", "--hex", "30 06 00 01 74 00 0a 22")
    assert r.rc == 0
    assert '"payload":{"hex":"0a22","text":"\\n\\""}' in r.text
