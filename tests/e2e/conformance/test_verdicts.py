"""Verdict truth: a statement fails only at the step that observes it, setup failures are not
failures, lower grants skip, versions a broker does not speak are reported as such, misbehaving
brokers are findings, slow brokers are late rather than wrong."""
import json
import pathlib
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import pytest

import hostile

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "pcaps"))
import broker as mosq  # noqa: E402  (tests/e2e/pcaps/broker.py: a mosquitto on a free loopback port)

needs_mosquitto = pytest.mark.skipif(not mosq.MOSQUITTO, reason="mosquitto is not installed")


def run(mqtk, *args, timeout=120):
    start = time.monotonic()
    proc = subprocess.run([mqtk, "run", *args], capture_output=True, text=True, timeout=timeout)
    return proc, time.monotonic() - start


def make_suite(tmp_path, repo_root, script, version="v3.1.1"):
    suite = tmp_path / "suite"
    shutil.copytree(repo_root / "suite" / "statements", suite / "statements")
    (suite / version).mkdir(parents=True)
    (suite / "profiles").mkdir()
    (suite / "profiles" / "mosquitto.profile").write_text("broker mosquitto\ncapabilities qos1 qos2 retain\n")
    (suite / version / "sem.mqtt").write_text(script)
    return suite


SEMANTICS = """
test passes
  statements MQTT-4.3.2-1
  connect sub
  send sub SUBSCRIBE pid=1 filter=$topic/a qos=1
  expect sub SUBACK pid=1 codes=01
  connect pub
  send pub PUBLISH topic=$topic/a qos=1 payload=one
  expect pub PUBACK
  expect sub PUBLISH topic=$topic/a qos=1 payload=one pid->p [MQTT-4.3.2-1]
  send sub PUBACK pid=$p
end

test observed-fails
  statements MQTT-4.3.2-1 MQTT-3.3.1-2
  connect sub
  send sub SUBSCRIBE pid=1 filter=$topic/a qos=1
  expect sub SUBACK pid=1 codes=01
  connect pub
  send pub PUBLISH topic=$topic/a qos=1 payload=one
  expect pub PUBACK
  expect sub PUBLISH topic=$topic/a qos=1 payload=two [MQTT-4.3.2-1]
  expect sub nothing [MQTT-3.3.1-2]
end

test setup-fails
  statements MQTT-4.3.2-1
  connect sub
  send sub SUBSCRIBE pid=1 filter=$topic/a qos=1
  expect sub SUBACK pid=2
  expect sub PUBLISH [MQTT-4.3.2-1]
end

test lower-grant
  statements MQTT-4.3.2-1
  connect sub
  send sub SUBSCRIBE pid=1 filter=$topic/a qos=0
  expect sub SUBACK pid=1 codes=01
  expect sub PUBLISH [MQTT-4.3.2-1]
end

test field-bound-fails
  statements MQTT-4.3.2-2 MQTT-3.3.1-3
  connect sub
  send sub SUBSCRIBE pid=1 filter=$topic/a qos=1
  expect sub SUBACK pid=1 codes=01
  connect pub
  send pub PUBLISH topic=$topic/a qos=1 payload=one
  expect pub PUBACK
  expect sub PUBLISH topic=$topic/a qos=1 payload=one retain=1 [MQTT-4.3.2-2 retain:MQTT-3.3.1-3]
end

test field-bound-unseen
  statements MQTT-4.3.2-2 MQTT-3.3.1-3
  connect sub
  send sub SUBSCRIBE pid=1 filter=$topic/a qos=1
  expect sub SUBACK pid=1 codes=01
  connect pub
  send pub PUBLISH topic=$topic/a qos=1 payload=one
  expect pub PUBACK
  expect sub PUBLISH topic=$topic/a qos=1 payload=two retain=1 [MQTT-4.3.2-2 retain:MQTT-3.3.1-3]
end

test field-bound-any
  statements MQTT-3.3.1-6 MQTT-3.3.1-8
  connect sub
  send sub SUBSCRIBE pid=1 filter=$topic/a qos=1
  expect sub SUBACK pid=1 codes=01
  connect pub
  send pub PUBLISH topic=$topic/a qos=1 payload=one
  expect pub PUBACK
  expect sub any PUBLISH topic=$topic/a payload=one retain=1 within=500 [MQTT-3.3.1-6 retain:MQTT-3.3.1-8]
end

test field-bound-and-bare
  statements MQTT-4.3.2-2 MQTT-3.3.1-3
  connect sub
  send sub SUBSCRIBE pid=1 filter=$topic/a qos=1
  expect sub SUBACK pid=1 codes=01
  connect pub
  send pub PUBLISH topic=$topic/a qos=1 payload=one
  expect pub PUBACK
  expect sub PUBLISH topic=$topic/a qos=1 payload=one retain=1 [MQTT-4.3.2-2 MQTT-3.3.1-3 retain:MQTT-3.3.1-3]
end

test field-bound-and-bare-unseen
  statements MQTT-4.3.2-2 MQTT-3.3.1-3
  connect sub
  send sub SUBSCRIBE pid=1 filter=$topic/a qos=1
  expect sub SUBACK pid=1 codes=01
  connect pub
  send pub PUBLISH topic=$topic/a qos=1 payload=one
  expect pub PUBACK
  expect sub PUBLISH topic=$topic/a qos=1 payload=two retain=1 [MQTT-4.3.2-2 MQTT-3.3.1-3 retain:MQTT-3.3.1-3]
end

test field-bound-connect
  statements MQTT-3.2.2-2 MQTT-3.1.2-4
  connect s clean=1 sp=1 [sp:MQTT-3.2.2-2 MQTT-3.1.2-4]
end
"""


