"""A broker that closes on nothing: it answers every CONNECT (even a second or a broken one),
PINGREQ, PUBLISH at QoS 1/2, PUBREL, SUBSCRIBE (QoS 0 granted per filter) and UNSUBSCRIBE, whatever
the flags, fields or order, and delivers nothing. For `mqtk fuzz` verdict tests: it breaks the
MUSTs that make a receiver close, and no others.
Usage: lenient_broker.py PORT [v5-disconnect]
v5-disconnect: speaks 5.0, and on wrong reserved fixed-header flags sends a DISCONNECT with reason code
0x05 (no code 5.0 defines for DISCONNECT) and closes: it does close, with a malformed packet."""
import socket
import socketserver
import sys

from packet_reader import packets


V5 = len(sys.argv) > 2 and sys.argv[2] == "v5-disconnect"
FIXED = {4: 0, 5: 0, 6: 2, 7: 0, 8: 2, 10: 2, 12: 0, 14: 0}


def answer(t, f, body):
    if t == 1:
        return b"\x20\x03\x00\x00\x00" if V5 else b"\x20\x02\x00\x00"
    if t == 12:
        return b"\xd0\x00"
    if t == 3 and (f >> 1) & 3 in (1, 2) and len(body) >= 2:
        tl = body[0] << 8 | body[1]
        pid = body[2 + tl:4 + tl]
        if len(pid) == 2:
            return bytes([0x40 if (f >> 1) & 3 == 1 else 0x50, 2]) + pid
    if t == 6 and len(body) >= 2:
        return b"\x70\x02" + body[:2]
    if t == 8 and len(body) >= 2:
        codes, i = b"", 2
        while i + 2 <= len(body):
            i += 2 + (body[i] << 8 | body[i + 1]) + 1
            codes += b"\x00"
        if V5:
            return bytes([0x90, 3 + len(codes)]) + body[:2] + b"\x00" + codes
        return bytes([0x90, 2 + len(codes)]) + body[:2] + codes
    if t == 10 and len(body) >= 2:
        return b"\xb0\x04" + body[:2] + b"\x00\x00" if V5 else b"\xb0\x02" + body[:2]
    return b""


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        for t, f, pkt, j in packets(self.request):
            if V5 and t in FIXED and f != FIXED[t]:
                try:
                    self.request.sendall(b"\xe0\x02\x05\x00")
                except OSError:
                    pass
                return
            out = answer(t, f, pkt[j:])
            try:
                if out:
                    self.request.sendall(out)
            except OSError:
                return


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the default 5 overflows when many connections open at once


if __name__ == "__main__":
    with Server(("127.0.0.1", int(sys.argv[1])), Handler) as srv:
        srv.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        srv.serve_forever()
