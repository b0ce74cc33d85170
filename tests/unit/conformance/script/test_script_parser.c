/* The conformance script language: lexer tokens, parsed steps, and the error messages a script
 * author sees (file, line, column, what was expected). */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "conformance/script/fields.h"
#include "conformance/script/lexer.h"
#include "conformance/script/script.h"
#include "script_fixture.h"
#include "support.h"
#include "conformance/script/match.h"

static char *expand(const cs_token *t)
{
    static char out[256];
    size_t n = 0;
    for (size_t i = 0; i < t->value.nsegs; i++) {
        const cs_seg *s = &t->value.segs[i];
        if (s->is_var)
            n += (size_t)snprintf(out + n, sizeof out - n, "${%s}", s->text);
        else {
            memcpy(out + n, s->text, s->len);
            n += s->len;
        }
    }
    out[n] = '\0';
    return out;
}

START_TEST(lex_words_fields_and_operators)
{
    cs_token *t;
    cs_lex_error e;
    int n = cs_lex_line(&arena, "  expect sub PUBLISH topic=$topic/a pid->p qos!=2 topic^=\"a b\"  # note", &t, &e);
    ck_assert_int_eq(n, 7);
    ck_assert_str_eq(cs_tok_word(&t[0]), "expect");
    ck_assert_int_eq(t[0].col, 3);
    ck_assert_str_eq(cs_tok_word(&t[2]), "PUBLISH");
    ck_assert_str_eq(t[3].key, "topic");
    ck_assert_int_eq(t[3].op, CS_OP_EQ);
    ck_assert_str_eq(expand(&t[3]), "${topic}/a");
    ck_assert_int_eq(t[4].op, CS_OP_CAPTURE);
    ck_assert_str_eq(expand(&t[4]), "p");
    ck_assert_int_eq(t[5].op, CS_OP_NE);
    ck_assert_int_eq(t[6].op, CS_OP_PREFIX);
    ck_assert(t[6].value.quoted);
    ck_assert_str_eq(expand(&t[6]), "a b");
    ck_assert_ptr_null(cs_tok_word(&t[3]));
}
END_TEST

START_TEST(lex_escapes_and_variables)
{
    cs_token *t;
    cs_lex_error e;
    int n = cs_lex_line(&arena, "str:\"x\\x00\\xff\\\"\\$y\" ${a.id}z $topic.", &t, &e);
    ck_assert_int_eq(n, 3);
    ck_assert_int_eq(t[0].value.nsegs, 1);
    ck_assert_int_eq(t[0].value.segs[0].len, 10);
    ck_assert_mem_eq(t[0].value.segs[0].text, "str:x\0\xff\"$y", 10);
    ck_assert_str_eq(expand(&t[1]), "${a.id}z");
    ck_assert_str_eq(expand(&t[2]), "${topic}.");
}
END_TEST

START_TEST(lex_errors_name_the_column)
{
    cs_token *t;
    cs_lex_error e;
    ck_assert_int_eq(cs_lex_line(&arena, "send c raw str:\"abc", &t, &e), -1);
    ck_assert_int_eq(e.col, 16);
    ck_assert_str_eq(e.message, "unterminated string: expected a closing '\"'");
    ck_assert_int_eq(cs_lex_line(&arena, "x \"\\q\"", &t, &e), -1);
    ck_assert_int_eq(e.col, 4);
    ck_assert(strstr(e.message, "unknown escape") != NULL);
    ck_assert_int_eq(cs_lex_line(&arena, "topic=$/x", &t, &e), -1);
    ck_assert(strstr(e.message, "expected a variable name after '$'") != NULL);
    ck_assert_int_eq(cs_lex_line(&arena, "\"\\x4\"", &t, &e), -1);
    ck_assert(strstr(e.message, "two hex digits") != NULL);
}
END_TEST

