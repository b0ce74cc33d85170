#!/usr/bin/env bash
# OSS-Fuzz's bad-build check for libFuzzer targets, as its base-runner's bad_build_check does it, so a
# build that OSS-Fuzz or ClusterFuzzLite would reject fails here first. Each target runs 4 times
# (-seed=1337 -runs=4) from an empty corpus, and fails when
#   - libFuzzer says "no interesting inputs were found": no input reached instrumented code, so the
#     fuzzer has nothing to start from (e.g. a harness without coverage counters that returns before
#     calling the code under test);
#   - fewer than 100 edges are instrumented (libFuzzer's "Loaded N modules (E inline 8-bit counters)");
#   - it does not finish its 4 runs (a crash or exit at start-up).
# OSS-Fuzz's other checks (sanitizer calls counted by objdump, the seed corpus replayed) are not
# repeated: CI builds ASan and UBSan into one binary on purpose, and replays the seeds when it fuzzes.
#
# usage: scripts/fuzz-bad-build-check.sh OUT_DIR [TARGET...]
#   OUT_DIR  where build.sh put the targets (default targets: every OUT_DIR/<target>.options)
# Prints one line per target: "ok" with the instrumented edges and libFuzzer's cov: after the 4 runs,
# or "BAD BUILD" with the reason and the output's last lines.
# Exit codes: 0 every target passes, 1 at least one is a bad build, 2 usage error.
set -uo pipefail
usage() { sed -n '2,/^[^#]/{/^#/p}' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
case ${1:-} in
-h | --help) usage; exit 0 ;;
'' | -*) usage >&2; exit 2 ;;
esac
[ -d "$1" ] || { echo "fuzz-bad-build-check.sh: no directory $1" >&2; exit 2; }
OUT=$(cd "$1" && pwd)
shift
MIN_RUNS=4 MIN_EDGES=100
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
    for options in "$OUT"/*.options; do
        [ -f "$options" ] && TARGETS+=("$(basename "$options" .options)")
    done
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

bad=0
for t in "${TARGETS[@]}"; do
    if [ ! -x "$OUT/$t" ]; then
        echo "fuzz-bad-build-check.sh: no target $OUT/$t" >&2
        exit 2
    fi
    log=$work/$t.log
    mkdir -p "$work/$t"
    # an empty corpus: no corpus directory at all, as OSS-Fuzz runs it; artefacts kept out of the tree
    (cd "$work/$t" && "$OUT/$t" -seed=1337 -runs=$MIN_RUNS -artifact_prefix="$work/$t/" >"$log" 2>&1)
    edges=$(sed -n 's/^INFO: Loaded [0-9]* module.*(\([0-9]*\) \(inline 8-bit counters\|guards\)).*/\1/p' "$log" | head -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
    reason=""
    if grep -q 'ERROR: no interesting inputs were found' "$log"; then
        reason="no coverage: no input reached instrumented code (\"no interesting inputs were found\")"
    elif [ -z "$edges" ] || ! grep -q "^Done $MIN_RUNS runs" "$log"; then
        reason="did not finish $MIN_RUNS runs (start-up crash or exit)"
    elif [ "$edges" -lt $MIN_EDGES ]; then
        reason="only $edges edges instrumented (at least $MIN_EDGES): partial coverage instrumentation"
    fi
    if [ -z "$reason" ]; then
        printf 'bad-build check: %-22s ok (%s edges instrumented, cov: %s after %s runs)\n' "$t" "$edges" "${cov:-0}" $MIN_RUNS
    else
        printf 'bad-build check: %-22s BAD BUILD: %s\n' "$t" "$reason"
        tail -n 5 "$log" | sed 's/^/    /'
        bad=1
    fi
done
exit $bad
