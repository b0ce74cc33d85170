"""The TLS transport (lib/net/src/tls.c) end to end: the embedded TLS broker, verification on by
default, the handshake failures a hostile or misconfigured server causes (each a setup error,
exit 2, naming the reason, within the run's timeout), mutual TLS against mosquitto, and the
negotiated version and cipher in every report."""
import json
import os
import pathlib
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import tls_servers  # noqa: E402

MOSQUITTO = "/usr/sbin/mosquitto" if pathlib.Path("/usr/sbin/mosquitto").exists() else shutil.which("mosquitto")
TIMEOUT_MS = 1000
BOUND_S = 8  # the timeout, plus start-up and a loaded machine: "bounded", not a speed test


def probe(mqtk, port, *extra, host="127.0.0.1"):
    start = time.monotonic()
    authority = f"[{host}]" if ":" in host else host
    r = subprocess.run([mqtk, "probe", "--broker", f"mqtts://{authority}:{port}", "--timeout", str(TIMEOUT_MS), *extra],
                       capture_output=True, text=True, timeout=60)
    return r, time.monotonic() - start


def ca(pki, name="ca"):
    return ["--cafile", str(pki / f"{name}.pem")]


# ---- handshakes that must fail, each with its reason ----

@pytest.mark.parametrize("cert,host,reason", [
    ("expired", "127.0.0.1", "certificate verify failed: certificate has expired"),
    ("wrongname", "127.0.0.1", "certificate verify failed: IP address mismatch"),
    ("wrongname", "localhost", "certificate verify failed: hostname mismatch"),
    ("unknown", "127.0.0.1", "certificate verify failed: unable to get local issuer certificate"),
])
def test_bad_certificate_is_a_named_setup_error(mqtk, pki, cert, host, reason):
    with tls_servers.serving(tls_servers.mqtt_over_tls(tls_servers.tls_context(pki, cert))) as port:
        r, took = probe(mqtk, port, *ca(pki), host=host)
    assert r.returncode == 2, r.stderr
    assert f"TLS handshake with {host}:{port}: {reason}" in r.stderr
    assert took < BOUND_S


def test_ipv6_address_checked_against_the_certificate(mqtk, pki):
    """[::1] is verified against the certificate's IP addresses (the server certificate names ::1; the
    wrong-name one does not), and no SNI is sent for an address."""
    ok_ctx = tls_servers.tls_context(pki)
    with tls_servers.serving(tls_servers.mqtt_over_tls(ok_ctx), host="::1") as port:
        ok, _ = probe(mqtk, port, *ca(pki), host="::1")
    with tls_servers.serving(tls_servers.mqtt_over_tls(tls_servers.tls_context(pki, "wrongname")), host="::1") as port:
        bad, _ = probe(mqtk, port, *ca(pki), host="::1")
    assert ok.returncode == 0, ok.stderr
    assert "# over TLSv1.3 TLS_" in ok.stdout and "over TCP [::1]:" in ok.stdout
    assert bad.returncode == 2
    assert f"TLS handshake with [::1]:{port}: certificate verify failed: IP address mismatch" in bad.stderr


def test_system_store_does_not_trust_a_private_ca(mqtk, pki):
    """Verification is on by default: without --cafile the system store is used, which does not
    know the test CA."""
    with tls_servers.serving(tls_servers.mqtt_over_tls(tls_servers.tls_context(pki))) as port:
        r, _ = probe(mqtk, port)
    assert r.returncode == 2
    assert "certificate verify failed" in r.stderr


def test_insecure_connects_and_says_so(mqtk, pki):
    with tls_servers.serving(tls_servers.mqtt_over_tls(tls_servers.tls_context(pki, "unknown"))) as port:
        r, _ = probe(mqtk, port, "--insecure")
        js, _ = probe(mqtk, port, "--insecure", "--json")
    assert r.returncode == 0, r.stderr
    assert "# over TLSv1.3 TLS_" in r.stdout and "(certificate NOT verified: --insecure)" in r.stdout
    assert "NOT verified" in json.loads(js.stdout)["transport"]


