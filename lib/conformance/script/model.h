/* The test model a script parses into: a suite of tests, each a list of steps on named connections. */
#ifndef CF_MODEL_H
#define CF_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "lexer.h"
#include "mqtt/types.h"

typedef enum cf_step_kind {
    CF_STEP_OPEN,       /* open C: TCP connection only */
    CF_STEP_CONNECT,    /* connect C fields: open, CONNECT, expect CONNACK 0 */
    CF_STEP_SEND,       /* send C TYPE fields */
    CF_STEP_RAW,        /* send C raw bytes… */
    CF_STEP_EXPECT,     /* expect C outcome [| outcome …] */
    CF_STEP_DISCONNECT, /* disconnect C [fields]: DISCONNECT, then wait for the broker to close */
    CF_STEP_CLOSE,      /* close C: drop the connection without DISCONNECT */
    CF_STEP_SYNC,       /* sync C: PINGREQ / PINGRESP round trip */
    CF_STEP_WS          /* ws C ACTION: how later sends are framed over WebSocket (section 6 tests) */
} cf_step_kind;

/* The capability a WebSocket run has: tests of section 6 need it, and are skipped over TCP or TLS. */
#define CF_CAP_WEBSOCKET "websocket"

/* What a ws step changes on its connection; it lasts until changed, across reopening. */
typedef enum cf_ws_action {
    CF_WS_SPLIT,    /* split=N: each send cut into binary messages of at most N bytes (0: one a send) */
    CF_WS_FRAGMENT, /* fragment=N: each send one binary message in fragments of at most N bytes */
    CF_WS_HOLD,     /* hold: keep what is sent ... */
    CF_WS_FLUSH,    /* flush: ... and send it all in one frame */
    CF_WS_TEXT,     /* text: data goes in text frames (which MQTT forbids [MQTT-6.0.0-1]) */
    CF_WS_BINARY    /* binary: back to binary frames */
} cf_ws_action;

typedef enum cf_outcome_kind {
    CF_OUT_PACKET,  /* a packet of a type whose fields match */
    CF_OUT_CLOSED,  /* the broker closes the connection */
    CF_OUT_NOTHING, /* no packet at all within the window */
    CF_OUT_NO       /* no packet of the type (matching the fields) within the window */
} cf_outcome_kind;

/* Which received packet a packet outcome looks at. */
typedef enum cf_match_mode {
    CF_MATCH_FIRST, /* the oldest unconsumed packet of the type must match */
    CF_MATCH_ANY,   /* any unconsumed packet of the type that matches */
    CF_MATCH_NEXT   /* the oldest unconsumed packet of any type must be this */
} cf_match_mode;

typedef struct cf_outcome {
    cf_outcome_kind kind;
    cf_match_mode mode;
    mqtt_packet_type type;
    const cf_token *args;
    size_t nargs;
} cf_outcome;

typedef struct cf_step {
    cf_step_kind kind;
    int line;
    const char *conn;
    mqtt_packet_type type;  /* SEND */
    const cf_token *args;   /* SEND, CONNECT: fields; RAW: byte tokens */
    size_t nargs;
    bool unchecked;         /* SEND: encode without the codec's checks */
    cf_ws_action ws;        /* WS: what it changes */
    unsigned ws_size;       /* WS split / fragment: bytes a frame */
    const cf_outcome *outcomes; /* EXPECT */
    size_t noutcomes;
    int within_ms;          /* EXPECT: -1 for the default */
    int grace_ms;           /* EXPECT: tolerance band for a timed outcome (0: none), see expect_step */
    /* The statements this step observes ("[MQTT-… …]" at the end of its line): they fail only when
     * this step fails. A step observing none is setup: its failure leaves them not reached. */
    const char **observes;
    size_t nobserves;
} cf_step;

typedef struct cf_test {
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
    const cf_step *steps;
    size_t nsteps;
} cf_test;

typedef struct cf_suite {
    cf_test *tests;
    size_t ntests;
    size_t cap;
} cf_suite;

#endif
