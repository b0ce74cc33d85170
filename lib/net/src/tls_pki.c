/* Throwaway certificates (see net/tls_pki.h). */
#include "net/tls_pki.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

enum { PKI_MAX = 16 };

typedef struct made {
    const char *name;
    X509 *cert;
    EVP_PKEY *key;
} made;

static bool add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
    X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    bool ok = e && X509_add_ext(x, e, -1) == 1;
    X509_EXTENSION_free(e);
    return ok;
}

static bool write_pem(const char *dir, const char *name, const char *ext, X509 *x, EVP_PKEY *k)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s.%s", dir, name, ext);
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    bool ok = x ? PEM_write_X509(f, x) == 1 : PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL) == 1;
    ok = fclose(f) == 0 && ok;
    chmod(path, 0644);
    return ok;
}

static const char *make_one(const char *dir, const net_pki_cert *c, made *m, const made *issuer)
{
    m->name = c->name;
    m->key = EVP_EC_gen("P-256");
    m->cert = X509_new();
    if (!m->key || !m->cert)
        return "key generation";
    X509 *x = m->cert;
    unsigned char serial[8];
    if (RAND_bytes(serial, sizeof serial) != 1)
        return "serial number";
    serial[0] &= 0x7f; /* positive */
    BIGNUM *bn = BN_bin2bn(serial, sizeof serial, NULL);
    bool ok = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;
    BN_free(bn);
    if (!ok || X509_set_version(x, 2) != 1)
        return "serial number";
    if (!X509_gmtime_adj(X509_getm_notBefore(x), (long)c->from_days * 86400) ||
        !X509_gmtime_adj(X509_getm_notAfter(x), (long)c->to_days * 86400))
        return "validity";
    X509_NAME *subject = X509_get_subject_name(x);
    if (X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_ASC, (const unsigned char *)"mqtk throwaway", -1, -1, 0) != 1 ||
        X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC, (const unsigned char *)c->cn, -1, -1, 0) != 1)
        return "subject";
    X509 *signer = issuer ? issuer->cert : x;
    EVP_PKEY *signer_key = issuer ? issuer->key : m->key;
    if (X509_set_issuer_name(x, X509_get_subject_name(signer)) != 1 || X509_set_pubkey(x, m->key) != 1)
        return "issuer";
    ok = add_ext(x, signer, NID_basic_constraints, c->ca ? "critical,CA:TRUE" : "critical,CA:FALSE") &&
         add_ext(x, signer, NID_key_usage, c->ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature") &&
         add_ext(x, signer, NID_subject_key_identifier, "hash") &&
         (!issuer || add_ext(x, signer, NID_authority_key_identifier, "keyid:always")) &&
         (c->ca || add_ext(x, signer, NID_ext_key_usage, c->client ? "clientAuth" : "serverAuth")) &&
         (!c->san || add_ext(x, signer, NID_subject_alt_name, c->san));
    if (!ok)
        return "extensions";
    if (X509_sign(x, signer_key, EVP_sha256()) <= 0)
        return "signature";
    if (!write_pem(dir, c->name, "pem", x, NULL) || !write_pem(dir, c->name, "key", NULL, m->key))
        return "writing the files";
    return NULL;
}

bool net_pki_make(const char *dir, const net_pki_cert *certs, size_t n, char *err, size_t cap)
{
    made m[PKI_MAX];
    memset(m, 0, sizeof m);
    const char *failed = n > PKI_MAX ? "too many certificates" : NULL;
    size_t i = 0;
    for (; !failed && i < n; i++) {
        const made *issuer = NULL;
        for (size_t j = 0; certs[i].issuer && j < i; j++)
            if (strcmp(m[j].name, certs[i].issuer) == 0)
                issuer = &m[j];
        failed = certs[i].issuer && !issuer ? "issuer not made before it" : make_one(dir, &certs[i], &m[i], issuer);
        if (failed)
            break;
    }
    if (failed) {
        unsigned long e = ERR_peek_last_error();
        snprintf(err, cap, "cannot make the throwaway certificate %s in %s: %s%s%s", i < n ? certs[i].name : "?", dir,
                 failed, e ? ": " : "", e ? ERR_reason_error_string(e) ? ERR_reason_error_string(e) : "" : "");
        ERR_clear_error();
    }
    for (size_t j = 0; j < PKI_MAX; j++) {
        X509_free(m[j].cert);
        EVP_PKEY_free(m[j].key);
    }
    return !failed;
}

bool net_pki_make_local(const char *dir, char *err, size_t cap)
{
    static const net_pki_cert local[] = {
        {"ca", NULL, "mqtk throwaway CA", NULL, true, false, -1, 30},
        {"server", "ca", "localhost", "DNS:localhost,IP:127.0.0.1,IP:::1", false, false, -1, 30},
        {"client", "ca", "mqtk client", NULL, false, true, -1, 30},
    };
    return net_pki_make(dir, local, sizeof local / sizeof local[0], err, cap);
}
