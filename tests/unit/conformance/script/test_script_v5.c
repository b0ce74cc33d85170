/* The 5.0 additions to the conformance script language: property keys (prop., wprop.), <= and >=,
 * rc= and properties when sending, grace= on timed expectations, captures in connect steps, and
 * how expected properties are compared with a decoded packet (User Property order, absence,
 * repeated identifiers in any order). */
#include <check.h>
#include <string.h>

#include "base/arena.h"
#include "conformance/script/fields.h"
#include "conformance/script/lexer.h"
#include "conformance/script/script.h"
#include "script_fixture.h"
#include "support.h"
#include "conformance/script/build.h"
#include "conformance/script/match.h"

START_TEST(lex_dotted_keys_and_comparisons)
{
    cs_token *t;
    cs_lex_error e;
    int n = cs_lex_line(&arena, "prop.topic_alias<=3 size>=20 prop.user_property=a=b x<y", &t, &e);
    ck_assert_int_eq(n, 4);
    ck_assert_str_eq(t[0].key, "prop.topic_alias");
    ck_assert_int_eq(t[0].op, CS_OP_LE);
    ck_assert_str_eq(t[1].key, "size");
    ck_assert_int_eq(t[1].op, CS_OP_GE);
    ck_assert_str_eq(t[2].key, "prop.user_property");
    ck_assert_int_eq(t[2].op, CS_OP_EQ);
    ck_assert_mem_eq(t[2].value.segs[0].text, "a=b", 3);
    ck_assert_int_eq(t[3].op, CS_OP_NONE);
}
END_TEST

START_TEST(parse_v5_steps)
{
    const char *text = "test t\n"
                       "  statements MQTT-3.3.2-17\n"
                       "  needs topic-alias subscription-ids\n"
                       "  connect c prop.session_expiry_interval=10 wprop.will_delay_interval=2 will_topic=w "
                       "prop.assigned_client_identifier->cid sp=0\n"
                       "  send c PUBLISH topic=a prop.user_property=k=v prop.correlation_data=\"\\x00\\x01\"\n"
                       "  send c PUBACK pid=1 rc=0x80 prop.reason_string=no\n"
                       "  send c SUBSCRIBE filter=a qos=1 nl=1 rap=1 rh=2 prop.subscription_identifier=5\n"
                       "  expect c PUBLISH prop.topic_alias<=2 prop.message_expiry_interval>=1 prop.content_type!=*\n"
                       "  expect c closed within=1500 grace=500 [MQTT-3.3.2-17]\n"
                       "  send c AUTH rc=0x18 prop.authentication_method=m\n"
                       "  disconnect c rc=4 prop.session_expiry_interval=0\n"
                       "end\n";
    ck_assert_msg(parse_script(text, MQTT_V5) == 0, "%s", base_sb_str(&errs));
    const cs_test *t = &suite.tests[0];
    ck_assert_str_eq(t->id, "5.0/area/t");
    ck_assert_int_eq(t->steps[5].grace_ms, 500);
    ck_assert_int_eq(t->steps[5].within_ms, 1500);
    ck_assert_int_eq(t->steps[7].kind, CS_STEP_DISCONNECT);
    ck_assert_int_eq(t->steps[7].nargs, 2);
}
END_TEST

