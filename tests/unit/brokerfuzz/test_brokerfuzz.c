/* The broker fuzzer's pure parts (lib/brokerfuzz): the generator builds valid sessions and replays
 * them exactly for a seed, each mutator breaks the rule it is named for (as the codec judges), the
 * order mutators change the steps, retagging and compaction keep sessions consistent, and the
 * minimizer finds the smallest session a predicate still holds for, and the must-close oracle
 * judges only packets the standard makes the broker close on. */
#include <stdio.h>
#include <string.h>

#include "brokerfuzz/bf_gen.h"
#include "brokerfuzz/bf_minimize.h"
#include "brokerfuzz/bf_mutate.h"
#include "brokerfuzz/bf_verdict.h"
#include "support.h"

static void gen(uint64_t seed, mqtt_version v, unsigned clients, bf_session *s)
{
    bf_rng r;
    bf_rng_seed(&r, seed);
    bf_gen_opts o = {v, clients, 12, NULL, NULL};
    bf_gen_session(&r, &o, (uint32_t)seed * 2654435761u, s);
}

static bool step_valid(const bf_session *s, size_t i)
{
    mqtt_packet p;
    mqtt_frame f;
    return bf_step_decode(s, &s->steps[i], &p, &f) == MQTT_COMPLETE && f.packet_len == s->steps[i].len;
}

/* Every generated step is a packet the strict decoder accepts, each connection starts with CONNECT. */
START_TEST(generated_sessions_are_valid)
{
    static bf_session s;
    for (uint64_t seed = 1; seed <= 400; seed++) {
        mqtt_version v = seed & 1 ? MQTT_V5 : MQTT_V311;
        gen(seed, v, 1 + (unsigned)(seed % 4), &s);
        ck_assert_int_eq(s.version, v);
        ck_assert_uint_ge(s.nsteps, 2);
        ck_assert_uint_le(s.nclients, 1 + seed % 4);
        bool started[BF_MAX_CLIENTS] = {false};
        for (size_t i = 0; i < s.nsteps; i++) {
            const bf_step *st = &s.steps[i];
            ck_assert_uint_eq(st->mutation, BF_MUT_NONE);
            if (st->kind == BF_DROP)
                continue;
            ck_assert_msg(step_valid(&s, i), "seed %llu step %zu does not decode", (unsigned long long)seed, i);
            if (!started[st->client])
                ck_assert_uint_eq(st->bytes[0] >> 4, MQTT_CONNECT);
            started[st->client] = true;
        }
    }
}
END_TEST

/* A seed replays a session byte for byte; another seed gives another session. */
START_TEST(generation_is_reproducible)
{
    static bf_session a, b, c;
    gen(42, MQTT_V5, 3, &a);
    gen(42, MQTT_V5, 3, &b);
    gen(43, MQTT_V5, 3, &c);
    ck_assert_uint_eq(a.nsteps, b.nsteps);
    ck_assert(memcmp(a.steps, b.steps, a.nsteps * sizeof a.steps[0]) == 0);
    ck_assert(a.nsteps != c.nsteps || memcmp(a.steps, c.steps, a.nsteps * sizeof a.steps[0]) != 0);
}
END_TEST

/* The session's steps cover what the suite does: subscribe, publish at every QoS, release, will, 5.0 AUTH. */
START_TEST(generator_covers_the_suite_steps)
{
    static bf_session s;
    bool type_seen[16] = {false}, qos_seen[3] = {false}, will = false, drop = false;
    for (uint64_t seed = 1; seed <= 300; seed++) {
        gen(seed, MQTT_V5, 3, &s);
        for (size_t i = 0; i < s.nsteps; i++) {
            mqtt_packet p;
            mqtt_frame f;
            if (s.steps[i].kind == BF_DROP) {
                drop = true;
                continue;
            }
            ck_assert_int_eq(bf_step_decode(&s, &s.steps[i], &p, &f), MQTT_COMPLETE);
            type_seen[p.type] = true;
            if (p.type == MQTT_PUBLISH)
                qos_seen[p.u.publish.qos] = true;
            if (p.type == MQTT_CONNECT && p.u.connect.will)
                will = true;
        }
    }
    const mqtt_packet_type want[] = {MQTT_CONNECT, MQTT_PUBLISH, MQTT_PUBREL, MQTT_SUBSCRIBE, MQTT_UNSUBSCRIBE,
                                     MQTT_PINGREQ, MQTT_DISCONNECT, MQTT_AUTH, MQTT_PUBACK};
    for (size_t i = 0; i < ARRAY_LEN(want); i++)
        ck_assert_msg(type_seen[want[i]], "no %s generated", mqtt_packet_type_name(want[i]));
    ck_assert(qos_seen[0] && qos_seen[1] && qos_seen[2]);
    ck_assert(will && drop);
}
END_TEST

