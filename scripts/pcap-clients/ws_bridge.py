#!/usr/bin/env python3
"""A WebSocket listener for MQTT in front of a broker that speaks only TCP (Debian's mosquitto is built
without libwebsockets): it answers the RFC 6455 opening handshake with the "mqtt" subprotocol, then
relays binary frame payloads to the broker and the broker's bytes back as unmasked binary frames of
at most --frame bytes, so packets are cut across server frames too. Pings get pongs; a close is
answered and ends the connection. For recording captures on the loopback interface only.

usage: ws_bridge.py --port WS_PORT --broker-port TCP_PORT [--frame N] [--timeout S]"""
import argparse
import socket
import sys
import threading

from ws_common import Reader, accept_for, connect_tcp, frame


def serve(client, args):
    rd = Reader(client, args.timeout)
    try:
        head = rd.until(b"\r\n\r\n").decode("latin-1")
        fields = {}
        for line in head.split("\r\n")[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                fields.setdefault(k.strip().lower(), v.strip())
        offered = [p.strip() for p in fields.get("sec-websocket-protocol", "").split(",")]
        if not head.startswith("GET ") or "websocket" not in fields.get("upgrade", "").lower() or "mqtt" not in offered:
            client.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            return
        client.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        f"Sec-WebSocket-Accept: {accept_for(fields['sec-websocket-key'])}\r\n"
                        "Sec-WebSocket-Protocol: mqtt\r\n\r\n").encode())
        broker = connect_tcp(args.broker_port, args.timeout)
    except (OSError, ConnectionError, KeyError):
        client.close()
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
        try:
            broker.settimeout(args.timeout)
            while True:
                data = broker.recv(65536)
                if not data:
                    break
                for i in range(0, len(data), args.frame):
                    send(frame(data[i:i + args.frame]))
            send(frame(b"\x03\xe8", opcode=8), close=True)  # the broker closed: close the WebSocket too
        except OSError:
            pass

    t = threading.Thread(target=broker_to_client, daemon=True)
    t.start()
    try:
        while True:
            fin, op, data, masked = rd.frame()
            if not masked:
                break  # RFC 6455 5.1: the server fails the connection
            if op in (0, 2):
                broker.sendall(data)
            elif op == 9:
                send(frame(data, opcode=10))
            elif op == 8:
                send(frame(data[:2], opcode=8), close=True)
                break
            else:
                break
    except (OSError, ConnectionError, TimeoutError):
        pass
    broker.close()
    t.join(args.timeout)
    client.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--broker-port", type=int, required=True)
    ap.add_argument("--frame", type=int, default=4096)
    ap.add_argument("--timeout", type=float, default=20)
    args = ap.parse_args()
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", args.port))
    srv.listen(8)
    print(f"ws_bridge listening on {args.port}", flush=True)
    while True:
        client, _ = srv.accept()
        threading.Thread(target=serve, args=(client, args), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
