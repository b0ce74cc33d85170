"""MQTT packets, WebSocket frames and classic pcap (microsecond, little-endian) records, byte by byte,
for the scripts that write captures (gen-bench-pcap.py, make-crafted-pcaps.py, pcap-clients/ws_*.py). Python standard library only."""
import struct


def varint(n):
    """MQTT Variable Byte Integer (Remaining Length, Property Length)."""
    out = bytearray()
    while True:
        b = n % 128
        n //= 128
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def mqtt_string(s):
    """Two-byte length, then the bytes (a str is UTF-8 encoded)."""
    b = s.encode() if isinstance(s, str) else s
    return struct.pack(">H", len(b)) + b


def packet(first_byte, body):
    """Fixed header (first byte, Remaining Length) and body."""
    return bytes([first_byte]) + varint(len(body)) + body


def ws_frame(payload, opcode=2, fin=True, mask=None):
    """One RFC 6455 frame; mask is the 4-byte key of a client frame, None for a server frame."""
    n = len(payload)
    head = bytes([(0x80 if fin else 0) | opcode])
    m = 0x80 if mask else 0
    if n < 126:
        head += bytes([m | n])
    elif n < 65536:
        head += bytes([m | 126]) + struct.pack(">H", n)
    else:
        head += bytes([m | 127]) + struct.pack(">Q", n)
    if mask:
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        head += mask
    return head + payload


def pcap_header(snaplen, linktype):
    return struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype)


def pcap_record(t_us, frame, snaplen=None):
    """A record of the frame at t_us microseconds, cut to snaplen bytes when given."""
    caplen = len(frame) if snaplen is None else min(len(frame), snaplen)
    return struct.pack("<IIII", t_us // 1000000, t_us % 1000000, caplen, len(frame)) + frame[:caplen]
