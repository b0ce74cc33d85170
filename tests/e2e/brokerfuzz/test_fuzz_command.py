"""`mqtk fuzz` end to end: options and exit codes, the shortened rediscovery of a known mosquitto
deviation (fixed seed, under 60 s) whose minimized script fails on mosquitto and passes behind a proxy
that closes on the broken packet as the standard requires, the pcap of a finding, exact reproduction
for a seed, and hostile brokers (silent, garbage, flood, reset): every run ends, bounded, with the
exit code its situation calls for."""
import json
import pathlib
import socket
import socketserver
import subprocess
import sys
import threading
import time

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "conformance"))
import hostile  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "pcaps"))
import broker as mosq  # noqa: E402  (a mosquitto on a free loopback port, awaited by its log)

SEED = "3"  # reaches the PINGREQ/PUBACK reserved-flags deviation of mosquitto 2.0 within 150 sessions


def fuzz(mqtk, *args, timeout=150):
    return subprocess.run([mqtk, "fuzz", *args], capture_output=True, text=True, timeout=timeout)


def test_help_and_usage_errors(mqtk, tmp_path):
    r = fuzz(mqtk, "--help")
    assert r.returncode == 0 and "--seed N" in r.stdout and "exit status" in r.stdout
    for bad, why in [(["--clients", "9"], "--clients"), (["--protocol", "3.1"], "--protocol"),
                     (["--sessions", "0"], "--sessions"), (["--seed", "x"], "--seed"), (["extra"], "unexpected"),
                     (["--exec", "true"], "--exec needs --broker"),
                     (["--broker", "192.0.2.1:1883"], "--allow-remote"),
                     (["--broker", "a", "--broker", "b", "--broker", "c"], "at most twice")]:
        r = fuzz(mqtk, *bad, "--out", str(tmp_path / "o"))
        assert r.returncode == 2, (bad, r.stderr)
        assert why in r.stderr, (bad, r.stderr)


def test_unreachable_broker_is_a_setup_error(mqtk, tmp_path):
    port = hostile.closed_port()
    t0 = time.monotonic()
    r = fuzz(mqtk, "--broker", f"127.0.0.1:{port}", "--sessions", "5", "--out", str(tmp_path / "o"), timeout=60)
    assert r.returncode == 2
    assert "does not answer" in r.stderr or "cannot connect" in r.stderr
    assert time.monotonic() - t0 < 30


def strict_flags_proxy(target):
    """A proxy in front of mosquitto that closes the client's connection on a packet whose reserved
    fixed-header flags are wrong, as [MQTT-2.2.2-2] requires: a broker without the deviation."""
    host, port = target.rsplit(":", 1)
    fixed = {4: 0, 5: 0, 6: 2, 7: 0, 8: 2, 10: 2, 12: 0, 14: 0}

    def bad_flags(buf):
        i = 0
        while i + 2 <= len(buf):
            t, f = buf[i] >> 4, buf[i] & 15
            if t in fixed and f != fixed[t]:
                return True
            rl, mul, j = 0, 1, i + 1
            while j < len(buf) and j < i + 5:
                rl += (buf[j] & 127) * mul
                mul *= 128
                j += 1
                if not buf[j - 1] & 128:
                    break
            i = j + rl
        return False

    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            up = socket.create_connection((host, int(port)))
            stop = threading.Event()

            def down():
                try:
                    while not stop.is_set():
                        d = up.recv(65536)
                        if not d:
                            break
                        self.request.sendall(d)
                except OSError:
                    pass
                stop.set()
                self.request.close()

            threading.Thread(target=down, daemon=True).start()
            seen = b""
            try:
                while not stop.is_set():
                    d = self.request.recv(65536)
                    if not d:
                        break
                    seen += d
                    if bad_flags(seen):
                        break
                    up.sendall(d)
            except OSError:
                pass
            stop.set()
            up.close()
            self.request.close()

    server = hostile.Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def rediscovery(mqtk, tmp_path_factory):
    out = tmp_path_factory.mktemp("fuzz") / "out"
    t0 = time.monotonic()
    r = fuzz(mqtk, "--protocol", "3.1.1", "--seed", SEED, "--sessions", "200", "--duration", "60", "--out", str(out),
             "--json", "--quiet")
    return r, out, time.monotonic() - t0


