#!/usr/bin/env bash
# Benchmark `mqtk fuzz` against a mosquitto started here: sessions/s and packets/s for a fixed seed
# with no rate limit and no minimization, and the CPU split between mqtk and the broker, both read
# from /proc/PID/stat (utime + stime): the fuzzer must not be the bottleneck (its share under a third).
# mosquitto runs with set_tcp_nodelay true, as the embedded one does: with Nagle on, every answer that
# follows another within a round trip waits for a delayed ACK (40 ms) and the run measures that.
#   scripts/bench-fuzz.sh [--duration S] [--protocol 3.1.1|5|all] [--clients N]
#   MQTK_BIN   the mqtk binary (default build/mqtk)
# Exit codes: 0 figures printed (a missed target is printed, not an error), 2 usage or setup error.
set -euo pipefail
cd "$(dirname "$0")/.."

MQTK=${MQTK_BIN:-build/mqtk}
duration=20
protocol=all
clients=3
usage() { sed -n '2,9s/^# \{0,1\}//p' "$0"; }
die() { echo "bench-fuzz: $1" >&2; exit 2; }
while (($#)); do
    case $1 in
        --help|-h) usage; exit 0 ;;
        --duration) duration=${2:?}; shift 2 ;;
        --protocol) protocol=${2:?}; shift 2 ;;
        --clients) clients=${2:?}; shift 2 ;;
        *) usage >&2; exit 2 ;;
    esac
done
[[ -x $MQTK ]] || die "no mqtk binary at $MQTK (build first, or set MQTK_BIN)"
command -v mosquitto >/dev/null || die "mosquitto is not installed"
tck=$(getconf CLK_TCK)
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'listener %s 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\n' "$port" >"$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
broker=$!
cleanup() { kill "$broker" 2>/dev/null || true; wait "$broker" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.05
done
cpu() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
b0=$(cpu "$broker")
"$MQTK" fuzz --broker "127.0.0.1:$port" --duration "$duration" --protocol "$protocol" --clients "$clients" \
    --seed 1 --rate 0 --no-minimize --quiet --json --out "$work/out" >"$work/summary.json" &
fuzzer=$!
m=0
mu=0
while kill -0 "$fuzzer" 2>/dev/null; do
    t=$(cpu "$fuzzer")
    if [[ $t -gt 0 ]]; then
        m=$t
        mu=$(awk '{print $14}' "/proc/$fuzzer/stat" 2>/dev/null || echo "$mu")
    fi
    sleep 0.1
done
wait "$fuzzer" || true
b1=$(cpu "$broker")
python3 - "$work/summary.json" "$m" "$((b1 - b0))" "$tck" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$mu" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
m, b, tck = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
ms, bs = m / tck, b / tck
share = ms / (ms + bs) if ms + bs else 0.0
print(f"mqtk fuzz against mosquitto (127.0.0.1, seed 1, {s['elapsed_s']} s, {sys.argv[5]} cores, load {sys.argv[6]})")
print(f"  sessions      {s['sessions']:>9}  ({s['sessions_per_s']}/s)")
print(f"  packets       {s['packets']:>9}  ({s['packets_per_s']}/s, both ways)")
print(f"  answers       {s['unique_answers']:>9}  unique (step, answer) signatures; {len(s['findings'])} findings")
mu = int(sys.argv[7]) / tck
print(f"  CPU mqtk      {ms:9.2f} s  ({mu:.2f} s in mqtk's own code, the rest in the kernel's TCP for its sockets)")
print(f"  CPU mosquitto {bs:9.2f} s")
print(f"  mqtk's share  {100 * share:8.1f} %  (target: under 33 %: {'met' if share < 1 / 3 else 'MISSED'})")
PY
