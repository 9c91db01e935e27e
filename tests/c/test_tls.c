/* test_tls: FTPS (ftplib's FTP_TLS, RFC 4217) through the C API.
 *
 * Without a server: ftp_tls_config_new/free and every setter (NULL
 * arguments, bad version values, missing files), ftp_session_new_tls(NULL),
 * and the TLS calls on a plain session (FTP_ERROR_STATE).
 *
 * Servers (tests/servers/ftpservers.py; all share the test CA of
 * FTP_TEST_TLS_CAFILE and are reached by the name "localhost"):
 * - vsftpd explicit FTPS (FTP_TEST_VSFTPDS_*): anonymous, TLS forced on the
 *   login and on data connections, require_ssl_reuse=YES (a data connection
 *   that does not resume the control connection's TLS session gets "522 SSL
 *   connection failed: session reuse required") and strict_ssl_read_eof=YES
 *   (an upload not ended with close_notify is refused: the 226 is only sent
 *   after a clean TLS shutdown); writable pub/ with the usual fixtures.
 * - vsftpd implicit FTPS (FTP_TEST_VSFTPDI_*): the same, TLS from the first
 *   byte.
 * - vsftpd explicit FTPS with bad certificates
 *   (FTP_TEST_BADCERT_{WRONGHOST,EXPIRED,SELFSIGNED}_PORT, host
 *   FTP_TEST_BADCERT_HOST): a certificate for "wrong.example" signed by the
 *   CA, an expired one signed by the CA, a self-signed one.
 * - pyftpdlib explicit FTPS (FTP_TEST_PYFTPDS_*): tester/secret with full
 *   rights, TLS optional on both connections (so PROT C works), MLSD.
 *
 * Checks: AUTH TLS before USER in ftp_login, auth twice -> STATE, PROT P
 * transfers of every kind in a row on one session (each data connection
 * resumes the TLS session) in passive and active mode, the raw transfer API
 * (ftp_transfercmd/ftp_ntransfercmd + read/write/close + voidresp 226),
 * TLS 1.2 and TLS 1.3 forced, implicit FTPS, certificate refusals (default
 * trust, wrong host, expired, self-signed) and the options that relax them,
 * PROT P/C/P switching and MLSD on pyftpdlib, one ftp_tls_config shared by
 * 8 threads making 32 sessions, CCC (vsftpd: 500 -> FTP_ERROR_PERM, the
 * session goes on; pyftpdlib's test server: 200, clear-text control, data
 * still protected), a client certificate (FTP_TEST_TLS_DIR), and local files
 * OpenSSL cannot use (a non-PEM CA file, a key not matching its
 * certificate): FTP_ERROR_TLS from the setter with a reason in
 * ftp_tls_config_last_error; a CA file spoilt after the setter:
 * FTP_ERROR_TLS after the 234, and the session is closed rather than used
 * in clear text.
 *
 * Every download is compared with the file on disk, every upload by reading
 * the file the server wrote.
 */
#include "testutil.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static tu_server VS;   /* vsftpd explicit FTPS */
static tu_server VI;   /* vsftpd implicit FTPS */
static tu_server PS;   /* pyftpdlib explicit FTPS */
static const char *CAFILE;
static const char *BADHOST;
static uint16_t PORT_WRONGHOST, PORT_EXPIRED, PORT_SELFSIGNED;
static char *VS_PUB;   /* local path of vsftpds' pub/ */
static uint8_t *BIG;   /* pub/big.bin of vsftpds as on disk */
static size_t BIG_LEN;

#define CHECK_NOOP(s)                            \
    do {                                         \
        CHECK_OK(s, ftp_sendcmd(s, "NOOP"));     \
        CHECK_CODE(s, 200);                      \
    } while (0)

/* ftp_last_error(s) must contain `want`. */
#define CHECK_ERR_HAS(s, want)                                                        \
    CHECK_MSG(s, strstr(ftp_last_error(s), (want)) != NULL,                          \
              "ftp_last_error does not contain \"%s\"", (want))

/* ------------------------------------------------------------ helpers */

static bool require_servers(void)
{
    const char *req = getenv("FTP_TEST_REQUIRE_SERVERS");
    return req != NULL && strcmp(req, "1") == 0;
}

/* A variable the server tests need: missing -> SKIP (77), or FAIL with
 * FTP_TEST_REQUIRE_SERVERS=1 (the rule of tu_server_env). */
static const char *env_needed(const char *var)
{
    const char *v = getenv(var);
    if (v == NULL || v[0] == '\0') {
        if (require_servers()) {
            fprintf(stderr,
                    "FAIL: %s is not set but FTP_TEST_REQUIRE_SERVERS=1: start the test "
                    "servers (python3 tests/servers/ftpservers.py --env-file F) and "
                    "export F's variables (scripts/test.sh does both)\n",
                    var);
            exit(1);
        }
        printf("SKIP: no servers (%s is not set)\n", var);
        fflush(stdout);
        exit(TU_SKIP);
    }
    return v;
}

static uint16_t env_port(const char *var)
{
    const char *v = env_needed(var);
    char *end = NULL;
    long port = strtol(v, &end, 10);
    if (end == v || *end != '\0' || port <= 0 || port > 65535) {
        fprintf(stderr, "FAIL: %s=%s is not a port number\n", var, v);
        exit(1);
    }
    return (uint16_t)port;
}

static void apply_debug(ftp_session *s)
{
    /* FTP_TEST_DEBUG=1|2: the protocol dialogue on stderr. */
    const char *dbg = getenv("FTP_TEST_DEBUG");
    if (dbg != NULL && atoi(dbg) > 0) CHECK_OK(s, ftp_set_debuglevel(s, atoi(dbg)));
}

/* A config trusting the test CA (verify peer and host name stay on). */
static ftp_tls_config *ca_config(void)
{
    ftp_tls_config *c = ftp_tls_config_new();
    CHECK(NULL, c != NULL);
    CHECK_OK(NULL, ftp_tls_config_set_ca_file(c, CAFILE));
    return c;
}

/* A new FTPS session from `c` with the safety timeout, not connected. */
static ftp_session *tls_session(const ftp_tls_config *c)
{
    ftp_session *s = ftp_session_new_tls(c);
    CHECK(NULL, s != NULL);
    /* Far below CTest's timeout: a hang becomes FTP_ERROR_TIMEOUT. */
    CHECK_OK(s, ftp_set_timeout_ms(s, 30000));
    apply_debug(s);
    return s;
}

/* Connected, logged in (AUTH TLS first), PROT P, and in pub/ for vsftpd. */
static ftp_session *open_secure(const ftp_tls_config *c, const tu_server *srv, bool implicit)
{
    ftp_session *s = tls_session(c);
    if (implicit) CHECK_OK(s, ftp_set_implicit_tls(s, true));
    CHECK_OK(s, ftp_connect(s, srv->host, srv->port));
    CHECK_CODE(s, 220);
    CHECK_OK(s, ftp_login(s, srv->user, srv->pass, NULL));
    CHECK_CODE(s, 230);
    CHECK_OK(s, ftp_prot_p(s));
    CHECK_CODE(s, 200);
    if (srv->user == NULL) CHECK_OK(s, ftp_cwd(s, "pub"));
    return s;
}

