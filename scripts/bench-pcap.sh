#!/usr/bin/env bash
# Benchmark every output of `mqtk pcap` against tshark's equivalent on the same generated capture:
#   --summary and the text listing   vs  tshark -r FILE -Y mqtt
#   --json                           vs  tshark -r FILE -Y mqtt -T json
#   -V (every field of each packet)  vs  tshark -r FILE -Y mqtt -V
# Every contestant is timed the same way: N rounds in which each runs once in turn (interleaved, so
# a busy spell hurts all alike), the best round counts; wall time, MB/s of capture, the ratio and
# peak memory (RSS), with the load average before and after. valgrind --tool=callgrind then counts
# instructions per MQTT packet and per MB on a small capture (minus a run on an empty capture, so
# start-up is not counted), which repeat exactly on a noisy machine. A second capture with the same
# connections open at once (500) but a quarter of them in all shows that memory follows the open
# connections, not the file size.
#   scripts/bench-pcap.sh [--runs N] [--no-tshark] [--no-callgrind] [--regen]
#   MQTK_BENCH_PCAP_BUILD=DIR   build directory (default build-bench-pcap; the captures are written
#                               there by scripts/gen-bench-pcap.py and never committed)
# Exit codes: 0 figures printed (a missed target is printed, not an error), 1 mqtk reported a
# finding on the generated capture (it must decode cleanly), 2 usage or setup error.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${MQTK_BENCH_PCAP_BUILD:-build-bench-pcap}
runs=3
tshark=1
callgrind=1
regen=0
usage() { sed -n '2,19s/^# \{0,1\}//p' "$0"; }
die() { echo "bench-pcap: $1" >&2; exit "${2:-2}"; }
while (($#)); do
    case $1 in
        --help|-h) usage; exit 0 ;;
        --runs) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--runs needs a positive number"; runs=$2; shift ;;
        --no-tshark) tshark=0 ;;
        --no-callgrind) callgrind=0 ;;
        --regen) regen=1 ;;
        *) usage >&2; die "unknown argument '$1'" ;;
    esac
    shift
done
command -v cmake >/dev/null || die "cmake not found"
command -v bc >/dev/null || die "bc not found (apt-get install bc)"
[ -x /usr/bin/python3 ] || die "/usr/bin/python3 not found"
if ((tshark)) && ! command -v tshark >/dev/null; then die "tshark not found (apt-get install tshark, or --no-tshark)"; fi
if ((callgrind)) && ! command -v valgrind >/dev/null; then
    echo "bench-pcap: valgrind not found: no instruction counts (apt-get install valgrind)" >&2
    callgrind=0
fi

echo "building mqtk (Release) in $BUILD ..." >&2
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DMQTK_TESTS=OFF >/dev/null || die "cmake failed"
cmake --build "$BUILD" --target mqtk -j "$(nproc)" >/dev/null || die "build failed"
MQTK=$BUILD/mqtk

big=$BUILD/bench-large.pcap
small=$BUILD/bench-small.pcap
counted=$BUILD/bench-callgrind.pcap
empty=$BUILD/bench-empty.pcap
gen() { /usr/bin/python3 scripts/gen-bench-pcap.py "$@" >&2; }
if ((regen)) || [ ! -s "$big" ]; then gen "$big" --connections 4000 --concurrent 500 --messages 60; fi
if ((regen)) || [ ! -s "$small" ]; then gen "$small" --connections 1000 --concurrent 500 --messages 60; fi
if ((regen)) || [ ! -s "$counted" ]; then gen "$counted" --connections 20 --concurrent 10 --messages 60; fi
head -c 24 "$counted" >"$empty" # the file header alone: what start-up costs

# mqtk must decode the generated capture cleanly; its counts are the generator's
rc=0
"$MQTK" pcap --summary "$big" >"$BUILD/summary-large.txt" 2>&1 || rc=$?
((rc == 0)) || { cat "$BUILD/summary-large.txt" >&2; die "mqtk pcap found problems in the generated capture" 1; }
packets=$(awk '/^packets/ {print $2}' "$BUILD/summary-large.txt")
streams=$(awk '/^streams/ {print $2}' "$BUILD/summary-large.txt")
size=$(stat -c %s "$big")
mb=$(echo "$size / 1000000" | bc -l)

# The contestants: a name and a command (FILE stands for the capture).
names=("mqtk pcap --summary" "mqtk pcap" "mqtk pcap --json" "mqtk pcap -V")
commands=("$MQTK pcap --summary FILE" "$MQTK pcap FILE" "$MQTK pcap --json FILE" "$MQTK pcap -V FILE")
if ((tshark)); then
    names+=("tshark -r FILE -Y mqtt" "tshark -r FILE -Y mqtt -T json" "tshark -r FILE -Y mqtt -V")
    commands+=("tshark -r FILE -Y mqtt" "tshark -r FILE -Y mqtt -T json" "tshark -r FILE -Y mqtt -V")
fi
# which tshark run each mqtk output is compared with (index into names)
peer_of=(4 4 5 6)

