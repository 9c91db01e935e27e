/* test_url: ftp_connect_url, ftp_set_netrc, ftp_set_url_cwd,
 * ftp_set_connect_timeout_ms and ftp_set_active_address through the C API.
 *
 * Without a server: NULL arguments, bad URLs (FTP_ERROR_INVALID_ARGUMENT,
 * the message names the wrong part and never holds the password), bad CWD
 * modes and active port ranges.
 *
 * Servers (tests/servers/ftpservers.py):
 * - vsftpd (FTP_TEST_VSFTPD_*, anonymous): a URL naming a file enters its
 *   directory segment by segment (CWD pub, CWD subdir; ftp_pwd), and in one
 *   CWD with FTP_URL_CWD_ONCE, in none with FTP_URL_CWD_NONE (ftp_url_path
 *   gives the decoded path); the file then downloads byte-exact; active
 *   mode with an announced address and a port range (the PORT command in
 *   the debug output), and a range whose ports are all taken
 *   (FTP_ERROR_IO, the session goes on); the same with EPRT on vsftpd
 *   over ::1 (FTP_TEST_VSFTPD6_*);
 * - a listener whose backlog is full (connects hang): ftp_connect fails
 *   with FTP_ERROR_TIMEOUT after ftp_set_connect_timeout_ms, not the
 *   session timeout;
 * - pyftpdlib (FTP_TEST_PYFTPD_*, tester/secret): URL credentials with %XX;
 *   a wrong password fails with FTP_ERROR_PERM and neither ftp_last_error
 *   nor the debug output holds it; netrc from a temporary file (chmod 600)
 *   for ftp_connect_url and for ftp_login with a NULL user, NULL = $NETRC
 *   (a missing default file: anonymous; a missing named one: FTP_ERROR_IO);
 *   a netrc open to others is refused before anything is sent;
 * - vsftpd explicit and implicit FTPS (FTP_TEST_VSFTPDS_*, _VSFTPDI_*) and
 *   pyftpdlib FTPS (FTP_TEST_PYFTPDS_*) through ftpes:// and ftps:// URLs
 *   with the test CA, on a session made plain by ftp_session_new.
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static tu_server VS, PY;

/* The session is not connected (a command is refused without I/O). */
#define CHECK_CLOSED(s) CHECK_RES(s, ftp_voidcmd(s, "NOOP"), FTP_ERROR_STATE)

static ftp_session *new_session(tu_lines *dbg)
{
    ftp_session *s = ftp_session_new();
    CHECK(NULL, s != NULL);
    CHECK_OK(s, ftp_set_timeout_ms(s, 30000));
    if (dbg != NULL) {
        CHECK_OK(s, ftp_set_debuglevel(s, 2));
        CHECK_OK(s, ftp_set_debug_callback(s, tu_debug_sink, dbg));
    }
    return s;
}

