#!/usr/bin/env python3
"""A WebSocket listener for MQTT in front of a broker that speaks only TCP (Debian's mosquitto is built
without libwebsockets). It is the WebSocket peer of `mqtk run --transport ws` and the bridge used to
record captures. It answers the RFC 6455 opening handshake, selecting "mqtt" (or "mqttv3.1" for MQTT
3.1 clients) among the subprotocols offered, then relays binary frame payloads to the broker and the
broker's bytes back as unmasked binary frames of at most --frame bytes, so packets are cut across
server frames too. Pings get pongs; a close is answered and ends the connection. A text frame closes
the connection [MQTT-6.0.0-1] (close code 1003). When either side goes away the other is shut down at
once, so the broker sees a dropped client as promptly as over TCP. Loopback only.

usage: ws_bridge.py --port WS_PORT --broker-port TCP_PORT [--frame N] [--timeout S]
       (--port 0 picks a free port; the first line printed is "ws_bridge listening on PORT")"""
import argparse
import signal
import socket
import sys
import threading

from ws_common import Reader, accept_for, connect_tcp, frame

# What the bridge selects, in order of preference, among the subprotocols a client offers.
SUBPROTOCOLS = ("mqtt", "mqttv3.1")


def shut(sock):
    """Shut both directions (wakes a thread blocked in recv on it), then close."""
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


def handshake(client, rd):
    """Read the Upgrade request and answer it; the selected subprotocol, or None after a 400."""
    head = rd.until(b"\r\n\r\n").decode("latin-1")
    fields = {}
    for line in head.split("\r\n")[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            k = k.strip().lower()
            fields[k] = fields[k] + "," + v.strip() if k in fields else v.strip()
    offered = [p.strip() for p in fields.get("sec-websocket-protocol", "").split(",")]
    chosen = next((p for p in SUBPROTOCOLS if p in offered), None)
    if not head.startswith("GET ") or "websocket" not in fields.get("upgrade", "").lower() or not chosen \
            or "sec-websocket-key" not in fields:
        client.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        return None
    client.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    f"Sec-WebSocket-Accept: {accept_for(fields['sec-websocket-key'])}\r\n"
                    f"Sec-WebSocket-Protocol: {chosen}\r\n\r\n").encode())
    return chosen


def serve(client, args):
    client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    rd = Reader(client, args.timeout)
    try:
        if not handshake(client, rd):
            shut(client)
            return
        broker = connect_tcp(args.broker_port, args.timeout)
        broker.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except (OSError, ConnectionError, KeyError):
        shut(client)
        return
    lock = threading.Lock()
    closed = []  # a close frame was sent: nothing may follow it (RFC 6455 5.5.1)

    def send(data, close=False):
        with lock:
            if closed:
                return
            if close:
                closed.append(True)
            client.sendall(data)

    def broker_to_client():
        code = b"\x03\xe8"  # 1000: the broker closed in order
        try:
            broker.settimeout(None)  # the client side's reads bound the connection's life
            while True:
                data = broker.recv(65536)
                if not data:
                    break
                for i in range(0, len(data), args.frame):
                    send(frame(data[i:i + args.frame]))
        except OSError:
            code = b"\x03\xf3"  # 1011: the broker reset the connection (mosquitto does on a protocol error)
        # the broker is gone: close the WebSocket too, and end the TCP connection after it
        try:
            send(frame(code, opcode=8), close=True)
            client.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    t = threading.Thread(target=broker_to_client, daemon=True)
    t.start()
    rd.timeout = args.idle
    try:
        while True:
            fin, op, data, masked = rd.frame()
            if not masked:
                send(frame(b"\x03\xea", opcode=8), close=True)  # RFC 6455 5.1: fail the connection (1002)
                break
            if op in (0, 2):
                broker.sendall(data)
            elif op == 9:
                send(frame(data, opcode=10))
            elif op == 10:
                pass
            elif op == 8:
                send(frame(data[:2], opcode=8), close=True)
                break
            elif op == 1:
                send(frame(b"\x03\xeb", opcode=8), close=True)  # MQTT is binary only [MQTT-6.0.0-1]: 1003
                break
            else:
                send(frame(b"\x03\xea", opcode=8), close=True)
                break
    except (OSError, ConnectionError, TimeoutError):
        pass
    shut(broker)
    t.join(args.timeout)
    shut(client)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--broker-port", type=int, required=True)
    ap.add_argument("--frame", type=int, default=4096)
    ap.add_argument("--timeout", type=float, default=20, help="handshake and broker connect deadline, seconds")
    ap.add_argument("--idle", type=float, default=3600, help="a client silent this long is dropped, seconds")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", args.port))
    srv.listen(128)
    print(f"ws_bridge listening on {srv.getsockname()[1]}", flush=True)
    while True:
        client, _ = srv.accept()
        threading.Thread(target=serve, args=(client, args), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
