"""Differential test against Wireshark's MQTT dissector: for every capture, the MQTT packet types
`mqtk pcap` finds in each frame are compared with `tshark -T fields -e mqtt.msgtype`, frame by
frame. Where they differ, the difference is listed below with the reason, and the test demands
exactly that difference: a new one (or a listed one going away) fails until it is explained.

tshark is told about the broker port (`-d tcp.port==P,mqtt`) when it is not 1883. It reports a
packet in the frame that completes it, as mqtk does."""
import shutil
import subprocess

import pytest

from pcap_cases import CRAFTED, REAL, SHARED, events

TYPE_NAMES = ["?", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "SUBSCRIBE", "SUBACK",
              "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "AUTH"]

# capture -> ({frame: (mqtk's types, tshark's types)}, why they differ)
KNOWN_DIFFERENCES = {
    f"{CRAFTED}/out-of-order.pcap": (
        {10: (["PUBLISH"], [])},
        "tshark does not reassemble out-of-order segments (tcp.reassemble_out_of_order is off by default): "
        "the PUBLISH whose middle segment arrives last is lost to it"),
    f"{CRAFTED}/overlap.pcap": (
        {10: (["PUBLISH", "PUBLISH", "PINGREQ"], [])},
        "same: three overlapping segments captured last-first; tshark drops them as out of order"),
    f"{CRAFTED}/retransmission.pcap": (
        {10: (["PINGREQ"], [])},
        "the segment repeats 3 old bytes and carries a new PINGREQ; tshark flags it as a retransmission and does not "
        "dissect the new bytes"),
    f"{CRAFTED}/split-varint.pcap": (
        {9: (["PUBLISH"], ["0", "0"]), 26: (["PUBLISH"], []),
         28: (["PINGREQ", "PUBLISH", "PUBLISH", "PINGREQ"], ["PUBCOMP"])},
        "the Remaining Length is split across segments: tshark desynchronises (reads type 0 twice), then loses the "
        "byte-per-segment PUBLISH and misreads the four-packet segment as a PUBCOMP"),
    f"{CRAFTED}/gap.pcap": (
        {11: ([], ["PUBLISH", "PINGREQ"]), 12: (["PUBLISH", "PINGREQ"], [])},
        "same packets, one frame apart: mqtk holds the segment after the hole until the server's ACK (frame 12) "
        "proves the missing bytes were lost, tshark dissects it on arrival"),
    f"{CRAFTED}/mid-stream.pcap": (
        {3: ([], ["PUBREC"]), 10: (["PUBLISH", "PINGREQ"], [])},
        "the capture starts inside a PUBLISH: tshark glues that tail to the next segment and reports a PUBREC that is "
        "not there; mqtk skips the 63-byte tail, and confirms the boundary when the next packet (frame 10) frames"),
    f"{CRAFTED}/snaplen.pcap": (
        {8: ([], ["PUBLISH"])},
        "the PUBLISH is cut by the 96-byte snapshot length: tshark shows the partial packet, mqtk reports it as a "
        "gap (and warning) instead of a packet"),
}

CAPTURES = [f"{SHARED}/zeek-mqtt.pcap", f"{SHARED}/ndpi-mqtt.pcap", f"{SHARED}/ndpi-coap_mqtt.pcap",
            f"{REAL}/mosquitto-v31.pcapng", f"{REAL}/mosquitto-v311.pcapng", f"{REAL}/mosquitto-v5.pcapng",
            f"{REAL}/paho-v311-v5.pcapng"] + [
    f"{CRAFTED}/{name}.pcap" for name in
    ["out-of-order", "retransmission", "overlap", "split-varint", "gap", "mid-stream", "ipv6-ext", "sll", "sll2",
     "vlan", "qinq", "loopback-null", "raw-ip", "malformed", "connect-detect", "snaplen", "mqtt5", "truncated-end"]]

EXTRA_ARGS = {f"{SHARED}/ndpi-coap_mqtt.pcap": ["--port", "17501"]}


def mqtk_types(mqtk, root, capture):
    evs, r = events(mqtk, root, [*EXTRA_ARGS.get(capture, []), capture])
    assert r.returncode in (0, 1), r.stderr.decode()
    by_frame, servers = {}, set()
    for e in evs:
        if e["event"] == "packet":
            by_frame.setdefault(e["frame"], []).append(e["packet"]["type"])
        elif e["event"] == "malformed":  # tshark still names the type of a packet it finds broken
            by_frame.setdefault(e["frame"], []).append(TYPE_NAMES[int(e["bytes"][0], 16)])
        if e.get("direction") == "client_to_server":
            servers.add(int(e["dst"].rsplit(":", 1)[1]))
    return by_frame, servers


def tshark_types(root, capture, ports):
    cmd = ["tshark", "-r", capture, "-T", "fields", "-e", "frame.number", "-e", "mqtt.msgtype", "-Y", "mqtt"]
    for port in sorted(ports - {1883}):
        cmd += ["-d", f"tcp.port=={port},mqtt"]
    r = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    by_frame = {}
    for line in r.stdout.splitlines():
        frame, _, types = line.partition("\t")
        by_frame[int(frame)] = [TYPE_NAMES[int(t)] if t.isdigit() and 0 < int(t) < 16 else t
                                for t in types.split(",") if t]
    return by_frame


@pytest.mark.skipif(shutil.which("tshark") is None, reason="tshark is not installed")
@pytest.mark.parametrize("capture", CAPTURES)
def test_packet_types_match_tshark(mqtk, repo_root, capture):
    ours, servers = mqtk_types(mqtk, repo_root, capture)
    assert ours, "mqtk found no MQTT packet"
    theirs = tshark_types(repo_root, capture, servers)
    diff = {f: (ours.get(f, []), theirs.get(f, [])) for f in sorted(set(ours) | set(theirs))
            if ours.get(f, []) != theirs.get(f, [])}
    expected, _why = KNOWN_DIFFERENCES.get(capture, ({}, ""))
    assert diff == expected