def test_rediscovers_a_known_mosquitto_deviation(rediscovery):
    r, out, elapsed = rediscovery
    assert r.returncode == 1, r.stderr
    summary = json.loads(r.stdout)
    assert summary["sessions"] > 0 and summary["packets"] > summary["sessions"]
    assert summary["unique_answers"] > 10
    flags = [f for f in summary["findings"] if f["statement"] == "MQTT-2.2.2-2"]
    assert flags, summary["findings"]
    f = flags[0]
    assert f["confirmed"] and f["oracle"] == "must-close"
    assert f["steps"] == 2 and f["clients"] == 1  # minimized: CONNECT, then the broken packet
    script = out / "v3.1.1" / f"{f['id']}.mqtt"
    text = script.read_text()
    assert "statements MQTT-2.2.2-2" in text and "expect c0 closed [MQTT-2.2.2-2]" in text
    line = [x for x in (out / "findings.txt").read_text().splitlines() if x.startswith(f["id"])]
    assert line and "[MQTT-2.2.2-2]" in line[0]
    # identical findings are written once
    ids = [x["id"] for x in summary["findings"]]
    assert len(ids) == len(set(ids))
    assert elapsed < 90


def test_finding_replays_failing_on_mosquitto_and_passing_without_the_deviation(mqtk, rediscovery, tmp_path):
    r, out, _ = rediscovery
    f = [x for x in json.loads(r.stdout)["findings"] if x["statement"] == "MQTT-2.2.2-2"][0]
    run = subprocess.run([mqtk, "run", "--suite", str(out), "--protocol", "3.1.1", "--filter", f["id"],
                          "--timeout", "1000"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "FAILED MQTT-2.2.2-2" in run.stdout
    # the same test against mosquitto behind a proxy that closes on the broken flags: it passes
    broker = mosq.Broker(tmp_path)
    try:
        proxy = strict_flags_proxy(broker.address)
        try:
            addr = "127.0.0.1:%d" % proxy.server_address[1]
            ok = subprocess.run([mqtk, "run", "--suite", str(out), "--broker", addr, "--protocol", "3.1.1",
                                 "--filter", f["id"]], capture_output=True, text=True, timeout=120)
            assert ok.returncode == 0, ok.stdout + ok.stderr
            assert "1 passed" in ok.stdout
        finally:
            proxy.shutdown()
            proxy.server_close()
    finally:
        broker.stop()


def test_finding_pcap_decodes(mqtk, rediscovery):
    r, out, _ = rediscovery
    f = [x for x in json.loads(r.stdout)["findings"] if x["statement"] == "MQTT-2.2.2-2"][0]
    pcap = out / "findings" / f"{f['id']}.pcap"
    p = subprocess.run([mqtk, "pcap", "--json", str(pcap)], capture_output=True, text=True, timeout=60)
    assert p.returncode in (0, 1), p.stderr
    assert '"CONNECT"' in p.stdout and '"CONNACK"' in p.stdout
    assert "bad_fixed_header_flags" in p.stdout  # the broken packet is there, judged by the same codec


def test_a_seed_replays_the_same_run(mqtk, tmp_path):
    a = fuzz(mqtk, "--protocol", "5", "--seed", "11", "--sessions", "40", "--no-minimize", "--out",
             str(tmp_path / "a"), "--json", "--quiet")
    b = fuzz(mqtk, "--protocol", "5", "--seed", "11", "--sessions", "40", "--no-minimize", "--out",
             str(tmp_path / "b"), "--json", "--quiet")
    assert a.returncode in (0, 1) and b.returncode == a.returncode
    ja, jb = json.loads(a.stdout), json.loads(b.stdout)
    assert ja["sessions"] == jb["sessions"] == 40
    # the same sessions were sent: the same packet count, the same findings
    assert [f["id"] for f in ja["findings"]] == [f["id"] for f in jb["findings"]]


def flood(sock):
    """Accepts the CONNECT, then sends PUBLISH packets without end."""
    if not hostile._read_some(sock):
        return
    try:
        sock.sendall(b"\x20\x02\x00\x00")
        pkt = b"\x30\x0a\x00\x03a/b" + b"flood"
        while True:
            sock.sendall(pkt * 200)
    except OSError:
        return


def _packets(buf):
    """Split buf into whole packets (first byte, bytes) and the rest."""
    out, i = [], 0
    while i + 2 <= len(buf):
        rl, mul, j = 0, 1, i + 1
        while j < len(buf) and j < i + 5:
            rl += (buf[j] & 127) * mul
            mul *= 128
            j += 1
            if not buf[j - 1] & 128:
                break
        if j + rl > len(buf):
            break
        out.append(buf[i])
        i = j + rl
    return out, buf[i:]


def _polite_then(sock, misbehave):
    """Answers CONNECT and PINGREQ as a broker does (so the run gets past its health check), and
    anything else with misbehave(sock)."""
    buf = b""
    while True:
        data = hostile._read_some(sock, 10.0)
        if not data:
            return
        firsts, buf = _packets(buf + data)
        try:
            for first in firsts:
                if first >> 4 == 1:
                    sock.sendall(b"\x20\x02\x00\x00")
                elif first == 0xC0:
                    sock.sendall(b"\xd0\x00")
                elif not misbehave(sock):
                    return
        except OSError:
            return


def garbage_later(sock):
    _polite_then(sock, lambda s: s.sendall(b"\x30\xff\xff\xff\xff\xff") or True)


def flood_later(sock):
    def go(s):
        pkt = b"\x30\x0a\x00\x03a/b" + b"flood"
        for _ in range(2000):
            s.sendall(pkt * 100)
        return False
    _polite_then(sock, go)


def reset(sock):
    """Resets the connection as soon as it is accepted."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    sock.close()


@pytest.mark.parametrize("behaviour,codes", [
    (hostile.silent, (2,)),
    (hostile.garbage, (2,)),
    (reset, (2,)),
    (hostile.connack_then_garbage, (2,)),
    (flood, (2,)),
    (garbage_later, (0, 1)),
    (flood_later, (0, 1)),
])
def test_hostile_brokers_end_bounded(mqtk, tmp_path, behaviour, codes):
    with hostile.HostileBroker(behaviour) as addr:
        t0 = time.monotonic()
        r = fuzz(mqtk, "--broker", addr, "--sessions", "30", "--duration", "20", "--timeout", "300",
                 "--out", str(tmp_path / "o"), "--json", "--quiet", timeout=120)
        elapsed = time.monotonic() - t0
    assert r.returncode in codes, (behaviour.__name__, r.returncode, r.stderr[-2000:])
    assert elapsed < 60, elapsed
    assert "AddressSanitizer" not in r.stderr and "runtime error" not in r.stderr
    if r.returncode == 2:
        assert r.stderr.startswith("mqtk fuzz: "), r.stderr
    else:
        summary = json.loads(r.stdout)
        assert summary["sessions"] >= 1
        if r.returncode == 1:
            assert all(f["oracle"] in ("hang", "malformed-output", "must-close", "ack") for f in summary["findings"])


def test_exec_broker_crash_is_found_restarted_and_its_report_kept(mqtk, tmp_path):
    """--exec: the broker mqtk starts dies with a sanitizer report on a broken packet; the run names the
    crash with the signal, restarts the broker, goes on, and keeps the report next to the finding."""
    port = hostile.closed_port()
    crashy = pathlib.Path(__file__).with_name("crashy_broker.py")
    out = tmp_path / "o"
    r = fuzz(mqtk, "--exec", f"exec {sys.executable} {crashy} {port}", "--broker", f"127.0.0.1:{port}",
             "--protocol", "3.1.1", "--seed", SEED, "--sessions", "150", "--duration", "60", "--out", str(out),
             "--json", "--quiet", "--no-minimize", timeout=150)
    assert r.returncode == 1, r.stderr[-2000:]
    summary = json.loads(r.stdout)
    crashes = [f for f in summary["findings"] if f["oracle"] == "crash"]
    assert crashes, summary["findings"]
    assert summary["restarts"] >= 1
    assert summary["sessions"] > 1  # it went on after the restart
    line = [x for x in (out / "findings.txt").read_text().splitlines() if x.startswith(crashes[0]["id"])][0]
    assert "signal 11" in line or "AddressSanitizer" in line, line
    logs = list((out / "findings").glob("*.stderr.log"))
    assert logs and "AddressSanitizer" in logs[0].read_text()
    assert list(out.glob("broker-stderr.*.log"))


def test_differential_run_names_the_deciding_statement(mqtk, tmp_path):
    """--broker A --broker B: the same sessions to mosquitto and to mosquitto behind a proxy that closes
    on wrong reserved flags; where they answer differently, differs.txt says what each answered and, for
    the flags, which statement decides and who breaks it (A, the bare mosquitto)."""
    broker = mosq.Broker(tmp_path, extra="set_tcp_nodelay true\n")
    port = broker.port
    try:
        proxy = strict_flags_proxy(broker.address)
        try:
            b = "127.0.0.1:%d" % proxy.server_address[1]
            out = tmp_path / "o"
            r = fuzz(mqtk, "--broker", f"127.0.0.1:{port}", "--broker", b, "--protocol", "3.1.1", "--seed", SEED,
                     "--sessions", "30", "--duration", "45", "--no-minimize", "--out", str(out), "--json",
                     "--quiet", timeout=150)
        finally:
            proxy.shutdown()
            proxy.server_close()
    finally:
        broker.stop()
    assert r.returncode == 1, r.stderr[-2000:]
    summary = json.loads(r.stdout)
    assert summary["differs"] >= 1
    flags = [f for f in summary["findings"] if f["statement"] == "MQTT-2.2.2-2"]
    assert flags and all(f["broker"] == f"127.0.0.1:{port}" for f in flags)  # only the bare mosquitto
    text = (out / "differs.txt").read_text()
    assert "decided by [MQTT-2.2.2-2]: A breaks it" in text, text[:3000]


# rules that bind only the client sending the packet: a broker that goes on after them breaks no MUST
SENDER_ONLY = ("publish_dup_qos_0", "packet_id_zero", "topic_wildcard", "topic_empty", "filter_empty",
               "filter_multi_wildcard", "filter_single_wildcard", "varint_not_minimal", "reason_code_not_allowed",
               "before CONNECT")
RECEIVER_STATEMENTS = {"MQTT-2.2.2-2", "MQTT-1.5.3-1", "MQTT-1.5.3-2", "MQTT-3.3.1-4", "MQTT-4.8.0-1",
                       "MQTT-3.8.3-4", "MQTT-3.1.4-1", "MQTT-3.1.0-2", "MQTT-3.2.2-5"}


def test_must_close_rests_only_on_statements_that_bind_the_broker(mqtk, tmp_path):
    """A broker that closes on nothing: it is found keeping the connection open where the standard makes
    the receiver close (reserved flags), each finding citing such a statement, and never for a packet
    that breaks only a rule on its sender (DUP on QoS 0, packet id 0, a wildcard topic name, a
    non-minimal length, a first packet that is not CONNECT): those steps read 'no MUST to close'."""
    port = hostile.closed_port()
    lenient = pathlib.Path(__file__).with_name("lenient_broker.py")
    out = tmp_path / "o"
    r = fuzz(mqtk, "--exec", f"exec {sys.executable} {lenient} {port}", "--broker", f"127.0.0.1:{port}",
             "--protocol", "3.1.1", "--seed", SEED, "--sessions", "400", "--duration", "90", "--out", str(out),
             "--json", "--quiet", "--no-minimize", timeout=150)
    assert r.returncode == 1, r.stderr[-2000:]
    closes = [f for f in json.loads(r.stdout)["findings"] if f["oracle"] == "must-close"]
    assert any(f["statement"] == "MQTT-2.2.2-2" for f in closes), closes
    for f in closes:
        assert f["statement"] in RECEIVER_STATEMENTS, f
        assert not any(s in f["what"] for s in SENDER_ONLY), f


def test_a_disconnect_that_breaks_a_must_is_malformed_output_not_must_close(mqtk, tmp_path):
    """A 5.0 broker that does close on wrong reserved flags, but first sends a DISCONNECT with a reason
    code no table defines: the finding is the malformed DISCONNECT [MQTT-3.14.2-1] (it was closing), and
    no must-close finding is made for the flags."""
    port = hostile.closed_port()
    lenient = pathlib.Path(__file__).with_name("lenient_broker.py")
    r = fuzz(mqtk, "--exec", f"exec {sys.executable} {lenient} {port} v5-disconnect", "--broker",
             f"127.0.0.1:{port}", "--protocol", "5", "--seed", SEED, "--sessions", "150", "--duration", "60",
             "--out", str(tmp_path / "o"), "--json", "--quiet", "--no-minimize", timeout=150)
    assert r.returncode == 1, r.stderr[-2000:]
    found = json.loads(r.stdout)["findings"]
    # [MQTT-3.14.2-1]: the reason codes a DISCONNECT may carry
    assert any(f["oracle"] == "malformed-output" and f["statement"] == "MQTT-3.14.2-1" for f in found), found
    # (it checks the flags of every packet but CONNECT)
    assert not any(f["oracle"] == "must-close" and "bad_fixed_header_flags" in f["what"] and
                   not f["what"].startswith("CONNECT") for f in found), found


def client_inode(client_port, server_port):
    """The inode of mqtk's socket for one accepted connection, from /proc/net/tcp (both ends are on
    this host); None when it is gone already."""
    want_local, want_remote = f"0100007F:{client_port:04X}", f"0100007F:{server_port:04X}"
    with open("/proc/net/tcp") as f:
        for line in f.readlines()[1:]:
            cols = line.split()
            if cols[1] == want_local and cols[2] == want_remote:
                return int(cols[9])
    return None


def test_sessions_reuse_their_sockets(mqtk, tmp_path):
    """A connection that ends with a reset (each session's end) or that the broker closed gives its
    socket to a later connection (lib/net's pool): the sockets of a run's connections repeat. The
    broker answers CONNECT and PINGREQ and reads the rest, and notes each client socket's inode."""
    inodes, lock = [], threading.Lock()

    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            ino = client_inode(self.client_address[1], self.server.server_address[1])
            with lock:
                inodes.append(ino)
            self.request.settimeout(5)
            try:
                while data := self.request.recv(4096):
                    if data[0] >> 4 == 1:
                        self.request.sendall(b"\x20\x02\x00\x00")
                    if b"\xc0\x00" in data:
                        self.request.sendall(b"\xd0\x00")
            except OSError:
                pass

    with hostile.Server(("127.0.0.1", 0), Handler) as srv:
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        port = srv.server_address[1]
        r = fuzz(mqtk, "--broker", f"127.0.0.1:{port}", "--protocol", "3.1.1", "--clients", "2", "--seed", SEED,
                 "--sessions", "25", "--duration", "60", "--timeout", "100", "--out", str(tmp_path / "o"), "--json",
                 "--quiet", "--no-minimize", timeout=120)
        srv.shutdown()
    assert r.returncode in (0, 1), r.stderr[-2000:]
    seen = [i for i in inodes if i]
    assert len(seen) >= 25, inodes
    # a fresh socket each time would give every connection an inode of its own; those that end with
    # a FIN (a dropped client, a DISCONNECT) are not reused
    assert len(seen) - len(set(seen)) >= len(seen) // 4, (len(set(seen)), len(seen))
