#include "broker.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"

/* Where Debian and most distributions install it when it is not on PATH. */
static const char *const fallback_paths[] = {"/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto"};

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int port = -1;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

static int find_mosquitto(cf_broker *b)
{
    const char *env = getenv("MQTK_MOSQUITTO");
    if (env && *env) {
        snprintf(b->exe, sizeof b->exe, "%s", env);
        return access(b->exe, X_OK);
    }
    const char *path = getenv("PATH");
    char dirs[4096];
    snprintf(dirs, sizeof dirs, "%s", path ? path : "");
    for (char *save = NULL, *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        snprintf(b->exe, sizeof b->exe, "%s/mosquitto", d);
        if (access(b->exe, X_OK) == 0)
            return 0;
    }
    for (size_t i = 0; i < sizeof fallback_paths / sizeof fallback_paths[0]; i++) {
        snprintf(b->exe, sizeof b->exe, "%s", fallback_paths[i]);
        if (access(b->exe, X_OK) == 0)
            return 0;
    }
    return -1;
}

static int write_config(cf_broker *b, cf_strbuf *err)
{
    char path[300];
    snprintf(path, sizeof path, "%s/mosquitto.conf", b->dir);
    FILE *f = fopen(path, "w");
    if (!f) {
        cf_sb_printf(err, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    fprintf(f,
            "# written by mqtk run for one run of the conformance suite\n"
            "listener %d 127.0.0.1\n"
            "allow_anonymous true\n"
            "persistence false\n"
            "set_tcp_nodelay true\n"
            "max_keepalive 65535\n"
            "log_dest file %s/mosquitto.log\n"
            "log_type error\n"
            "log_type warning\n"
            "acl_file %s/acl\n",
            b->port, b->dir, b->dir);
    fclose(f);
    /* one topic tree refused to everyone (profiles/mosquitto.profile names it as forbidden-topic);
     * everything else open, $SYS readable; "topic" lines bind anonymous clients, "pattern" lines
     * clients that give a user name (--username) */
    snprintf(path, sizeof path, "%s/acl", b->dir);
    f = fopen(path, "w");
    if (!f) {
        cf_sb_printf(err, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    fputs("topic deny mqtk/forbidden/#\ntopic readwrite #\ntopic read $SYS/#\n"
          "pattern deny mqtk/forbidden/#\npattern readwrite #\npattern read $SYS/#\n", f);
    fclose(f);
    /* mosquitto started as root reads the ACL after dropping to its own user */
    chmod(path, 0644);
    chmod(b->dir, 0711);
    return 0;
}

static bool accepts(int port, int64_t deadline)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    bool ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    if (!ok && errno == EINPROGRESS) {
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        int64_t left = deadline - cf_now_ms();
        int soerr = 1;
        socklen_t len = sizeof soerr;
        if (poll(&p, 1, left > 0 ? (int)left : 0) > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == 0)
            ok = soerr == 0;
    }
    close(fd);
    return ok;
}

static int spawn(cf_broker *b)
{
    char conf[300];
    snprintf(conf, sizeof conf, "%s/mosquitto.conf", b->dir);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDWR);
        if (devnull >= 0) {
            dup2(devnull, STDIN_FILENO);
            dup2(devnull, STDOUT_FILENO);
            dup2(devnull, STDERR_FILENO);
        }
        execl(b->exe, b->exe, "-c", conf, (char *)NULL);
        _exit(127);
    }
    b->pid = pid;
    return 0;
}

int cf_broker_start(cf_broker *b, int timeout_ms, cf_strbuf *err)
{
    memset(b, 0, sizeof *b);
    if (find_mosquitto(b) < 0) {
        cf_sb_puts(err, "mosquitto not found (install it, put it on PATH, set MQTK_MOSQUITTO, or give --broker)");
        return -1;
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(b->dir, sizeof b->dir, "%s/mqtk-broker-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(b->dir)) {
        cf_sb_printf(err, "cannot create a temporary directory: %s", strerror(errno));
        b->dir[0] = '\0';
        return -1;
    }
    /* The port can be taken between our probe and mosquitto's bind: try a few. */
    for (int attempt = 0; attempt < 3; attempt++) {
        b->port = free_port();
        if (b->port < 0 || write_config(b, err) < 0 || spawn(b) < 0)
            break;
        int64_t deadline = cf_now_ms() + timeout_ms;
        while (cf_now_ms() < deadline) {
            int status;
            if (waitpid(b->pid, &status, WNOHANG) == b->pid) {
                b->pid = 0;
                break;
            }
            if (accepts(b->port, deadline))
                return 0;
            struct pollfd none;
            poll(&none, 0, 10); /* mosquitto has not bound yet; no event to wait for */
        }
        if (b->pid)
            cf_broker_stop(b);
    }
    if (err->len == 0)
        cf_sb_printf(err, "%s did not start listening on 127.0.0.1 (see %s/mosquitto.log)", b->exe, b->dir);
    return -1;
}

void cf_broker_stop(cf_broker *b)
{
    if (b->pid > 0) {
        kill(b->pid, SIGTERM);
        int64_t deadline = cf_now_ms() + 3000;
        int status;
        while (waitpid(b->pid, &status, WNOHANG) == 0) {
            if (cf_now_ms() > deadline) {
                kill(b->pid, SIGKILL);
                waitpid(b->pid, &status, 0);
                break;
            }
            struct pollfd none;
            poll(&none, 0, 5);
        }
        b->pid = 0;
    }
}

void cf_broker_remove_dir(cf_broker *b)
{
    if (!b->dir[0])
        return;
    const char *files[] = {"mosquitto.conf", "mosquitto.log", "acl"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[300];
        snprintf(path, sizeof path, "%s/%s", b->dir, files[i]);
        unlink(path);
    }
    rmdir(b->dir);
    b->dir[0] = '\0';
}
