"""The fuzz build scripts name what is missing instead of failing with a compiler or linker error
(fuzz issue: "bad input to the build gives a clear message"), and refuse bad options with exit 2.
Only the toolchain probes run here; the full build and a fuzzing run are the fuzz stage of
scripts/test.sh (scripts/fuzz-ci.sh)."""
import os
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.skipif(shutil.which("clang") is None, reason="clang is a listed dependency; setup.sh installs it")


def run(repo_root, script, *args, env=None, tmp_path):
    full_env = dict(os.environ)
    full_env.update(env or {})
    full_env.setdefault("MQTK_FUZZ_BUILD", str(tmp_path / "build-fuzz"))
    return subprocess.run([str(repo_root / "scripts" / script), *args], capture_output=True, text=True,
                          env=full_env, timeout=120)


def clang_major():
    return subprocess.run(["clang", "-dumpversion"], capture_output=True, text=True, check=True).stdout.split(".")[0]


def test_missing_compiler_is_named(repo_root, tmp_path):
    r = run(repo_root, "oss-fuzz-local.sh", "--no-run", env={"CC": str(tmp_path / "no-such-clang")}, tmp_path=tmp_path)
    assert r.returncode == 2
    assert "no-such-clang not found: install clang" in r.stderr


def test_gcc_is_refused_as_not_clang(repo_root, tmp_path):
    r = run(repo_root, "oss-fuzz-local.sh", "--no-run", env={"CC": "gcc"}, tmp_path=tmp_path)
    assert r.returncode == 2
    assert "CC=gcc is not clang" in r.stderr


def test_missing_libfuzzer_runtime_names_the_package(repo_root, tmp_path):
    # a resource directory without the runtime libraries is what a clang without libclang-rt-N-dev has
    empty = tmp_path / "resource-dir"
    empty.mkdir()
    env = {"CC": f"clang -resource-dir={empty}", "CXX": f"clang++ -resource-dir={empty}"}
    r = run(repo_root, "oss-fuzz-local.sh", "--no-run", env=env, tmp_path=tmp_path)
    assert r.returncode == 2
    assert f"install libclang-rt-{clang_major()}-dev" in r.stderr
    assert "libclang_rt.fuzzer" in r.stderr  # the linker's own words, trimmed to the line that matters
    assert not (tmp_path / "build-fuzz" / "out").exists()  # stopped before build.sh


def test_fuzz_ci_reports_the_setup_error(repo_root, tmp_path):
    r = run(repo_root, "fuzz-ci.sh", env={"CC": "gcc"}, tmp_path=tmp_path)
    assert r.returncode == 2
    assert "is not clang" in r.stderr and "fuzz-ci: setup error (exit 2)" in r.stderr


@pytest.mark.parametrize("script,args,message", [
    ("oss-fuzz-local.sh", ["--sanitizer", "thread"], "--sanitizer wants address+undefined, address, undefined or memory"),
    ("oss-fuzz-local.sh", ["--seconds", "ten"], "--seconds wants a whole number"),
    ("oss-fuzz-local.sh", ["--jobs", "0"], "--jobs wants a positive whole number"),
    ("oss-fuzz-local.sh", ["--bogus"], "unknown option --bogus"),
    ("oss-fuzz-local.sh", ["no_such_target"], "no fuzz target no_such_target (fuzz/no_such_target.c does not exist)"),
    ("fuzz-figures.sh", ["--seconds", "0"], "--seconds wants a positive whole number"),
    ("fuzz-figures.sh", ["--bogus"], "unknown option --bogus"),
])
def test_bad_options_exit_2(repo_root, tmp_path, script, args, message):
    r = run(repo_root, script, *args, tmp_path=tmp_path)
    assert r.returncode == 2
    assert message in r.stderr


@pytest.mark.parametrize("script", ["oss-fuzz-local.sh", "fuzz-ci.sh", "fuzz-figures.sh", "fuzz-bad-build-check.sh"])
def test_help_describes_usage_and_exit_codes(repo_root, tmp_path, script):
    r = run(repo_root, script, "--help", tmp_path=tmp_path)
    assert r.returncode == 0
    assert "usage: scripts/" + script in r.stdout
    assert "exit" in r.stdout.lower()


# Targets planted in a copy of the fuzz tree; each misbehaves on any input that starts with "MQ".
PLANTED_HEAD = r"""/* all logic is here, so the harness must carry the coverage libFuzzer needs
 * MQTK_FUZZ_TRACE_HARNESS: yes */
#include <stdlib.h>
#include <string.h>

#include "fuzz_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || data[0] != 'M' || data[1] != 'Q')
        return 0;
"""
PLANTED_OVERFLOW = PLANTED_HEAD + r"""    uint8_t *copy = malloc(size);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    volatile uint8_t past = copy[size]; /* one byte past the copy: ASan */
    free(copy);
    return past;
}
"""
# Like the project's harnesses it gets no coverage counters (no MQTK_FUZZ_TRACE_HARNESS), but it never
# calls into the instrumented code: libFuzzer has nothing to start from, and OSS-Fuzz rejects the build.
PLANTED_NOCOV = r"""/* never reaches instrumented code */
#include "fuzz_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)data;
    (void)size;
    return 0;
}
"""
PLANTED_UNINIT = PLANTED_HEAD + r"""    uint8_t *fresh = malloc(size);
    if (!fresh)
        return 0;
    int odd = fresh[0] & 1; /* never written: MSan, once it decides a branch */
    if (odd)
        fresh[1] = 1;
    free(fresh);
    return 0;
}
"""