@pytest.fixture(scope="module")
def semantics(mqtk, tmp_path_factory, repo_root):
    if not mosq.MOSQUITTO:
        pytest.skip("mosquitto is not installed")
    tmp = tmp_path_factory.mktemp("sem")
    suite = make_suite(tmp, repo_root, SEMANTICS)
    proc, _ = run(mqtk, "--suite", str(suite), "--json", str(tmp / "r.json"), "--junit", str(tmp / "r.xml"),
                  "--report", str(tmp / "r.md"))
    return proc, json.loads((tmp / "r.json").read_text()), tmp


def by_id(report):
    return {t["id"].split("/")[-1]: t for t in report["tests"]}


def test_statement_fails_only_at_its_step(semantics):
    proc, report, tmp = semantics
    assert proc.returncode == 1, proc.stdout + proc.stderr
    t = by_id(report)["observed-fails"]
    assert t["verdict"] == "fail" and t["failed_line"] == 22
    # the step observing MQTT-3.3.1-2 never ran: not reached, not failed
    assert t["statement_verdicts"] == {"MQTT-4.3.2-1": "fail", "MQTT-3.3.1-2": "not reached"}
    assert t["rerun_alone"] == "reproduced"
    stmts = {s["id"]: s for s in report["statements"]}
    assert stmts["MQTT-4.3.2-1"]["status"] == "fail"
    ev = stmts["MQTT-4.3.2-1"]["evidence"]
    assert ev["test"].endswith("observed-fails") and ev["line"] == 22 and 'payload: expected "two"' in ev["observed"]
    assert stmts["MQTT-3.3.1-2"]["status"] == "not reached"
    assert "FAILED MQTT-4.3.2-1 by 3.1.1/sem/observed-fails" in proc.stdout
    assert "failed: MQTT-4.3.2-1; not reached: MQTT-3.3.1-2" in proc.stdout


def test_statement_bound_to_a_field_fails_alone(semantics):
    """[FIELD:ID]: when the packet came and differed only in the bound field, only that statement fails
    (the step's other statement saw its packet); when no otherwise-matching packet came, the bound
    statement was not observed and the others fail."""
    _, report, _ = semantics
    t = by_id(report)["field-bound-fails"]
    assert t["verdict"] == "fail" and t["failed_line"] == 50, t
    assert t["statement_verdicts"] == {"MQTT-4.3.2-2": "pass", "MQTT-3.3.1-3": "fail"}
    assert "retain: expected 1, got 0" in t["message"], t["message"]
    t = by_id(report)["field-bound-unseen"]
    assert t["verdict"] == "fail" and t["failed_line"] == 61, t
    assert t["statement_verdicts"] == {"MQTT-4.3.2-2": "fail", "MQTT-3.3.1-3": "not reached"}


def line_of(text):
    return SEMANTICS.splitlines().index(text) + 1


def test_statement_bound_to_a_field_of_any_packet_fails_alone(semantics):
    """An 'any' outcome that times out: a queued packet that differs only in the bound field still
    says which statement failed."""
    _, report, _ = semantics
    t = by_id(report)["field-bound-any"]
    assert t["verdict"] == "fail", t
    assert t["failed_line"] == line_of("  expect sub any PUBLISH topic=$topic/a payload=one retain=1 within=500 "
                                       "[MQTT-3.3.1-6 retain:MQTT-3.3.1-8]"), t
    assert t["statement_verdicts"] == {"MQTT-3.3.1-6": "pass", "MQTT-3.3.1-8": "fail"}


def test_statement_listed_bare_and_bound(semantics):
    """A statement listed bare and bound ("X retain:X") must see the packet come, and with that
    field: it fails in both cases, while a statement only about the arrival passes when just the
    field differed."""
    _, report, _ = semantics
    t = by_id(report)["field-bound-and-bare"]
    assert t["verdict"] == "fail", t
    assert t["statement_verdicts"] == {"MQTT-4.3.2-2": "pass", "MQTT-3.3.1-3": "fail"}
    t = by_id(report)["field-bound-and-bare-unseen"]
    assert t["verdict"] == "fail", t
    assert t["statement_verdicts"] == {"MQTT-4.3.2-2": "fail", "MQTT-3.3.1-3": "fail"}


def test_connect_step_statement_bound_to_session_present(semantics):
    """A connect step's sp= may be bound: the CONNACK accepted the connection and differed only in
    Session Present (mosquitto answers a Clean Session 1 connection with 0), so only the bound
    statement fails."""
    _, report, _ = semantics
    t = by_id(report)["field-bound-connect"]
    assert t["verdict"] == "fail", t
    assert t["failed_line"] == line_of("  connect s clean=1 sp=1 [sp:MQTT-3.2.2-2 MQTT-3.1.2-4]"), t
    assert "sp: expected 1, got 0" in t["message"], t["message"]
    assert t["statement_verdicts"] == {"MQTT-3.2.2-2": "fail", "MQTT-3.1.2-4": "pass"}


