/* test_basics: everything that needs no FTP server.
 *
 * - ftp_version, ftp_result_name of every value (exact strings);
 * - NULL for every pointer argument of every non-TLS function ->
 *   FTP_ERROR_INVALID_ARGUMENT; getters on NULL; frees of NULL;
 * - every command on a never-connected session -> FTP_ERROR_STATE, with a
 *   non-empty ftp_last_error and no server reply recorded;
 * - settings on an unconnected session; bad encoding names;
 * - ftp_close twice; connect to a refused port -> FTP_ERROR_IO;
 *   a silent server with a short timeout -> FTP_ERROR_TIMEOUT.
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int data_cb(void *ud, const uint8_t *d, size_t n)
{
    (void)ud; (void)d; (void)n;
    return 0;
}
static int line_cb(void *ud, const char *l, size_t n)
{
    (void)ud; (void)l; (void)n;
    return 0;
}
static int64_t read_cb(void *ud, uint8_t *b, size_t n)
{
    (void)ud; (void)b; (void)n;
    return 0;
}
static int mlsd_cb(void *ud, const char *name, const ftp_fact *f, size_t n)
{
    (void)ud; (void)name; (void)f; (void)n;
    return 0;
}
static void debug_cb(void *ud, const char *line)
{
    (void)ud; (void)line;
}

static void test_version_and_names(void)
{
    static const struct { ftp_result r; const char *name; } names[] = {
        {FTP_OK, "FTP_OK"},
        {FTP_ERROR_REPLY, "FTP_ERROR_REPLY"},
        {FTP_ERROR_TEMP, "FTP_ERROR_TEMP"},
        {FTP_ERROR_PERM, "FTP_ERROR_PERM"},
        {FTP_ERROR_PROTO, "FTP_ERROR_PROTO"},
        {FTP_ERROR_IO, "FTP_ERROR_IO"},
        {FTP_ERROR_EOF, "FTP_ERROR_EOF"},
        {FTP_ERROR_TIMEOUT, "FTP_ERROR_TIMEOUT"},
        {FTP_ERROR_TLS, "FTP_ERROR_TLS"},
        {FTP_ERROR_INVALID_ARGUMENT, "FTP_ERROR_INVALID_ARGUMENT"},
        {FTP_ERROR_STATE, "FTP_ERROR_STATE"},
        {FTP_ERROR_CALLBACK, "FTP_ERROR_CALLBACK"},
        {FTP_ERROR_ENCODING, "FTP_ERROR_ENCODING"},
        {FTP_ERROR_INTERNAL, "FTP_ERROR_INTERNAL"},
        {FTP_ERROR_CANCELLED, "FTP_ERROR_CANCELLED"},
        {FTP_ERROR_VERIFY, "FTP_ERROR_VERIFY"},
    };
    size_t i;
    tu_step("ftp_version / ftp_result_name");
    CHECK_STR(NULL, ftp_version(), "0.1.0");
    /* The numeric values are part of the ABI. */
    CHECK_INT(NULL, FTP_OK, 0);
    CHECK_INT(NULL, FTP_ERROR_REPLY, 1);
    CHECK_INT(NULL, FTP_ERROR_TEMP, 2);
    CHECK_INT(NULL, FTP_ERROR_PERM, 3);
    CHECK_INT(NULL, FTP_ERROR_PROTO, 4);
    CHECK_INT(NULL, FTP_ERROR_IO, 5);
    CHECK_INT(NULL, FTP_ERROR_EOF, 6);
    CHECK_INT(NULL, FTP_ERROR_TIMEOUT, 7);
    CHECK_INT(NULL, FTP_ERROR_TLS, 8);
    CHECK_INT(NULL, FTP_ERROR_INVALID_ARGUMENT, 9);
    CHECK_INT(NULL, FTP_ERROR_STATE, 10);
    CHECK_INT(NULL, FTP_ERROR_CALLBACK, 11);
    CHECK_INT(NULL, FTP_ERROR_ENCODING, 12);
    CHECK_INT(NULL, FTP_ERROR_INTERNAL, 13);
    CHECK_INT(NULL, FTP_ERROR_CANCELLED, 14);
    CHECK_INT(NULL, FTP_ERROR_VERIFY, 15);
    CHECK_INT(NULL, FTP_NO_REST, -1);
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *n = ftp_result_name(names[i].r);
        CHECK_MSG(NULL, n != NULL && strcmp(n, names[i].name) == 0,
                  "ftp_result_name(%d) = \"%s\", expected \"%s\"", (int)names[i].r,
                  n ? n : "(NULL)", names[i].name);
    }
    /* Static storage: still the same text after more calls. */
    {
        const char *a = ftp_result_name(FTP_ERROR_PERM);
        (void)ftp_result_name(FTP_OK);
        (void)ftp_version();
        CHECK_STR(NULL, a, "FTP_ERROR_PERM");
    }
}

