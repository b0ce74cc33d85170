"""A broker that crashes: answers CONNECT, PINGREQ, SUBSCRIBE and QoS 1/2 PUBLISH like a broker, and on a
packet whose reserved fixed-header flags are wrong prints an AddressSanitizer-style report to stderr
and dies of SIGSEGV (what an ASan-built broker with such a bug does). For `mqtk fuzz --exec` tests.
Usage: crashy_broker.py PORT"""
import os
import signal
import socketserver
import sys

from packet_reader import packets

FIXED = {4: 0, 5: 0, 6: 2, 7: 0, 8: 2, 10: 2, 12: 0, 14: 0}


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        for t, f, pkt, j in packets(self.request):
            if t in FIXED and f != FIXED[t]:
                sys.stderr.write("==1==ERROR: AddressSanitizer: heap-buffer-overflow (simulated by crashy_broker.py)\n")
                sys.stderr.flush()
                os.kill(os.getpid(), signal.SIGSEGV)
            out = b""
            if t == 1:
                out = b"\x20\x02\x00\x00"
            elif t == 12:
                out = b"\xd0\x00"
            elif t == 8 and len(pkt) >= j + 2:
                out = bytes([0x90, 3, pkt[j], pkt[j + 1], 0])
            elif t == 10 and len(pkt) >= j + 2:
                out = bytes([0xB0, 2, pkt[j], pkt[j + 1]])
            elif t == 3 and (f >> 1) & 3 in (1, 2):
                tl = pkt[j] << 8 | pkt[j + 1]
                pid = pkt[j + 2 + tl:j + 4 + tl]
                out = bytes([0x40 if (f >> 1) & 3 == 1 else 0x50, 2]) + pid
            elif t == 6:
                out = bytes([0x70, 2]) + pkt[j:j + 2]
            try:
                if out:
                    self.request.sendall(out)
            except OSError:
                return


if __name__ == "__main__":
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    socketserver.ThreadingTCPServer.request_queue_size = 128  # the default 5 overflows under load
    server = socketserver.ThreadingTCPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    server.serve_forever()