# The suite's own field bindings, against mosquitto behind a proxy that gets one field wrong: only
# the statement bound to that field fails; the others of the step pass, or are "not reached" when a
# later step observes them too.
SUITE_BINDINGS = [
    (hostile.session_present_1, "*/*/[ac][cl]*", {
        "3.1.1/connect/accept-valid-connect": {"MQTT-3.1.4-4": "pass", "MQTT-3.2.0-1": "pass", "MQTT-7.1.1-1": "pass",
                                               "MQTT-3.2.2-1": "fail", "MQTT-2.2.2-1": "pass"},
        "3.1.1/session/clean-session-discards-state": {"MQTT-3.1.2-6": "not reached", "MQTT-3.1.4-3": "not reached",
                                                       "MQTT-3.2.2-1": "fail"},
        "5.0/connect/accept-valid-connect": {"MQTT-3.1.4-5": "pass", "MQTT-3.2.0-1": "pass", "MQTT-3.2.2-1": "pass",
                                             "MQTT-3.2.2-2": "fail", "MQTT-3.2.2-8": "pass", "MQTT-2.2.2-1": "pass",
                                             "MQTT-2.1.3-1": "pass"},
        "5.0/connect/clean-start-0-without-session": {"MQTT-3.1.2-6": "pass", "MQTT-3.2.2-3": "fail"},
        "5.0/connect/clean-start-discards-session": {"MQTT-3.1.2-4": "not reached", "MQTT-3.1.4-4": "not reached",
                                                     "MQTT-3.2.2-2": "fail"},
    }),
    (hostile.suback_id_plus_1, "*/subscribe/suback-*", {
        "3.1.1/subscribe/suback-echoes-identifier": {"MQTT-3.8.4-1": "pass", "MQTT-3.8.4-2": "fail",
                                                     "MQTT-2.3.1-7": "fail", "MQTT-3.8.4-5": "pass"},
    }),
    (hostile.dup_set, "*/publish/qos1-*", {
        "3.1.1/publish/qos1-delivery-to-subscriber": {"MQTT-4.3.2-1": "fail", "MQTT-2.3.1-1": "pass",
                                                      "MQTT-2.3.1-4": "pass"},
        "5.0/publish/qos1-flows-both-ways": {"MQTT-4.3.2-1": "pass", "MQTT-4.3.2-2": "fail", "MQTT-4.3.2-4": "pass",
                                             "MQTT-2.2.1-4": "pass", "MQTT-2.2.1-5": "pass", "MQTT-3.3.4-1": "pass",
                                             "MQTT-3.4.2-1": "pass", "MQTT-3.3.1-4": "pass"},
    }),
    (hostile.ack_id_plus_1, "*/publish/qos1-*", {
        "3.1.1/publish/qos1-publish-acknowledged": {"MQTT-4.3.2-2": "fail", "MQTT-2.3.1-6": "fail",
                                                    "MQTT-3.3.4-1": "pass"},
        "5.0/publish/qos1-flows-both-ways": {"MQTT-4.3.2-1": "not reached", "MQTT-4.3.2-2": "not reached",
                                             "MQTT-4.3.2-4": "fail", "MQTT-2.2.1-4": "not reached",
                                             "MQTT-2.2.1-5": "fail", "MQTT-3.3.4-1": "pass", "MQTT-3.4.2-1": "pass",
                                             "MQTT-3.3.1-4": "not reached"},
    }),
    (hostile.retain_cleared, "3.1.1/retain/retained-*", {
        "3.1.1/retain/retained-delivered-to-new-subscription": {"MQTT-3.3.1-5": "pass", "MQTT-3.3.1-6": "pass",
                                                                "MQTT-3.3.1-8": "fail"},
        "3.1.1/retain/retained-on-every-matching-topic": {"MQTT-3.3.1-6": "pass", "MQTT-3.3.1-8": "fail"},
    }),
]


@needs_mosquitto
@pytest.mark.parametrize("rewrite,pattern,expected", SUITE_BINDINGS, ids=lambda v: getattr(v, "__name__", None))
def test_suite_field_bindings_blame_the_wrong_field(mqtk, tmp_path, repo_root, rewrite, pattern, expected):
    b = mosq.Broker(tmp_path)
    try:
        with hostile.RewritingProxy(b.address, rewrite) as address:
            proc, _ = run(mqtk, "--broker", address, "--protocol", "all", "--filter", pattern,
                          "--profile", str(repo_root / "suite" / "profiles" / "mosquitto.profile"),
                          "--json", str(tmp_path / "r.json"), timeout=180)
    finally:
        b.stop()
    assert proc.returncode == 1, proc.stdout + proc.stderr
    tests = {t["id"]: t for t in json.loads((tmp_path / "r.json").read_text())["tests"]}
    for test_id, verdicts in expected.items():
        t = tests[test_id]
        why = (test_id, t["verdict"], t.get("message"), t.get("transcript"))
        assert t["verdict"] == "fail", why
        assert t["statement_verdicts"] == verdicts, why


def profile_without_acl(tmp_path, repo_root):
    """mosquitto.profile without its forbidden topic: the tests' mosquitto (pcaps/broker.py) has no ACL."""
    profile = tmp_path / "p.profile"
    profile.write_text("".join(line for line in (repo_root / "suite" / "profiles" / "mosquitto.profile")
                               .read_text().splitlines(keepends=True) if not line.startswith("forbidden-topic")))
    return profile


@needs_mosquitto
def test_no_matching_subscribers_is_a_success(mqtk, tmp_path, repo_root):
    """0x10 (No matching subscribers) is a success code of PUBACK and PUBREC: a broker sending it
    in place of 0x00, even when a subscriber gets the message, fails no 5.0 publish or subscribe test."""
    report = limited_run(mqtk, tmp_path, "--filter", "5.0/[ps]ub*/*", "--profile",
                         str(profile_without_acl(tmp_path, repo_root)), rewrite=hostile.no_matching_subscribers)
    bad = [(t["id"], t["verdict"], t.get("message")) for t in report["tests"]
           if t["verdict"] in ("fail", "inconclusive", "unexpected-pass")]
    assert bad == [] and report["summary"]["pass"] > 30, (bad, report["summary"])
    assert "rc=0x10" in json.dumps(report) or "rc=16" in json.dumps(report)


