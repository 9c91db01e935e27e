/* test_tls_pem: FTPS with certificates given in memory, against vsftpd
 * explicit and implicit FTPS (require_ssl_reuse=YES, certificates of the
 * test CA, host name "localhost"; see test_tls for the servers).
 *
 * - ftp_tls_config_add_ca_pem with FTP_TEST_TLS_CAFILE read into memory:
 *   login with verification on (peer and host name), PROT P downloads
 *   compared byte for byte with the files on disk, explicit and implicit;
 * - a wrong CA in memory (the self-signed test certificate): FTP_ERROR_TLS
 *   "certificate verify failed", and the session is closed; so the PEM CA
 *   replaces the system roots as a CA file does;
 * - a blob of two certificates (the wrong one first), and a CA file plus a
 *   PEM CA: both trusted;
 * - a client certificate in memory (the test server's own pair: vsftpd asks
 *   for one and requires none, so this shows that it is accepted; the Rust
 *   test tests/tls_client_pem.rs shows it is presented, to a server that
 *   requires one);
 * - one config holding PEM data shared by 4 threads, each downloading.
 * The setters' errors without a server: test_abi.
 */
#include "testutil.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static tu_server VS;   /* vsftpd explicit FTPS */
static tu_server VI;   /* vsftpd implicit FTPS */
static char *VS_PUB;   /* local path of vsftpds' pub/ */
static uint8_t *CA;    /* the test CA, PEM */
static size_t CA_LEN;
static char *TLS_DIR;  /* FTP_TEST_TLS_DIR */

/* FTP_TEST_<var>: the servers set it whenever they set the others. */
static const char *env_set(const char *var)
{
    const char *v = getenv(var);
    CHECK_MSG(NULL, v != NULL && v[0] != '\0', "%s is not set by the test servers", var);
    return v;
}

static uint8_t *tls_file(const char *name, size_t *len)
{
    char *p = tu_path(TLS_DIR, name);
    uint8_t *d = tu_slurp(p, len);
    free(p);
    return d;
}

/* Connected, logged in, PROT P, in pub/: or fails the test. */
static ftp_session *open_secure(const ftp_tls_config *c, const tu_server *srv, bool implicit)
{
    ftp_session *s = ftp_session_new_tls(c);
    CHECK(NULL, s != NULL);
    CHECK_OK(s, ftp_set_timeout_ms(s, 30000));
    if (implicit) CHECK_OK(s, ftp_set_implicit_tls(s, true));
    CHECK_OK(s, ftp_connect(s, srv->host, srv->port));
    CHECK_OK(s, ftp_login(s, NULL, NULL, NULL));
    CHECK_CODE(s, 230);
    CHECK_OK(s, ftp_prot_p(s));
    CHECK_OK(s, ftp_cwd(s, "pub"));
    return s;
}

/* RETR name (protected) equals pub/name on disk. */
static void retr_compare(ftp_session *s, const char *name)
{
    tu_buf b;
    size_t len;
    char *path = tu_path(VS_PUB, name);
    char *cmd = tu_strf("RETR %s", name);
    uint8_t *want = tu_slurp(path, &len);
    memset(&b, 0, sizeof b);
    CHECK_OK(s, ftp_retrbinary(s, cmd, tu_buf_sink, &b, 0, FTP_NO_REST));
    CHECK_CODE(s, 226);
    CHECK_MEM(s, b.data, b.len, want, len);
    tu_buf_free(&b);
    free(want);
    free(cmd);
    free(path);
}

static void download_twice(const ftp_tls_config *c, const tu_server *srv, bool implicit)
{
    ftp_session *s = open_secure(c, srv, implicit);
    retr_compare(s, "big.bin");
    retr_compare(s, "hello.txt"); /* a second data connection: TLS reuse */
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
}

static void test_ca_in_memory(void)
{
    ftp_tls_config *c = ftp_tls_config_new();
    CHECK(NULL, c != NULL);
    tu_step("the test CA as PEM in memory: explicit FTPS, verified, two downloads");
    CHECK_OK(NULL, ftp_tls_config_add_ca_pem(c, CA, CA_LEN));
    download_twice(c, &VS, false);
    tu_step("the same config: implicit FTPS");
    download_twice(c, &VI, true);
    ftp_tls_config_free(c);
}

