"""Capture timestamps far apart, far from now, or before 1970: pcapng lets an interface count time in
any unit (if_tsresol) from any offset (if_tsoffset), so seconds reach the whole 64-bit range. Times
relative to frame 1 used to be (ts - first) * 1e9 in a signed 64-bit integer: undefined behaviour
past 292 years, and negative times in the output. Each expected value here is computed with Python's
exact integers."""
import json
import struct
import subprocess

import pytest

from pcap_writer import CONNACK, DISCONNECT, Conversation, connect, pcap_bytes, pcapng_bytes

NS = 10 ** 9


def session_frames():
    """Six frames: handshake (1-3), CONNECT (4), CONNACK (5), DISCONNECT (6)."""
    c = Conversation()
    c.handshake()
    c.send("c", connect("ts"))
    c.send("s", CONNACK)
    c.send("c", DISCONNECT)
    return [f for _, f in c.frames]


def relative(first_ns, ns):
    """mqtk's time_relative: sign, seconds, microseconds truncated."""
    d = ns - first_ns
    mag = abs(d)
    return f"{'-' if d < 0 else ''}{mag // NS}.{mag % NS // 1000:06d}"


def absolute(ns):
    """mqtk's timestamp: seconds and nanoseconds, the sign in front of the whole value."""
    mag = abs(ns)
    return f"{'-' if ns < 0 else ''}{mag // NS}.{mag % NS:09d}"


def packet_times(mqtk, path):
    r = subprocess.run([mqtk, "pcap", "--json", str(path)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    events = [json.loads(line) for line in r.stdout.splitlines()]
    assert [e["packet"]["type"] for e in events] == ["CONNECT", "CONNACK", "DISCONNECT"]
    text = subprocess.run([mqtk, "pcap", str(path)], capture_output=True, text=True, timeout=60).stdout
    return [(e["frame"], e["timestamp"], e["time_relative"]) for e in events], text


# (if_tsresol option byte, if_tsoffset, timestamps of the six frames in interface units, units per second)
CASES = {
    # nanoseconds: frame 6 at 2^64 - 1 ns (year 2554), 584 years after frame 1
    "nanoseconds-far-apart": (9, None, [NS, NS + 1, NS + 2, 2 ** 64 - 1, 5, 3 * NS // 2], NS),
    # one-second units: 2^62 s after frame 1, and before it
    "seconds-huge": (0, None, [10, 11, 12, 2 ** 62, 3, 2 ** 40], 1),
    # tenths of a second from an offset before 1970: -9.5 s prints as -9.500000000
    "before-1970": (1, -10, [5, 5, 5, 5, 25, 0], 10),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_pcapng_times_are_exact(mqtk, tmp_path, name):
    tsresol, tsoffset, stamps, per_sec = CASES[name]
    path = tmp_path / f"{name}.pcapng"
    path.write_bytes(pcapng_bytes(list(zip(stamps, session_frames())), tsresol=tsresol, tsoffset=tsoffset))
    in_ns = [t * NS // per_sec + (tsoffset or 0) * NS for t in stamps]
    got, text = packet_times(mqtk, path)
    want = [(i + 1, absolute(in_ns[i]), relative(in_ns[0], in_ns[i])) for i in (3, 4, 5)]
    assert got == want
    for frame, _, rel in want:  # the text output shows the same relative times
        assert any(line.split()[:2] == [str(frame), rel] for line in text.splitlines()), (rel, text)


def test_classic_pcap_fraction_of_a_second_or_more_carries(mqtk, tmp_path):
    """A classic pcap record's microsecond field is 32 bits and nothing stops it passing 999,999."""
    frames = session_frames()
    data = bytearray(pcap_bytes([(1_700_000_000_000_000 + i, f) for i, f in enumerate(frames)]))
    at = 24
    for i, f in enumerate(frames):
        if i == 3:
            struct.pack_into("<I", data, at + 4, 2_500_000)  # 2.5 s in the microsecond field
        at += 16 + len(f)
    path = tmp_path / "usec.pcap"
    path.write_bytes(bytes(data))
    got, _ = packet_times(mqtk, path)
    assert got[0] == (4, "1700000002.500000000", "2.500000")
    assert got[1] == (5, "1700000000.000004000", "0.000004")
