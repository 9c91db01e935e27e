/* test_abi: the ABI hygiene rules of ftp.h that need no server.
 *
 * - FTP_VERSION_MAJOR/MINOR/PATCH equal ftp_version() and Cargo.toml's
 *   version (FTP_CARGO_VERSION, read from Cargo.toml by CMake);
 * - the port constants; ftp_transfer_close(NULL) is a no-op (FTP_OK);
 * - ftp_tls_config_last_error: "" for NULL and a new config, a sentence
 *   after each kind of failed setter, "" again after a success;
 * - in-memory PEM: ftp_tls_config_add_ca_pem (one and many certificates,
 *   garbage, a damaged certificate, NULL/empty buffers) and
 *   ftp_tls_config_set_client_cert_pem (a matching pair, a key of another
 *   certificate, an encrypted key, garbage), with certificates made here by
 *   `openssl req`; the file setter refuses a mismatched pair too.
 * Server tests of the same calls: test_tls_pem.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef FTP_CARGO_VERSION
#error "FTP_CARGO_VERSION (Cargo.toml's version) must be defined by CMake"
#endif

static char *DIR_;  /* scratch directory for the certificates */

/* ftp_tls_config_last_error(c) must contain `want`. */
#define CHECK_CFG_ERR(c, want)                                                  \
    CHECK_MSG(NULL, strstr(ftp_tls_config_last_error(c), (want)) != NULL,        \
              "ftp_tls_config_last_error is \"%s\", expected it to contain \"%s\"", \
              ftp_tls_config_last_error(c), (want))

static void test_version(void)
{
    char v[64];
    tu_step("FTP_VERSION_* = ftp_version() = Cargo.toml (%s)", FTP_CARGO_VERSION);
    snprintf(v, sizeof v, "%d.%d.%d", FTP_VERSION_MAJOR, FTP_VERSION_MINOR, FTP_VERSION_PATCH);
    CHECK_STR(NULL, ftp_version(), v);
    CHECK_STR(NULL, v, FTP_CARGO_VERSION);
}

static void test_constants_and_close(void)
{
    tu_step("port constants; ftp_transfer_close(NULL)");
    CHECK_INT(NULL, FTP_DEFAULT_PORT, 21);
    CHECK_INT(NULL, FTP_IMPLICIT_PORT, 990);
    CHECK_OK(NULL, ftp_transfer_close(NULL));
}

/* Runs a shell command (openssl req ...); fails the test if it fails. */
static void sh(const char *cmd)
{
    int rc = system(cmd);
    CHECK_MSG(NULL, rc == 0, "command failed (%d): %s", rc, cmd);
}

/* Makes DIR_/<name>-cert.pem and DIR_/<name>-key.pem (self-signed, P-256),
 * the key encrypted (passphrase "secret") or not. */
static void make_cert(const char *name, bool encrypted)
{
    char *cmd = tu_strf(
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -days 2 "
        "-subj /CN=%s %s -keyout %s/%s-key.pem -out %s/%s-cert.pem 2>/dev/null",
        name, encrypted ? "-passout pass:secret" : "-nodes", DIR_, name, DIR_, name);
    sh(cmd);
    free(cmd);
}

static uint8_t *slurp(const char *name, size_t *len)
{
    char *p = tu_path(DIR_, name);
    uint8_t *d = tu_slurp(p, len);
    free(p);
    return d;
}

