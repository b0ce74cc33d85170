#!/usr/bin/env python3
"""An MQTT client over WebSocket that cuts its packets every way MQTT over WebSocket allows
[MQTT-6.0.0-2], for recording captures: a CONNECT split across two frames, SUBSCRIBE and PUBLISH
in one frame, a 60 kB PUBLISH as a fragmented message (binary + continuation frames) with a ping
between the fragments, a QoS 2 PUBLISH cut across three frames at odd offsets, PINGREQ and
DISCONNECT in one frame, then the close handshake. One session in MQTT 3.1.1, one in 5.0, each
awaiting every reply with a deadline. Standard library only.

usage: ws_client.py --port WS_PORT [--timeout S]"""
import argparse
import os
import struct
import sys

from ws_common import Reader, accept_for, connect_tcp, frame  # also puts scripts/ on the path
from capture_bytes import mqtt_string as s, packet, varint  # noqa: E402


class Session:
    def __init__(self, port, level, timeout):
        self.level = level
        self.sock = connect_tcp(port, timeout)
        self.rd = Reader(self.sock, timeout)
        key = __import__("base64").b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /mqtt HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                           "Sec-WebSocket-Protocol: mqtt\r\n\r\n").encode())
        head = self.rd.until(b"\r\n\r\n").decode("latin-1")
        if " 101 " not in head.split("\r\n")[0] or accept_for(key) not in head or "Protocol: mqtt" not in head:
            raise SystemExit(f"ws_client: bad handshake answer: {head!r}")
        self.stream = b""  # MQTT bytes received, across frame boundaries
        self.pending = []  # packets read while another type was awaited

    def props(self, raw=b""):
        return varint(len(raw)) + raw if self.level == 5 else b""

    def send_frames(self, *parts, opcode=2):
        self.sock.sendall(b"".join(frame(p, opcode=opcode, masked=True) for p in parts))

    def next_packet(self):
        while True:
            if len(self.stream) >= 2:
                n, shift, i = 0, 0, 1
                while i < len(self.stream) and i <= 4:
                    n |= (self.stream[i] & 0x7F) << shift
                    shift += 7
                    if not self.stream[i] & 0x80:
                        total = i + 1 + n
                        if len(self.stream) >= total:
                            pkt, self.stream = self.stream[:total], self.stream[total:]
                            return pkt
                        break
                    i += 1
            fin, op, data, _ = self.rd.frame()
            if op in (0, 2):
                self.stream += data
            elif op == 8:
                raise SystemExit("ws_client: the server closed the WebSocket")

    def expect(self, ptype):
        """The next packet of type ptype (read earlier or now), answering QoS 1 deliveries as they come."""
        for i, pkt in enumerate(self.pending):
            if pkt[0] >> 4 == ptype:
                return self.pending.pop(i)
        while True:
            pkt = self.next_packet()
            t = pkt[0] >> 4
            if t == 3 and (pkt[0] >> 1) & 3 == 1:  # a QoS 1 delivery: acknowledge it
                hdr = 1
                while pkt[hdr] & 0x80:
                    hdr += 1
                hdr += 1
                tlen = struct.unpack(">H", pkt[hdr:hdr + 2])[0]
                self.send_frames(packet(0x40, pkt[hdr + 2 + tlen:hdr + 4 + tlen]))
            if t == ptype:
                return pkt
            self.pending.append(pkt)

    def run(self, tag):
        lvl = self.level
        if lvl == 5:
            body = s("MQTT") + bytes([5, 0x02]) + struct.pack(">H", 30) + self.props(b"\x21\x00\x0a") + s(tag)
        else:
            body = s("MQTT") + bytes([4, 0x02]) + struct.pack(">H", 30) + s(tag)
        con = packet(0x10, body)
        self.send_frames(con[:7], con[7:])                          # CONNECT in two frames
        self.expect(2)
        sub = packet(0x82, struct.pack(">H", 1) + self.props() + s(f"mqtk/{tag}/#") + b"\x01")
        pub0 = packet(0x30, s(f"mqtk/{tag}/hello") + self.props() + b"two packets, one frame")
        self.send_frames(sub + pub0)                                # SUBSCRIBE + PUBLISH in one frame
        self.expect(9)
        self.expect(3)
        big = packet(0x32, s(f"mqtk/{tag}/large") + struct.pack(">H", 2) + self.props() + os.urandom(60000))
        k = 16384
        parts = [big[i:i + k] for i in range(0, len(big), k)]
        wire = frame(parts[0], opcode=2, fin=False, masked=True)   # a fragmented binary message
        wire += frame(b"mid", opcode=9, masked=True)                # a ping between fragments
        for j, p in enumerate(parts[1:], 1):
            wire += frame(p, opcode=0, fin=j == len(parts) - 1, masked=True)
        self.sock.sendall(wire)
        self.expect(4)
        self.expect(3)
        q2 = packet(0x34, s(f"mqtk/{tag}/qos2") + struct.pack(">H", 3) + self.props() + b"exactly once")
        self.send_frames(q2[:1], q2[1:9], q2[9:])                   # QoS 2 PUBLISH over three frames
        self.expect(5)
        self.send_frames(packet(0x62, struct.pack(">H", 3)))
        self.expect(7)
        self.expect(3)
        bye = packet(0x30, s(f"mqtk/{tag}/bye") + self.props() + b"last")
        self.send_frames(b"\xc0\x00" + bye)                       # PINGREQ + PUBLISH in one frame
        self.expect(13)
        self.expect(3)
        self.send_frames(b"\xe0\x00")                             # DISCONNECT
        self.send_frames(b"\x03\xe8" + b"done", opcode=8)           # close, 1000
        try:  # the server answers with its close frame, or the connection simply ends
            while self.rd.frame()[1] != 8:
                pass
        except ConnectionError:
            pass
        self.sock.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--timeout", type=float, default=10)
    args = ap.parse_args()
    Session(args.port, 4, args.timeout).run("ws311")
    Session(args.port, 5, args.timeout).run("ws5")
    print("ws_client: both sessions done")


if __name__ == "__main__":
    sys.exit(main())
