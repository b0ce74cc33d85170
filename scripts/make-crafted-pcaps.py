#!/usr/bin/env python3
"""Write the crafted captures in tests/data/pcaps/crafted/: one small pcap per hard case of TCP reassembly and
capture reading (out of order, retransmission, overlap, split Remaining Length, gap, mid-stream
start, IPv6 extension headers, Linux cooked SLL/SLL2, VLAN, loopback, raw IP, snaplen, damaged
file, ...). Python standard library only: frames are packed by hand with struct, so the bytes are
exactly what each case needs. Deterministic: same script, same files.

usage: scripts/make-crafted-pcaps.py [OUTDIR]   (default: tests/data/pcaps/crafted in this checkout)
"""
import os
import struct
import sys

from capture_bytes import mqtt_string, packet, pcap_header, pcap_record, varint, ws_frame

# ---------------------------------------------------------------- MQTT packets, byte by byte


def connect(client_id, level=4, keep_alive=60, flags=0x02, props=b"", tail=b""):
    name = "MQIsdp" if level == 3 else "MQTT"
    body = mqtt_string(name) + bytes([level, flags]) + struct.pack(">H", keep_alive)
    if level == 5:
        body += varint(len(props)) + props
    return packet(0x10, body + mqtt_string(client_id) + tail)


def connack(level=4, code=0, props=b""):
    body = bytes([0, code]) + (varint(len(props)) + props if level == 5 else b"")
    return packet(0x20, body)


def publish(topic, payload, qos=0, pid=1, level=4, retain=False, props=b""):
    body = mqtt_string(topic) + (struct.pack(">H", pid) if qos else b"")
    if level == 5:
        body += varint(len(props)) + props
    return packet(0x30 | (qos << 1) | (1 if retain else 0), body + payload)


def ack(kind, pid):  # PUBACK 0x40, PUBREC 0x50, PUBREL 0x62, PUBCOMP 0x70
    return packet(kind, struct.pack(">H", pid))


def subscribe(pid, topic, qos=0, level=4):
    body = struct.pack(">H", pid) + (b"\x00" if level == 5 else b"") + mqtt_string(topic) + bytes([qos])
    return packet(0x82, body)


def suback(pid, code=0, level=4):
    return packet(0x90, struct.pack(">H", pid) + (b"\x00" if level == 5 else b"") + bytes([code]))


PINGREQ = b"\xc0\x00"
PINGRESP = b"\xd0\x00"
DISCONNECT = b"\xe0\x00"

# ---------------------------------------------------------------- IP, TCP, link layers


def csum(data):
    if len(data) % 2:
        data += b"\x00"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip4(a):
    return bytes(int(x) for x in a.split("."))


def ip6(a):
    head, _, tail = a.partition("::")
    h = [int(x, 16) for x in head.split(":") if x]
    t = [int(x, 16) for x in tail.split(":") if x]
    words = h + [0] * (8 - len(h) - len(t)) + t
    return struct.pack("!8H", *words)


FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def tcp_segment(src, dst, sport, dport, seq, ack_no, flags, data, v6):
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack_no & 0xFFFFFFFF, 5 << 4, flags, 65535, 0, 0)
    if v6:
        pseudo = src + dst + struct.pack("!IxxxB", len(hdr) + len(data), 6)
    else:
        pseudo = src + dst + struct.pack("!xBH", 6, len(hdr) + len(data))
    c = csum(pseudo + hdr + data)
    return hdr[:16] + struct.pack("!H", c) + hdr[18:] + data


def ipv4_packet(src, dst, payload, ident=1):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident & 0xFFFF, 0x4000, 64, 6, 0, src, dst)
    return hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:] + payload


def ipv6_packet(src, dst, payload, ext=b"", first_next=6):
    return struct.pack("!IHBB", 0x60000000, len(ext) + len(payload), first_next, 64) + src + dst + ext + payload


def ipv6_ext_chain():
    """Hop-by-hop options (PadN) then Destination options (PadN), then TCP."""
    hop = bytes([60, 0, 1, 4, 0, 0, 0, 0])  # next: dest opts, len 0 (8 bytes), PadN 4
    dst = bytes([6, 0, 1, 4, 0, 0, 0, 0])   # next: TCP
    return hop + dst, 0


MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("020000000002")

LINKTYPE_NULL, LINKTYPE_ETHERNET, LINKTYPE_RAW, LINKTYPE_SLL, LINKTYPE_SLL2 = 0, 1, 101, 113, 276


def link_frame(linktype, ip_bytes, v6, vlans=()):
    ethertype = 0x86DD if v6 else 0x0800
    if linktype == LINKTYPE_ETHERNET:
        tags = b""
        for tpid, vid in vlans:
            tags += struct.pack("!HH", tpid, vid)
        return MAC_B + MAC_A + tags + struct.pack("!H", ethertype) + ip_bytes
    if linktype == LINKTYPE_SLL:
        return struct.pack("!HHH8sH", 0, 1, 6, MAC_A + b"\0\0", ethertype) + ip_bytes
    if linktype == LINKTYPE_SLL2:
        return struct.pack("!HHIHBB8s", ethertype, 0, 1, 1, 0, 6, MAC_A + b"\0\0") + ip_bytes
    if linktype == LINKTYPE_NULL:
        return struct.pack("<I", 30 if v6 else 2) + ip_bytes  # little-endian writer, BSD AF_INET6 = 30
    if linktype == LINKTYPE_RAW:
        return ip_bytes
    raise ValueError(linktype)


class Capture:
    """A pcap file being built: frames with a steady 1 ms clock."""

    def __init__(self, linktype=LINKTYPE_ETHERNET, snaplen=262144):
        self.linktype, self.snaplen = linktype, snaplen
        self.records = []
        self.t = 1700000000 * 1000000

    def add(self, frame):
        self.t += 1000
        self.records.append(pcap_record(self.t, frame, self.snaplen))

    def bytes(self):
        return pcap_header(self.snaplen, self.linktype) + b"".join(self.records)


class Conn:
    """One TCP connection; client and server keep their own sequence numbers."""

    def __init__(self, cap, client=("10.0.0.1", 50000), server=("10.0.0.2", 1883), v6=False, vlans=(),
                 ipv6_ext=False):
        self.cap, self.v6, self.vlans, self.ipv6_ext = cap, v6, vlans, ipv6_ext
        addr = ip6 if v6 else ip4
        self.ep = [(addr(client[0]), client[1]), (addr(server[0]), server[1])]
        self.seq = [1000, 500000]  # next sequence number of client, server
        self.ident = 1

    def frame(self, side, flags, data=b"", seq=None, ack_no=None):
        (src, sport), (dst, dport) = self.ep[side], self.ep[1 - side]
        seq = self.seq[side] if seq is None else seq
        ack_no = self.seq[1 - side] if ack_no is None else ack_no
        seg = tcp_segment(src, dst, sport, dport, seq, ack_no, flags, data, self.v6)
        if self.v6:
            ext, _ = ipv6_ext_chain() if self.ipv6_ext else (b"", 0)
            ip = ipv6_packet(src, dst, seg, ext, 0 if self.ipv6_ext else 6)
        else:
            ip = ipv4_packet(src, dst, seg, self.ident)
            self.ident += 1
        self.cap.add(link_frame(self.cap.linktype, ip, self.v6, self.vlans))

    def handshake(self):
        self.frame(0, SYN, ack_no=0)
        self.seq[0] += 1
        self.frame(1, SYN | ACK)
        self.seq[1] += 1
        self.frame(0, ACK)

    def send(self, side, data, ack_after=True):
        """Send data in one segment; the peer acknowledges it."""
        self.frame(side, PSH | ACK, data)
        self.seq[side] += len(data)
        if ack_after:
            self.frame(1 - side, ACK)

    def send_at(self, side, offset, data):
        """A segment at offset from the current sequence number (does not advance it)."""
        self.frame(side, PSH | ACK, data, seq=self.seq[side] + offset)

    def close(self):
        self.frame(0, FIN | ACK)
        self.seq[0] += 1
        self.frame(1, FIN | ACK)
        self.seq[1] += 1
        self.frame(0, ACK)


C, S = 0, 1

# ---------------------------------------------------------------- the cases


def session_311(conn, extra=()):
    conn.handshake()
    conn.send(C, connect("crafted"))
    conn.send(S, connack())
    for side, data in extra:
        conn.send(side, data)