static void check_invalid_url(ftp_session *s, const char *url, const char *needle)
{
    CHECK_RES(s, ftp_connect_url(s, url, NULL), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_MSG(s, strstr(ftp_last_error(s), needle) != NULL, "%s: %s lacks %s", url,
              ftp_last_error(s), needle);
    CHECK_MSG(s, strstr(ftp_last_error(s), "hunter2") == NULL, "password in %s",
              ftp_last_error(s));
}

static void test_no_server(void)
{
    ftp_session *s = new_session(NULL);
    tu_step("NULL arguments, bad URLs and settings");
    CHECK_RES(NULL, ftp_connect_url(NULL, "ftp://h/", NULL), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(s, ftp_connect_url(s, NULL, NULL), FTP_ERROR_INVALID_ARGUMENT);
    CHECK(s, strstr(ftp_last_error(s), "url is NULL") != NULL);
    check_invalid_url(s, "http://u:hunter2@h/x", "unsupported URL scheme 'http://'");
    check_invalid_url(s, "ftp://u:hunter2@h:0/x", "bad port");
    check_invalid_url(s, "ftp://u:hunter2@/x", "no host");
    check_invalid_url(s, "ftp://u:hunter2%zz@h/x", "bad %-escape in the URL's password");
    check_invalid_url(s, "ftp://u:hunter2@[::1/x", "unterminated '['");
    check_invalid_url(s, "ftp://u:hunter2@h/x;type=z", "bad ';type='");
    check_invalid_url(s, "ftp://u:hunter2@h/a b", "space or control");
    CHECK_CLOSED(s);
    CHECK_RES(NULL, ftp_set_netrc(NULL, NULL), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_OK(s, ftp_set_netrc(s, ""));
    CHECK_RES(NULL, ftp_set_url_cwd(NULL, FTP_URL_CWD_ONCE), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(s, ftp_set_url_cwd(s, 3), FTP_ERROR_INVALID_ARGUMENT);
    CHECK(NULL, ftp_url_path(NULL) == NULL);
    CHECK(s, ftp_url_path(s) == NULL);
    CHECK_RES(s, ftp_set_url_cwd(s, -1), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_OK(s, ftp_set_url_cwd(s, FTP_URL_CWD_EACH));
    CHECK_RES(NULL, ftp_set_connect_timeout_ms(NULL, 5), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_OK(s, ftp_set_connect_timeout_ms(s, 0));
    CHECK_RES(NULL, ftp_set_active_address(NULL, NULL, 0, 0), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(s, ftp_set_active_address(s, NULL, 0, 10), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(s, ftp_set_active_address(s, NULL, 10, 9), FTP_ERROR_INVALID_ARGUMENT);
    CHECK(s, strstr(ftp_last_error(s), "bad active port range 10-9") != NULL);
    CHECK_RES(s, ftp_set_active_address(s, "", 0, 0), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(s, ftp_set_active_address(s, "a\r\nb", 0, 0), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_OK(s, ftp_set_active_address(s, "192.0.2.1", 5000, 5001));
    CHECK_OK(s, ftp_set_active_address(s, NULL, 0, 0));
    ftp_session_free(s);
}

/* Downloads `name` and compares it with `root`/`local`. */
static void retr_equals_file(ftp_session *s, const char *name, const char *root,
                             const char *local)
{
    tu_buf got = {0};
    char *cmd = tu_strf("RETR %s", name);
    char *path = tu_path(root, local);
    size_t len = 0;
    uint8_t *want = tu_read_file(path, &len);
    CHECK_OK(s, ftp_retrbinary(s, cmd, tu_buf_sink, &got, 0, FTP_NO_REST));
    CHECK_MEM(s, got.data, got.len, want, len);
    tu_buf_free(&got);
    free(want);
    free(path);
    free(cmd);
}

static void test_vsftpd_paths(void)
{
    tu_lines dbg = {0};
    ftp_session *s = new_session(&dbg);
    const char *pwd = NULL;
    char *url = tu_strf("ftp://%s:%u/pub/subdir/nested.txt;type=i", VS.host, VS.port);

    tu_step("vsftpd: a file URL enters its directory one segment at a time");
    CHECK_OK(s, ftp_connect_url(s, url, NULL));
    CHECK_CODE(s, 230);
    CHECK_OK(s, ftp_pwd(s, &pwd));
    CHECK_STR(s, pwd, "/pub/subdir");
    CHECK(s, tu_lines_index(&dbg, "*cmd* 'CWD pub'") >= 0);
    CHECK(s, tu_lines_index(&dbg, "*cmd* 'CWD subdir'") >= 0);
    retr_equals_file(s, "nested.txt", VS.root, "pub/subdir/nested.txt");
    CHECK_RES(s, ftp_connect_url(s, url, NULL), FTP_ERROR_STATE);
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
    tu_lines_free(&dbg);
    free(url);

    tu_step("vsftpd: FTP_URL_CWD_ONCE, a directory URL, a missing directory");
    memset(&dbg, 0, sizeof dbg);
    s = new_session(&dbg);
    CHECK_OK(s, ftp_set_url_cwd(s, FTP_URL_CWD_ONCE));
    url = tu_strf("ftp://anonymous@%s:%u/pub/subdir/", VS.host, VS.port);
    CHECK_OK(s, ftp_connect_url(s, url, NULL));
    CHECK(s, tu_lines_index(&dbg, "*cmd* 'CWD pub/subdir'") >= 0);
    CHECK_OK(s, ftp_pwd(s, &pwd));
    CHECK_STR(s, pwd, "/pub/subdir");
    CHECK_STR(s, ftp_url_path(s), "pub/subdir/");
    CHECK_OK(s, ftp_quit(s));
    free(url);

    tu_step("vsftpd: FTP_URL_CWD_NONE leaves the path to ftp_url_path");
    CHECK_OK(s, ftp_set_url_cwd(s, FTP_URL_CWD_NONE));
    url = tu_strf("ftp://%s:%u/pub/%%73ubdir/nested.txt", VS.host, VS.port);
    CHECK_OK(s, ftp_connect_url(s, url, NULL));
    CHECK_STR(s, ftp_url_path(s), "pub/subdir/nested.txt");
    CHECK_OK(s, ftp_pwd(s, &pwd));
    CHECK_STR(s, pwd, "/");
    retr_equals_file(s, ftp_url_path(s), VS.root, "pub/subdir/nested.txt");
    CHECK_OK(s, ftp_quit(s));
    CHECK_OK(s, ftp_connect(s, VS.host, VS.port));
    CHECK(s, ftp_url_path(s) == NULL);
    CHECK_OK(s, ftp_quit(s));
    CHECK_OK(s, ftp_set_url_cwd(s, FTP_URL_CWD_EACH));
    free(url);
    url = tu_strf("ftp://%s:%u/pub/missing/x", VS.host, VS.port);
    CHECK_RES(s, ftp_connect_url(s, url, NULL), FTP_ERROR_PERM);
    CHECK_CODE(s, 550);
    CHECK_CLOSED(s);
    ftp_session_free(s);
    tu_lines_free(&dbg);
    free(url);
}

/* A listener on 127.0.0.1:port (-1 when the port is taken). */
static int listen_on(uint16_t port)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 1) != 0) {
        if (fd >= 0) close(fd);
        return -1;
    }
    return fd;
}

/* Two consecutive free ports, held by listeners fds[0..1]. */
static uint16_t take_two_ports(int fds[2])
{
    uint16_t p;
    for (p = 42000; p < 42400; p += 2) {
        fds[0] = listen_on(p);
        fds[1] = listen_on((uint16_t)(p + 1));
        if (fds[0] >= 0 && fds[1] >= 0) return p;
        if (fds[0] >= 0) close(fds[0]);
        if (fds[1] >= 0) close(fds[1]);
    }
    CHECK_MSG(NULL, 0, "no two free ports in 42000-42400");
    return 0;
}

static void test_active_address(void)
{
    tu_lines dbg = {0};
    ftp_session *s = tu_open(&VS, true);
    int fds[2];
    uint16_t first = take_two_ports(fds);
    size_t i;
    bool seen = false;

    tu_step("vsftpd active mode: announced address and port range %u-%u", first, first + 1);
    close(fds[0]);
    close(fds[1]);
    CHECK_OK(s, ftp_set_debuglevel(s, 1));
    CHECK_OK(s, ftp_set_debug_callback(s, tu_debug_sink, &dbg));
    CHECK_OK(s, ftp_set_pasv(s, false));
    CHECK_OK(s, ftp_set_active_address(s, "127.0.0.1", first, (uint16_t)(first + 1)));
    retr_equals_file(s, "pub/hello.txt", VS.root, "pub/hello.txt");
    for (i = 0; i < dbg.n; i++) {
        unsigned a, b, c, d, hi, lo;
        if (sscanf(dbg.lines[i], "*cmd* 'PORT %u,%u,%u,%u,%u,%u'", &a, &b, &c, &d, &hi, &lo) == 6) {
            unsigned port = hi * 256 + lo;
            CHECK_MSG(s, a == 127 && b == 0 && c == 0 && d == 1, "%s", dbg.lines[i]);
            CHECK_MSG(s, port == first || port == first + 1u, "%s", dbg.lines[i]);
            seen = true;
        }
    }
    CHECK_MSG(s, seen, "no PORT command in the debug output");

    tu_step("vsftpd active mode: every port of the range taken");
    first = take_two_ports(fds);
    CHECK_OK(s, ftp_set_active_address(s, NULL, first, (uint16_t)(first + 1)));
    {
        tu_buf got = {0};
        CHECK_RES(s, ftp_retrbinary(s, "RETR pub/hello.txt", tu_buf_sink, &got, 0, FTP_NO_REST),
                  FTP_ERROR_IO);
        CHECK(s, strstr(ftp_last_error(s), "is taken") != NULL);
        CHECK_INT(s, (long long)got.len, 0);
        tu_buf_free(&got);
    }
    CHECK_OK(s, ftp_voidcmd(s, "NOOP"));
    close(fds[0]);
    close(fds[1]);
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
    tu_lines_free(&dbg);
}

/* A listener on 127.0.0.1 whose one queue place is taken by *filler: a
 * further connect hangs (its SYNs are dropped). */
static int black_hole(uint16_t *port, int *filler)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(NULL, fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && listen(fd, 0) == 0);
    CHECK(NULL, getsockname(fd, (struct sockaddr *)&a, &len) == 0);
    *filler = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(NULL, *filler >= 0 && connect(*filler, (struct sockaddr *)&a, sizeof a) == 0);
    *port = ntohs(a.sin_port);
    return fd;
}

static void test_connect_timeout(void)
{
    ftp_session *s = new_session(NULL);
    uint16_t port;
    int filler, hole = black_hole(&port, &filler);

    tu_step("ftp_set_connect_timeout_ms bounds a connect that never completes");
    CHECK_OK(s, ftp_set_connect_timeout_ms(s, 300));
    CHECK_RES(s, ftp_connect(s, "127.0.0.1", port), FTP_ERROR_TIMEOUT);
    CHECK(s, strstr(ftp_last_error(s), "connecting to 127.0.0.1") != NULL);
    CHECK_CLOSED(s);
    close(filler);
    close(hole);
    ftp_session_free(s);
}

static void test_active_ipv6(void)
{
    tu_server v6;
    tu_lines dbg = {0};
    ftp_session *s;
    int fds[2];
    uint16_t first = take_two_ports(fds);
    char *want0, *want1;

    tu_server_env("VSFTPD6", false, &v6);
    tu_step("vsftpd on ::1, active mode: EPRT announces ::1 and a port of %u-%u", first,
            first + 1);
    close(fds[0]);
    close(fds[1]);
    s = tu_open(&v6, true);
    CHECK_OK(s, ftp_set_debuglevel(s, 1));
    CHECK_OK(s, ftp_set_debug_callback(s, tu_debug_sink, &dbg));
    CHECK_OK(s, ftp_set_pasv(s, false));
    CHECK_OK(s, ftp_set_active_address(s, "::1", first, (uint16_t)(first + 1)));
    retr_equals_file(s, "pub/hello.txt", v6.root, "pub/hello.txt");
    want0 = tu_strf("*cmd* 'EPRT |2|::1|%u|'", first);
    want1 = tu_strf("*cmd* 'EPRT |2|::1|%u|'", first + 1);
    CHECK(s, tu_lines_index(&dbg, want0) >= 0 || tu_lines_index(&dbg, want1) >= 0);
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
    tu_lines_free(&dbg);
    free(want0);
    free(want1);
}

static void test_pyftpd_credentials(void)
{
    tu_lines dbg = {0};
    ftp_session *s = new_session(&dbg);
    char *url = tu_strf("ftp://%s:%s@%s:%u/", PY.user, PY.pass, PY.host, PY.port);
    char *bad = tu_strf("ftp://%s:wr%%6Fng%%40pw@%s:%u/", PY.user, PY.host, PY.port);
    size_t i;

    tu_step("pyftpdlib: URL credentials; a wrong password is never shown");
    CHECK_OK(s, ftp_connect_url(s, url, NULL));
    CHECK_OK(s, ftp_quit(s));
    CHECK_RES(s, ftp_connect_url(s, bad, NULL), FTP_ERROR_PERM);
    CHECK_CODE(s, 530);
    CHECK(s, strstr(ftp_last_error(s), "wrong@pw") == NULL);
    CHECK(s, strstr(ftp_last_error(s), "wr%6Fng") == NULL);
    for (i = 0; i < dbg.n; i++) {
        CHECK_MSG(s, strstr(dbg.lines[i], "wrong@pw") == NULL, "%s", dbg.lines[i]);
        CHECK_MSG(s, strstr(dbg.lines[i], PY.pass) == NULL, "%s", dbg.lines[i]);
    }
    CHECK(s, tu_lines_count_prefix(&dbg, "*cmd* 'PASS *") == 2);
    ftp_session_free(s);
    tu_lines_free(&dbg);
    free(url);
    free(bad);
}

static char *write_netrc(const char *dir, const char *text, mode_t mode)
{
    char *path = tu_path(dir, "netrc");
    tu_write_file(path, text, strlen(text));
    CHECK(NULL, chmod(path, mode) == 0);
    return path;
}

static void test_netrc(void)
{
    tu_lines dbg = {0};
    char *dir = tu_unique("/tmp/libftp-test-netrc");
    char *text = tu_strf("# test logins\nmachine other.test login x password y\n"
                         "machine %s login %s password \"%s\"\n",
                         PY.host, PY.user, PY.pass);
    char *path;
    char *url = tu_strf("ftp://%s@%s:%u/", PY.user, PY.host, PY.port);
    ftp_session *s;

    CHECK(NULL, mkdir(dir, 0700) == 0);
    path = write_netrc(dir, text, 0600);
    tu_step("netrc: the password of ftp_connect_url and of ftp_login(NULL user)");
    s = new_session(&dbg);
    CHECK_OK(s, ftp_set_netrc(s, path));
    CHECK_OK(s, ftp_connect_url(s, url, NULL));
    CHECK_CODE(s, 230);
    CHECK_OK(s, ftp_quit(s));
    CHECK_OK(s, ftp_connect(s, PY.host, PY.port));
    CHECK_OK(s, ftp_login(s, NULL, NULL, NULL));
    CHECK_CODE(s, 230);
    CHECK_INT(s, (long long)tu_lines_count_containing(&dbg, "*cmd* 'USER tester'"), 2);
    CHECK_OK(s, ftp_quit(s));

    tu_step("netrc: NULL path = $NETRC; a missing default file means anonymous");
    CHECK(NULL, setenv("NETRC", path, 1) == 0);
    CHECK_OK(s, ftp_set_netrc(s, NULL));
    CHECK_OK(s, ftp_connect_url(s, url, NULL));
    CHECK_INT(s, (long long)tu_lines_count_containing(&dbg, "*cmd* 'USER tester'"), 3);
    CHECK_OK(s, ftp_quit(s));
    CHECK(NULL, setenv("NETRC", "/nonexistent-libftp/netrc", 1) == 0);
    CHECK_OK(s, ftp_set_netrc(s, NULL));
    CHECK_OK(s, ftp_connect(s, PY.host, PY.port));
    CHECK_OK(s, ftp_login(s, NULL, NULL, NULL));
    CHECK(s, tu_lines_index(&dbg, "*cmd* 'USER anonymous'") >= 0);
    CHECK_OK(s, ftp_quit(s));
    CHECK_OK(s, ftp_set_netrc(s, "/nonexistent-libftp/netrc"));
    CHECK_OK(s, ftp_connect(s, PY.host, PY.port));
    CHECK_RES(s, ftp_login(s, NULL, NULL, NULL), FTP_ERROR_IO);
    CHECK(s, strstr(ftp_last_error(s), "/nonexistent-libftp/netrc") != NULL);
    CHECK_OK(s, ftp_close(s));
    CHECK(NULL, unsetenv("NETRC") == 0);
    CHECK_OK(s, ftp_set_netrc(s, path));

    tu_step("netrc: a file open to others is refused before USER");
    CHECK(NULL, chmod(path, 0644) == 0);
    CHECK_RES(s, ftp_connect_url(s, url, NULL), FTP_ERROR_INVALID_ARGUMENT);
    CHECK(s, strstr(ftp_last_error(s), "chmod 600") != NULL);
    CHECK(s, strstr(ftp_last_error(s), PY.pass) == NULL);
    CHECK_CLOSED(s);
    CHECK_INT(s, (long long)tu_lines_count_containing(&dbg, "*cmd* 'USER"), 4);
    CHECK_OK(s, ftp_connect(s, PY.host, PY.port));
    CHECK_RES(s, ftp_login(s, NULL, NULL, NULL), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_OK(s, ftp_set_netrc(s, ""));
    CHECK_OK(s, ftp_login(s, NULL, NULL, NULL)); /* anonymous */
    CHECK_INT(s, (long long)tu_lines_count_containing(&dbg, "*cmd* 'USER anonymous'"), 2);
    ftp_session_free(s);
    unlink(path);
    rmdir(dir);
    tu_lines_free(&dbg);
    free(path);
    free(text);
    free(url);
    free(dir);
}

static void test_tls_urls(void)
{
    const char *ca = getenv("FTP_TEST_TLS_CAFILE");
    tu_server vs, vi, ps;
    ftp_tls_config *c;
    ftp_session *s;
    const char *pwd = NULL;
    char *url;

    tu_server_env("VSFTPDS", false, &vs);
    tu_server_env("VSFTPDI", false, &vi);
    tu_server_env("PYFTPDS", true, &ps);
    CHECK_MSG(NULL, ca != NULL, "FTP_TEST_TLS_CAFILE is not set");
    c = ftp_tls_config_new();
    CHECK(NULL, c != NULL);
    CHECK_OK(NULL, ftp_tls_config_set_ca_file(c, ca));

    tu_step("ftpes:// on vsftpd explicit FTPS, from a plain session");
    s = new_session(NULL);
    url = tu_strf("ftpes://%s:%u/pub/hello.txt", vs.host, vs.port);
    CHECK_OK(s, ftp_connect_url(s, url, c));
    CHECK_OK(s, ftp_pwd(s, &pwd));
    CHECK_STR(s, pwd, "/pub");
    retr_equals_file(s, "hello.txt", vs.root, "pub/hello.txt");
    CHECK_OK(s, ftp_quit(s));
    free(url);

    tu_step("ftps:// on vsftpd implicit FTPS");
    url = tu_strf("FTPS://%s:%u/pub/", vi.host, vi.port);
    CHECK_OK(s, ftp_connect_url(s, url, c));
    retr_equals_file(s, "hello.txt", vi.root, "pub/hello.txt");
    CHECK_OK(s, ftp_quit(s));
    free(url);

    tu_step("ftpes:// with credentials on pyftpdlib FTPS; ftp:// makes it plain again");
    url = tu_strf("ftpes://%s:%s@%s:%u/subdir/nested.txt", ps.user, ps.pass, ps.host, ps.port);
    CHECK_OK(s, ftp_connect_url(s, url, c));
    retr_equals_file(s, "nested.txt", ps.root, "subdir/nested.txt");
    CHECK_OK(s, ftp_quit(s));
    free(url);
    url = tu_strf("ftp://%s:%s@%s:%u/", PY.user, PY.pass, PY.host, PY.port);
    CHECK_OK(s, ftp_connect_url(s, url, NULL));
    CHECK_RES(s, ftp_prot_p(s), FTP_ERROR_STATE); /* a plain session now */
    CHECK_OK(s, ftp_quit(s));
    free(url);

    tu_step("ftps:// without the CA: the certificate is refused");
    url = tu_strf("ftps://%s:%u/", vi.host, vi.port);
    CHECK_RES(s, ftp_connect_url(s, url, NULL), FTP_ERROR_TLS);
    CHECK_CLOSED(s);
    free(url);
    ftp_session_free(s);
    ftp_tls_config_free(c);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_no_server();
    tu_server_env("VSFTPD", false, &VS);
    tu_server_env("PYFTPD", true, &PY);
    test_vsftpd_paths();
    test_active_address();
    test_active_ipv6();
    test_connect_timeout();
    test_pyftpd_credentials();
    test_netrc();
    test_tls_urls();
    printf("PASS\n");
    return 0;
}