/* RETR `name` with retrbinary; compares with dir/name on disk. */
static void retr_compare(ftp_session *s, const char *dir, const char *name)
{
    tu_buf b;
    size_t len;
    char *path = tu_path(dir, name);
    char *cmd = tu_strf("RETR %s", name);
    uint8_t *want = tu_slurp(path, &len);
    memset(&b, 0, sizeof b);
    CHECK_OK(s, ftp_retrbinary(s, cmd, tu_buf_sink, &b, 0, FTP_NO_REST));
    CHECK_CODE(s, 226);
    CHECK_INT(s, b.bad_calls, 0);
    CHECK_MEM(s, b.data, b.len, want, len);
    tu_buf_free(&b);
    free(want);
    free(cmd);
    free(path);
}

/* STOR `name` with storbinary; checks dir/name on disk. */
static void stor_compare(ftp_session *s, const char *dir, const char *name, const uint8_t *data,
                         size_t len, size_t blocksize)
{
    tu_src src;
    char *path = tu_path(dir, name);
    char *cmd = tu_strf("STOR %s", name);
    memset(&src, 0, sizeof src);
    src.data = data;
    src.len = len;
    CHECK_OK(s, ftp_storbinary(s, cmd, tu_src_read, &src, blocksize, NULL, FTP_NO_REST));
    CHECK_CODE(s, 226);
    CHECK_INT(s, src.bad_calls, 0);
    CHECK_INT(s, src.pos, len);
    CHECK_FILE(s, path, data, len);
    free(cmd);
    free(path);
}

/* Downloads `name` again and compares with `data` (what was uploaded). */
static void retr_equals(ftp_session *s, const char *name, const uint8_t *data, size_t len)
{
    tu_buf b;
    char *cmd = tu_strf("RETR %s", name);
    memset(&b, 0, sizeof b);
    CHECK_OK(s, ftp_retrbinary(s, cmd, tu_buf_sink, &b, 0, FTP_NO_REST));
    CHECK_CODE(s, 226);
    CHECK_MEM(s, b.data, b.len, data, len);
    tu_buf_free(&b);
    free(cmd);
}

static void delete_file(ftp_session *s, const char *dir, const char *name)
{
    char *path = tu_path(dir, name);
    CHECK_OK(s, ftp_delete(s, name));
    CHECK_CODE(s, 250);
    CHECK_MSG(s, !tu_exists(path), "%s still exists after DELE", path);
    free(path);
}

/* retrlines RETR hello.txt -> exactly one line "hello world". */
static void retrlines_hello(ftp_session *s)
{
    tu_lines l;
    memset(&l, 0, sizeof l);
    CHECK_OK(s, ftp_retrlines(s, "RETR hello.txt", tu_lines_sink, &l));
    CHECK_CODE(s, 226);
    CHECK_MSG(s, l.bad == 0, "line callback: %s", l.bad_msg);
    if (l.n != 1 || strcmp(l.lines[0], "hello world") != 0) {
        tu_lines_dump(&l, "retrlines RETR hello.txt");
        CHECK_MSG(s, 0, "expected the single line \"hello world\"");
    }
    tu_lines_free(&l);
}

/* NLST must list the fixtures (and `also` when not NULL). */
static void nlst_fixtures(ftp_session *s, const char *also)
{
    static const char *names[] = {"hello.txt", "big.bin", "empty.bin", "lines.txt", "subdir"};
    tu_lines l;
    size_t i;
    memset(&l, 0, sizeof l);
    CHECK_OK(s, ftp_nlst(s, NULL, tu_lines_sink, &l));
    CHECK_CODE(s, 226);
    CHECK_MSG(s, l.bad == 0, "line callback: %s", l.bad_msg);
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (tu_lines_index(&l, names[i]) < 0) {
            tu_lines_dump(&l, "NLST");
            CHECK_MSG(s, 0, "NLST does not list %s", names[i]);
        }
    }
    if (also != NULL && tu_lines_index(&l, also) < 0) {
        tu_lines_dump(&l, "NLST");
        CHECK_MSG(s, 0, "NLST does not list %s", also);
    }
    tu_lines_free(&l);
}

/* ---------------------------------------------------- without servers */

