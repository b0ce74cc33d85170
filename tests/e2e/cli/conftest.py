"""Helpers for the mqtk CLI tests: run the binary and read its JSON Lines."""
import json
import subprocess

import pytest


class Result:
    def __init__(self, proc):
        self.rc = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr.decode("utf-8", "replace")

    @property
    def text(self):
        return self.out.decode("utf-8")

    @property
    def records(self):
        return [json.loads(line) for line in self.text.splitlines()]


@pytest.fixture(scope="session")
def run(mqtk):
    """run("decode", "--hex", "c0 00", input=b"...") -> Result (rc, out bytes, err text)."""

    def _run(*args, input=b""):
        if isinstance(input, str):
            input = input.encode("utf-8")
        proc = subprocess.run([mqtk, *args], input=input, capture_output=True, timeout=30)
        return Result(proc)

    return _run
