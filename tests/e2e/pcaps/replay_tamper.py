"""Tampered copies of a real capture for the replay tests: byte patterns of MQTT packets replaced
in place (same length, so every frame and TCP sequence number stays valid; mqtk does not check TCP
checksums, as loopback captures carry offloaded ones).

usage: replay_tamper.py IN OUT OLDHEX NEWHEX [OLDHEX NEWHEX ...]"""
import sys


def tamper(src, dst, replacements):
    """replacements: (old bytes, new bytes) pairs of equal length; each old must occur exactly once."""
    data = src.read_bytes() if hasattr(src, "read_bytes") else open(src, "rb").read()
    for old, new in replacements:
        assert len(old) == len(new), (old, new)
        count = data.count(old)
        assert count == 1, f"{old.hex()} occurs {count} times in {src}"
        data = data.replace(old, new)
    with open(dst, "wb") as f:
        f.write(data)
    return dst


if __name__ == "__main__":
    if len(sys.argv) < 5 or len(sys.argv) % 2 == 0:
        sys.exit(__doc__)
    pairs = [(bytes.fromhex(a), bytes.fromhex(b)) for a, b in zip(sys.argv[3::2], sys.argv[4::2])]
    tamper(sys.argv[1], sys.argv[2], pairs)
