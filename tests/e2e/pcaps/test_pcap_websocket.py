"""MQTT over WebSocket and TLS in captures: what `mqtk pcap --json` says about the crafted and
recorded captures, and exactness however frames and TCP segments cut the packets (captures built
here with pcap_writer.py)."""
import json
import os
import struct
import subprocess

import pytest

import pcap_writer as pw
from pcap_cases import CRAFTED, REAL, events

KEY = b"\x37\xfa\x21\x3d"
REQUEST = (b"GET /mqtt HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: mqtt\r\n"
           b"Sec-WebSocket-Version: 13\r\n\r\n")
ANSWER = (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n")


def ws_frame(payload, opcode=2, fin=True, mask=None):
    n = len(payload)
    head = bytes([(0x80 if fin else 0) | opcode])
    m = 0x80 if mask else 0
    head += bytes([m | n]) if n < 126 else bytes([m | 126]) + struct.pack(">H", n)
    if mask:
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        head += mask
    return head + payload


def packets(evs):
    return [(e["direction"], e["packet"]["type"]) for e in evs if e["event"] == "packet"]


def test_session_split_across_frames_and_segments(mqtk, repo_root):
    evs, r = events(mqtk, repo_root, [f"{CRAFTED}/ws-session.pcap"])
    assert r.returncode == 0, r.stderr
    c, s = "client_to_server", "server_to_client"
    assert packets(evs) == [(c, "CONNECT"), (s, "CONNACK"), (c, "SUBSCRIBE"), (s, "SUBACK"), (c, "PUBLISH"),
                            (s, "PUBACK"), (s, "PUBLISH"), (c, "PINGREQ"), (c, "DISCONNECT")]
    assert all(e.get("transport") == "websocket" for e in evs)
    pub = [e for e in evs if e["event"] == "packet" and e["packet"]["type"] == "PUBLISH"][0]
    assert pub["frame"] == 18 and pub["packet"]["payload"]["text"] == "p" * 300
    closes = [e for e in evs if e.get("what") == "close"]
    assert [(e["close_code"], e["reason"]) for e in closes] == [(1000, "bye"), (1000, "")]


def test_fragmented_message_with_a_ping_inside(mqtk, repo_root):
    evs, r = events(mqtk, repo_root, [f"{CRAFTED}/ws-fragmented.pcap"])
    assert r.returncode == 0
    assert [t for _, t in packets(evs)] == ["CONNECT", "PUBLISH", "CONNACK", "DISCONNECT"]


def test_text_frame_is_refused_and_not_decoded(mqtk, repo_root):
    evs, r = events(mqtk, repo_root, [f"{CRAFTED}/ws-text-frame.pcap"])
    assert r.returncode == 1
    errs = [e for e in evs if e["event"] == "websocket_error"]
    assert [(e["error"]["rule"], e["error"]["reference"]) for e in errs] == [("mqtt_not_binary", "MQTT-6.0.0-1")]
    assert "PUBLISH" not in [t for _, t in packets(evs)]
    assert [t for _, t in packets(evs)][-2:] == ["PINGREQ", "PINGRESP"]  # binary frames after it still decode


def test_masking_rules_per_direction(mqtk, repo_root):
    evs, r = events(mqtk, repo_root, [f"{CRAFTED}/ws-bad-mask.pcap"])
    assert r.returncode == 1
    errs = [(e["direction"], e["error"]["rule"], e["error"]["offset"]) for e in evs if e["event"] == "websocket_error"]
    assert errs == [("server_to_client", "masked_from_server", 1), ("client_to_server", "unmasked_from_client", 1)]
    assert [t for _, t in packets(evs)] == ["CONNECT", "PINGREQ"]


def test_tls_is_reported_not_skipped(mqtk, repo_root):
    evs, r = events(mqtk, repo_root, [f"{CRAFTED}/tls-hello.pcap"])
    assert r.returncode == 0
    hello = [e for e in evs if e.get("what") == "hello"]
    assert hello[0]["tls"] == {"client_version": "TLS 1.2", "offered_max": "TLS 1.3", "selected": None,
                               "sni": "broker.example"}
    assert hello[1]["tls"]["selected"] == "TLS 1.3"
    end = [e for e in evs if e.get("what") == "end"][0]
    assert (end["bytes_client_to_server"], end["bytes_server_to_client"]) == (107, 92)
    summary = subprocess.run([mqtk, "pcap", "--summary", f"{CRAFTED}/tls-hello.pcap"], cwd=repo_root,
                             capture_output=True, text=True, timeout=60)
    assert "1 TLS (encrypted, not decoded)" in summary.stdout
    assert "server name broker.example" in summary.stdout


def test_recorded_sessions(mqtk, repo_root):
    evs, r = events(mqtk, repo_root, [f"{REAL}/ws-mosquitto.pcapng"])
    assert r.returncode == 0
    by_stream = {}
    for e in evs:
        if e["event"] == "packet":
            by_stream.setdefault(e["stream"], []).append(e["packet"]["version"])
    assert {k: (len(v), set(v)) for k, v in by_stream.items()} == {0: (21, {"3.1.1"}), 1: (21, {"5.0"})}
    large = [e for e in evs if e["event"] == "packet" and e["packet"].get("topic", "").endswith("/large")]
    assert len(large) == 4 and all(len(e["packet"]["payload"]["hex"]) == 120000 for e in large)


@pytest.mark.parametrize("frame_size,segment_size", [(1, 7), (3, 1), (5, 13), (64, 2), (1000, 1)])
def test_exact_however_frames_and_segments_cut(mqtk, tmp_path, frame_size, segment_size):
    """The same MQTT bytes in frames of frame_size bytes, the frames' bytes in segments of
    segment_size: always the same packets at the same stream offsets."""
    mqtt = (pw.connect("cut") + pw.subscribe(1, "a/#") + pw.publish("a/b", b"x" * 300, qos=1, pid=5) +
            pw.publish("a/c", b"") + pw.DISCONNECT)
    wire = b"".join(ws_frame(mqtt[i:i + frame_size], mask=KEY) for i in range(0, len(mqtt), frame_size))
    conv = pw.Conversation()
    conv.handshake()
    conv.send("c", REQUEST)
    conv.send("s", ANSWER)
    conv.segments("c", wire, range((len(wire) + segment_size - 1) // segment_size), size=segment_size)
    conv.send("s", ws_frame(pw.CONNACK + pw.suback(1)))
    conv.close()
    path = tmp_path / "cut.pcap"
    path.write_bytes(pw.pcap_bytes(conv.frames))
    r = subprocess.run([mqtk, "pcap", "--json", str(path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    evs = [json.loads(line) for line in r.stdout.splitlines()]
    got = [(e["packet"]["type"], e["offset"]) for e in evs if e["event"] == "packet" and
           e["direction"] == "client_to_server"]
    assert got == [("CONNECT", 0), ("SUBSCRIBE", 17), ("PUBLISH", 27), ("PUBLISH", 337), ("DISCONNECT", 344)]
    assert not [e for e in evs if e["event"] not in ("packet", "transport")]
