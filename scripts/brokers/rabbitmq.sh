# An isolated RabbitMQ (Debian package rabbitmq-server, plugin rabbitmq_mqtt) for
# scripts/broker-matrix.sh (sourced). Not the system service: its own node name, configuration,
# enabled-plugins file, Mnesia, logs and Erlang cookie in a temporary directory. RabbitMQ needs the
# Erlang distribution, so the node gets its own epmd, started here on a free port of 127.0.0.1
# (the node is told not to start one, so nothing outlives the run), and its distribution port is
# bound to 127.0.0.1 too. The only other listener is MQTT on 127.0.0.1 (no AMQP listener). The MQTT
# user, its rights and a forbidden topic come from a definitions file the node imports at boot (with
# one, RabbitMQ creates no default guest user); anonymous MQTT clients are refused.

RABBITMQ_SERVER_BIN=${RABBITMQ_SERVER_BIN:-/usr/lib/rabbitmq/bin/rabbitmq-server}

bm_rabbitmq_present() {
    [[ -x $RABBITMQ_SERVER_BIN ]] && command -v epmd >/dev/null 2>&1 &&
        compgen -G "$(dirname "$(readlink -f "$RABBITMQ_SERVER_BIN")")/../plugins/rabbitmq_mqtt-*" >/dev/null
}

# bm_rabbitmq_config DIR MQTT_PORT USER PASSWORD: the node's configuration files in DIR
bm_rabbitmq_config() {
    local dir=$1 port=$2 user=$3 pass=$4
    mkdir -p "$dir/log" "$dir/mnesia" "$dir/conf.d" || return 1
    {
        echo "# written by scripts/broker-matrix.sh: configuration rabbitmq"
        echo "listeners.tcp = none"
        echo "mqtt.listeners.tcp.1 = 127.0.0.1:$port"
        echo "mqtt.allow_anonymous = false"
        echo "load_definitions = $dir/definitions.json"
        echo "log.console = false"
        echo "log.file.level = info"
    } >"$dir/rabbitmq.conf" || return 1
    bm_rabbitmq_definitions "$user" "$pass" >"$dir/definitions.json" || return 1
    echo "[rabbitmq_mqtt]." >"$dir/enabled_plugins"
    : >"$dir/rabbitmq-env.conf"   # instead of /etc/rabbitmq/rabbitmq-env.conf
}

# bm_rabbitmq_definitions USER PASSWORD: the definitions the node imports at boot: the user (RabbitMQ's
# salted SHA-256 hash), full rights on vhost "/", and a topic permission that refuses publications to
# mqtk/forbidden/... (routing key mqtk.forbidden...; the profile's forbidden-topic)
bm_rabbitmq_definitions() {
    /usr/bin/python3 - "$1" "$2" <<'PY'
import base64, hashlib, json, os, sys
user, password = sys.argv[1], sys.argv[2]
salt = os.urandom(4)
digest = base64.b64encode(salt + hashlib.sha256(salt + password.encode()).digest()).decode()
print(json.dumps({
    "users": [{"name": user, "password_hash": digest, "hashing_algorithm": "rabbit_password_hashing_sha256",
               "tags": ""}],
    "vhosts": [{"name": "/"}],
    "permissions": [{"user": user, "vhost": "/", "configure": ".*", "write": ".*", "read": ".*"}],
    "topic_permissions": [{"user": user, "vhost": "/", "exchange": "amq.topic",
                           "write": "^(?!mqtk\\.forbidden(\\.|$))", "read": ".*"}],
}, indent=1))
PY
}

# bm_rabbitmq_start DIR MQTT_PORT EPMD_PORT DIST_PORT SECONDS: starts the epmd (its pid goes to
# BM_EPMD_PID) and, once epmd listens, the node (its pid to BM_PID); both lead their own process
# group. Call it directly, not in $(...). Returns 1 when epmd does not come up within SECONDS.
bm_rabbitmq_start() {
    local dir=$1 port=$2 epmd_port=$3 dist_port=$4 secs=$5
    BM_PID=""
    BM_EPMD_PID=""
    setsid epmd -port "$epmd_port" -address 127.0.0.1 </dev/null >"$dir/log/epmd.log" 2>&1 &
    BM_EPMD_PID=$!
    bm_wait_port "$epmd_port" "$BM_EPMD_PID" "$secs" || return 1
    (
        cd "$dir" || exit 1
        export HOME="$dir" ERL_EPMD_PORT="$epmd_port" ERL_EPMD_ADDRESS=127.0.0.1 \
            RABBITMQ_NODENAME=mqtk-matrix@localhost RABBITMQ_DIST_PORT="$dist_port" \
            RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
            RABBITMQ_CONFIG_FILES="$dir/conf.d" RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" \
            RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_MNESIA_BASE="$dir/mnesia" \
            RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_PID_FILE="$dir/rabbitmq.pid" \
            RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1} -start_epmd false" \
            ERL_CRASH_DUMP="$dir/log/erl_crash.dump" ERL_CRASH_DUMP_BYTES=0
        exec setsid "$RABBITMQ_SERVER_BIN"
    ) </dev/null >"$dir/log/stdout.log" 2>&1 &
    BM_PID=$!
}

# bm_rabbitmq_ports: three distinct free ports of 127.0.0.1 (MQTT, epmd, distribution), one line
bm_rabbitmq_ports() {
    local a b c i
    for ((i = 0; i < 10; i++)); do
        a=$(bm_free_port) && b=$(bm_free_port) && c=$(bm_free_port) || return 1
        [[ $a != "$b" && $b != "$c" && $a != "$c" ]] && { echo "$a $b $c"; return 0; }
    done
    return 1
}
