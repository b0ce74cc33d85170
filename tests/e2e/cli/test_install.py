"""One version number (CMake's project version) everywhere, and `cmake --install` putting mqtk and the
suite where `mqtk run` finds them: --suite, then $MQTK_SUITE, then PREFIX/share/mqtk/suite, then the
source tree."""
import json
import os
import pathlib
import re
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
BUILD = pathlib.Path(os.environ.get("MQTK_BUILD", ROOT / "build"))


def project_version():
    m = re.search(r"project\(mqtk VERSION (\d+\.\d+\.\d+)", (ROOT / "CMakeLists.txt").read_text())
    assert m, "no project version in CMakeLists.txt"
    return m.group(1)


def test_version_is_cmakes(mqtk):
    out = subprocess.run([mqtk, "--version"], capture_output=True, text=True, timeout=10).stdout
    v = project_version()
    assert out == f"mqtk {v} (codec {v})\n"


def test_run_report_names_the_version(mqtk, tmp_path):
    """One quick test against the embedded mosquitto: the JSON report's tool_version is CMake's."""
    if not shutil.which("mosquitto") and not pathlib.Path("/usr/sbin/mosquitto").exists():
        pytest.skip("mosquitto is not installed")
    r = subprocess.run([mqtk, "run", "--protocol", "3.1.1", "--filter", "3.1.1/connect/accept-valid-connect",
                        "--json", str(tmp_path / "r.json")], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert json.loads((tmp_path / "r.json").read_text())["tool_version"] == project_version()


def list_count(mqtk, *args, env=None, cwd=None):
    """Tests listed (with --broker, so no profile file is read: the thinned copy has none to match)."""
    r = subprocess.run([mqtk, "run", "--protocol", "5", "--list", "--broker", "127.0.0.1:1", *args],
                       capture_output=True, text=True, timeout=60, env=env, cwd=cwd)
    assert r.returncode == 0, r.stderr
    return len([line for line in r.stdout.splitlines() if line.strip()])


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    if not (BUILD / "CMakeCache.txt").is_file():
        pytest.skip(f"no CMake build at {BUILD}")
    prefix = tmp_path_factory.mktemp("prefix")
    r = subprocess.run(["cmake", "--install", str(BUILD), "--prefix", str(prefix)], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    return prefix


def test_install_lays_out_binary_and_suite(installed):
    assert (installed / "bin" / "mqtk").is_file()
    suite = installed / "share" / "mqtk" / "suite"
    for part in ("v3.1", "v3.1.1", "v5.0", "statements", "profiles"):
        assert (suite / part).is_dir(), part
    assert sorted(p.name for p in (suite / "v5.0").glob("*.mqtt")) == \
        sorted(p.name for p in (ROOT / "suite" / "v5.0").glob("*.mqtt"))


def test_installed_mqtk_finds_its_suite_then_env_then_option(installed, tmp_path):
    mqtk = str(installed / "bin" / "mqtk")
    env = {k: v for k, v in os.environ.items() if k != "MQTK_SUITE"}
    full = list_count(mqtk, env=env, cwd=tmp_path)
    # thin the installed copy: the installed mqtk must now list fewer tests, so it reads that copy
    scripts = sorted((installed / "share" / "mqtk" / "suite" / "v5.0").glob("*.mqtt"))
    assert len(scripts) > 1
    kept = scripts[0]
    backup = tmp_path / "backup"
    backup.mkdir()
    for s in scripts[1:]:
        shutil.move(str(s), backup / s.name)
    try:
        thin = list_count(mqtk, env=env, cwd=tmp_path)
        assert 0 < thin < full
        # $MQTK_SUITE wins over the installed copy, --suite over both
        assert list_count(mqtk, env=dict(env, MQTK_SUITE=str(ROOT / "suite")), cwd=tmp_path) == full
        assert list_count(mqtk, "--suite", str(installed / "share" / "mqtk" / "suite"),
                          env=dict(env, MQTK_SUITE=str(ROOT / "suite")), cwd=tmp_path) == thin
    finally:
        for s in backup.iterdir():
            shutil.move(str(s), kept.parent / s.name)


def test_build_tree_mqtk_falls_back_to_the_source_tree(mqtk, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "MQTK_SUITE"}
    assert list_count(mqtk, env=env, cwd=tmp_path) == list_count(mqtk, "--suite", str(ROOT / "suite"), cwd=tmp_path)
