/* Throwaway certificates for local TLS listeners: the embedded broker of `mqtk run --transport tls`
 * and the TLS tests. Made with the OpenSSL API at run time (EC P-256, SHA-256), never reused. */
#ifndef NET_TLS_PKI_H
#define NET_TLS_PKI_H

#include <stdbool.h>
#include <stddef.h>

typedef struct net_pki_cert {
    const char *name;       /* files NAME.pem and NAME.key in the directory */
    const char *issuer;     /* NAME of a certificate made earlier in the same call; NULL: self-signed */
    const char *cn;         /* subject common name */
    const char *san;        /* subjectAltName ("DNS:localhost,IP:127.0.0.1"), NULL for none */
    bool ca;                /* may sign others */
    bool client;            /* for client authentication (else server) */
    int from_days, to_days; /* validity relative to now: -1 / 365; to_days < 0 makes an expired one */
} net_pki_cert;

/* Make certs[0..n) in order into dir (which exists). Keys are written readable by all (0644): the
 * directory is the caller's private temp dir, and mosquitto reads them after dropping to its own
 * user. false with err naming the certificate and the step. */
bool net_pki_make(const char *dir, const net_pki_cert *certs, size_t n, char *err, size_t cap);

/* The set the embedded TLS broker uses: ca (the CA to verify with), server (localhost, 127.0.0.1,
 * ::1) and client (for mutual TLS). */
bool net_pki_make_local(const char *dir, char *err, size_t cap);

#endif
