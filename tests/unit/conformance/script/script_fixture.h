/* Fixture shared by the conformance-script unit tests (test_script_*.c): the arena, suite and error
 * buffer a parse fills, emptied around every test, and the parse and error assertions on them. */
#ifndef MQTK_TEST_SCRIPT_FIXTURE_H
#define MQTK_TEST_SCRIPT_FIXTURE_H

#include "base/arena.h"
#include "mqtt/codec.h"
#include "conformance/script/script.h"
#include "base/strbuf.h"

extern base_arena arena;
extern cs_suite suite;
extern base_strbuf errs;

/* tcase_add_checked_fixture(tc, script_fixture_setup, script_fixture_teardown) */
void script_fixture_setup(void);
void script_fixture_teardown(void);

/* Parse text as the script file "t.mqtt" of area "area" for protocol version v; returns the error count. */
int parse_script(const char *text, mqtt_version v);
/* The parse fails and its error messages contain expected. */
void assert_script_error(const char *text, mqtt_version v, const char *expected);

#endif
