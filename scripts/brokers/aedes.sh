# aedes 1.2 (Node.js) for scripts/broker-matrix.sh (sourced): scripts/peers/aedes.mjs with a plain TCP
# listener on 127.0.0.1 and a user name and password required. It needs node and the npm packages
# scripts/setup.sh installs into scripts/peers (pinned by its package-lock.json).

bm_aedes_present() {
    local peers
    peers=$(cd "$(dirname "${BASH_SOURCE[0]}")/../peers" && pwd)
    command -v node >/dev/null 2>&1 && [[ -d $peers/node_modules/aedes ]]
}

# bm_aedes_start DIR PORT USER PASSWORD [aedes.mjs options...]: the pid of node (leader of its own process group) goes to
# BM_PID; call it directly, not in $(...)
bm_aedes_start() {
    local dir=$1 port=$2 user=$3 pass=$4 peers
    shift 4
    peers=$(cd "$(dirname "${BASH_SOURCE[0]}")/../peers" && pwd)
    BM_PID=""
    (
        cd "$peers" || exit 1
        exec setsid node aedes.mjs --tcp --user "$user" --password "$pass" "$@" "$port"
    ) </dev/null >"$dir/aedes.log" 2>&1 &
    BM_PID=$!
}
