"""Issue 14, items 7 and 10 and the exit-code convention: output that cannot be written is exit 2
with the reason, an empty input is an error, names in JSON are compared by length (not as C
strings), and code points that steer a terminal never reach it raw."""
import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
CAPTURE = ROOT / "tests" / "data" / "pcaps" / "real" / "paho-v311-v5.pcapng"
COMMANDS = ["decode", "encode", "pcap", "replay", "probe", "run"]

needs_dev_full = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")


def to_dev_full(mqtk, *args, input=b""):
    """Run mqtk with standard output on /dev/full (every write fails with ENOSPC)."""
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([mqtk, *args], input=input, stdout=full, stderr=subprocess.PIPE, timeout=60)
    return proc.returncode, proc.stderr.decode("utf-8", "replace")


# --- item 7: write errors ----------------------------------------------------------------------

@needs_dev_full
@pytest.mark.parametrize("args", [
    ["--help"], ["--version"], ["help", "decode"],
    *([c, "--help"] for c in COMMANDS),
    ["decode", "--hex", "c0 00"],
    ["decode", "--json", "--hex", "c0 00 d0 00"],
    ["run", "--list"],
])
def test_failed_stdout_write_is_exit_2_with_reason(mqtk, args):
    rc, err = to_dev_full(mqtk, *args)
    assert rc == 2, err
    assert "cannot write to standard output" in err
    assert "No space left on device" in err


@needs_dev_full
def test_encode_to_full_disk(mqtk):
    rc, err = to_dev_full(mqtk, "encode", "--hex", input=b'{"type":"PINGREQ"}\n')
    assert rc == 2 and "No space left on device" in err
    rc, err = to_dev_full(mqtk, "encode", input=b'{"type":"PINGREQ"}\n')
    assert rc == 2 and "cannot write to standard output" in err


@needs_dev_full
def test_a_finding_and_a_write_error_is_still_exit_2(mqtk):
    rc, err = to_dev_full(mqtk, "decode", "--hex", "c0 00 30 07 00 03 61")
    assert rc == 2
    assert "error: truncated" in err and "cannot write to standard output" in err


@needs_dev_full
@pytest.mark.skipif(not CAPTURE.exists(), reason="capture missing")
def test_pcap_to_full_disk(mqtk):
    rc, err = to_dev_full(mqtk, "pcap", str(CAPTURE))
    assert rc == 2 and "cannot write to standard output" in err


