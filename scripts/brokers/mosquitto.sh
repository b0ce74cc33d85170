# mosquitto configurations for scripts/broker-matrix.sh (sourced). Each one is the embedded
# configuration of `mqtk run` (lib/conformance/run/broker.c: loopback listener, no persistence, an ACL
# refusing mqtk/forbidden/#) plus the restriction the configuration is named after.

MQTK_MATRIX_USER=${MQTK_MATRIX_USER:-mqtk}
MQTK_MATRIX_PASSWORD=${MQTK_MATRIX_PASSWORD:-mqtk-matrix-secret}

# bm_mosquitto_config NAME DIR PORT: write DIR/mosquitto.conf (and acl, passwd) for configuration NAME.
# Prints "U P" when the configuration needs credentials.
bm_mosquitto_config() {
    local name=$1 dir=$2 port=$3 conf=$2/mosquitto.conf
    local password=0 extra=() listener_extra=()
    case $name in
        mosquitto-password) password=1 ;;
        mosquitto-inflight1) extra+=("max_inflight_messages 1") ;;
        mosquitto-qos1) extra+=("max_qos 1") ;;
        mosquitto-noretain) extra+=("retain_available false") ;;
        mosquitto-limits)
            # limits a conformant broker may impose: a Maximum Packet Size (5.0 §3.2.2.3.6), a Server
            # Keep Alive (§3.2.2.3.14), few topic aliases (§3.2.2.3.8), no server-assigned client ids
            # (3.1.1 §3.1.3.1 and 5.0 §3.1.3.1 make accepting an empty one optional)
            extra+=("max_packet_size 2048" "max_keepalive 120" "allow_zero_length_clientid false")
            listener_extra+=("max_topic_alias 2")
            ;;
        mosquitto-minimal)
            password=1
            extra+=("max_inflight_messages 1" "max_qos 1" "retain_available false" "sys_interval 0")
            ;;
        *) echo "unknown mosquitto configuration $name" >&2; return 1 ;;
    esac
    local keepalive="max_keepalive 65535"
    [[ $name == mosquitto-limits ]] && keepalive=""
    {
        echo "# written by scripts/broker-matrix.sh: configuration $name"
        echo "listener $port 127.0.0.1"
        local l
        for l in "${listener_extra[@]}"; do echo "$l"; done
        if ((password)); then
            echo "allow_anonymous false"
            echo "password_file $dir/passwd"
        else
            echo "allow_anonymous true"
        fi
        echo "persistence false"
        echo "set_tcp_nodelay true"
        [[ -n $keepalive ]] && echo "$keepalive"
        echo "log_dest file $dir/mosquitto.log"
        echo "log_type error"
        echo "log_type warning"
        echo "acl_file $dir/acl"
        for l in "${extra[@]}"; do echo "$l"; done
    } >"$conf"
    # the same ACL as the embedded broker: "topic" lines bind anonymous clients, "pattern" lines all
    printf '%s\n' "topic deny mqtk/forbidden/#" "topic readwrite #" "topic read \$SYS/#" "topic readwrite \$mqtk/#" \
        "pattern deny mqtk/forbidden/#" "pattern readwrite #" "pattern read \$SYS/#" "pattern readwrite \$mqtk/#" >"$dir/acl"
    if ((password)); then
        mosquitto_passwd -b -c "$dir/passwd" "$MQTK_MATRIX_USER" "$MQTK_MATRIX_PASSWORD" >/dev/null 2>&1 || {
            echo "mosquitto_passwd failed" >&2
            return 1
        }
        echo "$MQTK_MATRIX_USER $MQTK_MATRIX_PASSWORD"
    fi
    # mosquitto started as root reads these after dropping to its own user
    chmod 0644 "$conf" "$dir/acl" 2>/dev/null
    [[ -f $dir/passwd ]] && chmod 0644 "$dir/passwd"
    chmod 0711 "$dir"
    # it writes its log there as that user
    : >"$dir/mosquitto.log"
    chmod 0666 "$dir/mosquitto.log"
    return 0
}

bm_find_mosquitto() {
    local m
    for m in "${MQTK_MOSQUITTO:-}" "$(command -v mosquitto 2>/dev/null)" /usr/sbin/mosquitto /usr/local/sbin/mosquitto; do
        [[ -n $m && -x $m ]] && { echo "$m"; return 0; }
    done
    return 1
}

# bm_mosquitto_start DIR: start mosquitto -c DIR/mosquitto.conf in its own session and process group
# (setsid execs in place: a background job of a non-interactive shell is no group leader); its pid
# goes to BM_PID. Call it directly, not in $(...), so that the caller's $! and traps see the broker.
bm_mosquitto_start() {
    local exe
    BM_PID=""
    exe=$(bm_find_mosquitto) || { echo "mosquitto not found" >&2; return 1; }
    setsid "$exe" -c "$1/mosquitto.conf" </dev/null >"$1/stdout.log" 2>&1 &
    BM_PID=$!
}