def test_tls12_server(mqtk, pki):
    ctx = tls_servers.tls_context(pki, max_version=ssl.TLSVersion.TLSv1_2)
    with tls_servers.serving(tls_servers.mqtt_over_tls(ctx)) as port:
        r, _ = probe(mqtk, port, *ca(pki))
    assert r.returncode == 0, r.stderr
    assert "# over TLSv1.2 ECDHE-ECDSA-" in r.stdout


def test_alpn(mqtk, pki):
    with tls_servers.serving(tls_servers.mqtt_over_tls(tls_servers.tls_context(pki, alpn=["mqtt"]))) as port:
        r, _ = probe(mqtk, port, *ca(pki), "--alpn", "mqtt")
    assert r.returncode == 0, r.stderr
    assert " ALPN mqtt" in r.stdout
    with tls_servers.serving(tls_servers.mqtt_over_tls(tls_servers.tls_context(pki))) as port:
        r, _ = probe(mqtk, port, *ca(pki), "--alpn", "mqtt")
    assert r.returncode == 2
    assert "the server selected no ALPN protocol ('mqtt' offered)" in r.stderr


def test_sni_is_the_host_name(mqtk, pki):
    seen = []
    ctx = tls_servers.tls_context(pki)
    ctx.sni_callback = lambda sock, name, c: seen.append(name)
    with tls_servers.serving(tls_servers.mqtt_over_tls(ctx)) as port:
        by_name, _ = probe(mqtk, port, *ca(pki), host="localhost")
        by_ip, _ = probe(mqtk, port, *ca(pki))
    assert by_name.returncode == 0 and by_ip.returncode == 0, by_name.stderr + by_ip.stderr
    assert "localhost" in seen and None in seen  # SNI carries names only, never an IP address


def test_garbage_instead_of_server_hello(mqtk):
    with tls_servers.serving(tls_servers.garbage) as port:
        r, took = probe(mqtk, port, "--insecure")
    assert r.returncode == 2
    assert f"TLS handshake with 127.0.0.1:{port}: wrong version number (the server does not speak TLS here)" \
        in r.stderr
    assert took < BOUND_S


def test_server_hangs_up_during_handshake(mqtk):
    with tls_servers.serving(tls_servers.hangs_up) as port:
        r, took = probe(mqtk, port, "--insecure")
    assert r.returncode == 2
    assert f"TLS handshake with 127.0.0.1:{port}: the server closed the connection (after 0 bytes)" in r.stderr
    assert took < BOUND_S


def test_silent_server_stalls_before_server_hello(mqtk):
    with tls_servers.serving(tls_servers.silent) as port:
        r, took = probe(mqtk, port, "--insecure")
    assert r.returncode == 2
    assert f"TLS handshake with 127.0.0.1:{port}: the server stalled (no ServerHello before the deadline, " \
           "0 bytes received)" in r.stderr
    assert TIMEOUT_MS / 1000 <= took < BOUND_S


def test_server_stalls_mid_handshake(mqtk, pki):
    with tls_servers.serving(tls_servers.cut_after(tls_servers.tls_context(pki), 60)) as port:
        r, took = probe(mqtk, port, *ca(pki))
    assert r.returncode == 2
    assert "the server stalled (no handshake completion before the deadline, 60 bytes received)" in r.stderr
    assert TIMEOUT_MS / 1000 <= took < BOUND_S


def test_no_shared_version(mqtk, pki):
    ctx = tls_servers.tls_context(pki, max_version=ssl.TLSVersion.TLSv1_2)
    with tls_servers.serving(tls_servers.mqtt_over_tls(ctx)) as port:
        r, took = probe(mqtk, port, *ca(pki), "--tls-min", "1.3")
    assert r.returncode == 2
    assert f"TLS handshake with 127.0.0.1:{port}: tlsv1 alert protocol version (no TLS version in common: " \
           "see --tls-min)" in r.stderr
    assert took < BOUND_S