/* include/ftp.h: "A value outside the enum gives FTP_UNKNOWN_RESULT". */
static void test_unknown_result_name(void)
{
    tu_step("ftp_result_name of values outside the enum");
    CHECK_STR(NULL, ftp_result_name((ftp_result)16), "FTP_UNKNOWN_RESULT");
    CHECK_STR(NULL, ftp_result_name((ftp_result)99), "FTP_UNKNOWN_RESULT");
    CHECK_STR(NULL, ftp_result_name((ftp_result)-1), "FTP_UNKNOWN_RESULT");
}

static void test_frees_and_null_getters(void)
{
    tu_step("frees of NULL, getters on NULL");
    ftp_session_free(NULL);            /* no-op, no crash */
    CHECK_OK(NULL, ftp_transfer_close(NULL)); /* a no-op too, like the frees */
    CHECK(NULL, ftp_getwelcome(NULL) == NULL);
    CHECK_STR(NULL, ftp_last_response(NULL), "");
    CHECK_INT(NULL, ftp_last_code(NULL), 0);
    CHECK_STR(NULL, ftp_last_error(NULL), "");
    CHECK_INT(NULL, ftp_transfer_fd(NULL), -1);
    CHECK_STR(NULL, ftp_transfer_last_error(NULL), ""); /* header extra */
}

