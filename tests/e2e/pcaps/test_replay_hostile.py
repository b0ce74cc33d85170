"""`mqtk replay` against brokers that misbehave (hostile_broker.py, on 127.0.0.1, bounded in time) and
captures that are odd: a broker flooding PUBLISH after CONNACK ends the replay with a named finding
and a bounded output; a reply announced larger than replay keeps is not buffered; long captured
pauses are cut to --max-gap with a notice; a damaged capture is reported as `mqtk pcap` reports it;
replay's own resource errors are its own (exit 2), not the broker's divergences."""
import json
import resource
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pcap_writer import (CONNACK, DISCONNECT, Conversation, connect, pcap_bytes, pcapng_bytes, suback,
                         subscribe)

HERE = Path(__file__).resolve().parent
FLOOD_PACKET_BYTES = 108  # hostile_broker.FLOOD_PUBLISH


class Hostile:
    def __init__(self, mode, lifetime=60):
        self.proc = subprocess.Popen([sys.executable, str(HERE / "hostile_broker.py"), "--mode", mode, "--lifetime",
                                      str(lifetime)], stdout=subprocess.PIPE, text=True)
        ready, _, _ = select.select([self.proc.stdout], [], [], 10)
        line = self.proc.stdout.readline() if ready else ""
        if not line.startswith("port "):
            self.stop()
            raise RuntimeError(f"hostile broker did not start: {line!r}")
        self.address = f"127.0.0.1:{int(line.split()[1])}"

    def lines(self, count, deadline_s=10):
        """The next count lines it prints (connections it saw end), waiting at most deadline_s."""
        out, end = [], time.monotonic() + deadline_s
        while len(out) < count and time.monotonic() < end:
            ready, _, _ = select.select([self.proc.stdout], [], [], max(end - time.monotonic(), 0))
            if ready:
                out.append(self.proc.stdout.readline().strip())
        return out

    def stop(self):
        self.proc.kill()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()


@pytest.fixture()
def hostile():
    started = []

    def start(mode, lifetime=60):
        started.append(Hostile(mode, lifetime))
        return started[-1]
    yield start
    for h in started:
        h.stop()


def session(t_us, port, client_id, pause_us=1000, ping=True):
    """CONNECT, CONNACK, SUBSCRIBE, SUBACK, (pause), PINGREQ, PINGRESP, DISCONNECT on one connection."""
    c = Conversation(t_us=t_us, client=("10.0.0.1", port))
    c.handshake()
    c.send("c", connect(client_id))
    c.send("s", CONNACK)
    c.send("c", subscribe(1, "a/b", qos=1))
    c.send("s", suback(1, 1))
    c.t += pause_us
    if ping:
        c.send("c", b"\xc0\x00")
        c.send("s", b"\xd0\x00")
    c.send("c", DISCONNECT)
    c.close()
    return c.frames


def replay(mqtk, args, timeout=120, **kw):
    start = time.monotonic()
    r = subprocess.run([mqtk, "replay", *map(str, args)], capture_output=True, text=True, timeout=timeout, **kw)
    return r, time.monotonic() - start


def json_lines(r):
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert lines and lines[-1]["event"] == "summary", r.stdout + r.stderr
    return lines[:-1], lines[-1]


@pytest.fixture()
def one_session(tmp_path):
    path = tmp_path / "one.pcap"
    path.write_bytes(pcap_bytes(session(1_700_000_000_000_000, 50000, "h1")))
    return path


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_flood_after_connack_is_a_named_finding_and_ends(mqtk, hostile, one_session, fmt):
    broker = hostile("flood", lifetime=60)
    r, took = replay(mqtk, [one_session, "--broker", broker.address, "--timeout", "2", "--fast"] +
                     (["--json"] if fmt == "json" else []), timeout=60)
    print(f"\nreplay against the flooding broker: {took:.2f} s, {len(r.stdout)} bytes of output")
    assert r.returncode == 1, r.stdout + r.stderr
    flood = f"1001 packets, {1001 * FLOOD_PACKET_BYTES} bytes without a counterpart in the capture"
    # the broker saw the connection end long before its lifetime: mqtk closed it
    closed = broker.lines(1)
    assert closed and closed[0].startswith("closed after"), closed
    if fmt == "text":
        lines = r.stdout.splitlines()
        divergences = [line for line in lines if line.startswith("DIVERGENCE #0 ")]
        floods = [line for line in divergences if " flood: " in line]
        assert len(floods) == 1 and flood in floods[0] and "mqtk closed the connection" in floods[0]
        assert len(divergences) == 100 + 1  # the cap, and the flood line always
        assert divergences[0].startswith("DIVERGENCE #0 PUBLISH unexpected: the capture shows no such reply")
        left_out = [line for line in lines if line.startswith("LEFT OUT   #0: ")]
        assert len(left_out) == 1
        n = int(left_out[0].split()[3])
        summary = lines[-1]
        assert f"; {101 + n} divergences ({n} not shown);" in summary
        assert n >= 1001 - 100
        return
    events, summary = json_lines(r)
    divs = [e for e in events if e["event"] == "divergence"]
    floods = [e for e in divs if e["kind"] == "flood"]
    assert len(floods) == 1 and (floods[0]["stream"], floods[0]["frame"], floods[0]["packet"]) == (0, None, None)
    assert floods[0]["message"].startswith(f"{flood} (limits: 1000 packets, 16777216 bytes per connection); "
                                           "mqtk closed the connection, ")
    assert len(divs) == 101
    left = [e for e in events if e["event"] == "left_out"]
    assert left == [{"event": "left_out", "stream": 0, "divergences": summary["left_out"]}]
    assert summary["divergences"] == 101 + summary["left_out"]
    assert summary["damaged"] is None