START_TEST(parse_a_complete_test)
{
    const char *text = "# comment\n"
                       "test pub-sub\n"
                       "  statements MQTT-3.3.1-5 MQTT-4.3.2-2\n"
                       "  needs retain qos2\n"
                       "  timeout 5000\n"
                       "  connect sub clean=0 sp=0\n"
                       "  send sub unchecked SUBSCRIBE pid=1 filter=$topic/a qos=1\n"
                       "  send sub raw 82 * 00 01 str:$topic/a 00\n"
                       "  expect sub within=100 SUBACK pid=1 codes=01|80 | closed [MQTT-3.3.1-5]\n"
                       "  expect sub no PUBLISH [ MQTT-4.3.2-2 MQTT-3.3.1-5 ]\n"
                       "  expect sub any PUBLISH pid->p\n"
                       "  sync sub\n"
                       "  disconnect sub\n"
                       "  close pub\n"
                       "end\n";
    ck_assert_int_eq(parse_script(text, MQTT_V311), 0);
    ck_assert_int_eq(suite.ntests, 1);
    const cs_test *t = &suite.tests[0];
    ck_assert_str_eq(t->id, "3.1.1/area/pub-sub");
    ck_assert_int_eq(t->line, 2);
    ck_assert_int_eq(t->nstatements, 2);
    /* the statements each step observes */
    ck_assert_int_eq(t->steps[0].nobserves, 0);
    ck_assert_int_eq(t->steps[3].nobserves, 1);
    ck_assert_str_eq(t->steps[3].observes[0], "MQTT-3.3.1-5");
    ck_assert_int_eq(t->steps[3].noutcomes, 2);
    ck_assert_int_eq(t->steps[4].nobserves, 2);
    ck_assert_str_eq(t->steps[4].observes[0], "MQTT-4.3.2-2");
    ck_assert_str_eq(t->statements[1], "MQTT-4.3.2-2");
    ck_assert_int_eq(t->nneeds, 2);
    ck_assert_int_eq(t->timeout_ms, 5000);
    ck_assert_int_eq(t->nconns, 2);
    ck_assert_int_eq(t->nsteps, 9);
    ck_assert_int_eq(t->steps[0].kind, CS_STEP_CONNECT);
    ck_assert_int_eq(t->steps[0].nargs, 2);
    ck_assert_int_eq(t->steps[1].kind, CS_STEP_SEND);
    ck_assert(t->steps[1].unchecked);
    ck_assert_int_eq(t->steps[1].type, MQTT_SUBSCRIBE);
    ck_assert_int_eq(t->steps[2].kind, CS_STEP_RAW);
    ck_assert_int_eq(t->steps[2].nargs, 6);
    const cs_step *e = &t->steps[3];
    ck_assert_int_eq(e->kind, CS_STEP_EXPECT);
    ck_assert_int_eq(e->line, 9);
    ck_assert_int_eq(e->within_ms, 100);
    ck_assert_int_eq(e->noutcomes, 2);
    ck_assert_int_eq(e->outcomes[0].type, MQTT_SUBACK);
    ck_assert_int_eq(e->outcomes[0].nargs, 2);
    ck_assert_int_eq(e->outcomes[1].kind, CS_OUT_CLOSED);
    ck_assert_int_eq(t->steps[4].outcomes[0].kind, CS_OUT_NO);
    ck_assert_int_eq(t->steps[5].outcomes[0].mode, CS_MATCH_ANY);
    ck_assert_int_eq(t->steps[6].kind, CS_STEP_SYNC);
    ck_assert_int_eq(t->steps[7].kind, CS_STEP_DISCONNECT);
    ck_assert_int_eq(t->steps[8].kind, CS_STEP_CLOSE);
}
END_TEST

START_TEST(error_unknown_step)
{
    assert_script_error("test a\n  statements MQTT-3.1.4-4\n  conect c\nend\n", MQTT_V311,
                        "t.mqtt:3:3: expected a step (open, connect, send, expect, disconnect, close, sync, ws), "
                        "'statements', 'needs', 'timeout' or 'end', got 'conect'");
}
END_TEST

