#!/usr/bin/env bash
# Re-record the real captures in pcaps/real/: mosquitto_pub / mosquitto_sub (Debian's
# mosquitto-clients) talking to a mosquitto broker on a free loopback port, captured with tshark.
# One capture per protocol version (3.1, 3.1.1, 5.0), each with QoS 0/1/2, a retained message, a
# will, credentials and a payload large enough to span several TCP segments.
#
# usage: scripts/record-pcaps.sh [OUTDIR]     (default: pcaps/real next to this script)
# needs: mosquitto, mosquitto-clients, tshark (apt-get install -y mosquitto mosquitto-clients tshark),
#        and the right to capture on the loopback interface (root, or dumpcap's capabilities).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/pcaps/real}
mkdir -p "$out"
for tool in mosquitto mosquitto_pub mosquitto_sub tshark; do
    command -v "$tool" >/dev/null || { echo "record-pcaps: $tool is missing" >&2; exit 2; }
done

work=$(mktemp -d)
broker_pid=; capture_pid=
cleanup() {
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

record() { # record NAME PROTOCOL-OPTION
    local name=$1 proto=$2 port
    port=$(free_port)
    printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$port" > "$work/mosquitto.conf"
    mosquitto -c "$work/mosquitto.conf" > "$work/broker.log" 2>&1 &
    broker_pid=$!
    wait_for "$work/broker.log" "Opening ipv4 listen socket on port $port" 10

    tshark -i lo -f "tcp port $port" -w "$out/$name.pcapng" > "$work/tshark.log" 2>&1 &
    capture_pid=$!
    wait_for "$work/tshark.log" "Capturing on" 10
    sleep 0.5 # tshark says "Capturing on" just before the filter is live

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
    sleep 0.5 # let the last segments reach the capture before stopping it
    kill -INT "$capture_pid"; wait "$capture_pid" || true; capture_pid=
    kill "$broker_pid"; wait "$broker_pid" || true; broker_pid=
    echo "recorded $out/$name.pcapng (broker port $port)"
}

record mosquitto-v31 mqttv31
record mosquitto-v311 mqttv311
record mosquitto-v5 mqttv5
