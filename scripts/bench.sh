#!/usr/bin/env bash
# Benchmark the mqtk codec against mqtt-packet (the most used JavaScript MQTT codec) on the same corpus.
# Builds mqtk-bench and the malloc-counting shim in Release into build-bench/, installs a pinned
# mqtt-packet from npm into build-bench/node/ (git-ignored), writes the corpus mqtk-bench builds with
# the codec's encoder, times both on it in interleaved rounds (mqtk, mqtt-packet, mqtk, ...; best of
# N runs in all for each figure, mqtt-packet after a JIT warm-up), prints the load average, counts
# mqtk's instructions per packet with valgrind --tool=callgrind (exact even on a busy machine) and
# prints everything side by side with the ratio per packet type and overall.
#   scripts/bench.sh [--json] [--quick] [--runs N] [--rounds R] [--min-time MS] [--no-callgrind]
#   MQTK_BENCH_BUILD=DIR   build directory (default build-bench)
# Exit codes: 0 figures printed (a missed speed target is printed, not an error), 1 a finding (a corpus
# packet failed to decode or round-trip, the codec allocated, or mqtt-packet failed on the corpus),
# 2 usage or setup error (build, npm install, missing node).
set -euo pipefail
cd "$(dirname "$0")/.."

MQTT_PACKET_VERSION=9.0.2
BUILD=${MQTK_BENCH_BUILD:-build-bench}
json=0
runs=15
rounds=3
min_time=20
warmup=1000
callgrind=1

usage() { sed -n '2,14s/^# \{0,1\}//p' "$0"; }
die() { echo "bench: $1" >&2; exit "${2:-2}"; }
positive() { [[ ${1:-} =~ ^[1-9][0-9]*$ ]]; }

while (($#)); do
    case $1 in
        --help|-h) usage; exit 0 ;;
        --json) json=1 ;;
        --quick) runs=3; rounds=1; min_time=5; warmup=300 ;;
        --runs) positive "${2:-}" || die "--runs needs a positive number"; runs=$2; shift ;;
        --rounds) positive "${2:-}" || die "--rounds needs a positive number"; rounds=$2; shift ;;
        --no-callgrind) callgrind=0 ;;
        --min-time) positive "${2:-}" || die "--min-time needs milliseconds"; min_time=$2; shift ;;
        *) usage >&2; die "unknown argument '$1'" ;;
    esac
    shift
done

command -v cmake >/dev/null || die "cmake not found (scripts/setup.sh --deps installs it)"
command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are needed for the mqtt-packet side (apt-get install nodejs npm)"

log() { ((json)) || echo "bench: $*"; }

mkdir -p "$BUILD"
BUILD=$(cd "$BUILD" && pwd)
log "building mqtk-bench (Release) in $BUILD/"
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DMQTK_TESTS=OFF >/dev/null || die "cmake configure failed"
cmake --build "$BUILD" -j"$(nproc)" --target mqtk-bench mqtk-alloc-count >/dev/null || die "build failed"

node_dir=$BUILD/node
installed=$(node -p "try { require('$node_dir/node_modules/mqtt-packet/package.json').version } catch (e) { '' }")
if [ "$installed" != "$MQTT_PACKET_VERSION" ]; then
    log "installing mqtt-packet@$MQTT_PACKET_VERSION into $node_dir/"
    mkdir -p "$node_dir"
    npm install --prefix "$node_dir" --no-audit --no-fund --loglevel=error "mqtt-packet@$MQTT_PACKET_VERSION" >/dev/null \
        || die "npm install mqtt-packet@$MQTT_PACKET_VERSION failed"
fi

out=$BUILD/bench-results
mkdir -p "$out"
corpus=$out/corpus.txt
"$BUILD/mqtk-bench" --write-corpus "$corpus" || die "mqtk-bench could not write the corpus" 1

per_round=$(( (runs + rounds - 1) / rounds ))
log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
log "timing in $rounds round(s), mqtk and mqtt-packet $MQTT_PACKET_VERSION (Node.js $(node --version)) taking turns:" \
    "$per_round runs of >= $min_time ms per figure per round, mqtt-packet after a $warmup ms warm-up"
status=0
peer_status=0
mqtk_reports=()
peer_reports=()
for ((round = 1; round <= rounds; round++)); do
    rc=0
    LD_PRELOAD="$BUILD/libmqtk-alloc-count.so" "$BUILD/mqtk-bench" --json --runs "$per_round" --min-time "$min_time" \
        >"$out/mqtk-$round.json" || rc=$?
    [ "$rc" -le 1 ] && [ -s "$out/mqtk-$round.json" ] || die "mqtk-bench failed (exit $rc)"
    ((rc > status)) && status=$rc
    rc=0
    NODE_PATH="$node_dir/node_modules" node scripts/bench/mqtt_packet_bench.js --corpus "$corpus" --json \
        --runs "$per_round" --min-time "$min_time" --warmup "$warmup" >"$out/mqtt-packet-$round.json" || rc=$?
    [ "$rc" -le 1 ] && [ -s "$out/mqtt-packet-$round.json" ] || die "mqtt_packet_bench.js failed (exit $rc)"
    ((rc > peer_status)) && peer_status=$rc
    mqtk_reports+=("$out/mqtk-$round.json")
    peer_reports+=("$out/mqtt-packet-$round.json")
    log "round $round of $rounds done (load average $(cut -d' ' -f1 /proc/loadavg))"
done

# Instructions per packet: callgrind counts inside bench_repeat only (the passes, not the set-up),
# N passes, divided by N x packets per pass.
compare_args=()
if ((callgrind)) && command -v valgrind >/dev/null; then
    log "counting instructions with valgrind --tool=callgrind"
    instr=$out/instructions.json
    {
        printf '{"mqtk":{'
        sep=""
        for pass in headline-decode headline-decode-props headline-encode headline-encode-unchecked all-decode all-encode; do
            n=20000
            [[ $pass == all-* ]] && n=50
            cg=$out/callgrind-$pass.out
            line=$(valgrind --tool=callgrind --toggle-collect=bench_repeat --callgrind-out-file="$cg" \
                "$BUILD/mqtk-bench" --repeat "$pass" "$n" 2>/dev/null) || die "mqtk-bench --repeat $pass failed under valgrind"
            packets=${line%% packets*}
            total=$(awk '/^summary:/ {print $2}' "$cg")
            [ -n "$total" ] || die "no callgrind summary in $cg"
            printf '%s"%s":%d' "$sep" "$pass" "$(( (total + n * packets / 2) / (n * packets) ))"
            sep=","
        done
        printf '},"peer_note":"not counted: JIT-compiled JavaScript, where callgrind would count V8 compiling and collecting garbage as much as decoding"}\n'
    } >"$instr"
    compare_args+=(--instructions "$instr")
elif ((callgrind)); then
    log "valgrind not found: no instruction counts (apt-get install valgrind)"
fi
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

((json)) || echo
((json)) && compare_args+=(--json)
join() { local IFS=,; echo "$*"; }
node scripts/bench/compare.js "${compare_args[@]}" "$(join "${mqtk_reports[@]}")" "$(join "${peer_reports[@]}")" \
    || die "compare failed"
((json)) || echo "bench: reports in $out/ (mqtk-N.json, mqtt-packet-N.json per round, instructions.json, corpus.txt)"

if [ "$status" -ne 0 ] || [ "$peer_status" -ne 0 ]; then
    exit 1
fi
