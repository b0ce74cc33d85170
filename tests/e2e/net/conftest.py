"""Fixtures of the transport tests: the test certificates (made by mqtk-test-pki, beside the mqtk binary,
with lib/net's throwaway PKI) in a directory mosquitto can read after dropping privileges."""
import os
import pathlib
import shutil
import subprocess
import tempfile

import pytest


@pytest.fixture(scope="session")
def pki(mqtk):
    """Beside the mqtk binary (tests/e2e/conftest.py finds it), or $MQTK_TEST_PKI."""
    tool = pathlib.Path(os.environ.get("MQTK_TEST_PKI", pathlib.Path(mqtk).parent / "mqtk-test-pki"))
    if not tool.is_file():
        pytest.fail(f"{tool} not found: build first (see README)")
    d = pathlib.Path(tempfile.mkdtemp(prefix="mqtk-pki-"))
    d.chmod(0o711)
    subprocess.run([str(tool), str(d)], check=True, timeout=30)
    yield d
    shutil.rmtree(d, ignore_errors=True)