static void test_config_api(void)
{
    ftp_tls_config *c;
    ftp_session *s;
    const char *p = NULL;
    char dir_tmpl[] = "/tmp/libftp-ctest-tls-XXXXXX";
    char *dir, *file, *missing;

    tu_step("ftp_tls_config_new / ftp_tls_config_free (also NULL)");
    c = ftp_tls_config_new();
    CHECK(NULL, c != NULL);
    ftp_tls_config_free(c);
    ftp_tls_config_free(NULL);

    tu_step("every setter with a NULL config -> FTP_ERROR_INVALID_ARGUMENT");
    CHECK_RES(NULL, ftp_tls_config_set_ca_file(NULL, "/etc/hostname"),
              FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_tls_config_set_ca_path(NULL, "/tmp"), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_tls_config_set_verify_peer(NULL, false), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_tls_config_set_check_hostname(NULL, false), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_tls_config_set_client_cert(NULL, "/etc/hostname", "/etc/hostname"),
              FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_tls_config_set_min_version(NULL, FTP_TLS_1_2),
              FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_tls_config_set_max_version(NULL, FTP_TLS_1_3),
              FTP_ERROR_INVALID_ARGUMENT);

    /* A scratch directory with one file in it. */
    dir = mkdtemp(dir_tmpl);
    CHECK(NULL, dir != NULL);
    file = tu_path(dir, "not-a-ca.pem");
    missing = tu_path(dir, "missing.pem");
    tu_write_file(file, "not a certificate\n", 18);

    c = ftp_tls_config_new();
    CHECK(NULL, c != NULL);
    tu_step("NULL string arguments -> FTP_ERROR_INVALID_ARGUMENT");
    CHECK_RES(NULL, ftp_tls_config_set_ca_file(c, NULL), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_tls_config_set_ca_path(c, NULL), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_tls_config_set_client_cert(c, NULL, file), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_tls_config_set_client_cert(c, file, NULL), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_tls_config_set_client_cert(c, NULL, NULL), FTP_ERROR_INVALID_ARGUMENT);

    tu_step("bad version values -> FTP_ERROR_INVALID_ARGUMENT; 12 and 13 accepted");
    CHECK_RES(NULL, ftp_tls_config_set_min_version(c, (ftp_tls_version)11),
              FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_tls_config_set_min_version(c, (ftp_tls_version)99),
              FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_tls_config_set_min_version(c, (ftp_tls_version)0),
              FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_tls_config_set_min_version(c, (ftp_tls_version)-1),
              FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_tls_config_set_max_version(c, (ftp_tls_version)11),
              FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_tls_config_set_max_version(c, (ftp_tls_version)99),
              FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_tls_config_set_max_version(c, (ftp_tls_version)14),
              FTP_ERROR_INVALID_ARGUMENT);
    CHECK_OK(NULL, ftp_tls_config_set_min_version(c, FTP_TLS_1_2));
    CHECK_OK(NULL, ftp_tls_config_set_min_version(c, FTP_TLS_1_3));
    CHECK_OK(NULL, ftp_tls_config_set_max_version(c, FTP_TLS_1_3));
    CHECK_OK(NULL, ftp_tls_config_set_max_version(c, FTP_TLS_1_2));
    CHECK_OK(NULL, ftp_tls_config_set_min_version(c, FTP_TLS_1_2));

    tu_step("booleans");
    CHECK_OK(NULL, ftp_tls_config_set_verify_peer(c, false));
    CHECK_OK(NULL, ftp_tls_config_set_verify_peer(c, true));
    CHECK_OK(NULL, ftp_tls_config_set_check_hostname(c, false));
    CHECK_OK(NULL, ftp_tls_config_set_check_hostname(c, true));

    tu_step("missing files -> FTP_ERROR_IO; wrong kind -> an error");
    CHECK_RES(NULL, ftp_tls_config_set_ca_file(c, missing), FTP_ERROR_IO);
    CHECK_RES(NULL, ftp_tls_config_set_ca_file(c, "/nonexistent-dir/ca.pem"), FTP_ERROR_IO);
    CHECK_RES(NULL, ftp_tls_config_set_ca_path(c, missing), FTP_ERROR_IO);
    CHECK_RES(NULL, ftp_tls_config_set_client_cert(c, missing, file), FTP_ERROR_IO);
    CHECK_RES(NULL, ftp_tls_config_set_client_cert(c, file, missing), FTP_ERROR_IO);
    {
        /* A directory as CA file, a file as CA directory: refused (the
         * library says INVALID_ARGUMENT; IO would be acceptable too). */
        ftp_result r1 = ftp_tls_config_set_ca_file(c, dir);
        ftp_result r2 = ftp_tls_config_set_ca_path(c, file);
        CHECK_MSG(NULL, r1 == FTP_ERROR_INVALID_ARGUMENT || r1 == FTP_ERROR_IO,
                  "set_ca_file(directory) gave %s", ftp_result_name(r1));
        CHECK_MSG(NULL, r2 == FTP_ERROR_INVALID_ARGUMENT || r2 == FTP_ERROR_IO,
                  "set_ca_path(file) gave %s", ftp_result_name(r2));
    }
    tu_step("existing paths accepted");
    CHECK_OK(NULL, ftp_tls_config_set_ca_path(c, dir));

    tu_step("ftp_session_new_tls(config) and (NULL); free in any order");
    s = ftp_session_new_tls(c);
    CHECK(NULL, s != NULL);
    ftp_tls_config_free(c);
    CHECK(s, ftp_getwelcome(s) == NULL);
    CHECK_RES(s, ftp_pwd(s, &p), FTP_ERROR_STATE);
    ftp_session_free(s);
    s = ftp_session_new_tls(NULL);
    CHECK(NULL, s != NULL);
    CHECK(s, ftp_getwelcome(s) == NULL);
    tu_step("TLS session, not connected: implicit on/off OK, auth/prot/ccc -> STATE");
    CHECK_OK(s, ftp_set_implicit_tls(s, true));
    CHECK_OK(s, ftp_set_implicit_tls(s, false));
    CHECK_RES(s, ftp_auth(s), FTP_ERROR_STATE);
    CHECK_RES(s, ftp_prot_p(s), FTP_ERROR_STATE);
    CHECK_RES(s, ftp_prot_c(s), FTP_ERROR_STATE);
    CHECK_RES(s, ftp_ccc(s), FTP_ERROR_STATE);
    ftp_session_free(s);

    tu_step("NULL session -> FTP_ERROR_INVALID_ARGUMENT");
    CHECK_RES(NULL, ftp_set_implicit_tls(NULL, true), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_auth(NULL), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_prot_p(NULL), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_prot_c(NULL), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_ccc(NULL), FTP_ERROR_INVALID_ARGUMENT);

    tu_step("plain session (ftp_session_new): TLS calls -> FTP_ERROR_STATE with a sentence");
    s = ftp_session_new();
    CHECK(NULL, s != NULL);
    CHECK_RES(s, ftp_auth(s), FTP_ERROR_STATE);
    CHECK_MSG(s, ftp_last_error(s)[0] != '\0', "no sentence after FTP_ERROR_STATE");
    CHECK_RES(s, ftp_prot_p(s), FTP_ERROR_STATE);
    CHECK_RES(s, ftp_prot_c(s), FTP_ERROR_STATE);
    CHECK_RES(s, ftp_ccc(s), FTP_ERROR_STATE);
    CHECK_RES(s, ftp_set_implicit_tls(s, true), FTP_ERROR_STATE);
    CHECK_RES(s, ftp_set_implicit_tls(s, false), FTP_ERROR_STATE);
    ftp_session_free(s);

    unlink(file);
    rmdir(dir);
    free(file);
    free(missing);
}

/* ----------------------------------------------------- vsftpd explicit */

static void test_plain_session_connected(void)
{
    /* A plain session connected to the FTPS server: still STATE, nothing sent. */
    ftp_session *s = ftp_session_new();
    tu_step("plain session connected to vsftpds: auth/prot_p/ccc/implicit -> STATE");
    CHECK_OK(s, ftp_set_timeout_ms(s, 30000));
    CHECK_OK(s, ftp_connect(s, VS.host, VS.port));
    CHECK_CODE(s, 220);
    CHECK_RES(s, ftp_auth(s), FTP_ERROR_STATE);
    CHECK_RES(s, ftp_prot_p(s), FTP_ERROR_STATE);
    CHECK_RES(s, ftp_ccc(s), FTP_ERROR_STATE);
    CHECK_RES(s, ftp_set_implicit_tls(s, true), FTP_ERROR_STATE);
    tu_step("vsftpds refuses a clear-text login (force_anon_logins_ssl)");
    {
        ftp_result r = ftp_login(s, NULL, NULL, NULL);
        CHECK_MSG(s, r == FTP_ERROR_PERM, "clear-text login gave %s", ftp_result_name(r));
        CHECK_CODE(s, 530);
        CHECK_STR(s, ftp_last_response(s), "530 Anonymous sessions must use encryption.");
    }
    /* vsftpd hangs up after that 530. */
    CHECK_RES(s, ftp_sendcmd(s, "NOOP"), FTP_ERROR_EOF);
    CHECK_OK(s, ftp_close(s));
    ftp_session_free(s);
}

