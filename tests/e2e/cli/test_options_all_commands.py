"""The same bad command lines against every command: one option parser (cli/args.c), one broker
address parser, one message format, exit code 2 for every usage error and nothing on stdout."""
import socket
import subprocess

import pytest

COMMANDS = ["decode", "encode", "pcap", "replay", "run", "probe"]
BROKER_COMMANDS = ["replay", "run", "probe"]
CAPTURE = "tests/data/pcaps/crafted/gap.pcap"
REPLAYABLE = "tests/data/pcaps/real/mosquitto-v311.pcapng"


def mqtk_cmd(mqtk, repo_root, *args):
    return subprocess.run([mqtk, *args], capture_output=True, text=True, timeout=30, cwd=repo_root,
                          stdin=subprocess.DEVNULL)


def usage_line(command, message):
    return f"mqtk {command}: {message}; see 'mqtk {command} --help'\n"


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("arg", ["--bogus", "--bogus=1", "--bogus=", "-q"])
def test_unknown_option(mqtk, repo_root, command, arg):
    r = mqtk_cmd(mqtk, repo_root, command, arg)
    assert r.returncode == 2
    assert r.stderr == usage_line(command, f"unknown option '{arg.split('=')[0]}'")
    assert r.stdout == ""


@pytest.mark.parametrize("command", COMMANDS)
def test_a_flag_takes_no_value(mqtk, repo_root, command):
    r = mqtk_cmd(mqtk, repo_root, command, "--help=yes")
    assert r.returncode == 2
    assert r.stderr == usage_line(command, "option '--help' takes no value")


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("form", [["--help"], ["-h"]])
def test_help_on_stdout_exit_0(mqtk, repo_root, command, form):
    r = mqtk_cmd(mqtk, repo_root, command, *form)
    assert r.returncode == 0 and r.stderr == ""
    assert r.stdout.startswith(f"usage: mqtk {command}")


# The one address syntax: HOST:PORT or [IPV6]:PORT, port 1-65535 in decimal digits.
BAD_ADDRESSES = ["127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:", "127.0.0.1:+1", "127.0.0.1:1x", ":1883",
                 "nohost", "::1:1883", "[::1", "[::1]", "[::1]:0", "host name:1883", ""]


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_a_malformed_address_is_a_usage_error_everywhere(mqtk, repo_root, address):
    """Same message from every command that takes a broker, in both option forms, before any connection."""
    reasons = set()
    for command in BROKER_COMMANDS:
        extra = [CAPTURE] if command == "replay" else []
        for form in ([f"--broker={address}"], ["--broker", address]):
            r = mqtk_cmd(mqtk, repo_root, command, *extra, *form)
            assert r.returncode == 2, (command, form, r.stderr)
            prefix = f"mqtk {command}: --broker: "
            assert r.stderr.startswith(prefix) and r.stderr.endswith(f"; see 'mqtk {command} --help'\n"), r.stderr
            assert "unreachable" not in r.stderr and r.stdout == ""
            reasons.add(r.stderr[len(prefix):].split("; see ")[0])
    assert len(reasons) == 1, reasons


@pytest.mark.parametrize("command", BROKER_COMMANDS)
def test_an_option_without_its_value(mqtk, repo_root, command):
    r = mqtk_cmd(mqtk, repo_root, command, "--broker")
    assert r.returncode == 2
    assert r.stderr == usage_line(command, "option '--broker' needs a value")


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("command", BROKER_COMMANDS)
def test_a_well_formed_address_nobody_listens_on_is_unreachable(mqtk, repo_root, command):
    """Exit 2 as a setup error, and said as such: not a usage error."""
    port = closed_port()
    extra = [REPLAYABLE] if command == "replay" else []
    r = mqtk_cmd(mqtk, repo_root, command, *extra, f"--broker=127.0.0.1:{port}", "--timeout=1" if command ==
                 "replay" else "--timeout=200")
    assert r.returncode == 2
    assert "unreachable" in r.stderr and "--help" not in r.stderr


# One value option per command, written both ways: the same result.
BOTH_FORMS = [
    ("decode", [("--protocol", "5"), ("--hex", "e000")], []),
    ("encode", [("--protocol", "5"), ("--direction", "server")], ["--hex"]),
    ("pcap", [("--port", "1883"), ("--stream", "0")], [CAPTURE]),
    ("run", [("--protocol", "5"), ("--filter", "connect")], ["--list"]),
]


@pytest.mark.parametrize("command,opts,rest", BOTH_FORMS, ids=[c for c, _, _ in BOTH_FORMS])
def test_both_option_forms_agree(mqtk, repo_root, command, opts, rest):
    split = [a for kv in opts for a in kv]
    joined = [f"{k}={v}" for k, v in opts]
    stdin = '{"type":"DISCONNECT"}\n' if command == "encode" else None
    a = subprocess.run([mqtk, command, *split, *rest], capture_output=True, text=True, cwd=repo_root, timeout=30,
                       input=stdin)
    b = subprocess.run([mqtk, command, *joined, *rest], capture_output=True, text=True, cwd=repo_root, timeout=30,
                       input=stdin)
    assert a.returncode == b.returncode and a.returncode in (0, 1), a.stderr
    assert a.stdout == b.stdout and a.stdout


@pytest.mark.parametrize("command,option,value", [
    ("run", "jobs", "0"), ("run", "jobs", "+2"), ("run", "timeout", "abc"), ("run", "settle", "-1"),
    ("probe", "timeout", "9"), ("replay", "timeout", "0"), ("replay", "speed", "-1"), ("replay", "max-gap", "x"),
    ("replay", "port", "0"), ("pcap", "port", "65536"), ("pcap", "port", "0"),
])
def test_number_messages_share_one_form(mqtk, repo_root, command, option, value):
    extra = {"replay": [CAPTURE, "--broker", "127.0.0.1:1"], "pcap": [CAPTURE], "probe": ["--broker", "127.0.0.1:1"]}
    r = mqtk_cmd(mqtk, repo_root, command, *extra.get(command, []), f"--{option}={value}")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith(f"mqtk {command}: --{option} needs ") and f", got '{value}'" in r.stderr, r.stderr