def test_no_shared_cipher(mqtk, pki):
    ctx = tls_servers.tls_context(pki, max_version=ssl.TLSVersion.TLSv1_2)
    ctx.set_ciphers("eNULL:@SECLEVEL=0")  # only NULL ciphers, which no client offers
    with tls_servers.serving(tls_servers.mqtt_over_tls(ctx)) as port:
        r, took = probe(mqtk, port, *ca(pki))
    assert r.returncode == 2
    assert f"TLS handshake with 127.0.0.1:{port}: sslv3 alert handshake failure (the server found no cipher, " \
           "group or signature algorithm in common)" in r.stderr
    assert took < BOUND_S


def test_run_and_replay_name_the_handshake_failure(mqtk, pki, repo_root):
    with tls_servers.serving(tls_servers.garbage) as port:
        run = subprocess.run([mqtk, "run", "--broker", f"mqtts://127.0.0.1:{port}", *ca(pki), "--timeout", "1000",
                              "--filter", "3.1.1/connect"], capture_output=True, text=True, timeout=60)
        replay = subprocess.run([mqtk, "replay", str(repo_root / "tests/data/pcaps/real/mosquitto-v311.pcapng"), "--broker",
                                 f"mqtts://127.0.0.1:{port}", *ca(pki), "--timeout", "1"],
                                capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert f"broker unreachable at mqtts://127.0.0.1:{port}: cannot connect to the broker: TLS handshake with " \
           f"127.0.0.1:{port}: wrong version number" in run.stderr
    assert replay.returncode == 2
    assert f"broker unreachable: TLS handshake with 127.0.0.1:{port}: wrong version number" in replay.stderr


# ---- options ----

@pytest.mark.parametrize("args,message", [
    (["--broker", "127.0.0.1:1883", "--cafile", "x.pem"], "--cafile is a TLS option: the broker address needs mqtts://"),
    (["--broker", "mqtts://127.0.0.1:1883", "--cafile", "/nonexistent/ca.pem"], "cannot read --cafile /nonexistent/ca.pem"),
    (["--broker", "mqtts://127.0.0.1:1883", "--cert", "c.pem"], "--cert and --key go together"),
    (["--broker", "mqtts://127.0.0.1:1883", "--tls-min", "1.1"], "--tls-min takes 1.2 or 1.3, not '1.1'"),
    (["--broker", "mqtts://127.0.0.1:1883", "--insecure", "--cafile", "x.pem"], "--insecure and --cafile exclude"),
    (["--broker", "mqtts://127.0.0.1:0"], "the port must be a decimal number from 1 to 65535"),
    (["--broker", "tls://127.0.0.1:1883"], "unknown scheme 'tls'"),
])
def test_option_errors(mqtk, args, message):
    for cmd in (["probe"], ["run"]):
        r = subprocess.run([mqtk, *cmd, *args], capture_output=True, text=True, timeout=30)
        assert r.returncode == 2, (cmd, r.stdout, r.stderr)
        assert message in r.stderr, (cmd, r.stderr)


def test_run_transport_option_errors(mqtk):
    for args, message in [
        (["--transport", "quic"], "--transport takes tcp, tls or ws, got 'quic'"),
        (["--transport", "tls", "--broker", "mqtts://127.0.0.1:1883"], "--transport is for the embedded broker"),
        (["--transport", "tls", "--cafile", "ca.pem"], "need --broker"),
        (["--tls-min", "1.3"], "--alpn and --tls-min need a TLS broker"),
    ]:
        r = subprocess.run([mqtk, "run", *args], capture_output=True, text=True, timeout=30)
        assert r.returncode == 2, args
        assert message in r.stderr, (args, r.stderr)


# ---- the embedded TLS broker and the reports ----

def test_embedded_tls_broker_reports_version_and_cipher_everywhere(mqtk, tmp_path):
    js, junit, md = tmp_path / "r.json", tmp_path / "r.xml", tmp_path / "r.md"
    r = subprocess.run([mqtk, "run", "--transport", "tls", "--tls-min", "1.3", "--filter", "3.1.1/connect",
                        "--json", str(js), "--junit", str(junit), "--report", str(md)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "against mqtts://127.0.0.1:" in r.stdout
    assert " over TLS (version TLSv1.3, cipher TLS_" in r.stdout and ", certificate verified): " in r.stdout
    t = json.loads(js.read_text())["transport"]
    assert t["tls"] is True and t["tls_version"] == "TLSv1.3" and t["tls_cipher"].startswith("TLS_")
    assert t["tls_certificate"] == "verified"
    assert t["description"].startswith("TLSv1.3 ") and " over TCP 127.0.0.1:" in t["description"]
    props = {p.get("name"): p.get("value") for p in ET.parse(junit).getroot().iter("property")}
    assert props["tls_version"] == "TLSv1.3" and props["tls_cipher"] == t["tls_cipher"]
    text = md.read_text()
    assert f"| tls_version | TLSv1.3 |" in text and f"| tls_cipher | {t['tls_cipher']} |" in text


def test_embedded_tls_broker_leaves_no_directory(mqtk):
    # its certificates and keys went with the rest of its directory (they were left behind, with the
    # directory, after every TLS run); mosquitto drops to its own user, so TMPDIR must be reachable
    tmpdir = pathlib.Path(tempfile.mkdtemp(prefix="mqtk-tls-tmp-"))
    tmpdir.chmod(0o777)
    try:
        r = subprocess.run([mqtk, "run", "--transport", "tls", "--filter", "3.1.1/connect/accept-valid-connect"],
                           capture_output=True, text=True, timeout=300, env={**os.environ, "TMPDIR": str(tmpdir)})
        assert r.returncode == 0, r.stdout + r.stderr
        assert list(tmpdir.iterdir()) == []
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def test_tcp_run_reports_its_transport(mqtk, tmp_path):
    js = tmp_path / "r.json"
    r = subprocess.run([mqtk, "run", "--filter", "3.1.1/connect/accept-valid-connect", "--json", str(js)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    t = json.loads(js.read_text())["transport"]
    assert t["tls"] is False and t["description"].startswith("TCP 127.0.0.1:")


def test_whole_suite_same_verdicts_over_tls_as_over_tcp(mqtk, tmp_path):
    """Every test script runs unchanged over TLS: the embedded mosquitto gives each test the same
    verdict over both transports, test by test."""
    verdicts = {}
    for transport in ("tcp", "tls"):
        js = tmp_path / f"{transport}.json"
        r = subprocess.run([mqtk, "run", "--transport", transport, "--protocol", "all", "--json", str(js)],
                           capture_output=True, text=True, timeout=900)
        assert r.returncode == 0, r.stdout[-3000:] + r.stderr
        verdicts[transport] = {t["id"]: t["verdict"] for t in json.loads(js.read_text())["tests"]}
    assert len(verdicts["tcp"]) > 250
    differ = {k: (v, verdicts["tls"].get(k)) for k, v in verdicts["tcp"].items() if verdicts["tls"].get(k) != v}
    # timing-dependent tests may flip between pass and inconclusive under load; nothing else may differ
    timing = {k: v for k, v in differ.items() if set(v) <= {"pass", "inconclusive", "expected-fail"}}
    assert set(differ) == set(timing), differ
    assert len(timing) <= 3, timing


# ---- mutual TLS against mosquitto ----

def start_mosquitto(pki, tmp_path, require_certificate):
    if not MOSQUITTO:
        pytest.skip("mosquitto not installed")
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    conf = tmp_path / f"mosquitto-{port}.conf"
    conf.write_text(f"listener {port} 127.0.0.1\ncafile {pki}/ca.pem\ncertfile {pki}/server.pem\n"
                    f"keyfile {pki}/server.key\nrequire_certificate {str(require_certificate).lower()}\n"
                    "allow_anonymous true\nlog_dest stderr\nlog_type error\nlog_type warning\n")
    proc = subprocess.Popen([MOSQUITTO, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc, port
        if proc.poll() is not None:
            pytest.fail(f"mosquitto exited: {proc.stderr.read()}")
        time.sleep(0.05)
    proc.kill()
    pytest.fail("mosquitto did not listen within 10 s")


def stop(proc):
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def mosquitto_mtls(pki, tmp_path):
    proc, port = start_mosquitto(pki, tmp_path, True)
    yield port
    stop(proc)


@pytest.fixture
def mosquitto_tls(pki, tmp_path):
    proc, port = start_mosquitto(pki, tmp_path, False)
    yield port
    stop(proc)


def test_mutual_tls(mqtk, pki, mosquitto_mtls):
    port = mosquitto_mtls
    base = [mqtk, "run", "--broker", f"mqtts://127.0.0.1:{port}", *ca(pki), "--filter", "3.1.1/connect/accept-valid-connect"]
    ok = subprocess.run([*base, "--cert", str(pki / "client.pem"), "--key", str(pki / "client.key")],
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "over TLS (version TLSv1.3" in ok.stdout
    for extra, reason in [
        ([], "tlsv13 alert certificate required (the broker requires a client certificate: --cert and --key)"),
        (["--cert", str(pki / "client-other.pem"), "--key", str(pki / "client-other.key")],
         "tlsv1 alert unknown ca (the broker does not trust the client certificate's issuer)"),
    ]:
        bad = subprocess.run([*base, *extra], capture_output=True, text=True, timeout=120)
        assert bad.returncode == 2, (extra, bad.stdout, bad.stderr)
        assert "the broker ended the TLS session right after the handshake" in bad.stderr, bad.stderr
        assert reason in bad.stderr, bad.stderr


# ---- replay over TLS, and WebSocket over TLS (wss://) ----

def test_replay_over_tls(mqtk, pki, mosquitto_tls, repo_root):
    r = subprocess.run([mqtk, "replay", str(repo_root / "tests/data/pcaps/real/mosquitto-v311.pcapng"), "--fast", "--broker",
                        f"mqtts://127.0.0.1:{mosquitto_tls}", *ca(pki), "--json"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    summary = json.loads(r.stdout.splitlines()[-1])
    assert summary["divergences"] == 0 and summary["matched"] == summary["expected_replies"] > 0
    assert summary["transport"].startswith("TLSv1.3 ")


def test_websocket_over_tls(mqtk, pki, tmp_path, repo_root):
    """The stack WebSocket over TLS over TCP: the bridge (plain ws) before mosquitto, a TLS front before
    the bridge; a part of the suite, replay, and a name mismatch still named."""
    import socket
    sys.path.insert(0, str(repo_root / "tests/e2e/pcaps"))
    from broker import Broker  # tests/e2e/pcaps/broker.py: a plain mosquitto on a free port
    plain = Broker(tmp_path)
    bridge = subprocess.Popen([sys.executable, str(repo_root / "scripts/pcap-clients/ws_bridge.py"), "--port", "0",
                               "--broker-port", str(plain.port)], stdout=subprocess.PIPE, text=True)
    try:
        line = bridge.stdout.readline()
        assert line.startswith("ws_bridge listening on "), line
        ws_port = int(line.split()[-1])
        with tls_servers.serving(tls_servers.tls_terminator(tls_servers.tls_context(pki), ws_port)) as port:
            url = f"wss://127.0.0.1:{port}/mqtt"
            run = subprocess.run([mqtk, "run", "--broker", url, *ca(pki), "--filter", "3.1.1/connect/accept*",
                                  "--json", str(tmp_path / "r.json")], capture_output=True, text=True, timeout=120)
            rep = subprocess.run([mqtk, "replay", str(repo_root / "tests/data/pcaps/real/mosquitto-v311.pcapng"), "--fast",
                                  "--broker", url, *ca(pki)], capture_output=True, text=True, timeout=120)
            bad = subprocess.run([mqtk, "probe", "--broker", f"wss://localhost:{port}/mqtt",
                                  *ca(pki, "other-ca")], capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stdout + run.stderr
        t = json.loads((tmp_path / "r.json").read_text())["transport"]
        assert t["tls"] is True and "TLSv1.3" in t["description"] and "TCP 127.0.0.1" in t["description"]
        assert t["description"].index("TLSv1.3") < t["description"].index("TCP")
        assert rep.returncode == 0 and "; 0 divergences;" in rep.stdout, rep.stdout + rep.stderr
        assert bad.returncode == 2
        assert "certificate verify failed: unable to get local issuer certificate" in bad.stderr
    finally:
        bridge.terminate()
        bridge.wait(timeout=10)
        plain.stop()


# ---- mqtk fuzz over TLS ----

def test_fuzz_over_tls(mqtk, pki, mosquitto_tls, tmp_path):
    """`mqtk fuzz` takes the shared TLS options: sessions are played over mqtts:// (the broker answers,
    so packets flow both ways), and a broker whose certificate is not trusted is a setup error (2)."""
    addr = f"mqtts://127.0.0.1:{mosquitto_tls}"
    r = subprocess.run([mqtk, "fuzz", "--broker", addr, *ca(pki), "--sessions", "40", "--seed", "5", "--quiet",
                        "--json", "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=300)
    assert r.returncode in (0, 1), r.stdout + r.stderr
    summary = json.loads(r.stdout)
    assert summary["sessions"] == 40 and summary["brokers"] == [addr]
    assert summary["packets"] > 40 * 2 and summary["unique_answers"] > 5, summary
    bad = subprocess.run([mqtk, "fuzz", "--broker", addr, "--sessions", "2", "--quiet", "--out",
                          str(tmp_path / "bad")], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2, bad.stdout + bad.stderr
    assert "certificate" in bad.stderr, bad.stderr
    plain = subprocess.run([mqtk, "fuzz", "--broker", f"127.0.0.1:{mosquitto_tls}", *ca(pki), "--sessions", "1"],
                           capture_output=True, text=True, timeout=60)
    assert plain.returncode == 2 and "needs mqtts://" in plain.stderr, plain.stderr


def test_fuzz_over_wss(mqtk, pki, tmp_path, repo_root):
    """`mqtk fuzz` over wss://: WebSocket over TLS over TCP, through a TLS front before the WebSocket
    bridge before mosquitto (Debian's mosquitto has no WebSocket listener). Every session's connections
    pass the TLS handshake and the WebSocket upgrade (neither relays anything otherwise), the broker's
    answers come back (packets both ways, distinct answers), no broker is found dead or hung, and the run
    ends at its session count; an untrusted certificate is a setup error (2)."""
    sys.path.insert(0, str(repo_root / "tests/e2e/pcaps"))
    from broker import Broker
    plain = Broker(tmp_path)
    bridge = subprocess.Popen([sys.executable, str(repo_root / "scripts/pcap-clients/ws_bridge.py"), "--port", "0",
                               "--broker-port", str(plain.port)], stdout=subprocess.PIPE, text=True)
    connections = []
    try:
        line = bridge.stdout.readline()
        assert line.startswith("ws_bridge listening on "), line
        terminate = tls_servers.tls_terminator(tls_servers.tls_context(pki), int(line.split()[-1]))

        def counted(conn):
            connections.append(conn)
            terminate(conn)

        with tls_servers.serving(counted) as port:
            url = f"wss://127.0.0.1:{port}/mqtt"
            r = subprocess.run([mqtk, "fuzz", "--broker", url, *ca(pki), "--sessions", "30", "--seed", "5",
                                "--quiet", "--json", "--no-minimize", "--out", str(tmp_path / "out")],
                               capture_output=True, text=True, timeout=300)
            bad = subprocess.run([mqtk, "fuzz", "--broker", url, *ca(pki, "other-ca"), "--sessions", "2", "--quiet",
                                  "--out", str(tmp_path / "bad")], capture_output=True, text=True, timeout=120)
        assert r.returncode in (0, 1), r.stdout + r.stderr
        summary = json.loads(r.stdout)
        assert summary["sessions"] == 30 and summary["brokers"] == [url], summary
        assert summary["packets"] > 30 * 2 and summary["unique_answers"] > 5, summary
        assert not [f for f in summary["findings"] if f["oracle"] in ("crash", "hang")], summary["findings"]
        assert len(connections) > 30  # at least one TLS connection per session, plus the health checks
        assert bad.returncode == 2, bad.stdout + bad.stderr
        assert "certificate verify failed" in bad.stderr, bad.stderr
    finally:
        bridge.terminate()
        bridge.wait(timeout=10)
        plain.stop()
