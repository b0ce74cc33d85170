#!/usr/bin/env bash
# CI fuzzing: build every fuzz target with clang + libFuzzer through the OSS-Fuzz build script
# (scripts/oss-fuzz-local.sh), check each one as OSS-Fuzz's bad-build check does (4 runs from an empty
# corpus must find coverage, at least 100 edges instrumented: scripts/fuzz-bad-build-check.sh), and
# fuzz each one for a bounded time on its seed corpus
# (fuzz/corpus/<target> plus fuzz/regressions/<target>, so every known crash is re-checked first):
# first with ASan + UBSan in one binary, then with MSan (OSS-Fuzz's memory build; targets that link
# a system library are left out of it).
#
# usage: scripts/fuzz-ci.sh [TARGET...]
#   FUZZ_SECONDS       seconds per target with ASan+UBSan (default 30); FUZZ_JOBS targets at a time
#                      (default: the CPU count), so 10 targets on 2 CPUs take about 2.5 minutes plus
#                      a ~15 s build
#   FUZZ_MSAN_SECONDS  seconds per target with MSan (default 10; 0 skips the MSan build)
#   MQTK_FUZZ_BUILD    build directory (default build-fuzz-ci in the repository; MSan uses it + "-msan")
# The bad-build check runs for every sanitizer built (ASan+UBSan, then MSan).
# Exit codes: 0 no crash and no bad build, 1 a target crashed (its reproducer path and hex are printed)
# or failed the bad-build check, 2 setup error (clang or the libFuzzer runtime missing: the message
# names the Debian package).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
case ${1:-} in -h | --help) sed -n '2,/^[^#]/{/^#/p}' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
FUZZ_MSAN_SECONDS=${FUZZ_MSAN_SECONDS:-10}
BUILD=${MQTK_FUZZ_BUILD:-$ROOT/build-fuzz-ci}
JOBS=${FUZZ_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}

# fuzz_with SANITIZER SECONDS BUILD_DIR [TARGET...]: one oss-fuzz-local.sh run; prints its verdict
fuzz_with() {
    local sanitizer=$1 seconds=$2 dir=$3 status=0
    shift 3
    "$ROOT/scripts/oss-fuzz-local.sh" --build-dir "$dir" --sanitizer "$sanitizer" --seconds "$seconds" \
        --jobs "$JOBS" "$@" || status=$?
    case $status in
    0) echo "fuzz-ci: no crash with $sanitizer (${seconds}s per target), every target passes the bad-build check" ;;
    1)
        if grep -q 'BAD BUILD' "$dir/logs/bad-build-check.log" 2>/dev/null; then
            echo "fuzz-ci: FAILED - a fuzz target fails OSS-Fuzz's bad-build check under $sanitizer (BAD BUILD above)." >&2
        fi
        if grep -q 'CRASH' "$dir"/logs/*.report 2>/dev/null; then
            echo "fuzz-ci: FAILED - a fuzz target crashed under $sanitizer. Reproduce with the replay line above;" >&2
            echo "  once understood, copy the reproducer to fuzz/regressions/<target>/ (kept forever) and note it in the bug list." >&2
        fi
        ;;
    *) echo "fuzz-ci: setup error (exit $status)" >&2 ;;
    esac
    return "$status"
}

status=0
fuzz_with address+undefined "$FUZZ_SECONDS" "$BUILD" "$@" || status=$?
if [ "$status" != 2 ] && [ "$FUZZ_MSAN_SECONDS" != 0 ]; then
    msan=0
    fuzz_with memory "$FUZZ_MSAN_SECONDS" "$BUILD-msan" "$@" || msan=$?
    [ "$msan" -gt "$status" ] && status=$msan
fi
exit "$status"
