"""`mqtk pcap` as a command: help, usage errors, standard input, stream filter, summary counts."""
import json

import pytest

from pcap_cases import CRAFTED, SHARED, events, run_pcap


def test_help_documents_exit_codes(mqtk, repo_root):
    r = run_pcap(mqtk, repo_root, ["--help"])
    assert r.returncode == 0
    text = r.stdout.decode()
    assert "usage: mqtk pcap" in text and "Exit codes:" in text and "--port" in text


def test_pcap_is_in_the_command_list(mqtk, repo_root):
    import subprocess
    r = subprocess.run([mqtk, "--help"], capture_output=True, text=True, timeout=30)
    assert any(line.split()[:1] == ["pcap"] for line in r.stdout.splitlines())


def test_usage_errors(mqtk, repo_root):
    for args in ([], ["--port", "0", "x.pcap"], ["--port", "70000", "x.pcap"], ["--stream", "-1", "x.pcap"],
                 ["--bogus", "x.pcap"], ["a.pcap", "b.pcap"]):
        r = run_pcap(mqtk, repo_root, args)
        assert r.returncode == 2, args
        assert r.stderr, args


def test_standard_input(mqtk, repo_root):
    data = (repo_root / CRAFTED / "mqtt5.pcap").read_bytes()
    from_stdin = run_pcap(mqtk, repo_root, ["-"], stdin=data)
    from_file = run_pcap(mqtk, repo_root, [f"{CRAFTED}/mqtt5.pcap"])
    assert from_stdin.returncode == 0
    assert from_stdin.stdout == from_file.stdout and len(from_file.stdout.splitlines()) == 7


def test_stream_filter(mqtk, repo_root):
    evs, r = events(mqtk, repo_root, ["--port", "17501", "--stream", "2", f"{SHARED}/ndpi-coap_mqtt.pcap"])
    assert r.returncode == 0
    assert evs and {e["stream"] for e in evs} == {2}


@pytest.mark.parametrize("extra", [[], ["--json"], ["--summary"]])
def test_stream_that_does_not_exist_is_named(mqtk, repo_root, extra):
    # issue 14 item 10: a --stream the capture does not hold used to print nothing and exit 0
    capture = "tests/data/pcaps/real/paho-v311-v5.pcapng"
    r = run_pcap(mqtk, repo_root, [*extra, "--stream", "9", capture])
    assert r.returncode == 2 and r.stdout == b""
    assert r.stderr.decode() == f"mqtk pcap: error: no TCP stream 9 in {capture}: it holds 4 TCP streams (#0 to #3)\n"
    last = run_pcap(mqtk, repo_root, [*extra, "--stream", "3", capture])
    assert last.returncode == 0 and last.stdout and last.stderr == b""


def test_stream_in_a_capture_without_tcp(mqtk, repo_root, tmp_path):
    empty = tmp_path / "empty.pcap"
    empty.write_bytes((repo_root / CRAFTED / "mqtt5.pcap").read_bytes()[:24])  # the file header alone
    r = run_pcap(mqtk, repo_root, ["--stream", "0", str(empty)])
    assert r.returncode == 2
    assert r.stderr.decode().endswith(": it holds 0 TCP streams\n")
    assert run_pcap(mqtk, repo_root, [str(empty)]).returncode == 0


def test_summary_agrees_with_the_events(mqtk, repo_root):
    args = ["--port", "17501", f"{SHARED}/ndpi-coap_mqtt.pcap"]
    evs, _ = events(mqtk, repo_root, args)
    r = run_pcap(mqtk, repo_root, ["--summary", "--json", *args])
    assert r.returncode == 0
    summary = json.loads(r.stdout)
    pkts = [e for e in evs if e["event"] == "packet"]
    assert summary["packets"] == len(pkts)
    by_type = {}
    for e in pkts:
        by_type[e["packet"]["type"]] = by_type.get(e["packet"]["type"], 0) + 1
    assert summary["packet_types"] == by_type
    assert sum(s["packets_client_to_server"] + s["packets_server_to_client"] for s in summary["streams"]) == len(pkts)
    assert summary["mqtt_streams"] == len({e["stream"] for e in pkts}) == len(summary["streams"])


def test_port_option_finds_streams_without_connect(mqtk, repo_root):
    without, _ = events(mqtk, repo_root, [f"{SHARED}/ndpi-coap_mqtt.pcap"])
    with_port, _ = events(mqtk, repo_root, ["--port", "17501", f"{SHARED}/ndpi-coap_mqtt.pcap"])
    n_without = sum(e["event"] == "packet" for e in without)
    n_with = sum(e["event"] == "packet" for e in with_port)
    assert 0 < n_without < n_with
