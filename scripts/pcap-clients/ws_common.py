"""WebSocket (RFC 6455) framing and MQTT packet helpers shared by ws_bridge.py and ws_client.py.
Python standard library only."""
import base64
import hashlib
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from capture_bytes import ws_frame  # noqa: E402  (scripts/, one folder up)

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def accept_for(key):
    return base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()


def frame(payload, opcode=2, fin=True, masked=False):
    """A frame; a masked one (client to server) gets a fresh random key."""
    return ws_frame(payload, opcode, fin, os.urandom(4) if masked else None)


def unmask(data, key):
    """XOR with the 4-byte key, whole payload at once (big integers: fast enough for MB payloads)."""
    n = len(data)
    pad = (key * (n // 4 + 1))[:n]
    return (int.from_bytes(data, "big") ^ int.from_bytes(pad, "big")).to_bytes(n, "big")


class Reader:
    """Reads from a socket with one deadline for every call."""

    def __init__(self, sock, timeout):
        self.sock, self.timeout, self.buf = sock, timeout, b""

    def exactly(self, n):
        deadline = time.monotonic() + self.timeout
        while len(self.buf) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {n} bytes within {self.timeout} s")
            self.sock.settimeout(left)
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("peer closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def until(self, marker, limit=16384):
        deadline = time.monotonic() + self.timeout
        while marker not in self.buf:
            if len(self.buf) > limit or time.monotonic() > deadline:
                raise ConnectionError("no end of header block")
            self.sock.settimeout(max(deadline - time.monotonic(), 0.01))
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("peer closed")
            self.buf += chunk
        i = self.buf.index(marker) + len(marker)
        out, self.buf = self.buf[:i], self.buf[i:]
        return out

    def frame(self):
        """(fin, opcode, unmasked payload, masked)"""
        b0, b1 = self.exactly(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack(">H", self.exactly(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", self.exactly(8))[0]
        key = self.exactly(4) if b1 & 0x80 else None
        data = self.exactly(n)
        if key:
            data = unmask(data, key)
        return bool(b0 & 0x80), b0 & 0x0F, data, key is not None


def connect_tcp(port, timeout):
    return socket.create_connection(("127.0.0.1", port), timeout=timeout)
