"""Issue 14 item 1 for `mqtk run` and `mqtk probe`, and the long-run check: against a broker that
answers CONNECT and then floods PUBLISH packets without end (tests/e2e/pcaps/hostile_broker.py --mode
flood), the flood is a finding with a name, every run ends, and memory stays bounded.

The long-run check runs `mqtk run --protocol all` again and again for 60 s against one flooding
broker (a run ends in about 5 s: each connection is cut at its cap) and reads each run's own peak
RSS from wait4."""
import os
import pathlib
import subprocess
import sys
import threading
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
HOSTILE = ROOT / "tests" / "e2e" / "pcaps" / "hostile_broker.py"
LONG_RUN_S = 60
RSS_LIMIT_KB = 100 * 1024


@pytest.fixture
def flooding_broker():
    proc = subprocess.Popen([sys.executable, str(HOSTILE), "--mode", "flood", "--lifetime", str(LONG_RUN_S + 120)],
                            stdout=subprocess.PIPE, text=True)
    first = []
    reader = threading.Thread(target=lambda: first.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout=20)
    try:
        assert first and first[0].startswith("port "), first
        yield f"127.0.0.1:{int(first[0].split()[1])}"
    finally:
        proc.kill()
        proc.wait()


def run_measured(args, out_path, timeout):
    """Run mqtk with stdout in out_path; returns (exit status, peak RSS in KiB) of that process alone."""
    with open(out_path, "w") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
    watchdog = threading.Timer(timeout, proc.kill)  # every wait has a deadline
    watchdog.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        watchdog.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_maxrss  # KiB on Linux


def test_run_against_a_flood_for_60_s_stays_under_100_mb_and_exits_1(mqtk, flooding_broker, tmp_path):
    start, runs, peak = time.monotonic(), 0, 0
    while runs == 0 or time.monotonic() - start < LONG_RUN_S:
        out = tmp_path / f"run{runs}.txt"
        # --jobs fixed: what is kept at once grows with the tests under way, not with the machine
        rc, rss = run_measured([mqtk, "run", "--broker", flooding_broker, "--protocol", "all", "--jobs", "8",
                                "--json", str(tmp_path / "r.json")], out, timeout=120)
        runs += 1
        peak = max(peak, rss)
        text = out.read_text(errors="replace")
        assert rc == 1, text[-2000:]
        assert rss < RSS_LIMIT_KB, f"run {runs}: {rss} KiB"
        # the finding names the cap it hit, it is not a crash
        assert "the broker flooded the connection: 2000 packets, " in text
        assert "bytes kept without the test taking them; reading stopped" in text
        assert (tmp_path / "r.json").stat().st_size > 0
    print(f"{runs} runs in {time.monotonic() - start:.1f} s, peak RSS {peak / 1024:.1f} MiB")


def test_probe_against_a_flood_ends_small(mqtk, flooding_broker, tmp_path):
    rc, rss = run_measured([mqtk, "probe", "--broker", flooding_broker], tmp_path / "probe.txt", timeout=60)
    assert rc == 0, (tmp_path / "probe.txt").read_text()
    assert "capabilities" in (tmp_path / "probe.txt").read_text()
    assert rss < RSS_LIMIT_KB
