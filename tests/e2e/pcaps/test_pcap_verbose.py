"""`mqtk pcap -V`: every packet's line followed by the field listing `mqtk decode` prints for it."""
import subprocess

import pytest

import pcap_writer as pw
from pcap_cases import CRAFTED, REAL, run_pcap

CAPTURES = [f"{CRAFTED}/mqtt5.pcap", f"{CRAFTED}/malformed.pcap", f"{CRAFTED}/gap.pcap",
            f"{CRAFTED}/ws-session.pcap", f"{REAL}/mosquitto-v5.pcapng", f"{REAL}/paho-v311-v5.pcapng"]


def field_line(line):
    # event lines start with the frame number right-aligned in 6 columns: at most 5 spaces, then a
    # digit; field lines are indented 4 (a hex dump row, digits first, 8 or more)
    n = len(line) - len(line.lstrip(b" "))
    return not line or n >= 8 or (n >= 4 and not line[n:n + 1].isdigit())


@pytest.mark.parametrize("capture", CAPTURES)
def test_verbose_adds_fields_under_the_lines(mqtk, repo_root, capture):
    plain = run_pcap(mqtk, repo_root, [capture])
    verbose = run_pcap(mqtk, repo_root, ["-V", capture])
    assert verbose.returncode == plain.returncode
    lines = verbose.stdout.splitlines()
    # without the field lines it is the usual listing, byte for byte
    assert [line for line in lines if not field_line(line)] == plain.stdout.splitlines()
    # each packet's line (and only a packet's) is followed by its fields, offset and length first,
    # and an empty line
    packets = [i for i, line in enumerate(lines) if not field_line(line) and b" (v" in line.split(b"->")[-1]]
    assert packets
    for i in packets:
        assert lines[i + 1].startswith(b"    Offset: ")
    assert sum(line.startswith(b"    Offset: ") for line in lines) == len(packets) == lines.count(b"")


def test_verbose_fields_are_what_decode_prints(mqtk, repo_root, tmp_path):
    client = [pw.connect("verbose-client"), pw.publish("a/b", bytes(range(0, 256, 7)), qos=1, pid=7),
              pw.publish("text/\u00e9", "caf\u00e9 \"quoted\"\n".encode(), qos=0), pw.subscribe(3, "x/#", 1),
              pw.DISCONNECT]
    conv = pw.Conversation()
    conv.handshake()
    conv.send("c", client[0])
    conv.send("s", pw.CONNACK)
    for pkt in client[1:]:
        conv.send("c", pkt)
    conv.close()
    capture = tmp_path / "verbose.pcap"
    capture.write_bytes(pw.pcap_bytes(conv.frames))
    r = run_pcap(mqtk, repo_root, ["-V", str(capture)])
    assert r.returncode == 0, r.stderr
    # the client's packets, as `mqtk decode` lists the client's byte stream (same offsets)
    decoded = subprocess.run([mqtk, "decode", "-"], input=b"".join(client), capture_output=True, timeout=30)
    assert decoded.returncode == 0, decoded.stderr
    listed, block = [], None
    for line in r.stdout.splitlines():
        if field_line(line):  # the empty line after the fields too
            block.append(line)
        elif b" C->S " in line:
            block = [line.split(b" C->S ", 1)[1]]
            listed.append(block)
        else:
            block = []
    # decode puts the empty line between packets, -V after each
    assert b"".join(b"\n".join(b) + b"\n" for b in listed) == decoded.stdout + b"\n"
    assert b"    Payload (37 bytes):\n" in decoded.stdout  # the binary payload came out as a hex dump


@pytest.mark.parametrize("extra", [["--json"], ["--summary"]])
def test_verbose_is_for_the_text_listing(mqtk, repo_root, extra):
    r = run_pcap(mqtk, repo_root, ["-V", *extra, f"{CRAFTED}/mqtt5.pcap"])
    assert r.returncode == 2 and r.stdout == b""
    assert b"-V" in r.stderr