def case_out_of_order():
    """A PUBLISH in three segments captured in the order 1, 3, 2."""
    cap = Capture()
    c = Conn(cap)
    session_311(c)
    pub = publish("ooo/topic", b"x" * 300)
    parts = [pub[:100], pub[100:200], pub[200:]]
    c.send_at(C, 0, parts[0])
    c.send_at(C, 200, parts[2])
    c.send_at(C, 100, parts[1])
    c.seq[C] += len(pub)
    c.frame(S, ACK)
    c.send(C, PINGREQ)
    c.send(S, PINGRESP)
    c.close()
    return cap


def case_retransmission():
    """Every data segment of the client is sent twice; one retransmission also repeats part of the
    segment before it."""
    cap = Capture()
    c = Conn(cap)
    c.handshake()
    con = connect("retrans")
    c.send_at(C, 0, con)
    c.send_at(C, 0, con)
    c.seq[C] += len(con)
    c.send(S, connack())
    pub = publish("re/tx", b"hello")
    c.send_at(C, 0, pub)
    c.send_at(C, 0, pub)
    c.seq[C] += len(pub)
    c.send_at(C, -3, pub[-3:] + PINGREQ)  # old bytes then new ones
    c.seq[C] += len(PINGREQ)
    c.send(S, PINGRESP)
    c.close()
    return cap


def case_overlap():
    """Out-of-order segments that overlap each other: [0,60) [40,120) [100,end) captured in the order
    3, 2, 1."""
    cap = Capture()
    c = Conn(cap)
    session_311(c)
    data = publish("over/lap", b"A" * 50) + publish("over/lap", b"B" * 50) + PINGREQ
    c.send_at(C, 100, data[100:])
    c.send_at(C, 40, data[40:120])
    c.send_at(C, 0, data[:60])
    c.seq[C] += len(data)
    c.frame(S, ACK)
    c.send(S, PINGRESP)
    c.close()
    return cap


def case_split_varint():
    """A PUBLISH whose two-byte Remaining Length is split across segments, then one packet spread
    over many one-byte segments, then several packets in one segment."""
    cap = Capture()
    c = Conn(cap)
    session_311(c)
    big = publish("split/varint", b"v" * 200)  # Remaining Length 214: 0xd6 0x01
    c.send(C, big[:2], ack_after=False)          # type byte and the first length byte
    c.send(C, big[2:])
    small = publish("one/byte", b"tiny")
    for b in small:
        c.send(C, bytes([b]), ack_after=False)
    c.frame(S, ACK)
    c.send(C, PINGREQ + publish("many", b"1") + publish("many", b"2") + PINGREQ)
    c.send(S, PINGRESP + PINGRESP)
    c.close()
    return cap


def case_gap():
    """A client segment is lost from the capture (the server acknowledges past it): the PUBLISH it
    carried part of is lost, decoding resynchronises and goes on."""
    cap = Capture()
    c = Conn(cap)
    session_311(c)
    c.send(C, publish("before/gap", b"ok"))
    lost = publish("lost", b"L" * 100)
    after = publish("after/gap", b"fine") + PINGREQ
    c.send_at(C, 0, lost[:40])                   # first part of the packet is captured
    c.send_at(C, len(lost), after)               # [40, len(lost)) never captured
    c.seq[C] += len(lost) + len(after)
    c.frame(S, ACK)                              # acknowledges everything: the hole is a capture loss
    c.send(S, PINGRESP)
    c.close()
    return cap


def case_mid_stream():
    """The capture starts in the middle of a connection, inside a PUBLISH payload: no SYN, no
    CONNECT. Decoding finds the next packet boundary and infers the version (3.1.1)."""
    cap = Capture()
    c = Conn(cap)
    first = publish("earlier", b"P" * 80, qos=1, pid=7)
    c.send(C, first[30:])                         # the tail of a packet whose start is not captured
    c.send(C, publish("mid/stream", b"hello", qos=1, pid=8))
    c.send(S, ack(0x40, 7) + ack(0x40, 8))
    c.send(C, PINGREQ)
    c.send(S, PINGRESP)
    return cap                                    # no FIN: the capture just ends


