/* mqtk-test-pki DIR: the certificates the TLS tests need, made with lib/net's throwaway PKI (the
 * code the embedded TLS broker uses). ca signs server (localhost, 127.0.0.1, ::1), expired,
 * wrongname and client; other-ca signs unknown and client-other. Exit 0, or 2 with the reason. */
#include <stdio.h>

#include "net/tls_pki.h"

int main(int argc, char **argv)
{
    static const net_pki_cert certs[] = {
        {"ca", NULL, "mqtk test CA", NULL, true, false, -1, 30},
        {"server", "ca", "localhost", "DNS:localhost,IP:127.0.0.1,IP:::1", false, false, -1, 30},
        {"expired", "ca", "localhost", "DNS:localhost,IP:127.0.0.1,IP:::1", false, false, -30, -1},
        {"wrongname", "ca", "other.example", "DNS:other.example,IP:192.0.2.1", false, false, -1, 30},
        {"client", "ca", "mqtk test client", NULL, false, true, -1, 30},
        {"other-ca", NULL, "some other CA", NULL, true, false, -1, 30},
        {"unknown", "other-ca", "localhost", "DNS:localhost,IP:127.0.0.1,IP:::1", false, false, -1, 30},
        {"client-other", "other-ca", "mqtk test client", NULL, false, true, -1, 30},
    };
    if (argc != 2) {
        fprintf(stderr, "usage: mqtk-test-pki DIR\n");
        return 2;
    }
    char err[400];
    if (!net_pki_make(argv[1], certs, sizeof certs / sizeof certs[0], err, sizeof err)) {
        fprintf(stderr, "mqtk-test-pki: %s\n", err);
        return 2;
    }
    return 0;
}
