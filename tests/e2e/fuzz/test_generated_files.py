"""Generated files match their generators: the fuzz seed corpora (fuzz_gen_corpus, fuzz/pcap_seeds.py)
and the statement registries (scripts/make-registry.py), regenerated into a temporary
folder, as tests/e2e/pcaps does for the crafted captures. Parts that read ../shared skip without it."""
import filecmp
import os
import pathlib
import subprocess
import sys

import pytest

BUILD = pathlib.Path(os.environ.get("MQTK_BUILD", pathlib.Path(__file__).resolve().parents[3] / "build"))


def files(root, keep):
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and keep(p.name)}


def assert_same(made, committed, keep):
    """Same files in the folders the generator writes (other targets' seeds are written by hand)."""
    a = files(made, keep)
    dirs = {n.split("/")[0] for n in a}
    b = {n for n in files(committed, keep) if n.split("/")[0] in dirs}
    assert a == b, (sorted(a - b)[:5], sorted(b - a)[:5])
    bad = [n for n in sorted(a) if not filecmp.cmp(made / n, committed / n, shallow=False)]
    assert not bad, bad[:5]


def test_encoder_seeds_match(repo_root, tmp_path):
    gen = BUILD / "fuzz" / "fuzz_gen_corpus"
    if not gen.is_file():
        pytest.fail(f"{gen} not built")
    subprocess.run([str(gen), str(tmp_path)], check=True, capture_output=True, timeout=120)
    assert_same(tmp_path, repo_root / "fuzz" / "corpus", lambda n: not n.startswith("pcap-"))


def test_capture_seeds_match(repo_root, shared_dir, tmp_path):
    caps = sorted((shared_dir / "pcaps").glob("*.pcap"))
    if not caps:
        pytest.skip(f"the third-party captures are not at {shared_dir / 'pcaps'}")
    subprocess.run([sys.executable, str(repo_root / "fuzz" / "pcap_seeds.py"), str(tmp_path), *map(str, caps)],
                   check=True, capture_output=True, timeout=120)
    assert_same(tmp_path, repo_root / "fuzz" / "corpus", lambda n: n.startswith("pcap-"))


@pytest.mark.parametrize("version", ["3.1.1", "5.0"])
def test_statement_registry_matches(repo_root, shared_dir, tmp_path, version):
    spec = shared_dir / "spec" / f"mqtt-v{version}-statements.tsv"
    if not spec.is_file():
        pytest.skip(f"the standard's statement list is not at {spec}")
    out = tmp_path / "registry.tsv"
    statements = repo_root / "suite" / "statements"
    subprocess.run([sys.executable, str(repo_root / "scripts" / "make-registry.py"), str(spec),
                    str(statements / f"annotations-v{version}.tsv"), str(out)], check=True, capture_output=True,
                   timeout=60)
    assert out.read_bytes() == (statements / f"mqtt-v{version}.tsv").read_bytes()
