#!/usr/bin/env bash
# The whole conformance suite (--protocol all) against the embedded broker over each transport, side by
# side: TCP, TLS (mosquitto's TLS listener, throwaway CA) and WebSocket (mosquitto behind the bridge).
# Rounds are interleaved (each transport runs once per round, so a busy spell hurts all alike) and the
# best round counts: wall time, mqtk's CPU time (user+sys), the ratio to TCP, and the load average
# before and after. The suite's wall time is mostly its own waits (timeouts, settle windows), so the
# CPU column shows what a transport itself costs.
#   scripts/bench-transports.sh [--runs N] [--transports "tcp tls ws"]
#   MQTK_BENCH_BUILD=DIR   build directory (default build-bench; Release)
# Exit codes: 0 figures printed (a missed target is printed, not an error), 2 usage or setup error or
# a run that did not pass.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${MQTK_BENCH_BUILD:-build-bench}
runs=3
transports="tcp tls ws"
usage() { sed -n '2,12s/^# \{0,1\}//p' "$0"; }
die() { echo "bench-transports: $1" >&2; exit 2; }
while (($#)); do
    case $1 in
        --help|-h) usage; exit 0 ;;
        --runs) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--runs needs a positive number"; runs=$2; shift ;;
        --transports) [[ ${2:-} =~ ^(tcp|tls|ws)( (tcp|tls|ws))*$ ]] || die "--transports takes tcp, tls, ws"
                      transports=$2; shift ;;
        *) usage >&2; die "unknown argument '$1'" ;;
    esac
    shift
done
[ -x /usr/bin/time ] || die "/usr/bin/time not found (apt-get install time)"
echo "building mqtk (Release) in $BUILD ..." >&2
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DMQTK_TESTS=OFF >/dev/null || die "cmake failed"
nice -n 10 cmake --build "$BUILD" --target mqtk -j2 >/dev/null || die "build failed"
MQTK=$BUILD/mqtk
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

declare -A best_wall best_cpu tests
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((round = 1; round <= runs; round++)); do
    for t in $transports; do
        if ! /usr/bin/time -f '%e %U %S' -o "$tmp/time" "$MQTK" run --transport "$t" --protocol all \
                --json "$tmp/$t.json" >"$tmp/out" 2>&1; then
            tail -5 "$tmp/out" >&2
            die "the run over $t did not pass"
        fi
        read -r wall user sys <"$tmp/time"
        cpu=$(printf '%.2f' "$(echo "$user + $sys" | bc)")
        tests[$t]=$(grep -o '"total": [0-9]*' "$tmp/$t.json" | head -1 | grep -o '[0-9]*$')
        echo "round $round $t: ${wall} s wall, ${cpu} s CPU" >&2
        if [ -z "${best_wall[$t]:-}" ] || (($(echo "$wall < ${best_wall[$t]}" | bc))); then best_wall[$t]=$wall; fi
        if [ -z "${best_cpu[$t]:-}" ] || (($(echo "$cpu < ${best_cpu[$t]}" | bc))); then best_cpu[$t]=$cpu; fi
    done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

first=${transports%% *}
printf '\nwhole suite (--protocol all) against the embedded broker, best of %d, %d cores\n' "$runs" "$(nproc)"
printf 'load average before: %s, after: %s\n\n' "$load_before" "$load_after"
printf '%-10s %6s %10s %8s %10s %8s\n' transport tests "wall (s)" "x $first" "CPU (s)" "x $first"
for t in $transports; do
    wr=$(echo "scale=2; ${best_wall[$t]} / ${best_wall[$first]}" | bc)
    cr=$(echo "scale=2; ${best_cpu[$t]} / ${best_cpu[$first]}" | bc)
    printf '%-10s %6s %10.2f %8.2f %10.2f %8.2f\n' "$t" "${tests[$t]}" "${best_wall[$t]}" "$wr" "${best_cpu[$t]}" "$cr"
done
for t in $transports; do
    [ "$t" = "$first" ] && continue
    if (($(echo "${best_wall[$t]} >= 1.5 * ${best_wall[$first]}" | bc))); then
        echo "target missed: $t costs 1.5x $first or more in wall time"
    fi
done