have_time=0; [ -x /usr/bin/time ] && have_time=1
# run_timed INDEX FILE: wall seconds and peak RSS (kB) of one run into secs/rss, output discarded
run_timed() {
    local cmd=${commands[$1]//FILE/$2} log t0 t1
    log=$(mktemp)
    t0=$(date +%s.%N)
    if ((have_time)); then
        # shellcheck disable=SC2086 # the command is split on purpose
        /usr/bin/time -v -o "$log" $cmd >/dev/null 2>&1 || rc=$?
    else
        # shellcheck disable=SC2086
        $cmd >/dev/null 2>&1 || rc=$?
    fi
    t1=$(date +%s.%N)
    rss=0
    if ((have_time)); then rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log"); fi
    rm -f "$log"
    secs=$(echo "$t1 - $t0" | bc -l)
}

load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "load average before: $(load)" >&2
best=()
best_rss=()
for ((round = 1; round <= runs; round++)); do
    for i in "${!names[@]}"; do
        rc=0
        run_timed "$i" "$big"
        # mqtk exits 0 on this capture; tshark may say 0 or more, a failure shows in its time
        if [[ ${names[$i]} == mqtk* ]] && ((rc != 0)); then die "${names[$i]} failed (exit $rc)" 1; fi
        if [ -z "${best[$i]:-}" ] || (($(echo "$secs < ${best[$i]}" | bc -l))); then best[$i]=$secs; fi
        if [ -z "${best_rss[$i]:-}" ] || ((rss > best_rss[$i])); then best_rss[$i]=$rss; fi
    done
    echo "round $round of $runs done (load average $(load))" >&2
done
echo "load average after: $(load)" >&2

# Instructions per packet and per MB: callgrind on the small capture minus callgrind on the empty one.
instr_packet=()
instr_mb=()
if ((callgrind)); then
    echo "counting instructions with valgrind --tool=callgrind (tshark takes a minute or two) ..." >&2
    cpackets=$("$MQTK" pcap --summary "$counted" | awk '/^packets/ {print $2}')
    cmb=$(echo "$(stat -c %s "$counted") / 1000000" | bc -l)
    count() { # count CMD...: instructions callgrind counted
        local out; out=$(mktemp)
        valgrind --tool=callgrind --callgrind-out-file="$out" "$@" >/dev/null 2>&1 || true
        awk '/^summary:/ {print $2}' "$out"
        rm -f "$out"
    }
    declare -A base=()
    for i in "${!names[@]}"; do
        tool=${names[$i]%% *}
        if [ -z "${base[$tool]:-}" ]; then
            # shellcheck disable=SC2086
            base[$tool]=$(count ${commands[$i]//FILE/$empty})
        fi
        # shellcheck disable=SC2086
        total=$(count ${commands[$i]//FILE/$counted})
        [ -n "$total" ] && [ -n "${base[$tool]}" ] || die "callgrind gave no count for ${names[$i]}"
        instr_packet[$i]=$(echo "($total - ${base[$tool]}) / $cpackets" | bc -l)
        instr_mb[$i]=$(echo "($total - ${base[$tool]}) / $cmb" | bc -l)
    done
fi

echo
printf 'capture      %s: %.1f MB, %s MQTT packets, %s TCP streams (at most 500 open)\n' "$big" "$mb" "$packets" "$streams"
printf 'timing       best of %s interleaved rounds, one core each; load average at the end %s\n' "$runs" "$(load)"
printf '%-32s %8s %9s %10s %12s %14s\n' "tool" "wall s" "MB/s" "peak RSS" "instr/packet" "instr/MB"
for i in "${!names[@]}"; do
    ip="-"; im="-"
    if ((callgrind)); then ip=$(printf '%.0f' "${instr_packet[$i]}"); im=$(printf '%.3g' "${instr_mb[$i]}"); fi
    printf '%-32s %8.3f %9.1f %7s kB %12s %14s\n' "${names[$i]}" "${best[$i]}" "$(echo "$mb / ${best[$i]}" | bc -l)" \
        "${best_rss[$i]}" "$ip" "$im"
done
echo
verdict() { (($(echo "$1" | bc -l))) && echo met || echo MISSED; }
targets=(1000 500 500 "")
for i in 0 1 2 3; do
    mbs=$(echo "$mb / ${best[$i]}" | bc -l)
    line=$(printf '%-20s %7.0f MB/s' "${names[$i]}" "$mbs")
    if [ -n "${targets[$i]}" ]; then
        line+=$(printf ' (target >= %s MB/s: %s)' "${targets[$i]}" "$(verdict "$mbs >= ${targets[$i]}")")
    fi
    if ((tshark)); then
        p=${peer_of[$i]}
        ratio=$(echo "${best[$p]} / ${best[$i]}" | bc -l)
        line+=$(printf '; %.1fx faster than %s' "$ratio" "${names[$p]}")
        [ -n "${targets[$i]}" ] && line+=$(printf ' (target >= 50x: %s)' "$(verdict "$ratio >= 50")")
        if ((callgrind)); then
            line+=$(printf ', %.1fx fewer instructions' "$(echo "${instr_packet[$p]} / ${instr_packet[$i]}" | bc -l)")
        fi
    fi
    echo "$line"
done
rc=0
run_timed 0 "$small"
printf 'memory       mqtk pcap --summary: peak RSS %s kB on %.1f MB (4000 connections), %s kB on %.1f MB (1000 connections); 500 open at once in both\n' \
    "${best_rss[0]}" "$mb" "$rss" "$(echo "$(stat -c %s "$small") / 1000000" | bc -l)"