/* ws steps: each action parsed with its size; only in tests that need the WebSocket transport. */
START_TEST(ws_steps)
{
    const char *text = "test framed\n"
                       "  statements MQTT-6.0.0-2\n"
                       "  needs websocket\n"
                       "  ws c split=1\n"
                       "  ws c fragment=65536\n"
                       "  ws c hold\n"
                       "  ws c flush\n"
                       "  ws c text\n"
                       "  ws c binary\n"
                       "  connect c [MQTT-6.0.0-2]\n"
                       "end\n";
    ck_assert_int_eq(parse_script(text, MQTT_V5), 0);
    const cs_test *t = &suite.tests[0];
    const cs_ws_action want[] = {CS_WS_SPLIT, CS_WS_FRAGMENT, CS_WS_HOLD, CS_WS_FLUSH, CS_WS_TEXT, CS_WS_BINARY};
    const unsigned sizes[] = {1, 65536, 0, 0, 0, 0};
    for (size_t i = 0; i < 6; i++) {
        ck_assert_int_eq(t->steps[i].kind, CS_STEP_WS);
        ck_assert_int_eq(t->steps[i].ws, want[i]);
        ck_assert_uint_eq(t->steps[i].ws_size, sizes[i]);
    }
    assert_script_error("test a\n  statements MQTT-6.0.0-2\n  ws c split=2\n  connect c [MQTT-6.0.0-2]\nend\n",
                        MQTT_V311, "t.mqtt:5:1: test 'a' (line 1) has ws steps: expected 'needs websocket'");
    assert_script_error("test a\n  statements MQTT-6.0.0-2\n  needs websocket\n  ws c split=70000\nend\n", MQTT_V311,
                        "t.mqtt:4:8: expected 'split=N' with N from 0 to 65536 bytes");
    assert_script_error("test a\n  statements MQTT-6.0.0-2\n  needs websocket\n  ws c hold=1\nend\n", MQTT_V311,
                        "t.mqtt:4:8: expected 'hold' without a value");
    assert_script_error("test a\n  statements MQTT-6.0.0-2\n  needs websocket\n  ws c ping\nend\n", MQTT_V311,
                        "t.mqtt:4:8: expected a ws action (split=N, fragment=N, hold, flush, text, binary), got 'ping'");
    assert_script_error("test a\n  statements MQTT-6.0.0-2\n  needs websocket\n  ws c split=1 hold\nend\n", MQTT_V311,
                        "expected 'ws C ACTION' with one action");
    assert_script_error("test a\n  statements MQTT-6.0.0-2\n  needs websocket\n  ws c split=1 [MQTT-6.0.0-2]\nend\n",
                        MQTT_V311, "'ws' observes nothing");
}
END_TEST

START_TEST(error_unknown_field_lists_the_known_ones)
{
    assert_script_error("test a\n  statements MQTT-3.1.4-4\n  connect c [MQTT-3.1.4-4]\n  send c PUBLISH topik=x\nend\n", MQTT_V311,
                        "t.mqtt:4:18: unknown field 'topik' for sending PUBLISH "
                        "(expected one of: topic payload qos retain dup pid)");
    base_sb_reset(&errs);
    assert_script_error("test b\n  statements MQTT-3.1.4-4\n  connect c [MQTT-3.1.4-4]\n  expect c SUBACK code=1\nend\n", MQTT_V311,
                        "t.mqtt:4:19: unknown field 'code' for expecting SUBACK "
                        "(expected one of: pid codes flags len size)");
}
END_TEST

START_TEST(error_observed_statements)
{
    assert_script_error("test a\n  statements MQTT-3.1.4-4\n  connect c\nend\n", MQTT_V311,
                        "t.mqtt:4:1: test 'a' (line 1) cites MQTT-3.1.4-4, but no step observes it");
    assert_script_error("test a\n  statements MQTT-3.1.4-4\n  connect c [MQTT-3.1.4-4 MQTT-3.1.4-5]\nend\n", MQTT_V311,
                        "t.mqtt:4:1: test 'a': line 3 observes MQTT-3.1.4-5, which its 'statements' line does not cite");
    assert_script_error("test a\n  statements MQTT-3.1.4-4\n  connect c [MQTT-3.1.4-4]\n  close c [MQTT-3.1.4-4]\nend\n",
                        MQTT_V311, "t.mqtt:4:11: 'close' observes nothing");
    assert_script_error("test a\n  statements MQTT-3.1.4-4\n  connect c [MQTT-3.1.4-4\nend\n", MQTT_V311,
                        "t.mqtt:3:13: expected ']' to close the observed statements");
    assert_script_error("test a\n  statements MQTT-3.1.4-4\n  connect c [bogus]\nend\n", MQTT_V311,
                        "t.mqtt:3:13: expected a statement ID like MQTT-3.1.2-3 (or FIELD:ID) inside [...], got '[bogus]'");
}
END_TEST

