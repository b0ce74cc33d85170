"""Shared pytest fixtures: where the built binaries are.

MQTK_BUILD (default: build/ at the top of the checkout) is the CMake build directory that holds
the `mqtk` binary; MQTK_BIN overrides the binary itself."""
import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("MQTK_BUILD", ROOT / "build"))


@pytest.fixture(scope="session")
def mqtk():
    path = pathlib.Path(os.environ.get("MQTK_BIN", BUILD / "mqtk"))
    if not path.is_file():
        pytest.fail(f"mqtk binary not found at {path}: build first (see README)")
    return str(path)


@pytest.fixture(scope="session")
def repo_root():
    return ROOT


@pytest.fixture(scope="session")
def shared_dir():
    return ROOT.parent / "shared"