/* Every pointer argument NULL (where NULL is not documented as allowed). */
static void test_null_arguments(void)
{
    ftp_session *s = ftp_session_new();
    const char *str = "x";
    int64_t i64 = 0;
    uint8_t buf[16];
    size_t n = 0;
    ftp_transfer *t = NULL;
    const char *facts[1] = {"type"};
    const ftp_result E = FTP_ERROR_INVALID_ARGUMENT;

    CHECK(NULL, s != NULL);
    tu_step("NULL session -> FTP_ERROR_INVALID_ARGUMENT");
    CHECK_RES(NULL, ftp_set_timeout_ms(NULL, 1000), E);
    CHECK_RES(NULL, ftp_set_source_address(NULL, "127.0.0.1", 0), E);
    CHECK_RES(NULL, ftp_set_encoding(NULL, "utf-8"), E);
    CHECK_RES(NULL, ftp_set_pasv(NULL, true), E);
    CHECK_RES(NULL, ftp_set_trust_server_pasv_ipv4_address(NULL, false), E);
    CHECK_RES(NULL, ftp_set_debuglevel(NULL, 1), E);
    CHECK_RES(NULL, ftp_set_debug_callback(NULL, debug_cb, NULL), E);
    CHECK_RES(NULL, ftp_connect(NULL, "127.0.0.1", 21), E);
    CHECK_RES(NULL, ftp_login(NULL, "u", "p", ""), E);
    CHECK_RES(NULL, ftp_sendcmd(NULL, "NOOP"), E);
    CHECK_RES(NULL, ftp_voidcmd(NULL, "NOOP"), E);
    CHECK_RES(NULL, ftp_getresp(NULL), E);
    CHECK_RES(NULL, ftp_voidresp(NULL), E);
    CHECK_RES(NULL, ftp_abort(NULL), E);
    CHECK_RES(NULL, ftp_quit(NULL), E);
    CHECK_RES(NULL, ftp_close(NULL), E);
    CHECK_RES(NULL, ftp_retrbinary(NULL, "RETR x", data_cb, NULL, 0, FTP_NO_REST), E);
    CHECK_RES(NULL, ftp_retrlines(NULL, "RETR x", line_cb, NULL), E);
    CHECK_RES(NULL, ftp_storbinary(NULL, "STOR x", read_cb, NULL, 0, NULL, FTP_NO_REST), E);
    CHECK_RES(NULL, ftp_storlines(NULL, "STOR x", read_cb, NULL, NULL), E);
    CHECK_RES(NULL, ftp_transfercmd(NULL, "RETR x", FTP_NO_REST, &t), E);
    CHECK_RES(NULL, ftp_ntransfercmd(NULL, "RETR x", FTP_NO_REST, &t, &i64), E);
    CHECK(NULL, t == NULL);
    CHECK_RES(NULL, ftp_transfer_read(NULL, buf, sizeof buf, &n), E);
    CHECK_RES(NULL, ftp_transfer_write(NULL, buf, sizeof buf), E);
    CHECK_RES(NULL, ftp_mlsd(NULL, NULL, NULL, 0, mlsd_cb, NULL), E);
    CHECK_RES(NULL, ftp_nlst(NULL, NULL, line_cb, NULL), E);
    CHECK_RES(NULL, ftp_dir(NULL, NULL, line_cb, NULL), E);
    CHECK_RES(NULL, ftp_rename(NULL, "a", "b"), E);
    CHECK_RES(NULL, ftp_delete(NULL, "a"), E);
    CHECK_RES(NULL, ftp_cwd(NULL, "a"), E);
    CHECK_RES(NULL, ftp_mkd(NULL, "a", &str), E);
    CHECK_RES(NULL, ftp_pwd(NULL, &str), E);
    CHECK_RES(NULL, ftp_rmd(NULL, "a"), E);
    CHECK_RES(NULL, ftp_size(NULL, "a", &i64), E);

    tu_step("NULL non-session pointer arguments -> FTP_ERROR_INVALID_ARGUMENT");
    CHECK_RES(s, ftp_set_encoding(s, NULL), E);
    CHECK_RES(s, ftp_connect(s, NULL, 21), E);
    CHECK(s, ftp_getwelcome(s) == NULL); /* the failed connect left nothing */
    CHECK_RES(s, ftp_sendcmd(s, NULL), E);
    CHECK_RES(s, ftp_voidcmd(s, NULL), E);
    CHECK_RES(s, ftp_retrbinary(s, NULL, data_cb, NULL, 0, FTP_NO_REST), E);
    CHECK_RES(s, ftp_retrbinary(s, "RETR x", NULL, NULL, 0, FTP_NO_REST), E);
    CHECK_RES(s, ftp_retrlines(s, NULL, line_cb, NULL), E);
    CHECK_RES(s, ftp_storbinary(s, NULL, read_cb, NULL, 0, data_cb, FTP_NO_REST), E);
    CHECK_RES(s, ftp_storbinary(s, "STOR x", NULL, NULL, 0, data_cb, FTP_NO_REST), E);
    CHECK_RES(s, ftp_storlines(s, NULL, read_cb, NULL, data_cb), E);
    CHECK_RES(s, ftp_storlines(s, "STOR x", NULL, NULL, data_cb), E);
    CHECK_RES(s, ftp_transfercmd(s, NULL, FTP_NO_REST, &t), E);
    CHECK_RES(s, ftp_transfercmd(s, "RETR x", FTP_NO_REST, NULL), E);
    CHECK_RES(s, ftp_ntransfercmd(s, NULL, FTP_NO_REST, &t, &i64), E);
    CHECK_RES(s, ftp_ntransfercmd(s, "RETR x", FTP_NO_REST, NULL, &i64), E);
    CHECK(s, t == NULL);
    CHECK_RES(s, ftp_mlsd(s, NULL, NULL, 0, NULL, NULL), E);
    CHECK_RES(s, ftp_mlsd(s, NULL, NULL, 1, mlsd_cb, NULL), E); /* nfacts > 0, facts NULL */
    CHECK_RES(s, ftp_rename(s, NULL, "b"), E);
    CHECK_RES(s, ftp_rename(s, "a", NULL), E);
    CHECK_RES(s, ftp_delete(s, NULL), E);
    CHECK_RES(s, ftp_cwd(s, NULL), E);
    CHECK_RES(s, ftp_mkd(s, NULL, &str), E);
    CHECK_RES(s, ftp_mkd(s, NULL, NULL), E);
    CHECK_RES(s, ftp_pwd(s, NULL), E);
    CHECK_RES(s, ftp_rmd(s, NULL), E);
    CHECK_RES(s, ftp_size(s, NULL, &i64), E);
    CHECK_RES(s, ftp_size(s, "a", NULL), E);
    /* After a failure there is a sentence, but no server reply. */
    CHECK_MSG(s, ftp_last_error(s) != NULL && ftp_last_error(s)[0] != '\0',
              "ftp_last_error is empty after FTP_ERROR_INVALID_ARGUMENT");
    CHECK_INT(s, ftp_last_code(s), 0);
    CHECK_STR(s, ftp_last_response(s), "");
    (void)facts;
    ftp_session_free(s);
}

