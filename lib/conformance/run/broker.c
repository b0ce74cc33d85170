#include "broker.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/interrupt.h"
#include "net/local.h"
#include "net/tls_pki.h"

/* Where Debian and most distributions install it when it is not on PATH. */
static const char *const fallback_paths[] = {"/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto"};

/* Cleanup on a signal. Every signal whose default action ends the process, except the first
 * SIGINT, SIGTERM or SIGHUP of a run (interrupt.h: the run winds down and writes partial reports),
 * stops the run at once: the handler stops the embedded mosquitto and removes its temporary
 * directory with async-signal-safe calls only, then restores the default action and raises the
 * signal again, so mqtk dies of it (the shell sees 128 + its number). One embedded broker at a
 * time; the paths are copied here before the handler can see them. */
static const int cleanup_signals[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2,
                                      SIGABRT, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF};
enum { NSIGNALS = sizeof cleanup_signals / sizeof cleanup_signals[0] };
static volatile sig_atomic_t cleanup_armed;
static volatile pid_t cleanup_owner, cleanup_child, cleanup_ws_child;
/* What the temporary directory holds: mosquitto's files, the WebSocket bridge's log, and for a TLS
 * listener the throwaway certificates and keys (net_pki_make_local). */
static const char *const dir_files[] = {"mosquitto.conf", "mosquitto.log", "acl",        "ws-bridge.log",
                                        "ca.pem",         "ca.key",        "server.pem", "server.key",
                                        "client.pem",     "client.key"};
enum { NFILES = sizeof dir_files / sizeof dir_files[0] };
static char cleanup_paths[NFILES + 1][300]; /* the files, then the directory */
static struct sigaction saved_actions[NSIGNALS];
static bool handler_installed[NSIGNALS];

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* SIGTERM, then SIGKILL after 2 s; async-signal-safe. */
static void stop_child_from_handler(pid_t child)
{
    if (child <= 0)
        return;
    kill(child, SIGTERM);
    int status;
    int waited = 0;
    while (waitpid(child, &status, WNOHANG) == 0 && waited < 2000) {
        sleep_ms(10);
        waited += 10;
    }
    if (waited >= 2000) {
        kill(child, SIGKILL);
        waitpid(child, &status, 0);
    }
}

static void on_fatal_signal(int sig)
{
    int saved_errno = errno;
    if (base_interrupt_claim(sig)) {
        errno = saved_errno; /* the first SIGINT/TERM/HUP of a run: it winds down, then cleans up */
        return;
    }
    /* a forked child that has not exec'd mosquitto yet must not clean up the parent's broker */
    if (cleanup_armed && getpid() == cleanup_owner) {
        cleanup_armed = 0;
        stop_child_from_handler(cleanup_ws_child); /* the WebSocket front first: it talks to the broker */
        stop_child_from_handler(cleanup_child);
        for (int i = 0; i < NFILES; i++)
            if (cleanup_paths[i][0])
                unlink(cleanup_paths[i]);
        if (cleanup_paths[NFILES][0])
            rmdir(cleanup_paths[NFILES]);
    }
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    errno = saved_errno;
    raise(sig); /* blocked until the handler returns, then fatal */
}

