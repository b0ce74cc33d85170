"""docs/cli.md's `mqtk run` sample is what mqtk prints (the port and the seconds aside)."""
import pathlib
import re
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
COMMAND = "$ mqtk run --filter 3.1.1/connect"


def normalise(text):
    text = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", text)
    return re.sub(r"in \d+\.\d+ s", "in N s", text)


def test_run_sample_matches_real_output(mqtk, tmp_path):
    if not shutil.which("mosquitto") and not pathlib.Path("/usr/sbin/mosquitto").exists():
        pytest.skip("mosquitto is not installed")
    doc = (ROOT / "docs" / "cli.md").read_text()
    at = doc.index(COMMAND) + len(COMMAND) + 1
    sample = doc[at:doc.index("```", at)]
    r = subprocess.run([mqtk, "run", "--filter", "3.1.1/connect"], capture_output=True, text=True, timeout=120,
                       cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert normalise(r.stdout) == normalise(sample)
