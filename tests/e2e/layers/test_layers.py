"""The layer rules: scripts/check-layers.py passes on the tree and names each kind of breach planted
in a copy; every library has its "links alone" program in the build."""
import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

HERE = pathlib.Path(__file__).resolve()
ROOT = HERE.parents[3]
CHECK = ROOT / "scripts" / "check-layers.py"
BUILD = pathlib.Path(os.environ.get("MQTK_BUILD", ROOT / "build"))


def check(root):
    return subprocess.run([sys.executable, str(CHECK), str(root)], capture_output=True, text=True, timeout=60)


def test_the_tree_keeps_the_rules():
    r = check(ROOT)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.fixture
def tree(tmp_path):
    for part in ("lib", "cli"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("*.o", "__pycache__"))
    return tmp_path


def append(path, text):
    with open(path, "a") as f:
        f.write(text)


PLANTS = [
    # (file, text appended, what the report says)
    ("lib/base/strbuf.c", '#include "format/json_write.h"\n', "lib/base/strbuf.c:{line}: base may not include format"),
    ("lib/replay/replay_model.c", '#include "../../cli/commands.h"\n', "replay may not include cli"),
    ("lib/capture/capture.c", "static int f(void) { return MQTK_EXIT_USAGE; }\n", "an exit-code name under lib/"),
    ("lib/format/json_write.c", "void g(void) { exit(2); }\n", "a call to exit() under lib/"),
    ("lib/conformance/run/conn.c", "int parse(int argc, char **argv);\n", "argv parsing under lib/"),
    ("lib/format/json_write.h", "int mqtt_json(void);\n", "declares mqtt_json: the prefix mqtt_ belongs to the codec"),
    ("lib/capture/capture.h", "#define MQTT_SNAPLEN 65535\n", "declares MQTT_SNAPLEN"),
    ("lib/format/json_write.h", "void jw_extra(void);\n", "declares jw_extra: the names of lib format start with fmt_"),
    ("lib/base/strbuf.h", "typedef struct cf_buf { int n; } cf_buf;\n", "declares cf_buf: the names of lib base start with base_"),
    ("lib/conformance/run/conn.h", "#define CF_LIMIT 3\n", "declares CF_LIMIT: the names of lib run start with cr_"),
    ("lib/capture/capture.h", "enum cap_x { CAP_A, EV_B };\n", "declares EV_B: the names of lib capture start with cap_"),
    ("lib/net/include/net/address.h", "extern int hosts;\n", "declares hosts: the names of lib net start with net_"),
    ("lib/conformance/script/lexer.c", '#include "nowhere/missing.h"\n', 'names no file of the tree'),
    ("lib/conformance/script/script.c", '#include "conformance/report/report.h"\n', "script may not include report"),
]


@pytest.mark.parametrize("path,text,message", PLANTS, ids=[p[2].split(":")[-1].strip()[:40] for p in PLANTS])
def test_a_breach_is_named(tree, path, text, message):
    target = tree / path
    line = target.read_text().count("\n") + 1
    append(target, text)
    r = check(tree)
    assert r.returncode == 1, r.stdout
    assert message.format(line=line) in r.stdout, r.stdout
    assert "breach" in r.stderr


def test_a_header_without_its_source_is_named(tree):
    (tree / "lib" / "base" / "lonely.h").write_text("#ifndef LONELY_H\n#define LONELY_H\n#endif\n")
    r = check(tree)
    assert r.returncode == 1
    assert "lib/base/lonely.h: no lonely.c beside it" in r.stdout


def test_a_file_outside_every_library_is_named(tree):
    (tree / "lib" / "stray").mkdir()
    (tree / "lib" / "stray" / "x.c").write_text("int x;\n")
    r = check(tree)
    assert r.returncode == 1
    assert "lib/stray/x.c: in no library of the layer table" in r.stdout


def test_every_library_links_alone():
    """CMakeLists.txt builds link_alone_<target> for each library; the build fails when one does not link."""
    if not (BUILD / "CMakeCache.txt").is_file():
        pytest.skip(f"no CMake build at {BUILD}")
    libs = set()
    for cml in (ROOT / "lib").rglob("CMakeLists.txt"):
        libs |= set(re.findall(r"add_library\((\w+) STATIC", cml.read_text()))
    assert {"mqttcodec", "mqtkbase", "mqtkformat", "mqtkcapture", "mqtkreplay"} <= libs
    missing = [lib for lib in sorted(libs) if not list(BUILD.rglob(f"link_alone_{lib}"))]
    assert not missing, f"no link_alone program for {missing}"