/* Catch the terminating signals that are not ignored (nohup's SIG_IGN on SIGHUP stays). */
static void arm_cleanup(const cr_broker *b)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    for (int i = 0; i < NFILES; i++)
        snprintf(cleanup_paths[i], sizeof cleanup_paths[i], "%s/%s", b->dir, dir_files[i]);
    snprintf(cleanup_paths[NFILES], sizeof cleanup_paths[NFILES], "%s", b->dir);
    cleanup_owner = getpid();
    cleanup_child = 0;
    cleanup_ws_child = 0;
    cleanup_armed = 1;
    for (int i = 0; i < NSIGNALS; i++) {
        if (handler_installed[i] || sigaction(cleanup_signals[i], NULL, &saved_actions[i]) != 0 ||
            saved_actions[i].sa_handler == SIG_IGN)
            continue;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_fatal_signal;
        sigfillset(&sa.sa_mask); /* no second signal inside the cleanup */
        handler_installed[i] = sigaction(cleanup_signals[i], &sa, NULL) == 0;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void disarm_cleanup(void)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    cleanup_armed = 0;
    cleanup_child = 0;
    cleanup_ws_child = 0;
    for (int i = 0; i < NSIGNALS; i++) {
        if (handler_installed[i])
            sigaction(cleanup_signals[i], &saved_actions[i], NULL);
        handler_installed[i] = false;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static int find_mosquitto(cr_broker *b)
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

static int write_config(cr_broker *b, base_strbuf *err)
{
    char path[300];
    snprintf(path, sizeof path, "%s/mosquitto.conf", b->dir);
    FILE *f = fopen(path, "w");
    if (!f) {
        base_sb_printf(err, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    fprintf(f,
            "# written by mqtk run for one run of the conformance suite\n"
            "listener %d 127.0.0.1\n",
            b->port);
    if (b->tls)
        fprintf(f, "cafile %s/ca.pem\ncertfile %s/server.pem\nkeyfile %s/server.key\n", b->dir, b->dir, b->dir);
    fprintf(f,
            "allow_anonymous true\n"
            "persistence false\n"
            "set_tcp_nodelay true\n"
            "max_keepalive 65535\n"
            "log_dest file %s/mosquitto.log\n"
            "log_type error\n"
            "log_type warning\n"
            "acl_file %s/acl\n",
            b->dir, b->dir);
    fclose(f);
    /* one topic tree refused to everyone (profiles/mosquitto.profile names it as forbidden-topic);
     * everything else open, $SYS readable; "topic" lines bind anonymous clients, "pattern" lines
     * clients that give a user name (--username) */
    snprintf(path, sizeof path, "%s/acl", b->dir);
    f = fopen(path, "w");
    if (!f) {
        base_sb_printf(err, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    /* "#" never covers "$" topics in an ACL: $mqtk/# is the $-topic tree the suite publishes to */
    fputs("topic deny mqtk/forbidden/#\ntopic readwrite #\ntopic read $SYS/#\ntopic readwrite $mqtk/#\n"
          "pattern deny mqtk/forbidden/#\npattern readwrite #\npattern read $SYS/#\npattern readwrite $mqtk/#\n", f);
    fclose(f);
    /* mosquitto started as root reads the ACL after dropping to its own user */
    chmod(path, 0644);
    chmod(b->dir, 0711);
    return 0;
}

/* Start argv[0] with stdout and stderr appended to log, and tell the signal handler its pid (in
 * *slot) before any signal can be handled. */
static int spawn_child(const char *const argv[], const char *log, pid_t *pid_out, volatile pid_t *slot)
{
    /* signals blocked across fork until the handler knows the child's pid: otherwise a SIGTERM
     * in between would leave a child nobody stops */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        return -1;
    }
    if (pid == 0) {
        /* a child outliving an mqtk killed outright (SIGKILL) gets SIGTERM from the kernel (the
         * WebSocket bridge keeps this; mosquitto started as root loses it when it drops privileges) */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(127); /* the parent died before prctl */
        /* exec resets caught signals anyway; reset them before unblocking so that a signal that
         * arrives before exec ends this child rather than running the parent's cleanup */
        for (int i = 0; i < NSIGNALS; i++)
            if (handler_installed[i])
                signal(cleanup_signals[i], SIG_DFL);
        sigprocmask(SIG_SETMASK, &old, NULL);
        /* what the child prints before its own log is open (a configuration error) goes to the
         * same file, appended, so a failed start can quote it */
        int devnull = open("/dev/null", O_RDONLY);
        int logfd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (devnull >= 0)
            dup2(devnull, STDIN_FILENO);
        if (logfd >= 0) {
            dup2(logfd, STDOUT_FILENO);
            dup2(logfd, STDERR_FILENO);
        }
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    *pid_out = pid;
    *slot = pid;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return 0;
}

static int spawn(cr_broker *b)
{
    char conf[300], log[300];
    snprintf(conf, sizeof conf, "%s/mosquitto.conf", b->dir);
    snprintf(log, sizeof log, "%s/mosquitto.log", b->dir);
    const char *const argv[] = {b->exe, "-c", conf, NULL};
    return spawn_child(argv, log, &b->pid, &cleanup_child);
}

/* The directory is written into mosquitto.conf as it is, and mosquitto's configuration has no
 * quoting: a newline would start a directive of the caller's choosing, and a trailing space or a
 * control character would name another path. Refuse such a TMPDIR rather than escape it. */
static int check_tmpdir(const char *tmp, base_strbuf *err)
{
    size_t n = strlen(tmp);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)tmp[i];
        if (c < 0x20 || c == 0x7f) {
            base_sb_printf(err,
                           "TMPDIR holds a control character (byte %zu is 0x%02x); mosquitto's configuration "
                           "cannot name such a directory: set TMPDIR to a plain path",
                           i + 1, c);
            return -1;
        }
    }
    if (tmp[0] != '/' || tmp[n - 1] == ' ' || tmp[0] == ' ') {
        base_sb_puts(err, "TMPDIR must be an absolute path without leading or trailing spaces");
        return -1;
    }
    if (n > 200) {
        base_sb_printf(err, "TMPDIR is %zu characters long; at most 200 are supported", n);
        return -1;
    }
    return 0;
}

/* The end of mosquitto's log (the directory is removed after a failed start, so the message must
 * carry what the log said, not its path). */
static void append_log_tail(const cr_broker *b, const char *name, base_strbuf *err)
{
    char path[300];
    snprintf(path, sizeof path, "%s/%s", b->dir, name);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char tail[1025];
    size_t n = 0;
    if (fseek(f, -1024, SEEK_END) != 0)
        rewind(f);
    n = fread(tail, 1, sizeof tail - 1, f);
    fclose(f);
    while (n > 0 && (tail[n - 1] == '\n' || tail[n - 1] == ' '))
        n--;
    if (n == 0)
        return;
    tail[n] = '\0';
    base_sb_printf(err, "; the end of %s:", name);
    for (char *save = NULL, *line = strtok_r(tail, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        base_sb_puts(err, "\n    ");
        for (char *c = line; *c; c++) /* the log is the broker's text: no raw controls on the terminal */
            base_sb_putc(err, (unsigned char)*c < 0x20 || *c == 0x7f ? '?' : *c);
    }
}

/* A free port, its configuration, and mosquitto started on it. */
static int spawn_on_free_port(cr_broker *b, base_strbuf *err)
{
    b->port = net_free_loopback_port();
    return b->port < 0 || write_config(b, err) < 0 || spawn(b) < 0 ? -1 : 0;
}

int cr_broker_launch(cr_broker *b, bool tls, base_strbuf *err)
{
    memset(b, 0, sizeof *b);
    b->tls = tls;
    if (find_mosquitto(b) < 0) {
        base_sb_puts(err, "mosquitto not found (install it, put it on PATH, set MQTK_MOSQUITTO, or give --broker)");
        return -1;
    }
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    if (check_tmpdir(tmp, err) < 0)
        return -1;
    snprintf(b->dir, sizeof b->dir, "%s/mqtk-broker-XXXXXX", tmp);
    if (!mkdtemp(b->dir)) {
        base_sb_printf(err, "cannot create a temporary directory in %s: %s", tmp, strerror(errno));
        b->dir[0] = '\0';
        return -1;
    }
    arm_cleanup(b);
    char why[400];
    if (tls && !net_pki_make_local(b->dir, why, sizeof why)) {
        base_sb_puts(err, why);
        return -1;
    }
    return spawn_on_free_port(b, err);
}

int cr_broker_ready(cr_broker *b, int timeout_ms, base_strbuf *err)
{
    /* The port can be taken between our probe and mosquitto's bind: try a few. */
    int status = 0;
    bool exited = false;
    for (int attempt = 0; attempt < 3; attempt++) {
        if ((attempt > 0 && spawn_on_free_port(b, err) < 0) || b->pid <= 0)
            break; /* no free port, no configuration written, or no fork */
        int64_t deadline = base_now_ms() + timeout_ms;
        exited = false;
        while (base_now_ms() < deadline) {
            if (waitpid(b->pid, &status, WNOHANG) == b->pid) {
                b->pid = 0;
                cleanup_child = 0;
                exited = true;
                break;
            }
            int64_t left = deadline - base_now_ms();
            if (net_loopback_accepts(b->port, left > 0 ? (int)left : 0))
                return 0;
            sleep_ms(10); /* mosquitto has not bound yet; no event to wait for */
        }
        if (b->pid)
            cr_broker_stop(b);
    }
    if (err->len == 0) {
        if (exited && WIFEXITED(status) && WEXITSTATUS(status) == 127)
            base_sb_printf(err, "%s could not be executed", b->exe);
        else if (exited)
            base_sb_printf(err, "%s exited (status %d) without listening on 127.0.0.1", b->exe,
                           WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        else
            base_sb_printf(err, "%s did not start listening on 127.0.0.1 within %d ms", b->exe, timeout_ms);
        append_log_tail(b, "mosquitto.log", err);
    }
    return -1;
}

void cr_broker_keep_cleanup_first(void)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    for (int i = 0; cleanup_armed && i < NSIGNALS; i++) {
        struct sigaction now;
        if (!handler_installed[i] || sigaction(cleanup_signals[i], NULL, &now) != 0 ||
            now.sa_handler == on_fatal_signal)
            continue;
        saved_actions[i] = now; /* what comes back when the broker is gone: the handler set since */
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_fatal_signal;
        sigfillset(&sa.sa_mask);
        sigaction(cleanup_signals[i], &sa, NULL);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static int start(cr_broker *b, bool tls, int timeout_ms, base_strbuf *err)
{
    if (cr_broker_launch(b, tls, err) < 0 && err->len)
        return -1;
    return cr_broker_ready(b, timeout_ms, err); /* which names a launch that failed without a word */
}

int cr_broker_start(cr_broker *b, int timeout_ms, base_strbuf *err)
{
    return start(b, false, timeout_ms, err);
}

int cr_broker_start_tls(cr_broker *b, int timeout_ms, base_strbuf *err)
{
    return start(b, true, timeout_ms, err);
}

/* The WebSocket front: SIGTERM, SIGKILL after 3 s. */
static void stop_ws_bridge(cr_broker *b)
{
    if (b->ws_pid <= 0)
        return;
    kill(b->ws_pid, SIGTERM);
    cleanup_ws_child = 0;
    int64_t deadline = base_now_ms() + 3000;
    int status;
    while (waitpid(b->ws_pid, &status, WNOHANG) == 0) {
        if (base_now_ms() > deadline) {
            kill(b->ws_pid, SIGKILL);
            waitpid(b->ws_pid, &status, 0);
            break;
        }
        sleep_ms(5);
    }
    b->ws_pid = 0;
}

/* The bridge script and its interpreter: the environment's, else the paths this build knows. */
static const char *setting(const char *env, const char *fallback)
{
    const char *v = getenv(env);
    return v && *v ? v : fallback;
}

int cr_broker_start_ws(cr_broker *b, int timeout_ms, base_strbuf *err)
{
    const char *python = setting("MQTK_PYTHON", "/usr/bin/python3");
    const char *bridge = setting("MQTK_WS_BRIDGE", MQTK_WS_BRIDGE_PATH);
    if (access(python, X_OK) != 0) {
        base_sb_printf(err, "the WebSocket peer needs %s (install python3, or set MQTK_PYTHON)", python);
        return -1;
    }
    if (access(bridge, R_OK) != 0) {
        base_sb_printf(err, "the WebSocket bridge %s cannot be read: %s (set MQTK_WS_BRIDGE)", bridge, strerror(errno));
        return -1;
    }
    char log[300], port[8], broker_port[8];
    snprintf(log, sizeof log, "%s/ws-bridge.log", b->dir);
    snprintf(broker_port, sizeof broker_port, "%d", b->port);
    for (int attempt = 0; attempt < 3; attempt++) {
        b->ws_port = net_free_loopback_port();
        snprintf(port, sizeof port, "%d", b->ws_port);
        const char *const argv[] = {python, bridge, "--port", port, "--broker-port", broker_port, NULL};
        if (b->ws_port < 0 || spawn_child(argv, log, &b->ws_pid, &cleanup_ws_child) < 0)
            break;
        int64_t deadline = base_now_ms() + timeout_ms;
        int status;
        while (base_now_ms() < deadline) {
            if (waitpid(b->ws_pid, &status, WNOHANG) == b->ws_pid) {
                b->ws_pid = 0;
                cleanup_ws_child = 0;
                break;
            }
            int64_t left = deadline - base_now_ms();
            if (net_loopback_accepts(b->ws_port, left > 0 ? (int)left : 0))
                return 0;
            sleep_ms(10); /* the bridge has not bound yet */
        }
        stop_ws_bridge(b);
    }
    base_sb_printf(err, "the WebSocket bridge (%s %s) did not listen on 127.0.0.1 within %d ms", python, bridge,
                   timeout_ms);
    append_log_tail(b, "ws-bridge.log", err);
    return -1;
}

void cr_broker_stop(cr_broker *b)
{
    stop_ws_bridge(b);
    if (b->pid > 0) {
        kill(b->pid, SIGTERM);
        cleanup_child = 0; /* told to stop; a signal from here on only removes the directory */
        /* mosquitto takes signals only between its polls, which last up to 100 ms when nothing
         * happens: a connection wakes it to act on the SIGTERM now */
        if (b->port > 0)
            net_loopback_accepts(b->port, 100);
        int64_t deadline = base_now_ms() + 3000;
        int status;
        while (waitpid(b->pid, &status, WNOHANG) == 0) {
            if (base_now_ms() > deadline) {
                kill(b->pid, SIGKILL);
                waitpid(b->pid, &status, 0);
                break;
            }
            sleep_ms(5);
        }
        b->pid = 0;
    }
}

void cr_broker_remove_dir(cr_broker *b)
{
    disarm_cleanup();
    if (!b->dir[0])
        return;
    for (size_t i = 0; i < NFILES; i++) {
        char path[300];
        snprintf(path, sizeof path, "%s/%s", b->dir, dir_files[i]);
        unlink(path);
    }
    rmdir(b->dir);
    b->dir[0] = '\0';
}
