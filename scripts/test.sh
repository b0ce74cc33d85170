#!/usr/bin/env bash
# Run every test of mqtk: the Check unit tests in a normal and in an ASan+UBSan build (and a clang build
# that must compile without a warning), the codec's
# no-allocator rule, the fuzz targets (briefly, with libFuzzer: ASan+UBSan, then MSan), and the pytest suites.
# Runs every stage even when one fails; exits 1 if any failed (naming them), 0 otherwise, in which
# case pytest's summary is the last line.
#   FUZZ_SECONDS=N       seconds per fuzz target with ASan+UBSan (default 30; 0 skips the libFuzzer stage)
#   FUZZ_MSAN_SECONDS=N  seconds per fuzz target with MSan (default 10; 0 skips the MSan build)
set -uo pipefail
cd "$(dirname "$0")/.."
JOBS=$(nproc)
failed=()

stage() { printf '\n=== %s\n' "$1"; }
run_stage() { # name, command...
    local name=$1; shift
    stage "$name"
    "$@" || { echo "--- $name: FAILED"; failed+=("$name"); }
}

build() { # dir, extra cmake args...
    local dir=$1; shift
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null && cmake --build "$dir" -j"$JOBS" >/dev/null
}

no_allocator() {
    local lib=build/lib/codec/libmqttcodec.a refs
    refs=$(nm -u "$lib" | grep -wE 'malloc|calloc|realloc|free|strdup|strndup' | sort -u | tr '\n' ' ')
    if [ -n "$refs" ]; then echo "libmqttcodec.a references an allocator: $refs"; return 1; fi
    echo "libmqttcodec.a references no allocator"
}

run_stage "build" build build
run_stage "build (ASan+UBSan)" build build-asan -DMQTK_SANITIZE=ON
# clang too (-Werror with its own warnings: it catches what gcc does not, e.g. a designated entry left
# short, or an array tested for truth); built, not run again
run_stage "build (clang)" build build-clang -DCMAKE_C_COMPILER=clang
run_stage "codec uses no allocator" no_allocator
run_stage "unit tests" ctest --test-dir build --output-on-failure -j"$JOBS"
run_stage "unit tests (ASan+UBSan)" ctest --test-dir build-asan --output-on-failure -j"$JOBS"
if [ "${FUZZ_SECONDS:-30}" != 0 ]; then
    run_stage "fuzz targets (libFuzzer)" scripts/fuzz-ci.sh
fi
# The hostile-server tests again against the ASan+UBSan binary: bounded, named errors without a report.
run_stage "hostile WebSocket servers (ASan+UBSan)" env MQTK_BUILD="$PWD/build-asan" /usr/bin/python3 -m pytest -q \
    tests/e2e/conformance/test_websocket.py -k "hostile or pings or ws_frame_cuts"
# The TLS transport against hostile servers, mosquitto with mutual TLS and the option checks, under
# ASan+UBSan (the whole-suite comparison runs in the pytest stage).
run_stage "TLS tests (ASan+UBSan)" env MQTK_BUILD="$PWD/build-asan" /usr/bin/python3 -m pytest -q tests/e2e/net \
    -k "not whole_suite"
# mqtk fuzz against hostile brokers and a crashing --exec broker, and its shortened rediscovery run, with
# the ASan+UBSan binary.
run_stage "broker fuzzer (ASan+UBSan)" env MQTK_BUILD="$PWD/build-asan" /usr/bin/python3 -m pytest -q \
    tests/e2e/brokerfuzz
# pytest last: its closing line is the run's last word. Debian's interpreter, not the first on PATH.
run_stage "pytest" env MQTK_BUILD="$PWD/build" /usr/bin/python3 -m pytest -q tests/e2e

if ((${#failed[@]})); then
    printf '\nFAILED stages: %s\n' "${failed[*]}"
    exit 1
fi
