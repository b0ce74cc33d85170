/* The fuzzing loop: generate or take a kept session, mutate it, play it on each broker, keep it
 * when the broker answered something new, and turn each new finding into a minimized script, a
 * pcap and a summary line under the output directory. */
#ifndef BF_FUZZ_H
#define BF_FUZZ_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bf_exec.h"
#include "base/strbuf.h"

typedef struct bf_config {
    const char *brokers[2]; /* HOST:PORT; none: the embedded mosquitto */
    unsigned nbrokers;
    const char *exec_cmd;   /* start the (first) broker with this command */
    const net_opts *transport; /* TLS / WebSocket settings of every --broker (prepared); NULL: none */
    mqtt_version versions[2];
    unsigned nversions;
    double duration_s;      /* 0: no time limit */
    unsigned long sessions; /* 0: no count limit */
    uint64_t seed;
    unsigned clients;
    const char *out_dir;
    const char *username, *password; /* sent in every CONNECT */
    const char *suite_dir;  /* where the statement registries are (copied into out_dir) */
    int timeout_ms;
    double rate;            /* sessions per second at most (0: no limit) */
    bool progress;          /* a live line on stderr */
    bool progress_tty;      /* rewrite it in place */
    bool minimize;
    bool timing_feedback;   /* keep sessions whose timing classes are new too */
    bool edge_coverage;     /* read the --exec broker's AFL++ edge map (bf_cover.h) after each session */
    bool edge_steer;        /* and keep sessions that reach new edges or hit counts */
    FILE *log;              /* finding lines as they come (NULL: none) */
} bf_config;

typedef struct bf_found {
    bf_finding f;
    mqtt_version version;
    unsigned broker;        /* index into brokers */
    char id[16];            /* "fz-<8 hex>" */
    unsigned steps, clients, bytes, runs;
    unsigned long session;  /* the session number that first showed it */
    bool confirmed;         /* the minimized session showed it again */
    char detail[200];       /* crash: how; sanitizer: the report's first line */
} bf_found;

typedef struct bf_stats {
    unsigned long sessions, packets_sent, packets_received, answers, corpus, differs, restarts, duplicates;
    double elapsed_s;
    size_t edges;                 /* edge coverage: edges of the broker hit so far */
    size_t edge_map;              /* edge coverage: the map's size (0: no edge coverage) */
    unsigned long corpus_by_edges; /* sessions kept for new edges or hit counts alone */
    bf_found *found;
    size_t nfound;
    char broker_labels[2][64];
} bf_stats;

/* Run until the duration or session count is reached (or a signal asks to stop: bf_fuzz_stop).
 * -1 with err on a setup error (no broker, output directory). */
int bf_fuzz_run(const bf_config *c, bf_stats *st, base_strbuf *err);
void bf_fuzz_stop(void);
void bf_stats_free(bf_stats *st);

#endif
