"""Global options, help texts, usage errors, hex input parsing, stream version detection."""
import re

import pytest


def test_version(run):
    r = run("--version")
    assert r.rc == 0
    assert re.fullmatch(r"mqtk \d+\.\d+\.\d+ \(codec \d+\.\d+\.\d+\)\n", r.text)


def test_help_lists_commands_and_exit_codes(run):
    r = run("--help")
    assert r.rc == 0
    assert re.search(r"^  decode ", r.text, re.M) and re.search(r"^  encode ", r.text, re.M)
    assert "Exit codes" in r.text


@pytest.mark.parametrize("command", ["decode", "encode"])
def test_command_help(run, command):
    r = run(command, "--help")
    assert r.rc == 0
    assert r.text.startswith(f"usage: mqtk {command}")
    for code in ("0", "1", "2"):
        assert re.search(rf"^  {code}  ", r.text, re.M)
    assert run(command, "-h").out == r.out
    assert run("help", command).out == r.out


def test_decode_help_states_the_default_version(run):
    text = run("decode", "--help").text
    assert "otherwise 5" in text and "CONNECT" in text


@pytest.mark.parametrize("args,message", [
    ([], "usage: mqtk <command>"),
    (["frobnicate"], "mqtk: unknown command 'frobnicate'"),
    (["--bogus"], "mqtk: unknown option '--bogus'"),
    (["decode", "--bogus", "x"], "mqtk decode: unknown option '--bogus'"),
    (["decode"], "mqtk decode: no input"),
    (["decode", "--protocol", "4", "--hex", "c000"], "mqtk decode: unknown protocol version '4'"),
    (["decode", "--direction", "up", "--hex", "c000"], "mqtk decode: unknown direction 'up'"),
    (["decode", "--protocol"], "mqtk decode: option '--protocol' needs a value"),
    (["decode", "--json=yes", "--hex", "c000"], "mqtk decode: option '--json' takes no value"),
    (["decode", "--hex", "c000", "file"], "mqtk decode: give either --hex or an input file, not both"),
    (["decode", "a", "b"], "mqtk decode: more than one input ('a' and 'b')"),
    (["decode", "/nonexistent/file"], "mqtk decode: cannot read '/nonexistent/file': No such file or directory"),
    (["decode", "--hex", "c0 0"], "mqtk decode: bad --hex at character 4: odd number of hex digits in a group"),
    (["decode", "--hex", "c0 zz"], "mqtk decode: bad --hex at character 4: not a hex digit"),
    (["decode", "--hex", "0x"], "mqtk decode: bad --hex at character 1: \"0x\" without hex digits"),
    (["encode", "--protocol", "6"], "mqtk encode: unknown protocol version '6'"),
    (["encode", "/nonexistent/file"], "mqtk encode: cannot read '/nonexistent/file'"),
])
def test_usage_errors_exit_2(run, args, message):
    r = run(*args)
    assert r.rc == 2
    assert r.err.startswith(message), r.err
    assert r.out == b""


@pytest.mark.parametrize("spelling", [
    "c0 00 d0 00", "c000d000", "c0:00:d0:00", "0xc000 0xd000", "0xc0 0x00 0xD0 0x00", "  C0 00\n\td0 00 ",
])
def test_hex_input_spellings(run, spelling):
    r = run("decode", "--json", "--hex", spelling)
    assert r.rc == 0, r.err
    assert [x["type"] for x in r.records] == ["PINGREQ", "PINGRESP"]


def test_file_and_stdin_input(run, tmp_path):
    path = tmp_path / "stream.bin"
    path.write_bytes(bytes.fromhex("c000d000"))
    from_file = run("decode", "--json", str(path))
    from_stdin = run("decode", "--json", "-", input=path.read_bytes())
    assert from_file.rc == from_stdin.rc == 0
    assert from_file.out == from_stdin.out
    assert [x["type"] for x in from_file.records] == ["PINGREQ", "PINGRESP"]


CONNECT_311 = "10 0e 00 04 4d 51 54 54 04 02 00 3c 00 02 63 31"
CONNECT_31 = "10 10 00 06 4d 51 49 73 64 70 03 02 00 3c 00 02 63 31"
PUBACK_V5_REASON = "40 03 00 0a 10"  # Remaining Length 3: valid in 5.0 only


def test_version_default_is_5(run):
    r = run("decode", "--json", "--hex", PUBACK_V5_REASON)
    assert r.rc == 0
    assert r.records[0]["version"] == "5.0"


@pytest.mark.parametrize("connect,version", [(CONNECT_311, "3.1.1"), (CONNECT_31, "3.1")])
def test_stream_version_from_first_connect(run, connect, version):
    r = run("decode", "--json", "--hex", connect + " 40 02 00 0a")
    assert r.rc == 0, r.err
    assert [x["version"] for x in r.records] == [version, version]
    assert "reason_code" not in r.records[1]
    # the 5.0-only short form is malformed once the stream is 3.x
    r = run("decode", "--hex", connect + " " + PUBACK_V5_REASON)
    assert r.rc == 1
    assert r.err.startswith("error: wrong_remaining_length: ")
    assert r.err.endswith(f" at byte {len(connect.split()) + 1}\n")


def test_protocol_option_wins_over_detection(run):
    # the CONNECT is still read by its own level; the rest follows --protocol
    r = run("decode", "--json", "--protocol", "5", "--hex", CONNECT_311 + " " + PUBACK_V5_REASON)
    assert r.rc == 0, r.err
    assert [x["version"] for x in r.records] == ["3.1.1", "5.0"]