START_TEST(errors_for_v5_syntax)
{
    assert_script_error("test t\n statements MQTT-1.5.4-1\n send c PUBLISH topic=a prop.topik=1\nend\n", MQTT_V5,
                        "t.mqtt:3:25: unknown property 'topik'");
    base_sb_reset(&errs);
    assert_script_error("test t\n statements MQTT-1.5.4-1\n send c PUBLISH topic=a prop.topic_alias=1\nend\n",
                        MQTT_V311,
                        "properties exist only in MQTT 5.0");
    base_sb_reset(&errs);
    assert_script_error("test t\n statements MQTT-1.5.4-1\n connect c\n expect c closed grace=100\nend\n", MQTT_V5,
                        "grace= needs within=");
    base_sb_reset(&errs);
    assert_script_error("test t\n statements MQTT-1.5.4-1\n connect c\n expect c PUBLISH topic<=3\nend\n", MQTT_V5,
                        "'<=' compares numbers; topic is not a number");
    base_sb_reset(&errs);
    assert_script_error("test t\n statements MQTT-1.5.4-1\n connect c\n expect c PUBLISH prop.content_type>=3\nend\n",
                        MQTT_V5, "'>=' compares numbers; prop.content_type is not a number");
    base_sb_reset(&errs);
    assert_script_error("test t\n statements MQTT-1.5.4-1\n send c PINGREQ prop.reason_string=x\nend\n", MQTT_V5,
                        "unknown field 'prop.reason_string' for sending PINGREQ");
    base_sb_reset(&errs);
    assert_script_error("test t\n statements MQTT-1.5.4-1\n needs no-such-cap\n connect c\nend\n", MQTT_V5,
                        "unknown capability 'no-such-cap'");
}
END_TEST

/* Build a packet from script tokens with the runner's builder, then decode it as the server
 * would have sent it. */
static uint8_t wire[1024];
static mqtt_packet decoded;

static void build_and_decode(mqtt_packet_type type, const char *fields)
{
    cs_token *t;
    cs_lex_error e;
    int n = cs_lex_line(&arena, fields, &t, &e);
    ck_assert_int_ge(n, 0);
    cs_vars vars = {0};
    uint16_t pid = 1;
    cs_build_ctx ctx = {MQTT_V5, &vars, "id", NULL, NULL, &pid, false};
    cs_build_info info = {0};
    base_strbuf bytes = {0}, err = {0};
    ck_assert_msg(cs_build(&ctx, type, t, (size_t)n, &bytes, &info, &err) == 0, "%s", base_sb_str(&err));
    memcpy(wire, bytes.data, bytes.len);
    mqtt_frame f;
    mqtt_decode_opts o = {.version = MQTT_V5, .direction = MQTT_DIR_UNKNOWN};
    ck_assert_int_eq(mqtt_decode(wire, bytes.len, &o, &decoded, &f), MQTT_COMPLETE);
    cs_build_info_free(&info);
    base_sb_free(&bytes);
    base_sb_free(&err);
    cs_vars_free(&vars);
}

static cs_match_result match(const char *expect, cs_vars *vars, base_strbuf *why)
{
    cs_token *t;
    cs_lex_error e;
    base_sb_reset(why);
    int n = cs_lex_line(&arena, expect, &t, &e);
    ck_assert_int_ge(n, 0);
    return cs_match(&decoded, t, (size_t)n, vars, true, why);
}

START_TEST(match_properties)
{
    build_and_decode(MQTT_PUBLISH, "topic=a/b payload=x prop.content_type=text prop.user_property=z=1 "
                                   "prop.user_property=a=2 prop.message_expiry_interval=30");
    cs_vars vars = {0};
    base_strbuf why = {0};
    /* other ids in any order, User Properties in theirs */
    ck_assert_int_eq(match("prop.message_expiry_interval=30 prop.user_property=z=1 prop.content_type=text "
                           "prop.user_property=a=2",
                           &vars, &why),
                     CS_MATCHED);
    ck_assert_int_eq(match("prop.user_property=a=2 prop.user_property=z=1", &vars, &why), CS_MISMATCH);
    ck_assert(strstr(base_sb_str(&why), "prop.user_property: expected \"a=2\" at this position") != NULL);
    ck_assert_int_eq(match("prop.user_property=z=1", &vars, &why), CS_MISMATCH);
    ck_assert(strstr(base_sb_str(&why), "expected 1 occurrence(s), got 2") != NULL);
    ck_assert_int_eq(match("prop.topic_alias!=* prop.content_type=* prop.content_type^=te", &vars, &why), CS_MATCHED);
    ck_assert_int_eq(match("prop.response_topic=*", &vars, &why), CS_MISMATCH);
    ck_assert_int_eq(match("prop.message_expiry_interval<=30 prop.message_expiry_interval>=29", &vars, &why),
                     CS_MATCHED);
    ck_assert_int_eq(match("prop.message_expiry_interval<=29", &vars, &why), CS_MISMATCH);
    ck_assert_str_eq(base_sb_str(&why), "prop.message_expiry_interval: expected <= 29, got \"30\"");
    ck_assert_int_eq(match("prop.content_type->ct size>=10", &vars, &why), CS_MATCHED);
    ck_assert_str_eq(base_sb_str(cs_vars_get(&vars, "ct")), "text");
    ck_assert_int_eq(match("prop.correlation_data->cd", &vars, &why), CS_MISMATCH);
    base_sb_free(&why);
    cs_vars_free(&vars);
}
END_TEST

