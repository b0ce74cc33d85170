/* The executor: plays a session against one broker over the runner's connections (every wait
 * bounded), acknowledges what the broker delivers, and judges every answer with the oracles:
 * a packet the broker must close the connection on (the codec refuses it, a second CONNECT, a
 * first packet that is not CONNECT, a refused CONNECT), malformed broker output (strict decoding,
 * the client's Maximum Packet Size and Topic Alias Maximum), acknowledgement type and packet id,
 * delivery at the highest granted QoS, nothing after an unsubscribe. */
#ifndef BF_EXEC_H
#define BF_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "bf_session.h"
#include "net/transport.h"

typedef enum bf_oracle {
    BF_OR_NONE = 0,
    BF_OR_MUST_CLOSE,    /* the broker kept the connection open (and answered) after what it must close on */
    BF_OR_MALFORMED_OUT, /* the broker sent a packet the codec refuses, or over the client's limits */
    BF_OR_ACK,           /* wrong or missing acknowledgement */
    BF_OR_DELIVERY_QOS,  /* delivered below the highest QoS granted, or above the granted one */
    BF_OR_AFTER_UNSUB,   /* delivered for a subscription that was removed */
    BF_OR_TAKEOVER,      /* the older connection of a client id taken over stayed open */
    BF_OR_HANG,          /* a fresh client cannot CONNECT and PINGREQ in time */
    BF_OR_CRASH,         /* the broker process died or reported a sanitizer error */
    BF_OR_COUNT
} bf_oracle;

const char *bf_oracle_name(unsigned o);

typedef struct bf_finding {
    unsigned oracle;
    const char *statement; /* the statement a broker breaks (binds the server); NULL: none */
    int step;              /* the step after which it shows (-1: the session as a whole) */
    uint8_t client;
    uint8_t sent_type;     /* type nibble of the step's first byte */
    uint8_t got_type;      /* the broker's packet that shows it (0: none, e.g. no close) */
    unsigned codec_err;    /* MUST_CLOSE: what the codec refused in the step; MALFORMED_OUT: in the answer */
    uint8_t want_type;     /* ACK: the acknowledgement due */
    uint16_t want_pid;
    uint8_t want_qos;      /* DELIVERY_QOS: the QoS due */
    char topic[64];        /* DELIVERY_*: the topic published */
    char what[320];        /* one line a developer reads */
} bf_finding;

/* Everything sent and received, for the pcap. */
typedef struct bf_event {
    uint8_t client;
    uint8_t dir;   /* 0 client to broker, 1 broker to client, 2 open, 3 close */
    uint16_t len;
    int64_t at_us;
    uint8_t *bytes;
} bf_event;

typedef struct bf_result {
    uint64_t sig[BF_MAX_STEPS]; /* per step: what the broker answered (types, reason codes, closes) */
    unsigned nsig;
    char answers[BF_MAX_STEPS][72]; /* per step, for people: "c0 PUBACK 00, c0 PINGRESP" (opts.describe) */
    bool found;
    bf_finding f;
    unsigned sent, received; /* packets */
    bool unreachable;        /* no TCP connection opened */
    bool stalled;            /* a bounded wait ran out with the connection open */
    char note[200];          /* unreachable: why */
    bf_event *events;        /* when recording */
    size_t nevents, evcap;
} bf_result;

typedef struct bf_exec_opts {
    const net_target *target;
    int timeout_ms;     /* each bounded wait (answers, closes) */
    bool record;        /* keep the events for a pcap */
    bool delivery_known; /* a delivery-below-QoS finding is known: do not wait for the due copy again */
    bool timing;         /* add each step's timing class to its signature (runs then depend on timing) */
    bool describe;       /* write each step's answers for people (res->answers: a differential run's report) */
} bf_exec_opts;

/* Play s; fills *res (free it with bf_result_free). Returns 0, or -1 when nothing could be opened. */
int bf_exec_session(const bf_session *s, const bf_exec_opts *o, bf_result *res);
void bf_result_free(bf_result *res);

/* What makes two findings the same: oracle, statement, packet type sent and received, codec rule. */
uint64_t bf_finding_key(const bf_finding *f);

/* The statement an oracle cites in a version (the deciding one, binding the server). */
const char *bf_oracle_statement(unsigned oracle, unsigned variant, mqtt_version v);
enum { BF_ST_NONE = 100, BF_ST_GENERIC = 0, BF_ST_FLAGS, BF_ST_SECOND_CONNECT, BF_ST_REFUSED_CONNECT, BF_ST_PUB_ACK_ID,
       BF_ST_SUB_ACK_ID, BF_ST_PUB_ACK_MISSING, BF_ST_SUBACK_MISSING, BF_ST_UNSUBACK_MISSING, BF_ST_OVER_GRANTED, BF_ST_NO_LOCAL };

#endif