static void check_state(int line, ftp_session *s, ftp_result got, const char *what)
{
    if (got != FTP_ERROR_STATE)
        tu_fail_result(__FILE__, line, s, what, got, FTP_ERROR_STATE);
    if (ftp_last_error(s) == NULL || ftp_last_error(s)[0] == '\0')
        tu_fail(__FILE__, line, s, what, "ftp_last_error is empty after FTP_ERROR_STATE");
    if (ftp_last_code(s) != 0)
        tu_fail(__FILE__, line, s, what, "ftp_last_code is %d without any server", ftp_last_code(s));
    if (ftp_last_response(s) == NULL || ftp_last_response(s)[0] != '\0')
        tu_fail(__FILE__, line, s, what, "ftp_last_response is not \"\" without any server");
}
#define CHECK_STATE(s, expr) check_state(__LINE__, (s), (expr), #expr)

/* Every command on a session that was never connected (or was closed). */
static void check_unconnected(ftp_session *s)
{
    const char *str = NULL;
    int64_t i64 = 0;
    ftp_transfer *t = NULL;
    const char *facts[2] = {"type", "size"};
    tu_src src;
    memset(&src, 0, sizeof src);

    CHECK_STATE(s, ftp_login(s, NULL, NULL, NULL));
    CHECK_STATE(s, ftp_login(s, "user", "pass", "acct"));
    CHECK_STATE(s, ftp_sendcmd(s, "NOOP"));
    CHECK_STATE(s, ftp_voidcmd(s, "NOOP"));
    CHECK_STATE(s, ftp_getresp(s));
    CHECK_STATE(s, ftp_voidresp(s));
    CHECK_STATE(s, ftp_abort(s));
    CHECK_STATE(s, ftp_quit(s));
    CHECK_STATE(s, ftp_retrbinary(s, "RETR x", data_cb, NULL, 0, FTP_NO_REST));
    CHECK_STATE(s, ftp_retrlines(s, "RETR x", line_cb, NULL));
    CHECK_STATE(s, ftp_storbinary(s, "STOR x", tu_src_read, &src, 0, NULL, FTP_NO_REST));
    CHECK_STATE(s, ftp_storlines(s, "STOR x", tu_src_read, &src, NULL));
    CHECK_STATE(s, ftp_transfercmd(s, "RETR x", FTP_NO_REST, &t));
    CHECK(s, t == NULL);
    CHECK_STATE(s, ftp_ntransfercmd(s, "RETR x", 10, &t, &i64));
    CHECK(s, t == NULL);
    CHECK_STATE(s, ftp_ntransfercmd(s, "RETR x", FTP_NO_REST, &t, NULL));
    CHECK(s, t == NULL);
    CHECK_STATE(s, ftp_mlsd(s, NULL, facts, 2, mlsd_cb, NULL));
    CHECK_STATE(s, ftp_nlst(s, NULL, line_cb, NULL));
    CHECK_STATE(s, ftp_nlst(s, "-a", NULL, NULL));
    CHECK_STATE(s, ftp_retrlines(s, "LIST", NULL, NULL));
    CHECK_STATE(s, ftp_dir(s, NULL, NULL, NULL));
    CHECK_STATE(s, ftp_dir(s, "-l", line_cb, NULL));
    CHECK_STATE(s, ftp_rename(s, "a", "b"));
    CHECK_STATE(s, ftp_delete(s, "a"));
    CHECK_STATE(s, ftp_cwd(s, "a"));
    CHECK_STATE(s, ftp_cwd(s, ".."));
    CHECK_STATE(s, ftp_mkd(s, "a", &str));
    CHECK_STATE(s, ftp_mkd(s, "a", NULL));
    CHECK_STATE(s, ftp_pwd(s, &str));
    CHECK_STATE(s, ftp_rmd(s, "a"));
    CHECK_STATE(s, ftp_size(s, "a", &i64));
    CHECK_INT(s, src.calls, 0); /* nothing was read from the source */
}

