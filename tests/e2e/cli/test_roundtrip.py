"""decode --json | encode | decode --json reproduces the JSON, and encode gives back the bytes."""
import json

import pytest

from vectors import ALL


def hexbytes(s):
    return bytes.fromhex(s.replace(" ", ""))


@pytest.mark.parametrize("version,name,hexstr,expected", ALL, ids=[f"{v}-{n}" for v, n, _, _ in ALL])
def test_round_trip(run, version, name, hexstr, expected):
    first = run("decode", "--json", "--protocol", version, "--hex", hexstr)
    assert first.rc == 0, first.err
    encoded = run("encode", input=first.out)
    assert encoded.rc == 0, encoded.err
    assert encoded.out == hexbytes(hexstr)
    second = run("decode", "--json", "--protocol", version, "-", input=encoded.out)
    assert second.rc == 0, second.err
    assert second.out == first.out


@pytest.mark.parametrize("version,name,hexstr,expected", ALL, ids=[f"{v}-{n}" for v, n, _, _ in ALL])
def test_encode_hex_output(run, version, name, hexstr, expected):
    first = run("decode", "--json", "--protocol", version, "--hex", hexstr)
    r = run("encode", "--hex", input=first.out)
    assert r.rc == 0, r.err
    assert r.text == hexstr.replace(" ", "") + "\n"


@pytest.mark.parametrize("version", ["3.1", "3.1.1", "5"])
def test_whole_stream_round_trip(run, version):
    """Every vector of a version in one stream: offsets survive because packets are re-emitted back to back."""
    stream = "".join(h.replace(" ", "") for v, _n, h, _r in ALL if v == version)
    first = run("decode", "--json", "--protocol", version, "--hex", stream)
    assert first.rc == 0, first.err
    assert len(first.records) > 10
    encoded = run("encode", input=first.out)
    assert encoded.rc == 0, encoded.err
    assert encoded.out == hexbytes(stream)
    second = run("decode", "--json", "--protocol", version, "-", input=encoded.out)
    assert second.out == first.out


LONG_FORMS = [
    # 5.0 packets that spell out a success code or an empty property list they could leave out
    ("40 03 00 0a 00", "reason_code"),
    ("40 04 00 0a 00 00", "properties"),
    ("50 03 00 0a 00", "reason_code"),
    ("62 04 00 0a 92 00", "properties"),
    ("70 04 00 0b 00 00", "properties"),
    ("e0 01 00", "reason_code"),
    ("e0 02 00 00", "properties"),
]


@pytest.mark.parametrize("hexstr,tail", LONG_FORMS)
def test_long_form_round_trips_exactly(run, hexstr, tail):
    first = run("decode", "--json", "--hex", hexstr)
    assert first.rc == 0, first.err
    assert first.records[0]["tail"] == tail
    assert first.records[0]["length"] == len(hexbytes(hexstr))
    encoded = run("encode", input=first.out)
    assert encoded.rc == 0, encoded.err
    assert encoded.out == hexbytes(hexstr)
    second = run("decode", "--json", "-", input=encoded.out)
    assert second.out == first.out


@pytest.mark.parametrize("hexstr,tail", LONG_FORMS)
def test_long_form_without_tail_encodes_shortest(run, hexstr, tail):
    """Without "tail" (or with "shortest") the encoder writes the shortest form the fields allow."""
    rec = run("decode", "--json", "--hex", hexstr).records[0]
    del rec["tail"]
    plain = run("encode", input=json.dumps(rec))
    rec["tail"] = "shortest"
    explicit = run("encode", input=json.dumps(rec))
    assert plain.rc == 0 and explicit.rc == 0, plain.err + explicit.err
    assert plain.out == explicit.out
    assert len(plain.out) < len(hexbytes(hexstr))
    again = run("decode", "--json", "-", input=plain.out).records[0]
    assert "tail" not in again
    assert (again["reason_code"], again["properties"]) == (rec["reason_code"], rec["properties"])


def test_tail_is_only_written_beyond_the_shortest_form(run):
    # code 0x10 alone (RL 3) and a property list (RL 9) are already as short as their fields allow
    r = run("decode", "--json", "--hex", "40 03 00 0a 10 40 09 00 0a 10 05 1f 00 02 6e 6f e0 01 04")
    assert r.rc == 0, r.err
    assert [("tail" in x) for x in r.records] == [False, False, False]


def test_tail_asks_for_at_least_that_much(run):
    # "reason_code" with properties: the fields need the Property Length as well
    r = run("encode", "--hex", input=json.dumps({"type": "PUBACK", "packet_id": 10, "tail": "reason_code",
                                                   "properties": [{"name": "reason_string", "value": "no"}]}))
    assert r.rc == 0, r.err
    assert r.text == "4009000a00051f00026e6f\n"
