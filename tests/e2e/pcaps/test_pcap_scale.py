"""Reassembly at scale: a PUBLISH of 80,000 bytes sent as 80,000 one-byte segments, captured out of
order (shuffled, or last byte first), a thousand of them twice, the first segment last — about
5.7 MB of capture, as in issue 14, where the sorted waiting list took 12 s and more. The output must
be exactly right; the time is printed, not asserted (run with -s to see it)."""
import json
import random
import subprocess
import time

import pytest

from pcap_writer import CONNACK, DISCONNECT, Conversation, connect, pcap_bytes, publish

N = 80_000  # segments, one byte each: the whole PUBLISH packet


def payload():
    return bytes((i * 7 + 3) & 0xFF for i in range(N - 18))  # 18 bytes of header and topic


def capture(order_name):
    c = Conversation()
    c.handshake()
    c.send("c", connect("ooo"))
    c.send("s", CONNACK)
    pub = publish("big/one-byte", payload())
    assert len(pub) == N
    order = list(range(1, N))
    if order_name == "shuffled":
        random.Random(14).shuffle(order)
    else:
        order.reverse()
    order += random.Random(15).sample(range(1, N), 1000)  # retransmissions while the hole is open
    order.append(0)  # the first byte last: until then every segment waits
    c.segments("c", pub, order)
    c.send("c", DISCONNECT)
    c.close()
    return pcap_bytes(c.frames)


@pytest.mark.parametrize("order_name", ["shuffled", "reversed"])
def test_80000_out_of_order_one_byte_segments(mqtk, tmp_path, order_name):
    path = tmp_path / f"ooo-{order_name}.pcap"
    path.write_bytes(capture(order_name))
    size = path.stat().st_size
    assert 5_500_000 < size < 6_000_000
    start = time.monotonic()
    r = subprocess.run([mqtk, "pcap", "--json", str(path)], capture_output=True, text=True, timeout=300)
    took = time.monotonic() - start
    print(f"\nmqtk pcap on {N} one-byte segments ({order_name}, {size / 1e6:.1f} MB): {took:.3f} s")
    assert r.returncode == 0, r.stderr
    events = [json.loads(line) for line in r.stdout.splitlines()]
    assert [e["event"] for e in events] == ["packet"] * 4
    assert [e["packet"]["type"] for e in events] == ["CONNECT", "CONNACK", "PUBLISH", "DISCONNECT"]
    pub = events[2]
    assert pub["frame"] == 5 + N + 1000  # the frame with the first byte (the last one sent) completes it
    assert pub["packet"]["topic"] == "big/one-byte"
    assert bytes.fromhex(pub["packet"]["payload"]["hex"]) == payload()
    assert events[3]["offset"] == events[2]["offset"] + N

    s = subprocess.run([mqtk, "pcap", "--summary", "--json", str(path)], capture_output=True, text=True,
                       timeout=300)
    summary = json.loads(s.stdout)
    stream = summary["streams"][0]
    assert (summary["gaps"], stream["retransmitted_bytes"], stream["bytes_client_to_server"]) == (0, 1000, 17 + N + 2)  # CONNECT, PUBLISH, DISCONNECT