/* "[FIELD:ID]" binds a statement to one compared field of the step's single expected packet. */
START_TEST(field_bound_statements)
{
    ck_assert_int_eq(parse_script("test a\n  statements MQTT-4.4.0-1 MQTT-3.3.1-1\n  connect s\n"
                                  "  expect s PUBLISH qos=1 dup=1 payload=x [MQTT-4.4.0-1 dup:MQTT-3.3.1-1]\nend\n",
                                  MQTT_V311),
                     0);
    const cs_step *s = &suite.tests[0].steps[1];
    ck_assert_int_eq(s->nobserves, 2);
    ck_assert_str_eq(s->observes[1], "MQTT-3.3.1-1");
    ck_assert_ptr_null(s->observe_fields[0]);
    ck_assert_str_eq(s->observe_fields[1], "dup");
    ck_assert_ptr_null(suite.tests[0].steps[0].observe_fields); /* none bound: no table */
    /* a statement may be listed bare and bound: the packet must come, and with that field */
    ck_assert_int_eq(parse_script("test a\n  statements MQTT-4.3.2-2\n  connect s\n"
                                  "  expect s PUBLISH qos=1 dup=0 [MQTT-4.3.2-2 dup:MQTT-4.3.2-2 qos:MQTT-4.3.2-2]\nend\n",
                                  MQTT_V5),
                     0);
    ck_assert_int_eq(suite.ntests, 2);
    s = &suite.tests[1].steps[1];
    ck_assert_int_eq(s->nobserves, 3);
    ck_assert_ptr_null(s->observe_fields[0]);
    ck_assert_str_eq(s->observe_fields[2], "qos");
}
END_TEST

/* A connect step's Session Present may be bound: the CONNACK came and accepted, only its sp differed. */
START_TEST(field_bound_connect_statements)
{
    ck_assert_int_eq(parse_script("test a\n  statements MQTT-3.2.2-2 MQTT-3.1.2-4\n"
                                  "  connect s clean=0 sp=1 [sp:MQTT-3.2.2-2 MQTT-3.1.2-4]\nend\n",
                                  MQTT_V311),
                     0);
    const cs_step *s = &suite.tests[0].steps[0];
    ck_assert_int_eq(s->kind, CS_STEP_CONNECT);
    ck_assert_int_eq(s->nobserves, 2);
    ck_assert_str_eq(s->observe_fields[0], "sp");
    ck_assert_str_eq(s->observes[0], "MQTT-3.2.2-2");
    ck_assert_ptr_null(s->observe_fields[1]);
}
END_TEST