def case_ipv6_ext():
    """MQTT 5.0 over IPv6 with Hop-by-Hop and Destination Options extension headers."""
    cap = Capture()
    c = Conn(cap, client=("2001:db8::1", 50001), server=("2001:db8::2", 1883), v6=True, ipv6_ext=True)
    c.handshake()
    props = bytes([0x11]) + struct.pack(">I", 30)  # Session Expiry Interval 30
    c.send(C, connect("v6client", level=5, props=props))
    c.send(S, connack(level=5))
    c.send(C, publish("v6/topic", b"over ipv6", qos=1, pid=1, level=5))
    c.send(S, ack(0x40, 1))
    c.send(C, DISCONNECT)
    c.close()
    return cap


def simple_session(linktype, **conn_args):
    cap = Capture(linktype)
    c = Conn(cap, **conn_args)
    session_311(c, [(C, subscribe(1, "link/#")), (S, suback(1)), (S, publish("link/test", b"payload")),
                    (C, DISCONNECT)])
    c.close()
    return cap


def case_malformed():
    """Malformed packets in an otherwise fine session: a PUBLISH with QoS 3, a SUBSCRIBE with the
    wrong fixed-header flags, a PUBLISH topic with a wildcard; decoding goes on after each."""
    cap = Capture()
    c = Conn(cap)
    session_311(c)
    c.send(C, b"\x36" + publish("qos/three", b"x")[1:])       # QoS bits 11
    c.send(C, b"\x80" + subscribe(2, "flags/wrong")[1:])      # SUBSCRIBE flags must be 0010
    c.send(C, publish("wild/+/card", b"x"))
    c.send(C, PINGREQ)
    c.send(S, PINGRESP)
    c.close()
    return cap


def case_connect_detect():
    """MQTT on port 8000, which is not an MQTT port: found because the client's first bytes are a
    CONNECT. A second connection on port 8001 carries something else and is not decoded."""
    cap = Capture()
    c = Conn(cap, server=("10.0.0.2", 8000))
    session_311(c, [(C, publish("detected", b"by connect")), (C, DISCONNECT)])
    c.close()
    other = Conn(cap, client=("10.0.0.1", 50002), server=("10.0.0.2", 8001))
    other.handshake()
    other.send(C, b"GET / HTTP/1.0\r\n\r\n")
    other.send(S, b"HTTP/1.0 200 OK\r\n\r\n")
    other.close()
    return cap


def case_snaplen():
    """Captured with a 96-byte snapshot length: the big PUBLISH is cut, which is a gap."""
    cap = Capture(snaplen=96)
    c = Conn(cap)
    session_311(c)
    c.send(C, publish("snap/len", b"s" * 200))
    c.send(C, PINGREQ)
    c.send(S, PINGRESP)
    c.close()
    return cap


def case_mqtt5():
    """An MQTT 5.0 session with properties on both sides and QoS 2."""
    cap = Capture()
    c = Conn(cap)
    c.handshake()
    c.send(C, connect("five", level=5, props=bytes([0x21]) + struct.pack(">H", 10)))  # Receive Maximum
    c.send(S, connack(level=5, props=bytes([0x22]) + struct.pack(">H", 5)))          # Topic Alias Maximum
    upp = bytes([0x26]) + mqtt_string("k") + mqtt_string("v")                                     # User Property
    c.send(C, publish("five/qos2", b"exactly once", qos=2, pid=3, level=5, props=upp))
    c.send(S, ack(0x50, 3))
    c.send(C, ack(0x62, 3))
    c.send(S, ack(0x70, 3))
    c.send(C, b"\xe0\x01\x00")  # DISCONNECT, reason 0
    c.close()
    return cap


def case_truncated_end():
    """The capture ends in the middle of a PUBLISH (no FIN): reported as truncated."""
    cap = Capture()
    c = Conn(cap)
    session_311(c)
    pub = publish("cut/off", b"c" * 100)
    c.send(C, pub[:50])
    return cap


# ---------------------------------------------------------------- WebSocket and TLS

WS_KEY = "dGhlIHNhbXBsZSBub25jZQ=="  # RFC 6455's sample key, whose accept value is below
WS_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


def ws_request(protocols="mqtt", path="/mqtt"):
    return (f"GET {path} HTTP/1.1\r\nHost: 10.0.0.2:9001\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {WS_KEY}\r\nSec-WebSocket-Protocol: {protocols}\r\n"
            f"Sec-WebSocket-Version: 13\r\n\r\n").encode()