static void test_explicit_sequence(void)
{
    ftp_tls_config *c = ca_config();
    ftp_session *s = tls_session(c);
    tu_lines dbg;
    const char *p = NULL;
    uint8_t *up = tu_gen_data(3 * 1024 * 1024 + 123, 0x7151u);
    size_t up_len = 3 * 1024 * 1024 + 123;
    char *name = tu_unique("tls_up");
    size_t i;
    int auth_at = -1, user_at = -1;

    ftp_tls_config_free(c); /* the session keeps its copy */

    tu_step("explicit: prot_p / auth before connect -> STATE");
    CHECK_RES(s, ftp_prot_p(s), FTP_ERROR_STATE);
    CHECK_RES(s, ftp_auth(s), FTP_ERROR_STATE);

    tu_step("explicit: connect (clear text 220), prot_p before AUTH -> STATE");
    CHECK_OK(s, ftp_connect(s, VS.host, VS.port));
    CHECK_CODE(s, 220);
    CHECK_MSG(s, tu_starts_with(ftp_getwelcome(s), "220"), "welcome");
    CHECK_RES(s, ftp_prot_p(s), FTP_ERROR_STATE);
    CHECK_RES(s, ftp_ccc(s), FTP_ERROR_STATE);
    CHECK_RES(s, ftp_set_implicit_tls(s, true), FTP_ERROR_STATE);

    tu_step("explicit: ftp_login sends AUTH TLS before USER");
    memset(&dbg, 0, sizeof dbg);
    CHECK_OK(s, ftp_set_debug_callback(s, tu_debug_sink, &dbg));
    CHECK_OK(s, ftp_set_debuglevel(s, 1));
    CHECK_OK(s, ftp_login(s, NULL, NULL, NULL));
    CHECK_CODE(s, 230);
    CHECK_OK(s, ftp_set_debuglevel(s, 0));
    CHECK_OK(s, ftp_set_debug_callback(s, NULL, NULL));
    for (i = 0; i < dbg.n; i++) {
        if (auth_at < 0 && strstr(dbg.lines[i], "AUTH TLS") != NULL) auth_at = (int)i;
        if (user_at < 0 && strstr(dbg.lines[i], "USER") != NULL) user_at = (int)i;
    }
    if (auth_at < 0 || user_at < 0 || auth_at > user_at ||
        tu_lines_count_prefix(&dbg, "*cmd* 'AUTH TLS'") != 1 ||
        tu_lines_count_prefix(&dbg, "*cmd* 'USER anonymous'") != 1) {
        tu_lines_dump(&dbg, "debug");
        CHECK_MSG(s, 0, "expected *cmd* 'AUTH TLS' (once) before *cmd* 'USER anonymous'");
    }
    /* Protected data by default: login ends with PBSZ 0 + PROT P (once
     * each, after USER), and its result is still the login's 230. */
    {
        int pbsz_at = tu_lines_index(&dbg, "*cmd* 'PBSZ 0'");
        int prot_at = tu_lines_index(&dbg, "*cmd* 'PROT P'");
        if (pbsz_at < user_at || prot_at < pbsz_at ||
            tu_lines_count_prefix(&dbg, "*cmd* 'PBSZ") != 1 ||
            tu_lines_count_prefix(&dbg, "*cmd* 'PROT") != 1) {
            tu_lines_dump(&dbg, "debug");
            CHECK_MSG(s, 0, "expected *cmd* 'PBSZ 0' then *cmd* 'PROT P' after USER, once each");
        }
    }
    CHECK_MSG(s, tu_lines_count_containing(&dbg, "234") >= 1, "no 234 reply to AUTH TLS");
    tu_lines_free(&dbg);

    tu_step("explicit: ftp_auth again -> STATE; session still usable");
    CHECK_RES(s, ftp_auth(s), FTP_ERROR_STATE);
    CHECK_MSG(s, ftp_last_error(s)[0] != '\0', "no sentence");
    CHECK_NOOP(s);
    CHECK_OK(s, ftp_pwd(s, &p));
    CHECK_STR(s, p, "/");

    tu_step("explicit: without ftp_prot_p the first transfer is protected (vsftpd "
            "refuses clear data: force_anon_data_ssl)");
    CHECK_OK(s, ftp_cwd(s, "pub"));
    retr_compare(s, VS_PUB, "hello.txt");
    CHECK_NOOP(s);

    tu_step("explicit: PBSZ 0 + PROT P again (explicit call still fine)");
    CHECK_OK(s, ftp_prot_p(s));
    CHECK_CODE(s, 200);

    tu_step("passive: upload %zu bytes with storbinary", up_len);
    stor_compare(s, VS_PUB, name, up, up_len, 65536);
    tu_step("passive: download it back");
    retr_equals(s, name, up, up_len);
    tu_step("passive: download big.bin");
    retr_compare(s, VS_PUB, "big.bin");
    tu_step("passive: download empty.bin");
    retr_compare(s, VS_PUB, "empty.bin");
    tu_step("passive: retrlines hello.txt");
    retrlines_hello(s);
    tu_step("passive: nlst");
    nlst_fixtures(s, name);
    tu_step("passive: dir (LIST) shows hello.txt");
    {
        tu_lines l;
        memset(&l, 0, sizeof l);
        CHECK_OK(s, ftp_dir(s, NULL, tu_lines_sink, &l));
        CHECK_CODE(s, 226);
        if (tu_lines_count_containing(&l, " hello.txt") != 1) {
            tu_lines_dump(&l, "LIST");
            CHECK_MSG(s, 0, "LIST does not show hello.txt");
        }
        tu_lines_free(&l);
    }
    CHECK_NOOP(s);

    tu_step("active (PORT): the same round on the same session");
    CHECK_OK(s, ftp_set_pasv(s, false));
    delete_file(s, VS_PUB, name);
    stor_compare(s, VS_PUB, name, up, up_len, 0);
    retr_equals(s, name, up, up_len);
    retr_compare(s, VS_PUB, "big.bin");
    retr_compare(s, VS_PUB, "empty.bin");
    retrlines_hello(s);
    nlst_fixtures(s, name);
    CHECK_NOOP(s);
    CHECK_OK(s, ftp_set_pasv(s, true));
    delete_file(s, VS_PUB, name);

    tu_step("PROT C again: vsftpd refuses data in clear text (522), PROT P restores");
    CHECK_OK(s, ftp_prot_c(s));
    CHECK_CODE(s, 200);
    {
        tu_buf b;
        memset(&b, 0, sizeof b);
        CHECK_RES(s, ftp_retrbinary(s, "RETR hello.txt", tu_buf_sink, &b, 0, FTP_NO_REST),
                  FTP_ERROR_PERM);
        CHECK_CODE(s, 522);
        tu_buf_free(&b);
    }
    CHECK_OK(s, ftp_prot_p(s));
    retr_compare(s, VS_PUB, "hello.txt");

    tu_step("quit");
    CHECK_OK(s, ftp_quit(s));
    CHECK_CODE(s, 221);
    CHECK_RES(s, ftp_pwd(s, &p), FTP_ERROR_STATE);
    ftp_session_free(s);
    free(up);
    free(name);
}