static void test_wrong_ca(void)
{
    size_t len;
    uint8_t *wrong = tls_file("selfsigned-cert.pem", &len);
    ftp_tls_config *c = ftp_tls_config_new();
    ftp_session *s;
    const char *p = NULL;
    ftp_result r;
    CHECK(NULL, c != NULL);

    tu_step("a wrong CA in memory: FTP_ERROR_TLS, certificate verify failed, closed");
    CHECK_OK(NULL, ftp_tls_config_add_ca_pem(c, wrong, len));
    s = ftp_session_new_tls(c);
    CHECK(NULL, s != NULL);
    CHECK_OK(s, ftp_set_timeout_ms(s, 30000));
    CHECK_OK(s, ftp_connect(s, VS.host, VS.port));
    CHECK_RES(s, ftp_login(s, NULL, NULL, NULL), FTP_ERROR_TLS);
    CHECK_MSG(s, strstr(ftp_last_error(s), "certificate verify failed") != NULL,
              "ftp_last_error: %s", ftp_last_error(s));
    r = ftp_pwd(s, &p);
    CHECK_MSG(s, r == FTP_ERROR_STATE, "after the refusal ftp_pwd gave %s (must be closed)",
              ftp_result_name(r));
    ftp_session_free(s);

    tu_step("adding the right CA as well (a second call): both trusted, login works");
    CHECK_OK(NULL, ftp_tls_config_add_ca_pem(c, CA, CA_LEN));
    download_twice(c, &VS, false);
    ftp_tls_config_free(c);

    tu_step("one blob holding the wrong certificate, then the CA: both trusted");
    {
        uint8_t *both = malloc(len + CA_LEN);
        CHECK(NULL, both != NULL);
        memcpy(both, wrong, len);
        memcpy(both + len, CA, CA_LEN);
        c = ftp_tls_config_new();
        CHECK_OK(NULL, ftp_tls_config_add_ca_pem(c, both, len + CA_LEN));
        download_twice(c, &VS, false);
        ftp_tls_config_free(c);
        free(both);
    }

    tu_step("a CA file (the wrong certificate) and the CA in memory: both trusted");
    {
        char *path = tu_path(TLS_DIR, "selfsigned-cert.pem");
        c = ftp_tls_config_new();
        CHECK_OK(NULL, ftp_tls_config_set_ca_file(c, path));
        CHECK_OK(NULL, ftp_tls_config_add_ca_pem(c, CA, CA_LEN));
        download_twice(c, &VS, false);
        ftp_tls_config_free(c);
        free(path);
    }
    free(wrong);
}

static void test_client_cert(void)
{
    size_t cl, kl;
    uint8_t *cert = tls_file("server-cert.pem", &cl);
    uint8_t *key = tls_file("server-key.pem", &kl);
    ftp_tls_config *c = ftp_tls_config_new();
    CHECK(NULL, c != NULL);
    tu_step("a client certificate in memory (vsftpd asks for one): login + downloads");
    CHECK_OK(NULL, ftp_tls_config_add_ca_pem(c, CA, CA_LEN));
    CHECK_OK(NULL, ftp_tls_config_set_client_cert_pem(c, cert, cl, key, kl));
    CHECK_STR(NULL, ftp_tls_config_last_error(c), "");
    download_twice(c, &VS, false);
    ftp_tls_config_free(c);
    free(cert);
    free(key);
}

#define N_THREADS 4

static void *thread_main(void *p)
{
    download_twice(p, &VS, false);
    return NULL;
}

static void test_shared(void)
{
    pthread_t th[N_THREADS];
    ftp_tls_config *c = ftp_tls_config_new();
    int i, err;
    CHECK(NULL, c != NULL);
    tu_step("one PEM config shared by %d threads, each making a session", N_THREADS);
    CHECK_OK(NULL, ftp_tls_config_add_ca_pem(c, CA, CA_LEN));
    for (i = 0; i < N_THREADS; i++) {
        err = pthread_create(&th[i], NULL, thread_main, c);
        CHECK_MSG(NULL, err == 0, "pthread_create: %s", strerror(err));
    }
    for (i = 0; i < N_THREADS; i++) {
        err = pthread_join(th[i], NULL);
        CHECK_MSG(NULL, err == 0, "pthread_join: %s", strerror(err));
    }
    CHECK_STR(NULL, ftp_tls_config_last_error(c), "");
    ftp_tls_config_free(c);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    tu_server_env("VSFTPDS", false, &VS);
    tu_server_env("VSFTPDI", false, &VI);
    CA = tu_slurp(env_set("FTP_TEST_TLS_CAFILE"), &CA_LEN);
    TLS_DIR = tu_strf("%s", env_set("FTP_TEST_TLS_DIR"));
    VS_PUB = tu_path(VS.root, "pub");

    test_ca_in_memory();
    test_wrong_ca();
    test_client_cert();
    test_shared();

    free(VS_PUB);
    free(TLS_DIR);
    free(CA);
    printf("PASS test_tls_pem\n");
    return 0;
}
