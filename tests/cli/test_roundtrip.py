"""decode --json | encode | decode --json reproduces the JSON, and encode gives back the bytes."""
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


def test_short_form_reencodes_shortest(run):
    # 5.0 PUBACK with an explicit success reason and empty properties (Remaining Length 4) is valid;
    # the encoder writes the shortest form, so only "length" changes
    first = run("decode", "--json", "--hex", "40 04 00 0a 00 00")
    assert first.rc == 0
    encoded = run("encode", "--hex", input=first.out)
    assert encoded.text == "4002000a\n"
    second = run("decode", "--json", "--hex", encoded.text)
    a, b = first.records[0], second.records[0]
    assert (a.pop("length"), b.pop("length")) == (6, 4)
    assert a == b
