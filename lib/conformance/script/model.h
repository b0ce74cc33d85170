/* The test model a script parses into: a suite of tests, each a list of steps on named connections. */
#ifndef CS_MODEL_H
#define CS_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "lexer.h"
#include "mqtt/types.h"

typedef enum cs_step_kind {
    CS_STEP_OPEN,       /* open C: TCP connection only */
    CS_STEP_CONNECT,    /* connect C fields: open, CONNECT, expect CONNACK 0 */
    CS_STEP_SEND,       /* send C TYPE fields */
    CS_STEP_RAW,        /* send C raw bytes… */
    CS_STEP_EXPECT,     /* expect C outcome [| outcome …] */
    CS_STEP_DISCONNECT, /* disconnect C [fields]: DISCONNECT, then wait for the broker to close */
    CS_STEP_CLOSE,      /* close C: drop the connection without DISCONNECT */
    CS_STEP_SYNC,       /* sync C: PINGREQ / PINGRESP round trip */
    CS_STEP_WS          /* ws C ACTION: how later sends are framed over WebSocket (section 6 tests) */
} cs_step_kind;

/* The capability a WebSocket run has: tests of section 6 need it, and are skipped over TCP or TLS. */
#define CS_CAP_WEBSOCKET "websocket"

/* What a ws step changes on its connection; it lasts until changed, across reopening. */
typedef enum cs_ws_action {
    CS_WS_SPLIT,    /* split=N: each send cut into binary messages of at most N bytes (0: one a send) */
    CS_WS_FRAGMENT, /* fragment=N: each send one binary message in fragments of at most N bytes */
    CS_WS_HOLD,     /* hold: keep what is sent ... */
    CS_WS_FLUSH,    /* flush: ... and send it all in one frame */
    CS_WS_TEXT,     /* text: data goes in text frames (which MQTT forbids [MQTT-6.0.0-1]) */
    CS_WS_BINARY    /* binary: back to binary frames */
} cs_ws_action;

typedef enum cs_outcome_kind {
    CS_OUT_PACKET,  /* a packet of a type whose fields match */
    CS_OUT_CLOSED,  /* the broker closes the connection */
    CS_OUT_NOTHING, /* no packet at all within the window */
    CS_OUT_NO       /* no packet of the type (matching the fields) within the window */
} cs_outcome_kind;

/* Which received packet a packet outcome looks at. */
typedef enum cs_match_mode {
    CS_MATCH_FIRST, /* the oldest unconsumed packet of the type must match */
    CS_MATCH_ANY,   /* any unconsumed packet of the type that matches */
    CS_MATCH_NEXT   /* the oldest unconsumed packet of any type must be this */
} cs_match_mode;

typedef struct cs_outcome {
    cs_outcome_kind kind;
    cs_match_mode mode;
    mqtt_packet_type type;
    const cs_token *args;
    size_t nargs;
} cs_outcome;

typedef struct cs_step {
    cs_step_kind kind;
    int line;
    const char *conn;
    mqtt_packet_type type;  /* SEND */
    const cs_token *args;   /* SEND, CONNECT: fields; RAW: byte tokens */
    size_t nargs;
    bool unchecked;         /* SEND: encode without the codec's checks */
    cs_ws_action ws;        /* WS: what it changes */
    unsigned ws_size;       /* WS split / fragment: bytes a frame */
    const cs_outcome *outcomes; /* EXPECT */
    size_t noutcomes;
    int within_ms;          /* EXPECT: -1 for the default */
    int grace_ms;           /* EXPECT: tolerance band for a timed outcome (0: none), see expect_step */
    /* The statements this step observes ("[MQTT-… …]" at the end of its line): they fail only when
     * this step fails. A step observing none is setup: its failure leaves them not reached. */
    const char **observes;
    /* Per observed statement: NULL, or the field ("dup" in "[dup:MQTT-3.3.1-1]") whose comparison
     * alone observes it. When the packet came and differed only in such fields, just the statements
     * of those fields fail; the step's others saw what they needed (EXPECT with one packet outcome, or
     * CONNECT's "sp"). */
    const char **observe_fields;
    size_t nobserves;
} cs_step;

typedef struct cs_test {
    const char *id;    /* "3.1.1/area/name" */
    const char *name;
    const char *area;
    const char *file;
    int line;
    mqtt_version version;
    const char **statements;
    size_t nstatements;
    const char **needs;
    size_t nneeds;
    const char **conns; /* every connection name the test uses */
    size_t nconns;
    int timeout_ms;     /* 0: the run's default */
    const cs_step *steps;
    size_t nsteps;
} cs_test;

typedef struct cs_suite {
    cs_test *tests;
    size_t ntests;
    size_t cap;
} cs_suite;

#endif
