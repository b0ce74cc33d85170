#!/usr/bin/env python3
"""A small MQTT broker that misbehaves on purpose, for the replay tests. Standard library only; it
listens on 127.0.0.1 only, on a free port it prints as its first line ("port N"), and exits after
--lifetime seconds whatever happens (every socket wait has a timeout, every loop a deadline).

Modes, chosen with --mode:
  polite  answers CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ, PUBLISH (QoS 1/2) and PUBREL with their
          acknowledgements, routes nothing, closes on DISCONNECT
  flood   answers CONNECT with CONNACK, then sends QoS 0 PUBLISH packets as fast as the socket
          takes them, until the client closes the connection or the lifetime ends
  huge    answers CONNECT with CONNACK, then announces one PUBLISH of 200 MB and streams zeros

When a connection ends it prints "closed after N packets, M bytes sent" (flushed), so a test can
see that the client, not the lifetime, ended it."""
import argparse
import socket
import struct
import sys
import threading
import time

FLOOD_PUBLISH = bytes([0x30, 0x6A]) + struct.pack(">H", 7) + b"flood/x" + b"F" * 97  # 108 bytes
HUGE_REMAINING = 200_000_000


def varint(n):
    out = bytearray()
    while True:
        b, n = n % 128, n // 128
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


class Conn:
    def __init__(self, sock, deadline, out_lock):
        self.sock = sock
        self.deadline = deadline
        self.buf = b""
        self.sent_packets = 0
        self.sent_bytes = 0
        self.version = 4
        self.out_lock = out_lock

    def left(self):
        return self.deadline - time.monotonic()

    def read_packet(self):
        """The next packet (first byte, body), or None when the peer closed or time is up."""
        while True:
            if len(self.buf) >= 2:
                n, mult, i = 0, 1, 1
                while i < len(self.buf) and i <= 4:
                    n += (self.buf[i] & 0x7F) * mult
                    mult *= 128
                    if not self.buf[i] & 0x80:
                        break
                    i += 1
                else:
                    i = None
                if i is not None and i < len(self.buf) and len(self.buf) >= i + 1 + n:
                    first, body = self.buf[0], self.buf[i + 1:i + 1 + n]
                    self.buf = self.buf[i + 1 + n:]
                    return first, body
            if self.left() <= 0:
                return None
            self.sock.settimeout(min(self.left(), 1.0))
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                return None
            if not data:
                return None
            self.buf += data

    def send(self, data, packets=1):
        # a timeout only at the end of the lifetime: a send cut short would break the packet framing
        self.sock.settimeout(max(self.left(), 0.01))
        self.sock.sendall(data)
        self.sent_packets += packets
        self.sent_bytes += len(data)

    def connack(self):
        self.send(bytes([0x20, 3, 0, 0, 0]) if self.version == 5 else bytes([0x20, 2, 0, 0]))

    def ack(self, kind, pid):
        self.send(bytes([kind, 2]) + pid if self.version != 5 else bytes([kind, 3]) + pid + b"\x00")


def serve(conn, mode):
    try:
        pkt = conn.read_packet()
        if pkt is None or pkt[0] >> 4 != 1:
            return
        name_len = struct.unpack(">H", pkt[1][:2])[0]
        conn.version = pkt[1][2 + name_len]
        conn.connack()
        if mode == "flood":
            while conn.left() > 0:
                conn.send(FLOOD_PUBLISH * 64, packets=64)
            return
        if mode == "huge":
            conn.send(bytes([0x30]) + varint(HUGE_REMAINING) + struct.pack(">H", 7) + b"huge/xx")
            chunk = bytes(65536)
            while conn.left() > 0:
                conn.send(chunk, packets=0)
            return
        while True:  # polite
            pkt = conn.read_packet()
            if pkt is None:
                return
            first, body = pkt
            kind = first >> 4
            if kind == 8:  # SUBSCRIBE: grant what was asked
                pid, rest = body[:2], body[2:]
                if conn.version == 5:
                    plen = rest[0]  # property lengths here stay below 128
                    rest = rest[1 + plen:]
                codes = bytearray()
                while rest:
                    n = struct.unpack(">H", rest[:2])[0]
                    codes.append(rest[2 + n] & 3)
                    rest = rest[3 + n:]
                props = b"\x00" if conn.version == 5 else b""
                conn.send(bytes([0x90]) + varint(2 + len(props) + len(codes)) + pid + props + bytes(codes))
            elif kind == 10:  # UNSUBSCRIBE
                conn.ack(0xB0, body[:2])
            elif kind == 12:  # PINGREQ
                conn.send(b"\xd0\x00")
            elif kind == 3 and first & 6:  # PUBLISH QoS 1 / 2
                n = struct.unpack(">H", body[:2])[0]
                conn.ack(0x40 if (first & 6) == 2 else 0x50, body[2 + n:4 + n])
            elif kind == 6:  # PUBREL
                conn.ack(0x70, body[:2])
            elif kind == 14:  # DISCONNECT
                return
    except OSError:
        pass  # the client went away: that is how a flood ends
    finally:
        with conn.out_lock:
            print(f"closed after {conn.sent_packets} packets, {conn.sent_bytes} bytes sent", flush=True)
        conn.sock.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", choices=["polite", "flood", "huge"], required=True)
    ap.add_argument("--lifetime", type=float, default=60.0, help="seconds before it exits, at most 600")
    args = ap.parse_args()
    deadline = time.monotonic() + min(args.lifetime, 600.0)
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(64)
    print(f"port {lsock.getsockname()[1]}", flush=True)
    out_lock = threading.Lock()
    while time.monotonic() < deadline:
        lsock.settimeout(max(min(deadline - time.monotonic(), 0.5), 0.01))
        try:
            sock, _ = lsock.accept()
        except socket.timeout:
            continue
        threading.Thread(target=serve, args=(Conn(sock, deadline, out_lock), args.mode), daemon=True).start()
    lsock.close()
    sys.exit(0)


if __name__ == "__main__":
    main()
