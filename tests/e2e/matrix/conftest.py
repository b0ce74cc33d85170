"""The broker matrix tests start real brokers and run the whole suite (about a minute and a half):
they run when selected with `-m matrix` or with MQTK_MATRIX=1, and are skipped otherwise."""
import os

import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "matrix: runs scripts/broker-matrix.sh against local brokers (slow)")


def pytest_collection_modifyitems(config, items):
    if "matrix" in (config.getoption("markexpr") or "") or os.environ.get("MQTK_MATRIX") == "1":
        return
    skip = pytest.mark.skip(reason="broker matrix: select with -m matrix or MQTK_MATRIX=1")
    for item in items:
        if "matrix" in item.keywords:
            item.add_marker(skip)
