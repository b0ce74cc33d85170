"""A broker with its own WebSocket listener: Debian's ejabberd 23.01 (mod_mqtt behind ejabberd_http's
/mqtt handler), an isolated instance configured like scripts/brokers/ejabberd.yml.in plus that listener.
The section 6 tests find what it does: it reassembles packets across frames and selects "mqtt", but
answers MQTT sent in a text frame instead of closing [MQTT-6.0.0-1]."""
import glob
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
LIBS = sorted(glob.glob("/usr/lib/*/ejabberd-*/ebin/mod_mqtt_ws.beam"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def ejabberd_ws(tmp_path_factory):
    if not shutil.which("erl") or not LIBS:
        pytest.skip("ejabberd (with mod_mqtt_ws) is not installed")
    d = tmp_path_factory.mktemp("ejabberd")
    (d / "spool").mkdir()
    (d / "log").mkdir()
    mqtt, ws = free_port(), free_port()
    conf = (ROOT / "scripts/brokers/ejabberd.yml.in").read_text().replace("@PORT@", str(mqtt)).replace("@DIR@", str(d))
    listener = (f"  -\n    port: {ws}\n    ip: \"127.0.0.1\"\n    module: ejabberd_http\n    backlog: 1000\n"
                "    request_handlers:\n      /mqtt: mod_mqtt\nacl:")
    (d / "ejabberd.yml").write_text(conf.replace("acl:", listener, 1))
    env = dict(os.environ, EJABBERD_CONFIG_PATH=str(d / "ejabberd.yml"), EJABBERD_LOG_PATH=str(d / "log/e.log"),
               ERL_LIBS=str(pathlib.Path(LIBS[-1]).parents[2]), ERL_CRASH_DUMP_BYTES="0", HOME=str(d))
    reg = 'io:format("register: ~p~n", [catch ejabberd_auth:try_register(<<"mqtk">>, <<"localhost">>, <<"pw">>)])'
    log = open(d / "log/stdout.log", "w")
    p = subprocess.Popen(["erl", "-noinput", "-noshell", "-mnesia", "dir", f'"{d}/spool"', "-s", "ejabberd",
                          "-eval", reg], cwd=d, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                         start_new_session=True)
    deadline = time.monotonic() + 60
    while "register: ok" not in (d / "log/stdout.log").read_text() and time.monotonic() < deadline:
        assert p.poll() is None, (d / "log/stdout.log").read_text()
        time.sleep(0.2)
    try:
        assert "register: ok" in (d / "log/stdout.log").read_text(), "ejabberd did not start within 60 s"
        yield f"ws://127.0.0.1:{ws}/mqtt"
    finally:
        os.killpg(p.pid, signal.SIGTERM)
        try:
            p.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
        log.close()


def test_ejabberd_section6_finds_text_frames_answered(mqtk, ejabberd_ws, tmp_path):
    r = subprocess.run([mqtk, "run", "--broker", ejabberd_ws, "--username", "mqtk@localhost", "--password", "pw",
                        "--protocol", "all", "--filter", "websocket", "--profile",
                        str(ROOT / "suite/profiles/ejabberd.profile"), "--json", str(tmp_path / "r.json")],
                       capture_output=True, text=True, timeout=180)
    assert r.returncode == 1, r.stdout + r.stderr
    verdicts = {t["id"]: t["verdict"] for t in json.loads((tmp_path / "r.json").read_text())["tests"]}
    failed = {t for t, v in verdicts.items() if v == "fail"}
    assert failed == {"3.1.1/websocket/text-frame-closes", "5.0/websocket/text-frame-closes"}, verdicts
    assert all(v == "pass" for t, v in verdicts.items() if t not in failed), verdicts
    assert "FAILED MQTT-6.0.0-1" in r.stdout and "unexpected packets waiting: PINGRESP" in r.stdout
