/* The TLS transport (OpenSSL): runs over the layer below through a BIO of our own, so it sends with
 * MSG_NOSIGNAL like the rest of lib/net and never touches the socket itself. Verification is on
 * unless the caller asked for --insecure; the server name is sent (SNI) and checked against the
 * certificate; every handshake step waits only until the caller's deadline. */
#include <arpa/inet.h>
#include <errno.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/tls.h"
#include "net_internal.h"

typedef struct tls_state {
    SSL_CTX *ctx;
    bool own_ctx; /* made for this connection (no shared one in the options) */
    SSL *ssl;
    size_t handshake_bytes_in;   /* bytes the server sent during the handshake (for stall reports) */
    bool in_handshake;
} tls_state;

/* ---- a BIO over the lower layer: non-blocking reads and writes, "retry" when it would wait ---- */

static int lower_write(BIO *b, const char *buf, size_t len, size_t *written)
{
    net_conn *c = BIO_get_data(b);
    BIO_clear_retry_flags(b);
    size_t n = 0;
    net_status st = net_send(c->lower, buf, len, &n, 0);
    *written = n;
    if (n > 0)
        return 1;
    if (st == NET_TIMEOUT || st == NET_OK) {
        BIO_set_retry_write(b);
        return 0;
    }
    return -1;
}

static int lower_read(BIO *b, char *buf, size_t len, size_t *got)
{
    net_conn *c = BIO_get_data(b);
    tls_state *t = c->state;
    BIO_clear_retry_flags(b);
    size_t n = 0;
    net_status st = net_recv(c->lower, buf, len, &n, 0);
    *got = n;
    if (st == NET_OK) {
        if (t->in_handshake)
            t->handshake_bytes_in += n;
        return 1;
    }
    if (st == NET_TIMEOUT) {
        BIO_set_retry_read(b);
        return 0;
    }
    if (st == NET_CLOSED)
        return 0; /* EOF */
    return -1;
}

static long lower_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    (void)b, (void)num, (void)ptr;
    return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

static BIO_METHOD *bio_meth; /* made once for the process */
static pthread_once_t bio_once = PTHREAD_ONCE_INIT;

static void make_bio_method(void)
{
    bio_meth = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "mqtk lower layer");
    if (bio_meth) {
        BIO_meth_set_write_ex(bio_meth, lower_write);
        BIO_meth_set_read_ex(bio_meth, lower_read);
        BIO_meth_set_ctrl(bio_meth, lower_ctrl);
    }
}

/* ---- errors ---- */

/* What OpenSSL's terser reasons mean for someone testing a broker. */
static const struct {
    int reason;
    const char *meaning;
} reason_meanings[] = {
    {SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE, "the server found no cipher, group or signature algorithm in common"},
    {SSL_R_TLSV1_ALERT_PROTOCOL_VERSION, "no TLS version in common: see --tls-min"},
    {SSL_R_UNSUPPORTED_PROTOCOL, "no TLS version in common: see --tls-min"},
    {SSL_R_WRONG_VERSION_NUMBER, "the server does not speak TLS here"},
    {SSL_R_PACKET_LENGTH_TOO_LONG, "the server does not speak TLS here"},
    {SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED, "the broker requires a client certificate: --cert and --key"},
    {SSL_R_TLSV1_ALERT_UNKNOWN_CA, "the broker does not trust the client certificate's issuer"},
    {SSL_R_SSLV3_ALERT_BAD_CERTIFICATE, "the broker refused the client certificate"},
    {SSL_R_TLSV1_ALERT_NO_APPLICATION_PROTOCOL, "the server supports none of the --alpn protocols"},
};

/* OpenSSL's reason for the last failure (with what it means, when known), or a default. */
static void ssl_reason(char *out, size_t cap, const char *otherwise)
{
    unsigned long e = ERR_peek_last_error();
    if (e) {
        const char *r = ERR_reason_error_string(e), *meaning = NULL;
        for (size_t i = 0; i < sizeof reason_meanings / sizeof reason_meanings[0]; i++)
            if (ERR_GET_LIB(e) == ERR_LIB_SSL && ERR_GET_REASON(e) == reason_meanings[i].reason)
                meaning = reason_meanings[i].meaning;
        snprintf(out, cap, "%s%s%s%s", r ? r : ERR_error_string(e, NULL), meaning ? " (" : "", meaning ? meaning : "",
                 meaning ? ")" : "");
    } else {
        snprintf(out, cap, "%s", otherwise);
    }
    ERR_clear_error();
}

