# Shared helpers for scripts/broker-matrix.sh (sourced, not run). Bash only; every wait has a deadline.

# A free TCP port on 127.0.0.1 (the kernel picks it; the broker binds it a moment later).
bm_free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# bm_port_open PORT: true when a TCP connection to 127.0.0.1:PORT opens within one second.
bm_port_open() {
    timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# bm_wait_port PORT PID SECONDS: wait until the port accepts, the process dies, or the deadline passes.
bm_wait_port() {
    local port=$1 pid=$2 secs=$3
    local deadline=$((SECONDS + secs))
    while ((SECONDS < deadline)); do
        kill -0 "$pid" 2>/dev/null || return 2
        bm_port_open "$port" && return 0
        sleep 0.2
    done
    return 1
}

# bm_stop PID: SIGTERM the process group led by PID (started with setsid), SIGKILL after 5 s.
bm_stop() {
    local pid=$1 i
    [[ -n $pid ]] || return 0
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
    return 0
}

# bm_tmp_base: where the brokers' temporary directories go. mosquitto started as root drops to its
# own user, which must be able to reach its configuration: when run as root and a directory on the
# way to $TMPDIR is closed to other users (e.g. a pytest tmp_path under /tmp/pytest-of-root), /tmp.
bm_tmp_base() {
    local base=${TMPDIR:-/tmp} d
    if [[ $(id -u) -eq 0 && $base != /tmp ]]; then
        d=$base
        while [[ -n $d && $d != / ]]; do
            if [[ ! -d $d ]] || (( (8#$(stat -c %a "$d") & 1) == 0 )); then
                echo /tmp
                return 0
            fi
            d=$(dirname "$d")
        done
    fi
    echo "$base"
}