/* A session with one client: CONNECT, then one packet of the given type. */
static void two_steps(bf_session *s, mqtt_version v, mqtt_packet_type type)
{
    memset(s, 0, sizeof *s);
    s->version = v;
    s->tag = 0x1234abcd;
    uint8_t payload[64];
    mqtt_packet p = {0};
    p.type = MQTT_CONNECT;
    p.u.connect.clean_start = true;
    p.u.connect.client_id = mqtt_cstr("fz1234abcdc0");
    ck_assert(bf_session_add_packet(s, 0, &p, false));
    memset(&p, 0, sizeof p);
    p.type = type;
    if (type == MQTT_PUBLISH) {
        p.u.publish.topic = mqtt_cstr("fz/1234abcd/a");
        p.u.publish.qos = 1;
        p.u.publish.packet_id = 7;
        p.u.publish.payload = mqtt_cstr("m1xx");
    } else if (type == MQTT_SUBSCRIBE) {
        mqtt_subscription sub = {mqtt_cstr("fz/1234abcd/+"), 1, false, false, 0};
        p.u.subscribe.packet_id = 3;
        ck_assert_int_eq(mqtt_subscribe_payload_write(&p.u.subscribe, &sub, 1, payload, sizeof payload), MQTT_OK);
    } else if (type == MQTT_PUBACK)
        p.u.ack.packet_id = 1;
    ck_assert(bf_session_add_packet(s, 0, &p, false));
}

static mqtt_err refusal(const bf_session *s, size_t i)
{
    mqtt_packet p;
    mqtt_frame f;
    mqtt_result r = bf_step_decode(s, &s->steps[i], &p, &f);
    return r == MQTT_MALFORMED ? f.error.code : r == MQTT_NEED_MORE ? MQTT_ERR_TRUNCATED : MQTT_OK;
}

typedef struct mutation_row {
    mqtt_version v;
    mqtt_packet_type type;
    unsigned mutation;
    mqtt_err want; /* MQTT_OK: any refusal */
} mutation_row;

static const mutation_row mutation_rows[] = {
    {MQTT_V311, MQTT_PINGREQ, BF_MUT_FLAGS, MQTT_ERR_BAD_FIXED_HEADER_FLAGS},
    {MQTT_V311, MQTT_PUBACK, BF_MUT_FLAGS, MQTT_ERR_BAD_FIXED_HEADER_FLAGS},
    {MQTT_V311, MQTT_PUBLISH, BF_MUT_FLAGS, MQTT_ERR_PUBLISH_QOS_3},
    {MQTT_V311, MQTT_PUBLISH, BF_MUT_PID0, MQTT_ERR_PACKET_ID_ZERO},
    {MQTT_V311, MQTT_SUBSCRIBE, BF_MUT_PID0, MQTT_ERR_PACKET_ID_ZERO},
    {MQTT_V311, MQTT_SUBSCRIBE, BF_MUT_QOS3, MQTT_ERR_SUBSCRIBE_QOS_3},
    {MQTT_V311, MQTT_PUBLISH, BF_MUT_WILDCARD, MQTT_ERR_TOPIC_WILDCARD},
    {MQTT_V311, MQTT_SUBSCRIBE, BF_MUT_EMPTY_LIST, MQTT_ERR_NO_TOPIC_FILTERS},
    {MQTT_V5, MQTT_SUBSCRIBE, BF_MUT_SHARED_NL, MQTT_ERR_SHARED_NO_LOCAL},
    {MQTT_V5, MQTT_PUBLISH, BF_MUT_VBI, MQTT_OK},
    {MQTT_V5, MQTT_PUBLISH, BF_MUT_PROP_LEN, MQTT_OK},
    {MQTT_V311, MQTT_PUBACK, BF_MUT_TRUNCATE, MQTT_ERR_WRONG_REMAINING_LENGTH}, /* a payload cut short can stay valid */
    {MQTT_V311, MQTT_PUBACK, BF_MUT_APPEND, MQTT_ERR_WRONG_REMAINING_LENGTH},
    {MQTT_V311, MQTT_PINGREQ, BF_MUT_TYPE, MQTT_OK},
};