@pytest.fixture(scope="module")
def planted_tree(repo_root, tmp_path_factory):
    """A copy of what build.sh needs, with only the planted targets, each seeded with "MQTT"."""
    tree = tmp_path_factory.mktemp("planted") / "tree"
    shutil.copytree(repo_root / "lib" / "codec", tree / "lib" / "codec")
    (tree / "scripts").mkdir()
    for script in ("oss-fuzz-local.sh", "fuzz-ci.sh", "fuzz-bad-build-check.sh"):
        shutil.copy2(repo_root / "scripts" / script, tree / "scripts" / script)
    (tree / "fuzz").mkdir()
    for name in ("fuzz_support.c", "fuzz_support.h", "fuzz_target.h", "mutator.c", "mqtt.dict"):
        shutil.copy2(repo_root / "fuzz" / name, tree / "fuzz" / name)
    shutil.copytree(repo_root / "fuzz" / "oss-fuzz", tree / "fuzz" / "oss-fuzz")
    for name, text in (("planted_overflow", PLANTED_OVERFLOW), ("planted_uninit", PLANTED_UNINIT),
                       ("planted_nocov", PLANTED_NOCOV)):
        (tree / "fuzz" / f"{name}.c").write_text(text)
        (tree / "fuzz" / "corpus" / name).mkdir(parents=True)
        (tree / "fuzz" / "corpus" / name / "seed").write_bytes(b"MQTT")
    return tree


def fuzz_ci(tree, tmp_path, target, **env):
    full_env = dict(os.environ, FUZZ_JOBS="1", MQTK_FUZZ_BUILD=str(tmp_path / "build"), **env)
    return subprocess.run([str(tree / "scripts" / "fuzz-ci.sh"), target], capture_output=True, text=True,
                          env=full_env, timeout=300)


def assert_reported(r, target, sanitizer, error):
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"== {target}" in r.stdout and "CRASH" in r.stdout
    assert error in r.stdout
    assert "hex: 4d515454" in r.stdout  # the seed is the reproducer
    assert "replay: " in r.stdout and "reproducer: " in r.stdout
    assert f"fuzz-ci: FAILED - a fuzz target crashed under {sanitizer}" in r.stderr


def test_a_crash_fails_ci_and_prints_the_reproducer(planted_tree, tmp_path):
    r = fuzz_ci(planted_tree, tmp_path, "planted_overflow", FUZZ_SECONDS="5", FUZZ_MSAN_SECONDS="0")
    assert_reported(r, "planted_overflow", "address+undefined", "heap-buffer-overflow")


def test_the_msan_stage_catches_what_asan_cannot(planted_tree, tmp_path):
    r = fuzz_ci(planted_tree, tmp_path, "planted_uninit", FUZZ_SECONDS="1", FUZZ_MSAN_SECONDS="5")
    assert "fuzz-ci: no crash with address+undefined" in r.stdout
    assert_reported(r, "planted_uninit", "memory", "use-of-uninitialized-value")
    # a target with coverage passes the bad-build check under both sanitizers (the codec is linked)
    checks = [x for x in r.stdout.splitlines() if x.startswith("bad-build check: planted_uninit")]
    assert len(checks) == 2 and all(int(x.split("ok (")[1].split()[0]) >= 100 for x in checks), checks
    assert "BAD BUILD" not in r.stdout


def test_a_target_without_coverage_fails_the_bad_build_check(planted_tree, tmp_path):
    r = fuzz_ci(planted_tree, tmp_path, "planted_nocov", FUZZ_SECONDS="1", FUZZ_MSAN_SECONDS="0")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "bad-build check: planted_nocov" in r.stdout
    assert "BAD BUILD: no coverage" in r.stdout and "no interesting inputs were found" in r.stdout
    assert "fuzz-ci: FAILED - a fuzz target fails OSS-Fuzz's bad-build check under address+undefined" in r.stderr
    assert "NO COVERAGE" in r.stdout and "crashed" not in r.stderr  # the fuzzing run is not called a crash


@pytest.mark.parametrize("args,message", [([], "usage: scripts/fuzz-bad-build-check.sh"),
                                          (["/no/such/dir"], "no directory /no/such/dir")])
def test_bad_build_check_usage_errors(repo_root, tmp_path, args, message):
    r = run(repo_root, "fuzz-bad-build-check.sh", *args, tmp_path=tmp_path)
    assert r.returncode == 2
    assert message in r.stderr