OVER_RECEIVE_MAXIMUM = """
test two-in-flight
  statements MQTT-4.3.2-4
  connect pub
  send pub PUBLISH topic=$topic/a qos=1 payload=one
  send pub PUBLISH topic=$topic/a qos=1 payload=two
  expect pub PUBACK [MQTT-4.3.2-4]
  expect pub PUBACK [MQTT-4.3.2-4]
end

test acknowledged-first
  statements MQTT-4.3.2-4
  connect pub
  send pub PUBLISH topic=$topic/a qos=1 payload=one
  expect pub PUBACK [MQTT-4.3.2-4]
  send pub PUBLISH topic=$topic/a qos=1 payload=two
  expect pub PUBACK [MQTT-4.3.2-4]
end
"""


def limited_run(mqtk, tmp_path, *args, rewrite=hostile.receive_maximum_1):
    b = mosq.Broker(tmp_path)
    try:
        with hostile.RewritingProxy(b.address, rewrite) as address:
            run(mqtk, "--broker", address, "--protocol", "5", "--json", str(tmp_path / "r.json"), *args, timeout=300)
    finally:
        b.stop()
    return json.loads((tmp_path / "r.json").read_text())


@needs_mosquitto
def test_publishing_over_the_receive_maximum_is_the_tests_bug(mqtk, tmp_path, repo_root):
    """A test that would leave more QoS 1/2 PUBLISHes unacknowledged than the broker's Receive Maximum
    breaks [MQTT-3.3.4-7] itself: inconclusive, a script error naming the rule, before the packet goes."""
    suite = make_suite(tmp_path, repo_root, OVER_RECEIVE_MAXIMUM, version="v5.0")
    tests = by_id(limited_run(mqtk, tmp_path, "--suite", str(suite)))
    t = tests["two-in-flight"]
    assert t["verdict"] == "inconclusive" and t["failed_line"] == 6, t
    assert "script error" in t["message"] and "[MQTT-3.3.4-7]" in t["message"], t["message"]
    assert 'payload="two"' not in t["transcript"]
    assert tests["acknowledged-first"]["verdict"] == "pass", tests["acknowledged-first"]


@needs_mosquitto
def test_suite_keeps_to_a_receive_maximum_of_1(mqtk, tmp_path, repo_root):
    """Against a broker announcing Receive Maximum 1 (a minimal broker keeps one message in flight),
    no 5.0 test sends a second QoS 1/2 PUBLISH before the first is acknowledged."""
    profile = profile_without_acl(tmp_path, repo_root)
    report = limited_run(mqtk, tmp_path, "--profile", str(profile))
    errors = [(t["id"], t.get("message")) for t in report["tests"] if "script error" in (t.get("message") or "")]
    assert errors == []
    assert "prop.receive_maximum=1" in json.dumps(report)
    assert report["summary"]["fail"] == 0 and report["summary"]["inconclusive"] == 0, report["summary"]


@needs_mosquitto
def test_a_packet_over_the_brokers_maximum_packet_size_is_not_sent(mqtk, tmp_path, repo_root):
    """A broker may announce a small Maximum Packet Size; a test that would send more [MQTT-3.2.2-15]
    is skipped as not offered on that broker, saying which packet, and every other test still runs."""
    report = limited_run(mqtk, tmp_path, "--profile", str(profile_without_acl(tmp_path, repo_root)),
                         "--filter", "5.0/publish/*", rewrite=hostile.connack_property(0x27, (120).to_bytes(4, "big")))
    tests = {t["id"]: t for t in report["tests"]}
    t = tests["5.0/publish/large-message-forwarded"]
    assert t["verdict"] == "skip", t
    assert "over the Maximum Packet Size of 120 the broker's CONNACK set [MQTT-3.2.2-15]" in t["message"], t["message"]
    assert report["summary"]["fail"] == 0 and report["summary"]["inconclusive"] == 0, report["summary"]
    assert report["summary"]["pass"] > 20, report["summary"]


@needs_mosquitto
def test_a_session_expiry_cut_by_the_broker_skips_the_test(mqtk, tmp_path, repo_root):
    """5.0 lets a broker answer a shorter Session Expiry Interval than asked (even 0: no session kept):
    a test that asked for a session is then skipped as not offered at that connect, never failed."""
    report = limited_run(mqtk, tmp_path, "--profile", str(profile_without_acl(tmp_path, repo_root)),
                         "--filter", "5.0/session/*", rewrite=hostile.connack_property(0x11, (0).to_bytes(4, "big")))
    tests = {t["id"]: t for t in report["tests"]}
    t = tests["5.0/session/qos1-resent-on-resume"]
    assert t["verdict"] == "skip", t
    assert "the broker's CONNACK to sub cut the Session Expiry Interval from 30 to 0 s" in t["message"], t["message"]
    assert report["summary"]["fail"] == 0 and report["summary"]["inconclusive"] == 0, report["summary"]


def alias_run(mqtk, tmp_path, unmapped):
    b = mosq.Broker(tmp_path)
    try:
        with hostile.AliasingProxy(b.address, unmapped=unmapped) as address:
            run(mqtk, "--broker", address, "--protocol", "5", "--filter", "5.0/alias/*",
                "--json", str(tmp_path / "r.json"), timeout=120)
    finally:
        b.stop()
    return {t["id"]: t for t in json.loads((tmp_path / "r.json").read_text())["tests"]}


