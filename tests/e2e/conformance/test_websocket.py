"""MQTT over WebSocket (issue 12): `mqtk run --transport ws` against the embedded peer (mosquitto behind
the Python standard-library bridge) gives the same verdicts as over TCP, test by test, and runs the
section 6 tests; hostile WebSocket servers end in bounded time with the error named; aedes behind npm's
ws package is a second, independent WebSocket broker."""
import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import time

import pytest

import hostile_ws

ROOT = pathlib.Path(__file__).resolve().parents[3]
HAVE_MOSQUITTO = bool(shutil.which("mosquitto")) or pathlib.Path("/usr/sbin/mosquitto").exists()
PEERS = ROOT / "scripts" / "peers"
NODE = shutil.which("node")


def run(mqtk, *args, timeout=300):
    t0 = time.monotonic()
    r = subprocess.run([mqtk, "run", *args], capture_output=True, text=True, timeout=timeout)
    return r, time.monotonic() - t0


def verdicts(path):
    report = json.loads(pathlib.Path(path).read_text())
    return {t["id"]: t["verdict"] for t in report["tests"]}, report


@pytest.fixture(scope="module")
def tcp_and_ws(mqtk, tmp_path_factory):
    """The whole suite (3.1, 3.1.1, 5.0) over TCP, over WebSocket, and over WebSocket with every packet
    cut into 1-byte frames, one after the other."""
    if not HAVE_MOSQUITTO:
        pytest.skip("mosquitto is not installed")
    d = tmp_path_factory.mktemp("runs")
    out = {}
    for name, args in (("tcp", ["--transport", "tcp"]), ("ws", ["--transport", "ws"]),
                       ("ws1", ["--transport", "ws", "--ws-frame", "1"])):
        r, secs = run(mqtk, "--protocol", "all", *args, "--json", str(d / f"{name}.json"))
        assert r.returncode == 0, f"{name}: exit {r.returncode}\n{r.stdout[-3000:]}\n{r.stderr[-2000:]}"
        out[name] = verdicts(d / f"{name}.json") + (secs,)
    return out


def test_ws_verdicts_equal_tcp_verdicts(tcp_and_ws):
    tcp, _, _ = tcp_and_ws["tcp"]
    ws, _, _ = tcp_and_ws["ws"]
    assert tcp.keys() == ws.keys()
    section6 = {t for t in tcp if "/websocket/" in t}
    assert len(section6) == 12
    differ = {t: (tcp[t], ws[t]) for t in tcp if t not in section6 and tcp[t] != ws[t]}
    # expected-fail deviations of mosquitto whose verdict depends on timing under load are the same
    # tests over either transport; any other difference is a transport bug
    assert differ == {}, differ


def test_one_byte_frames_give_the_same_verdicts(tcp_and_ws):
    """Every packet of every test split into 1-byte frames: the peer reassembles them [MQTT-6.0.0-2]."""
    ws, _, _ = tcp_and_ws["ws"]
    ws1, _, _ = tcp_and_ws["ws1"]
    assert ws1 == ws, {t: (ws[t], ws1[t]) for t in ws if ws[t] != ws1.get(t)}


def test_section6_tests_run_over_ws_and_skip_over_tcp(tcp_and_ws):
    tcp, tcp_report, _ = tcp_and_ws["tcp"]
    ws, _, _ = tcp_and_ws["ws"]
    for t in (t for t in tcp if "/websocket/" in t):
        assert tcp[t] == "skip", t
        assert ws[t] == "pass", t
    skipped = [x for x in tcp_report["tests"] if "/websocket/" in x["id"]]
    assert all("not over WebSocket" in x.get("message", "") for x in skipped), skipped[0]


def test_ws_report_names_the_transport(tcp_and_ws):
    _, report, _ = tcp_and_ws["ws"]
    text = json.dumps(report)
    assert "ws://127.0.0.1:" in text


def test_subprotocol_offered_per_protocol_version(tcp_and_ws):
    """3.1 connections offer "mqttv3.1", 3.1.1 and 5.0 ones "mqtt" (the transcripts name what was agreed;
    the cleanup after a test connects with 3.1.1)."""
    _, report, _ = tcp_and_ws["ws"]
    seen = set()
    for t in report["tests"]:
        opened = [line for line in t["transcript"].splitlines()
                  if "connection opened (WebSocket" in line and " cleanup: " not in line]
        seen.add(t["protocol"]) if opened else None
        want = "subprotocol mqttv3.1 " if t["protocol"] == "3.1" else "subprotocol mqtt "
        assert all(want in line for line in opened), (t["id"], opened[:1])
    assert seen == {"3.1", "3.1.1", "5.0"}