/* Each field and byte mutator makes the packet one the codec refuses, for the rule it is named for. */
START_TEST(mutators_break_their_rule)
{
    const mutation_row *row = &mutation_rows[_i];
    static bf_session s;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        two_steps(&s, row->v, row->type);
        ck_assert(step_valid(&s, 1));
        bf_rng r;
        bf_rng_seed(&r, seed);
        ck_assert_msg(bf_mutate_step(&r, &s, 1, row->mutation), "%s does not apply to %s",
                      bf_mutation_name(row->mutation), mqtt_packet_type_name(row->type));
        ck_assert_uint_eq(s.steps[1].mutation, row->mutation);
        mqtt_err e = refusal(&s, 1);
        if (row->want == MQTT_OK)
            ck_assert_msg(e != MQTT_OK, "%s left a valid packet", bf_mutation_name(row->mutation));
        else
            ck_assert_msg(e == row->want, "%s gave %s", bf_mutation_name(row->mutation), mqtt_err_name(e));
        ck_assert(step_valid(&s, 0)); /* the CONNECT before it is untouched */
    }
}
END_TEST

/* Mutators that do not fit a packet leave the session as it was. */
START_TEST(mutators_refuse_what_does_not_fit)
{
    static bf_session s, before;
    two_steps(&s, MQTT_V311, MQTT_PINGREQ);
    before = s;
    bf_rng r;
    bf_rng_seed(&r, 1);
    ck_assert(!bf_mutate_step(&r, &s, 1, BF_MUT_PID0));
    ck_assert(!bf_mutate_step(&r, &s, 1, BF_MUT_PROP_INJECT)); /* 3.1.1: no properties */
    ck_assert(!bf_mutate_step(&r, &s, 1, BF_MUT_SHARED_NL));
    ck_assert(!bf_mutate_step(&r, &s, 9, BF_MUT_FLAGS));
    ck_assert(memcmp(&s, &before, sizeof s) == 0);
}
END_TEST

/* 5.0 property mutators: an injected id or a repeated one, written back with exact lengths. */
START_TEST(property_mutators)
{
    static bf_session s;
    int refused = 0;
    for (uint64_t seed = 1; seed <= 60; seed++) {
        two_steps(&s, MQTT_V5, MQTT_PUBLISH);
        bf_rng r;
        bf_rng_seed(&r, seed);
        ck_assert(bf_mutate_step(&r, &s, 1, BF_MUT_PROP_INJECT));
        uint32_t rl;
        unsigned h;
        ck_assert(bf_step_header(&s.steps[1], &rl, &h));
        ck_assert_uint_eq(rl + h, s.steps[1].len);
        refused += refusal(&s, 1) != MQTT_OK;
        /* a repeat of what is there now */
        if (step_valid(&s, 1)) {
            ck_assert(bf_mutate_step(&r, &s, 1, BF_MUT_PROP_REPEAT));
            ck_assert(bf_step_header(&s.steps[1], &rl, &h));
            ck_assert_uint_eq(rl + h, s.steps[1].len);
        }
    }
    /* most ids are not allowed in a PUBLISH from a client */
    ck_assert_int_gt(refused, 30);
}
END_TEST

START_TEST(order_mutators)
{
    static bf_session s;
    bf_rng r;
    bf_rng_seed(&r, 3);
    two_steps(&s, MQTT_V311, MQTT_PUBLISH);
    ck_assert(bf_mutate_step(&r, &s, 1, BF_MUT_DUP));
    ck_assert_uint_eq(s.nsteps, 3);
    ck_assert(memcmp(s.steps[1].bytes, s.steps[2].bytes, s.steps[1].len) == 0);
    ck_assert(bf_mutate_step(&r, &s, 0, BF_MUT_SWAP));
    ck_assert_uint_eq(s.steps[1].bytes[0] >> 4, MQTT_CONNECT);
    ck_assert(bf_mutate_step(&r, &s, 2, BF_MUT_SPLIT));
    ck_assert_uint_ge(s.steps[2].splits, 2);
    ck_assert(bf_mutate_step(&r, &s, 2, BF_MUT_DROP));
    ck_assert_uint_eq(s.nsteps, 2);
    /* bf_mutate always lands somewhere on a real session */
    for (uint64_t seed = 1; seed <= 100; seed++) {
        gen(seed, seed & 1 ? MQTT_V5 : MQTT_V311, 3, &s);
        bf_rng_seed(&r, seed);
        ck_assert_uint_ne(bf_mutate(&r, &s), BF_MUT_NONE);
    }
}
END_TEST

