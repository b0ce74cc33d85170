#!/usr/bin/env bash
# Benchmark `mqtk pcap --summary` against `tshark -r FILE -Y mqtt` on the same generated capture,
# side by side: wall time, MB/s of capture, the ratio, and peak memory (RSS). A second, smaller
# capture with the same connections per moment (500 open) but a quarter of them in all (a quarter
# of the file) shows that memory follows the open connections, not the file size.
#   scripts/bench-pcap.sh [--runs N] [--no-tshark] [--regen]
#   MQTK_BENCH_PCAP_BUILD=DIR   build directory (default build-bench-pcap; the captures are written
#                               there by scripts/gen-bench-pcap.py and never committed)
# Exit codes: 0 figures printed (a missed target is printed, not an error), 1 mqtk reported a
# finding on the generated capture (it must decode cleanly), 2 usage or setup error.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${MQTK_BENCH_PCAP_BUILD:-build-bench-pcap}
runs=3
tshark=1
regen=0
usage() { sed -n '2,11s/^# \{0,1\}//p' "$0"; }
die() { echo "bench-pcap: $1" >&2; exit "${2:-2}"; }
while (($#)); do
    case $1 in
        --help|-h) usage; exit 0 ;;
        --runs) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--runs needs a positive number"; runs=$2; shift ;;
        --no-tshark) tshark=0 ;;
        --regen) regen=1 ;;
        *) usage >&2; die "unknown argument '$1'" ;;
    esac
    shift
done
command -v cmake >/dev/null || die "cmake not found"
[ -x /usr/bin/python3 ] || die "/usr/bin/python3 not found"
if ((tshark)) && ! command -v tshark >/dev/null; then die "tshark not found (apt-get install tshark, or --no-tshark)"; fi

echo "building mqtk (Release) in $BUILD ..." >&2
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DMQTK_TESTS=OFF >/dev/null || die "cmake failed"
cmake --build "$BUILD" --target mqtk -j "$(nproc)" >/dev/null || die "build failed"
MQTK=$BUILD/mqtk

big=$BUILD/bench-large.pcap
small=$BUILD/bench-small.pcap
if ((regen)) || [ ! -s "$big" ]; then
    /usr/bin/python3 scripts/gen-bench-pcap.py "$big" --connections 4000 --concurrent 500 --messages 60 >&2
fi
if ((regen)) || [ ! -s "$small" ]; then
    /usr/bin/python3 scripts/gen-bench-pcap.py "$small" --connections 1000 --concurrent 500 --messages 60 >&2
fi

# run_timed OUTVAR-PREFIX CMD...: wall seconds and peak RSS (kB) of one run, output discarded
have_time=0; [ -x /usr/bin/time ] && have_time=1
run_timed() {
    local prefix=$1; shift
    local log; log=$(mktemp)
    local t0 t1
    t0=$(date +%s.%N)
    if ((have_time)); then
        /usr/bin/time -v -o "$log" "$@" >/dev/null 2>&1 || { rc=$?; }
    else
        "$@" >/dev/null 2>&1 || { rc=$?; }
    fi
    t1=$(date +%s.%N)
    local rss=0
    if ((have_time)); then rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log"); fi
    rm -f "$log"
    printf -v "${prefix}_secs" '%s' "$(echo "$t1 - $t0" | bc -l)"
    printf -v "${prefix}_rss" '%s' "$rss"
}
command -v bc >/dev/null || die "bc not found (apt-get install bc)"

# mqtk must decode the generated capture cleanly, and its counts must be the generator's
rc=0
"$MQTK" pcap --summary "$big" > "$BUILD/summary-large.txt" 2>&1 || rc=$?
((rc == 0)) || { cat "$BUILD/summary-large.txt" >&2; die "mqtk pcap found problems in the generated capture" 1; }
packets=$(awk '/^packets/ {print $2}' "$BUILD/summary-large.txt")
streams=$(awk '/^streams/ {print $2}' "$BUILD/summary-large.txt")

best=""; best_rss=0
for ((i = 0; i < runs; i++)); do
    rc=0; run_timed m "$MQTK" pcap --summary "$big"
    ((rc == 0)) || die "mqtk pcap failed on $big" 1
    if [ -z "$best" ] || (( $(echo "$m_secs < $best" | bc -l) )); then best=$m_secs; fi
    ((m_rss > best_rss)) && best_rss=$m_rss
done
rc=0; run_timed s "$MQTK" pcap --summary "$small"

size=$(stat -c %s "$big")
small_size=$(stat -c %s "$small")
mb=$(echo "$size / 1000000" | bc -l)
mqtk_mbs=$(echo "$mb / $best" | bc -l)

echo
printf 'capture      %s: %.1f MB, %s MQTT packets, %s TCP streams (at most 500 open)\n' "$big" "$mb" "$packets" "$streams"
printf '%-34s %10s %10s %12s\n' "tool" "wall s" "MB/s" "peak RSS"
printf '%-34s %10.3f %10.1f %9s kB\n' "mqtk pcap --summary (best of $runs)" "$best" "$mqtk_mbs" "$best_rss"
if ((tshark)); then
    rc=0; run_timed t tshark -r "$big" -Y mqtt
    ((rc == 0)) || echo "bench-pcap: tshark exited with $rc" >&2
    printf '%-34s %10.3f %10.1f %9s kB\n' "tshark -r FILE -Y mqtt" "$t_secs" "$(echo "$mb / $t_secs" | bc -l)" "$t_rss"
    ratio=$(echo "$t_secs / $best" | bc -l)
    printf 'ratio        mqtk is %.1fx faster than tshark (target >= 50x: %s)\n' "$ratio" \
        "$( (( $(echo "$ratio >= 50" | bc -l) )) && echo met || echo MISSED)"
fi
printf 'throughput   %.0f MB/s on one core (target >= 500 MB/s: %s)\n' "$mqtk_mbs" \
    "$( (( $(echo "$mqtk_mbs >= 500" | bc -l) )) && echo met || echo MISSED)"
printf 'memory       peak RSS %s kB on %.1f MB (4000 connections), %s kB on %.1f MB (1000 connections); 500 open at once in both\n' \
    "$best_rss" "$mb" "$s_rss" "$(echo "$small_size / 1000000" | bc -l)"
