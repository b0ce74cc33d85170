#include "bf_fuzz.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bf_cover.h"
#include "bf_gen.h"
#include "bf_minimize.h"
#include "bf_mutate.h"
#include "bf_pcap.h"
#include "bf_script.h"
#include "bf_target.h"
#include "base/clock.h"
#include "conformance/script/registry.h"

enum { SIGSET_BITS = 16, CORPUS_MAX = 256, MIN_RUNS = 80 };

static volatile sig_atomic_t stop_requested;

void bf_fuzz_stop(void)
{
    stop_requested = 1;
}

/* The answers seen so far: an open-addressing set of signatures. */
typedef struct sigset {
    uint64_t *slot;
    size_t n;
} sigset;

static bool sigset_add(sigset *s, uint64_t v)
{
    size_t cap = (size_t)1 << SIGSET_BITS;
    if (v == 0)
        v = 1;
    if (s->n * 4 >= cap * 3)
        return false; /* full: nothing counts as new any more */
    for (size_t i = v & (cap - 1);; i = (i + 1) & (cap - 1)) {
        if (s->slot[i] == v)
            return false;
        if (s->slot[i] == 0) {
            s->slot[i] = v;
            s->n++;
            return true;
        }
    }
}

typedef struct fuzz {
    const bf_config *c;
    bf_stats *st;
    bf_target t[2];
    sigset seen;
    bf_session *corpus;
    size_t ncorpus;
    uint64_t *keys;
    cs_registry regs[2];
    base_arena arena;
    bool have_reg[2];
    FILE *differs;
    unsigned replays;
    char crash_log[1024]; /* the stderr of the broker that died (it is restarted into a new file) */
    bool delivery_known[2][2]; /* per broker and version (3.1.1, 5.0) */
    uint64_t differ_keys[4096];
    size_t ndiffer;
    bf_cover cover; /* the --exec broker's edge map (closed: no edge coverage) */
} fuzz;

static int64_t real_ms(void)
{
    return base_clock_real_ms();
}

static void mkdirs(const char *path)
{
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(tmp, 0755);
            *p = '/';
        }
    mkdir(tmp, 0755);
}

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    if (!in)
        return -1;
    FILE *out = fopen(to, "wb");
    if (!out) {
        fclose(in);
        return -1;
    }
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, n, out);
    fclose(in);
    return fclose(out);
}

/* The output directory is a suite: v3.1/ v3.1.1/ v5.0/, statements/ (copied) and a profile for the embedded
 * mosquitto without deviations, so `mqtk run --suite DIR` replays the findings. */