/* Retagging changes every client id and topic together; compaction renumbers connections. */
START_TEST(retag_and_compact)
{
    static bf_session s;
    gen(5, MQTT_V311, 3, &s);
    char old[9], fresh[9];
    snprintf(old, sizeof old, "%08x", (unsigned)s.tag);
    bf_session_retag(&s, 0xfeedbeef);
    snprintf(fresh, sizeof fresh, "%08x", 0xfeedbeefu);
    size_t hits = 0;
    for (size_t i = 0; i < s.nsteps; i++) {
        ck_assert(memmem(s.steps[i].bytes, s.steps[i].len, old, 8) == NULL);
        hits += memmem(s.steps[i].bytes, s.steps[i].len, fresh, 8) != NULL;
        if (s.steps[i].kind == BF_SEND)
            ck_assert(step_valid(&s, i));
    }
    ck_assert_uint_ge(hits, 2);
    s.nsteps = 0;
    s.nclients = 0;
    bf_session_add_drop(&s, 3);
    bf_session_add_drop(&s, 1);
    bf_session_add_drop(&s, 3);
    bf_session_compact_clients(&s);
    ck_assert_uint_eq(s.steps[0].client, 0);
    ck_assert_uint_eq(s.steps[1].client, 1);
    ck_assert_uint_eq(s.steps[2].client, 0);
    ck_assert_uint_eq(s.nclients, 2);
}
END_TEST

/* The model of a broker deviation: a PINGREQ with bad flags after a CONNECT on the same connection. */
static bool model_pingreq_flags(const bf_session *s, void *arg)
{
    unsigned *calls = arg;
    (*calls)++;
    bool connected[BF_MAX_CLIENTS] = {false};
    for (size_t i = 0; i < s->nsteps; i++) {
        const bf_step *st = &s->steps[i];
        if (st->kind != BF_SEND || !st->len)
            continue;
        if (st->bytes[0] >> 4 == MQTT_CONNECT)
            connected[st->client] = true;
        if (st->bytes[0] >> 4 == MQTT_PINGREQ && (st->bytes[0] & 15) && connected[st->client])
            return true;
    }
    return false;
}

START_TEST(minimizer_finds_the_smallest_session)
{
    static bf_session s;
    for (uint64_t seed = 1; seed <= 30; seed++) {
        gen(seed, MQTT_V311, 3, &s);
        /* plant the deviation's trigger in the middle, on the connection of the first step */
        mqtt_packet ping = {0};
        ping.type = MQTT_PINGREQ;
        ck_assert(bf_session_add_packet(&s, s.steps[0].client, &ping, false));
        s.steps[s.nsteps - 1].bytes[0] |= 0x02;
        bf_rng r;
        bf_rng_seed(&r, seed);
        for (int k = 0; k < 3; k++)
            bf_mutate_step(&r, &s, bf_rng_below(&r, s.nsteps - 1), BF_MUT_SPLIT);
        unsigned calls = 0;
        ck_assert(model_pingreq_flags(&s, &calls));
        size_t before = bf_session_bytes(&s);
        unsigned runs = bf_minimize(&s, model_pingreq_flags, &calls, 500);
        ck_assert_uint_eq(runs + 1, calls);
        ck_assert(model_pingreq_flags(&s, &calls));
        ck_assert_uint_eq(s.nsteps, 2);
        ck_assert_uint_eq(bf_session_clients_used(&s), 1 + s.steps[0].client);
        ck_assert_uint_eq(s.steps[0].bytes[0] >> 4, MQTT_CONNECT);
        ck_assert_uint_eq(s.steps[1].bytes[0], 0xc2);
        ck_assert_uint_lt(bf_session_bytes(&s), before);
    }
}
END_TEST

static bool never(const bf_session *s, void *arg)
{
    (void)s;
    (*(unsigned *)arg)++;
    return false;
}

/* A predicate that never holds changes nothing; the budget of runs is kept. */
START_TEST(minimizer_keeps_its_budget)
{
    static bf_session s, before;
    gen(9, MQTT_V5, 4, &s);
    before = s;
    unsigned calls = 0;
    unsigned runs = bf_minimize(&s, never, &calls, 7);
    ck_assert_uint_eq(runs, 7);
    ck_assert_uint_eq(calls, 7);
    ck_assert(memcmp(&s, &before, sizeof s) == 0);
}
END_TEST


/* What the must-close oracle rests on, for packets the codec refuses: a statement that makes the
 * receiver close, or none when the broken rule binds only the sender. */
typedef struct verdict_row {
    mqtt_version v;
    uint8_t bytes[40];
    size_t len;
    const char *want; /* NULL: not judged */
} verdict_row;

