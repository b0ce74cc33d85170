#!/usr/bin/env python3
"""Seed corpora from packet captures (pcap or pcapng): reassemble the TCP streams to MQTT ports (1883, 8883 is TLS
and skipped, 17501 as in nDPI's capture), cut them into MQTT packets by the fixed header, and write
  OUT/decode/pcap-<capture>-<stream>-<n>    [selector][one packet]
  OUT/stream/pcap-<capture>-<stream>-<n>    [selector][chunking][up to 128 bytes of whole packets]
The selector carries the version a CONNECT in the session announces and the direction.
Standard library only. Usage: pcap_seeds.py OUTDIR CAPTURE..."""
import os
import struct
import sys

MQTT_PORTS = {1883, 17501}
STREAM_SEED_MAX = 128  # bytes of whole packets per stream seed, so the stream target stays fast
TO_SERVER, TO_CLIENT = 1, 2


def pcapng_frames(data):
    """(link type, frame bytes) of every packet block of a pcapng file."""
    off, endian, links = 0, "<", []
    while off + 12 <= len(data):
        if data[off:off + 4] == b"\x0a\x0d\x0d\x0a":  # section header: its byte order applies
            endian = "<" if data[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            links = []
        btype, blen = struct.unpack(endian + "II", data[off:off + 8])
        if blen < 12:
            return
        body = data[off + 8:off + blen - 4]
        if btype == 1:  # interface description
            links.append(struct.unpack(endian + "H", body[:2])[0])
        elif btype == 6 and len(body) >= 20:  # enhanced packet
            iface, caplen = struct.unpack(endian + "I", body[:4])[0], struct.unpack(endian + "I", body[12:16])[0]
            yield (links[iface] if iface < len(links) else 1), body[20:20 + caplen]
        elif btype == 3 and links:  # simple packet
            yield links[0], body[4:]
        off += blen


def frames(path):
    """(link type, frame bytes) of every record of a pcap or pcapng file."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] == b"\x0a\x0d\x0d\x0a":
        yield from pcapng_frames(data)
        return
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        raise ValueError(f"{path}: neither pcap nor pcapng")
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(endian + "I", data[off + 8:off + 12])[0]
        yield linktype, data[off + 16:off + 16 + incl]
        off += 16 + incl


def ip_payload(linktype, frame):
    """(ip version, ip packet) or None."""
    if linktype == 1:  # Ethernet, possibly VLAN-tagged
        off, ethertype = 14, struct.unpack("!H", frame[12:14])[0]
        while ethertype == 0x8100 and len(frame) >= off + 4:
            ethertype = struct.unpack("!H", frame[off + 2:off + 4])[0]
            off += 4
    elif linktype == 113:  # Linux cooked capture
        off, ethertype = 16, struct.unpack("!H", frame[14:16])[0]
    elif linktype in (101, 12):  # raw IP
        off, ethertype = 0, 0x0800 if frame and frame[0] >> 4 == 4 else 0x86DD
    elif linktype == 0:  # BSD loopback
        off, ethertype = 4, 0x0800 if frame[4] >> 4 == 4 else 0x86DD
    else:
        return None
    return {0x0800: 4, 0x86DD: 6}.get(ethertype), frame[off:]


def tcp_segment(linktype, frame):
    """((src, sport, dst, dport), seq, payload) for a TCP segment, else None."""
    version, ip = ip_payload(linktype, frame) or (None, b"")
    if version == 4 and len(ip) >= 20 and ip[9] == 6:
        ihl = (ip[0] & 15) * 4
        total = struct.unpack("!H", ip[2:4])[0]
        src, dst, tcp = ip[12:16], ip[16:20], ip[ihl:total]
    elif version == 6 and len(ip) >= 40 and ip[6] == 6:
        src, dst, tcp = ip[8:24], ip[24:40], ip[40:40 + struct.unpack("!H", ip[4:6])[0]]
    else:
        return None
    if len(tcp) < 20:
        return None
    sport, dport, seq = struct.unpack("!HHI", tcp[:8])
    return (src, sport, dst, dport), seq, tcp[(tcp[12] >> 4) * 4:]


def streams(path):
    """Reassembled payload of each TCP direction touching an MQTT port, in first-seen order."""
    segments = {}
    for linktype, frame in frames(path):
        seg = tcp_segment(linktype, frame)
        if seg and (seg[0][1] in MQTT_PORTS or seg[0][3] in MQTT_PORTS) and seg[2]:
            segments.setdefault(seg[0], []).append((seg[1], seg[2]))
    for key, segs in segments.items():
        segs.sort(key=lambda s: s[0])
        data, next_seq = bytearray(), segs[0][0]
        for seq, payload in segs:
            skip = (next_seq - seq) & 0xFFFFFFFF
            if skip >= 0x80000000:  # a gap: stop where the bytes stop being contiguous
                break
            if skip < len(payload):
                data += payload[skip:]
                next_seq = (seq + len(payload)) & 0xFFFFFFFF
        yield key, bytes(data)


def packets(data):
    """Cut a stream at MQTT fixed headers; stops at the first incomplete packet."""
    off = 0
    while off + 2 <= len(data):
        length, mult, i = 0, 1, off + 1
        while i < len(data) and i - off <= 4:
            length += (data[i] & 127) * mult
            mult *= 128
            i += 1
            if data[i - 1] < 128:
                break
        else:
            return
        end = i + length
        if end > len(data):
            return
        yield data[off:end]
        off = end


def connect_level(data):
    """Protocol level of a CONNECT at the start of data, else None."""
    if not data or data[0] >> 4 != 1:
        return None
    for pkt in packets(data[:512]):
        i = 2 if pkt[1] < 128 else 3
        name_len = struct.unpack("!H", pkt[i:i + 2])[0]
        return pkt[i + 2 + name_len] if len(pkt) > i + 2 + name_len else None
    return None


def write_stream(out, name, sel, data, turn):
    """A stream seed of whole packets, read byte by byte or in chunks of 1, 2, 7 bytes in turn."""
    chunking = bytes([0]) if turn % 2 == 0 else bytes([3, 1, 2, 7])
    with open(os.path.join(out, "stream", name), "wb") as f:
        f.write(bytes([sel]) + chunking + data)
    return 1


def selector(level, direction):
    return {3: 0, 4: 1, 5: 2}.get(level, 1) | (direction << 2)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, written = sys.argv[1], 0
    for sub in ("decode", "stream"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    for path in sys.argv[2:]:
        capture = os.path.splitext(os.path.basename(path))[0]
        found = list(streams(path))
        levels = {}
        for (src, sport, dst, dport), data in found:
            level = connect_level(data)
            if level:
                levels[(src, sport, dst, dport)] = levels[(dst, dport, src, sport)] = level
        for n, (key, data) in enumerate(found):
            direction = TO_SERVER if key[3] in MQTT_PORTS else TO_CLIENT
            sel = selector(levels.get(key, 4), direction)
            name = f"pcap-{capture}-{n:02d}"
            window, w = b"", 0
            for k, pkt in enumerate(packets(data)):
                with open(os.path.join(out, "decode", f"{name}-{k:03d}"), "wb") as f:
                    f.write(bytes([sel]) + pkt)
                written += 1
                if window and len(window) + len(pkt) > STREAM_SEED_MAX:
                    written += write_stream(out, f"{name}-{w:02d}", sel, window, w)
                    window, w = b"", w + 1
                window += pkt
            if window:
                written += write_stream(out, f"{name}-{w:02d}", sel, window, w)
    print(f"pcap_seeds: {written} seed files from {len(sys.argv) - 2} captures in {out}")


if __name__ == "__main__":
    main()