/* ---- the shared context: checked once, up front ---- */

static SSL_CTX *make_ctx(const net_tls_opts *o, char *err, size_t cap)
{
    ERR_clear_error();
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    char why[256];
    if (!ctx) {
        ssl_reason(why, sizeof why, "out of memory");
        snprintf(err, cap, "cannot set up TLS: %s", why);
        return NULL;
    }
    int min = o->min_version == 13 ? TLS1_3_VERSION : TLS1_2_VERSION;
    SSL_CTX_set_min_proto_version(ctx, min);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    /* brokers close TCP without close_notify all the time: that is a close, not an attack on a
     * length-delimited protocol like MQTT */
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
    const char *what = NULL;
    if (o->insecure) {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    } else {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
        if (o->cafile ? SSL_CTX_load_verify_locations(ctx, o->cafile, NULL) != 1
                      : SSL_CTX_set_default_verify_paths(ctx) != 1)
            what = o->cafile ? "cannot read --cafile" : "cannot load the system's CA store";
    }
    if (!what && (o->cert || o->key)) {
        if (!o->cert || !o->key)
            what = "--cert and --key go together";
        else if (SSL_CTX_use_certificate_chain_file(ctx, o->cert) != 1)
            what = "cannot read --cert";
        else if (SSL_CTX_use_PrivateKey_file(ctx, o->key, SSL_FILETYPE_PEM) != 1)
            what = "cannot read --key";
        else if (SSL_CTX_check_private_key(ctx) != 1)
            what = "--key does not belong to --cert";
    }
    if (what) {
        ssl_reason(why, sizeof why, "");
        const char *file = strstr(what, "--cafile") ? o->cafile : strstr(what, "read --cert") ? o->cert
                           : strstr(what, "read --key") ? o->key : NULL;
        snprintf(err, cap, "%s%s%s%s%s", what, file ? " " : "", file ? file : "", why[0] ? ": " : "", why);
        SSL_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

bool net_tls_prepare(net_opts *o, char *err, size_t cap)
{
    if (o->tls_ctx)
        return true;
    o->tls_ctx = make_ctx(&o->tls, err, cap);
    return o->tls_ctx != NULL;
}

void net_tls_release(net_opts *o)
{
    SSL_CTX_free(o->tls_ctx);
    o->tls_ctx = NULL;
}

const char *net_tls_library(void)
{
    return OpenSSL_version(OPENSSL_VERSION);
}

/* ---- the transport ---- */

/* Wait for what OpenSSL asked for (more bytes from the server, or room to send). */
static int wait_for(net_conn *c, int ssl_err, int64_t deadline)
{
    return net_poll_fd(c, ssl_err == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN, deadline);
}

static bool is_ip_literal(const char *host)
{
    unsigned char buf[16];
    return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

static net_status handshake_failed(net_conn *c, int ssl_err, const char *where)
{
    tls_state *t = c->state;
    long verify = SSL_get_verify_result(t->ssl);
    char why[256];
    if (verify != X509_V_OK && !c->opts.tls.insecure) {
        ERR_clear_error();
        return net_fail(c, NET_ERROR, "TLS handshake with %s: certificate verify failed: %s", where,
                        X509_verify_cert_error_string(verify));
    }
    if (ssl_err == SSL_ERROR_ZERO_RETURN || (ssl_err == SSL_ERROR_SYSCALL && ERR_peek_last_error() == 0)) {
        ERR_clear_error();
        if (c->lower->error[0] && strstr(c->lower->error, "reset"))
            return net_fail(c, NET_ERROR, "TLS handshake with %s: the server reset the connection", where);
        return net_fail(c, NET_ERROR, "TLS handshake with %s: the server closed the connection (after %zu bytes)",
                        where, t->handshake_bytes_in);
    }
    ssl_reason(why, sizeof why, "failed");
    return net_fail(c, NET_ERROR, "TLS handshake with %s: %s", where, why);
}

static net_status tls_open(net_conn *c, int64_t deadline)
{
    tls_state *t = calloc(1, sizeof *t);
    if (!t)
        return net_fail(c, NET_LOCAL, "TLS: out of memory");
    c->state = t;
    char where[NET_HOST_MAX + 10];
    snprintf(where, sizeof where, strchr(c->address.host, ':') ? "[%s]:%s" : "%s:%s", c->address.host,
             c->address.port);
    pthread_once(&bio_once, make_bio_method);
    char err[300];
    t->ctx = c->opts.tls_ctx;
    if (!t->ctx) {
        t->ctx = make_ctx(&c->opts.tls, err, sizeof err);
        if (!t->ctx)
            return net_fail(c, NET_LOCAL, "%s", err);
        t->own_ctx = true;
    }
    ERR_clear_error();
    t->ssl = SSL_new(t->ctx);
    BIO *bio = bio_meth ? BIO_new(bio_meth) : NULL;
    if (!t->ssl || !bio) {
        BIO_free(bio);
        return net_fail(c, NET_LOCAL, "TLS: out of memory");
    }
    BIO_set_data(bio, c);
    BIO_set_init(bio, 1);
    SSL_set_bio(t->ssl, bio, bio);
    const char *name = c->opts.tls.sni ? c->opts.tls.sni : c->address.host;
    if (!is_ip_literal(name))
        SSL_set_tlsext_host_name(t->ssl, name); /* SNI carries names only (RFC 6066 3) */
    if (!c->opts.tls.insecure) {
        X509_VERIFY_PARAM *vp = SSL_get0_param(t->ssl);
        if (is_ip_literal(name) ? X509_VERIFY_PARAM_set1_ip_asc(vp, name) != 1
                                : X509_VERIFY_PARAM_set1_host(vp, name, 0) != 1)
            return net_fail(c, NET_LOCAL, "TLS: cannot check the certificate against '%s'", name);
    }
    if (c->opts.tls.alpn) {
        unsigned char wire[256];
        size_t n = strlen(c->opts.tls.alpn);
        if (n == 0 || n > 255)
            return net_fail(c, NET_LOCAL, "--alpn takes a protocol name of 1 to 255 bytes");
        wire[0] = (unsigned char)n;
        memcpy(wire + 1, c->opts.tls.alpn, n);
        SSL_set_alpn_protos(t->ssl, wire, (unsigned)n + 1);
    }
    t->in_handshake = true;
    for (;;) {
        ERR_clear_error();
        int rc = SSL_connect(t->ssl);
        if (rc == 1)
            break;
        int e = SSL_get_error(t->ssl, rc);
        if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
            return handshake_failed(c, e, where);
        int ev = wait_for(c, e, deadline);
        if (ev == 0)
            return net_fail(c, NET_TIMEOUT,
                            "TLS handshake with %s: the server stalled (no %s before the deadline, %zu bytes received)",
                            where, t->handshake_bytes_in ? "handshake completion" : "ServerHello",
                            t->handshake_bytes_in);
        if (ev < 0)
            return net_fail(c, NET_LOCAL, "poll: %s", strerror(errno));
    }
    t->in_handshake = false;
    if (c->opts.tls.alpn) {
        const unsigned char *proto = NULL;
        unsigned len = 0;
        SSL_get0_alpn_selected(t->ssl, &proto, &len);
        if (len == 0)
            return net_fail(c, NET_ERROR, "TLS handshake with %s: the server selected no ALPN protocol ('%s' offered)",
                            where, c->opts.tls.alpn);
    }
    return NET_OK;
}

static net_status lower_failure(net_conn *c, const char *doing)
{
    net_status st = c->lower->error[0] && strstr(c->lower->error, "reset") ? NET_RESET : NET_CLOSED;
    return net_fail_from(c, st, doing);
}

/* After an SSL call failed with e: wait for what OpenSSL asked for and return true (call again), or
 * set *st to what the failure means and return false. protocol: how to name the peer's breach. */
static bool wait_or_fail(net_conn *c, int e, int64_t deadline, const char *protocol, net_status *st)
{
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
        int ev = wait_for(c, e, deadline);
        if (ev > 0)
            return true;
        *st = ev == 0 ? NET_TIMEOUT : net_fail(c, NET_LOCAL, "poll: %s", strerror(errno));
        return false;
    }
    if (e == SSL_ERROR_ZERO_RETURN) {
        ERR_clear_error();
        *st = net_fail(c, NET_CLOSED, "connection closed by the peer (TLS close_notify)");
        return false;
    }
    if (e == SSL_ERROR_SYSCALL) {
        ERR_clear_error();
        *st = lower_failure(c, "TLS");
        return false;
    }
    char why[256];
    ssl_reason(why, sizeof why, "failed");
    *st = net_fail(c, NET_ERROR, "%s%s", protocol, why);
    return false;
}

static net_status tls_send(net_conn *c, const uint8_t *buf, size_t len, size_t *sent, int64_t deadline)
{
    tls_state *t = c->state;
    net_status st = NET_OK;
    *sent = 0;
    while (*sent < len) {
        ERR_clear_error();
        size_t n = 0;
        int rc = SSL_write_ex(t->ssl, buf + *sent, len - *sent, &n);
        if (rc == 1)
            *sent += n;
        else if (!wait_or_fail(c, SSL_get_error(t->ssl, rc), deadline, "TLS: ", &st))
            return st;
    }
    return NET_OK;
}

static net_status tls_recv(net_conn *c, uint8_t *buf, size_t cap, size_t *got, int64_t deadline)
{
    tls_state *t = c->state;
    net_status st = NET_OK;
    for (;;) {
        ERR_clear_error();
        int rc = SSL_read_ex(t->ssl, buf, cap, got);
        if (rc == 1)
            return NET_OK;
        if (!wait_or_fail(c, SSL_get_error(t->ssl, rc), deadline, "TLS: the peer broke the protocol: ", &st))
            return st;
    }
}

static bool tls_pending(const net_conn *c)
{
    const tls_state *t = c->state;
    return t && t->ssl && SSL_pending(t->ssl) > 0;
}

static net_status tls_shutdown(net_conn *c, int64_t deadline)
{
    tls_state *t = c->state;
    ERR_clear_error();
    SSL_shutdown(t->ssl); /* close_notify out; the peer's answer is read by recv like any close */
    ERR_clear_error();
    return net_shutdown(c->lower, deadline);
}

static void tls_close(net_conn *c)
{
    tls_state *t = c->state;
    if (!t)
        return;
    SSL_free(t->ssl); /* frees the BIO too */
    if (t->own_ctx)
        SSL_CTX_free(t->ctx);
    free(t);
    c->state = NULL;
    ERR_clear_error();
}

static void tls_describe(const net_conn *c, char *out, size_t cap)
{
    const tls_state *t = c->state;
    const unsigned char *proto = NULL;
    unsigned len = 0;
    SSL_get0_alpn_selected(t->ssl, &proto, &len);
    snprintf(out, cap, "%s %s%s%.*s%s", SSL_get_version(t->ssl), SSL_get_cipher_name(t->ssl), len ? " ALPN " : "",
             (int)len, proto ? (const char *)proto : "", c->opts.tls.insecure ? " (certificate NOT verified: --insecure)" : "");
}

void net_tls_session_info(const net_conn *c, net_tls_session *out)
{
    memset(out, 0, sizeof *out);
    while (c && c->ops != &net_tls_transport)
        c = c->lower;
    if (!c || !c->state)
        return;
    const tls_state *t = c->state;
    const unsigned char *proto = NULL;
    unsigned len = 0;
    SSL_get0_alpn_selected(t->ssl, &proto, &len);
    out->used = true;
    snprintf(out->version, sizeof out->version, "%s", SSL_get_version(t->ssl));
    snprintf(out->cipher, sizeof out->cipher, "%s", SSL_get_cipher_name(t->ssl));
    snprintf(out->alpn, sizeof out->alpn, "%.*s", (int)len, proto ? (const char *)proto : "");
    const char *name = SSL_get_servername(t->ssl, TLSEXT_NAMETYPE_host_name);
    snprintf(out->sni, sizeof out->sni, "%s", name ? name : "");
    out->verified = !c->opts.tls.insecure;
}

const net_transport net_tls_transport = {
    .name = "tls",
    .open = tls_open,
    .send = tls_send,
    .recv = tls_recv,
    .pending = tls_pending,
    .shutdown = tls_shutdown,
    .close = tls_close,
    .describe = tls_describe,
};