static int prepare_out(fuzz *z, base_strbuf *err)
{
    const char *o = z->c->out_dir;
    char p[600], q[600];
    const char *dirs[] = {"v3.1", "v3.1.1", "v5.0", "statements", "profiles", "findings"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", o, dirs[i]);
        mkdirs(p);
        struct stat sb;
        if (stat(p, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            base_sb_printf(err, "cannot create the output directory %s: %s", p, strerror(errno));
            return -1;
        }
    }
    static const char *const regs[] = {"mqtt-v3.1.1.tsv", "mqtt-v5.0.tsv"};
    for (int i = 0; i < 2; i++) {
        snprintf(p, sizeof p, "%s/statements/%s", z->c->suite_dir, regs[i]);
        snprintf(q, sizeof q, "%s/statements/%s", o, regs[i]);
        if (copy_file(p, q) != 0) {
            base_sb_printf(err, "cannot copy the statement registry %s into %s", p, q);
            return -1;
        }
    }
    snprintf(q, sizeof q, "%s/profiles/mosquitto.profile", o);
    FILE *f = fopen(q, "w");
    if (!f) {
        base_sb_printf(err, "cannot write %s", q);
        return -1;
    }
    fputs("# Written by mqtk fuzz: the embedded mosquitto's capabilities, and no deviations, so every\n"
          "# finding replayed with `mqtk run --suite DIR` fails where the broker still has it.\n"
          "broker mosquitto 2.0 (embedded configuration)\n"
          "capabilities qos1 qos2 retain wildcards sys empty-client-id\n"
          "forbidden-topic mqtk/forbidden/x\n", f);
    fclose(f);
    snprintf(q, sizeof q, "%s/findings.txt", o);
    f = fopen(q, "a");
    if (f)
        fclose(f);
    for (int i = 0; i < 2; i++) {
        mqtt_version v = i ? MQTT_V5 : MQTT_V311;
        base_strbuf e = {0};
        z->have_reg[i] = cs_registry_load(&z->arena, z->c->suite_dir, v, &z->regs[i], &e) == 0;
        base_sb_free(&e);
    }
    return 0;
}

/* The statement a script may cite: it must be in the registry and bind the server. */
static bool citable(fuzz *z, mqtt_version v, const char *id)
{
    int i = v == MQTT_V5 ? 1 : 0;
    if (!id || !z->have_reg[i])
        return false;
    const cs_statement *s = cs_registry_find(&z->regs[i], id);
    return s && strcmp(s->applies_to, "Client") != 0;
}

typedef struct replay_arg {
    fuzz *z;
    unsigned broker;
    uint64_t key;
    bf_result last;
    bool crash; /* the finding is the broker dying: replay checks for that */
    bool keep_tag; /* play the candidate as it is (the confirmation, whose bytes the script shows) */
} replay_arg;

static bool restart(fuzz *z, unsigned b)
{
    base_strbuf e = {0};
    bf_target_stop(&z->t[b]);
    int rc = bf_target_start(&z->t[b], &e);
    base_sb_free(&e);
    z->st->restarts++;
    return rc == 0;
}

static bool owned(const fuzz *z, unsigned b)
{
    return z->t[b].is_embedded || z->t[b].exec_cmd;
}

static void play(fuzz *z, unsigned b, const bf_session *s, bool rec, bf_result *res)
{
    bf_exec_opts o = {&z->t[b].target, z->c->timeout_ms, rec, z->delivery_known[b][s->version == MQTT_V5],
                      z->c->timing_feedback && !rec, z->c->nbrokers == 2};
    bf_exec_session(s, &o, res);
}

static bool still(const bf_session *cand, void *arg)
{
    replay_arg *a = arg;
    bf_session *fresh = malloc(sizeof *fresh);
    if (!fresh)
        abort();
    *fresh = *cand;
    if (!a->keep_tag)
        bf_session_retag(fresh, cand->tag ^ (0x5A5A0000u + ++a->z->replays));
    bf_result_free(&a->last);
    play(a->z, a->broker, fresh, true, &a->last);
    free(fresh);
    if (a->crash) {
        char how[80];
        bool died = bf_target_died(&a->z->t[a->broker], how, sizeof how) ||
                    !bf_target_healthy(&a->z->t[a->broker], cand->version, a->z->c->timeout_ms, NULL, 0);
        if (died)
            restart(a->z, a->broker);
        return died;
    }
    return a->last.found && bf_finding_key(&a->last.f) == a->key;
}

static void write_finding(fuzz *z, bf_found *fd, const bf_session *s, const bf_result *res)
{
    char path[700], header[600];
    const char *o = z->c->out_dir;
    /* a finding that did not show again when its minimized session was replayed stays out of the
     * suite (its test would not fail): it is kept under findings/ and marked flaky */
    bool testable = citable(z, s->version, fd->f.statement) && fd->f.oracle != BF_OR_CRASH &&
                    fd->f.oracle != BF_OR_HANG && fd->confirmed;
    snprintf(header, sizeof header,
             "# Found by mqtk fuzz (seed %llu, session %lu) on %s: %s.\n"
             "# Minimized to %u step(s), %u client(s), %u byte(s)%s.\n",
             (unsigned long long)z->c->seed, fd->session, z->st->broker_labels[fd->broker], fd->f.what, fd->steps,
             fd->clients, fd->bytes, fd->confirmed ? "" : " (did not show again when replayed: flaky)");
    if (testable)
        snprintf(path, sizeof path, "%s/%s/%s.mqtt", o, s->version == MQTT_V5 ? "v5.0" : "v3.1.1", fd->id);
    else
        snprintf(path, sizeof path, "%s/findings/%s.mqtt.txt", o, fd->id);
    FILE *f = fopen(path, "w");
    if (f) {
        bf_script_write(f, fd->id, s, &fd->f, header);
        fclose(f);
    }
    snprintf(path, sizeof path, "%s/findings/%s.pcap", o, fd->id);
    unsigned port = (unsigned)atoi(z->t[fd->broker].target.address.port);
    bf_pcap_write(path, res->events, res->nevents, port);
    const char *log = z->crash_log[0] ? z->crash_log : z->t[fd->broker].stderr_path;
    if (fd->detail[0] && log[0]) {
        char to[700];
        snprintf(to, sizeof to, "%s/findings/%s.stderr.log", o, fd->id);
        copy_file(log, to);
    }
    z->crash_log[0] = '\0';
    snprintf(path, sizeof path, "%s/findings.txt", o);
    char line[800];
    snprintf(line, sizeof line, "%s %s %s%s [%s] %s: %s%s%s (%u steps, %u clients, %u bytes)\n", fd->id,
             mqtt_version_name(s->version), bf_oracle_name(fd->f.oracle), fd->confirmed ? "" : " (flaky)",
             fd->f.statement ? fd->f.statement : "no statement", z->st->broker_labels[fd->broker], fd->f.what,
             fd->detail[0] ? "; " : "", fd->detail, fd->steps, fd->clients, fd->bytes);
    f = fopen(path, "a");
    if (f) {
        fputs(line, f);
        fclose(f);
    }
    if (z->c->log) {
        if (z->c->progress_tty)
            fputs("\r\033[K", z->c->log);
        fputs(line, z->c->log);
    }
}

static bool known(fuzz *z, uint64_t key)
{
    for (size_t i = 0; i < z->st->nfound; i++)
        if (z->keys[i] == key)
            return true;
    return false;
}

/* A new finding: minimize, confirm, write. */
static void report(fuzz *z, unsigned b, const bf_session *s, const bf_result *res, unsigned long n, const char *detail)
{
    uint64_t key = bf_finding_key(&res->f);
    if (known(z, key)) {
        z->st->duplicates++;
        return;
    }
    bf_stats *st = z->st;
    bf_found *grown = realloc(st->found, (st->nfound + 1) * sizeof *grown);
    uint64_t *keys = realloc(z->keys, (st->nfound + 1) * sizeof *keys);
    if (!grown || !keys)
        abort();
    st->found = grown;
    z->keys = keys;
    bf_found *fd = &st->found[st->nfound];
    memset(fd, 0, sizeof *fd);
    z->keys[st->nfound++] = key;
    bf_session *min = malloc(sizeof *min);
    if (!min)
        abort();
    *min = *s;
    replay_arg a;
    memset(&a, 0, sizeof a);
    a.z = z;
    a.broker = b;
    a.key = key;
    a.crash = res->f.oracle == BF_OR_CRASH || res->f.oracle == BF_OR_HANG;
    if (a.crash && !owned(z, b))
        a.crash = false;
    if (z->c->minimize && (!a.crash || owned(z, b)))
        fd->runs = bf_minimize(min, still, &a, MIN_RUNS);
    bf_session_compact_clients(min);
    /* confirm on the minimized session under a tag of its own, recording it for the pcap: the
     * script then names the same client ids and topics */
    bf_session_retag(min, min->tag ^ (0xA5A50000u + ++z->replays));
    a.keep_tag = true;
    fd->confirmed = still(min, &a);
    /* from now on the due copy of such a delivery is not waited for again (after the confirmation,
     * which must wait for it) */
    if (res->f.oracle == BF_OR_DELIVERY_QOS && res->f.got_type == MQTT_PUBLISH)
        z->delivery_known[b][s->version == MQTT_V5] = true;
    fd->f = a.crash || !a.last.found ? res->f : a.last.f;
    fd->version = s->version;
    fd->broker = b;
    fd->session = n;
    fd->steps = min->nsteps;
    fd->clients = bf_session_clients_used(min);
    fd->bytes = (unsigned)bf_session_bytes(min);
    snprintf(fd->id, sizeof fd->id, "fz-%08x", (unsigned)(key ^ (key >> 32)));
    if (detail)
        snprintf(fd->detail, sizeof fd->detail, "%s", detail);
    write_finding(z, fd, min, a.last.nevents ? &a.last : res);
    bf_result_free(&a.last);
    free(min);
}

/* A differential run: the first step whose answers differ, reported once per kind (what was sent,
 * what each answered). A difference is a finding only where an oracle judged one side. */
static void compare(fuzz *z, const bf_session *s, const bf_result *ra, const bf_result *rb, unsigned long n)
{
    unsigned k = ra->nsig < rb->nsig ? ra->nsig : rb->nsig;
    for (unsigned i = 0; i < k; i++) {
        if (ra->sig[i] == rb->sig[i])
            continue;
        uint64_t key = ra->sig[i] * 31 + rb->sig[i];
        key ^= (uint64_t)s->steps[i].bytes[0] << 56 ^ (uint64_t)s->steps[i].mutation << 48 ^ (uint64_t)s->version << 40;
        for (size_t j = 0; j < z->ndiffer; j++)
            if (z->differ_keys[j] == key)
                return;
        if (z->ndiffer < sizeof z->differ_keys / sizeof z->differ_keys[0])
            z->differ_keys[z->ndiffer++] = key;
        z->st->differs++;
        const char *type = mqtt_packet_type_name(s->steps[i].bytes[0] >> 4);
        if (z->differs) {
            fprintf(z->differs, "session %lu %s step %u: %s (mutation %s)\n  A %s: %s\n  B %s: %s\n", n,
                    mqtt_version_name(s->version), i, type ? type : "packet type 0",
                    bf_mutation_name(s->steps[i].mutation), z->st->broker_labels[0], ra->answers[i],
                    z->st->broker_labels[1], rb->answers[i]);
            if (ra->found || rb->found)
                fprintf(z->differs, "  decided by [%s]: %s breaks it (%s)\n",
                        (ra->found ? ra : rb)->f.statement ? (ra->found ? ra : rb)->f.statement : "no statement",
                        ra->found ? "A" : "B", (ra->found ? ra : rb)->f.what);
            else
                fprintf(z->differs, "  no MUST decides between them (a SHOULD, a MAY, or what the standard leaves open)\n");
        }
        return;
    }
}

static void progress(fuzz *z, bool last)
{
    bf_stats *st = z->st;
    double t = st->elapsed_s > 0 ? st->elapsed_s : 1e-9;
    char edges[48] = "";
    if (st->edge_map)
        snprintf(edges, sizeof edges, "  edges %zu", st->edges);
    fprintf(stderr, "%s[fuzz] %6.1fs  sessions %lu (%.0f/s)  packets %lu (%.0f/s)  answers %lu  findings %zu  corpus %lu%s%s",
            z->c->progress_tty ? "\r\033[K" : "", st->elapsed_s, st->sessions, st->sessions / t,
            st->packets_sent + st->packets_received, (st->packets_sent + st->packets_received) / t, st->answers,
            st->nfound, st->corpus, edges, z->c->progress_tty && !last ? "" : "\n");
    fflush(stderr);
}

/* After a session: did the broker die, report a sanitizer error, or stop answering? */
static void check_health(fuzz *z, unsigned b, const bf_session *s, const bf_result *res, unsigned long n)
{
    char how[200] = "";
    bf_target *t = &z->t[b];
    bool died = bf_target_died(t, how, sizeof how);
    bool san = !died && bf_target_sanitizer_report(t, how, sizeof how);
    bool hung = false;
    if (!died && !san && (res->stalled || res->unreachable))
        hung = !bf_target_healthy(t, s->version, 2 * z->c->timeout_ms, NULL, 0) &&
               !bf_target_healthy(t, s->version, 2 * z->c->timeout_ms, NULL, 0);
    if (!died && !san && !hung)
        return;
    if (!died && hung && bf_target_died(t, how, sizeof how))
        died = true;
    bf_result r = *res;
    r.events = NULL;
    r.nevents = 0;
    memset(&r.f, 0, sizeof r.f);
    r.found = true;
    r.f.oracle = died || san ? BF_OR_CRASH : BF_OR_HANG;
    r.f.step = -1;
    snprintf(r.f.what, sizeof r.f.what, "%s",
             died ? "the broker process died" : san ? "the broker reported a sanitizer error"
                                                    : "a fresh client could not CONNECT and PINGREQ in time");
    snprintf(z->crash_log, sizeof z->crash_log, "%s", t->stderr_path);
    if (owned(z, b) && !t->is_embedded)
        restart(z, b);
    else if (owned(z, b)) {
        /* the embedded broker's directory (and its log) goes with it: keep the log first */
        char keep[900];
        snprintf(keep, sizeof keep, "%s/broker-stderr.embedded.%u.log", z->c->out_dir, t->starts);
        copy_file(t->stderr_path, keep);
        snprintf(z->crash_log, sizeof z->crash_log, "%s", keep);
        restart(z, b);
    }
    report(z, b, s, &r, n, how[0] ? how : NULL);
}

/* Edge coverage: the map exists (and is in the environment) before the --exec broker starts. */
static int cover_open(fuzz *z, base_strbuf *err)
{
    const char *given = getenv("AFL_MAP_SIZE");
    size_t size = bf_cover_map_size(given);
    if (!size) {
        base_sb_printf(err, "AFL_MAP_SIZE=%s is not a map size in bytes (256 MiB at most)", given);
        return -1;
    }
    if (bf_cover_open(&z->cover, size, err) != 0)
        return -1;
    z->st->edge_map = size;
    return 0;
}

/* After the broker answered its first CONNECT: AFL++'s runtime marks byte 0 when it attaches, and
 * says in stderr when the map is smaller than the program's edges. */
static int cover_attached(fuzz *z, base_strbuf *err)
{
    char text[16384] = "";
    FILE *f = fopen(z->t[0].stderr_path, "r");
    if (f) {
        size_t n = fread(text, 1, sizeof text - 1, f);
        text[n] = '\0';
        fclose(f);
    }
    size_t need = bf_cover_needed_size(text);
    if (need > z->cover.size) {
        base_sb_printf(err, "the broker has %zu edges, more than the %zu-byte edge map: run with AFL_MAP_SIZE=%zu",
                       need, z->cover.size, need);
        return -1;
    }
    if (!z->cover.trace[0]) {
        base_sb_printf(err, "--edge-coverage: the broker --exec started did not attach the edge map (__AFL_SHM_ID): "
                            "is it built with AFL++'s afl-clang-fast or afl-cc?");
        return -1;
    }
    bf_cover_clear(&z->cover);
    return 0;
}

int bf_fuzz_run(const bf_config *c, bf_stats *st, base_strbuf *err)
{
    fuzz *z = calloc(1, sizeof *z);
    if (!z)
        abort();
    z->c = c;
    z->st = st;
    z->cover.shm_id = -1;
    memset(st, 0, sizeof *st);
    stop_requested = 0;
    int rc = -1;
    z->seen.slot = calloc((size_t)1 << SIGSET_BITS, sizeof *z->seen.slot);
    z->corpus = malloc(CORPUS_MAX * sizeof *z->corpus);
    bf_session *cur = malloc(sizeof *cur);
    if (!z->seen.slot || !z->corpus || !cur)
        abort();
    if (prepare_out(z, err) != 0)
        goto done;
    bf_target_credentials(c->username, c->password);
    if (c->edge_coverage && cover_open(z, err) != 0)
        goto done;
    unsigned nb = c->nbrokers ? c->nbrokers : 1;
    for (unsigned b = 0; b < nb; b++) {
        z->t[b].spec = c->nbrokers ? c->brokers[b] : NULL;
        z->t[b].exec_cmd = b == 0 ? c->exec_cmd : NULL;
        z->t[b].log_dir = c->out_dir;
        z->t[b].opts = c->transport;
        if (bf_target_start(&z->t[b], err) != 0)
            goto done;
        snprintf(st->broker_labels[b], sizeof st->broker_labels[b], "%s", z->t[b].label);
        char why[300];
        if (!bf_target_healthy(&z->t[b], c->versions[0], 2 * c->timeout_ms, why, sizeof why)) {
            if (why[0])
                base_sb_printf(err, "cannot connect to the broker at %s: %s", z->t[b].label, why);
            else
                base_sb_printf(err, "the broker at %s does not answer a CONNECT and PINGREQ (MQTT %s) within %d ms",
                               z->t[b].label, mqtt_version_name(c->versions[0]), 2 * c->timeout_ms);
            goto done;
        }
    }
    if (z->cover.trace && cover_attached(z, err) != 0)
        goto done;
    if (nb == 2) {
        char p[600];
        snprintf(p, sizeof p, "%s/differs.txt", c->out_dir);
        z->differs = fopen(p, "w");
    }
    bf_rng rng;
    bf_rng_seed(&rng, c->seed);
    int64_t start = real_ms(), last_progress = start;
    for (unsigned long n = 0;; n++) {
        st->elapsed_s = (double)(real_ms() - start) / 1000.0;
        if (stop_requested || (c->sessions && n >= c->sessions) || (c->duration_s > 0 && st->elapsed_s >= c->duration_s))
            break;
        if (c->rate > 0) {
            double due = (double)n / c->rate;
            if (due > st->elapsed_s) {
                double wait = due - st->elapsed_s;
                struct timespec ts = {(time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9)};
                nanosleep(&ts, NULL);
            }
        }
        if (c->progress && real_ms() - last_progress >= 1000) {
            progress(z, false);
            last_progress = real_ms();
        }
        /* one session: kept or fresh, then mutated (some stay valid to reach deep states) */
        mqtt_version v = c->versions[bf_rng_below(&rng, c->nversions)];
        if (z->ncorpus && bf_rng_chance(&rng, 50)) {
            bf_session_copy(cur, &z->corpus[bf_rng_below(&rng, (uint32_t)z->ncorpus)]);
            bf_session_retag(cur, (uint32_t)bf_rng_next(&rng));
        } else {
            bf_gen_opts go = {v, c->clients, 12, c->username, c->password};
            bf_gen_session(&rng, &go, (uint32_t)bf_rng_next(&rng), cur);
        }
        unsigned muts = bf_rng_chance(&rng, 15) ? 0 : 1 + bf_rng_below(&rng, 2);
        for (unsigned m = 0; m < muts; m++)
            bf_mutate(&rng, cur);
        bf_result res[2];
        for (unsigned b = 0; b < nb; b++) {
            bool covered = b == 0 && z->cover.trace;
            if (covered)
                bf_cover_clear(&z->cover);
            play(z, b, cur, false, &res[b]);
            st->packets_sent += res[b].sent;
            st->packets_received += res[b].received;
            bool fresh = false;
            for (unsigned i = 0; i < res[b].nsig; i++)
                if (sigset_add(&z->seen, res[b].sig[i] ^ b))
                    fresh = true;
            if (covered) {
                /* the broker may still be finishing the session's last packets: those edges land
                 * in the next session's map (the price of not waiting for it) */
                bool more = bf_cover_collect(&z->cover) != BF_COVER_NOTHING;
                st->edges = z->cover.edges;
                if (more && c->edge_steer && !fresh) {
                    fresh = true;
                    st->corpus_by_edges++;
                }
            }
            if (fresh) {
                st->answers = z->seen.n;
                if (z->ncorpus < CORPUS_MAX)
                    bf_session_copy(&z->corpus[z->ncorpus++], cur);
                else
                    bf_session_copy(&z->corpus[bf_rng_below(&rng, CORPUS_MAX)], cur);
                st->corpus = z->ncorpus;
            }
            if (res[b].found)
                report(z, b, cur, &res[b], n, NULL);
            check_health(z, b, cur, &res[b], n);
        }
        if (nb == 2)
            compare(z, cur, &res[0], &res[1], n);
        for (unsigned b = 0; b < nb; b++)
            bf_result_free(&res[b]);
        st->sessions = n + 1;
    }
    st->elapsed_s = (double)(real_ms() - start) / 1000.0;
    if (c->progress)
        progress(z, true);
    rc = 0;
done:
    for (unsigned b = 0; b < 2; b++)
        if (owned(z, b))
            bf_target_stop(&z->t[b]);
        else
            net_pool_drain(&z->t[b].pool);
    if (z->differs)
        fclose(z->differs);
    bf_cover_close(&z->cover);
    base_arena_free(&z->arena);
    free(z->seen.slot);
    free(z->corpus);
    free(z->keys);
    free(cur);
    free(z);
    return rc;
}

void bf_stats_free(bf_stats *st)
{
    free(st->found);
    st->found = NULL;
    st->nfound = 0;
}