static void test_unconnected(void)
{
    ftp_session *s = ftp_session_new();
    ftp_session *s2 = ftp_session_new();
    tu_step("fresh session");
    CHECK(NULL, s != NULL && s2 != NULL && s != s2);
    CHECK(s, ftp_getwelcome(s) == NULL);
    CHECK_INT(s, ftp_last_code(s), 0);
    CHECK_STR(s, ftp_last_response(s), "");
    CHECK_STR(s, ftp_last_error(s), "");

    tu_step("settings on an unconnected session");
    CHECK_OK(s, ftp_set_timeout_ms(s, 0));
    CHECK_OK(s, ftp_set_timeout_ms(s, 2500));
    CHECK_OK(s, ftp_set_pasv(s, false));
    CHECK_OK(s, ftp_set_pasv(s, true));
    CHECK_OK(s, ftp_set_trust_server_pasv_ipv4_address(s, true));
    CHECK_OK(s, ftp_set_trust_server_pasv_ipv4_address(s, false));
    CHECK_OK(s, ftp_set_debuglevel(s, 2));
    CHECK_OK(s, ftp_set_debuglevel(s, 1));
    CHECK_OK(s, ftp_set_debuglevel(s, 0));
    CHECK_OK(s, ftp_set_debug_callback(s, debug_cb, NULL));
    CHECK_OK(s, ftp_set_debug_callback(s, NULL, NULL)); /* back to stderr */
    CHECK_OK(s, ftp_set_source_address(s, "127.0.0.1", 0));
    CHECK_OK(s, ftp_set_source_address(s, NULL, 0)); /* header: NULL clears it */
    CHECK_OK(s, ftp_set_encoding(s, "latin-1"));
    CHECK_OK(s, ftp_set_encoding(s, "utf-8"));

    tu_step("bad encoding names -> FTP_ERROR_INVALID_ARGUMENT");
    CHECK_RES(s, ftp_set_encoding(s, "ebcdic"), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_MSG(s, ftp_last_error(s)[0] != '\0', "no sentence for a bad encoding");
    CHECK_RES(s, ftp_set_encoding(s, ""), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(s, ftp_set_encoding(s, "utf-8 "), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(s, ftp_set_encoding(s, "koi8-r"), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_OK(s, ftp_set_encoding(s, "utf-8")); /* still settable */

    tu_step("commands on an unconnected session -> FTP_ERROR_STATE");
    check_unconnected(s);

    tu_step("ftp_close on an unconnected session, twice");
    CHECK_OK(s, ftp_close(s));
    CHECK_OK(s, ftp_close(s));
    CHECK(s, ftp_getwelcome(s) == NULL);
    check_unconnected(s);

    ftp_session_free(s);
    ftp_session_free(s2);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_connect_refused(void)
{
    int fd;
    uint16_t port = tu_closed_port(&fd);
    ftp_session *s = ftp_session_new();
    tu_step("connect to a refused port (127.0.0.1:%u) -> FTP_ERROR_IO", (unsigned)port);
    CHECK_OK(s, ftp_set_timeout_ms(s, 10000));
    CHECK_RES(s, ftp_connect(s, "127.0.0.1", port), FTP_ERROR_IO);
    CHECK_MSG(s, ftp_last_error(s)[0] != '\0', "ftp_last_error is empty after a refused connect");
    CHECK_INT(s, ftp_last_code(s), 0);
    CHECK(s, ftp_getwelcome(s) == NULL);
    /* Still not connected. */
    CHECK_RES(s, ftp_sendcmd(s, "NOOP"), FTP_ERROR_STATE);
    CHECK_OK(s, ftp_close(s));
    CHECK_OK(s, ftp_close(s));
    /* And the same without a timeout (blocking mode). */
    CHECK_OK(s, ftp_set_timeout_ms(s, 0));
    CHECK_RES(s, ftp_connect(s, "127.0.0.1", port), FTP_ERROR_IO);
    CHECK_MSG(s, ftp_last_error(s)[0] != '\0', "ftp_last_error is empty after a refused connect");
    ftp_session_free(s);
    close(fd);
}

/* A server that accepts the TCP connection (the kernel does, from the
 * backlog) but never sends its greeting. */
static void test_connect_timeout(void)
{
    struct sockaddr_in a;
    socklen_t alen = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    ftp_session *s;
    double t0, dt;
    uint16_t port;

    tu_step("silent server + ftp_set_timeout_ms(300) -> FTP_ERROR_TIMEOUT");
    CHECK(NULL, fd >= 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(NULL, bind(fd, (struct sockaddr *)&a, sizeof a) == 0);
    CHECK(NULL, listen(fd, 4) == 0);
    CHECK(NULL, getsockname(fd, (struct sockaddr *)&a, &alen) == 0);
    port = ntohs(a.sin_port);

    s = ftp_session_new();
    CHECK_OK(s, ftp_set_timeout_ms(s, 300));
    t0 = now_s();
    CHECK_RES(s, ftp_connect(s, "127.0.0.1", port), FTP_ERROR_TIMEOUT);
    dt = now_s() - t0;
    CHECK_MSG(s, dt >= 0.25 && dt < 10.0, "timed out after %.3f s, expected about 0.3 s", dt);
    CHECK_MSG(s, ftp_last_error(s)[0] != '\0', "ftp_last_error is empty after a timeout");
    CHECK(s, ftp_getwelcome(s) == NULL);
    CHECK_OK(s, ftp_close(s));
    CHECK_OK(s, ftp_close(s));
    ftp_session_free(s);
    close(fd);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_version_and_names();
    test_frees_and_null_getters();
    test_null_arguments();
    test_unconnected();
    test_connect_refused();
    test_connect_timeout();
    test_unknown_result_name();
    printf("PASS test_basics\n");
    return 0;
}
