"""`mqtk fuzz --edge-coverage` against a real instrumented broker: cov_broker.c built with AFL++'s
compiler (Debian's afl++, which scripts/setup.sh --deps installs), started by --exec. The map mqtk
makes is read (edges > 0, more after more sessions), steering keeps sessions for new edges or hit
counts alone (and only counting does not), and a broker without the instrumentation, or a map size
AFL_MAP_SIZE does not give, is a setup error that says so."""
import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "conformance"))
import hostile  # noqa: E402

SOURCE = pathlib.Path(__file__).with_name("cov_broker.c")
AFL_CC = shutil.which("afl-cc") or shutil.which("afl-clang-fast")


def build(out, cc, env=None):
    r = subprocess.run([cc, "-O1", "-o", str(out), str(SOURCE)], capture_output=True, text=True, timeout=120,
                       env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    return out


@pytest.fixture(scope="module")
def instrumented(tmp_path_factory):
    if not AFL_CC:
        pytest.skip("AFL++'s compiler (afl-cc, Debian package afl++) is not installed: scripts/setup.sh --deps "
                    "installs it")
    return build(tmp_path_factory.mktemp("afl") / "cov_broker", AFL_CC, dict(os.environ, AFL_QUIET="1"))


def fuzz(mqtk, broker, out, *args, env=None, timeout=240):
    port = hostile.closed_port()
    r = subprocess.run([mqtk, "fuzz", "--exec", f"exec {broker} {port}", "--broker", f"127.0.0.1:{port}",
                        "--seed", "1", "--timeout", "300", "--no-minimize", "--quiet", "--json", "--out", str(out),
                        *args], capture_output=True, text=True, timeout=timeout, env=env)
    assert r.returncode in (0, 1), r.stdout + r.stderr  # the test broker is lax: must-close findings are fine
    return json.loads(r.stdout)


def test_edge_map_is_read_and_grows(mqtk, instrumented, tmp_path):
    few = fuzz(mqtk, instrumented, tmp_path / "few", "--edge-count", "--sessions", "2")
    many = fuzz(mqtk, instrumented, tmp_path / "many", "--edge-count", "--sessions", "120")
    assert few["edge_coverage"] == "count" and many["edge_coverage"] == "count"
    assert few["edges"] > 0, few
    assert many["edges"] > few["edges"], (few["edges"], many["edges"])
    assert many["corpus_by_edges"] == 0  # counted, not steered by


def test_new_edges_keep_sessions(mqtk, instrumented, tmp_path):
    """With steering, sessions whose answers were nothing new are kept because they reached new edges
    or hit counts: the coverage changes what the fuzzer mutates next."""
    # one client and one version: fewer new answers, so more sessions are judged by their edges alone
    r = fuzz(mqtk, instrumented, tmp_path / "steer", "--edge-coverage", "--sessions", "400", "--protocol", "3.1.1",
             "--clients", "1")
    assert r["edge_coverage"] == "steer" and r["edges"] > 0, r
    assert r["corpus_by_edges"] > 0, r
    assert r["corpus"] >= r["corpus_by_edges"]


def test_progress_line_names_the_edges(mqtk, instrumented, tmp_path):
    port = hostile.closed_port()
    r = subprocess.run([mqtk, "fuzz", "--exec", f"exec {instrumented} {port}", "--broker", f"127.0.0.1:{port}",
                        "--edge-coverage", "--duration", "2.5", "--timeout", "300", "--no-minimize", "--out",
                        str(tmp_path / "o")], capture_output=True, text=True, timeout=120)
    assert r.returncode in (0, 1), r.stderr
    lines = [x for x in r.stderr.splitlines() if x.startswith("[fuzz]")]
    assert lines and all("  edges " in x for x in lines), r.stderr[:1000]
    assert " edges, " in r.stderr, r.stderr[-500:]


def test_broker_without_instrumentation_is_a_setup_error(mqtk, tmp_path):
    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc:
        pytest.skip("no C compiler")
    plain = build(tmp_path / "plain_broker", cc)
    port = hostile.closed_port()
    r = subprocess.run([mqtk, "fuzz", "--exec", f"exec {plain} {port}", "--broker", f"127.0.0.1:{port}",
                        "--edge-coverage", "--sessions", "3", "--quiet", "--out", str(tmp_path / "o")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "did not attach the edge map" in r.stderr and "afl-cc" in r.stderr, r.stderr


def test_option_errors(mqtk, tmp_path):
    for args, why in [(["--edge-coverage"], "it needs --exec"),
                      (["--edge-count", "--broker", "127.0.0.1:1"], "it needs --exec"),
                      (["--edge-coverage", "--edge-count", "--exec", "true", "--broker", "127.0.0.1:1"],
                       "exclude each other")]:
        r = subprocess.run([mqtk, "fuzz", *args, "--out", str(tmp_path / "o")], capture_output=True, text=True,
                           timeout=60)
        assert r.returncode == 2 and why in r.stderr, (args, r.stderr)
    r = subprocess.run([mqtk, "fuzz", "--edge-coverage", "--exec", "true", "--broker", "127.0.0.1:1", "--out",
                        str(tmp_path / "o")], capture_output=True, text=True, timeout=60,
                       env=dict(os.environ, AFL_MAP_SIZE="lots"))
    assert r.returncode == 2 and "AFL_MAP_SIZE=lots" in r.stderr, r.stderr