START_TEST(match_repeated_identifiers_in_any_order)
{
    build_and_decode(MQTT_PUBLISH, "topic=a payload=x");
    /* a server PUBLISH with two Subscription Identifiers (the builder refuses them from a client) */
    static const uint8_t pub[] = {0x30, 0x08, 0x00, 0x01, 'a', 0x04, 0x0b, 0x02, 0x0b, 0x01};
    memcpy(wire, pub, sizeof pub);
    mqtt_frame f;
    mqtt_decode_opts o = {.version = MQTT_V5, .direction = MQTT_DIR_TO_CLIENT};
    ck_assert_int_eq(mqtt_decode(wire, sizeof pub, &o, &decoded, &f), MQTT_COMPLETE);
    cs_vars vars = {0};
    base_strbuf why = {0};
    ck_assert_int_eq(match("prop.subscription_identifier=1 prop.subscription_identifier=2", &vars, &why), CS_MATCHED);
    ck_assert_int_eq(match("prop.subscription_identifier=1", &vars, &why), CS_MISMATCH);
    ck_assert_int_eq(match("prop.subscription_identifier>=3", &vars, &why), CS_MISMATCH);
    ck_assert_int_eq(match("prop.subscription_identifier<=2", &vars, &why), CS_MATCHED);
    base_sb_free(&why);
    cs_vars_free(&vars);
}
END_TEST

START_TEST(build_reason_codes_and_options)
{
    build_and_decode(MQTT_PUBACK, "pid=9 rc=0x87 prop.reason_string=nope");
    ck_assert_int_eq(decoded.u.ack.packet_id, 9);
    ck_assert_int_eq(decoded.u.ack.reason_code, 0x87);
    build_and_decode(MQTT_SUBSCRIBE, "pid=2 filter=a qos=1 nl=1 rap=1 rh=2");
    mqtt_payload_iter it;
    mqtt_subscription s;
    mqtt_subscribe_iter_init(&it, &decoded.u.subscribe);
    ck_assert(mqtt_subscribe_next(&it, &s));
    ck_assert(s.no_local && s.retain_as_published);
    ck_assert_int_eq(s.retain_handling, 2);
    ck_assert_int_eq(s.qos, 1);
    build_and_decode(MQTT_DISCONNECT, "rc=4");
    ck_assert_int_eq(decoded.u.reason.reason_code, 4);
    build_and_decode(MQTT_CONNECT, "will_topic=w will_payload=p wprop.will_delay_interval=3 "
                                   "prop.maximum_packet_size=100");
    mqtt_property pr;
    ck_assert(mqtt_props_find(decoded.u.connect.will_props, MQTT_PROP_WILL_DELAY_INTERVAL, &pr));
    ck_assert_int_eq(pr.value, 3);
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("script_v5");
    TCase *tc = tcase_create("v5");
    tcase_add_checked_fixture(tc, script_fixture_setup, script_fixture_teardown);
    tcase_add_test(tc, lex_dotted_keys_and_comparisons);
    tcase_add_test(tc, parse_v5_steps);
    tcase_add_test(tc, errors_for_v5_syntax);
    tcase_add_test(tc, match_properties);
    tcase_add_test(tc, match_repeated_identifiers_in_any_order);
    tcase_add_test(tc, build_reason_codes_and_options);
    suite_add_tcase(s, tc);
    return s;
}
