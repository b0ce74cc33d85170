#include "bf_session.h"

#include <stdio.h>
#include <string.h>

static bf_step *new_step(bf_session *s, uint8_t client, uint8_t kind)
{
    if (s->nsteps >= BF_MAX_STEPS || client >= BF_MAX_CLIENTS)
        return NULL;
    bf_step *st = &s->steps[s->nsteps];
    memset(st, 0, offsetof(bf_step, bytes));
    st->client = client;
    st->kind = kind;
    if (client + 1u > s->nclients)
        s->nclients = (uint8_t)(client + 1);
    return st;
}

bool bf_session_add_packet(bf_session *s, uint8_t client, const mqtt_packet *pkt, bool unchecked)
{
    bf_step *st = new_step(s, client, BF_SEND);
    if (!st)
        return false;
    mqtt_encode_opts o = {s->version, MQTT_DIR_TO_SERVER, unchecked ? MQTT_ENCODE_UNCHECKED : 0u};
    size_t n = 0;
    if (mqtt_encode(pkt, &o, st->bytes, sizeof st->bytes, &n, NULL) != MQTT_OK)
        return false;
    st->type = (uint8_t)pkt->type;
    st->len = (uint16_t)n;
    s->nsteps++;
    return true;
}

void bf_session_copy(bf_session *dst, const bf_session *src)
{
    if (dst == src)
        return;
    memcpy(dst, src, offsetof(bf_session, steps));
    memcpy(dst->steps, src->steps, src->nsteps * sizeof src->steps[0]);
}

bool bf_session_add_drop(bf_session *s, uint8_t client)
{
    if (!new_step(s, client, BF_DROP))
        return false;
    s->nsteps++;
    return true;
}

void bf_session_remove(bf_session *s, size_t i)
{
    if (i >= s->nsteps)
        return;
    memmove(&s->steps[i], &s->steps[i + 1], (s->nsteps - i - 1) * sizeof s->steps[0]);
    s->nsteps--;
}

size_t bf_session_bytes(const bf_session *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nsteps; i++)
        n += s->steps[i].len;
    return n;
}

unsigned bf_session_clients_used(const bf_session *s)
{
    unsigned n = 0;
    for (size_t i = 0; i < s->nsteps; i++)
        if (s->steps[i].client + 1u > n)
            n = s->steps[i].client + 1u;
    return n;
}

mqtt_result bf_step_decode(const bf_session *s, const bf_step *st, mqtt_packet *pkt, mqtt_frame *frame)
{
    mqtt_decode_opts o = {.version = s->version, .direction = MQTT_DIR_TO_SERVER};
    memset(frame, 0, sizeof *frame);
    if (st->len == 0) {
        frame->need = 2;
        return MQTT_NEED_MORE;
    }
    return mqtt_decode(st->bytes, st->len, &o, pkt, frame);
}

void bf_session_retag(bf_session *s, uint32_t tag)
{
    char from[9], to[9];
    snprintf(from, sizeof from, "%08x", (unsigned)s->tag);
    snprintf(to, sizeof to, "%08x", (unsigned)tag);
    for (size_t i = 0; i < s->nsteps; i++) {
        bf_step *st = &s->steps[i];
        for (size_t k = 0; k + 8 <= st->len; k++)
            if (memcmp(st->bytes + k, from, 8) == 0) {
                memcpy(st->bytes + k, to, 8);
                k += 7;
            }
    }
    s->tag = tag;
}

void bf_session_compact_clients(bf_session *s)
{
    int map[BF_MAX_CLIENTS];
    uint8_t next = 0;
    for (int i = 0; i < BF_MAX_CLIENTS; i++)
        map[i] = -1;
    for (size_t i = 0; i < s->nsteps; i++) {
        uint8_t c = s->steps[i].client;
        if (map[c] < 0)
            map[c] = next++;
        s->steps[i].client = (uint8_t)map[c];
    }
    s->nclients = next;
}