@needs_mosquitto
def test_broker_topic_aliases_are_followed(mqtk, tmp_path):
    """A broker may send a client Topic Aliases up to the maximum the client announced: a PUBLISH with
    an alias and an empty Topic Name is matched with the topic the alias was set to."""
    tests = alias_run(mqtk, tmp_path, unmapped=False)
    t = tests["5.0/alias/aliases-within-client-maximum"]
    assert t["verdict"] == "pass", (t.get("message"), t.get("transcript"))
    assert "(topic from its Topic Alias)" in t["transcript"]
    assert [i for i, t in tests.items() if t["verdict"] not in ("pass", "skip")] == []


@needs_mosquitto
def test_unmapped_broker_topic_alias_fails(mqtk, tmp_path):
    """An empty Topic Name with an alias the broker never set is a Protocol Error: the test fails,
    saying so."""
    t = alias_run(mqtk, tmp_path, unmapped=True)["5.0/alias/aliases-within-client-maximum"]
    assert t["verdict"] == "fail", t
    assert "had not set that alias on this connection" in t["message"], t["message"]


def test_setup_failure_leaves_statements_not_reached(semantics):
    _, report, _ = semantics
    t = by_id(report)["setup-fails"]
    assert t["verdict"] == "inconclusive"
    assert t["statement_verdicts"] == {"MQTT-4.3.2-1": "not reached"}
    assert t["message"].startswith("setup step failed") and "line 30" in t["message"]


def test_lower_grant_is_a_skip(semantics):
    _, report, _ = semantics
    t = by_id(report)["lower-grant"]
    assert t["verdict"] == "skip"
    assert "not offered: SUBACK granted 0x00" in t["message"] and "needs 0x01" in t["message"]


def test_every_report_carries_statement_evidence(semantics):
    _, _, tmp = semantics
    md = (tmp / "r.md").read_text()
    assert "## Failed statements" in md
    row = next(line for line in md.splitlines() if line.startswith("| MQTT-4.3.2-1 | MQTT 3.1.1 |"))
    assert "observed-fails" in row and "sem.mqtt:22" in row
    root = ET.parse(tmp / "r.xml").getroot()
    case = next(c for c in root.iter("testcase") if c.get("name") == "observed-fails")
    props = {p.get("name"): p.get("value") for p in case.iter("property")}
    assert props["MQTT-4.3.2-1"] == "fail" and props["MQTT-3.3.1-2"] == "not reached"


def test_runtime_script_error_is_exit_2(mqtk, tmp_path, repo_root):
    if not mosq.MOSQUITTO:
        pytest.skip("mosquitto is not installed")
    suite = make_suite(tmp_path, repo_root, "test t\n  statements MQTT-3.1.4-4\n  connect c\n"
                                            "  send c SUBSCRIBE pid=1 filter=$nope/a qos=0\n"
                                            "  expect c SUBACK [MQTT-3.1.4-4]\nend\n")
    proc, _ = run(mqtk, "--suite", str(suite))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "sem.mqtt:4:" in proc.stderr and "$nope is not set" in proc.stderr


def test_unobserved_statement_refused(mqtk, tmp_path, repo_root):
    suite = make_suite(tmp_path, repo_root, "test t\n  statements MQTT-3.1.4-4\n  connect c\nend\n")
    proc, _ = run(mqtk, "--suite", str(suite), "--list")
    assert proc.returncode == 2
    assert "cites MQTT-3.1.4-4, but no step observes it" in proc.stderr


def test_negative_expectation_fails_on_a_malformed_packet(mqtk, tmp_path, repo_root):
    """mqtk stops reading after a malformed packet: 'nothing arrived' would be false evidence."""
    suite = make_suite(tmp_path, repo_root, "test t\n  statements MQTT-3.3.1-2\n  open c\n"
                                            "  send c raw 10 * str:MQTT 04 cflags:02 00 3c str:$c.id creds\n"
                                            "  expect c CONNACK rc=0\n  send c PINGREQ\n"
                                            "  expect c no PUBLISH [MQTT-3.3.1-2]\nend\n")
    with hostile.HostileBroker(hostile.connack_then_garbage) as address:
        proc, _ = run(mqtk, "--suite", str(suite), "--broker", address, "--json", str(tmp_path / "r.json"))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    t = json.loads((tmp_path / "r.json").read_text())["tests"][0]
    assert t["verdict"] == "fail" and "do not frame as MQTT" in t["message"]


@pytest.mark.parametrize("behaviour,expect", [
    (hostile.silent, "no answer to a 3.1.1 CONNECT"),
    (hostile.garbage, "do not frame as MQTT"),
    (hostile.malformed_connack, "malformed"),
], ids=["silent", "garbage", "malformed_connack"])
def test_broker_answering_connect_wrongly_is_one_finding(mqtk, tmp_path, behaviour, expect):
    with hostile.HostileBroker(behaviour) as address:
        proc, elapsed = run(mqtk, "--broker", address, "--timeout", "500", "--json", str(tmp_path / "r.json"),
                            "--report", str(tmp_path / "r.md"), timeout=60)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert elapsed < 20
    report = json.loads((tmp_path / "r.json").read_text())
    probe = report["versions"][0]
    assert probe["state"] == "fail" and expect in probe["evidence"]
    # one finding, not a hundred identical timeouts: the tests were not run
    assert report["summary"]["fail"] == 0 and report["summary"]["skip"] == report["summary"]["total"]
    assert "FAIL before any test" in proc.stdout
    assert "**Verdict: FAIL**" in (tmp_path / "r.md").read_text()


