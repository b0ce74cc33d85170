"""Tests that read the third-party captures in ../shared/pcaps (beside the checkout) skip, with the
reason, when that folder is absent, instead of failing on a missing file."""
import inspect
import os
import pathlib

import pytest

from pcap_cases import GOLDEN, SHARED

# MQTK_SHARED_PCAPS names another place to look (a missing one shows what the skip does)
SHARED_DIR = pathlib.Path(os.environ.get("MQTK_SHARED_PCAPS", pathlib.Path(__file__).resolve().parents[3] / SHARED))


def needs_shared(item):
    params = getattr(getattr(item, "callspec", None), "params", {})
    for v in params.values():
        if SHARED in str(v) or (isinstance(v, str) and any(SHARED in a for a in GOLDEN.get(v, ([], 0))[0])):
            return True
    try:
        return "SHARED" in inspect.getsource(item.function)
    except (OSError, TypeError):
        return False


def pytest_collection_modifyitems(config, items):
    if SHARED_DIR.is_dir():
        return
    skip = pytest.mark.skip(reason=f"needs the third-party captures in {SHARED_DIR}, which is absent")
    for item in items:
        if needs_shared(item):
            item.add_marker(skip)
