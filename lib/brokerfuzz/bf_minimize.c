#include "bf_minimize.h"

#include <stdlib.h>
#include <string.h>

typedef struct budget {
    bf_still_fn still;
    void *arg;
    unsigned runs, max;
} budget;

static bool try_candidate(budget *b, bf_session *s, const bf_session *cand)
{
    if (b->runs >= b->max)
        return false;
    b->runs++;
    if (!b->still(cand, b->arg))
        return false;
    *s = *cand;
    return true;
}

/* A valid PUBLISH with its payload cut to the key ("m<n>") and no properties it does not need. */
static bool shrink_publish(const bf_session *s, bf_step *st)
{
    mqtt_packet p;
    mqtt_frame f;
    if (st->kind != BF_SEND || bf_step_decode(s, st, &p, &f) != MQTT_COMPLETE || f.packet_len != st->len ||
        p.type != MQTT_PUBLISH)
        return false;
    uint32_t keep = 1;
    while (keep < p.u.publish.payload.len && p.u.publish.payload.data[keep] >= '0' &&
           p.u.publish.payload.data[keep] <= '9')
        keep++;
    if (keep >= p.u.publish.payload.len)
        return false;
    uint8_t tmp[BF_MAX_STEP_BYTES];
    p.u.publish.payload.len = keep;
    mqtt_encode_opts o = {s->version, MQTT_DIR_TO_SERVER, 0};
    size_t n = 0;
    if (mqtt_encode(&p, &o, tmp, sizeof tmp, &n, NULL) != MQTT_OK)
        return false;
    memcpy(st->bytes, tmp, n);
    st->len = (uint16_t)n;
    return true;
}

/* A valid CONNECT without its will and properties (what most findings do not need). */
static bool shrink_connect(const bf_session *s, bf_step *st)
{
    mqtt_packet p;
    mqtt_frame f;
    if (st->kind != BF_SEND || bf_step_decode(s, st, &p, &f) != MQTT_COMPLETE || f.packet_len != st->len ||
        p.type != MQTT_CONNECT)
        return false;
    mqtt_connect *c = &p.u.connect;
    if (!c->will && !c->props.len)
        return false;
    c->will = c->will_retain = false;
    c->will_qos = 0;
    c->will_topic = c->will_payload = (mqtt_bytes){NULL, 0};
    c->will_props = c->props = (mqtt_props){NULL, 0};
    uint8_t tmp[BF_MAX_STEP_BYTES];
    mqtt_encode_opts o = {s->version, MQTT_DIR_TO_SERVER, 0};
    size_t n = 0;
    if (mqtt_encode(&p, &o, tmp, sizeof tmp, &n, NULL) != MQTT_OK)
        return false;
    memcpy(st->bytes, tmp, n);
    st->len = (uint16_t)n;
    return true;
}

unsigned bf_minimize(bf_session *s, bf_still_fn still, void *arg, unsigned max_runs)
{
    budget b = {still, arg, 0, max_runs};
    bf_session *cand = malloc(sizeof *cand);
    if (!cand)
        return 0;
    /* whole clients first: the cheapest way to drop many steps */
    for (int c = (int)bf_session_clients_used(s) - 1; c >= 0; c--) {
        *cand = *s;
        bool any = false;
        for (size_t i = cand->nsteps; i-- > 0;)
            if (cand->steps[i].client == c) {
                bf_session_remove(cand, i);
                any = true;
            }
        if (any && cand->nsteps)
            try_candidate(&b, s, cand);
    }
    /* then single steps, from the end, until a pass removes nothing */
    bool changed = true;
    while (changed && b.runs < b.max) {
        changed = false;
        for (size_t i = s->nsteps; i-- > 0 && b.runs < b.max;) {
            if (s->nsteps < 2)
                break;
            *cand = *s;
            bf_session_remove(cand, i);
            if (try_candidate(&b, s, cand))
                changed = true;
        }
    }
    /* then bytes: split writes joined, payloads cut */
    for (size_t i = 0; i < s->nsteps && b.runs < b.max; i++) {
        *cand = *s;
        bool any = false;
        if (cand->steps[i].splits > 1) {
            cand->steps[i].splits = 0;
            any = true;
        }
        if (shrink_publish(cand, &cand->steps[i]))
            any = true;
        if (shrink_connect(cand, &cand->steps[i]))
            any = true;
        if (any)
            try_candidate(&b, s, cand);
    }
    free(cand);
    return b.runs;
}
