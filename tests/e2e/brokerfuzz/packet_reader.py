"""Cut MQTT packets out of a TCP connection, for the small test brokers beside this file."""


def packets(sock):
    """Yield (type, flags, packet, body offset) for each whole packet read from sock, until it closes."""
    buf = b""
    while True:
        try:
            data = sock.recv(65536)
        except OSError:
            return
        if not data:
            return
        buf += data
        while len(buf) >= 2:
            rl, mul, j = 0, 1, 1
            while j < len(buf) and j < 5:
                rl += (buf[j] & 127) * mul
                mul *= 128
                j += 1
                if not buf[j - 1] & 128:
                    break
            if j + rl > len(buf):
                break
            pkt, buf = buf[:j + rl], buf[j + rl:]
            yield pkt[0] >> 4, pkt[0] & 15, pkt, j