def ws_response(protocol="mqtt"):
    return (f"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Accept: {WS_ACCEPT}\r\nSec-WebSocket-Protocol: {protocol}\r\n\r\n").encode()


KEY = b"\x37\xfa\x21\x3d"  # the masking key of RFC 6455's examples


def ws_conn(cap, port=9001):
    c = Conn(cap, server=("10.0.0.2", port))
    c.handshake()
    c.send(C, ws_request())
    c.send(S, ws_response())
    return c


def case_ws_session():
    """MQTT over WebSocket as real clients send it, cut every way the transport allows: the CONNECT
    in two frames, CONNACK and SUBACK in one server frame, a PUBLISH split across two frames that
    are themselves split across three TCP segments (one cut inside a frame header), a ping and
    pong, then DISCONNECT and a close frame with status 1000."""
    cap = Capture()
    c = ws_conn(cap)
    con = connect("ws-crafted")
    c.send(C, ws_frame(con[:5], mask=KEY) + ws_frame(con[5:], mask=KEY))
    c.send(S, ws_frame(connack() + suback(1)[:3]))
    c.send(C, ws_frame(subscribe(1, "ws/#"), mask=KEY))
    c.send(S, ws_frame(suback(1)[3:]))
    pub = publish("ws/split", b"p" * 300, qos=1, pid=7)
    wire = ws_frame(pub[:100], mask=b"\x01\x02\x03\x04") + ws_frame(pub[100:], mask=b"\x05\x06\x07\x08")
    first = len(wire) - len(pub[100:]) - 5  # inside the second frame's header
    for part in (wire[:40], wire[40:first], wire[first:]):
        c.send(C, part, ack_after=False)
    c.frame(S, ACK)
    c.send(S, ws_frame(ack(0x40, 7) + publish("ws/split", b"back")))
    c.send(C, ws_frame(b"hb", opcode=9, mask=KEY))   # ping
    c.send(S, ws_frame(b"hb", opcode=10))            # pong
    c.send(C, ws_frame(PINGREQ + DISCONNECT, mask=KEY))
    c.send(C, ws_frame(b"\x03\xe8bye", opcode=8, mask=KEY))
    c.send(S, ws_frame(b"\x03\xe8", opcode=8))
    c.close()
    return cap


def case_ws_fragmented():
    """A binary message in three fragments (binary, continuation, continuation) carrying a CONNECT
    and a PUBLISH, with a ping between the fragments; the server's CONNACK in a fragmented message
    too. Fragments do not end where packets end."""
    cap = Capture()
    c = ws_conn(cap)
    msg = connect("frag") + publish("frag/ment", b"f" * 40)
    c.send(C, ws_frame(msg[:7], opcode=2, fin=False, mask=KEY))
    c.send(C, ws_frame(b"", opcode=9, mask=KEY))      # a control frame between fragments
    c.send(C, ws_frame(msg[7:30], opcode=0, fin=False, mask=KEY))
    c.send(C, ws_frame(msg[30:], opcode=0, fin=True, mask=KEY))
    c.send(S, ws_frame(b"", opcode=10))
    c.send(S, ws_frame(connack()[:1], fin=False) + ws_frame(connack()[1:], opcode=0))
    c.send(C, ws_frame(DISCONNECT, mask=KEY))
    c.close()
    return cap


def case_ws_text_frame():
    """MQTT sent in a text frame: MQTT-6.0.0-1 says binary frames only. The text frame's payload is
    not taken as MQTT; the binary frames around it are."""
    cap = Capture()
    c = ws_conn(cap)
    c.send(C, ws_frame(connect("text"), mask=KEY))
    c.send(S, ws_frame(connack()))
    c.send(C, ws_frame(publish("in/text", b"t"), opcode=1, mask=KEY))
    c.send(C, ws_frame(PINGREQ, mask=KEY))
    c.send(S, ws_frame(PINGRESP))
    c.close()
    return cap


