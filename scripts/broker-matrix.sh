#!/usr/bin/env bash
# Broker matrix: run the whole conformance suite (`mqtk run --protocol all`) against several local
# brokers, each with its own profile, and print one block per broker: tests, verdict counts, failed
# tests and the statements they failed. See --help. Everything listens on 127.0.0.1 only, every
# wait has a deadline, and the brokers started here are stopped on exit or on a signal.
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HERE="$ROOT/scripts/brokers"
# shellcheck source=brokers/common.sh
. "$HERE/common.sh"
# shellcheck source=brokers/mosquitto.sh
. "$HERE/mosquitto.sh"
# shellcheck source=brokers/ejabberd.sh
. "$HERE/ejabberd.sh"
# shellcheck source=brokers/aedes.sh
. "$HERE/aedes.sh"
# shellcheck source=brokers/rabbitmq.sh
. "$HERE/rabbitmq.sh"

ALL_BROKERS="mosquitto mosquitto-password mosquitto-inflight1 mosquitto-qos1 mosquitto-noretain mosquitto-limits mosquitto-minimal ejabberd rabbitmq aedes aedes-nowildcards"
MINIMAL_BROKERS="mosquitto-password mosquitto-inflight1 mosquitto-qos1 mosquitto-noretain mosquitto-limits mosquitto-minimal"
START_TIMEOUT=${MQTK_MATRIX_START_TIMEOUT:-20}   # seconds a broker has to open its port
RABBITMQ_START_TIMEOUT=$((START_TIMEOUT > 90 ? START_TIMEOUT : 90))   # an Erlang node boots slowly (12 s idle)
RUN_TIMEOUT=${MQTK_MATRIX_RUN_TIMEOUT:-900}      # seconds one mqtk run may take

