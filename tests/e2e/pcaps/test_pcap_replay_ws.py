"""`mqtk replay CAPTURE --broker ws://...`: the real captures replay over WebSocket (mosquitto behind the
Python standard-library bridge, scripts/pcap-clients/ws_bridge.py) with no divergence, as over TCP."""
import json
import pathlib
import subprocess
import sys

import pytest

from broker import MOSQUITTO, Broker, free_port
from pcap_cases import REAL

BRIDGE = pathlib.Path(__file__).resolve().parents[3] / "scripts" / "pcap-clients" / "ws_bridge.py"


@pytest.fixture(scope="module")
def ws_broker(tmp_path_factory):
    if not MOSQUITTO:
        pytest.skip("mosquitto is not installed")
    b = Broker(tmp_path_factory.mktemp("mosquitto"))
    port = free_port()
    bridge = subprocess.Popen(["/usr/bin/python3", str(BRIDGE), "--port", str(port), "--broker-port", str(b.port)],
                              stdout=subprocess.PIPE, text=True)
    line = bridge.stdout.readline()
    assert line.strip() == f"ws_bridge listening on {port}", line
    yield f"ws://127.0.0.1:{port}/mqtt"
    bridge.terminate()
    bridge.wait(10)
    b.stop()


@pytest.mark.parametrize("name", ["mosquitto-v31", "mosquitto-v311", "mosquitto-v5", "paho-v311-v5",
                                  "ws-mosquitto"])
def test_real_capture_replays_over_websocket(mqtk, repo_root, ws_broker, name):
    r = subprocess.run([mqtk, "replay", f"{REAL}/{name}.pcapng", "--broker", ws_broker, "--fast", "--json"],
                       cwd=repo_root, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    summary = lines[-1]
    assert summary["event"] == "summary" and lines[:-1] == []
    assert summary["sent"] > 0 and summary["divergences"] == 0
    assert summary["matched"] == summary["expected_replies"] == summary["received"]


def test_replay_to_a_closed_ws_port_is_a_setup_error(mqtk, repo_root):
    r = subprocess.run([mqtk, "replay", f"{REAL}/mosquitto-v311.pcapng", "--broker",
                        f"ws://127.0.0.1:{free_port()}/mqtt", "--fast"], cwd=repo_root, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "ws://" in r.stderr or "127.0.0.1" in r.stderr