static const verdict_row verdict_rows[] = {
    /* 3.1.1 PINGREQ with a flag bit: the receiver must close [MQTT-2.2.2-2] */
    {MQTT_V311, {0xC1, 0x00}, 2, "MQTT-2.2.2-2"},
    /* 5.0 PUBREL flags: its own rule makes the server close */
    {MQTT_V5, {0x60, 0x02, 0x00, 0x01}, 4, "MQTT-3.6.1-1"},
    /* 5.0 PUBLISH with both QoS bits: a Malformed Packet, closed by [MQTT-4.13.1-1] */
    {MQTT_V5, {0x36, 0x06, 0x00, 0x01, 't', 0x00, 0x01, 0x00}, 8, "MQTT-4.13.1-1"},
    /* 5.0 PUBACK with a reason code no table defines: binds the sender only */
    {MQTT_V5, {0x40, 0x03, 0x00, 0x01, 0x05}, 5, NULL},
    /* 5.0 PUBLISH with a wildcard topic name: binds the sender only */
    {MQTT_V5, {0x30, 0x04, 0x00, 0x01, '#', 0x00}, 6, NULL},
    /* 3.1.1 QoS 0 PUBLISH with DUP: binds the sender only */
    {MQTT_V311, {0x38, 0x03, 0x00, 0x01, 't'}, 5, NULL},
    /* 3.1.1 SUBSCRIBE with packet id 0: binds the sender only */
    {MQTT_V311, {0x82, 0x06, 0x00, 0x00, 0x00, 0x01, 't', 0x00}, 8, NULL},
    /* 3.1.1 SUBSCRIBE asking QoS 3: the server must close [MQTT-3.8.3-4] */
    {MQTT_V311, {0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 't', 0x03}, 8, "MQTT-3.8.3-4"},
    /* 3.1.1 CONNECT with Will QoS but no Will: the server validates CONNECT [MQTT-3.1.4-1] */
    {MQTT_V311, {0x10, 0x0d, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x0a, 0x00, 0x3c, 0x00, 0x01, 'c'}, 15,
     "MQTT-3.1.4-1"},
    /* 5.0 CONNECT with a Remaining Length in two bytes where one does: binds the sender only */
    {MQTT_V5, {0x10, 0x8e, 0x00, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x02, 0x00, 0x3c, 0x00, 0x00, 0x01, 'c'}, 17,
     NULL},
    /* a protocol level the broker may speak under another specification: not judged */
    {MQTT_V5, {0x10, 0x0e, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x07, 0x02, 0x00, 0x3c, 0x00, 0x00, 0x01, 'c'}, 16,
     NULL},
};

START_TEST(must_close_rests_on_a_receiver_statement)
{
    const verdict_row *row = &verdict_rows[_i];
    mqtt_decode_opts o = {.version = row->v, .direction = MQTT_DIR_TO_SERVER};
    mqtt_packet p;
    mqtt_frame f;
    ck_assert_int_eq(mqtt_decode(row->bytes, row->len, &o, &p, &f), MQTT_MALFORMED);
    const char *st = f.error.statement ? f.error.statement : mqtt_err_statement(f.error.code, row->v);
    const char *got = bf_close_statement(row->bytes[0] >> 4, f.error.code, st, row->v);
    if (!row->want)
        ck_assert_msg(got == NULL, "row %d (%s): judged by %s", _i, mqtt_err_name(f.error.code), got);
    else
        ck_assert_msg(got && strcmp(got, row->want) == 0, "row %d (%s): want %s, got %s", _i,
                      mqtt_err_name(f.error.code), row->want, got ? got : "none");
}
END_TEST

Suite *unit_suite(void)
{
    Suite *s = suite_create("brokerfuzz");
    TCase *tc = tcase_create("brokerfuzz");
    tcase_add_test(tc, generated_sessions_are_valid);
    tcase_add_test(tc, generation_is_reproducible);
    tcase_add_test(tc, generator_covers_the_suite_steps);
    tcase_add_loop_test(tc, mutators_break_their_rule, 0, (int)ARRAY_LEN(mutation_rows));
    tcase_add_test(tc, mutators_refuse_what_does_not_fit);
    tcase_add_test(tc, property_mutators);
    tcase_add_test(tc, order_mutators);
    tcase_add_test(tc, retag_and_compact);
    tcase_add_test(tc, minimizer_finds_the_smallest_session);
    tcase_add_test(tc, minimizer_keeps_its_budget);
    tcase_add_loop_test(tc, must_close_rests_on_a_receiver_statement, 0, (int)ARRAY_LEN(verdict_rows));
    suite_add_tcase(s, tc);
    return s;
}
