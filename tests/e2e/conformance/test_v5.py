"""End-to-end tests of the MQTT 5.0 additions: `mqtk probe`, `--protocol all` with its reports side
by side, the 5.0 suite against the embedded mosquitto, timing verdicts (pass / inconclusive / fail
around a tolerance window) and deviation typo detection."""
import json
import pathlib
import shutil
import socket
import subprocess
import time
import xml.etree.ElementTree as ET

import pytest

import hostile

# A 5.0 CONNACK announcing Maximum QoS 1, Retain Available 0, Topic Alias Maximum 5, Receive
# Maximum 7, Maximum Packet Size 1024 and Shared Subscription Available 0.
CONNACK_V5 = bytes([0x20, 0x14, 0x00, 0x00, 0x11,
                    0x24, 0x01, 0x25, 0x00, 0x22, 0x00, 0x05, 0x21, 0x00, 0x07,
                    0x27, 0x00, 0x00, 0x04, 0x00, 0x2a, 0x00])


def announcing_broker(sock):
    """Answers every CONNECT with CONNACK_V5, PINGREQ with PINGRESP, until the client leaves."""
    sock.settimeout(10.0)
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                return
            if data[0] >> 4 == 1:
                sock.sendall(CONNACK_V5)
            elif data[0] == 0xc0:
                sock.sendall(b"\xd0\x00")
    except OSError:
        pass


def closes_after(delay):
    """A 5.0 broker that accepts the CONNECT and closes the connection delay seconds later."""
    def behaviour(sock):
        sock.settimeout(5.0)
        try:
            if sock.recv(65536)[:1] == b"\x10":
                sock.sendall(b"\x20\x03\x00\x00\x00")
                time.sleep(delay)  # the delay is the behaviour under test: when the close comes
        except OSError:
            pass
        sock.close()
    behaviour.__name__ = f"closes_after_{delay}"
    return behaviour


def run(mqtk, *args, timeout=120):
    start = time.monotonic()
    proc = subprocess.run([mqtk, *args], capture_output=True, text=True, timeout=timeout)
    return proc, time.monotonic() - start


def have_mosquitto():
    return shutil.which("mosquitto") or pathlib.Path("/usr/sbin/mosquitto").exists()


def test_probe_prints_announced_capabilities(mqtk):
    with hostile.HostileBroker(announcing_broker) as address:
        text, _ = run(mqtk, "probe", "--broker", address)
        js, _ = run(mqtk, "probe", "--broker", address, "--json")
    assert text.returncode == 0, text.stderr
    caps = next(l for l in text.stdout.splitlines() if l.startswith("capabilities ")).split()[1:]
    assert "qos1" in caps and "qos2" not in caps and "max-qos-below-2" in caps
    assert "retain" not in caps and "retain-unavailable" in caps
    assert "shared-subs" not in caps and "topic-alias" in caps and "subscription-ids" in caps
    assert js.returncode == 0, js.stderr
    profile = json.loads(js.stdout)
    assert profile["maximum_qos"] == 1 and profile["retain_available"] is False
    assert profile["topic_alias_maximum"] == 5 and profile["receive_maximum"] == 7
    assert profile["maximum_packet_size"] == 1024 and profile["server_keep_alive"] is None
    assert profile["shared_subscription_available"] is False
    assert profile["wildcard_subscription_available"] is True


def test_probe_errors(mqtk):
    proc, _ = run(mqtk, "probe")
    assert proc.returncode == 2 and "--broker" in proc.stderr
    proc, elapsed = run(mqtk, "probe", "--broker", f"127.0.0.1:{hostile.closed_port()}", "--timeout", "500")
    assert proc.returncode == 2 and "unreachable" in proc.stderr and elapsed < 10
    with hostile.HostileBroker(hostile.wrong_connack) as address:
        proc, _ = run(mqtk, "probe", "--broker", address, "--timeout", "500")
    assert proc.returncode == 2 and "5.0" in proc.stderr
    proc, _ = run(mqtk, "probe", "--help")
    assert proc.returncode == 0 and "exit status" in proc.stdout


@pytest.fixture(scope="module")
def all_run(mqtk, tmp_path_factory):
    if not have_mosquitto():
        pytest.skip("mosquitto is not installed")
    out = tmp_path_factory.mktemp("all")
    proc, elapsed = run(mqtk, "run", "--protocol", "all", "--json", str(out / "r.json"), "--junit",
                        str(out / "r.xml"), "--report", str(out / "r.md"), timeout=180)
    return proc, elapsed, out


def test_all_protocols_pass_against_mosquitto(all_run):
    proc, elapsed, _ = all_run
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "FAIL " not in proc.stdout
    for version in ("MQTT 3.1 ", "MQTT 3.1.1 ", "MQTT 5.0 "):
        assert any(l.strip().startswith(version) for l in proc.stdout.splitlines()), proc.stdout
    print(f"3.1 + 3.1.1 + 5.0 against embedded mosquitto: {elapsed:.2f} s wall")


