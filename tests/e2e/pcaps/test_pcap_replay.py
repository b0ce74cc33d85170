"""`mqtk replay` against a real mosquitto on 127.0.0.1: the real captures replay with no divergence;
tampered copies show exactly the divergence put into them; an unreachable broker is a setup error."""
import json
import subprocess

import pytest

from broker import MOSQUITTO, Broker, free_port
from pcap_cases import REAL
from replay_tamper import tamper

# capture -> (sessions, client packets sent, replies the capture shows), counted in `mqtk pcap --summary`
CAPTURES = {"mosquitto-v31": (6, 24, 18), "mosquitto-v311": (6, 24, 18), "mosquitto-v5": (6, 24, 18),
            "paho-v311-v5": (4, 32, 29)}
V311 = f"{REAL}/mosquitto-v311.pcapng"
PAHO = f"{REAL}/paho-v311-v5.pcapng"


@pytest.fixture()
def broker(tmp_path):
    if not MOSQUITTO:
        pytest.skip("mosquitto is not installed")
    b = Broker(tmp_path)
    yield b
    b.stop()


def replay(mqtk, root, args, timeout=120):
    return subprocess.run([mqtk, "replay", *args], cwd=root, capture_output=True, text=True, timeout=timeout)


def replay_json(mqtk, root, capture, broker, *extra):
    r = replay(mqtk, root, [str(capture), "--broker", broker.address, "--json", *extra])
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert lines and lines[-1]["event"] == "summary", r.stdout + r.stderr
    return r, lines[:-1], lines[-1]


@pytest.mark.parametrize("name", sorted(CAPTURES))
@pytest.mark.parametrize("pace", [["--fast"], ["--speed", "4"]])
def test_real_capture_replays_without_divergence(mqtk, repo_root, broker, name, pace):
    sessions, sent, replies = CAPTURES[name]
    r, events, summary = replay_json(mqtk, repo_root, f"{REAL}/{name}.pcapng", broker, *pace)
    assert r.returncode == 0, r.stdout + r.stderr
    assert events == []
    assert summary["sessions"] == sessions and summary["skipped"] == 0
    assert summary["sent"] == sent
    assert summary["matched"] == summary["expected_replies"] == summary["received"] == replies
    assert summary["divergences"] == 0


def test_text_output_and_timing(mqtk, repo_root, broker):
    r = replay(mqtk, repo_root, [V311, "--broker", broker.address])
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("replaying 6 sessions of") and "captured timing x1" in lines[0]
    assert lines[-1].startswith("summary: 6 sessions replayed") and "; 0 divergences;" in lines[-1]
    seconds = float(lines[-1].rsplit(";", 1)[1].split()[0])
    assert seconds >= 0.5  # the capture spans 0.535 s and the replay keeps its timing


def test_tampered_suback_code_is_a_divergence(mqtk, repo_root, broker, tmp_path):
    # the subscriber's SUBACK: granted QoS 2 becomes QoS 1 in the capture; mosquitto grants 2
    capture = tamper(repo_root / V311, tmp_path / "suback.pcapng", [(bytes.fromhex("9003000102"),
                                                                    bytes.fromhex("9003000101"))])
    r, events, summary = replay_json(mqtk, repo_root, capture, broker, "--fast")
    assert r.returncode == 1
    assert events == [{"event": "divergence", "kind": "field", "stream": 0, "frame": 9, "packet": "SUBACK",
                       "field": "reason_codes", "captured": "[0x01]", "replayed": "[0x02]"}]
    assert summary["divergences"] == 1 and summary["matched"] == 17


def test_tampered_connack_session_present_is_a_divergence(mqtk, repo_root, broker, tmp_path):
    capture = tmp_path / "connack.pcapng"
    data = (repo_root / V311).read_bytes()
    capture.write_bytes(data.replace(bytes.fromhex("20020000"), bytes.fromhex("20020100"), 1))  # the first CONNACK
    r = replay(mqtk, repo_root, [str(capture), "--broker", broker.address, "--fast"])
    assert r.returncode == 1
    assert "DIVERGENCE #0 frame 6 CONNACK field: session_present captured 1, replayed 0" in r.stdout.splitlines()
    assert "; 1 divergence;" in r.stdout


def test_replies_that_never_come_are_missing(mqtk, repo_root, broker, tmp_path):
    # the subscriber's filter mqtk/# becomes mqtk/x: none of the five captured deliveries will come
    capture = tamper(repo_root / V311, tmp_path / "filter.pcapng", [(b"\x00\x06mqtk/#\x02", b"\x00\x06mqtk/x\x02")])
    r, events, summary = replay_json(mqtk, repo_root, capture, broker, "--fast", "--timeout", "0.5")
    assert r.returncode == 1
    missing = [(e["frame"], e["packet"]) for e in events if e["kind"] == "missing"]
    # (the client's captured PUBREC for the QoS 2 delivery is still sent, and mosquitto answers it
    # with the PUBREL the capture shows, so that one is not missing)
    assert missing == [(20, "PUBLISH"), (33, "PUBLISH"), (51, "PUBLISH"), (86, "PUBLISH"), (101, "PUBLISH")]
    assert all("no reply within 0.5 s" in e["message"] for e in events if e["kind"] == "missing")
    assert len(events) == 5 and summary["matched"] == 13