/* The raw transfer API under PROT P, passive and active. */
static void test_raw_transfers(void)
{
    ftp_tls_config *c = ca_config();
    ftp_session *s = open_secure(c, &VS, false);
    size_t len = 1024 * 1024 + 77;
    uint8_t *data = tu_gen_data(len, 0xabcdu);
    int mode;

    for (mode = 0; mode < 2; mode++) {
        bool pasv = mode == 0;
        char *name = tu_unique("tls_raw");
        char *path = tu_path(VS_PUB, name);
        char *cmd = tu_strf("STOR %s", name);
        char *rcmd = tu_strf("RETR %s", name);
        ftp_transfer *t = NULL;
        int64_t size = -2;
        tu_buf b;
        uint8_t buf[16384];
        size_t n = 0, off;

        CHECK_OK(s, ftp_set_pasv(s, pasv));

        tu_step("%s: ftp_transfercmd RETR big.bin + ftp_transfer_read + close + voidresp",
                pasv ? "passive" : "active");
        CHECK_OK(s, ftp_voidcmd(s, "TYPE I"));
        CHECK_OK(s, ftp_transfercmd(s, "RETR big.bin", FTP_NO_REST, &t));
        CHECK(s, t != NULL);
        CHECK(s, ftp_transfer_fd(t) >= 0);
        CHECK_CODE(s, 150);
        CHECK_RES(s, ftp_sendcmd(s, "NOOP"), FTP_ERROR_STATE);
        memset(&b, 0, sizeof b);
        for (;;) {
            CHECK_OK(s, ftp_transfer_read(t, buf, sizeof buf, &n));
            if (n == 0) break;
            CHECK(s, n <= sizeof buf);
            tu_buf_append(&b, buf, n);
        }
        /* After the end, reads keep saying 0. */
        CHECK_OK(s, ftp_transfer_read(t, buf, sizeof buf, &n));
        CHECK_INT(s, n, 0);
        CHECK_OK(s, ftp_transfer_close(t));
        CHECK_OK(s, ftp_voidresp(s));
        CHECK_CODE(s, 226);
        CHECK_MEM(s, b.data, b.len, BIG, BIG_LEN);
        tu_buf_free(&b);

        tu_step("%s: ftp_ntransfercmd STOR + ftp_transfer_write + close + voidresp -> 226",
                pasv ? "passive" : "active");
        t = NULL;
        CHECK_OK(s, ftp_ntransfercmd(s, cmd, FTP_NO_REST, &t, &size));
        CHECK(s, t != NULL);
        CHECK_INT(s, size, -1);
        CHECK_CODE(s, 150);
        /* Uneven pieces, so the TLS records do not line up with them. */
        for (off = 0; off < len;) {
            size_t piece = 1 + (off * 7919u) % 50000u;
            if (piece > len - off) piece = len - off;
            CHECK_OK(s, ftp_transfer_write(t, data + off, piece));
            off += piece;
        }
        CHECK_OK(s, ftp_transfer_close(t));
        /* strict_ssl_read_eof: a 226 proves the upload ended with close_notify. */
        CHECK_OK(s, ftp_voidresp(s));
        CHECK_CODE(s, 226);
        CHECK_FILE(s, path, data, len);

        tu_step("%s: ftp_ntransfercmd RETR: expected size from the 150 reply, data back",
                pasv ? "passive" : "active");
        t = NULL;
        size = -2;
        CHECK_OK(s, ftp_ntransfercmd(s, rcmd, FTP_NO_REST, &t, &size));
        CHECK_INT(s, size, (long long)len);
        memset(&b, 0, sizeof b);
        for (;;) {
            CHECK_OK(s, ftp_transfer_read(t, buf, sizeof buf, &n));
            if (n == 0) break;
            tu_buf_append(&b, buf, n);
        }
        CHECK_OK(s, ftp_transfer_close(t));
        CHECK_OK(s, ftp_voidresp(s));
        CHECK_CODE(s, 226);
        CHECK_MEM(s, b.data, b.len, data, len);
        tu_buf_free(&b);

        tu_step("%s: ftp_transfercmd STOR with an empty upload -> 226, empty file",
                pasv ? "passive" : "active");
        t = NULL;
        CHECK_OK(s, ftp_transfercmd(s, cmd, FTP_NO_REST, &t));
        CHECK_OK(s, ftp_transfer_close(t));
        CHECK_OK(s, ftp_voidresp(s));
        CHECK_CODE(s, 226);
        CHECK_FILE(s, path, "", 0);

        tu_step("%s: REST 100 + RETR big.bin through ftp_transfercmd", pasv ? "passive" : "active");
        t = NULL;
        CHECK_OK(s, ftp_transfercmd(s, "RETR big.bin", 100, &t));
        memset(&b, 0, sizeof b);
        for (;;) {
            CHECK_OK(s, ftp_transfer_read(t, buf, sizeof buf, &n));
            if (n == 0) break;
            tu_buf_append(&b, buf, n);
        }
        CHECK_OK(s, ftp_transfer_close(t));
        CHECK_OK(s, ftp_voidresp(s));
        CHECK_CODE(s, 226);
        CHECK_MEM(s, b.data, b.len, BIG + 100, BIG_LEN - 100);
        tu_buf_free(&b);

        delete_file(s, VS_PUB, name);
        CHECK_NOOP(s);
        free(name);
        free(path);
        free(cmd);
        free(rcmd);
    }
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
    ftp_tls_config_free(c);
    free(data);
}

/* TLS 1.2 and 1.3 forced (min = max). */
static void test_versions(void)
{
    static const ftp_tls_version versions[2] = {FTP_TLS_1_2, FTP_TLS_1_3};
    int i;
    for (i = 0; i < 2; i++) {
        ftp_tls_config *c = ca_config();
        ftp_session *s;
        size_t len = 700 * 1024 + (size_t)i;
        uint8_t *data = tu_gen_data(len, 0x1200u + (uint32_t)i);
        char *name = tu_unique(versions[i] == FTP_TLS_1_2 ? "tls12" : "tls13");
        int mode;

        tu_step("TLS 1.%d only: login, prot_p, upload + download (passive and active)",
                (int)versions[i] - 10);
        CHECK_OK(NULL, ftp_tls_config_set_min_version(c, versions[i]));
        CHECK_OK(NULL, ftp_tls_config_set_max_version(c, versions[i]));
        s = open_secure(c, &VS, false);
        ftp_tls_config_free(c);
        for (mode = 0; mode < 2; mode++) {
            CHECK_OK(s, ftp_set_pasv(s, mode == 0));
            stor_compare(s, VS_PUB, name, data, len, 0);
            retr_equals(s, name, data, len);
            retr_compare(s, VS_PUB, "big.bin");
            retr_compare(s, VS_PUB, "hello.txt");
        }
        delete_file(s, VS_PUB, name);
        CHECK_OK(s, ftp_quit(s));
        ftp_session_free(s);
        free(data);
        free(name);
    }

    tu_step("min 1.3 > max 1.2: no version left -> the login fails, no crash");
    {
        ftp_tls_config *c = ca_config();
        ftp_session *s;
        const char *p = NULL;
        ftp_result r;
        CHECK_OK(NULL, ftp_tls_config_set_min_version(c, FTP_TLS_1_3));
        CHECK_OK(NULL, ftp_tls_config_set_max_version(c, FTP_TLS_1_2));
        s = tls_session(c);
        ftp_tls_config_free(c);
        CHECK_OK(s, ftp_connect(s, VS.host, VS.port));
        r = ftp_login(s, NULL, NULL, NULL);
        CHECK_MSG(s, r == FTP_ERROR_TLS, "login with min > max gave %s", ftp_result_name(r));
        CHECK_MSG(s, ftp_last_error(s)[0] != '\0', "no sentence");
        CHECK_RES(s, ftp_pwd(s, &p), FTP_ERROR_STATE);
        ftp_session_free(s);
    }
}

/* ---------------------------------------------------- vsftpd implicit */

