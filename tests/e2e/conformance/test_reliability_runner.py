"""Issue 14, items 4, 6, 7, 8 and 9 for `mqtk run` and `mqtk probe`: suite files read safely, no
embedded broker or temporary directory left behind by a signal, partial reports of an interrupted
run, report write errors, one strict broker address parser, and a TMPDIR that cannot inject
mosquitto directives.

The embedded "mosquitto" is a stand-in (MQTK_MOSQUITTO) where the real one would make the test slow
or racy: a small script that listens on the configured loopback port, answers every CONNECT with a
CONNACK and then stays silent, so that a run waits as long as --timeout allows."""
import json
import os
import pathlib
import shutil
import signal
import socket
import socketserver
import stat
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET

import pytest

import hostile

ROOT = pathlib.Path(__file__).resolve().parents[3]
SUITE = ROOT / "suite"
HAVE_MOSQUITTO = bool(shutil.which("mosquitto")) or pathlib.Path("/usr/sbin/mosquitto").exists()

FAKE_BROKER = """#!%s
import os, socket, sys, threading
conf = sys.argv[sys.argv.index("-c") + 1]
port = next(int(l.split()[1]) for l in open(conf) if l.startswith("listener "))
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(64)
with open(os.environ["FAKE_PIDFILE"] + ".tmp", "w") as f:
    f.write(str(os.getpid()))
os.rename(os.environ["FAKE_PIDFILE"] + ".tmp", os.environ["FAKE_PIDFILE"])

def serve(c):
    first = True
    try:
        while True:
            chunk = c.recv(4096)
            if not chunk:
                return
            if first and chunk[0] == 0x10:
                level = chunk[8] if len(chunk) > 8 else 4
                c.sendall(b"\\x20\\x03\\x00\\x00\\x00" if level == 5 else b"\\x20\\x02\\x00\\x00")
                with open(os.environ["FAKE_PIDFILE"] + ".connects", "a") as f:
                    f.write("c")  # one byte per CONNECT answered
            first = False
    except OSError:
        pass

while True:
    c, _ = srv.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
""" % sys.executable

FAILING_BROKER = """#!/bin/sh
echo "Error: this stand-in refuses to start (configuration line 7)" >&2
exit 3
"""