def test_bridge_ends_when_mqtk_is_killed(mqtk):
    """SIGKILL leaves no handler to stop the embedded peer: the kernel's parent-death signal ends the
    bridge (prctl in the child)."""
    if not HAVE_MOSQUITTO:
        pytest.skip("mosquitto is not installed")
    p = subprocess.Popen([mqtk, "run", "--transport", "ws", "--protocol", "all"], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    bridge = broker = None
    deadline = time.monotonic() + 10
    while (bridge is None or broker is None) and time.monotonic() < deadline:
        for pid in os.listdir("/proc"):
            try:
                with open(f"/proc/{pid}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    cmd = f.read()
            except (OSError, ValueError, IndexError):
                continue
            if ppid == p.pid and b"ws_bridge.py" in cmd:
                bridge = int(pid)
            elif ppid == p.pid and b"mosquitto.conf" in cmd:
                broker = (int(pid), pathlib.Path(cmd.split(b"\0")[2].decode()).parent)
        time.sleep(0.05)
    p.kill()
    p.wait()
    if broker:  # mosquitto dropped root and with it the parent-death signal: stop it here
        os.kill(broker[0], signal.SIGTERM)
        shutil.rmtree(broker[1], ignore_errors=True)
    assert bridge, "the bridge did not start"
    deadline = time.monotonic() + 10
    while os.path.exists(f"/proc/{bridge}") and time.monotonic() < deadline:
        try:
            os.waitpid(bridge, os.WNOHANG)  # not our child: only /proc tells
        except ChildProcessError:
            pass
        time.sleep(0.05)
    assert not os.path.exists(f"/proc/{bridge}"), "the bridge outlived mqtk"


# ---- hostile WebSocket servers: each ends in bounded time, exit 2 (setup) or 1 (a finding), named ----

HOSTILE = [
    (hostile_ws.bad_accept, 2, "http_accept"),
    (hostile_ws.wrong_subprotocol, 2, "http_protocol_not_offered"),
    (hostile_ws.no_subprotocol, 2, "mqtt_subprotocol"),
    (hostile_ws.not_found, 2, "HTTP status 404"),
    (hostile_ws.silent_before_upgrade, 2, "no answer to the Upgrade request"),
    (hostile_ws.silent_after_upgrade, 1, "no answer to a 3.1.1 CONNECT"),
    (hostile_ws.text_frame, 1, "mqtt_not_binary"),
    (hostile_ws.oversize_frame, 1, "frame_too_large"),
    (hostile_ws.close_mid_packet, 1, "closed"),
    (hostile_ws.eof_mid_frame, 1, "in the middle of a WebSocket frame"),
]


@pytest.mark.parametrize("behaviour,code,named", HOSTILE, ids=[h[0].__name__ for h in HOSTILE])
def test_hostile_ws_server_ends_bounded_and_named(mqtk, behaviour, code, named):
    with hostile_ws.HostileWs(behaviour) as url:
        r, secs = run(mqtk, "--broker", url, "--protocol", "3.1.1", "--filter", "connect/accept-valid-connect",
                      "--timeout", "1000", timeout=60)
    out = r.stdout + r.stderr
    assert r.returncode == code, out
    assert named in out, out
    assert secs < 15, f"{secs:.1f} s\n{out}"
    assert "Traceback" not in out and "runtime error" not in out and "AddressSanitizer" not in out


def test_pings_are_answered_with_their_payload(mqtk):
    """A server that withholds every CONNACK until the client's pong echoes its ping: the run passes."""
    with hostile_ws.HostileWs(hostile_ws.pong_required) as url:
        r, secs = run(mqtk, "--broker", url, "--protocol", "3.1.1", "--filter", "connect/accept-valid-connect",
                      "--timeout", "1000", timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "1 passed" in r.stdout and secs < 15


@pytest.mark.parametrize("size", [1, 3])
def test_ws_frame_cuts_every_packet(mqtk, size):
    """--ws-frame N: a server refusing frames over N bytes is passed only when every packet is cut."""
    with hostile_ws.HostileWs(hostile_ws.small_frames_only(size)) as url:
        ok, _ = run(mqtk, "--broker", url, "--ws-frame", str(size), "--filter", "connect/accept-valid-connect",
                    "--timeout", "1000", timeout=60)
        whole, _ = run(mqtk, "--broker", url, "--filter", "connect/accept-valid-connect", "--timeout", "1000",
                       timeout=60)
    assert ok.returncode == 0 and "1 passed" in ok.stdout, ok.stdout + ok.stderr
    assert whole.returncode == 1, whole.stdout + whole.stderr
    assert "code 1009" in whole.stdout, whole.stdout


# ---- aedes: a second WebSocket broker, independent of our framing and of the bridge ----

@pytest.fixture(scope="module")
def aedes():
    if not NODE or not (PEERS / "node_modules" / "aedes").is_dir():
        pytest.skip("aedes is not installed (scripts/setup.sh installs it into scripts/peers with npm)")
    p = subprocess.Popen([NODE, str(PEERS / "aedes.mjs"), "0"], stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    assert line.startswith("aedes listening on "), line
    yield f"ws://127.0.0.1:{int(line.split()[-1])}/mqtt"
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(5)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


def test_aedes_passes_the_section6_tests(mqtk, aedes, tmp_path):
    # aedes 1.2 speaks 3.1 and 3.1.1, not 5.0
    r, _ = run(mqtk, "--broker", aedes, "--protocol", "3.1.1", "--filter", "websocket", "--json",
               str(tmp_path / "a.json"), timeout=120)
    v, _ = verdicts(tmp_path / "a.json")
    assert len(v) == 6 and all(x == "pass" for x in v.values()), (v, r.stdout[-3000:])
    assert r.returncode == 0, r.stdout + r.stderr