def test_broker_closing_every_connection_is_not_a_pass(mqtk, tmp_path):
    with hostile.HostileBroker(hostile.closes_at_once) as address:
        proc, _ = run(mqtk, "--broker", address, "--timeout", "500", "--json", str(tmp_path / "r.json"))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "nothing could be observed" in proc.stdout
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["versions"][0]["state"] == "not supported by the broker"
    assert report["summary"]["pass"] == 0


def test_refused_credentials_are_one_setup_error(mqtk):
    with hostile.HostileBroker(hostile.wrong_connack) as address:
        proc, elapsed = run(mqtk, "--broker", address, "--timeout", "500", "--username", "u", "--password", "p")
    assert proc.returncode == 2
    assert "refused the run's credentials: CONNACK 0x05" in proc.stderr
    assert proc.stdout.count("FAIL") == 0


@needs_mosquitto
def test_version_not_spoken_keeps_the_others(mqtk, tmp_path):
    """A broker answering a 5.0 CONNECT with a 3.1.1-format CONNACK 0x01 speaks 3.1.1 only: 5.0 is
    reported as not supported, and the 3.1 and 3.1.1 results stand."""
    b = mosq.Broker(tmp_path)
    try:
        with hostile.Proxy(b.address, refuse_v5=True) as address:
            proc, _ = run(mqtk, "--broker", address, "--protocol", "all", "--filter", "*connect*",
                          "--json", str(tmp_path / "r.json"), "--report", str(tmp_path / "r.md"), timeout=180)
    finally:
        b.stop()
    report = json.loads((tmp_path / "r.json").read_text())
    states = {v["protocol"]: v for v in report["versions"]}
    assert states["5.0"]["state"] == "not supported by the broker"
    assert "CONNACK 0x01" in states["5.0"]["evidence"] and "3.1.1 format" in states["5.0"]["evidence"]
    assert states["3.1.1"]["state"] == "spoken"
    protos = {p["protocol"]: p for p in report["protocols"]}
    assert protos["3.1.1"]["pass"] > 0 and protos["5.0"]["skip"] == protos["5.0"]["total"]
    assert all(t["message"].startswith("not supported by the broker") for t in report["tests"]
               if t["protocol"] == "5.0")
    assert proc.returncode in (0, 1) and "not supported by the broker" in (tmp_path / "r.md").read_text()
    assert all(s["status"] == "not supported by the broker" for s in report["statements"]
               if s["tested_with"] == "5.0" and s["status"] not in ("not testable", "not yet tested", "not run"))


@needs_mosquitto
@pytest.mark.parametrize("rewrite,want", [
    (lambda packet: True, {"MQTT-3.3.1-6": "pass", "MQTT-3.3.1-8": "pass"}),
    # RETAIN 0 on the retained messages a new subscription gets: only the flag rule fails
    (hostile.retain_cleared, {"MQTT-3.3.1-6": "pass", "MQTT-3.3.1-8": "fail"}),
    # none sent (RabbitMQ 3.10 for a wildcard filter): only the delivery rule fails, the flag rule is
    # not reached, since no packet showed a flag
    (hostile.retained_under_r_dropped, {"MQTT-3.3.1-6": "fail", "MQTT-3.3.1-8": "not reached"}),
], ids=["untouched", "clear", "drop"])
def test_retained_delivery_and_its_flag_are_judged_apart(mqtk, tmp_path, rewrite, want):
    """3.1.1/retain/retained-on-every-matching-topic once checked MQTT-3.3.1-6 and MQTT-3.3.1-8 on one
    packet, so a broker sending no retained message was also charged with the RETAIN flag rule."""
    b = mosq.Broker(tmp_path)
    try:
        with hostile.RewritingProxy(b.address, rewrite) as address:
            run(mqtk, "--broker", address, "--protocol", "3.1.1", "--filter", "retained-on-every-matching-topic",
                "--json", str(tmp_path / "r.json"), timeout=60)
    finally:
        b.stop()
    report = json.loads((tmp_path / "r.json").read_text())
    (test,) = report["tests"]
    assert test["statement_verdicts"] == want, test.get("message")


@needs_mosquitto
def test_slow_broker_is_late_not_wrong(mqtk, tmp_path):
    """Every byte held 150 ms each way: with an explicit 100 ms deadline the packets come late (and are
    reported so), never failed."""
    b = mosq.Broker(tmp_path)
    try:
        with hostile.Proxy(b.address, delay=0.15) as address:
            proc, _ = run(mqtk, "--broker", address, "--filter", "3.1.1/publish/qos1-*", "--timeout", "100",
                          "--json", str(tmp_path / "r.json"), timeout=180)
    finally:
        b.stop()
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["summary"]["fail"] == 0, proc.stdout
    assert report["summary"]["pass"] > 0
    assert any("arrived late" in t.get("notes", "") for t in report["tests"])


def test_password_masked_in_transcripts(mqtk, tmp_path, repo_root):
    if not mosq.MOSQUITTO:
        pytest.skip("mosquitto is not installed")
    suite = make_suite(tmp_path, repo_root, "test t\n  statements MQTT-3.1.4-4\n  open c\n"
                                            "  send c raw 10 * str:MQTT 04 cflags:02 00 3c str:$c.id creds\n"
                                            "  expect c CONNACK rc=1 within=300 [MQTT-3.1.4-4]\nend\n")
    secret = "s3cr3t-pw"
    proc, _ = run(mqtk, "--suite", str(suite), "--username", "mqtk", "--password", secret, "--verbose",
                  "--json", str(tmp_path / "r.json"), "--report", str(tmp_path / "r.md"))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    hexed = secret.encode().hex()
    for text in (proc.stdout, (tmp_path / "r.json").read_text(), (tmp_path / "r.md").read_text()):
        assert secret not in text and hexed not in text.replace(" ", "")
    assert "2a2a2a" in json.loads((tmp_path / "r.json").read_text())["tests"][0]["transcript"].replace(" ", "")