static void test_last_error(void)
{
    ftp_tls_config *c = ftp_tls_config_new();
    char *missing = tu_path(DIR_, "missing.pem");
    CHECK(NULL, c != NULL);

    tu_step("ftp_tls_config_last_error: \"\" for NULL and for a new config");
    CHECK_STR(NULL, ftp_tls_config_last_error(NULL), "");
    CHECK_STR(NULL, ftp_tls_config_last_error(c), "");

    tu_step("a sentence after each failed setter, \"\" after a success");
    CHECK_RES(NULL, ftp_tls_config_set_ca_file(c, missing), FTP_ERROR_IO);
    CHECK_CFG_ERR(c, "missing.pem");
    CHECK_OK(NULL, ftp_tls_config_set_verify_peer(c, true));
    CHECK_STR(NULL, ftp_tls_config_last_error(c), "");
    CHECK_RES(NULL, ftp_tls_config_set_ca_path(c, NULL), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_CFG_ERR(c, "NULL");
    CHECK_RES(NULL, ftp_tls_config_set_min_version(c, (ftp_tls_version)11),
              FTP_ERROR_INVALID_ARGUMENT);
    CHECK_CFG_ERR(c, "TLS version");
    CHECK_RES(NULL, ftp_tls_config_set_client_cert(c, missing, missing), FTP_ERROR_IO);
    CHECK_CFG_ERR(c, "missing.pem");
    CHECK_OK(NULL, ftp_tls_config_set_ca_path(c, DIR_));
    CHECK_STR(NULL, ftp_tls_config_last_error(c), "");

    tu_step("a NULL config records nothing (and is FTP_ERROR_INVALID_ARGUMENT)");
    CHECK_RES(NULL, ftp_tls_config_add_ca_pem(NULL, (const uint8_t *)"x", 1),
              FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_tls_config_set_client_cert_pem(NULL, (const uint8_t *)"x", 1,
                                                       (const uint8_t *)"x", 1),
              FTP_ERROR_INVALID_ARGUMENT);
    CHECK_STR(NULL, ftp_tls_config_last_error(c), "");
    ftp_tls_config_free(c);
    free(missing);
}

static void test_ca_pem(void)
{
    ftp_tls_config *c = ftp_tls_config_new();
    size_t alen, blen;
    uint8_t *a = slurp("a-cert.pem", &alen);
    uint8_t *b = slurp("b-cert.pem", &blen);
    uint8_t *both = malloc(alen + blen + 32);
    size_t n = 0;
    CHECK(NULL, c != NULL && both != NULL);

    tu_step("ftp_tls_config_add_ca_pem: one certificate, then a blob of two");
    CHECK_OK(NULL, ftp_tls_config_add_ca_pem(c, a, alen));
    CHECK_STR(NULL, ftp_tls_config_last_error(c), "");
    memcpy(both, a, alen);
    n = alen;
    memcpy(both + n, "text between blocks\n", 20);
    n += 20;
    memcpy(both + n, b, blen);
    n += blen;
    CHECK_OK(NULL, ftp_tls_config_add_ca_pem(c, both, n));

    tu_step("garbage, a damaged certificate -> FTP_ERROR_TLS with a reason");
    CHECK_RES(NULL, ftp_tls_config_add_ca_pem(c, (const uint8_t *)"not PEM at all\n", 15),
              FTP_ERROR_TLS);
    CHECK_CFG_ERR(c, "no PEM certificate");
    memcpy(both + alen / 2, "!!!!!!!!", 8); /* inside the base64 of the first one */
    CHECK_RES(NULL, ftp_tls_config_add_ca_pem(c, both, n), FTP_ERROR_TLS);
    CHECK_MSG(NULL, ftp_tls_config_last_error(c)[0] != '\0', "no reason for a damaged PEM");
    /* A private key is not a certificate. */
    {
        size_t klen;
        uint8_t *k = slurp("a-key.pem", &klen);
        CHECK_RES(NULL, ftp_tls_config_add_ca_pem(c, k, klen), FTP_ERROR_TLS);
        CHECK_CFG_ERR(c, "no PEM certificate");
        free(k);
    }

    tu_step("NULL or empty buffers -> FTP_ERROR_INVALID_ARGUMENT with a reason");
    CHECK_RES(NULL, ftp_tls_config_add_ca_pem(c, NULL, 10), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_CFG_ERR(c, "NULL");
    CHECK_RES(NULL, ftp_tls_config_add_ca_pem(c, NULL, 0), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_CFG_ERR(c, "empty");
    CHECK_RES(NULL, ftp_tls_config_add_ca_pem(c, a, 0), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_OK(NULL, ftp_tls_config_add_ca_pem(c, a, alen));
    CHECK_STR(NULL, ftp_tls_config_last_error(c), "");

    tu_step("a session copies a config holding PEM certificates");
    {
        ftp_session *s = ftp_session_new_tls(c);
        CHECK(NULL, s != NULL);
        ftp_tls_config_free(c);
        CHECK_RES(s, ftp_auth(s), FTP_ERROR_STATE); /* not connected */
        ftp_session_free(s);
    }
    free(both);
    free(a);
    free(b);
}

static void test_client_cert_pem(void)
{
    ftp_tls_config *c = ftp_tls_config_new();
    size_t acl, akl, bkl, ekl, ecl;
    uint8_t *acert = slurp("a-cert.pem", &acl);
    uint8_t *akey = slurp("a-key.pem", &akl);
    uint8_t *bkey = slurp("b-key.pem", &bkl);
    uint8_t *ecert = slurp("enc-cert.pem", &ecl);
    uint8_t *ekey = slurp("enc-key.pem", &ekl);
    CHECK(NULL, c != NULL);

    tu_step("ftp_tls_config_set_client_cert_pem: a matching pair");
    CHECK_OK(NULL, ftp_tls_config_set_client_cert_pem(c, acert, acl, akey, akl));
    CHECK_STR(NULL, ftp_tls_config_last_error(c), "");

    tu_step("the key of another certificate, an encrypted key, garbage -> FTP_ERROR_TLS");
    CHECK_RES(NULL, ftp_tls_config_set_client_cert_pem(c, acert, acl, bkey, bkl), FTP_ERROR_TLS);
    CHECK_CFG_ERR(c, "does not match");
    CHECK_RES(NULL, ftp_tls_config_set_client_cert_pem(c, ecert, ecl, ekey, ekl), FTP_ERROR_TLS);
    CHECK_CFG_ERR(c, "encrypted");
    CHECK_RES(NULL, ftp_tls_config_set_client_cert_pem(c, acert, acl, (const uint8_t *)"junk", 4),
              FTP_ERROR_TLS);
    CHECK_CFG_ERR(c, "client key");
    CHECK_RES(NULL, ftp_tls_config_set_client_cert_pem(c, akey, akl, akey, akl), FTP_ERROR_TLS);
    CHECK_CFG_ERR(c, "no PEM certificate");

    tu_step("NULL or empty buffers -> FTP_ERROR_INVALID_ARGUMENT");
    CHECK_RES(NULL, ftp_tls_config_set_client_cert_pem(c, NULL, 5, akey, akl),
              FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_tls_config_set_client_cert_pem(c, acert, acl, NULL, 0),
              FTP_ERROR_INVALID_ARGUMENT);
    CHECK_CFG_ERR(c, "empty");

    tu_step("the file setter checks the pair at once too");
    {
        char *cert = tu_path(DIR_, "a-cert.pem");
        char *key = tu_path(DIR_, "b-key.pem");
        char *good = tu_path(DIR_, "a-key.pem");
        char *enc = tu_path(DIR_, "enc-key.pem");
        char *enccert = tu_path(DIR_, "enc-cert.pem");
        CHECK_RES(NULL, ftp_tls_config_set_client_cert(c, cert, key), FTP_ERROR_TLS);
        CHECK_CFG_ERR(c, "does not match");
        /* Refused, never a passphrase prompt on the terminal. */
        CHECK_RES(NULL, ftp_tls_config_set_client_cert(c, enccert, enc), FTP_ERROR_TLS);
        CHECK_CFG_ERR(c, "encrypted");
        CHECK_OK(NULL, ftp_tls_config_set_client_cert(c, cert, good));
        CHECK_STR(NULL, ftp_tls_config_last_error(c), "");
        free(cert);
        free(key);
        free(good);
        free(enc);
        free(enccert);
    }
    ftp_tls_config_free(c);
    free(acert);
    free(akey);
    free(bkey);
    free(ecert);
    free(ekey);
}

int main(void)
{
    char tmpl[] = "/tmp/libftp-ctest-abi-XXXXXX";
    setvbuf(stdout, NULL, _IOLBF, 0);

    test_version();
    test_constants_and_close();

    DIR_ = mkdtemp(tmpl);
    CHECK(NULL, DIR_ != NULL);
    tu_step("certificates from openssl req in %s", DIR_);
    make_cert("a", false);
    make_cert("b", false);
    make_cert("enc", true);
    test_last_error();
    test_ca_pem();
    test_client_cert_pem();
    {
        char *cmd = tu_strf("rm -rf '%s'", DIR_);
        sh(cmd);
        free(cmd);
    }
    printf("PASS test_abi\n");
    return 0;
}
