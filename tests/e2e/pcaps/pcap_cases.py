"""The captures the pcap tests read, and how to run `mqtk pcap` on them from the checkout's top."""
import json
import pathlib
import subprocess

SHARED = "../shared/pcaps"  # real third-party captures, beside the checkout (see shared/pcaps/README.md)
CRAFTED = "tests/data/pcaps/crafted"  # scripts/make-crafted-pcaps.py
REAL = "tests/data/pcaps/real"  # scripts/record-pcaps.sh

# name of the golden file -> (arguments after `mqtk pcap`, expected exit code)
GOLDEN = {
    "zeek-mqtt": ([f"{SHARED}/zeek-mqtt.pcap"], 0),
    "zeek-mqtt.json": (["--json", f"{SHARED}/zeek-mqtt.pcap"], 0),
    "ndpi-mqtt": ([f"{SHARED}/ndpi-mqtt.pcap"], 0),
    "ndpi-coap_mqtt": ([f"{SHARED}/ndpi-coap_mqtt.pcap"], 0),
    "ndpi-coap_mqtt-port17501": (["--port", "17501", f"{SHARED}/ndpi-coap_mqtt.pcap"], 0),
    "ndpi-coap_mqtt-port17501.summary": (["--summary", "--port", "17501", f"{SHARED}/ndpi-coap_mqtt.pcap"], 0),
    "ndpi-coap_mqtt-stream3": (["--port", "17501", "--stream", "3", f"{SHARED}/ndpi-coap_mqtt.pcap"], 0),
    "mosquitto-v31": ([f"{REAL}/mosquitto-v31.pcapng"], 0),
    "mosquitto-v311": ([f"{REAL}/mosquitto-v311.pcapng"], 0),
    "mosquitto-v5": ([f"{REAL}/mosquitto-v5.pcapng"], 0),
    "paho-v311-v5": ([f"{REAL}/paho-v311-v5.pcapng"], 0),
    "crafted-mqtt5.json": (["--json", f"{CRAFTED}/mqtt5.pcap"], 0),
    "mosquitto-v5.summary.json": (["--summary", "--json", f"{REAL}/mosquitto-v5.pcapng"], 0),
}
CRAFTED_EXIT = {
    "out-of-order": 0, "retransmission": 0, "overlap": 0, "split-varint": 0, "gap": 1, "mid-stream": 0,
    "ipv6-ext": 0, "sll": 0, "sll2": 0, "vlan": 0, "qinq": 0, "loopback-null": 0, "raw-ip": 0, "malformed": 1,
    "connect-detect": 0, "snaplen": 1, "mqtt5": 0, "truncated-end": 1, "damaged-file": 1,
    "ws-session": 0, "ws-fragmented": 0, "ws-text-frame": 1, "ws-bad-mask": 1, "tls-hello": 0,
}
for _name, _rc in CRAFTED_EXIT.items():
    GOLDEN[f"crafted-{_name}"] = ([f"{CRAFTED}/{_name}.pcap"], _rc)
GOLDEN["crafted-gap.json"] = (["--json", f"{CRAFTED}/gap.pcap"], 1)
GOLDEN["crafted-malformed.json"] = (["--json", f"{CRAFTED}/malformed.pcap"], 1)
GOLDEN["crafted-malformed.summary"] = (["--summary", f"{CRAFTED}/malformed.pcap"], 1)
GOLDEN["ws-mosquitto"] = ([f"{REAL}/ws-mosquitto.pcapng"], 0)
GOLDEN["ws-mosquitto.summary"] = (["--summary", f"{REAL}/ws-mosquitto.pcapng"], 0)
GOLDEN["tls-mosquitto"] = ([f"{REAL}/tls-mosquitto.pcapng"], 0)
GOLDEN["tls-mosquitto.summary"] = (["--summary", f"{REAL}/tls-mosquitto.pcapng"], 0)
GOLDEN["crafted-ws-bad-mask.json"] = (["--json", f"{CRAFTED}/ws-bad-mask.pcap"], 1)
GOLDEN["crafted-tls-hello.json"] = (["--json", f"{CRAFTED}/tls-hello.pcap"], 0)
GOLDEN["crafted-tls-hello.summary.json"] = (["--summary", "--json", f"{CRAFTED}/tls-hello.pcap"], 0)


def run_pcap(mqtk, root, args, stdin=None):
    return subprocess.run([mqtk, "pcap", *args], cwd=root, capture_output=True, timeout=120, input=stdin)


def events(mqtk, root, args):
    """Run with --json and parse the JSON Lines; returns (events, completed process)."""
    r = run_pcap(mqtk, root, ["--json", *args])
    return [json.loads(line) for line in r.stdout.decode().splitlines()], r


def golden_path(name):
    return pathlib.Path(__file__).resolve().parents[3] / "tests" / "data" / "pcaps" / "golden" / (name if "." in name else name + ".txt")