@needs_mosquitto
def test_wrong_protocol_name_refused_in_311_format_is_a_refusal(mqtk, tmp_path):
    """5.0 lets a server answer a CONNECT with a wrong protocol name by another specification: a
    3.1.1-format CONNACK 0x01 then a close (ejabberd 23.01) is a refusal, not a malformed CONNACK."""
    b = mosq.Broker(tmp_path)
    try:
        with hostile.Proxy(b.address, refuse_name=True) as address:
            proc, _ = run(mqtk, "--broker", address, "--protocol", "5.0", "--filter", "5.0/connect/wrong-protocol-name",
                          "--json", str(tmp_path / "r.json"), timeout=120)
    finally:
        b.stop()
    t = json.loads((tmp_path / "r.json").read_text())["tests"][0]
    assert t["verdict"] == "pass", proc.stdout
    assert t["violations"] == [] and set(t["statement_verdicts"].values()) == {"pass"}
    assert proc.returncode == 0, proc.stdout + proc.stderr


EMPTY_SUBSCRIBE = """
test empty-subscribe
  statements MQTT-4.8.0-1
  connect c
  send c raw 82 02 00 01
  expect c closed [MQTT-4.8.0-1]
  expect c no SUBACK [MQTT-4.8.0-1]
end
"""


@pytest.mark.parametrize("deviation", [False, True], ids=["no-profile-entry", "deviation"])
def test_codeless_suback_instead_of_close_fails_the_closing_rule(mqtk, tmp_path, repo_root, deviation):
    """A SUBACK without codes answering a SUBSCRIBE without filters: the broker did not close
    (MQTT-4.8.0-1 fails at the step waiting for the close); the per-filter code rule, met vacuously,
    is not charged, so a profile deviation on the closing rule applies."""
    suite = make_suite(tmp_path, repo_root, EMPTY_SUBSCRIBE)
    profile = suite / "profiles" / "mosquitto.profile"
    if deviation:
        profile.write_text(profile.read_text() + "deviation 3.1.1/sem/empty-subscribe MQTT-4.8.0-1 keeps the "
                                                 "connection and answers with a SUBACK without codes\n")
    with hostile.HostileBroker(hostile.empty_suback) as address:
        proc, _ = run(mqtk, "--suite", str(suite), "--broker", address, "--profile", str(profile),
                      "--timeout", "500", "--json", str(tmp_path / "r.json"))
    t = json.loads((tmp_path / "r.json").read_text())["tests"][0]
    assert t["violations"] == [], proc.stdout
    assert t["failed_line"] == 6 and "SUBACK without any code instead" in t["message"]
    if deviation:
        assert t["verdict"] == "expected-fail" and t["statement_verdicts"] == {"MQTT-4.8.0-1": "expected-fail"}
    else:
        assert t["verdict"] == "fail" and t["statement_verdicts"] == {"MQTT-4.8.0-1": "fail"}
        assert proc.returncode == 1


ZERO_IDS = """
test publish-zero
  statements MQTT-4.8.0-1
  connect c
  send c raw 32 * str:$topic/a 00 00 txt:x
  expect c closed [MQTT-4.8.0-1]
end

test subscribe-zero
  statements MQTT-4.8.0-1
  connect c
  send c raw 82 * 00 00 str:$topic/a 00
  expect c closed [MQTT-4.8.0-1]
end

test publish-seven
  statements MQTT-4.3.2-1
  connect c
  send c PUBLISH topic=$topic/a qos=1 pid=7 payload=x
  expect c PUBACK pid=7 [MQTT-4.3.2-1]
end
"""


def test_echo_of_a_zero_packet_id_is_not_malformed(mqtk, tmp_path, repo_root):
    """A test that sends Packet Identifier 0 and a broker that acknowledges it with 0 and stays open
    (aedes 1.2): the acknowledgement echoes the identifier as MQTT-2.3.1-6/7 ask, so the failure is the
    missing close at its step (MQTT-4.8.0-1), not a malformed packet. An acknowledgement with 0 for a
    PUBLISH that carried 7 is malformed, and names MQTT-2.3.1-6."""
    suite = make_suite(tmp_path, repo_root, ZERO_IDS)
    with hostile.HostileBroker(hostile.acks_with_id()) as echo:
        proc, _ = run(mqtk, "--suite", str(suite), "--broker", echo, "--filter", "zero", "--timeout", "500",
                      "--json", str(tmp_path / "echo.json"))
    tests = by_id(json.loads((tmp_path / "echo.json").read_text()))
    assert proc.returncode == 1, proc.stdout
    for name, answer, line in (("publish-zero", "PUBACK pid=0", 6), ("subscribe-zero", "SUBACK pid=0", 13)):
        t = tests[name]
        assert t["verdict"] == "fail" and t["statement_verdicts"] == {"MQTT-4.8.0-1": "fail"}, t
        assert t["violations"] == [] and t["failed_line"] == line, t
        assert answer in t["message"], t["message"]
    with hostile.HostileBroker(hostile.acks_with_id(zero=True)) as zero:
        proc, _ = run(mqtk, "--suite", str(suite), "--broker", zero, "--filter", "seven", "--timeout", "500",
                      "--json", str(tmp_path / "zero.json"))
    t = json.loads((tmp_path / "zero.json").read_text())["tests"][0]
    assert proc.returncode == 1 and t["verdict"] == "fail", proc.stdout
    assert "packet_id_zero" in t["message"] and "MQTT-2.3.1-6" in t["message"], t["message"]