usage() {
    cat <<EOF
usage: scripts/broker-matrix.sh [options] [-- extra mqtk run options]

Starts local brokers on free 127.0.0.1 ports in temporary directories, runs
  mqtk run --broker 127.0.0.1:PORT --protocol all --profile suite/profiles/NAME.profile
           [--username U --password P] --json OUT/NAME.json
on each, and prints per broker: tests, verdict counts, failed tests and failed statements.

options:
  --brokers a,b,c   configurations to run (default: all; 'minimal' = the mosquitto variants)
                    $ALL_BROKERS
  --out DIR         where the JSON reports (and console logs) go (default: a new temporary dir)
  --mqtk PATH       the mqtk binary (default: build/mqtk)
  --suite DIR       the conformance directory (version folders, statements, profiles; default: suite/)
  --install         install ejabberd / rabbitmq-server with apt-get when missing (otherwise skipped)
  --keep            keep the brokers' temporary directories (configs, logs) for inspection
  --help            this text
Options after -- go to every mqtk run (e.g. -- --filter publish --verbose).

configurations:
  mosquitto            the embedded default (mqtk run starts it; profiles/mosquitto.profile)
  mosquitto-password   password_file, allow_anonymous false (user $MQTK_MATRIX_USER)
  mosquitto-inflight1  max_inflight_messages 1
  mosquitto-qos1       max_qos 1
  mosquitto-noretain   retain_available false
  mosquitto-limits     max_packet_size 2048, max_keepalive 120, max_topic_alias 2,
                       allow_zero_length_clientid false
  mosquitto-minimal    password, max_inflight_messages 1, max_qos 1, retain_available false,
                       sys_interval 0 (no \$SYS topics)
  ejabberd             Debian's ejabberd with mod_mqtt, isolated instance, registered user
  rabbitmq             Debian's rabbitmq-server with rabbitmq_mqtt (3.1 and 3.1.1 only), isolated
                       node with its own epmd, all on 127.0.0.1, a user with a password,
                       publications to mqtk/forbidden/# refused by a topic permission
  aedes                aedes 1.2 (Node.js, scripts/peers/aedes.mjs --tcp), user and password required
                       (needs node and scripts/setup.sh's npm install; skipped when missing)
  aedes-nowildcards    the same, refusing every filter with + or # (SUBACK 0x80), as a minimal broker may

exit status: 0 every broker ran with 0 failures (deviations listed in its profile do not count),
1 some broker had failures, 2 setup error (a broker did not start, bad option, mqtk missing).
EOF
}

BROKERS=$ALL_BROKERS
OUT=""
MQTK="$ROOT/build/mqtk"
SUITE="$ROOT/suite"
INSTALL=0
KEEP=0
EXTRA=()
EXPLICIT=0
while (($#)); do
    case $1 in
        --brokers) [[ $# -ge 2 ]] || { echo "--brokers needs a list" >&2; exit 2; }
                   BROKERS=${2//,/ }; EXPLICIT=1; shift 2 ;;
        --brokers=*) BROKERS=${1#--brokers=}; BROKERS=${BROKERS//,/ }; EXPLICIT=1; shift ;;
        --out) [[ $# -ge 2 ]] || { echo "--out needs a directory" >&2; exit 2; }
               OUT=$2; shift 2 ;;
        --out=*) OUT=${1#--out=}; shift ;;
        --mqtk) [[ $# -ge 2 ]] || { echo "--mqtk needs a path" >&2; exit 2; }
                MQTK=$2; shift 2 ;;
        --mqtk=*) MQTK=${1#--mqtk=}; shift ;;
        --suite) [[ $# -ge 2 ]] || { echo "--suite needs a directory" >&2; exit 2; }
                 SUITE=$2; shift 2 ;;
        --suite=*) SUITE=${1#--suite=}; shift ;;
        --install) INSTALL=1; shift ;;
        --keep) KEEP=1; shift ;;
        -h|--help) usage; exit 0 ;;
        --) shift; EXTRA=("$@"); break ;;
        *) echo "unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
done
expanded=""
for b in $BROKERS; do
    if [[ $b == minimal ]]; then expanded+=" $MINIMAL_BROKERS"; else expanded+=" $b"; fi
done
BROKERS=${expanded# }
for b in $BROKERS; do
    [[ " $ALL_BROKERS " == *" $b "* ]] || { echo "unknown broker configuration '$b' (known: $ALL_BROKERS)" >&2; exit 2; }
done
[[ -d $SUITE/v3.1.1 && -d $SUITE/profiles ]] || { echo "no conformance suite in $SUITE" >&2; exit 2; }
SUITE=$(cd "$SUITE" && pwd)
[[ -x $MQTK ]] || { echo "mqtk not found at $MQTK (build it, or give --mqtk PATH)" >&2; exit 2; }
if [[ -z $OUT ]]; then
    OUT=$(mktemp -d "${TMPDIR:-/tmp}/mqtk-matrix-out-XXXXXX") || exit 2
fi
mkdir -p "$OUT" || { echo "cannot create $OUT" >&2; exit 2; }
OUT=$(cd "$OUT" && pwd)

# --- cleanup: every broker started here is stopped, every temporary directory removed ---------
PIDS=()
BM_PID=""
BM_EPMD_PID=""   # the epmd of the rabbitmq configuration
# one directory for every broker of this run (configurations, logs, spools); the name is chosen in
# this shell before mkdir, so a signal at any moment finds it in WORK and removes it
WORK="$(bm_tmp_base)/mqtk-matrix-$$-$RANDOM$RANDOM"
cleanup() {
    local p d i
    if [[ -n $MQTK_PID ]] && kill -0 "$MQTK_PID" 2>/dev/null; then
        kill -TERM "$MQTK_PID" 2>/dev/null
        for ((i = 0; i < 150; i++)); do
            kill -0 "$MQTK_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$MQTK_PID" 2>/dev/null
        wait "$MQTK_PID" 2>/dev/null
        MQTK_PID=""
    fi
    # the brokers, and the last background jobs in case a signal came between a start and PIDS+=
    for p in "${PIDS[@]}" "${BM_PID:-}" "${BM_EPMD_PID:-}"; do [[ -n $p ]] && bm_stop "$p"; done
    PIDS=()
    BM_PID=""
    BM_EPMD_PID=""
    if [[ -n $WORK && -d $WORK ]]; then
        if ((KEEP == 0)); then
            rm -rf -- "$WORK"
        else
            echo "kept: $WORK"
        fi
    fi
    WORK=""
}
on_signal() {
    echo "broker-matrix: interrupted, stopping brokers" >&2
    cleanup
    exit 2
}
trap cleanup EXIT
trap on_signal INT TERM HUP
mkdir -m 0711 "$WORK" || { echo "cannot create $WORK" >&2; WORK=""; exit 2; }

# run_mqtk NAME [mqtk run args...]: one suite run, bounded; its console output goes to OUT/NAME.log
# (in the background, so that a signal interrupts the wait; timeout runs it in its own process
# group and passes a SIGTERM on to that group: mqtk and the mosquitto it embeds)
MQTK_PID=""
run_mqtk() {
    local name=$1 rc
    shift
    rm -f "$OUT/$name.json"
    timeout --kill-after=10 "$RUN_TIMEOUT" "$MQTK" run --suite "$SUITE" --protocol all \
        --json "$OUT/$name.json" "$@" "${EXTRA[@]}" </dev/null >"$OUT/$name.log" 2>&1 &
    MQTK_PID=$!
    wait "$MQTK_PID"
    rc=$?
    MQTK_PID=""
    return "$rc"
}

SETUP_ERRORS=0
FAILED=0
RESULTS=()   # "name status" lines for the final table

note_result() { RESULTS+=("$1|$2"); }

# report NAME RC: print the block for one run, and account for it
report() {
    local name=$1 rc=$2
    if [[ ! -s $OUT/$name.json ]]; then
        echo "== $name: mqtk run gave no report (exit $rc); its output:"
        sed -n '1,15p' "$OUT/$name.log" | sed 's/^/   /'
        SETUP_ERRORS=$((SETUP_ERRORS + 1))
        note_result "$name" "setup error (exit $rc)"
        return
    fi
    /usr/bin/python3 "$HERE/summarize.py" "$name" "$OUT/$name.json"
    local s=$?
    if ((rc == 2)); then
        echo "   mqtk run exited 2 (setup error); see $OUT/$name.log"
        SETUP_ERRORS=$((SETUP_ERRORS + 1))
        note_result "$name" "setup error"
    elif ((s != 0 || rc != 0)); then
        FAILED=$((FAILED + 1))
        note_result "$name" "FAILURES"
    else
        note_result "$name" "ok"
    fi
}

start_failed() {
    local name=$1 why=$2 dir=$3 log=$4
    echo "== $name: $why"
    [[ -f $log ]] && tail -n 10 "$log" | sed 's/^/   /'
    SETUP_ERRORS=$((SETUP_ERRORS + 1))
    note_result "$name" "setup error: $why"
}

run_mosquitto_variant() {
    local name=$1 dir port creds pid rc
    dir=$WORK/$name
    mkdir -m 0711 "$dir" || { start_failed "$name" "cannot create $dir" "" ""; return; }
    port=$(bm_free_port) || { start_failed "$name" "no free port" "$dir" ""; return; }
    creds=$(bm_mosquitto_config "$name" "$dir" "$port") || { start_failed "$name" "cannot write its configuration" "$dir" ""; return; }
    bm_mosquitto_start "$dir" || { start_failed "$name" "mosquitto not found" "$dir" ""; return; }
    pid=$BM_PID
    PIDS+=("$pid")
    bm_wait_port "$port" "$pid" "$START_TIMEOUT"
    rc=$?
    if ((rc == 2)); then
        start_failed "$name" "mosquitto exited during start-up (127.0.0.1:$port)" "$dir" "$dir/mosquitto.log"
        tail -n 5 "$dir/stdout.log" 2>/dev/null | sed 's/^/   /'
        return
    elif ((rc != 0)); then
        start_failed "$name" "mosquitto did not open 127.0.0.1:$port within ${START_TIMEOUT}s" "$dir" "$dir/mosquitto.log"
        cat "$dir/stdout.log" 2>/dev/null | tail -n 5 | sed 's/^/   /'
        return
    fi
    local args=(--broker "127.0.0.1:$port" --profile "$SUITE/profiles/$name.profile")
    if [[ -n $creds ]]; then
        args+=(--username "${creds%% *}" --password "${creds#* }")
    fi
    run_mqtk "$name" "${args[@]}"
    rc=$?
    bm_stop "$pid"
    PIDS=()   # one broker at a time: it was the only one
    BM_PID=""
    report "$name" "$rc"
}

run_embedded() {
    run_mqtk mosquitto
    report mosquitto $?
}

# ensure_installed NAME PACKAGE PRESENT_FUNCTION: true when the broker is there (installed now with
# --install); otherwise the configuration is reported (skipped, or a setup error when asked for by
# name) and it returns 1
ensure_installed() {
    local name=$1 pkg=$2 present=$3
    "$present" && return 0
    if ((INSTALL)); then
        echo "== $name: not installed, installing $pkg with apt-get (--install)"
        if ! { DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y --no-install-recommends "$pkg" \
               >"$OUT/$name-install.log" 2>&1; }; then
            start_failed "$name" "apt-get install $pkg failed (see $OUT/$name-install.log)" "" ""
            return 1
        fi
        # the package starts or enables its system service; this run never uses it
        "$present" && return 0
        start_failed "$name" "$pkg installed, but not found where expected" "" ""
    elif ((EXPLICIT)); then
        start_failed "$name" "$pkg is not installed (run with --install, or apt-get install $pkg)" "" ""
    else
        echo "== $name: skipped, $pkg is not installed (run with --install to install it with apt-get)"
        note_result "$name" "skipped (not installed)"
    fi
    return 1
}

# run_with_user NAME PORT PIDS...: the suite on 127.0.0.1:PORT with NAME's profile and the matrix's user
# and password, then the broker's processes stopped and the run reported
run_with_user() {
    local name=$1 port=$2 rc p
    shift 2
    run_mqtk "$name" --broker "127.0.0.1:$port" --profile "$SUITE/profiles/$name.profile" \
        --username "$MQTK_MATRIX_USER" --password "$MQTK_MATRIX_PASSWORD"
    rc=$?
    for p in "$@"; do bm_stop "$p"; done
    PIDS=()   # one broker at a time: its processes were the only ones
    BM_PID=""
    BM_EPMD_PID=""
    report "$name" "$rc"
}

run_rabbitmq() {
    local name=rabbitmq dir ports port epmd_port dist_port pid rc
    ensure_installed "$name" rabbitmq-server bm_rabbitmq_present || return
    dir=$WORK/$name
    mkdir -m 0700 "$dir" || { start_failed "$name" "cannot create $dir" "" ""; return; }
    ports=$(bm_rabbitmq_ports) || { start_failed "$name" "no free ports" "$dir" ""; return; }
    read -r port epmd_port dist_port <<<"$ports"
    bm_rabbitmq_config "$dir" "$port" "$MQTK_MATRIX_USER" "$MQTK_MATRIX_PASSWORD" ||
        { start_failed "$name" "cannot write its configuration" "$dir" ""; return; }
    bm_rabbitmq_start "$dir" "$port" "$epmd_port" "$dist_port" "$START_TIMEOUT"
    rc=$?
    [[ -n $BM_EPMD_PID ]] && PIDS+=("$BM_EPMD_PID")
    if ((rc != 0)); then
        start_failed "$name" "its epmd did not listen on 127.0.0.1:$epmd_port within ${START_TIMEOUT}s" "$dir" "$dir/log/epmd.log"
        return
    fi
    pid=$BM_PID
    PIDS+=("$pid")
    bm_wait_port "$port" "$pid" "$RABBITMQ_START_TIMEOUT"
    rc=$?
    if ((rc != 0)); then
        local why="did not open 127.0.0.1:$port within ${RABBITMQ_START_TIMEOUT}s"
        ((rc == 2)) && why="exited during start-up (127.0.0.1:$port)"
        start_failed "$name" "rabbitmq $why" "$dir" "$dir/log/stdout.log"
        tail -n 5 "$dir/log/mqtk-matrix@localhost.log" 2>/dev/null | sed 's/^/   /'
        return
    fi
    run_with_user "$name" "$port" "$pid" "$BM_EPMD_PID"
}

run_ejabberd() {
    local name=ejabberd dir port pid rc
    ensure_installed "$name" ejabberd bm_ejabberd_present || return
    dir=$WORK/$name
    mkdir -m 0711 "$dir" || { start_failed "$name" "cannot create $dir" "" ""; return; }
    port=$(bm_free_port) || { start_failed "$name" "no free port" "$dir" ""; return; }
    bm_ejabberd_start "$dir" "$port" "$MQTK_MATRIX_USER" "$MQTK_MATRIX_PASSWORD" ||
        { start_failed "$name" "cannot start ejabberd" "$dir" ""; return; }
    pid=$BM_PID
    PIDS+=("$pid")
    bm_wait_port "$port" "$pid" "$START_TIMEOUT"
    rc=$?
    if ((rc == 2)); then
        start_failed "$name" "ejabberd exited during start-up (127.0.0.1:$port)" "$dir" "$dir/log/stdout.log"
        tail -n 5 "$dir/log/ejabberd.log" 2>/dev/null | sed 's/^/   /'
        return
    elif ((rc != 0)); then
        start_failed "$name" "ejabberd did not open 127.0.0.1:$port within ${START_TIMEOUT}s" "$dir" "$dir/log/stdout.log"
        tail -n 5 "$dir/log/ejabberd.log" 2>/dev/null | sed 's/^/   /'
        return
    fi
    if ! bm_ejabberd_registered "$dir" "$START_TIMEOUT"; then
        start_failed "$name" "could not register the MQTT user ($BM_REGISTER)" "$dir" "$dir/log/stdout.log"
        return
    fi
    run_with_user "$name" "$port" "$pid"
}

# run_aedes NAME [aedes.mjs options...]
run_aedes() {
    local name=$1 dir port pid rc
    shift
    if ! bm_aedes_present; then
        if ((EXPLICIT)); then
            start_failed "$name" "node or the aedes npm package is missing (scripts/setup.sh installs them)" "" ""
        else
            echo "== $name: skipped, node or the aedes npm package is missing (scripts/setup.sh installs them)"
            note_result "$name" "skipped (not installed)"
        fi
        return
    fi
    dir=$WORK/$name
    mkdir -m 0711 "$dir" || { start_failed "$name" "cannot create $dir" "" ""; return; }
    port=$(bm_free_port) || { start_failed "$name" "no free port" "$dir" ""; return; }
    bm_aedes_start "$dir" "$port" "$MQTK_MATRIX_USER" "$MQTK_MATRIX_PASSWORD" "$@"
    pid=$BM_PID
    PIDS+=("$pid")
    bm_wait_port "$port" "$pid" "$START_TIMEOUT"
    rc=$?
    if ((rc != 0)); then
        start_failed "$name" "aedes did not open 127.0.0.1:$port within ${START_TIMEOUT}s" "$dir" "$dir/aedes.log"
        return
    fi
    run_with_user "$name" "$port" "$pid"
}

echo "broker matrix: $BROKERS"
echo "mqtk: $MQTK; suite: $SUITE; reports in $OUT"
for b in $BROKERS; do
    case $b in
        mosquitto) run_embedded ;;
        ejabberd) run_ejabberd ;;
        rabbitmq) run_rabbitmq ;;
        aedes) run_aedes aedes ;;
        aedes-nowildcards) run_aedes aedes-nowildcards --no-wildcards ;;
        *) run_mosquitto_variant "$b" ;;
    esac
done

echo
echo "== matrix summary"
for r in "${RESULTS[@]}"; do
    printf '   %-22s %s\n' "${r%%|*}" "${r#*|}"
done
if ((SETUP_ERRORS)); then
    exit 2
elif ((FAILED)); then
    exit 1
fi
exit 0
