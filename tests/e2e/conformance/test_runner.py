"""End-to-end tests of `mqtk run`: the 3.1.1 suite against the embedded mosquitto with every report,
hostile brokers, setup errors and script errors."""
import json
import pathlib
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET

import pytest

import hostile

HERE = pathlib.Path(__file__).resolve().parent


def run(mqtk, *args, timeout=120):
    start = time.monotonic()
    proc = subprocess.run([mqtk, "run", *args], capture_output=True, text=True, timeout=timeout)
    return proc, time.monotonic() - start


@pytest.fixture(scope="module")
def full_run(mqtk, tmp_path_factory):
    if not shutil.which("mosquitto") and not pathlib.Path("/usr/sbin/mosquitto").exists():
        pytest.skip("mosquitto is not installed")
    out = tmp_path_factory.mktemp("reports")
    proc, elapsed = run(mqtk, "--json", str(out / "r.json"), "--junit", str(out / "r.xml"),
                        "--report", str(out / "r.md"))
    return proc, elapsed, out


def test_suite_passes_against_mosquitto(full_run):
    proc, elapsed, _ = full_run
    assert proc.returncode == 0, proc.stderr
    assert " 0 failed" in proc.stdout
    assert "embedded mosquitto" in proc.stdout
    assert "FAIL " not in proc.stdout


def test_reports_agree(full_run):
    proc, _, out = full_run
    report = json.loads((out / "r.json").read_text())
    tests = {t["id"]: t for t in report["tests"]}
    assert len(tests) == report["summary"]["total"] >= 100
    assert report["summary"]["fail"] == 0
    assert len(report["suite_sha256"]) == 64
    assert report["broker_version"].startswith("mosquitto version")
    counted = {}
    for t in tests.values():
        counted[t["verdict"]] = counted.get(t["verdict"], 0) + 1
        assert t["statements"] and all(s.startswith("MQTT-") for s in t["statements"])
        if t["verdict"] == "expected-fail":
            assert t["deviation"] and t["message"] and t["transcript"]
    assert counted == {k: v for k, v in report["summary"].items() if k != "total" and v}

    suites = ET.parse(out / "r.xml").getroot()
    assert int(suites.get("tests")) == len(tests)
    assert int(suites.get("failures")) == report["summary"]["fail"]
    seen = 0
    for case in suites.iter("testcase"):
        protocol, area = case.get("classname").rsplit(".", 1)
        tid = f"{protocol}/{area}/{case.get('name')}"
        verdict = {p.get("name"): p.get("value") for p in case.iter("property")}["verdict"]
        assert tests[tid]["verdict"] == verdict
        assert (case.find("failure") is not None) == (verdict == "fail")
        seen += 1
    assert seen == len(tests)

    md = (out / "r.md").read_text()
    assert "**Verdict: PASS**" in md
    assert report["suite_sha256"] in md
    assert report["broker_version"] in md
    statuses = {s["id"]: s["status"] for s in report["statements"]}
    for line in md.splitlines():
        if line.startswith("| MQTT-"):
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            assert statuses[cells[0]] == cells[3], line
    for t in tests.values():
        if t["verdict"] == "expected-fail":
            assert t["id"] in md
    # every skipped test is listed with its reason, so a reader can judge the skip
    skipped = [t for t in tests.values() if t["verdict"] == "skip"]
    assert skipped
    for t in skipped:
        assert f"| {t['id']} | {t['message']} |" in md, t


def test_summary_prints_the_duration(full_run):
    proc, elapsed, _ = full_run
    assert " in " in proc.stdout.splitlines()[-2]
    print(f"full 3.1.1 suite against embedded mosquitto: {elapsed:.2f} s wall")


# Hostile brokers (silent, garbage, a malformed CONNACK, closing at once, refusing credentials) are
# tested in test_verdicts.py: each is one finding or one setup error, not a hundred failures.


def test_unreachable_broker_is_setup_error(mqtk):
    port = hostile.closed_port()
    proc, elapsed = run(mqtk, "--broker", f"127.0.0.1:{port}", "--timeout", "500")
    assert proc.returncode == 2
    assert "unreachable" in proc.stderr
    assert elapsed < 10


@pytest.mark.parametrize("args", [["--jobs", "0"], ["--bogus"], ["--protocol", "4"], ["--timeout"],
                                  ["--password", "x"]])
def test_usage_errors(mqtk, args):
    proc, _ = run(mqtk, *args)
    assert proc.returncode == 2
    assert "mqtk run:" in proc.stderr


def test_help_documents_exit_codes(mqtk):
    proc, _ = run(mqtk, "--help")
    assert proc.returncode == 0
    for text in ("exit status", "unreachable", "--broker", "--coverage", "--report"):
        assert text in proc.stdout


def test_coverage_lists_every_statement(mqtk):
    proc, _ = run(mqtk, "--coverage")
    assert proc.returncode == 0
    lines = [l for l in proc.stdout.splitlines() if l.strip().startswith("MQTT-")]
    assert len(lines) == 141
    tested = [l for l in lines if " tested " in l and "not yet" not in l]
    assert len(tested) >= 110


def make_suite(tmp_path, repo_root, script):
    suite = tmp_path / "suite"
    (suite / "v3.1.1").mkdir(parents=True)
    shutil.copytree(repo_root / "suite" / "statements", suite / "statements")
    # the real profile's deviations name tests this small suite lacks (an error since issue 4)
    (suite / "profiles").mkdir()
    (suite / "profiles" / "mosquitto.profile").write_text("broker mosquitto\ncapabilities qos1 qos2 retain\n")
    (suite / "v3.1.1" / "area.mqtt").write_text(script)
    return suite


def test_script_error_names_file_line_and_expectation(mqtk, tmp_path, repo_root):
    suite = make_suite(tmp_path, repo_root, "test t\n  statements MQTT-3.1.4-4\n  conect c\nend\n")
    proc, _ = run(mqtk, "--suite", str(suite))
    assert proc.returncode == 2
    assert "area.mqtt:3:3: expected a step" in proc.stderr
    assert "got 'conect'" in proc.stderr


def test_unknown_statement_rejected(mqtk, tmp_path, repo_root):
    suite = make_suite(tmp_path, repo_root, "test t\n  statements MQTT-3.1.4-99\n  connect c [MQTT-3.1.4-99]\nend\n")
    proc, _ = run(mqtk, "--suite", str(suite))
    assert proc.returncode == 2
    assert "MQTT-3.1.4-99, which is not a statement" in proc.stderr


def test_failing_script_reports_line_and_transcript(mqtk, tmp_path, repo_root):
    suite = make_suite(tmp_path, repo_root,
                       "test t\n  statements MQTT-3.1.4-4\n  connect c\n  expect c CONNACK rc=1 within=200 [MQTT-3.1.4-4]\nend\n")
    proc, _ = run(mqtk, "--suite", str(suite), "--json", str(tmp_path / "r.json"))
    assert proc.returncode == 1
    test = json.loads((tmp_path / "r.json").read_text())["tests"][0]
    assert test["verdict"] == "fail" and test["failed_line"] == 4
    assert "c -> CONNECT" in test["transcript"] and "c <- CONNACK" in test["transcript"]