def test_reply_larger_than_replay_keeps_is_not_buffered(mqtk, hostile, one_session):
    broker = hostile("huge", lifetime=60)
    r, took = replay(mqtk, [one_session, "--broker", broker.address, "--timeout", "2", "--fast", "--json"],
                     timeout=60)
    assert r.returncode == 1, r.stdout + r.stderr
    events, summary = json_lines(r)
    floods = [e for e in events if e["event"] == "divergence" and e["kind"] == "flood"]
    assert len(floods) == 1
    assert floods[0]["message"].startswith("a PUBLISH of 200000000 bytes announced, more than the 16777216 bytes "
                                           "replay keeps for one reply; mqtk closed the connection")
    assert broker.lines(1)[0].startswith("closed after")
    assert took < 30


def test_long_pause_is_cut_to_max_gap_with_a_notice(mqtk, hostile, tmp_path):
    broker = hostile("polite")
    path = tmp_path / "pause.pcap"
    path.write_bytes(pcap_bytes(session(1_700_000_000_000_000, 50000, "h1", pause_us=3_600_000_000)))
    r, took = replay(mqtk, [path, "--broker", broker.address, "--max-gap", "0.5", "--json"], timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    events, summary = json_lines(r)
    assert events == [] and summary["gaps_shortened"] == 1 and summary["matched"] == 3
    # between the client's SUBSCRIBE (frame 6) and PINGREQ (frame 8): 2 ms and the hour
    assert "mqtk replay: notice: the capture pauses 3600.002 s before frame 8 (#0); waiting 0.500 s instead " \
           "(--max-gap)" in r.stderr
    assert 0.5 <= took < 30


def test_default_max_gap_also_bounds_a_pause_of_centuries(mqtk, hostile, tmp_path):
    """pcapng in one-second units: the pause is 2^40 s; the captured times saturate, the wait is 5 s."""
    broker = hostile("polite")
    frames = session(0, 50000, "h1")
    stamps = [1, 1, 1, 1, 1, 1, 1, 2 ** 40, 2 ** 40, 2 ** 40, 2 ** 40, 2 ** 40, 2 ** 40]
    assert len(frames) == len(stamps)
    path = tmp_path / "centuries.pcapng"
    path.write_bytes(pcapng_bytes([(t, f) for t, (_, f) in zip(stamps, frames)], tsresol=0))
    r, took = replay(mqtk, [path, "--broker", broker.address], timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "pauses cut to 5 s" in r.stdout.splitlines()[0]
    assert "mqtk replay: notice: the capture pauses more than 292 years before frame 8 (#0); waiting 5.000 s " \
           "instead (--max-gap)" in r.stderr
    assert 5 <= took < 30


def test_damaged_capture_is_reported_as_pcap_reports_it(mqtk, hostile, tmp_path, repo_root):
    broker = hostile("polite")
    data = pcap_bytes(session(1_700_000_000_000_000, 50000, "h1"))
    path = tmp_path / "damaged.pcap"
    path.write_bytes(data[:-20])  # the last record (the client's final ACK) is cut short
    p = subprocess.run([mqtk, "pcap", str(path)], capture_output=True, text=True, timeout=60)
    assert p.returncode == 1
    damage = p.stderr.strip().removeprefix("mqtk pcap: error: ")
    assert damage.startswith("capture damaged after frame 12: ")
    r, _ = replay(mqtk, [path, "--broker", broker.address, "--fast"])
    assert r.returncode == 1, r.stdout + r.stderr
    assert r.stderr.strip().splitlines()[-1] == f"mqtk replay: error: {damage}"
    assert "; 0 divergences;" in r.stdout.splitlines()[-1]  # what came before the damage replays cleanly
    r, _ = replay(mqtk, [path, "--broker", broker.address, "--fast", "--json"])
    assert r.returncode == 1
    events, summary = json_lines(r)
    assert events == [] and summary["damaged"] == damage and summary["matched"] == 3


def test_own_resource_error_is_mqtks_not_the_brokers(mqtk, hostile, tmp_path):
    """Two sessions open at once, and room for one socket only: the second connection fails with
    EMFILE. That is mqtk's limit (exit 2, strerror), not a divergence of the broker."""
    broker = hostile("polite")
    a = session(1_700_000_000_000_000, 50000, "ha", pause_us=50_000)
    b = session(1_700_000_000_010_000, 50001, "hb")
    path = tmp_path / "two.pcap"
    path.write_bytes(pcap_bytes(sorted(a + b, key=lambda f: f[0])))
    ok, _ = replay(mqtk, [path, "--broker", broker.address, "--json"])
    assert ok.returncode == 0, ok.stdout + ok.stderr

    def one_socket_only():  # descriptors 0-2 and one more
        resource.setrlimit(resource.RLIMIT_NOFILE, (4, 4))
    r, _ = replay(mqtk, [path, "--broker", broker.address], preexec_fn=one_socket_only)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "DIVERGENCE" not in r.stdout
    assert "mqtk replay: error: session #1: cannot open a connection (socket): Too many open files" in r.stderr


def test_max_gap_usage_errors(mqtk, one_session):
    for bad in ("0", "-1", "x", "inf"):
        r, _ = replay(mqtk, [one_session, "--broker", "127.0.0.1:1", "--max-gap", bad])
        assert r.returncode == 2 and "--max-gap needs seconds > 0" in r.stderr, bad
    r, _ = replay(mqtk, ["--help"])
    assert "--max-gap SECONDS" in r.stdout and "flood" in r.stdout
