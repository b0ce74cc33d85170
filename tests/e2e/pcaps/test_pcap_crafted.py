"""Each crafted capture (scripts/make-crafted-pcaps.py) exercises one hard case; these tests check
what the decode says about it, event by event, in the JSON output."""
import subprocess
import sys

import pytest

from pcap_cases import CRAFTED, events


def packets(evs):
    return [e for e in evs if e["event"] == "packet"]


def kinds(evs):
    return [e["event"] for e in evs]


def test_generator_reproduces_the_committed_captures(repo_root, tmp_path):
    script = repo_root / "scripts" / "make-crafted-pcaps.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True, capture_output=True, timeout=60)
    made = sorted(p.name for p in tmp_path.iterdir())
    committed = sorted(p.name for p in (repo_root / CRAFTED).iterdir())
    assert made == committed
    for name in made:
        assert (tmp_path / name).read_bytes() == (repo_root / CRAFTED / name).read_bytes(), name


def test_out_of_order_segments_are_put_back_in_order(mqtk, repo_root):
    evs, r = events(mqtk, repo_root, [f"{CRAFTED}/out-of-order.pcap"])
    assert r.returncode == 0
    pub = [p for p in packets(evs) if p["packet"]["type"] == "PUBLISH"]
    assert len(pub) == 1
    assert pub[0]["packet"]["payload"]["text"] == "x" * 300
    assert pub[0]["frame"] == 10  # completed by the segment that filled the hole
    assert "gap" not in kinds(evs)


def test_retransmissions_are_decoded_once(mqtk, repo_root):
    evs, r = events(mqtk, repo_root, [f"{CRAFTED}/retransmission.pcap"])
    assert r.returncode == 0
    types = [p["packet"]["type"] for p in packets(evs) if p["direction"] == "client_to_server"]
    assert types == ["CONNECT", "PUBLISH", "PINGREQ"]


def test_overlapping_segments_keep_every_byte_once(mqtk, repo_root):
    evs, r = events(mqtk, repo_root, [f"{CRAFTED}/overlap.pcap"])
    assert r.returncode == 0
    pubs = [p["packet"]["payload"]["text"] for p in packets(evs) if p["packet"]["type"] == "PUBLISH"]
    assert pubs == ["A" * 50, "B" * 50]


def test_remaining_length_split_across_segments(mqtk, repo_root):
    evs, r = events(mqtk, repo_root, [f"{CRAFTED}/split-varint.pcap"])
    assert r.returncode == 0
    c2s = [p for p in packets(evs) if p["direction"] == "client_to_server"]
    assert [p["packet"]["type"] for p in c2s] == ["CONNECT", "PUBLISH", "PUBLISH", "PINGREQ", "PUBLISH", "PUBLISH",
                                                 "PINGREQ"]
    assert c2s[1]["packet"]["payload"]["text"] == "v" * 200
    assert c2s[1]["frame"] == 9 and c2s[1]["packet"]["length"] == 217
    assert c2s[2]["packet"]["topic"] == "one/byte"  # sent one byte per segment
    assert len({p["frame"] for p in c2s[3:]}) == 1  # four packets in one segment


def test_gap_is_reported_and_decoding_resumes(mqtk, repo_root):
    evs, r = events(mqtk, repo_root, [f"{CRAFTED}/gap.pcap"])
    assert r.returncode == 1
    gap = next(e for e in evs if e["event"] == "gap")
    assert gap["missing"] == 68 and gap["dropped"] == 40 and gap["direction"] == "client_to_server"
    resync = next(e for e in evs if e["event"] == "resync")
    assert resync["found"] and resync["skipped"] == 0
    after = [p["packet"].get("topic") for p in packets(evs) if p["frame"] >= gap["frame"]]
    assert after[:1] == ["after/gap"]
    assert [p["packet"]["type"] for p in packets(evs)][-2:] == ["PINGREQ", "PINGRESP"]


def test_mid_stream_start_resynchronises_and_infers_the_version(mqtk, repo_root):
    evs, r = events(mqtk, repo_root, [f"{CRAFTED}/mid-stream.pcap"])
    assert r.returncode == 0
    resync = next(e for e in evs if e["event"] == "resync")
    assert resync["found"] and resync["skipped"] == 63  # the tail of a PUBLISH whose start was not captured
    versions = [(e["version"], e["source"]) for e in evs if e["event"] == "version"]
    assert versions == [("5.0", "assumed"), ("3.1.1", "inferred")]
    pub = next(p for p in packets(evs) if p["packet"]["type"] == "PUBLISH")
    assert pub["packet"]["topic"] == "mid/stream" and pub["packet"]["version"] == "3.1.1"