def test_will_published_by_disconnect_reason_is_compared(mqtk, repo_root, broker, tmp_path):
    # paho-pub5 ends with DISCONNECT 0x04 (disconnect with will message) and the broker delivers its
    # will to paho-sub5 (frame 121); with the reason made 0x00 the will is dropped, so that delivery
    # is missing and nothing else changes
    capture = tamper(repo_root / PAHO, tmp_path / "nowill.pcapng", [(bytes.fromhex("e00104"), bytes.fromhex("e00100"))])
    r, events, summary = replay_json(mqtk, repo_root, capture, broker, "--fast", "--timeout", "0.5")
    assert r.returncode == 1
    assert events == [{"event": "divergence", "kind": "missing", "stream": 0, "frame": 121, "packet": "PUBLISH",
                       "message": "no reply within 0.5 s"}]
    assert summary["matched"] == 28 and summary["expected_replies"] == 29


def test_broker_packet_ids_are_mapped(mqtk, repo_root, broker, tmp_path):
    # the broker's QoS 2 delivery to the subscriber used id 2; the capture now says 9 throughout
    # (PUBLISH, the client's PUBREC, the broker's PUBREL, the client's PUBCOMP). mosquitto picks 2
    # again, so replay must send PUBREC/PUBCOMP with 2 and expect PUBREL 2: no divergence.
    capture = tamper(repo_root / V311, tmp_path / "ids.pcapng", [
        (b"\x00\x09mqtk/qos2\x00\x02", b"\x00\x09mqtk/qos2\x00\x09"),
        (bytes.fromhex("50020002"), bytes.fromhex("50020009")),
        (bytes.fromhex("62020002"), bytes.fromhex("62020009")),
        (bytes.fromhex("70020002"), bytes.fromhex("70020009"))])
    r, events, summary = replay_json(mqtk, repo_root, capture, broker, "--fast")
    assert r.returncode == 0, r.stdout + r.stderr
    assert summary["rewritten"] == 2 and summary["matched"] == 18


def test_client_prefix_reaches_the_broker(mqtk, repo_root, broker):
    r = replay(mqtk, repo_root, [V311, "--broker", broker.address, "--fast", "--client-prefix", "rp-"])
    assert r.returncode == 0, r.stdout + r.stderr
    for cid in ("sub", "pub0", "pub1", "pub2", "pub3", "pub4"):
        assert broker.wait_for(f" as rp-{cid}-mosquitto-v311 ", 10), broker.log


def test_unreachable_broker_is_a_setup_error(mqtk, repo_root):
    port = free_port()  # nothing listens there
    r = replay(mqtk, repo_root, [V311, "--broker", f"127.0.0.1:{port}", "--timeout", "2"])
    assert r.returncode == 2
    assert f"broker unreachable: cannot connect to 127.0.0.1:{port}: Connection refused" in r.stderr


def test_help_and_usage_errors(mqtk, repo_root):
    r = replay(mqtk, repo_root, ["--help"])
    assert r.returncode == 0 and "usage: mqtk replay" in r.stdout and "Exit codes:" in r.stdout
    listing = subprocess.run([mqtk, "--help"], capture_output=True, text=True, timeout=30).stdout
    assert any(line.split()[:1] == ["replay"] for line in listing.splitlines())
    for args in ([V311], ["--broker", "127.0.0.1:1883"], [V311, "--broker", "127.0.0.1"],
                 [V311, "--broker", "127.0.0.1:0"], [V311, "--broker", "::1:1883"],
                 [V311, "--broker", "127.0.0.1:1883", "--speed", "0"],
                 [V311, "--broker", "127.0.0.1:1883", "--speed", "2", "--fast"],
                 [V311, "--broker", "127.0.0.1:1883", "--timeout", "x"]):
        r = replay(mqtk, repo_root, args)
        assert r.returncode == 2, args
        assert "mqtk replay:" in r.stderr, args


def test_unreadable_capture_and_nothing_to_replay(mqtk, repo_root):
    r = replay(mqtk, repo_root, ["tests/data/pcaps/crafted/not-a-capture.pcap", "--broker", "127.0.0.1:1"])
    assert r.returncode == 2 and "mqtk replay: error:" in r.stderr
    # the capture starts mid-connection: listed as skipped, nothing left to replay
    r = replay(mqtk, repo_root, ["tests/data/pcaps/crafted/mid-stream.pcap", "--broker", "127.0.0.1:1"])
    assert r.returncode == 2
    assert r.stdout.startswith("SKIPPED    #0") and "no MQTT client session that can be replayed" in r.stderr
