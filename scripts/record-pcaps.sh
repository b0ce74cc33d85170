#!/usr/bin/env bash
# Re-record the real captures in tests/data/pcaps/real/, each against a mosquitto broker on a free loopback
# port, captured with tshark:
#   mosquitto-v31, mosquitto-v311, mosquitto-v5: mosquitto_pub / mosquitto_sub (Debian's
#     mosquitto-clients), one capture per protocol version, each with QoS 0/1/2, a retained message,
#     a will, credentials and a payload large enough to span several TCP segments;
#   paho-v311-v5: Debian's python3-paho-mqtt (scripts/pcap-clients/paho_session.py) in 3.1.1 and
#     5.0 sessions against a broker that requires a password (password_file): QoS 0/1/2, a retained
#     message set, received by a late subscriber and cleared, wills (one dropped, one published by a
#     5.0 DISCONNECT 0x04), a topic alias, properties and a 300 kB payload.
#   ws-mosquitto: MQTT over WebSocket. Debian's mosquitto is built without libwebsockets ("protocol
#     websockets" fails to open its listener), so scripts/pcap-clients/ws_bridge.py answers the
#     WebSocket handshake in front of it and relays frames; scripts/pcap-clients/ws_client.py runs a
#     3.1.1 and a 5.0 session that split packets across frames, put several in one frame, fragment a
#     60 kB message with a ping inside it and close with status 1000. Only the WebSocket port is
#     captured.
#   tls-mosquitto: MQTT over TLS (a throwaway CA and server certificate for "localhost" made with
#     openssl here), mosquitto_pub to localhost so the ClientHello carries SNI; mqtk reports it as
#     TLS (version, SNI, bytes), not decoded.
#
# usage: scripts/record-pcaps.sh [OUTDIR [NAME ...]]   (default: tests/data/pcaps/real in this checkout, all)
# needs: mosquitto, mosquitto-clients, tshark, python3-paho-mqtt (paho-v311-v5), openssl (tls-mosquitto)
#        (apt-get install -y mosquitto mosquitto-clients tshark python3-paho-mqtt openssl),
#        and the right to capture on the loopback interface (root, or dumpcap's capabilities).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/tests/data/pcaps/real}
shift $(($# > 0 ? 1 : 0))
known=(mosquitto-v31 mosquitto-v311 mosquitto-v5 paho-v311-v5 ws-mosquitto tls-mosquitto)
names=("$@")
[ ${#names[@]} -gt 0 ] || names=("${known[@]}")
for name in "${names[@]}"; do
    [[ " ${known[*]} " == *" $name "* ]] || { echo "record-pcaps: unknown capture '$name' (${known[*]})" >&2; exit 2; }
done
mkdir -p "$out"
for tool in mosquitto mosquitto_pub mosquitto_sub mosquitto_passwd tshark; do
    command -v "$tool" >/dev/null || { echo "record-pcaps: $tool is missing" >&2; exit 2; }
done
if [[ " ${names[*]} " == *" paho-v311-v5 "* ]]; then
    /usr/bin/python3 -c 'import paho.mqtt.client' 2>/dev/null ||
        { echo "record-pcaps: python3-paho-mqtt is missing" >&2; exit 2; }
fi

work=$(mktemp -d)
chmod 755 "$work" # mosquitto started as root drops to its own user before it reads the password file
broker_pid=; capture_pid=; bridge_pid=
cleanup() {
    [ -n "$bridge_pid" ] && kill "$bridge_pid" 2>/dev/null || true
    [ -n "$capture_pid" ] && kill "$capture_pid" 2>/dev/null || true
    [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_for FILE PATTERN SECONDS: until FILE contains PATTERN, or fail after the deadline
wait_for() {
    local deadline=$((SECONDS + $3))
    until grep -q "$2" "$1" 2>/dev/null; do
        [ $SECONDS -lt $deadline ] || { echo "record-pcaps: timed out waiting for '$2' in $1" >&2; cat "$1" >&2; exit 2; }
        sleep 0.1
    done
}

head -c 150000 /dev/urandom | base64 -w 0 > "$work/large.txt"   # ~200 kB of text: several segments

# start_broker EXTRA-CONFIG: a broker on a free loopback port ($port), awaited until it listens
start_broker() {
    port=$(free_port)
    printf 'listener %s 127.0.0.1\n%s\n' "$port" "$1" > "$work/mosquitto.conf"
    mosquitto -c "$work/mosquitto.conf" > "$work/broker.log" 2>&1 &
    broker_pid=$!
    wait_for "$work/broker.log" "Opening ipv4 listen socket on port $port" 10
}

# start_capture NAME: tshark on lo, the broker's port only, into $out/NAME.pcapng
start_capture() {
    tshark -i lo -f "tcp port $port" -w "$out/$1.pcapng" > "$work/tshark.log" 2>&1 &
    capture_pid=$!
    wait_for "$work/tshark.log" "Capturing on" 10
    sleep 0.5 # tshark says "Capturing on" just before the filter is live
}

# stop_all NAME: the capture, then the broker
stop_all() {
    sleep 0.5 # let the last segments reach the capture before stopping it
    kill -INT "$capture_pid"; wait "$capture_pid" || true; capture_pid=
    kill "$broker_pid"; wait "$broker_pid" || true; broker_pid=
    echo "recorded $out/$1.pcapng (broker port $port)"
}

record_mosquitto() { # record_mosquitto NAME PROTOCOL-OPTION
    local name=$1 proto=$2
    start_broker "allow_anonymous true"
    start_capture "$name"

    local common=(-h 127.0.0.1 -p "$port" -V "$proto")
    # a subscriber that stays for the retained message, QoS 1 and 2 deliveries and the large payload
    mosquitto_sub "${common[@]}" -i "sub-$name" -t "mqtk/#" -q 2 -C 5 -W 20 -v > "$work/sub.txt" &
    local sub_pid=$!
    sleep 0.5 # no event to await from the subscriber's SUBACK short of parsing its debug output
    mosquitto_pub "${common[@]}" -i "pub0-$name" -t mqtk/retained -m "kept" -r -q 0
    mosquitto_pub "${common[@]}" -i "pub1-$name" -t mqtk/qos1 -m "at least once" -q 1 \
        -u alice -P secret --will-topic mqtk/will --will-payload "gone" --will-qos 1
    mosquitto_pub "${common[@]}" -i "pub2-$name" -t mqtk/qos2 -m "exactly once" -q 2
    mosquitto_pub "${common[@]}" -i "pub3-$name" -t mqtk/large -f "$work/large.txt" -q 1
    mosquitto_pub "${common[@]}" -i "pub4-$name" -t mqtk/retained -n -r -q 1   # clear the retained message
    wait "$sub_pid" || { echo "record-pcaps: the subscriber did not get its 5 messages" >&2; exit 2; }
    stop_all "$name"
}

record_paho() { # record_paho NAME: the broker takes only alice's password (stored by mosquitto_passwd)
    local name=$1
    mosquitto_passwd -b -c "$work/passwd" alice secret
    start_broker "$(printf 'allow_anonymous false\npassword_file %s' "$work/passwd")"
    start_capture "$name"
    # every step of the client program awaits its reply, with a deadline
    /usr/bin/python3 "$here/scripts/pcap-clients/paho_session.py" --port "$port" --username alice --password secret ||
        { echo "record-pcaps: the paho session failed" >&2; exit 2; }
    stop_all "$name"
}

record_ws() { # record_ws NAME: a plain broker, the WebSocket bridge before it, the bridge's port captured
    local name=$1 broker_port
    start_broker "allow_anonymous true"
    broker_port=$port
    port=$(free_port)
    /usr/bin/python3 "$here/scripts/pcap-clients/ws_bridge.py" --port "$port" --broker-port "$broker_port" \
        > "$work/bridge.log" 2>&1 &
    bridge_pid=$!
    wait_for "$work/bridge.log" "listening on $port" 10
    start_capture "$name"
    /usr/bin/python3 "$here/scripts/pcap-clients/ws_client.py" --port "$port" ||
        { echo "record-pcaps: the WebSocket session failed" >&2; exit 2; }
    kill "$bridge_pid"; wait "$bridge_pid" || true; bridge_pid=
    stop_all "$name"
}

record_tls() { # record_tls NAME: a TLS listener with a CA made now; the client names localhost (SNI)
    local name=$1
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=mqtk test CA" \
        -keyout "$work/ca.key" -out "$work/ca.crt" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$work/server.key" \
        -out "$work/server.csr" 2>/dev/null
    printf 'subjectAltName=DNS:localhost\n' > "$work/san.ext"
    openssl x509 -req -in "$work/server.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" -CAcreateserial \
        -days 2 -extfile "$work/san.ext" -out "$work/server.crt" 2>/dev/null
    chmod 644 "$work"/*.key # mosquitto drops to its own user before reading them
    start_broker "$(printf 'allow_anonymous true\ncafile %s\ncertfile %s\nkeyfile %s' "$work/ca.crt" \
        "$work/server.crt" "$work/server.key")"
    start_capture "$name"
    mosquitto_pub -h localhost -p "$port" --cafile "$work/ca.crt" -i "tls-$name" -t mqtk/tls -m "over TLS" -q 1 ||
        { echo "record-pcaps: the TLS publish failed" >&2; exit 2; }
    stop_all "$name"
}

for name in "${names[@]}"; do
    case $name in
        mosquitto-v31) record_mosquitto "$name" mqttv31 ;;
        mosquitto-v311) record_mosquitto "$name" mqttv311 ;;
        mosquitto-v5) record_mosquitto "$name" mqttv5 ;;
        paho-v311-v5) record_paho "$name" ;;
        ws-mosquitto) record_ws "$name" ;;
        tls-mosquitto) record_tls "$name" ;;
    esac
done