@pytest.mark.parametrize("capture", ["sll", "sll2", "vlan", "qinq", "loopback-null", "raw-ip"])
def test_link_types_decode_the_same_session(mqtk, repo_root, capture):
    evs, r = events(mqtk, repo_root, [f"{CRAFTED}/{capture}.pcap"])
    assert r.returncode == 0
    assert [p["packet"]["type"] for p in packets(evs)] == ["CONNECT", "CONNACK", "SUBSCRIBE", "SUBACK", "PUBLISH",
                                                         "DISCONNECT"]


def test_ipv6_extension_headers(mqtk, repo_root):
    evs, r = events(mqtk, repo_root, [f"{CRAFTED}/ipv6-ext.pcap"])
    assert r.returncode == 0
    first = packets(evs)[0]
    assert first["src"] == "[2001:db8::1]:50001" and first["dst"] == "[2001:db8::2]:1883"
    assert first["packet"]["version"] == "5.0"
    assert len(packets(evs)) == 5


def test_malformed_packets_name_the_rule_and_decoding_goes_on(mqtk, repo_root):
    evs, r = events(mqtk, repo_root, [f"{CRAFTED}/malformed.pcap"])
    assert r.returncode == 1
    bad = [(e["error"]["rule"], e["error"]["statement"], e["error"]["offset"]) for e in evs
           if e["event"] == "malformed"]
    assert bad == [("publish_qos_3", "MQTT-3.3.1-4", 0), ("bad_fixed_header_flags", "MQTT-3.8.1-1", 0),
                   ("topic_wildcard", "MQTT-3.3.2-2", 9)]  # the "+" itself
    assert [p["packet"]["type"] for p in packets(evs)][-2:] == ["PINGREQ", "PINGRESP"]


def test_connect_detection_on_an_unknown_port(mqtk, repo_root):
    evs, r = events(mqtk, repo_root, [f"{CRAFTED}/connect-detect.pcap"])
    assert r.returncode == 0
    assert {e["stream"] for e in evs} == {0}  # the HTTP connection (stream 1) is not MQTT
    assert packets(evs)[0]["dst"].endswith(":8000")
    # forcing the HTTP port shows its bytes are not MQTT: reported, never silently skipped
    evs, r = events(mqtk, repo_root, ["--port", "8001", f"{CRAFTED}/connect-detect.pcap"])
    assert r.returncode == 1
    # "GET / HTTP" frames as a PUBACK claiming 69 bytes that never come
    assert [e["event"] for e in evs if e.get("stream") == 1] == ["truncated", "truncated"]


def test_snaplen_cut_frame_is_a_warning_and_a_gap(mqtk, repo_root):
    evs, r = events(mqtk, repo_root, [f"{CRAFTED}/snaplen.pcap"])
    assert r.returncode == 1
    warn = next(e for e in evs if e["event"] == "warning")
    assert warn["frame"] == 8 and "snapshot length" in warn["message"]
    gap = next(e for e in evs if e["event"] == "gap")
    assert gap["frame"] == 8 and gap["missing"] == 171


def test_stream_ending_inside_a_packet_is_truncated(mqtk, repo_root):
    evs, r = events(mqtk, repo_root, [f"{CRAFTED}/truncated-end.pcap"])
    assert r.returncode == 1
    t = next(e for e in evs if e["event"] == "truncated")
    assert t["error"]["rule"] == "truncated" and t["length"] == 50 and t["offset"] == 21


def test_damaged_file_decodes_what_it_can_and_names_the_frame(mqtk, repo_root):
    evs, r = events(mqtk, repo_root, [f"{CRAFTED}/damaged-file.pcap"])
    assert r.returncode == 1
    assert len(packets(evs)) == 7
    assert "capture damaged after frame 19" in r.stderr.decode()


@pytest.mark.parametrize("capture,message", [
    ("unknown-linktype", "unsupported link type 147"),
    ("not-a-capture", "as a pcap or pcapng capture"),
    ("does-not-exist", "cannot read"),
])
def test_unreadable_input_is_a_setup_error(mqtk, repo_root, capture, message):
    evs, r = events(mqtk, repo_root, [f"{CRAFTED}/{capture}.pcap"])
    assert r.returncode == 2
    assert evs == []
    assert message in r.stderr.decode()
