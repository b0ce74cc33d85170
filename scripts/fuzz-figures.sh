#!/usr/bin/env bash
# Fuzzing figures: for each target, executions per second, coverage (edges, libFuzzer's "cov:") after
# N seconds, and the distinct crashes found in that time. Builds through scripts/oss-fuzz-local.sh
# (clang, libFuzzer, the OSS-Fuzz CFLAGS for the chosen sanitizers) and fuzzes in-process from the seed corpus
# build.sh zipped for the target (fuzz/corpus/<target>, fuzz/regressions/<target>, MQTK_FUZZ_CORPUS). When a target
# crashes the run restarts on the grown corpus until the N seconds are used, so one easy bug does
# not hide the figures; crashes are told apart by their first error line.
#
# usage: scripts/fuzz-figures.sh [--seconds N] [--sanitizer S] [TARGET...]
#   --seconds N      per target (default 60; FUZZ_FIGURES_SECONDS too)
#   --sanitizer S    address+undefined (default, what CI runs), address (OSS-Fuzz's ASan build),
#                    undefined or memory; see scripts/oss-fuzz-local.sh
#   MQTK_FUZZ_BUILD  build directory (default build-fuzz in the repository)
# Prints one row per target; exit 0, or 2 on a setup error. Figures go to fuzz/README.md by hand.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${MQTK_FUZZ_BUILD:-$ROOT/build-fuzz}
SECS=${FUZZ_FIGURES_SECONDS:-60}
SANITIZER=address+undefined
TARGETS=()
while [ $# -gt 0 ]; do
    case $1 in
    --seconds) SECS=${2:?--seconds needs a number}; shift 2 ;;
    --sanitizer) SANITIZER=${2:?--sanitizer needs a name}; shift 2 ;;
    -h | --help) sed -n '2,/^[^#]/{/^#/p}' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz-figures.sh: unknown option $1" >&2; exit 2 ;;
    *) TARGETS+=("$1"); shift ;;
    esac
done
case $SECS in '' | *[!0-9]* | 0) echo "fuzz-figures.sh: --seconds wants a positive whole number" >&2; exit 2 ;; esac

"$ROOT/scripts/oss-fuzz-local.sh" --build-dir "$BUILD" --sanitizer "$SANITIZER" --no-run >/dev/null
BUILD=$(cd "$BUILD" && pwd)
OUT=$BUILD/out
if [ ${#TARGETS[@]} -eq 0 ]; then
    for options in "$OUT"/*.options; do TARGETS+=("$(basename "$options" .options)"); done
fi
option() { sed -n "s/^$2 = //p" "$OUT/$1.options"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

echo "mqtk fuzz figures: ${SECS}s per target, $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "clang $(clang -dumpversion), CFLAGS as OSS-Fuzz (-O1, sanitizers: $SANITIZER), libFuzzer in-process"
printf '%-22s %12s %10s %8s %9s  %s\n' target exec/s edges crashes restarts "first crash"
for t in "${TARGETS[@]}"; do
    base=${t%_structured}
    run=$BUILD/figures/$t
    rm -rf "$run"
    mkdir -p "$run/corpus" "$run/artifacts"
    # the seeds build.sh zipped: fuzz/corpus/<target>, its regressions and MQTK_FUZZ_CORPUS folders
    [ -f "$OUT/${base}_seed_corpus.zip" ] && unzip -q -o "$OUT/${base}_seed_corpus.zip" -d "$run/corpus"
    start=$(now_ms) execs=0 edges=0 restarts=0 first=""
    : >"$run/crashes"
    while :; do
        left=$((SECS - ($(now_ms) - start) / 1000))
        [ "$left" -gt 0 ] || break
        log=$run/log.$restarts
        if "$OUT/$t" -dict="$OUT/$(option "$t" dict)" -max_len="$(option "$t" max_len)" -timeout=10 \
            -rss_limit_mb=2048 -print_final_stats=1 -max_total_time="$left" \
            -artifact_prefix="$run/artifacts/" "$run/corpus" >"$log" 2>&1; then
            crashed=0
        else
            crashed=1
        fi
        n=$(sed -n 's/^stat::number_of_executed_units:[[:space:]]*//p' "$log")
        execs=$((execs + ${n:-0}))
        c=$(grep -o 'cov: [0-9]*' "$log" | cut -d' ' -f2 | sort -n | tail -n 1)
        [ "${c:-0}" -gt "$edges" ] && edges=$c
        [ "$crashed" = 1 ] || break
        msg=$(grep -m 1 -E 'invariant broken|(ERROR|WARNING): [A-Za-z]+Sanitizer|runtime error|ERROR: libFuzzer' "$log" |
            sed 's/^.*\(invariant broken\|ERROR\|WARNING\|runtime error\)/\1/' | cut -c1-100)
        grep -qxF "$msg" "$run/crashes" || echo "$msg" >>"$run/crashes"
        [ -n "$first" ] || first=$msg
        restarts=$((restarts + 1))
        [ "$restarts" -lt 200 ] || break
    done
    elapsed_ms=$(($(now_ms) - start))
    printf '%-22s %12d %10d %8d %9d  %s\n' "$t" $((execs * 1000 / (elapsed_ms > 0 ? elapsed_ms : 1))) "$edges" \
        "$(wc -l <"$run/crashes")" "$restarts" "${first:--}"
done
echo "crash reproducers: $BUILD/figures/<target>/artifacts/"
