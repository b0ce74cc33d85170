/* The session generator: valid multi-client sessions built from the suite's own steps (connect,
 * subscribe, publish at each QoS with its acknowledgements, retained messages, wills, session
 * resumption, takeover by client id, 5.0 properties, AUTH, disconnect and drop). */
#ifndef BF_GEN_H
#define BF_GEN_H

#include "bf_rng.h"
#include "bf_session.h"

typedef struct bf_gen_opts {
    mqtt_version version;
    unsigned clients;   /* at most this many connections (1..BF_MAX_CLIENTS) */
    unsigned max_steps; /* actions after the first CONNECTs (<= BF_MAX_STEPS - clients) */
    const char *username; /* sent in every CONNECT when set (a broker that requires a password) */
    const char *password;
} bf_gen_opts;

/* Fill *s with a fresh valid session; tag makes its client ids and topics unique. */
void bf_gen_session(bf_rng *r, const bf_gen_opts *o, uint32_t tag, bf_session *s);

/* The topic root of a session: "fz/<tag as 8 hex>/". */
void bf_gen_topic_root(uint32_t tag, char out[16]);

#endif