START_TEST(error_field_bound_statements)
{
    /* the field must be one the step compares */
    assert_script_error("test a\n  statements MQTT-3.3.1-1\n  connect s\n  expect s PUBLISH qos=1 [dup:MQTT-3.3.1-1]\nend\n",
                        MQTT_V311,
                        "t.mqtt:4:26: 'dup:MQTT-3.3.1-1': a statement bound to a field needs an expect step with one "
                        "packet outcome that compares 'dup'");
    base_sb_reset(&errs);
    /* alternatives, a negative outcome, a connect step: no single packet to bind to */
    assert_script_error("test a\n  statements MQTT-3.3.1-1\n  connect s\n  expect s PUBLISH dup=1 | closed "
                        "[dup:MQTT-3.3.1-1]\nend\n",
                        MQTT_V311, "a statement bound to a field needs an expect step with one packet outcome");
    base_sb_reset(&errs);
    assert_script_error("test a\n  statements MQTT-3.3.1-1\n  connect s\n  expect s no PUBLISH dup=1 "
                        "[dup:MQTT-3.3.1-1]\nend\n",
                        MQTT_V311, "a statement bound to a field needs an expect step with one packet outcome");
    base_sb_reset(&errs);
    /* a connect step offers its CONNACK's sp= only: not rc (a refusal tells against all it observes),
     * not sp when the step does not compare it */
    assert_script_error("test a\n  statements MQTT-3.2.2-2\n  connect s sp=1 [rc:MQTT-3.2.2-2]\nend\n", MQTT_V311,
                        "a statement bound to a field needs an expect step with one packet outcome that compares "
                        "'rc', or a connect step with sp=");
    base_sb_reset(&errs);
    assert_script_error("test a\n  statements MQTT-3.2.2-2\n  connect s clean=0 [sp:MQTT-3.2.2-2]\nend\n", MQTT_V311,
                        "a statement bound to a field needs an expect step");
    base_sb_reset(&errs);
    assert_script_error("test a\n  statements MQTT-3.3.1-1\n  connect s\n  expect s PUBLISH dup=1 [dup:MQTT-3.3.1-1 "
                        "dup:MQTT-3.3.1-1]\nend\n",
                        MQTT_V311, "'dup:MQTT-3.3.1-1' is listed twice in the observed statements");
    base_sb_reset(&errs);
    assert_script_error("test a\n  statements MQTT-3.3.1-1\n  connect s\n  expect s PUBLISH dup=1 [MQTT-3.3.1-1 "
                        "MQTT-3.3.1-1]\nend\n",
                        MQTT_V311, "'MQTT-3.3.1-1' is listed twice in the observed statements");
    base_sb_reset(&errs);
    assert_script_error("test a\n  statements MQTT-3.3.1-1\n  connect s\n  expect s PUBLISH dup=1 [:MQTT-3.3.1-1]\nend\n",
                        MQTT_V311, "expected a statement ID like MQTT-3.1.2-3 (or FIELD:ID) inside [...], got '[:MQTT-3.3.1-1]'");
}
END_TEST

START_TEST(error_missing_end_and_statements)
{
    assert_script_error("test a\n  connect c [MQTT-3.1.4-4]\n", MQTT_V311,
                        "t.mqtt:3:1: expected 'end' to close test 'a' (line 1) before the end of the file");
    base_sb_reset(&errs);
    assert_script_error("test b\n  connect c [MQTT-3.1.4-4]\nend\n", MQTT_V311,
                        "t.mqtt:3:1: test 'b' (line 1) declares no statements");
}
END_TEST

START_TEST(error_bad_names_and_values)
{
    assert_script_error("test a\n  statements MQTT-3.1.4-4\n  connect Client1\nend\n", MQTT_V311,
                        "t.mqtt:3:11: expected a connection name (1-12 of a-z 0-9), got 'Client1'");
    base_sb_reset(&errs);
    assert_script_error("test a\n  statements 3.1.4-4\n  connect c [MQTT-3.1.4-4]\nend\n", MQTT_V311,
                        "t.mqtt:2:14: expected a statement ID like MQTT-3.1.2-3, got '3.1.4-4'");
    base_sb_reset(&errs);
    assert_script_error("test a\n  statements MQTT-3.1.4-4\n  needs telepathy\n  connect c [MQTT-3.1.4-4]\nend\n", MQTT_V311,
                        "t.mqtt:3:9: unknown capability 'telepathy'");
    base_sb_reset(&errs);
    assert_script_error("test a\n  statements MQTT-3.1.4-4\n  connect c [MQTT-3.1.4-4]\n  send c raw 3 zz\nend\n", MQTT_V311,
                        "t.mqtt:4:14: expected hex bytes");
    base_sb_reset(&errs);
    assert_script_error("test a\n  statements MQTT-3.1.4-4\n  connect c [MQTT-3.1.4-4]\n  expect c PUBLISH qos^=1\nend\n", MQTT_V311,
                        "t.mqtt:4:20: '^=' compares text; qos is a number");
    base_sb_reset(&errs);
    assert_script_error("test a\n  statements MQTT-3.1.4-4\n  connect c [MQTT-3.1.4-4]\n  expect c CONNACK within=soon\nend\n",
                        MQTT_V311,
                        "t.mqtt:4:20: expected within=MILLISECONDS");
    base_sb_reset(&errs);
    assert_script_error("test a\n  statements MQTT-3.1.4-4\n  connect c [MQTT-3.1.4-4]\n  expect c CONNACK |\nend\n", MQTT_V311,
                        "expected an outcome");
    base_sb_reset(&errs);
    assert_script_error("test a\n  statements MQTT-3.1.4-4\n  connect c [MQTT-3.1.4-4]\n  expect c closed now\nend\n", MQTT_V311,
                        "t.mqtt:4:19: expected '|' or the end of the line after 'closed', got 'now'");
}
END_TEST