def case_ws_bad_mask():
    """Masking broken both ways: the server masks a frame (RFC 6455 5.1 forbids it), and later the
    client sends an unmasked one. Each direction is followed up to its broken frame."""
    cap = Capture()
    c = ws_conn(cap)
    c.send(C, ws_frame(connect("mask"), mask=KEY))
    c.send(S, ws_frame(connack(), mask=KEY))
    c.send(C, ws_frame(PINGREQ, mask=KEY))
    c.send(C, ws_frame(PINGREQ))
    c.send(C, ws_frame(DISCONNECT, mask=KEY))
    c.close()
    return cap


def tls_client_hello(sni):
    name = sni.encode()
    server_name = struct.pack(">HBH", len(name) + 3, 0, len(name)) + name
    versions = bytes([4]) + b"\x03\x04\x03\x03"
    exts = (struct.pack(">HH", 0, len(server_name)) + server_name +
            struct.pack(">HH", 43, len(versions)) + versions)
    body = (b"\x03\x03" + bytes(range(32)) + b"\x00" + struct.pack(">H", 4) + b"\x13\x01\x13\x02" + b"\x01\x00" +
            struct.pack(">H", len(exts)) + exts)
    hs = b"\x01" + struct.pack(">I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack(">H", len(hs)) + hs


def tls_server_hello():
    exts = struct.pack(">HHH", 43, 2, 0x0304)
    body = b"\x03\x03" + bytes(32) + b"\x00" + b"\x13\x01" + b"\x00" + struct.pack(">H", len(exts)) + exts
    hs = b"\x02" + struct.pack(">I", len(body))[1:] + body
    return b"\x16\x03\x03" + struct.pack(">H", len(hs)) + hs


def case_tls_hello():
    """MQTT over TLS on port 8883: a ClientHello naming broker.example (SNI) and offering TLS 1.3,
    the ServerHello selecting it, then application data records. Reported as TLS, not decoded."""
    cap = Capture()
    c = Conn(cap, server=("10.0.0.2", 8883))
    c.handshake()
    c.send(C, tls_client_hello("broker.example"))
    c.send(S, tls_server_hello() + b"\x17\x03\x03\x00\x20" + bytes(32))
    c.send(C, b"\x17\x03\x03\x00\x10" + bytes(16))
    c.close()
    return cap


def damaged_file(good):
    """A capture whose last record is cut in the middle."""
    return good[:-20]


CASES = {
    "out-of-order": case_out_of_order,
    "retransmission": case_retransmission,
    "overlap": case_overlap,
    "split-varint": case_split_varint,
    "gap": case_gap,
    "mid-stream": case_mid_stream,
    "ipv6-ext": case_ipv6_ext,
    "sll": lambda: simple_session(LINKTYPE_SLL),
    "sll2": lambda: simple_session(LINKTYPE_SLL2),
    "vlan": lambda: simple_session(LINKTYPE_ETHERNET, vlans=((0x8100, 42),)),
    "qinq": lambda: simple_session(LINKTYPE_ETHERNET, vlans=((0x88A8, 100), (0x8100, 42))),
    "loopback-null": lambda: simple_session(LINKTYPE_NULL, client=("::1", 50003), server=("::1", 1883), v6=True),
    "raw-ip": lambda: simple_session(LINKTYPE_RAW),
    "malformed": case_malformed,
    "connect-detect": case_connect_detect,
    "snaplen": case_snaplen,
    "mqtt5": case_mqtt5,
    "truncated-end": case_truncated_end,
    "ws-session": case_ws_session,
    "ws-fragmented": case_ws_fragmented,
    "ws-text-frame": case_ws_text_frame,
    "ws-bad-mask": case_ws_bad_mask,
    "tls-hello": case_tls_hello,
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                                              "tests", "data", "pcaps", "crafted")
    os.makedirs(out, exist_ok=True)
    for name, make in CASES.items():
        with open(os.path.join(out, name + ".pcap"), "wb") as f:
            f.write(make().bytes())
    with open(os.path.join(out, "damaged-file.pcap"), "wb") as f:
        f.write(damaged_file(case_mqtt5().bytes()))
    with open(os.path.join(out, "unknown-linktype.pcap"), "wb") as f:
        f.write(pcap_header(65535, 147))  # LINKTYPE_USER0
    with open(os.path.join(out, "not-a-capture.pcap"), "wb") as f:
        f.write(b"this is a text file, not a capture\n")
    print(f"wrote {len(CASES) + 3} captures to {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
