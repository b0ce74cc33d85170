#!/usr/bin/env bash
# Benchmark the mqtk codec against mqtt-packet (the most used JavaScript MQTT codec) on the same corpus.
# Builds mqtk-bench and the malloc-counting shim in Release into build-bench/, installs a pinned
# mqtt-packet from npm into build-bench/node/ (git-ignored), writes the corpus mqtk-bench builds with
# the codec's encoder, times both on it (best of N runs, mqtt-packet after a JIT warm-up) and prints
# them side by side with the ratio per packet type and overall.
#   scripts/bench.sh [--json] [--quick] [--runs N] [--min-time MS]
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
min_time=20
warmup=1000

usage() { sed -n '2,12s/^# \{0,1\}//p' "$0"; }
die() { echo "bench: $1" >&2; exit "${2:-2}"; }
positive() { [[ ${1:-} =~ ^[1-9][0-9]*$ ]]; }

while (($#)); do
    case $1 in
        --help|-h) usage; exit 0 ;;
        --json) json=1 ;;
        --quick) runs=3; min_time=5; warmup=300 ;;
        --runs) positive "${2:-}" || die "--runs needs a positive number"; runs=$2; shift ;;
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

log "timing mqtk (best of $runs runs of >= $min_time ms per figure)"
status=0
LD_PRELOAD="$BUILD/libmqtk-alloc-count.so" "$BUILD/mqtk-bench" --json --runs "$runs" --min-time "$min_time" \
    >"$out/mqtk.json" || status=$?
[ "$status" -le 1 ] && [ -s "$out/mqtk.json" ] || die "mqtk-bench failed (exit $status)"

log "timing mqtt-packet $MQTT_PACKET_VERSION on Node.js $(node --version) (same corpus, $warmup ms warm-up)"
peer_status=0
NODE_PATH="$node_dir/node_modules" node scripts/bench/mqtt_packet_bench.js --corpus "$corpus" --json \
    --runs "$runs" --min-time "$min_time" --warmup "$warmup" >"$out/mqtt-packet.json" || peer_status=$?
[ "$peer_status" -le 1 ] && [ -s "$out/mqtt-packet.json" ] || die "mqtt_packet_bench.js failed (exit $peer_status)"

((json)) || echo
compare_args=()
((json)) && compare_args+=(--json)
node scripts/bench/compare.js "${compare_args[@]}" "$out/mqtk.json" "$out/mqtt-packet.json" || die "compare failed"
((json)) || echo "bench: reports in $out/ (mqtk.json, mqtt-packet.json, corpus.txt)"

if [ "$status" -ne 0 ] || [ "$peer_status" -ne 0 ]; then
    exit 1
fi