static void test_implicit(void)
{
    ftp_tls_config *c = ca_config();
    ftp_session *s = tls_session(c);
    tu_buf b;
    const char *p = NULL;

    tu_step("implicit: set_implicit_tls before connect; welcome 220 over TLS");
    CHECK_OK(s, ftp_set_implicit_tls(s, true));
    CHECK_OK(s, ftp_connect(s, VI.host, VI.port));
    CHECK_CODE(s, 220);
    CHECK(s, ftp_getwelcome(s) != NULL);
    CHECK_MSG(s, tu_starts_with(ftp_getwelcome(s), "220"), "welcome \"%s\"", ftp_getwelcome(s));
    tu_step("implicit: already secured: auth -> STATE, implicit -> STATE");
    CHECK_RES(s, ftp_auth(s), FTP_ERROR_STATE);
    CHECK_RES(s, ftp_set_implicit_tls(s, false), FTP_ERROR_STATE);
    tu_step("implicit: login (no AUTH TLS), prot_p, download pub/hello.txt");
    {
        tu_lines dbg;
        memset(&dbg, 0, sizeof dbg);
        CHECK_OK(s, ftp_set_debug_callback(s, tu_debug_sink, &dbg));
        CHECK_OK(s, ftp_set_debuglevel(s, 1));
        CHECK_OK(s, ftp_login(s, NULL, NULL, NULL));
        CHECK_CODE(s, 230);
        CHECK_OK(s, ftp_set_debuglevel(s, 0));
        CHECK_OK(s, ftp_set_debug_callback(s, NULL, NULL));
        /* A command, not any line: the FEAT reply that follows the
         * login advertises "AUTH TLS". */
        if (tu_lines_count_prefix(&dbg, "*cmd* 'AUTH") != 0) {
            tu_lines_dump(&dbg, "debug");
            CHECK_MSG(s, 0, "AUTH sent on an implicit TLS connection");
        }
        tu_lines_free(&dbg);
    }
    CHECK_OK(s, ftp_prot_p(s));
    memset(&b, 0, sizeof b);
    CHECK_OK(s, ftp_retrbinary(s, "RETR pub/hello.txt", tu_buf_sink, &b, 0, FTP_NO_REST));
    CHECK_CODE(s, 226);
    CHECK_MEM(s, b.data, b.len, "hello world\n", 12);
    tu_buf_free(&b);
    CHECK_OK(s, ftp_cwd(s, "pub"));
    {
        char *dir = tu_path(VI.root, "pub");
        retr_compare(s, dir, "big.bin");
        retrlines_hello(s);
        CHECK_OK(s, ftp_set_pasv(s, false));
        retr_compare(s, dir, "hello.txt");
        free(dir);
    }
    CHECK_OK(s, ftp_quit(s));
    CHECK_CODE(s, 221);
    CHECK_RES(s, ftp_pwd(s, &p), FTP_ERROR_STATE);

    tu_step("implicit: the same session connects again");
    CHECK_OK(s, ftp_connect(s, VI.host, VI.port));
    CHECK_OK(s, ftp_login(s, NULL, NULL, NULL));
    CHECK_OK(s, ftp_prot_p(s));
    memset(&b, 0, sizeof b);
    CHECK_OK(s, ftp_retrbinary(s, "RETR pub/hello.txt", tu_buf_sink, &b, 0, FTP_NO_REST));
    CHECK_MEM(s, b.data, b.len, "hello world\n", 12);
    tu_buf_free(&b);
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
    ftp_tls_config_free(c);

    tu_step("implicit server without set_implicit_tls: no clear-text 220, an error");
    {
        ftp_tls_config *c2 = ca_config();
        ftp_session *s2 = tls_session(c2);
        ftp_result r;
        ftp_tls_config_free(c2);
        CHECK_OK(s2, ftp_set_timeout_ms(s2, 3000));
        r = ftp_connect(s2, VI.host, VI.port);
        CHECK_MSG(s2, r != FTP_OK, "a clear-text connect to an implicit server succeeded");
        ftp_session_free(s2);
    }
}

/* ------------------------------------------------------------ refusals */

/* A login on host:port with config c must fail with FTP_ERROR_TLS and a
 * last error containing `want`; then the session is not connected. */
static void refused(ftp_tls_config *c, const char *host, uint16_t port, const char *want)
{
    ftp_session *s = tls_session(c);
    const char *p = NULL;
    CHECK_OK(s, ftp_connect(s, host, port));
    CHECK_CODE(s, 220);
    CHECK_RES(s, ftp_login(s, NULL, NULL, NULL), FTP_ERROR_TLS);
    CHECK_ERR_HAS(s, want);
    CHECK_RES(s, ftp_pwd(s, &p), FTP_ERROR_STATE);
    CHECK_RES(s, ftp_sendcmd(s, "NOOP"), FTP_ERROR_STATE);
    CHECK_RES(s, ftp_prot_p(s), FTP_ERROR_STATE);
    CHECK_OK(s, ftp_close(s));
    ftp_session_free(s);
}

/* Accepted: login, PROT P, a download of pub/hello.txt (the data
 * connection uses the same relaxed checks). */
static void accepted(ftp_tls_config *c, const char *host, uint16_t port)
{
    ftp_session *s = tls_session(c);
    tu_buf b;
    CHECK_OK(s, ftp_connect(s, host, port));
    CHECK_OK(s, ftp_login(s, NULL, NULL, NULL));
    CHECK_CODE(s, 230);
    CHECK_OK(s, ftp_prot_p(s));
    memset(&b, 0, sizeof b);
    CHECK_OK(s, ftp_retrbinary(s, "RETR pub/hello.txt", tu_buf_sink, &b, 0, FTP_NO_REST));
    CHECK_CODE(s, 226);
    CHECK_MEM(s, b.data, b.len, "hello world\n", 12);
    tu_buf_free(&b);
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
}

static void test_refusals(void)
{
    ftp_tls_config *c;

    tu_step("default trust (ftp_session_new_tls(NULL)) vs the test CA: certificate verify failed");
    refused(NULL, VS.host, VS.port, "certificate verify failed");
    tu_step("ftp_tls_config_new() without CA: the same");
    c = ftp_tls_config_new();
    refused(c, VS.host, VS.port, "certificate verify failed");
    tu_step("check_hostname(false) alone does not trust an unknown CA");
    CHECK_OK(NULL, ftp_tls_config_set_check_hostname(c, false));
    refused(c, VS.host, VS.port, "certificate verify failed");
    ftp_tls_config_free(c);

    tu_step("the session copies its config: a CA added later does not change it");
    {
        ftp_tls_config *c2 = ftp_tls_config_new();
        ftp_session *s = tls_session(c2);
        const char *p = NULL;
        CHECK_OK(NULL, ftp_tls_config_set_ca_file(c2, CAFILE));
        CHECK_OK(s, ftp_connect(s, VS.host, VS.port));
        CHECK_RES(s, ftp_login(s, NULL, NULL, NULL), FTP_ERROR_TLS);
        CHECK_ERR_HAS(s, "certificate verify failed");
        CHECK_RES(s, ftp_pwd(s, &p), FTP_ERROR_STATE);
        ftp_session_free(s);
        ftp_tls_config_free(c2);
    }

    c = ca_config();
    tu_step("wrong host certificate (wrong.example): hostname mismatch");
    refused(c, BADHOST, PORT_WRONGHOST, "hostname mismatch");
    tu_step("expired certificate: certificate has expired");
    refused(c, BADHOST, PORT_EXPIRED, "certificate has expired");
    tu_step("self-signed certificate: self-signed certificate");
    refused(c, BADHOST, PORT_SELFSIGNED, "self-signed certificate");
    tu_step("the good server by its IP address (IP SAN 127.0.0.1) is accepted");
    accepted(c, "127.0.0.1", VS.port);

    tu_step("check_hostname(false) + CA: the wrong-host server is accepted");
    CHECK_OK(NULL, ftp_tls_config_set_check_hostname(c, false));
    accepted(c, BADHOST, PORT_WRONGHOST);
    tu_step("check_hostname(false) does not accept an expired or self-signed certificate");
    refused(c, BADHOST, PORT_EXPIRED, "certificate has expired");
    refused(c, BADHOST, PORT_SELFSIGNED, "self-signed certificate");
    ftp_tls_config_free(c);

    tu_step("verify_peer(false): self-signed, expired and wrong host accepted");
    c = ftp_tls_config_new();
    CHECK_OK(NULL, ftp_tls_config_set_verify_peer(c, false));
    accepted(c, BADHOST, PORT_SELFSIGNED);
    accepted(c, BADHOST, PORT_EXPIRED);
    accepted(c, BADHOST, PORT_WRONGHOST);
    tu_step("verify_peer(true) again: refused again");
    CHECK_OK(NULL, ftp_tls_config_set_verify_peer(c, true));
    refused(c, BADHOST, PORT_SELFSIGNED, "self-signed certificate");
    ftp_tls_config_free(c);
}

