# An isolated ejabberd (Debian package, mod_mqtt) for scripts/broker-matrix.sh (sourced).
# Not the system service: a non-distributed Erlang node (no epmd, no cookie) with its own
# configuration, Mnesia spool and logs in a temporary directory, one MQTT listener on 127.0.0.1.
# The MQTT user is registered by an -eval once ejabberd has started.

EJABBERD_LIB=${EJABBERD_LIB:-}

bm_ejabberd_lib() {
    local d
    for d in "$EJABBERD_LIB" /usr/lib/x86_64-linux-gnu/ejabberd-* /usr/lib/*/ejabberd-* /usr/lib/ejabberd-*; do
        [[ -n $d && -f $d/ebin/ejabberd.beam ]] && { dirname "$d"; return 0; }
    done
    return 1
}

bm_ejabberd_present() {
    command -v erl >/dev/null 2>&1 && bm_ejabberd_lib >/dev/null
}

# bm_ejabberd_start DIR PORT USER PASSWORD: the pid of the Erlang VM (leader of its own process group)
# goes to BM_PID; call it directly, not in $(...)
bm_ejabberd_start() {
    local dir=$1 port=$2 user=$3 pass=$4 here libs
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    BM_PID=""
    libs=$(bm_ejabberd_lib) || { echo "ejabberd is not installed" >&2; return 1; }
    mkdir -p "$dir/spool" "$dir/log"
    sed -e "s|@PORT@|$port|g" -e "s|@DIR@|$dir|g" "$here/ejabberd.yml.in" >"$dir/ejabberd.yml"
    local reg
    reg="io:format(\"register: ~p~n\", [catch ejabberd_auth:try_register(<<\"$user\">>, <<\"localhost\">>, <<\"$pass\">>)])"
    (
        cd "$dir" || exit 1
        export EJABBERD_CONFIG_PATH="$dir/ejabberd.yml" EJABBERD_LOG_PATH="$dir/log/ejabberd.log"
        export ERL_LIBS="$libs" ERL_CRASH_DUMP="$dir/log/erl_crash.dump" ERL_CRASH_DUMP_BYTES=0 HOME="$dir"
        exec setsid erl -noinput -noshell -mnesia dir "\"$dir/spool\"" -s ejabberd -eval "$reg"
    ) </dev/null >"$dir/log/stdout.log" 2>&1 &
    BM_PID=$!
}

# bm_ejabberd_registered DIR SECONDS: wait until the user registration has been logged; on failure
# BM_REGISTER says what it answered. The log is read once per look: reading it twice (ok? any
# answer?) failed a registration whose "register: ok" was written between the two reads.
bm_ejabberd_registered() {
    local deadline=$((SECONDS + $2)) line
    BM_REGISTER="no answer within $2 s"
    while ((SECONDS < deadline)); do
        line=$(grep -m1 "^register:" "$1/log/stdout.log" 2>/dev/null)
        if [[ $line == "register: ok" ]]; then
            return 0
        elif [[ -n $line ]]; then
            sleep 1   # a line caught while being written is complete by now
            line=$(grep -m1 "^register:" "$1/log/stdout.log" 2>/dev/null)
            [[ $line == "register: ok" ]] && return 0
            BM_REGISTER="ejabberd answered '${line#register: }'"
            return 1
        fi
        sleep 0.2
    done
    return 1
}
