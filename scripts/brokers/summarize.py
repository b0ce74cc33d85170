#!/usr/bin/python3
"""Summarize one `mqtk run --json` report for scripts/broker-matrix.sh (standard library only).

usage: summarize.py NAME REPORT.json
Prints one block: tests, verdict counts (overall and per protocol), every failed test with its
file:line and message, the failed statements with the tests that failed them, and the inconclusive
tests. Exit status: 0 no failure, 1 some test failed, 2 the report cannot be read.
"""
import json
import os
import sys

VERDICTS = ["pass", "fail", "skip", "inconclusive", "expected-fail", "unexpected-pass"]


def first_line(text, limit=160):
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def where(t):
    f = t.get("file") or "?"
    parts = f.replace("\\", "/").split("/")
    if "suite" in parts:
        f = "/".join(parts[parts.index("suite"):])
    at = f"{f}:{t.get('line', '?')}"
    if t.get("failed_line") and t.get("failed_line") != t.get("line"):
        at += f", line {t['failed_line']}"
    return at


def counts_line(c):
    return ", ".join(f"{c.get(v, 0)} {v}" for v in VERDICTS)


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    name, path = argv[1], argv[2]
    try:
        with open(path, encoding="utf-8") as f:
            rep = json.load(f)
    except (OSError, ValueError) as e:
        print(f"== {name}: no report ({e})")
        return 2
    tests = rep.get("tests", [])
    summary = rep.get("summary") or {}
    if not summary:
        for t in tests:
            summary[t.get("verdict", "?")] = summary.get(t.get("verdict", "?"), 0) + 1
    total = summary.get("total", len(tests))
    print(f"== {name}: {rep.get('broker', '?')} ({rep.get('broker_version') or 'version unknown'}), "
          f"profile: {rep.get('profile', '?')}")
    print(f"   {total} tests: {counts_line(summary)}")
    for p in rep.get("protocols", []):
        print(f"   MQTT {p.get('protocol', '?'):5} {p.get('total', 0):3} tests: {counts_line(p)}")
    failed = [t for t in tests if t.get("verdict") == "fail"]
    if failed:
        print(f"   failed tests ({len(failed)}):")
        for t in failed:
            print(f"     {t['id']} ({where(t)}): {first_line(t.get('message'))}")
        # failed statements, each with the tests that failed it: the statements a failing step
        # observed (statement_verdicts) and the violations seen on received packets; older reports
        # without them fall back to every statement a failed test cites
        by_stmt, unattributed = {}, []
        for t in failed:
            sv = t.get("statement_verdicts")
            ids = [sid for sid, v in sv.items() if v == "fail"] if isinstance(sv, dict) else list(t.get("statements", []))
            ids += [v for v in t.get("violations", []) if v not in ids]
            for sid in ids:
                by_stmt.setdefault((t.get("protocol", "?"), sid), []).append(t["id"])
            if not ids:
                unattributed.append(t["id"])
        print(f"   failed statements ({len(by_stmt)}):")
        for (proto, sid), ids in sorted(by_stmt.items()):
            print(f"     {proto:5} {sid}: {', '.join(ids)}")
        if unattributed:
            print(f"   failed with no statement reached (setup or a packet mqtk rejected): {', '.join(unattributed)}")
    inconclusive = [t for t in tests if t.get("verdict") == "inconclusive"]
    if inconclusive:
        print(f"   inconclusive ({len(inconclusive)}):")
        for t in inconclusive:
            print(f"     {t['id']} ({where(t)}): {first_line(t.get('message'))}")
    unexpected = [t for t in tests if t.get("verdict") == "unexpected-pass"]
    if unexpected:
        print(f"   unexpected passes (deviation looks fixed): {', '.join(t['id'] for t in unexpected)}")
    return 1 if summary.get("fail", len(failed)) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