/* ------------------------------------------ client cert, bad local files */

/* ftp_login with config c must fail with FTP_ERROR_TLS mentioning `want`
 * (a local file OpenSSL cannot use), and the session must not go on in
 * clear text after the server's 234: no command may be sent any more. */
static void local_failure(ftp_tls_config *c, const char *want, const char *rm_file,
                          const char *rm_dir)
{
    ftp_session *s = tls_session(c);
    const char *p = NULL;
    ftp_result r;
    CHECK_OK(s, ftp_set_timeout_ms(s, 5000));
    CHECK_OK(s, ftp_connect(s, VS.host, VS.port));
    r = ftp_login(s, NULL, NULL, NULL);
    /* Scratch files are no longer needed: remove them before any check. */
    if (rm_file != NULL) unlink(rm_file);
    if (rm_dir != NULL) rmdir(rm_dir);
    CHECK_RES(s, r, FTP_ERROR_TLS);
    CHECK_ERR_HAS(s, want);
    r = ftp_pwd(s, &p);
    CHECK_MSG(s, r == FTP_ERROR_STATE,
              "after a failed TLS setup, ftp_pwd gave %s (expected FTP_ERROR_STATE: the "
              "session must be closed, not used in clear text after AUTH TLS)",
              ftp_result_name(r));
    ftp_session_free(s);
}

static void test_local_files(void)
{
    const char *dir = getenv("FTP_TEST_TLS_DIR");
    char tmpl[] = "/tmp/libftp-ctest-tls-XXXXXX";
    char *tmp, *junk;
    ftp_tls_config *c;

    tu_step("a CA file that is not PEM: refused by the setter (TLS, with a reason)");
    tmp = mkdtemp(tmpl);
    CHECK(NULL, tmp != NULL);
    junk = tu_path(tmp, "junk.pem");
    tu_write_file(junk, "not a certificate\n", 18);
    c = ftp_tls_config_new();
    CHECK_RES(NULL, ftp_tls_config_set_ca_file(c, junk), FTP_ERROR_TLS);
    CHECK_MSG(NULL, strstr(ftp_tls_config_last_error(c), "CA file") != NULL,
              "ftp_tls_config_last_error: \"%s\"", ftp_tls_config_last_error(c));
    tu_step("a CA file spoilt after the setter: the login fails (TLS), nothing in clear");
    {
        size_t len;
        uint8_t *ca = tu_slurp(CAFILE, &len);
        tu_write_file(junk, ca, len);
        free(ca);
    }
    CHECK_OK(NULL, ftp_tls_config_set_ca_file(c, junk));
    CHECK_STR(NULL, ftp_tls_config_last_error(c), "");
    tu_write_file(junk, "not a certificate\n", 18); /* each session reads it again */
    local_failure(c, "CA file", junk, tmp);
    ftp_tls_config_free(c);
    free(junk);

    if (dir == NULL || dir[0] == '\0') {
        tu_step("client certificate: FTP_TEST_TLS_DIR not set, part skipped");
    } else {
        char *cert = tu_path(dir, "server-cert.pem");
        char *key = tu_path(dir, "server-key.pem");
        char *sscert = tu_path(dir, "selfsigned-cert.pem");
        ftp_session *s;

        tu_step("client certificate (vsftpd asks for one, requires none): login + transfer");
        c = ca_config();
        CHECK_OK(NULL, ftp_tls_config_set_client_cert(c, cert, key));
        s = open_secure(c, &VS, false);
        retr_compare(s, VS_PUB, "hello.txt");
        CHECK_OK(s, ftp_quit(s));
        ftp_session_free(s);
        ftp_tls_config_free(c);

        tu_step("client certificate with a key that does not match it -> FTP_ERROR_TLS");
        c = ca_config();
        CHECK_RES(NULL, ftp_tls_config_set_client_cert(c, sscert, key), FTP_ERROR_TLS);
        CHECK_MSG(NULL, strstr(ftp_tls_config_last_error(c), "does not match") != NULL,
                  "ftp_tls_config_last_error: \"%s\"", ftp_tls_config_last_error(c));
        ftp_tls_config_free(c);
        free(cert);
        free(key);
        free(sscert);
    }
}

/* ---------------------------------------------------------- pyftpdlib */

static void test_pyftpds(void)
{
    ftp_tls_config *c = ca_config();
    ftp_session *s = tls_session(c);
    size_t len = 512 * 1024 + 3;
    uint8_t *data = tu_gen_data(len, 0x9f9fu);
    char *name = tu_unique("tls_py");
    tu_mlsd m;
    int round;

    ftp_tls_config_free(c);
    tu_step("pyftpds: connect, login tester (AUTH TLS first)");
    CHECK_OK(s, ftp_connect(s, PS.host, PS.port));
    CHECK_CODE(s, 220);
    CHECK_OK(s, ftp_login(s, PS.user, PS.pass, NULL));
    CHECK_CODE(s, 230);
    CHECK_RES(s, ftp_auth(s), FTP_ERROR_STATE);

    for (round = 0; round < 3; round++) {
        bool prot = round != 1;
        tu_step("pyftpds: PROT %s -> upload, download, big.bin, retrlines", prot ? "P" : "C");
        if (prot) CHECK_OK(s, ftp_prot_p(s));
        else CHECK_OK(s, ftp_prot_c(s));
        CHECK_CODE(s, 200);
        stor_compare(s, PS.root, name, data, len, 0);
        retr_equals(s, name, data, len);
        retr_compare(s, PS.root, "big.bin");
        retr_compare(s, PS.root, "empty.bin");
        retrlines_hello(s);
        CHECK_OK(s, ftp_set_pasv(s, false));
        retr_compare(s, PS.root, "hello.txt");
        CHECK_OK(s, ftp_set_pasv(s, true));
        delete_file(s, PS.root, name);
    }

    tu_step("pyftpds: MLSD over TLS finds hello.txt, size 12");
    memset(&m, 0, sizeof m);
    CHECK_OK(s, ftp_mlsd(s, NULL, NULL, 0, tu_mlsd_sink, &m));
    CHECK_CODE(s, 226);
    CHECK_MSG(s, m.bad == 0, "MLSD callback: %s", m.bad_msg);
    {
        const tu_mlsd_entry *e = tu_mlsd_find(&m, "hello.txt");
        if (e == NULL || tu_mlsd_fact(e, "size") == NULL ||
            strcmp(tu_mlsd_fact(e, "size"), "12") != 0 || tu_mlsd_fact(e, "type") == NULL ||
            strcmp(tu_mlsd_fact(e, "type"), "file") != 0) {
            tu_mlsd_dump(&m);
            CHECK_MSG(s, 0, "MLSD: hello.txt with type=file size=12 expected");
        }
        CHECK_MSG(s, tu_mlsd_find(&m, "big.bin") != NULL, "MLSD misses big.bin");
    }
    tu_mlsd_free(&m);
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
    free(data);
    free(name);
}

