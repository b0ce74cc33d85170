#!/usr/bin/env bash
# Benchmark `mqtk fuzz` against a mosquitto started here: sessions/s and packets/s for a fixed seed
# with no rate limit and no minimization, and the CPU split between mqtk and the broker: the fuzzer
# must not be the bottleneck (its share under a third). Each process is charged its own CPU, user and
# system: mqtk's exactly, from wait4() when it exits (it starts no process here; the broker is started
# by this script, not by --exec, so none of the broker's CPU can land in mqtk's); the broker's from
# /proc/PID/stat just before mqtk starts and just after it exits. Also printed: the load average
# before and after (other work on the machine makes times noisy) and the voluntary context switches
# per session (the sleeps of each side waiting for the other).
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
usage() { sed -n '2,16s/^# \{0,1\}//p' "$0"; }
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
python3 - "$MQTK" "$port" "$duration" "$protocol" "$clients" "$work" "$broker" <<'PY'
import json, os, subprocess, sys
mqtk, port, duration, protocol, clients, work, broker = sys.argv[1:]
tck = os.sysconf("SC_CLK_TCK")

def broker_cpu():
    """utime, stime (s) and voluntary context switches of the broker, from /proc."""
    f = open(f"/proc/{broker}/stat").read().rsplit(")", 1)[1].split()
    vcsw = next(int(l.split()[1]) for l in open(f"/proc/{broker}/status") if l.startswith("voluntary_ctxt"))
    return int(f[11]) / tck, int(f[12]) / tck, vcsw

def load():
    return " ".join(open("/proc/loadavg").read().split()[:3])

load0, b0 = load(), broker_cpu()
with open(f"{work}/summary.json", "w") as out:
    p = subprocess.Popen([mqtk, "fuzz", "--broker", f"127.0.0.1:{port}", "--duration", duration, "--protocol", protocol,
                          "--clients", clients, "--seed", "1", "--rate", "0", "--no-minimize", "--quiet", "--json",
                          "--out", f"{work}/out"], stdout=out, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
b1, load1 = broker_cpu(), load()
if status != 0 and os.waitstatus_to_exitcode(status) not in (0, 1):
    sys.exit(f"bench-fuzz: mqtk fuzz failed (status {os.waitstatus_to_exitcode(status)})")
s = json.load(open(f"{work}/summary.json"))
n = max(s["sessions"], 1)
mu, msys = ru.ru_utime, ru.ru_stime
bu, bsys = b1[0] - b0[0], b1[1] - b0[1]
m, b = mu + msys, bu + bsys
share = m / (m + b) if m + b else 0.0
print(f"mqtk fuzz against mosquitto (127.0.0.1, seed 1, {s['elapsed_s']} s, {os.cpu_count()} cores, "
      f"load {load0} before, {load1} after)")
print(f"  sessions      {s['sessions']:>9}  ({s['sessions_per_s']}/s)")
print(f"  packets       {s['packets']:>9}  ({s['packets_per_s']}/s, both ways)")
print(f"  answers       {s['unique_answers']:>9}  unique (step, answer) signatures; {len(s['findings'])} findings")
print(f"  CPU mqtk      {m:9.2f} s  (user {mu:.2f} s, system {msys:.2f} s; {1e6 * m / n:.0f} us a session; "
      f"{ru.ru_nvcsw / n:.1f} sleeps a session)")
print(f"  CPU mosquitto {b:9.2f} s  (user {bu:.2f} s, system {bsys:.2f} s; {1e6 * b / n:.0f} us a session; "
      f"{(b1[2] - b0[2]) / n:.1f} sleeps a session)")
print(f"  mqtk's share  {100 * share:8.1f} %  (target: under a third, 33.3 %: {'met' if share < 1 / 3 else 'MISSED'})")
PY
