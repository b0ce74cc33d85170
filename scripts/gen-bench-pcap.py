#!/usr/bin/env python3
"""Write a large synthetic MQTT capture for scripts/bench-pcap.sh (Ethernet/IPv4/TCP, classic pcap).

Many client connections to port 1883 run at once; each does a handshake, CONNECT/CONNACK,
SUBSCRIBE/SUBACK, then PUBLISHes of QoS 0, 1 and 2 with their acknowledgements in both directions,
PINGREQ/PINGRESP, UNSUBSCRIBE/UNSUBACK and DISCONNECT, and closes with FINs. Payloads are mostly
small, some span several segments; segments carry several packets or cut one anywhere (inside the
Remaining Length too). Connections open and close through the file with at most --concurrent open,
so a reader's memory should follow the open connections, not the file size. Deterministic (--seed).

usage: gen-bench-pcap.py OUT [--connections N] [--concurrent N] [--messages N] [--seed S]"""
import argparse
import random
import struct

from capture_bytes import mqtt_string, packet, pcap_header, pcap_record

MSS = 1460


def connect(cid):
    flags = 0x02  # clean session
    return packet(0x10, mqtt_string("MQTT") + bytes([4, flags]) + struct.pack(">H", 60) + mqtt_string(cid))


def publish(topic, pid, qos, payload, retain=False):
    body = mqtt_string(topic) + (struct.pack(">H", pid) if qos else b"") + payload
    return packet(0x30 | (qos << 1) | int(retain), body)


def ack(kind, pid):
    first = {"puback": 0x40, "pubrec": 0x50, "pubrel": 0x62, "pubcomp": 0x70}[kind]
    return packet(first, struct.pack(">H", pid))


def session_script(rng, index, messages):
    """The MQTT packets of one connection in order: (0 client->server | 1 server->client, bytes)."""
    cid = f"bench-client-{index}"
    s = [(0, connect(cid)), (1, packet(0x20, b"\x00\x00")),
         (0, packet(0x82, struct.pack(">H", 1) + mqtt_string(f"bench/{index % 97}/#") + b"\x01")),
         (1, packet(0x90, struct.pack(">H", 1) + b"\x01"))]
    pid = 1
    for m in range(messages):
        pid = pid % 65535 + 1
        qos = rng.choice((0, 0, 1, 1, 2))
        size = rng.choice((16, 40, 90, 180, 300, 600)) if rng.random() < 0.97 else rng.randint(3000, 9000)
        payload = rng.randbytes(size)
        topic = f"bench/{index % 97}/sensor/{m % 13}"
        direction = 0 if rng.random() < 0.6 else 1  # the broker delivers too
        other = 1 - direction
        s.append((direction, publish(topic, pid, qos, payload, retain=(m % 50 == 0))))
        if qos == 1:
            s.append((other, ack("puback", pid)))
        elif qos == 2:
            s += [(other, ack("pubrec", pid)), (direction, ack("pubrel", pid)), (other, ack("pubcomp", pid))]
        if m % 40 == 39:
            s += [(0, packet(0xC0, b"")), (1, packet(0xD0, b""))]
    s += [(0, packet(0xA2, struct.pack(">H", 2) + mqtt_string(f"bench/{index % 97}/#"))),
          (1, packet(0xB0, struct.pack(">H", 2))), (0, packet(0xE0, b""))]
    return s


def segments(rng, script):
    """Cut each run of same-direction packets into TCP payloads: (direction, bytes)."""
    out = []
    i = 0
    while i < len(script):
        d = script[i][0]
        run = bytearray()
        while i < len(script) and script[i][0] == d:
            run += script[i][1]
            i += 1
        pos = 0
        while pos < len(run):
            cut = MSS
            if rng.random() < 0.05:  # an odd cut: inside a header, a Remaining Length, a payload
                cut = rng.randint(1, 6)
            out.append((d, bytes(run[pos:pos + cut])))
            pos += cut
    return out


class Conn:
    def __init__(self, rng, index, messages):
        self.client = (bytes([10, 1, (index >> 8) & 255, index & 255]), 20000 + index % 40000)
        self.server = (bytes([10, 0, 0, 1]), 1883)
        self.seq = [rng.getrandbits(32), rng.getrandbits(32)]
        self.todo = [("syn", None), ("synack", None), ("ack", None)]
        self.todo += [("data", seg) for seg in segments(rng, session_script(rng, index, messages))]
        self.todo += [("fin0", None), ("fin1", None), ("ack", None)]
        self.pos = 0


def frame(conn, direction, flags, payload, ackno):
    src, dst = (conn.client, conn.server) if direction == 0 else (conn.server, conn.client)
    tcp = struct.pack(">HHIIBBHHH", src[1], dst[1], conn.seq[direction], ackno, 5 << 4, flags, 65535, 0, 0)
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp) + len(payload), 0, 0x4000, 64, 6, 0, src[0], dst[0])
    eth = b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00" if direction == 0 else \
        b"\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00"
    return eth + ip + tcp + payload


def step(conn):
    """The next frame of a connection."""
    kind, seg = conn.todo[conn.pos]
    conn.pos += 1
    SYN, FIN, ACK, PSH = 0x02, 0x01, 0x10, 0x08
    if kind == "syn":
        f = frame(conn, 0, SYN, b"", 0)
        conn.seq[0] += 1
    elif kind == "synack":
        f = frame(conn, 1, SYN | ACK, b"", conn.seq[0])
        conn.seq[1] += 1
    elif kind == "ack":
        f = frame(conn, 0, ACK, b"", conn.seq[1])
    elif kind == "data":
        d, payload = seg
        f = frame(conn, d, ACK | PSH, payload, conn.seq[1 - d])
        conn.seq[d] = (conn.seq[d] + len(payload)) & 0xFFFFFFFF
    else:
        d = int(kind[-1])
        f = frame(conn, d, FIN | ACK, b"", conn.seq[1 - d])
        conn.seq[d] = (conn.seq[d] + 1) & 0xFFFFFFFF
    return f


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--connections", type=int, default=4000)
    ap.add_argument("--concurrent", type=int, default=500)
    ap.add_argument("--messages", type=int, default=60, help="PUBLISH flows per connection")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    started = 0
    live = []
    t_us = 0
    frames = 0
    with open(a.out, "wb") as f:
        f.write(pcap_header(262144, 1))
        while live or started < a.connections:
            while len(live) < a.concurrent and started < a.connections:
                live.append(Conn(rng, started, a.messages))
                started += 1
            i = rng.randrange(len(live))
            c = live[i]
            data = step(c)
            t_us += 7
            f.write(pcap_record(t_us, data))
            frames += 1
            if c.pos == len(c.todo):
                live[i] = live[-1]
                live.pop()
    print(f"{a.out}: {frames} frames, {a.connections} connections (at most {a.concurrent} open)")


if __name__ == "__main__":
    main()