/* ------------------------------------------------------------- threads */

#define N_THREADS 8
#define N_SESSIONS 4
#define THREAD_FILE_LEN (256 * 1024 + 17)

typedef struct thread_arg {
    const ftp_tls_config *config;
    int index;
    int done;   /* sessions completed */
} thread_arg;

static void *thread_main(void *p)
{
    thread_arg *a = p;
    int i;
    for (i = 0; i < N_SESSIONS; i++) {
        uint32_t seed = 0x5000u + (uint32_t)(a->index * N_SESSIONS + i);
        uint8_t *data = tu_gen_data(THREAD_FILE_LEN, seed);
        char *name = tu_strf("tls_thr_%ld_%d_%d", (long)getpid(), a->index, i);
        ftp_session *s = open_secure(a->config, &VS, false);
        CHECK_OK(s, ftp_set_pasv(s, (i % 2) == 0)); /* passive and active */
        stor_compare(s, VS_PUB, name, data, THREAD_FILE_LEN, 0);
        retr_equals(s, name, data, THREAD_FILE_LEN);
        delete_file(s, VS_PUB, name);
        CHECK_OK(s, ftp_quit(s));
        CHECK_CODE(s, 221);
        ftp_session_free(s);
        free(data);
        free(name);
        a->done++;
    }
    return NULL;
}

static void test_threads(void)
{
    ftp_tls_config *c = ca_config();
    pthread_t th[N_THREADS];
    thread_arg args[N_THREADS];
    int i, err;

    tu_step("one ftp_tls_config shared by %d threads x %d sessions (upload + download)",
            N_THREADS, N_SESSIONS);
    for (i = 0; i < N_THREADS; i++) {
        args[i].config = c;
        args[i].index = i;
        args[i].done = 0;
        err = pthread_create(&th[i], NULL, thread_main, &args[i]);
        CHECK_MSG(NULL, err == 0, "pthread_create: %s", strerror(err));
    }
    for (i = 0; i < N_THREADS; i++) {
        err = pthread_join(th[i], NULL);
        CHECK_MSG(NULL, err == 0, "pthread_join: %s", strerror(err));
    }
    for (i = 0; i < N_THREADS; i++)
        CHECK_MSG(NULL, args[i].done == N_SESSIONS, "thread %d finished %d sessions", i,
                  args[i].done);
    ftp_tls_config_free(c);
}

/* ---------------------------------------------------------------- CCC */

/* CCC on a server that may not implement it: a 5xx reply must give
 * FTP_ERROR_PERM and leave the TLS session usable; a 2xx reply means the
 * control connection is clear text from now on, and it must go on too. */
static void ccc_check(ftp_session *s, const char *who, const char *dir)
{
    ftp_result r = ftp_ccc(s);
    int code = ftp_last_code(s);
    if (code >= 500 && code < 600) {
        tu_step("%s: CCC refused (%d): FTP_ERROR_PERM, the session goes on", who, code);
        CHECK_RES(s, r, FTP_ERROR_PERM);
        CHECK_MSG(s, ftp_last_error(s)[0] != '\0', "no sentence");
        CHECK_NOOP(s);
        CHECK_RES(s, ftp_auth(s), FTP_ERROR_STATE); /* still secured */
        retr_compare(s, dir, "hello.txt");
        CHECK_NOOP(s);
    } else {
        tu_step("%s: CCC accepted (%d): clear-text control connection goes on", who, code);
        CHECK_RES(s, r, FTP_OK);
        CHECK_MSG(s, code >= 200 && code < 300, "CCC reply %d", code);
        CHECK_NOOP(s);
        /* PROT P stays in force: the data connections are still TLS. */
        retr_compare(s, dir, "hello.txt");
        CHECK_NOOP(s);
        /* The control connection is no longer secured. */
        CHECK_RES(s, ftp_ccc(s), FTP_ERROR_STATE);
        CHECK_RES(s, ftp_prot_p(s), FTP_ERROR_STATE);
        CHECK_NOOP(s);
    }
}

static void test_ccc(void)
{
    ftp_tls_config *c = ca_config();
    ftp_session *s;

    s = open_secure(c, &VS, false);
    ccc_check(s, "vsftpds", VS_PUB);
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);

    s = open_secure(c, &PS, false);
    ccc_check(s, "pyftpds", PS.root);
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
    ftp_tls_config_free(c);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);

    test_config_api();

    /* Everything below needs the servers (SKIP or FAIL without them). */
    CAFILE = env_needed("FTP_TEST_TLS_CAFILE");
    tu_server_env("VSFTPDS", false, &VS);
    tu_server_env("VSFTPDI", false, &VI);
    tu_server_env("PYFTPDS", true, &PS);
    {
        const char *host = getenv("FTP_TEST_BADCERT_HOST");
        BADHOST = (host != NULL && host[0] != '\0') ? host : "localhost";
    }
    PORT_WRONGHOST = env_port("FTP_TEST_BADCERT_WRONGHOST_PORT");
    PORT_EXPIRED = env_port("FTP_TEST_BADCERT_EXPIRED_PORT");
    PORT_SELFSIGNED = env_port("FTP_TEST_BADCERT_SELFSIGNED_PORT");
    {
        const char *pyca = getenv("FTP_TEST_PYFTPDS_CAFILE");
        CHECK_MSG(NULL, pyca == NULL || strcmp(pyca, CAFILE) == 0,
                  "FTP_TEST_PYFTPDS_CAFILE (%s) differs from FTP_TEST_TLS_CAFILE (%s)", pyca,
                  CAFILE);
    }
    VS_PUB = tu_path(VS.root, "pub");
    {
        char *p = tu_path(VS_PUB, "big.bin");
        BIG = tu_slurp(p, &BIG_LEN);
        free(p);
    }

    test_plain_session_connected();
    test_explicit_sequence();
    test_raw_transfers();
    test_versions();
    test_implicit();
    test_refusals();
    test_pyftpds();
    test_threads();
    test_ccc();
    test_local_files();

    free(BIG);
    free(VS_PUB);
    printf("PASS test_tls\n");
    return 0;
}
