#include "bf_target.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "conformance/run/conn.h"

static int parse(bf_target *t, const char *spec, const net_opts *opts, base_strbuf *err)
{
    char e[256];
    memset(&t->target, 0, sizeof t->target);
    if (opts)
        t->target.opts = *opts;
    if (!net_target_parse(&t->target, spec, e, sizeof e)) {
        base_sb_printf(err, "%s", e);
        return -1;
    }
    t->target.opts.pool = &t->pool;
    t->target.opts.ack_with_data = true; /* every connection starts by sending its first step */
    return 0;
}

static int wait_accepting(bf_target *t, int timeout_ms, base_strbuf *err)
{
    int64_t deadline = base_now_ms() + timeout_ms;
    while (base_now_ms() < deadline) {
        char how[64];
        if (t->pid && bf_target_died(t, how, sizeof how)) {
            base_sb_printf(err, "the broker command exited before accepting connections (%s); its stderr is in %s", how,
                           t->stderr_path);
            return -1;
        }
        cr_conn c;
        base_strbuf e = {0};
        cr_conn_init(&c, "probe", NULL);
        int rc = cr_conn_open(&c, &t->target, MQTT_V311, base_now_ms() + 500, &e);
        cr_conn_close(&c);
        cr_conn_free(&c);
        base_sb_free(&e);
        if (rc == 0)
            return 0;
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    base_sb_printf(err, "the broker does not accept connections on %s after %d ms", t->label, timeout_ms);
    return -1;
}

int bf_target_start(bf_target *t, base_strbuf *err)
{
    t->starts++;
    t->stderr_seen = 0;
    if (!t->spec) {
        if (cr_broker_start(&t->embedded, 5000, err) != 0)
            return -1;
        t->is_embedded = true;
        t->pid = t->embedded.pid;
        snprintf(t->label, sizeof t->label, "127.0.0.1:%d", t->embedded.port);
        snprintf(t->stderr_path, sizeof t->stderr_path, "%s/mosquitto.log", t->embedded.dir);
        return parse(t, t->label, NULL, err);
    }
    snprintf(t->label, sizeof t->label, "%s", t->spec);
    if (parse(t, t->spec, t->opts, err) != 0)
        return -1;
    if (!t->exec_cmd)
        return 0;
    snprintf(t->stderr_path, sizeof t->stderr_path, "%s/broker-stderr.%u.log", t->log_dir ? t->log_dir : ".",
             t->starts);
    int fd = open(t->stderr_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        base_sb_printf(err, "cannot create %s: %s", t->stderr_path, strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        close(fd);
        base_sb_printf(err, "fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        setpgid(0, 0); /* its own group: stopping it stops what the shell started */
        int devnull = open("/dev/null", O_RDWR);
        if (devnull >= 0) {
            dup2(devnull, STDIN_FILENO);
            dup2(devnull, STDOUT_FILENO);
        }
        dup2(fd, STDERR_FILENO);
        execl("/bin/sh", "sh", "-c", t->exec_cmd, (char *)NULL);
        _exit(127);
    }
    close(fd);
    t->pid = pid;
    return wait_accepting(t, 10000, err);
}

void bf_target_stop(bf_target *t)
{
    net_pool_drain(&t->pool);
    if (t->is_embedded) {
        cr_broker_stop(&t->embedded);
        cr_broker_remove_dir(&t->embedded);
        t->is_embedded = false;
        t->pid = 0;
        return;
    }
    if (t->pid <= 0)
        return;
    kill(-t->pid, SIGTERM);
    for (int i = 0; i < 40; i++) {
        if (waitpid(t->pid, NULL, WNOHANG) == t->pid) {
            t->pid = 0;
            return;
        }
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    kill(-t->pid, SIGKILL);
    waitpid(t->pid, NULL, 0);
    t->pid = 0;
}

bool bf_target_died(bf_target *t, char *how, size_t cap)
{
    if (t->pid <= 0)
        return false;
    int status;
    pid_t w = waitpid(t->pid, &status, WNOHANG);
    if (w != t->pid)
        return false;
    if (WIFSIGNALED(status))
        snprintf(how, cap, "killed by signal %d", WTERMSIG(status));
    else
        snprintf(how, cap, "exited with status %d", WEXITSTATUS(status));
    t->pid = 0;
    if (t->is_embedded)
        t->embedded.pid = 0;
    return true;
}

bool bf_target_sanitizer_report(bf_target *t, char *out, size_t cap)
{
    if (!t->stderr_path[0])
        return false;
    /* called after every session: one stat when nothing was written since the last look */
    struct stat sb;
    if (stat(t->stderr_path, &sb) != 0 || sb.st_size == (off_t)t->stderr_seen)
        return false;
    FILE *f = fopen(t->stderr_path, "r");
    if (!f)
        return false;
    bool found = false;
    if (fseek(f, t->stderr_seen, SEEK_SET) == 0) {
        char line[512];
        while (fgets(line, sizeof line, f)) {
            if (!found && (strstr(line, "ERROR: AddressSanitizer") || strstr(line, "runtime error:") ||
                           strstr(line, "ERROR: LeakSanitizer") || strstr(line, "WARNING: MemorySanitizer"))) {
                line[strcspn(line, "\n")] = '\0';
                snprintf(out, cap, "%s", line);
                found = true;
            }
        }
        t->stderr_seen = ftell(f);
    }
    fclose(f);
    return found;
}

static const char *health_user, *health_pass;

void bf_target_credentials(const char *username, const char *password)
{
    health_user = username;
    health_pass = password;
}

bool bf_target_healthy(const bf_target *t, mqtt_version v, int timeout_ms, char *why, size_t cap)
{
    cr_conn c;
    base_strbuf e = {0};
    cr_conn_init(&c, "health", NULL);
    int64_t deadline = base_now_ms() + timeout_ms;
    bool ok = false;
    if (why && cap)
        why[0] = '\0';
    if (cr_conn_open(&c, &t->target, v, deadline, &e) != 0) {
        if (why && cap)
            snprintf(why, cap, "%s", base_sb_str(&e));
    } else {
        uint8_t buf[600];
        mqtt_packet p = {0};
        p.type = MQTT_CONNECT;
        p.u.connect.clean_start = true;
        p.u.connect.keep_alive = 10;
        p.u.connect.client_id = mqtt_cstr("fzhealth");
        if (health_user) {
            p.u.connect.has_username = true;
            p.u.connect.username = mqtt_cstr(health_user);
        }
        if (health_pass) {
            p.u.connect.has_password = true;
            p.u.connect.password = mqtt_cstr(health_pass);
        }
        mqtt_encode_opts o = {v, MQTT_DIR_TO_SERVER, 0};
        size_t n = 0;
        static const uint8_t ping[2] = {MQTT_PINGREQ << 4, 0};
        if (mqtt_encode(&p, &o, buf, sizeof buf, &n, NULL) == MQTT_OK && cr_conn_send(&c, buf, n, deadline, &e) == 0 &&
            cr_conn_send(&c, ping, 2, deadline, &e) == 0) {
            while (!ok && base_now_ms() < deadline && c.state == CR_CONN_OPEN) {
                cr_conn_wait(&c, deadline);
                for (size_t i = 0; i < c.nrx; i++)
                    if (c.rx[i].pkt.type == MQTT_PINGRESP)
                        ok = true;
            }
        }
    }
    cr_conn_close(&c);
    cr_conn_free(&c);
    base_sb_free(&e);
    return ok;
}

bool bf_target_is_loopback(const net_target *t)
{
    if (t->endpoints.n == 0)
        return false;
    for (size_t i = 0; i < t->endpoints.n; i++) {
        const struct sockaddr_storage *a = &t->endpoints.addr[i];
        if (a->ss_family == AF_INET) {
            if ((ntohl(((const struct sockaddr_in *)a)->sin_addr.s_addr) >> 24) != 127)
                return false;
        } else if (a->ss_family == AF_INET6) {
            if (!IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)a)->sin6_addr))
                return false;
        } else
            return false;
    }
    return true;
}