GOOD_THEN_MALFORMED = """
test queued
  statements MQTT-4.6.0-6
  connect c
  send c SUBSCRIBE pid=1 filter=t qos=0
  expect c SUBACK pid=1 codes=00
  expect c PUBLISH topic=t payload=a
  expect c PUBLISH topic=t payload=b [MQTT-4.6.0-6]
end
"""


def test_packets_before_a_malformed_one_are_still_evidence(mqtk, tmp_path, repo_root):
    """A valid PUBLISH and a malformed one in the same read: the step expecting the valid one passes,
    and the malformed packet fails the next step, which is where it is observed."""
    suite = make_suite(tmp_path, repo_root, GOOD_THEN_MALFORMED)
    with hostile.HostileBroker(hostile.good_then_malformed) as address:
        proc, _ = run(mqtk, "--suite", str(suite), "--broker", address, "--timeout", "500",
                      "--json", str(tmp_path / "r.json"))
    t = json.loads((tmp_path / "r.json").read_text())["tests"][0]
    assert proc.returncode == 1 and t["verdict"] == "fail", proc.stdout
    assert t["failed_line"] == 8 and "publish_dup_qos_0" in t["message"], t


DOLLAR_311 = """
test dollar
  statements MQTT-4.7.2-1
  connect exact
  send exact SUBSCRIBE pid=1 filter="\\$other/"$prefix/x qos=0
  expect exact SUBACK pid=1 codes=00
  connect hash
  send hash SUBSCRIBE pid=1 filter=# qos=0
  expect hash SUBACK pid=1 codes=00
  connect pub
  send pub PUBLISH topic="\\$other/"$prefix/x qos=1 payload=x
  expect pub PUBACK
  expect exact PUBLISH topic="\\$other/"$prefix/x payload=x
  expect hash no PUBLISH topic^="\\$" [MQTT-4.7.2-1]
end
"""

DOLLAR_50 = """
test dollar
  statements MQTT-4.7.2-1
  connect hash
  send hash SUBSCRIBE filter=# qos=0
  expect hash SUBACK codes=00
  connect pub
  send pub PUBLISH topic="\\$other/"$prefix/x qos=1 payload=x
  expect pub PUBACK rc=0
  expect hash no PUBLISH topic^="\\$" [MQTT-4.7.2-1]
end
"""


@needs_mosquitto
@pytest.mark.parametrize("version,script,reason", [
    ("v3.1.1", DOLLAR_311, "no delivery of a client publication on a '$' topic"),
    ("v5.0", DOLLAR_50, "PUBACK 0x87 (not_authorized) to a PUBLISH on a '$' topic"),
], ids=["3.1.1", "5.0"])
def test_refused_dollar_publication_is_a_skip(mqtk, tmp_path, repo_root, version, script, reason):
    """The embedded mosquitto's ACL opens only $mqtk/#: a client publication to $other/... is refused
    (5.0 PUBACK 0x87; 3.1.1 acknowledged and dropped, as MQTT-3.3.5-2 allows). The test does not
    apply to such a broker: skip with the reason, not inconclusive."""
    suite = make_suite(tmp_path, repo_root, script, version=version)
    proc, _ = run(mqtk, "--suite", str(suite), "--protocol", version[1:], "--json", str(tmp_path / "r.json"))
    t = json.loads((tmp_path / "r.json").read_text())["tests"][0]
    assert t["verdict"] == "skip", proc.stdout
    assert t["message"].startswith("not offered: ") and reason in t["message"], t["message"]
    assert "the broker" in t["message"] and "'$' topics" in t["message"]


@needs_mosquitto
@pytest.mark.parametrize("mode,offset,verdict,line", [
    ("timer", 0.0, "pass", 0),
    ("sweep", 1.6, "fail", 29),
    ("sweep", 3.05, "fail", 32),
    ("sweep", 3.3, "fail", 32),
], ids=["own-timer", "sweep-early", "sweep-at-the-limit", "sweep-in-the-tolerance"])
def test_keep_alive_verdict_does_not_depend_on_a_sweep_phase(mqtk, tmp_path, mode, offset, verdict, line):
    """A broker that checks keep alive in one sweep every 5 s (as mosquitto 2.0 does) is late for most
    clients but on time for one whose deadline happens to fall just before a sweep: a single silent
    client gave pass, inconclusive or fail from run to run. A first client closed late fails the test
    at once (1.6 s: its line); one closed on time (3.05 s: the phase in which a single Keep Alive 2
    client passes) or too close to call (3.3 s) is followed by a second client connected right after
    that close, which the sweep closes late (its line), so the sweeper fails in every phase; a broker
    with a timer per connection passes."""
    b = mosq.Broker(tmp_path)
    try:
        with hostile.KeepAliveProxy(b.address, mode, period=5.0, offset=offset) as address:
            proc, _ = run(mqtk, "--broker", address, "--filter", "3.1.1/ping/keep-alive-expiry-disconnects",
                          "--json", str(tmp_path / "r.json"), timeout=120)
    finally:
        b.stop()
    t = json.loads((tmp_path / "r.json").read_text())["tests"][0]
    assert t["verdict"] == verdict, proc.stdout + t["transcript"]
    assert t["statement_verdicts"] == {"MQTT-3.1.2-24": verdict}
    if verdict == "fail":
        assert t["failed_line"] == line and "never came" in t["message"], t["message"] + t["transcript"]
        assert proc.returncode == 1
