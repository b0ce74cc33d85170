/* Mutators: one change to a valid session at a time. Field mutations decode the step with the
 * codec and write it back (unchecked encoder, or a patch of the same length); byte mutations touch
 * the framing (flags, Remaining Length, Variable Byte Integer forms, truncation, garbage); order
 * mutations duplicate, drop, swap and split steps. */
#ifndef BF_MUTATE_H
#define BF_MUTATE_H

#include "bf_rng.h"
#include "bf_session.h"

typedef enum bf_mutation {
    BF_MUT_NONE = 0,
    BF_MUT_FLAGS,         /* reserved fixed-header flags, or PUBLISH QoS bits 11 */
    BF_MUT_QOS3,          /* QoS 3 in a subscription's options or a will */
    BF_MUT_PID0,          /* packet identifier 0 */
    BF_MUT_BAD_UTF8,      /* ill-formed UTF-8 or U+0000 in a topic, filter or client id */
    BF_MUT_WILDCARD,      /* a wildcard in a PUBLISH topic name */
    BF_MUT_PROP_INJECT,   /* a property of any id (known or not) appended to a 5.0 list */
    BF_MUT_PROP_REPEAT,   /* a property of the list repeated */
    BF_MUT_PROP_LEN,      /* the Property Length made non-minimal or wrong */
    BF_MUT_VBI,           /* the Remaining Length written non-minimally or with 5 bytes */
    BF_MUT_LEN_DELTA,     /* the Remaining Length off by a few bytes */
    BF_MUT_TRUNCATE,      /* the body cut short (length consistent) */
    BF_MUT_APPEND,        /* garbage after the last field (length consistent) */
    BF_MUT_BITFLIP,       /* one bit of the body flipped */
    BF_MUT_CONNECT_FLAGS, /* reserved bit, password or will bits that do not match the payload */
    BF_MUT_PROTOCOL,      /* protocol name or level */
    BF_MUT_SHARED_NL,     /* a shared subscription with No Local */
    BF_MUT_EMPTY_LIST,    /* SUBSCRIBE / UNSUBSCRIBE without filters */
    BF_MUT_TYPE,          /* packet type 0 (or AUTH before 5.0) */
    BF_MUT_DUP,           /* the step sent twice */
    BF_MUT_DROP,          /* the step left out */
    BF_MUT_SWAP,          /* the step swapped with the next */
    BF_MUT_SPLIT,         /* the step written in several pieces */
    BF_MUT_COUNT
} bf_mutation;

const char *bf_mutation_name(unsigned m);
/* Apply mutation m to step i. false when it does not apply there (the session is unchanged). */
bool bf_mutate_step(bf_rng *r, bf_session *s, size_t i, unsigned m);
/* Apply one mutation at a random step; returns it (BF_MUT_NONE when none applied in a few tries). */
unsigned bf_mutate(bf_rng *r, bf_session *s);

/* Fixed header of a step's bytes: the Remaining Length it claims, and the header's size. false when
 * the bytes do not hold a whole header. */
bool bf_step_header(const bf_step *st, uint32_t *remaining, unsigned *header_len);

#endif
