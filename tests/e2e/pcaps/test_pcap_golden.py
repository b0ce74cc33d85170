"""Golden output: `mqtk pcap` on every committed capture (the third-party ones in ../shared/pcaps,
the real mosquitto_pub/sub and paho recordings, the crafted hard cases) prints exactly the committed expected text.
Regenerate after an intended change with MQTK_UPDATE_GOLDEN=1 and review the diff."""
import os

import pytest

from pcap_cases import GOLDEN, golden_path, run_pcap


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_output(mqtk, repo_root, name):
    args, want_rc = GOLDEN[name]
    r = run_pcap(mqtk, repo_root, args)
    assert r.returncode == want_rc, r.stderr.decode()
    path = golden_path(name)
    if os.environ.get("MQTK_UPDATE_GOLDEN"):
        path.write_bytes(r.stdout)
    assert path.is_file(), f"no golden file {path}: run with MQTK_UPDATE_GOLDEN=1"
    assert r.stdout.decode() == path.read_text()
