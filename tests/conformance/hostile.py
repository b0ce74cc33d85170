"""Misbehaving MQTT brokers for testing the conformance runner: tiny threaded TCP servers on a free
127.0.0.1 port, standard library only. Each is a context manager yielding its "host:port"."""
import socket
import socketserver
import threading


def _read_some(sock, timeout=5.0):
    sock.settimeout(timeout)
    try:
        return sock.recv(65536)
    except OSError:
        return b""


class _Handler(socketserver.BaseRequestHandler):
    def handle(self):
        self.server.behaviour(self.request)


def silent(sock):
    """Accepts and reads, never answers, until the client goes away."""
    sock.settimeout(30.0)
    try:
        while sock.recv(65536):
            pass
    except OSError:
        pass


def closes_at_once(sock):
    """Closes the connection as soon as it is accepted."""
    sock.close()


def garbage(sock):
    """Answers the first bytes with bytes that do not frame as MQTT (a Remaining Length over 4 bytes)."""
    if _read_some(sock):
        sock.sendall(b"\x20\xff\xff\xff\xff\xff\x00garbage")
        silent(sock)


def wrong_connack(sock):
    """Answers every CONNECT with CONNACK return code 5 (not authorized) and keeps the connection open."""
    while True:
        data = _read_some(sock, 30.0)
        if not data:
            return
        if data[0] >> 4 == 1:
            try:
                sock.sendall(b"\x20\x02\x00\x05")
            except OSError:
                return


class HostileBroker:
    def __init__(self, behaviour):
        self.behaviour = behaviour
        self.server = None

    def __enter__(self):
        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.behaviour = self.behaviour
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        host, port = self.server.server_address
        return f"{host}:{port}"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def closed_port():
    """A loopback port with nothing listening (bound then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
