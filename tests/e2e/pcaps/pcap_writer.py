"""Small capture writer for the tests that build their captures on the fly (reassembly at scale,
pcapng timestamps, sessions for the hostile brokers): MQTT 3.1.1 packets, IPv4/TCP over Ethernet,
classic pcap and pcapng. Standard library only; checksums are left 0 (mqtk does not check them)."""
import struct

FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10
CLIENT, SERVER = ("10.0.0.1", 50000), ("10.0.0.2", 1883)


def varint(n):
    out = bytearray()
    while True:
        b, n = n % 128, n // 128
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def mqtt_string(s):
    b = s.encode() if isinstance(s, str) else s
    return struct.pack(">H", len(b)) + b


def packet(first_byte, body):
    return bytes([first_byte]) + varint(len(body)) + body


def connect(client_id, keep_alive=60):
    return packet(0x10, mqtt_string("MQTT") + bytes([4, 0x02]) + struct.pack(">H", keep_alive) +
                  mqtt_string(client_id))


CONNACK = bytes.fromhex("20020000")
DISCONNECT = b"\xe0\x00"


def publish(topic, payload, qos=0, pid=1):
    return packet(0x30 | qos << 1, mqtt_string(topic) + (struct.pack(">H", pid) if qos else b"") + payload)


def subscribe(pid, topic, qos=0):
    return packet(0x82, struct.pack(">H", pid) + mqtt_string(topic) + bytes([qos]))


def suback(pid, code=0):
    return packet(0x90, struct.pack(">H", pid) + bytes([code]))


def ethernet_tcp(src, dst, seq, ack, flags, data=b""):
    """An Ethernet frame carrying one IPv4/TCP segment from src to dst ((address, port) pairs)."""
    tcp = struct.pack("!HHIIBBHHH", src[1], dst[1], seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4, flags, 65535, 0,
                      0) + data
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0x4000, 64, 6, 0,
                     bytes(int(x) for x in src[0].split(".")), bytes(int(x) for x in dst[0].split("."))) + tcp
    return bytes.fromhex("020000000002" "020000000001" "0800") + ip


class Conversation:
    """One TCP connection, client and server, as frames with microsecond times. Sequence numbers
    advance as data is added; segments can be emitted in any order by the caller."""

    def __init__(self, t_us=1_700_000_000_000_000, client=CLIENT, server=SERVER):
        self.t = t_us
        self.ends = {"c": client, "s": server}
        self.seq = {"c": 1000, "s": 5000}
        self.frames = []  # (t_us, bytes)

    def _add(self, side, flags, data=b"", seq=None, step_us=1000):
        other = "s" if side == "c" else "c"
        s = self.seq[side] if seq is None else seq
        self.frames.append((self.t, ethernet_tcp(self.ends[side], self.ends[other], s, self.seq[other], flags,
                                                 data)))
        self.t += step_us

    def handshake(self):
        self._add("c", SYN)
        self.seq["c"] += 1
        self._add("s", SYN | ACK)
        self.seq["s"] += 1
        self._add("c", ACK)

    def send(self, side, data):
        """data in one segment, in order."""
        self._add(side, PSH | ACK, data)
        self.seq[side] += len(data)

    def segments(self, side, data, order, size=1):
        """data cut into size-byte segments, captured in the given order of segment indexes
        (indexes may repeat: a repeat is a retransmission)."""
        base = self.seq[side]
        for i in order:
            self._add(side, PSH | ACK, data[i * size:(i + 1) * size], seq=base + i * size, step_us=1)
        self.seq[side] += len(data)

    def close(self):
        self._add("c", FIN | ACK)
        self.seq["c"] += 1
        self._add("s", FIN | ACK)
        self.seq["s"] += 1
        self._add("c", ACK)


def pcap_bytes(frames, linktype=1):
    """Classic pcap, microsecond resolution, little-endian."""
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, linktype)]
    for t_us, frame in frames:
        out.append(struct.pack("<IIII", t_us // 1000000, t_us % 1000000, len(frame), len(frame)) + frame)
    return b"".join(out)


def _block(block_type, body):
    body += b"\x00" * (-len(body) % 4)
    length = 12 + len(body)
    return struct.pack("<II", block_type, length) + body + struct.pack("<I", length)


def pcapng_bytes(frames, tsresol=None, tsoffset=None, linktype=1):
    """pcapng with one interface; frames are (timestamp in the interface's units, bytes). tsresol is
    the if_tsresol option byte (None: the default, microseconds); tsoffset the if_tsoffset seconds."""
    shb = _block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) + b"\x00\x00\x00\x00")
    opts = b""
    if tsresol is not None:
        opts += struct.pack("<HH", 9, 1) + bytes([tsresol]) + b"\x00\x00\x00"
    if tsoffset is not None:
        opts += struct.pack("<HHq", 14, 8, tsoffset)
    if opts:
        opts += b"\x00\x00\x00\x00"
    idb = _block(1, struct.pack("<HHI", linktype, 0, 262144) + opts)
    epbs = [_block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, len(f), len(f)) + f) for ts, f in frames]
    return shb + idb + b"".join(epbs)
