#!/usr/bin/env bash
# CI fuzzing: build every fuzz target with clang + libFuzzer + ASan/UBSan through the OSS-Fuzz
# build script (scripts/oss-fuzz-local.sh) and fuzz each one for a bounded time on its seed corpus
# (fuzz/corpus/<target> plus fuzz/regressions/<target>, so every known crash is re-checked first).
#
# usage: scripts/fuzz-ci.sh [TARGET...]
#   FUZZ_SECONDS     seconds per target (default 30); FUZZ_JOBS targets at a time (default: the CPU count),
#                    so 9 targets on 2 CPUs take about 2.5 minutes plus a ~1 minute build
#   MQTK_FUZZ_BUILD  build directory (default build-fuzz-ci in the repository)
# Exit codes: 0 no crash, 1 a target crashed (its reproducer path and hex are printed), 2 setup error
# (clang or the libFuzzer runtime missing: the message names the Debian package).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
case ${1:-} in -h | --help) sed -n '2,/^[^#]/{/^#/p}' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
BUILD=${MQTK_FUZZ_BUILD:-$ROOT/build-fuzz-ci}
status=0
"$ROOT/scripts/oss-fuzz-local.sh" --build-dir "$BUILD" --seconds "$FUZZ_SECONDS" \
    --jobs "${FUZZ_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}" "$@" || status=$?
case $status in
0) echo "fuzz-ci: no crash (${FUZZ_SECONDS}s per target)" ;;
1)
    echo "fuzz-ci: FAILED - a fuzz target crashed. Reproduce with the replay line above; once understood," >&2
    echo "  copy the reproducer to fuzz/regressions/<target>/ (kept forever) and note it in the bug list." >&2
    ;;
*) echo "fuzz-ci: setup error (exit $status)" >&2 ;;
esac
exit "$status"