START_TEST(error_duplicate_and_nested_tests)
{
    assert_script_error("test a\n  statements MQTT-3.1.4-4\n  connect c [MQTT-3.1.4-4]\nend\ntest a\n  statements MQTT-3.1.4-4\n"
                        "  connect c [MQTT-3.1.4-4]\nend\n", MQTT_V311,
                        "t.mqtt:8:1: test 'a' is defined twice (also at t.mqtt:1)");
    base_sb_reset(&errs);
    assert_script_error("test a\n  statements MQTT-3.1.4-4\ntest b\n", MQTT_V311,
                        "t.mqtt:3:1: expected 'end' before the next 'test'");
    base_sb_reset(&errs);
    assert_script_error("connect c\n", MQTT_V311, "t.mqtt:1:1: expected 'test NAME' to start a test, got 'connect'");
}
END_TEST

START_TEST(match_fields_against_decoded_packets)
{
    /* SUBACK pid 7 codes 01 80 */
    static const uint8_t suback[] = {0x90, 0x04, 0x00, 0x07, 0x01, 0x80};
    mqtt_packet p;
    mqtt_frame f;
    mqtt_decode_opts o = {.version = MQTT_V311, .direction = MQTT_DIR_TO_CLIENT};
    ck_assert_int_eq(mqtt_decode(suback, sizeof suback, &o, &p, &f), MQTT_COMPLETE);
    cs_token *t;
    cs_lex_error e;
    cs_vars vars = {0};
    base_strbuf why = {0};
    int n = cs_lex_line(&arena, "pid=7 codes=01|02,80 pid->got", &t, &e);
    ck_assert_int_eq(cs_match(&p, t, (size_t)n, &vars, true, &why), CS_MATCHED);
    ck_assert_str_eq(base_sb_str(cs_vars_get(&vars, "got")), "7");
    n = cs_lex_line(&arena, "codes=01", &t, &e);
    ck_assert_int_eq(cs_match(&p, t, (size_t)n, &vars, true, &why), CS_MISMATCH);
    ck_assert_str_eq(base_sb_str(&why), "codes: expected 01, got 01,80");
    base_sb_reset(&why);
    n = cs_lex_line(&arena, "pid=$nothing", &t, &e);
    ck_assert_int_eq(cs_match(&p, t, (size_t)n, &vars, true, &why), CS_MATCH_ERROR);
    ck_assert(strstr(base_sb_str(&why), "variable $nothing is not set") != NULL);
    base_sb_free(&why);
    cs_vars_free(&vars);
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("script");
    TCase *tc = tcase_create("parser");
    tcase_add_checked_fixture(tc, script_fixture_setup, script_fixture_teardown);
    tcase_add_test(tc, lex_words_fields_and_operators);
    tcase_add_test(tc, lex_escapes_and_variables);
    tcase_add_test(tc, lex_errors_name_the_column);
    tcase_add_test(tc, parse_a_complete_test);
    tcase_add_test(tc, error_unknown_step);
    tcase_add_test(tc, error_unknown_field_lists_the_known_ones);
    tcase_add_test(tc, ws_steps);
    tcase_add_test(tc, field_bound_statements);
    tcase_add_test(tc, field_bound_connect_statements);
    tcase_add_test(tc, error_field_bound_statements);
    tcase_add_test(tc, error_missing_end_and_statements);
    tcase_add_test(tc, error_observed_statements);
    tcase_add_test(tc, error_bad_names_and_values);
    tcase_add_test(tc, error_duplicate_and_nested_tests);
    tcase_add_test(tc, match_fields_against_decoded_packets);
    suite_add_tcase(s, tc);
    return s;
}