def test_all_reports_side_by_side(all_run):
    _, _, out = all_run
    report = json.loads((out / "r.json").read_text())
    protocols = {p["protocol"]: p for p in report["protocols"]}
    assert set(protocols) == {"3.1", "3.1.1", "5.0"}
    assert sum(p["total"] for p in protocols.values()) == report["summary"]["total"]
    assert all(p["fail"] == 0 for p in protocols.values())
    assert protocols["5.0"]["total"] >= 150 and protocols["3.1"]["pass"] >= 5
    suites = {s.get("name"): s for s in ET.parse(out / "r.xml").getroot().iter("testsuite")}
    assert set(suites) == {"MQTT 3.1", "MQTT 3.1.1", "MQTT 5.0"}
    for name, p in protocols.items():
        assert int(suites[f"MQTT {name}"].get("tests")) == p["total"]
    md = (out / "r.md").read_text()
    assert "| | MQTT 3.1 | MQTT 3.1.1 | MQTT 5.0 |" in md
    assert f"| Tests | {protocols['3.1']['total']} | {protocols['3.1.1']['total']} | {protocols['5.0']['total']} |" in md
    v5 = [s for s in report["statements"] if s["protocol"] == "5.0"]
    assert len(v5) == 251
    covered = [s for s in v5 if s["status"] not in ("not yet tested", "not testable")]
    assert len(covered) >= 200
    # every server-side statement a client can observe is cited by some test
    # MQTT-3.14.4-1 (nothing after the server's DISCONNECT) has no test yet: no step can tell
    assert {s["id"] for s in v5 if s["status"] == "not yet tested"} <= {"MQTT-3.14.4-1"}
    for t in report["tests"]:
        if t["verdict"] == "expected-fail":
            assert t["deviation"] and t["message"]


def make_v5_suite(tmp_path, repo_root, script, profile=None):
    suite = tmp_path / "suite"
    (suite / "v5.0").mkdir(parents=True)
    shutil.copytree(repo_root / "suite" / "statements", suite / "statements")
    (suite / "profiles").mkdir()
    (suite / "v5.0" / "timing.mqtt").write_text(script)
    if profile is not None:
        (suite / "profiles" / "p.profile").write_text(profile)
    return suite


TIMED = ("test close-in-time\n  statements MQTT-3.1.2-22\n  open c\n  send c CONNECT\n"
         "  expect c CONNACK rc=0\n  expect c closed within=400 grace=700 [MQTT-3.1.2-22]\nend\n")


@pytest.mark.parametrize("delay,verdict,status", [(0.05, "pass", 0), (0.75, "inconclusive", 1), (1.6, "fail", 1)])
def test_timing_verdicts(mqtk, tmp_path, repo_root, delay, verdict, status):
    suite = make_v5_suite(tmp_path, repo_root, TIMED)
    with hostile.HostileBroker(closes_after(delay)) as address:
        proc, _ = run(mqtk, "run", "--protocol", "5", "--suite", str(suite), "--broker", address,
                      "--json", str(tmp_path / "r.json"), "--settle", "100", timeout=60)
    assert proc.returncode == status, proc.stderr
    test = json.loads((tmp_path / "r.json").read_text())["tests"][0]
    assert test["verdict"] == verdict, test
    if verdict == "inconclusive":
        assert "timing too close to call" in test["message"] and "tolerance" in test["message"]


def test_deviation_for_unknown_test_is_an_error(mqtk, tmp_path, repo_root):
    suite = make_v5_suite(tmp_path, repo_root, TIMED,
                          "broker x\ndeviation 5.0/timing/close-in-tme MQTT-3.1.2-22 typo\n"
                          "deviation 3.1.1/other/test MQTT-3.1.2-22 another protocol: not checked\n")
    proc, _ = run(mqtk, "run", "--protocol", "5", "--suite", str(suite), "--profile",
                  str(suite / "profiles" / "p.profile"), "--broker", f"127.0.0.1:{hostile.closed_port()}")
    assert proc.returncode == 2
    assert "p.profile:2: deviation names test 5.0/timing/close-in-tme, which does not exist" in proc.stderr


def test_deviation_statement_must_be_an_id(mqtk, tmp_path, repo_root):
    """A deviation's statement may be one the test does not cite (one a broker's packet broke), but it
    must be a statement ID."""
    suite = make_v5_suite(tmp_path, repo_root, TIMED, "broker x\ndeviation 5.0/timing/close-in-time dup-flag typo\n")
    proc, _ = run(mqtk, "run", "--protocol", "5", "--suite", str(suite), "--profile",
                  str(suite / "profiles" / "p.profile"), "--broker", f"127.0.0.1:{hostile.closed_port()}")
    assert proc.returncode == 2
    assert "p.profile:2: deviation of test 5.0/timing/close-in-time: 'dup-flag' is not a statement ID" in proc.stderr
    assert "p.profile:3" not in proc.stderr


def test_profile_values_become_variables(mqtk, tmp_path, repo_root):
    script = ("test uses-profile\n  statements MQTT-3.1.3-8\n  needs refused-client-id\n  open c\n"
              "  send c CONNECT id=$profile.refused_client_id\n  expect c CONNACK rc=0 [MQTT-3.1.3-8]\nend\n")
    suite = make_v5_suite(tmp_path, repo_root, script, "broker x\nrefused-client-id nobody42\n")
    with hostile.HostileBroker(announcing_broker) as address:
        proc, _ = run(mqtk, "run", "--protocol", "5", "--suite", str(suite), "--broker", address, "--profile",
                      str(suite / "profiles" / "p.profile"), "--json", str(tmp_path / "r.json"))
    assert proc.returncode == 0, proc.stderr
    test = json.loads((tmp_path / "r.json").read_text())["tests"][0]
    assert test["verdict"] == "pass"
    assert "nobody42".encode().hex(" ") in test["transcript"]