def mqtk_run(mqtk, *args, env=None, timeout=60):
    return subprocess.run([mqtk, "run", *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is gone for our purpose; a reaped pid raises above
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1][0] != "Z"
    except OSError:
        return False


@pytest.fixture
def suite_copy(tmp_path):
    dst = tmp_path / "suite"
    for part in ("v3.1", "v3.1.1", "v5.0", "statements", "profiles"):
        shutil.copytree(SUITE / part, dst / part)
    return dst


def list_tests(mqtk, suite, protocol="3.1"):
    return mqtk_run(mqtk, "--suite", str(suite), "--protocol", protocol, "--list", timeout=20)


# --- item 4: suites read safely ------------------------------------------------------------------

def test_fifo_named_mqtt_is_refused_not_read_forever(mqtk, suite_copy):
    fifo = suite_copy / "v3.1" / "fifo.mqtt"
    os.mkfifo(fifo)
    start = time.monotonic()
    proc = list_tests(mqtk, suite_copy)
    assert time.monotonic() - start < 10
    assert proc.returncode == 2
    assert f"{fifo}: not a regular file" in proc.stderr


def test_device_and_directory_named_mqtt_are_refused(mqtk, suite_copy):
    (suite_copy / "v3.1" / "zero.mqtt").symlink_to("/dev/zero")
    (suite_copy / "v3.1" / "dir.mqtt").mkdir()
    proc = list_tests(mqtk, suite_copy)
    assert proc.returncode == 2
    assert "zero.mqtt: not a regular file" in proc.stderr
    assert "dir.mqtt: not a regular file" in proc.stderr


def test_suite_file_size_limit(mqtk, suite_copy):
    big = suite_copy / "v3.1" / "big.mqtt"
    big.write_bytes(b"# padding\n" * ((5 << 20) // 10 + 1))
    proc = list_tests(mqtk, suite_copy)
    assert proc.returncode == 2
    assert f"{big}: " in proc.stderr and "more than the limit of 4194304 bytes (4 MiB) per file" in proc.stderr


def test_cr_only_line_endings_are_refused_with_file_and_line(mqtk, suite_copy):
    script = suite_copy / "v3.1" / "basic.mqtt"
    text = script.read_bytes()
    assert b"\r" not in text
    lines = text.split(b"\n")
    # LF for the first three lines, then bare CR: the error names line 4
    script.write_bytes(b"\n".join(lines[:3]) + b"\n" + b"\r".join(lines[3:]))
    proc = list_tests(mqtk, suite_copy)
    assert proc.returncode == 2
    assert f"{script}:4: a carriage return (CR) not followed by a line feed" in proc.stderr


def test_crlf_line_endings_read_like_lf(mqtk, suite_copy):
    before = list_tests(mqtk, suite_copy)
    for script in (suite_copy / "v3.1").glob("*.mqtt"):
        script.write_bytes(script.read_bytes().replace(b"\n", b"\r\n"))
    after = list_tests(mqtk, suite_copy)
    assert (after.returncode, after.stdout) == (before.returncode, before.stdout)


def test_nul_byte_in_a_profile_is_refused(mqtk, suite_copy, tmp_path):
    profile = tmp_path / "p.profile"
    profile.write_bytes(b"capabilities qos1\n\0more\n")
    proc = mqtk_run(mqtk, "--suite", str(suite_copy), "--profile", str(profile), "--list")
    assert proc.returncode == 2
    assert f"{profile}:2: a NUL byte" in proc.stderr


# --- item 8: addresses and options ---------------------------------------------------------------

BAD_ADDRESSES = ["127.0.0.1:65536", "127.0.0.1:70000", "127.0.0.1:131955", "127.0.0.1:", "127.0.0.1:+1883",
                 "127.0.0.1: 1883", "127.0.0.1:0", "127.0.0.1:-1", "127.0.0.1:1883x", "127.0.0.1:0x10",
                 ":1883", "::1:1883", "[::1]", "[::1]:", "[::1]1883", "127.0.0.1", "a b:1883", "[]:1883"]


@pytest.mark.parametrize("address", BAD_ADDRESSES)
@pytest.mark.parametrize("command", ["run", "probe", "replay"])
def test_strict_broker_address(mqtk, command, address):
    args = [command, "--broker", address]
    if command == "replay":
        args.append(str(ROOT / "tests" / "data" / "pcaps" / "real" / "paho-v311-v5.pcapng"))
    start = time.monotonic()
    proc = subprocess.run([mqtk, *args], capture_output=True, text=True, timeout=30,
                          env={**os.environ, "MQTK_MOSQUITTO": "/nonexistent"})
    assert proc.returncode == 2, proc.stderr
    assert f"mqtk {command}: --broker: '{address}'" in proc.stderr
    assert "unreachable" not in proc.stderr  # refused before any connection
    assert time.monotonic() - start < 5


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("form", ["split", "equals"])
def test_probe_takes_both_option_forms(mqtk, form):
    port = closed_port()
    opts = {"--broker": f"127.0.0.1:{port}", "--timeout": "200", "--username": "u", "--password": "p"}
    args = [a for k, v in opts.items() for a in ((k, v) if form == "split" else (f"{k}={v}",))]
    proc = subprocess.run([mqtk, "probe", *args, "--json"], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert f"broker unreachable at 127.0.0.1:{port}" in proc.stderr


def test_probe_accepts_bracketed_ipv6(mqtk):
    proc = subprocess.run([mqtk, "probe", "--broker=[::1]:1", "--timeout=100"], capture_output=True, text=True,
                          timeout=30)
    assert proc.returncode == 2 and "broker unreachable at [::1]:1" in proc.stderr


@pytest.mark.parametrize("args, message", [
    (["--json=yes"], "takes no value"),
    (["--timeout", "+100", "--broker", "127.0.0.1:1"], "--timeout needs milliseconds"),
    (["--timeout= 100", "--broker", "127.0.0.1:1"], "--timeout needs milliseconds"),
    (["--broker", "127.0.0.1:1", "extra"], "unexpected argument 'extra'"),
    (["--password", "p", "--broker", "127.0.0.1:1"], "--password needs --username"),
    ([], "--broker HOST:PORT is required"),
])
def test_probe_usage_errors(mqtk, args, message):
    proc = subprocess.run([mqtk, "probe", *args], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert message in proc.stderr and proc.stdout == ""


def test_run_takes_both_option_forms(mqtk):
    opts = [("--protocol", "5"), ("--filter", "connect"), ("--jobs", "2"), ("--timeout", "500"),
            ("--settle", "0"), ("--username", "u"), ("--password", "p"), ("--suite", str(SUITE))]
    split = mqtk_run(mqtk, *[a for kv in opts for a in kv], "--list")
    equals = mqtk_run(mqtk, *[f"{k}={v}" for k, v in opts], "--list")
    assert split.returncode == equals.returncode == 0, split.stderr + equals.stderr
    assert split.stdout == equals.stdout and "connect" in split.stdout


@pytest.mark.parametrize("args", [["--jobs", "+2"], ["--jobs", " 2"], ["--timeout", "-5"], ["--settle=+1"],
                                  ["--list=1"], ["--verbose=yes"]])
def test_run_numbers_and_flags_strict(mqtk, args):
    proc = mqtk_run(mqtk, *args, "--list")
    assert proc.returncode == 2 and proc.stdout == ""


# --- item 6: signals -----------------------------------------------------------------------------

@pytest.fixture
def fake_broker(tmp_path):
    script = tmp_path / "fake-mosquitto"
    script.write_text(FAKE_BROKER)
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    pidfile = tmp_path / "broker.pid"
    env = {**os.environ, "MQTK_MOSQUITTO": str(script), "TMPDIR": str(tmpdir), "FAKE_PIDFILE": str(pidfile)}
    return env, tmpdir, pidfile


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT])
def test_signal_stops_embedded_broker_and_removes_its_directory(mqtk, fake_broker, sig):
    env, tmpdir, pidfile = fake_broker
    proc = subprocess.Popen([mqtk, "run", "--timeout", "60000", "--jobs", "2", "--filter", "3.1.1/"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        assert wait_for(pidfile.exists, proc, 20), proc.communicate(timeout=5)
        broker = int(pidfile.read_text())
        assert len(list(tmpdir.iterdir())) == 1  # mqtk-broker-XXXXXX
        # the run is under way: connected, and waiting for replies that never come
        assert wait_for(lambda: talking(pidfile), proc, 20), proc.communicate(timeout=5)
        assert proc.poll() is None, proc.communicate(timeout=5)
        start = time.monotonic()
        proc.send_signal(sig)  # to mqtk alone, not its process group: mqtk must pass it on
        proc.communicate(timeout=10)
        assert time.monotonic() - start < 5
        assert proc.returncode == -sig  # it died of the signal: a shell shows 128 + the number
        assert not alive(broker)
        assert list(tmpdir.iterdir()) == []
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_ignored_sighup_stays_ignored(mqtk, fake_broker):
    # nohup-style: SIGHUP ignored before the run must not become fatal
    env, tmpdir, pidfile = fake_broker

    def ignore_hup():
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    proc = subprocess.Popen([mqtk, "run", "--timeout", "60000", "--filter", "3.1.1/"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=ignore_hup)
    try:
        assert wait_for(lambda: talking(pidfile), proc, 20), proc.communicate(timeout=5)
        proc.send_signal(signal.SIGHUP)
        with pytest.raises(subprocess.TimeoutExpired):  # a fatal SIGHUP would end it at once
            proc.wait(timeout=0.5)
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=10)
        assert proc.returncode == -signal.SIGTERM
        assert list(tmpdir.iterdir()) == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.skipif(not HAVE_MOSQUITTO, reason="mosquitto is not installed")
def test_sigterm_stops_real_mosquitto(mqtk, tmp_path):
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    proc = subprocess.Popen([mqtk, "run", "--filter", "3.1.1/", "--jobs", "1"], env={**os.environ, "TMPDIR": str(tmpdir)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        conf, deadline = None, time.monotonic() + 20
        while conf is None and time.monotonic() < deadline and proc.poll() is None:
            confs = list(tmpdir.glob("mqtk-broker-*/mosquitto.conf"))
            conf = confs[0] if confs else None
            time.sleep(0.02)
        if conf is None:
            pytest.skip("the run ended before mosquitto was seen")
        broker = None
        while broker is None and time.monotonic() < deadline:
            for p in pathlib.Path("/proc").iterdir():
                if p.name.isdigit():
                    try:
                        if str(conf).encode() in (p / "cmdline").read_bytes():
                            broker = int(p.name)
                    except OSError:
                        pass
            time.sleep(0.02)
        if proc.poll() is not None:
            pytest.skip("the run ended before the signal")
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=10)
        assert proc.returncode in (-signal.SIGTERM, 0, 1)  # 0/1: it finished just before the signal
        if broker is not None:
            assert not alive(broker)
        assert list(tmpdir.iterdir()) == []
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# --- item 6: an interrupted run writes partial reports -------------------------------------------

VERDICT_LABELS = {"pass", "FAIL", "skip", "inconclusive", "expected-fail", "XPASS"}


def pump_lines(proc):
    """Read proc's standard output in a thread; returns the list it appends each line to."""
    lines = []

    def pump():
        for line in proc.stdout:
            lines.append(line)

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    return lines, thread


def wait_for(predicate, proc, seconds):
    deadline = time.monotonic() + seconds
    while not predicate() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    return predicate()


def talking(pidfile):
    """The fake broker has answered a CONNECT: the run is connected and waiting on it."""
    return pathlib.Path(str(pidfile) + ".connects").exists()


def pids_naming(directory):
    """Processes whose command line names a path under directory (the embedded broker's -c FILE)."""
    found = []
    for p in pathlib.Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                if str(directory).encode() in (p / "cmdline").read_bytes():
                    found.append(int(p.name))
            except OSError:
                pass
    return found


def selected_ids(mqtk, protocol):
    listing = mqtk_run(mqtk, "--suite", str(SUITE), "--protocol", protocol, "--list", timeout=20)
    assert listing.returncode == 0, listing.stderr
    return sorted(line.split()[0] for line in listing.stdout.splitlines())


def check_partial_reports(tmp_path, sig, selected, finished_before):
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["interrupted"] is True and report["signal"] == sig.name
    done = [t["id"] for t in report["tests"]]
    assert set(finished_before) <= set(done)  # every verdict printed before the signal is reported
    assert report["not_finished"], "the signal came mid-run: some tests cannot have finished"
    assert sorted(done + report["not_finished"]) == selected
    assert report["summary"]["total"] == len(done)
    junit = ET.parse(tmp_path / "r.xml").getroot()
    suites = {s.get("name"): s for s in junit.findall("testsuite")}
    assert int(junit.get("tests")) == len(selected)
    left = suites["interrupted"]
    assert int(left.get("skipped")) == len(report["not_finished"]) == len(left.findall("testcase"))
    assert {p.get("name"): p.get("value") for p in left.iter("property")}["signal"] == sig.name
    certificate = (tmp_path / "r.md").read_text()
    assert "This run was interrupted: the results are partial." in certificate
    assert f"interrupted by {sig.name}: {len(done)} of {len(selected)} selected tests finished" in certificate
    return report


@pytest.mark.skipif(not HAVE_MOSQUITTO, reason="mosquitto is not installed")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_interrupted_run_writes_partial_reports_and_leaves_nothing(mqtk, tmp_path, sig):
    selected = selected_ids(mqtk, "3.1.1")
    # the embedded mosquitto drops to its own user: its TMPDIR must be reachable (pytest's is not)
    tmpdir = pathlib.Path(tempfile.mkdtemp(prefix="mqtk-interrupt-"))
    tmpdir.chmod(0o777)
    proc = subprocess.Popen([mqtk, "run", "--suite", str(SUITE), "--protocol", "3.1.1", "--verbose", "--jobs", "2",
                             "--json", str(tmp_path / "r.json"), "--junit", str(tmp_path / "r.xml"),
                             "--report", str(tmp_path / "r.md")],
                            env={**os.environ, "TMPDIR": str(tmpdir)}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        lines, reader = pump_lines(proc)

        def verdicts():
            return [line.split()[1] for line in list(lines) if line.split()[:1] and line.split()[0] in VERDICT_LABELS]

        assert wait_for(lambda: len(verdicts()) >= 3, proc, 30), (lines, proc.poll())
        brokers = pids_naming(tmpdir)
        assert brokers, "the embedded mosquitto is running"
        finished_before = verdicts()
        proc.send_signal(sig)  # to mqtk alone: it winds down, reports, then stops mosquitto itself
        start = time.monotonic()
        proc.wait(timeout=30)
        stderr = proc.stderr.read()
        print(f"{sig.name}: exited {time.monotonic() - start:.2f} s after the signal")
        reader.join(timeout=10)
        assert proc.returncode == -sig, stderr  # died of the signal: a shell shows 128 + its number
        out = "".join(lines)
        assert "(INTERRUPTED)" in out and f"interrupted by {sig.name}: " in out
        check_partial_reports(tmp_path, sig, selected, finished_before)
        assert not [pid for pid in brokers if alive(pid)]
        assert list(tmpdir.iterdir()) == []
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        shutil.rmtree(tmpdir, ignore_errors=True)


def test_second_signal_ends_the_wind_down_at_once(mqtk, fake_broker, tmp_path):
    # the JSON report is a FIFO nobody reads: the interrupted run blocks writing it, after printing
    # its summary; a second signal must end it there, with the embedded broker stopped and removed
    env, tmpdir, pidfile = fake_broker
    fifo = tmp_path / "r.json"
    os.mkfifo(fifo)
    proc = subprocess.Popen([mqtk, "run", "--timeout", "60000", "--jobs", "2", "--filter", "3.1.1/", "--json", str(fifo)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        assert wait_for(pidfile.exists, proc, 20), proc.communicate(timeout=5)
        broker = int(pidfile.read_text())
        lines, reader = pump_lines(proc)
        assert wait_for(lambda: talking(pidfile), proc, 20)  # under way: waiting for replies that never come
        proc.send_signal(signal.SIGINT)
        assert wait_for(lambda: any("(INTERRUPTED)" in line for line in list(lines)), proc, 20), lines
        with pytest.raises(subprocess.TimeoutExpired):  # blocked opening the FIFO for the report
            proc.wait(timeout=0.3)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGTERM
        assert not alive(broker)
        assert list(tmpdir.iterdir()) == []
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def connack_then_silent(sock, answered=None):
    """Answers the first CONNECT with an accepting CONNACK (3.1.1 or 5.0 form), sets answered, then reads and
    says nothing."""
    sock.settimeout(30.0)
    try:
        data = sock.recv(65536)
        if data[:1] == b"\x10":
            level = data[8] if len(data) > 8 else 4
            sock.sendall(b"\x20\x03\x00\x00\x00" if level == 5 else b"\x20\x02\x00\x00")
            if answered:
                answered.set()
        while sock.recv(65536):
            pass
    except OSError:
        pass


def test_interrupted_run_against_a_given_broker_reports_too(mqtk, tmp_path):
    # no embedded broker: the run's own handler winds it down
    selected = selected_ids(mqtk, "3.1.1")
    answered = threading.Event()
    with hostile.HostileBroker(lambda sock: connack_then_silent(sock, answered)) as address:
        proc = subprocess.Popen([mqtk, "run", "--suite", str(SUITE), "--broker", address, "--timeout", "60000",
                                 "--json", str(tmp_path / "r.json"), "--junit", str(tmp_path / "r.xml"),
                                 "--report", str(tmp_path / "r.md")],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert wait_for(answered.is_set, proc, 20), proc.communicate(timeout=5)  # under way
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=30)
            assert proc.returncode == -signal.SIGINT, err
            assert "interrupted by SIGINT: " in out
            report = check_partial_reports(tmp_path, signal.SIGINT, selected, [])
            assert report["embedded_broker"] is False
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


# --- item 9: TMPDIR and the log of a failed start ------------------------------------------------

@pytest.mark.parametrize("bad", ["\nlog_dest stdout", "\rallow_anonymous false", "\tx"])
def test_tmpdir_with_control_characters_is_refused(mqtk, tmp_path, fake_broker, bad):
    env, _, _ = fake_broker
    tmpdir = str(tmp_path / "t") + bad
    os.makedirs(tmpdir)
    proc = mqtk_run(mqtk, "--filter", "3.1.1/", env={**env, "TMPDIR": tmpdir})
    assert proc.returncode == 2
    assert "TMPDIR holds a control character" in proc.stderr
    assert os.listdir(tmpdir) == []


def test_relative_tmpdir_is_refused(mqtk, fake_broker):
    env, _, _ = fake_broker
    proc = mqtk_run(mqtk, "--filter", "3.1.1/", env={**env, "TMPDIR": "relative/dir"})
    assert proc.returncode == 2 and "TMPDIR must be an absolute path" in proc.stderr


def test_failed_start_quotes_the_log_and_leaves_nothing(mqtk, tmp_path):
    script = tmp_path / "bad-mosquitto"
    script.write_text(FAILING_BROKER)
    script.chmod(0o755)
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    proc = mqtk_run(mqtk, "--filter", "3.1.1/", env={"MQTK_MOSQUITTO": str(script), "TMPDIR": str(tmpdir)})
    assert proc.returncode == 2
    assert "exited (status 3) without listening" in proc.stderr
    assert "the end of mosquitto.log:" in proc.stderr
    assert "this stand-in refuses to start (configuration line 7)" in proc.stderr
    assert "see " not in proc.stderr  # no pointer to a file that no longer exists
    assert list(tmpdir.iterdir()) == []


# --- item 7: report files ------------------------------------------------------------------------

@pytest.mark.skipif(not HAVE_MOSQUITTO, reason="mosquitto is not installed")
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_report_write_errors_are_exit_2_one_line_each(mqtk, tmp_path):
    proc = mqtk_run(mqtk, "--filter", "3.1.1/ping/pingreq", "--json", "/dev/full",
                    "--junit", str(tmp_path / "missing" / "r.xml"), "--report", str(tmp_path / "ok.md"))
    assert proc.returncode == 2, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("mqtk run: cannot write")]
    assert lines == ["mqtk run: cannot write /dev/full: No space left on device",
                     f"mqtk run: cannot write {tmp_path / 'missing' / 'r.xml'}: No such file or directory"]
    assert (tmp_path / "ok.md").stat().st_size > 0


# --- item 10: a wrong packet is told apart from a timeout ----------------------------------------

def answers_subscribe_with(reply):
    """A broker accepting every CONNECT that answers every SUBSCRIBE with reply(packet id)."""
    def behaviour(sock):
        sock.settimeout(30.0)
        buf = b""
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    return
                buf += chunk
                while len(buf) >= 2 and len(buf) >= 2 + buf[1]:  # the packets here are under 128 bytes
                    packet, buf = buf[:2 + buf[1]], buf[2 + buf[1]:]
                    if packet[0] == 0x10:
                        sock.sendall(b"\x20\x02\x00\x00")
                    elif packet[0] == 0x82:
                        sock.sendall(reply(packet[2:4]))
                    elif packet[0] == 0xC0:
                        sock.sendall(b"\xd0\x00")
        except OSError:
            pass
    return behaviour


WRONG_ANSWER = """test t
  statements MQTT-3.8.4-1
  connect c
  send c SUBSCRIBE pid=7 filter=$topic/a qos=1
  expect c SUBACK pid=7 codes=01 [MQTT-3.8.4-1]
end
"""


@pytest.mark.parametrize("reply, names", [
    (lambda pid: b"\x40\x02" + pid, "unexpected packets waiting: PUBACK"),  # another type
    (lambda pid: b"\x90\x03" + pid + b"\x80", "got SUBACK"),                # the type, other content
], ids=["puback-instead", "refusal-instead"])
def test_wrong_packet_is_named_not_called_a_timeout(mqtk, tmp_path, reply, names):
    suite = tmp_path / "suite"
    shutil.copytree(SUITE / "statements", suite / "statements")
    (suite / "v3.1.1").mkdir(parents=True)
    (suite / "profiles").mkdir()
    (suite / "v3.1.1" / "t.mqtt").write_text(WRONG_ANSWER)
    with hostile.HostileBroker(answers_subscribe_with(reply)) as address:
        proc = mqtk_run(mqtk, "--suite", str(suite), "--broker", address, "--timeout", "300",
                        "--json", str(tmp_path / "r.json"))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    test = json.loads((tmp_path / "r.json").read_text())["tests"][0]
    assert test["verdict"] == "fail" and test["failed_line"] == 5
    assert names in test["message"] and "timed out" not in test["message"], test["message"]
    assert "timed out" not in proc.stdout


# --- item 2: a broker that vanishes after the run's setup ----------------------------------------

class VanishingBroker:
    """Accepts the run's own setup connections (reachability, version probe, discovery: client ids
    PREFIX + v / probe / d4...), then goes away at the first CONNECT of a test: its listener is closed,
    so every test after that finds no broker."""

    def __enter__(self):
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                sock = self.request
                sock.settimeout(10)
                try:
                    data = sock.recv(65536)
                    if data[:1] != b"\x10":
                        return
                    n = data[12] * 256 + data[13]  # 3.1.1 CONNECT: the client id follows 10 header bytes
                    if not data[14:14 + n].decode()[5:].startswith(("v", "probe", "d4")):
                        threading.Thread(target=outer.vanish, daemon=True).start()
                        return
                    sock.sendall(b"\x20\x02\x00\x00")
                    while sock.recv(65536):
                        pass
                except (OSError, IndexError, UnicodeDecodeError):
                    pass

        self.server = hostile.Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"127.0.0.1:{self.server.server_address[1]}"

    def vanish(self):
        self.server.shutdown()
        self.server.server_close()

    def __exit__(self, *exc):
        self.vanish()


def test_broker_vanishing_after_setup_is_not_a_pass(mqtk, tmp_path):
    # one test at a time, so that every test finds the listener closed (a refusal, not a reset)
    with VanishingBroker() as address:
        proc = mqtk_run(mqtk, "--broker", address, "--timeout", "300", "--jobs", "1", "--json", str(tmp_path / "r.json"))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "nothing could be observed: no test passed or failed" in proc.stdout
    summary = json.loads((tmp_path / "r.json").read_text())["summary"]
    assert summary["pass"] == summary["fail"] == 0 and summary["inconclusive"] > 0
    # the statements the tests could not reach are counted in their own column, not dropped
    line = next(line for line in proc.stdout.splitlines() if line.startswith("MQTT 3.1.1 statements:"))
    assert " 0 pass, " in line and " inconclusive, " in line
    assert int(line.split(" not reached")[0].rsplit(" ", 1)[1]) > 0


# --- item 3: values found out of range at run time are script errors ------------------------------

@pytest.mark.skipif(not HAVE_MOSQUITTO, reason="mosquitto is not installed")
@pytest.mark.parametrize("step, says", [
    ("send c SUBSCRIBE pid=70000 filter=$topic/a qos=0", "pid=70000: expected a number from 0 to 65535"),
    ("send c PUBLISH topic=$topic/a qos=1 pid=65536 payload=x", "pid=65536: expected a number from 0 to 65535"),
    ("send c CONNECT username=" + "u" * 70000, "cannot build CONNECT: the codec refuses this CONNECT"),
], ids=["subscribe-pid", "publish-pid", "username-70000-bytes"])
def test_runtime_values_out_of_range_are_script_errors(mqtk, tmp_path, step, says):
    suite = tmp_path / "suite"
    shutil.copytree(SUITE / "statements", suite / "statements")
    (suite / "v3.1.1").mkdir(parents=True)
    (suite / "profiles").mkdir()
    (suite / "profiles" / "mosquitto.profile").write_text("broker mosquitto\ncapabilities qos1 qos2 retain\n")
    script = suite / "v3.1.1" / "t.mqtt"
    script.write_text(f"test t\n  statements MQTT-3.8.4-1\n  connect c\n  {step}\n  expect c SUBACK [MQTT-3.8.4-1]\nend\n")
    proc = mqtk_run(mqtk, "--suite", str(suite), "--timeout", "300")
    assert proc.returncode == 2, proc.stdout + proc.stderr  # the script's fault, not the broker's
    assert f"mqtk run: {script}:4: 3.1.1/t/t: line 4: script error: " in proc.stderr and says in proc.stderr
    assert "FAIL" not in proc.stdout


@pytest.mark.skipif(not HAVE_MOSQUITTO, reason="mosquitto is not installed")
def test_username_option_over_65535_bytes_is_exit_2(mqtk):
    proc = mqtk_run(mqtk, "--filter", "3.1.1/ping/pingreq", "--username", "u" * 70000)
    assert proc.returncode == 2
    assert "cannot encode a CONNECT with the run's credentials" in proc.stderr


def _connect_client_id(data):
    """(protocol level, client id) of a CONNECT packet."""
    def varint(i):
        n, mult = 0, 1
        while True:
            n, mult, i = n + (data[i] & 0x7F) * mult, mult * 128, i + 1
            if not data[i - 1] & 0x80:
                return n, i
    _, i = varint(1)
    i += 2 + data[i] * 256 + data[i + 1]
    level = data[i]
    i += 4
    if level == 5:
        skip, i = varint(i)
        i += skip
    n = data[i] * 256 + data[i + 1]
    return level, data[i + 2:i + 2 + n].decode(errors="replace")


def closes_every_test_connection(sock):
    """Accepts the run's setup connections (client ids PREFIX + v / probe / d4...) and closes every
    connection of a test as soon as its first packet arrives."""
    sock.settimeout(10)
    try:
        data = sock.recv(65536)
        if data[:1] != b"\x10":
            return
        level, client_id = _connect_client_id(data)
        if not client_id[5:].startswith(("v", "probe", "d4")):
            return
        sock.sendall(b"\x20\x03\x00\x00\x00" if level == 5 else b"\x20\x02\x00\x00")
        while sock.recv(65536):
            pass
    except (OSError, IndexError):
        pass


def test_broker_closing_every_test_connection_certifies_no_statement(mqtk, tmp_path):
    with hostile.HostileBroker(closes_every_test_connection) as address:
        proc = mqtk_run(mqtk, "--broker", address, "--protocol", "all", "--timeout", "300",
                        "--json", str(tmp_path / "r.json"), timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    passed = [t["id"] for t in report["tests"] if t["verdict"] == "pass"]
    assert passed == [], f"{len(passed)} tests passed against a broker that accepted no test's CONNECT: {passed}"
