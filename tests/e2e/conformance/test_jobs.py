"""`mqtk run --jobs`: the verdicts do not depend on how many tests run at once, and --verbose names
the critical path (the slowest tests, which bound the run however many run at once)."""
import json
import pathlib
import re
import shutil
import subprocess

import pytest

# areas whose verdicts do not depend on timing, and the keep-alive expiry tests: their verdict on
# mosquitto once depended on the phase of its keep-alive sweep (so on when the run started), now
# measured right after a close the broker made, it must not
AREAS = ["3.1.1/connect", "3.1.1/subscribe", "5.0/connect", "5.0/flow", "5.0/publish", "*keep-alive-expiry*"]


@pytest.fixture(scope="module", autouse=True)
def needs_mosquitto():
    if not shutil.which("mosquitto") and not pathlib.Path("/usr/sbin/mosquitto").exists():
        pytest.skip("mosquitto is not installed")


def verdicts(mqtk, tmp_path, area, *jobs):
    report = tmp_path / "r.json"
    proc = subprocess.run([mqtk, "run", "--protocol", "all", "--filter", area, "--json", str(report), "--verbose",
                           *jobs],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    tests = json.loads(report.read_text())["tests"]
    assert tests
    return {t["id"]: (t["verdict"], json.dumps(t["statement_verdicts"], sort_keys=True)) for t in tests}, proc.stdout


@pytest.mark.parametrize("area", AREAS)
def test_same_verdicts_one_at_a_time_and_by_default(mqtk, tmp_path, area):
    alone, _ = verdicts(mqtk, tmp_path, area, "--jobs", "1")
    together, out = verdicts(mqtk, tmp_path, area)
    assert together == alone
    assert re.search(r"critical path: (\d+) tests at once", out)


def test_verbose_prints_the_critical_path(mqtk, tmp_path):
    _, out = verdicts(mqtk, tmp_path, "3.1.1/subscribe", "--jobs", "3")
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("critical path: 3 tests at once"))
    slowest = [line.split() for line in lines[at + 1:at + 6]]
    assert len(slowest) == 5
    seconds = [float(row[0]) for row in slowest]
    assert seconds == sorted(seconds, reverse=True) and seconds[0] > 0
    assert all(row[1] == "s" and row[2].startswith("3.1.1/subscribe/") for row in slowest)
    total = float(re.search(r"its tests ([\d.]+) s in all", lines[at]).group(1))
    assert total >= sum(seconds)
    assert re.search(r"the run took [\d.]+ s after [\d.]+ s of set-up", lines[at])
    # each with when it ran, counted from the first test's start: the timeline of the critical path
    for line, took in zip(lines[at + 1:at + 6], seconds):
        span = re.search(r"\(from ([\d.]+) to ([\d.]+) s\)$", line)
        assert span, line
        assert abs(float(span.group(2)) - float(span.group(1)) - took) < 0.015, line


def test_default_jobs_in_help(mqtk):
    proc = subprocess.run([mqtk, "run", "--help"], capture_output=True, text=True, timeout=30)
    assert "longest test" in proc.stdout


def test_expected_failures_start_first(mqtk, tmp_path):
    """A test the profile lists a deviation for waits out the run's deadline for what never comes (4 s
    with the defaults), so the scheduler counts it as long: on 3 jobs the two deviating 3.1.1 ping
    tests start in the first wave with the keep-alive expiry test, and the 2.1 s keep-alive-kept-by-
    pings only when one of those ends (estimated by its waits alone they were short and started last,
    ending the run late)."""
    _, out = verdicts(mqtk, tmp_path, "3.1.1/ping/*", "--jobs", "3")
    started = {m.group(1): float(m.group(2))
               for m in re.finditer(r"^\s+[\d.]+ s  (?:the last to end: )?(\S+) \(from ([\d.]+) to", out, re.M)}
    first = ["3.1.1/ping/pingreq-bad-flags-closes", "3.1.1/ping/puback-bad-flags-closes",
             "3.1.1/ping/keep-alive-expiry-disconnects"]
    assert all(t in started for t in first + ["3.1.1/ping/keep-alive-kept-by-pings"]), out
    assert all(started[t] < started["3.1.1/ping/keep-alive-kept-by-pings"] for t in first), out


def test_json_report_has_the_timeline(mqtk, tmp_path):
    """--json gives each test that ran its start (started_ms, after the first test started) beside its
    duration, and the run its set-up time: the timeline of the run. One job at a time, no test starts
    before the one before it ended."""
    report = tmp_path / "r.json"
    proc = subprocess.run([mqtk, "run", "--filter", "3.1.1/ping/*", "--jobs", "1", "--json", str(report)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    run = json.loads(report.read_text())
    assert run["setup_ms"] >= 0
    spans = sorted((t["started_ms"], t["duration_ms"]) for t in run["tests"])
    assert len(spans) >= 5 and spans[0][0] >= 0
    assert all(later[0] >= start + took for (start, took), later in zip(spans, spans[1:])), spans
