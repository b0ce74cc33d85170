"""Misbehaving WebSocket servers for testing the runner's WebSocket transport: small threaded servers
on a free 127.0.0.1 port, standard library only. Each behaviour gets the accepted socket and the bytes
of the client's Upgrade request; HostileWs is a context manager yielding "ws://127.0.0.1:PORT/mqtt"."""
import base64
import hashlib
import socket
import struct

from hostile import LoopbackServer

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def accept_for(key):
    return base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()


def read_request(sock, timeout=5.0):
    """The Upgrade request's header block, and the Sec-WebSocket-Key in it."""
    sock.settimeout(timeout)
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("client went away")
        buf += chunk
    key = ""
    for line in buf.decode("latin-1").split("\r\n"):
        if line.lower().startswith("sec-websocket-key:"):
            key = line.split(":", 1)[1].strip()
    return buf, key


def response(key, protocol="mqtt", accept=None):
    lines = ["HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade",
             f"Sec-WebSocket-Accept: {accept if accept is not None else accept_for(key)}"]
    if protocol:
        lines.append(f"Sec-WebSocket-Protocol: {protocol}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def frame(payload, opcode=2, fin=True):
    n = len(payload)
    head = bytes([(0x80 if fin else 0) | opcode])
    if n < 126:
        head += bytes([n])
    elif n < 65536:
        head += bytes([126]) + struct.pack(">H", n)
    else:
        head += bytes([127]) + struct.pack(">Q", n)
    return head + payload


def read_until_closed(sock, timeout=30.0):
    sock.settimeout(timeout)
    try:
        while sock.recv(65536):
            pass
    except OSError:
        pass


def wait_for_data(sock, timeout=5.0):
    """Block until the client sends its first frame (its CONNECT)."""
    sock.settimeout(timeout)
    try:
        return sock.recv(65536)
    except OSError:
        return b""


def bad_accept(sock):
    _, key = read_request(sock)
    sock.sendall(response(key, accept=accept_for(key + "x")))
    read_until_closed(sock)


def wrong_subprotocol(sock):
    _, key = read_request(sock)
    sock.sendall(response(key, protocol="mqttv5"))
    read_until_closed(sock)


def no_subprotocol(sock):
    _, key = read_request(sock)
    sock.sendall(response(key, protocol=None))
    read_until_closed(sock)


def not_found(sock):
    read_request(sock)
    sock.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
    read_until_closed(sock)


def silent_before_upgrade(sock):
    read_request(sock)
    read_until_closed(sock)


def silent_after_upgrade(sock):
    _, key = read_request(sock)
    sock.sendall(response(key))
    read_until_closed(sock)


def text_frame(sock):
    """Answers the CONNECT with a CONNACK in a text frame [MQTT-6.0.0-1]."""
    _, key = read_request(sock)
    sock.sendall(response(key))
    if wait_for_data(sock):
        sock.sendall(frame(b"\x20\x02\x00\x00", opcode=1))
    read_until_closed(sock)


def oversize_frame(sock):
    """Announces a 1 TiB binary frame and sends a few bytes of it."""
    _, key = read_request(sock)
    sock.sendall(response(key))
    if wait_for_data(sock):
        sock.sendall(bytes([0x82, 127]) + struct.pack(">Q", 1 << 40) + b"\x20\x02")
    read_until_closed(sock)


def close_mid_packet(sock):
    """Sends half a CONNACK in a binary frame, then a close frame."""
    _, key = read_request(sock)
    sock.sendall(response(key))
    if wait_for_data(sock):
        sock.sendall(frame(b"\x20\x02") + frame(b"\x03\xe8", opcode=8))
    read_until_closed(sock, 5.0)


def eof_mid_frame(sock):
    """Sends the first bytes of a frame, then ends the TCP connection."""
    _, key = read_request(sock)
    sock.sendall(response(key))
    if wait_for_data(sock):
        sock.sendall(bytes([0x82, 4, 0x20, 0x02]))
        sock.shutdown(socket.SHUT_WR)
    read_until_closed(sock, 5.0)


def read_frame(sock):
    """(opcode, unmasked payload, masked) of the client's next frame; None when it went away."""
    def exactly(n):
        buf = b""
        while len(buf) < n:
            chunk = sock.recv(n - len(buf))
            if not chunk:
                raise ConnectionError("client went away")
            buf += chunk
        return buf
    b0, b1 = exactly(2)
    n = b1 & 0x7F
    if n == 126:
        n = struct.unpack(">H", exactly(2))[0]
    elif n == 127:
        n = struct.unpack(">Q", exactly(8))[0]
    key = exactly(4) if b1 & 0x80 else b""
    data = exactly(n)
    if key:
        data = bytes(b ^ key[i % 4] for i, b in enumerate(data))
    return b0 & 0x0F, data, bool(key)


def pong_required(sock):
    """A tiny broker that pings the client before every CONNACK and answers only once the pong carries
    the ping's payload back (RFC 6455 5.5.3); PINGREQ gets PINGRESP, SUBSCRIBE (one filter) SUBACK 0, a
    close is echoed."""
    _, key = read_request(sock)
    sock.sendall(response(key))
    sock.settimeout(10.0)
    while True:
        op, data, masked = read_frame(sock)
        if not masked or op == 8:
            sock.sendall(frame(data[:2], opcode=8))
            return
        if op == 2 and data[:1] == b"\x10":
            sock.sendall(frame(b"mqtk?", opcode=9))
            op, echo, _ = read_frame(sock)
            if op != 10 or echo != b"mqtk?":
                sock.sendall(frame(b"\x03\xea", opcode=8))
                return
            sock.sendall(frame(b"\x20\x02\x00\x00"))
        elif op == 2 and data[:1] == b"\xc0":
            sock.sendall(frame(b"\xd0\x00"))
        elif op == 2 and data[:1] == b"\x82":  # the runner's health check: grant QoS 0
            sock.sendall(frame(b"\x90\x03" + data[2:4] + b"\x00"))


def small_frames_only(limit):
    """A tiny broker that reassembles packets from frames of at most limit payload bytes and closes the
    connection (1009) on a longer one: CONNECT gets CONNACK 0, PINGREQ PINGRESP, SUBSCRIBE SUBACK 0."""
    answers = {0x10: lambda p: b"\x20\x02\x00\x00", 0xc0: lambda p: b"\xd0\x00",
               0x82: lambda p: b"\x90\x03" + p[2:4] + b"\x00"}

    def packet_len(buf):
        """Length of the first packet in buf, or 0 while it is incomplete."""
        n, mult = 0, 1
        for i in range(1, min(len(buf), 5)):
            n += (buf[i] & 0x7F) * mult
            mult *= 128
            if not buf[i] & 0x80:
                return 1 + i + n if len(buf) >= 1 + i + n else 0
        return 0

    def behaviour(sock):
        _, key = read_request(sock)
        sock.sendall(response(key))
        sock.settimeout(10.0)
        buf = b""
        while True:
            op, data, _ = read_frame(sock)
            if op == 8:
                sock.sendall(frame(data[:2], opcode=8))
                return
            if len(data) > limit:
                sock.sendall(frame(b"\x03\xf1", opcode=8))
                return
            buf += data
            while (n := packet_len(buf)):
                packet, buf = buf[:n], buf[n:]
                answer = answers.get(packet[0])
                if answer:
                    sock.sendall(frame(answer(packet)))
    return behaviour


class HostileWs(LoopbackServer):
    def __init__(self, behaviour):
        self.behaviour = behaviour

    def _handle(self, sock):
        try:
            self.behaviour(sock)
        except (OSError, ConnectionError):
            pass

    def __enter__(self):
        return f"ws://{super().__enter__()}/mqtt"