def test_closed_stdout_is_exit_2(mqtk):
    proc = subprocess.run([mqtk, "decode", "--hex", "c0 00"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          timeout=30, pass_fds=(), close_fds=True,
                          preexec_fn=lambda: os.close(1))
    assert proc.returncode == 2
    assert b"cannot write to standard output" in proc.stderr


# --- --help and exit codes on every command ------------------------------------------------------

@pytest.mark.parametrize("command", COMMANDS)
def test_help_on_every_command(run, command):
    for flag in ("--help", "-h"):
        r = run(command, flag)
        assert r.rc == 0, r.err
        assert r.text.startswith("usage: mqtk " + command)
        assert r.err == ""
    r = run("help", command)
    assert r.rc == 0 and r.text.startswith("usage: mqtk " + command)


def test_help_for_an_unknown_command_is_exit_2(run):
    r = run("help", "nosuch")
    assert r.rc == 2 and r.out == b"" and "unknown command 'nosuch'" in r.err


@pytest.mark.parametrize("command", COMMANDS)
def test_unknown_option_is_exit_2_everywhere(run, command):
    r = run(command, "--no-such-option")
    assert r.rc == 2
    assert "no-such-option" in r.err and r.out == b""


@pytest.mark.parametrize("command", ["pcap", "replay", "probe", "run"])
def test_option_missing_its_value_is_exit_2(run, command):
    r = run(command, "--timeout" if command in ("probe", "run", "replay") else "--stream")
    assert r.rc == 2 and r.out == b""


# --- item 10 -------------------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["hex", "file", "stdin"])
def test_empty_decode_input_is_an_error(run, tmp_path, how):
    empty = tmp_path / "empty.bin"
    empty.write_bytes(b"")
    args = {"hex": ["--hex", ""], "file": [str(empty)], "stdin": ["-"]}[how]
    r = run("decode", *args)
    assert r.rc == 2 and r.out == b""
    assert "is empty: no bytes to decode" in r.err


@pytest.mark.parametrize("record, shown", [
    ('{"type":"PINGREQ\\u0000garbage"}', 'unknown packet type "PINGREQ\\x00garbage"'),
    ('{"type":"PINGREQ\\u0000"}', 'unknown packet type "PINGREQ\\x00"'),
    ('{"type":"PINGREQ","version":"5.0\\u0000x"}', 'field "version"'),
    ('{"type":"DISCONNECT","version":"5.0","reason_code":{"name":"normal_disconnection\\u0000x"}}',
     'is not a reason code name'),
    ('{"type":"DISCONNECT","version":"5.0","properties":[{"name":"session_expiry_interval\\u0000x","value":1}]}',
     'property: unknown name "session_expiry_interval\\x00x"'),
])
def test_encode_compares_names_by_length(run, record, shown):
    r = run("encode", "--hex", input=record + "\n")
    assert r.rc == 2, r.err
    assert r.out == b""
    assert shown in r.err


def test_encode_plain_names_still_work(run):
    r = run("encode", "--hex", input='{"type":"PINGREQ","version":"5.0"}\n'
            '{"type":"DISCONNECT","version":"5.0","reason_code":{"name":"normal_disconnection"},'
            '"properties":[{"name":"session_expiry_interval","value":1}]}\n')
    assert r.rc == 0, r.err
    assert r.text.split() == ["c000", "e00700051100000001"]


# A 3.1.1 PUBLISH whose payload holds U+202E (RIGHT-TO-LEFT OVERRIDE), U+0085 (NEXT LINE, C1),
# U+2066 (LEFT-TO-RIGHT ISOLATE), U+200F (RIGHT-TO-LEFT MARK), DEL, then plain text and an e-acute.
PAYLOAD = "\u202eb\u0085c\u2066\u200f\x7fd\u00e9".encode()
PUBLISH = bytes([0x30, 2 + 1 + len(PAYLOAD), 0x00, 0x01, ord("a")]) + PAYLOAD
RAW_STEERING = [b"\xe2\x80\xae", b"\xc2\x85", b"\xe2\x81\xa6", b"\xe2\x80\x8f", b"\x7f"]


def test_terminal_steering_code_points_are_escaped_in_text(run):
    r = run("decode", "--protocol", "3.1.1", "--hex", PUBLISH.hex())
    assert r.rc == 0, r.err
    for raw in RAW_STEERING:
        assert raw not in r.out
    assert 'Payload (17 bytes): "\\u202eb\\u0085c\\u2066\\u200f\\x7fd\u00e9"' in r.text


def test_terminal_steering_code_points_are_escaped_in_json_and_round_trip(run):
    r = run("decode", "--json", "--protocol", "3.1.1", "--hex", PUBLISH.hex())
    assert r.rc == 0, r.err
    for raw in RAW_STEERING:
        assert raw not in r.out
    assert b"\\u202e" in r.out and b"\\u0085" in r.out and b"\\u007f" in r.out
    assert "\u00e9".encode() in r.out  # ordinary non-ASCII text stays as it is
    assert r.records[0]["payload"]["text"] == PAYLOAD.decode()
    back = run("encode", "--hex", input=r.out)
    assert back.rc == 0 and back.text.strip() == PUBLISH.hex()


def test_steering_code_points_in_a_topic(run):
    topic = "x\u202ey".encode()
    pkt = bytes([0x30, 2 + len(topic), 0x00, len(topic)]) + topic
    r = run("decode", "--protocol", "3.1.1", "--hex", pkt.hex())
    assert r.rc == 0, r.err
    assert b"\xe2\x80\xae" not in r.out
    assert 'topic="x\\u202ey"' in r.text
    assert json.loads(run("decode", "--json", "--protocol", "3.1.1", "--hex", pkt.hex()).text)["topic"] == \
        topic.decode()
