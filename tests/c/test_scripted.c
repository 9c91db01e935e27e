/* test_scripted: the reply and protocol rules of ftplib-behaviour.md
 * against a scripted fake server (a child process on 127.0.0.1; no
 * external servers needed).  Each scenario forks a server that reads the
 * client's commands, checks each one exactly and answers with the exact
 * bytes given; the test fails if the server saw anything unexpected.
 *
 * Covers what real servers cannot be made to do: multi-line and lone-CR
 * replies, 4xx/5xx/999/garbage classification, 1xx/3xx to voidcmd, login
 * flows (331/332/ACCT, anonymous@), FEAT and OPTS UTF8 ON after login
 * (RFC 2640; refusals, latin-1, a drop), 257 parsing, SIZE not 213, RNFR not
 * 3xx, DELE not 250/200, CDUP fallback, QUIT refused, PASV with a foreign
 * address (CVE-2021-4189: ignored unless trusted), a bad PASV reply, 150
 * "(N BYTES)" parsing, short data, retrlines' CR/LF/CRLF splitting, MLSD
 * fact parsing, ABOR replies, EOF and too-long replies.
 *
 * TYPE commands are answered "200" wherever they come (the library sends
 * TYPE only when it changes).
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* ------------------------------------------------------- fake server */

typedef void (*scenario_fn)(int ctl);

static const char *cur_scenario = "";

static void srv_die(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "FAKE SERVER (%s): ", cur_scenario);
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    fflush(stderr);
    _exit(3);
}

static void srv_send_n(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            srv_die("write failed: %s%s", strerror(errno), "");
        }
        p += n;
        len -= (size_t)n;
    }
}

static void srv_send(int fd, const char *text)
{
    srv_send_n(fd, text, strlen(text));
}

/* Reads one command line (CRLF-terminated, CRLF removed); NULL at EOF. */
static char *srv_read_line(int fd)
{
    static char buf[70000];
    size_t n = 0;
    for (;;) {
        char c;
        ssize_t r = read(fd, &c, 1);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            if (n == 0) return NULL;
            buf[n] = 0;
            srv_die("EOF in the middle of a command line: \"%s\"%s", buf, "");
        }
        if (n + 1 >= sizeof buf) srv_die("command line too long%s%s", "", "");
        buf[n++] = c;
        if (n >= 2 && buf[n - 2] == '\r' && buf[n - 1] == '\n') {
            buf[n - 2] = 0;
            return buf;
        }
    }
}

/* The next command that is not TYPE (TYPE x gets "200 Type set."). */
static char *srv_next(int fd)
{
    for (;;) {
        char *l = srv_read_line(fd);
        if (l == NULL) return NULL;
        if (strncmp(l, "TYPE ", 5) == 0) {
            srv_send(fd, "200 Type set.\r\n");
            continue;
        }
        return l;
    }
}

static void srv_expect(int fd, const char *want)
{
    char *l = srv_next(fd);
    if (l == NULL) srv_die("expected \"%s\", got EOF%s", want, "");
    if (strcmp(l, want) != 0) srv_die("expected \"%s\", got \"%s\"", want, l);
}

/* Expect `cmd`, answer `reply` (raw bytes). */
static void srv_xchg(int fd, const char *cmd, const char *reply)
{
    srv_expect(fd, cmd);
    srv_send(fd, reply);
}

static void srv_expect_eof(int fd)
{
    char *l = srv_next(fd);
    if (l != NULL) srv_die("expected the client to close, got \"%s\"%s", l, "");
}

static int srv_listen(const char *ip, uint16_t *port)
{
    struct sockaddr_in a;
    socklen_t alen = sizeof a;
    int one = 1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) srv_die("socket: %s%s", strerror(errno), "");
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    inet_pton(AF_INET, ip, &a.sin_addr);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 8) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &alen) != 0)
        srv_die("bind/listen: %s%s", strerror(errno), "");
    *port = ntohs(a.sin_port);
    return fd;
}

/* Passive set-up: an EPSV is refused with 500 (so the client falls back to
 * PASV, for good), then PASV is answered with `addr` ("127,0,0,1") and the
 * port of a new listener on 127.0.0.1.  Returns the listener. */
static int srv_pasv(int fd, const char *addr)
{
    char reply[128];
    uint16_t port;
    int lfd;
    char *l = srv_next(fd);
    if (l != NULL && strcmp(l, "EPSV") == 0) {
        srv_send(fd, "500 EPSV not understood.\r\n");
        l = srv_next(fd);
    }
    if (l == NULL || strcmp(l, "PASV") != 0) srv_die("expected PASV, got \"%s\"%s", l ? l : "EOF", "");
    lfd = srv_listen("127.0.0.1", &port);
    snprintf(reply, sizeof reply, "227 Entering Passive Mode (%s,%u,%u).\r\n", addr,
             (unsigned)(port >> 8), (unsigned)(port & 0xff));
    srv_send(fd, reply);
    return lfd;
}

static int srv_accept(int lfd)
{
    int c = accept(lfd, NULL, NULL);
    if (c < 0) srv_die("accept: %s%s", strerror(errno), "");
    close(lfd);
    return c;
}

/* Sends `data` on the data connection accepted from lfd, then closes it. */
static void srv_data_send(int lfd, const void *data, size_t len)
{
    int c = srv_accept(lfd);
    srv_send_n(c, data, len);
    close(c);
}

static pid_t start_server(const char *name, scenario_fn fn, uint16_t *port)
{
    struct sockaddr_in a;
    socklen_t alen = sizeof a;
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    pid_t pid;
    cur_scenario = name;
    tu_step("scenario: %s", name);
    CHECK(NULL, lfd >= 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(NULL, bind(lfd, (struct sockaddr *)&a, sizeof a) == 0);
    CHECK(NULL, listen(lfd, 4) == 0);
    CHECK(NULL, getsockname(lfd, (struct sockaddr *)&a, &alen) == 0);
    *port = ntohs(a.sin_port);
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    CHECK(NULL, pid >= 0);
    if (pid == 0) {
        int one = 1, c;
        signal(SIGPIPE, SIG_IGN);
        alarm(60);
        c = accept(lfd, NULL, NULL);
        if (c < 0) srv_die("accept: %s%s", strerror(errno), "");
        close(lfd);
        /* ABOR comes as urgent data: keep it in the normal stream. */
        setsockopt(c, SOL_SOCKET, SO_OOBINLINE, &one, sizeof one);
        fn(c);
        close(c);
        _exit(0);
    }
    close(lfd);
    return pid;
}

static void finish_server(pid_t pid)
{
    int status = 0;
    CHECK(NULL, waitpid(pid, &status, 0) == pid);
    CHECK_MSG(NULL, WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "the fake server of scenario \"%s\" failed (status 0x%x): see its message above",
              cur_scenario, status);
}

static ftp_session *client(uint16_t port)
{
    ftp_session *s = ftp_session_new();
    CHECK(NULL, s != NULL);
    CHECK_OK(s, ftp_set_timeout_ms(s, 10000));
    {
        const char *dbg = getenv("FTP_TEST_DEBUG");
        if (dbg != NULL && atoi(dbg) > 0) CHECK_OK(s, ftp_set_debuglevel(s, atoi(dbg)));
    }
    CHECK_OK(s, ftp_connect(s, "127.0.0.1", port));
    return s;
}

#define CHECK_NOOP(s)                            \
    do {                                         \
        CHECK_OK(s, ftp_sendcmd(s, "NOOP"));     \
        CHECK_CODE(s, 200);                      \
    } while (0)

/* ---------------------------------------------------------- replies */

static void srv_replies(int c)
{
    srv_send(c, "220-Welcome\r\n 220 not the end\r\n220-still not\r\n220 ready\r\n");
    srv_xchg(c, "NOOP", "200 first\r211 second\r\n"); /* lone CR ends a line */
    srv_expect(c, "NOOP");                            /* answered by "211 second" */
    srv_xchg(c, "NOOP", "250-a\r\n250-b\n250 c\r\n");
    srv_xchg(c, "ECHO4", "450 busy\r\n");
    srv_xchg(c, "ECHO5", "550 nope\r\n");
    srv_xchg(c, "V199", "199 early\r\n");
    srv_xchg(c, "V300", "300 more\r\n");
    srv_xchg(c, "S331", "331 need more\r\n");
    srv_xchg(c, "LF", "200 lf only\n");
    srv_xchg(c, "NOOP", "200 ok\r\n");
    srv_xchg(c, "QUIT", "221 bye\r\n");
    srv_expect_eof(c);
}

static void test_replies(void)
{
    uint16_t port;
    pid_t pid = start_server("replies", srv_replies, &port);
    ftp_session *s = client(port);
    CHECK_STR(s, ftp_getwelcome(s), "220-Welcome\n 220 not the end\n220-still not\n220 ready");
    CHECK_CODE(s, 220);
    CHECK_OK(s, ftp_sendcmd(s, "NOOP"));
    CHECK_STR(s, ftp_last_response(s), "200 first");
    CHECK_OK(s, ftp_sendcmd(s, "NOOP"));
    CHECK_STR(s, ftp_last_response(s), "211 second");
    CHECK_CODE(s, 211);
    CHECK_OK(s, ftp_voidcmd(s, "NOOP"));
    CHECK_STR(s, ftp_last_response(s), "250-a\n250-b\n250 c");
    CHECK_CODE(s, 250);
    CHECK_RES(s, ftp_sendcmd(s, "ECHO4"), FTP_ERROR_TEMP);
    CHECK_CODE(s, 450);
    CHECK_STR(s, ftp_last_response(s), "450 busy");
    CHECK_RES(s, ftp_voidcmd(s, "ECHO5"), FTP_ERROR_PERM);
    CHECK_CODE(s, 550);
    CHECK_STR(s, ftp_last_response(s), "550 nope");
    CHECK_RES(s, ftp_voidcmd(s, "V199"), FTP_ERROR_REPLY);
    CHECK_CODE(s, 199);
    CHECK_RES(s, ftp_voidcmd(s, "V300"), FTP_ERROR_REPLY);
    CHECK_CODE(s, 300);
    CHECK_STR(s, ftp_last_response(s), "300 more");
    CHECK_OK(s, ftp_sendcmd(s, "S331"));
    CHECK_CODE(s, 331);
    CHECK_OK(s, ftp_sendcmd(s, "LF"));
    CHECK_STR(s, ftp_last_response(s), "200 lf only");
    CHECK_MSG(s, ftp_last_error(s)[0] == '\0', "ftp_last_error not \"\" after a success");
    CHECK_RES(s, ftp_sendcmd(s, "BAD\r\nNOOP"), FTP_ERROR_INVALID_ARGUMENT); /* not sent */
    CHECK_NOOP(s);
    CHECK_OK(s, ftp_quit(s));
    CHECK_CODE(s, 221);
    ftp_session_free(s);
    finish_server(pid);
}

static void srv_proto_999(int c)
{
    srv_send(c, "220 hi\r\n");
    srv_xchg(c, "ECHO9", "999 what\r\n");
    srv_expect_eof(c);
}

static void srv_proto_garbage(int c)
{
    srv_send(c, "220 hi\r\n");
    srv_xchg(c, "ECHOX", "hello there\r\n");
    srv_expect_eof(c);
}

static void srv_proto_long(int c)
{
    static char line[16 * 1024 + 8];
    srv_send(c, "220 hi\r\n");
    srv_expect(c, "NOOP");
    memset(line, 'x', sizeof line);
    memcpy(line, "200 ", 4);
    memcpy(line + sizeof line - 2, "\r\n", 2);
    srv_send_n(c, line, sizeof line);
    srv_expect_eof(c);
}

static void srv_proto_huge(int c)
{
    static char line[1002];
    int i;
    srv_send(c, "220 hi\r\n");
    srv_expect(c, "STAT");
    memset(line, 'y', sizeof line);
    memcpy(line, "211-", 4);
    memcpy(line + sizeof line - 2, "\r\n", 2);
    for (i = 0; i < 1100; i++) srv_send_n(c, line, sizeof line); /* 1.1 MB, no end line */
    srv_expect_eof(c);
}

static void test_proto(void)
{
    uint16_t port;
    pid_t pid;
    ftp_session *s;

    pid = start_server("999 reply -> FTP_ERROR_PROTO", srv_proto_999, &port);
    s = client(port);
    CHECK_RES(s, ftp_sendcmd(s, "ECHO9"), FTP_ERROR_PROTO);
    CHECK_MSG(s, ftp_last_error(s)[0] != '\0', "no sentence for FTP_ERROR_PROTO");
    CHECK_MSG(s, strstr(ftp_last_error(s), "999 what") != NULL ||
                     strcmp(ftp_last_response(s), "999 what") == 0,
              "the 999 reply text is neither in ftp_last_error nor ftp_last_response");
    ftp_session_free(s);
    finish_server(pid);

    pid = start_server("not a reply -> FTP_ERROR_PROTO", srv_proto_garbage, &port);
    s = client(port);
    CHECK_RES(s, ftp_sendcmd(s, "ECHOX"), FTP_ERROR_PROTO);
    ftp_session_free(s);
    finish_server(pid);

    pid = start_server("16 KiB reply line -> FTP_ERROR_PROTO", srv_proto_long, &port);
    s = client(port);
    CHECK_RES(s, ftp_sendcmd(s, "NOOP"), FTP_ERROR_PROTO);
    CHECK_MSG(s, ftp_last_error(s)[0] != '\0', "no sentence for a too long line");
    ftp_session_free(s);
    finish_server(pid);

    pid = start_server("1.1 MB multi-line reply -> FTP_ERROR_PROTO", srv_proto_huge, &port);
    s = client(port);
    CHECK_RES(s, ftp_sendcmd(s, "STAT"), FTP_ERROR_PROTO);
    ftp_session_free(s);
    finish_server(pid);
}

/* ----------------------------------------------------- welcome, EOF */

static void srv_welcome_120(int c)
{
    srv_send(c, "120 wait a bit\r\n");
    srv_xchg(c, "NOOP", "200 ok\r\n");
    srv_expect_eof(c);
}

static void srv_welcome_421(int c)
{
    srv_send(c, "421 too many users\r\n");
    srv_expect_eof(c);
}

static void srv_welcome_eof(int c)
{
    (void)c; /* closes at once */
}

static void srv_eof_later(int c)
{
    srv_send(c, "220 hi\r\n");
    srv_expect(c, "NOOP"); /* and close without answering */
}

static void test_welcome_eof(void)
{
    uint16_t port;
    pid_t pid;
    ftp_session *s;

    pid = start_server("welcome 120 is accepted", srv_welcome_120, &port);
    s = client(port);
    CHECK_STR(s, ftp_getwelcome(s), "120 wait a bit");
    CHECK_NOOP(s);
    ftp_session_free(s);
    finish_server(pid);

    pid = start_server("welcome 421 -> FTP_ERROR_TEMP", srv_welcome_421, &port);
    s = ftp_session_new();
    CHECK_OK(s, ftp_set_timeout_ms(s, 10000));
    CHECK_RES(s, ftp_connect(s, "127.0.0.1", port), FTP_ERROR_TEMP);
    CHECK_CODE(s, 421);
    ftp_session_free(s);
    finish_server(pid);

    pid = start_server("connection closed before the welcome -> FTP_ERROR_EOF", srv_welcome_eof,
                       &port);
    s = ftp_session_new();
    CHECK_OK(s, ftp_set_timeout_ms(s, 10000));
    CHECK_RES(s, ftp_connect(s, "127.0.0.1", port), FTP_ERROR_EOF);
    CHECK_MSG(s, ftp_last_error(s)[0] != '\0', "no sentence for FTP_ERROR_EOF");
    ftp_session_free(s);
    finish_server(pid);

    pid = start_server("connection closed instead of a reply -> FTP_ERROR_EOF", srv_eof_later,
                       &port);
    s = client(port);
    CHECK_RES(s, ftp_sendcmd(s, "NOOP"), FTP_ERROR_EOF);
    CHECK_RES(s, ftp_sendcmd(s, "NOOP"), FTP_ERROR_STATE); /* the connection is gone */
    ftp_session_free(s);
    finish_server(pid);
}

/* ------------------------------------------------------------ login */

/* FEAT replies: without UTF8, and with it (as vsftpd's). */
#define FEAT_NO_UTF8 "211-Features:\r\n MDTM\r\n SIZE\r\n211 End\r\n"
#define FEAT_UTF8 "211-Features:\r\n EPSV\r\n MDTM\r\n UTF8\r\n211 End\r\n"

static void srv_login(int c)
{
    srv_send(c, "220 hi\r\n");
    /* ftp_login(s, NULL, NULL, NULL) */
    srv_xchg(c, "USER anonymous", "331 send password\r\n");
    srv_xchg(c, "PASS anonymous@", "332 need account\r\n");
    srv_xchg(c, "ACCT ", "230 in\r\n");
    /* logged in: the UTF-8 session asks FEAT, once per connection (no
     * UTF8 advertised, so no OPTS, at any of the logins) */
    srv_xchg(c, "FEAT", FEAT_NO_UTF8);
    /* ftp_login(s, "u", "p", "a") */
    srv_xchg(c, "USER u", "331 send password\r\n");
    srv_xchg(c, "PASS p", "332 need account\r\n");
    srv_xchg(c, "ACCT a", "230 in\r\n");
    /* ftp_login(s, "bob", NULL, NULL): no password needed */
    srv_xchg(c, "USER bob", "230 welcome bob\r\n");
    /* ftp_login(s, "anonymous", "-", NULL) */
    srv_xchg(c, "USER anonymous", "331 send password\r\n");
    srv_xchg(c, "PASS -anonymous@", "230 in\r\n");
    /* ftp_login(s, "carol", "pw", NULL): 202 is fine */
    srv_xchg(c, "USER carol", "331 send password\r\n");
    srv_xchg(c, "PASS pw", "202 superfluous\r\n");
    /* ftp_login(s, "dave", "pw", "x"): the final reply is 3xx -> error */
    srv_xchg(c, "USER dave", "331 send password\r\n");
    srv_xchg(c, "PASS pw", "332 need account\r\n");
    srv_xchg(c, "ACCT x", "332 still need account\r\n");
    /* ftp_login(s, "eve", "pw", NULL): 530 */
    srv_xchg(c, "USER eve", "331 send password\r\n");
    srv_xchg(c, "PASS pw", "530 Login incorrect.\r\n");
    srv_xchg(c, "NOOP", "200 ok\r\n");
    srv_xchg(c, "QUIT", "221 bye\r\n");
    srv_expect_eof(c);
}

static void test_login(void)
{
    uint16_t port;
    pid_t pid = start_server("login flows", srv_login, &port);
    ftp_session *s = client(port);
    CHECK_OK(s, ftp_login(s, NULL, NULL, NULL));
    CHECK_CODE(s, 230);
    CHECK_OK(s, ftp_login(s, "u", "p", "a"));
    CHECK_OK(s, ftp_login(s, "bob", NULL, NULL));
    CHECK_STR(s, ftp_last_response(s), "230 welcome bob");
    CHECK_OK(s, ftp_login(s, "anonymous", "-", NULL));
    CHECK_OK(s, ftp_login(s, "carol", "pw", NULL));
    CHECK_CODE(s, 202);
    CHECK_RES(s, ftp_login(s, "dave", "pw", "x"), FTP_ERROR_REPLY);
    CHECK_CODE(s, 332);
    CHECK_RES(s, ftp_login(s, "eve", "pw", NULL), FTP_ERROR_PERM);
    CHECK_CODE(s, 530);
    CHECK_NOOP(s);
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
    finish_server(pid);
}

/* ------------------------------------- UTF-8 at login (RFC 2640) */

/* What the next UTF-8 scenario's server answers (set before the fork). */
static const char *utf8_feat_reply = FEAT_UTF8;
static const char *utf8_opts_reply = "200 Always in UTF8 mode.\r\n";

/* USER/PASS, FEAT answered utf8_feat_reply, then OPTS UTF8 ON answered
 * utf8_opts_reply when the FEAT reply advertised UTF8; then NOOP, QUIT.
 * Every command is checked exactly, in order: a second FEAT (or an OPTS
 * where none belongs) fails the scenario. */
static void srv_utf8_login(int c)
{
    srv_send(c, "220 hi\r\n");
    srv_xchg(c, "USER user", "331 send password\r\n");
    srv_xchg(c, "PASS pw", "230 logged in\r\n");
    srv_xchg(c, "FEAT", utf8_feat_reply);
    if (strstr(utf8_feat_reply, " UTF8\r\n") != NULL)
        srv_xchg(c, "OPTS UTF8 ON", utf8_opts_reply);
    srv_xchg(c, "NOOP", "200 in step\r\n");
    srv_xchg(c, "QUIT", "221 bye\r\n");
    srv_expect_eof(c);
}

/* A latin-1 session: USER/PASS, then NOOP at once (no FEAT, no OPTS). */
static void srv_latin1_login(int c)
{
    srv_send(c, "220 hi\r\n");
    srv_xchg(c, "USER user", "331 send password\r\n");
    srv_xchg(c, "PASS pw", "230 logged in\r\n");
    srv_xchg(c, "NOOP", "200 in step\r\n");
    srv_xchg(c, "QUIT", "221 bye\r\n");
    srv_expect_eof(c);
}

/* The connection closed instead of the FEAT reply. */
static void srv_drop_at_feat(int c)
{
    srv_send(c, "220 hi\r\n");
    srv_xchg(c, "USER user", "331 send password\r\n");
    srv_xchg(c, "PASS pw", "230 logged in\r\n");
    srv_expect(c, "FEAT");
}

/* ftp_login(user, pw) succeeds, and its 230 is the last reply. */
static void utf8_login_ok(ftp_session *s)
{
    CHECK_OK(s, ftp_login(s, "user", "pw", NULL));
    CHECK_CODE(s, 230);
    CHECK_STR(s, ftp_last_response(s), "230 logged in");
}

/* NOOP (200: in step) and QUIT, then the server's verdict. */
static void utf8_end(ftp_session *s, pid_t pid)
{
    CHECK_OK(s, ftp_voidcmd(s, "NOOP"));
    CHECK_STR(s, ftp_last_response(s), "200 in step");
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
    finish_server(pid);
}

static void test_utf8_login(void)
{
    static const char *const refusals[] = {"504 Unknown command\r\n",
                                           "501 Invalid argument\r\n"};
    uint16_t port;
    pid_t pid;
    ftp_session *s;
    bool has = false;
    const char *params = NULL;
    size_t i;

    /* FEAT advertises UTF8: OPTS UTF8 ON right after login; the login's
     * 230 stays the last reply; ftp_has_feature answers from the cache
     * (the server fails on a second FEAT). */
    utf8_feat_reply = FEAT_UTF8;
    utf8_opts_reply = "200 Always in UTF8 mode.\r\n";
    pid = start_server("UTF8 advertised -> OPTS UTF8 ON after login", srv_utf8_login, &port);
    s = client(port);
    utf8_login_ok(s);
    CHECK_OK(s, ftp_has_feature(s, "utf8", &has, &params));
    CHECK_MSG(s, has, "UTF8 not advertised after login");
    CHECK_STR(s, params, "");
    CHECK_STR(s, ftp_last_response(s), ""); /* cached: no reply read */
    CHECK_OK(s, ftp_has_feature(s, "EPSV", &has, NULL));
    CHECK_MSG(s, has, "EPSV not advertised after login");
    CHECK_OK(s, ftp_has_feature(s, "MLST", &has, &params));
    CHECK_MSG(s, !has && params == NULL, "MLST advertised?");
    utf8_end(s, pid);

    /* OPTS refused (Pure-FTPd: 504): login still FTP_OK, 230. */
    for (i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
        utf8_opts_reply = refusals[i];
        pid = start_server(i == 0 ? "OPTS UTF8 ON refused with 504 -> FTP_OK"
                                  : "OPTS UTF8 ON refused with 501 -> FTP_OK",
                           srv_utf8_login, &port);
        s = client(port);
        utf8_login_ok(s);
        utf8_end(s, pid);
    }

    /* FEAT refused, or no UTF8 in it: no OPTS. */
    utf8_feat_reply = "500 FEAT not understood\r\n";
    pid = start_server("FEAT refused with 500 -> no OPTS", srv_utf8_login, &port);
    s = client(port);
    utf8_login_ok(s);
    CHECK_OK(s, ftp_has_feature(s, "UTF8", &has, NULL));
    CHECK_MSG(s, !has, "UTF8 advertised by a refused FEAT?");
    utf8_end(s, pid);

    utf8_feat_reply = FEAT_NO_UTF8;
    pid = start_server("FEAT without UTF8 -> no OPTS", srv_utf8_login, &port);
    s = client(port);
    utf8_login_ok(s);
    utf8_end(s, pid);

    /* latin-1: neither FEAT nor OPTS. */
    pid = start_server("latin-1 session -> no FEAT, no OPTS", srv_latin1_login, &port);
    s = client(port);
    CHECK_OK(s, ftp_set_encoding(s, "latin-1"));
    utf8_login_ok(s);
    utf8_end(s, pid);

    /* The connection drops instead of the FEAT reply: FTP_ERROR_EOF, the
     * session is closed (next call FTP_ERROR_STATE), and the last reply
     * read is still the login's. */
    pid = start_server("connection dropped at FEAT -> FTP_ERROR_EOF", srv_drop_at_feat, &port);
    s = client(port);
    CHECK_RES(s, ftp_login(s, "user", "pw", NULL), FTP_ERROR_EOF);
    CHECK_CODE(s, 230);
    CHECK_STR(s, ftp_last_response(s), "230 logged in");
    CHECK_RES(s, ftp_sendcmd(s, "NOOP"), FTP_ERROR_STATE);
    ftp_session_free(s);
    finish_server(pid);
}

/* ---------------------------------------------------- file commands */

static void srv_files(int c)
{
    srv_send(c, "220 hi\r\n");
    srv_xchg(c, "SIZE a", "213 1234\r\n");
    srv_xchg(c, "SIZE b", "250 1000\r\n");
    srv_xchg(c, "SIZE c", "550 no such file\r\n");
    srv_xchg(c, "MKD d", "257 \"/x/\"\"q\"\"\" created\r\n");
    srv_xchg(c, "MKD e", "250 made it\r\n");
    srv_xchg(c, "MKD f", "257 \"/no-close\r\n");
    srv_xchg(c, "PWD", "257 \"/a\"\"b\" is the cwd\r\n");
    srv_xchg(c, "PWD", "257 no quotes\r\n");
    srv_xchg(c, "RNFR a", "200 odd\r\n");          /* not 3xx: no RNTO */
    srv_xchg(c, "RNFR b", "350 ready\r\n");
    srv_xchg(c, "RNTO c", "250 renamed\r\n");
    srv_xchg(c, "RNFR x", "350 ready\r\n");
    srv_xchg(c, "RNTO y", "553 not allowed\r\n");
    srv_xchg(c, "DELE a", "199 hmm\r\n");
    srv_xchg(c, "DELE b", "200 ok\r\n");
    srv_xchg(c, "DELE c", "251 odd\r\n");
    srv_xchg(c, "DELE d", "250 deleted\r\n");
    srv_xchg(c, "CDUP", "500 what is CDUP\r\n");  /* -> CWD .. */
    srv_xchg(c, "CWD ..", "250 ok\r\n");
    srv_xchg(c, "CDUP", "550 denied\r\n");        /* no fallback */
    srv_xchg(c, "CWD .", "250 ok\r\n");
    srv_xchg(c, "CWD some dir", "250 ok\r\n");
    srv_xchg(c, "RMD z", "250 removed\r\n");
    srv_xchg(c, "QUIT", "550 not now\r\n");
    srv_expect_eof(c);
}

static void test_files(void)
{
    uint16_t port;
    pid_t pid = start_server("SIZE/MKD/PWD/RNFR/DELE/CWD/RMD/QUIT replies", srv_files, &port);
    ftp_session *s = client(port);
    int64_t size = -2;
    const char *p = NULL;

    CHECK_OK(s, ftp_size(s, "a", &size));
    CHECK_INT(s, size, 1234);
    size = -2;
    CHECK_OK(s, ftp_size(s, "b", &size)); /* not 213: no size */
    CHECK_INT(s, size, -1);
    CHECK_RES(s, ftp_size(s, "c", &size), FTP_ERROR_PERM);
    CHECK_OK(s, ftp_mkd(s, "d", &p));
    CHECK_STR(s, p, "/x/\"q\"");
    p = NULL;
    CHECK_OK(s, ftp_mkd(s, "e", &p));
    CHECK_STR(s, p, "");
    CHECK_OK(s, ftp_mkd(s, "f", &p));
    CHECK_STR(s, p, "/no-close");
    CHECK_OK(s, ftp_pwd(s, &p));
    CHECK_STR(s, p, "/a\"b");
    CHECK_OK(s, ftp_pwd(s, &p));
    CHECK_STR(s, p, "");
    CHECK_RES(s, ftp_rename(s, "a", "z"), FTP_ERROR_REPLY);
    CHECK_CODE(s, 200);
    CHECK_OK(s, ftp_rename(s, "b", "c"));
    CHECK_CODE(s, 250);
    CHECK_RES(s, ftp_rename(s, "x", "y"), FTP_ERROR_PERM);
    CHECK_CODE(s, 553);
    CHECK_RES(s, ftp_delete(s, "a"), FTP_ERROR_REPLY);
    CHECK_CODE(s, 199);
    CHECK_OK(s, ftp_delete(s, "b"));
    CHECK_RES(s, ftp_delete(s, "c"), FTP_ERROR_REPLY);
    CHECK_CODE(s, 251);
    CHECK_OK(s, ftp_delete(s, "d"));
    CHECK_OK(s, ftp_cwd(s, ".."));
    CHECK_RES(s, ftp_cwd(s, ".."), FTP_ERROR_PERM);
    CHECK_CODE(s, 550);
    CHECK_OK(s, ftp_cwd(s, ""));
    CHECK_OK(s, ftp_cwd(s, "some dir"));
    CHECK_OK(s, ftp_rmd(s, "z"));
    CHECK_RES(s, ftp_quit(s), FTP_ERROR_PERM);
    CHECK_CODE(s, 550);
    /* Header: ftp_quit closes the connection even when QUIT fails. */
    CHECK_RES(s, ftp_sendcmd(s, "NOOP"), FTP_ERROR_STATE);
    ftp_session_free(s);
    finish_server(pid);
}

/* ---------------------------------------------------- data transfers */

static const char MLSD_DATA[] =
    "Type=file;Size=5;UNIX.mode=0644;X.Eq=a=b; name with spaces;and semi\r\n"
    "type=dir;perm=el; sub\r\n"
    "size=0;type=file; trailing space \r\n";

static void srv_data(int c)
{
    int lfd;
    static char big[1234];
    srv_send(c, "220 hi\r\n");

    /* 1. retrbinary, PASV with a foreign address, not trusted: peer used */
    lfd = srv_pasv(c, "127,0,0,2");
    srv_expect(c, "RETR f");
    srv_send(c, "150 Opening data connection for f (5 bytes).\r\n");
    srv_data_send(lfd, "hello", 5);
    srv_send(c, "226 done\r\n");

    /* 2. trusted: the client goes to 127.0.0.2, where nobody listens */
    lfd = srv_pasv(c, "127,0,0,2");
    close(lfd);
    srv_xchg(c, "NOOP", "200 ok\r\n");

    /* 3. trusted, with the right address */
    lfd = srv_pasv(c, "127,0,0,1");
    srv_expect(c, "RETR g");
    srv_send(c, "150 here\r\n");
    srv_data_send(lfd, "abc", 3);
    srv_send(c, "226 done\r\n");

    /* 4. a PASV reply with a number > 255 */
    {
        char *l = srv_next(c);
        if (l == NULL || strcmp(l, "PASV") != 0) srv_die("expected PASV, got \"%s\"%s", l ? l : "EOF", "");
        srv_send(c, "227 Entering Passive Mode (127,0,0,1,300,1).\r\n");
    }
    srv_xchg(c, "NOOP", "200 ok\r\n");

    /* 5. 150 "(N BYTES)" upper case, via ntransfercmd */
    memset(big, 'B', sizeof big);
    lfd = srv_pasv(c, "127,0,0,1");
    srv_expect(c, "RETR big");
    srv_send(c, "150 Opening BINARY mode data connection (1234 BYTES)\r\n");
    srv_data_send(lfd, big, sizeof big);
    srv_send(c, "226 done\r\n");

    /* 6. fewer bytes than announced -> FTP_ERROR_PROTO, reply consumed */
    lfd = srv_pasv(c, "127,0,0,1");
    srv_expect(c, "RETR short");
    srv_send(c, "150 Opening data connection for short (10 bytes).\r\n");
    srv_data_send(lfd, "12345", 5);
    srv_send(c, "226 done\r\n");
    srv_xchg(c, "NOOP", "200 ok\r\n");

    /* 7. a 2xx before the 1xx is skipped (ftplib's ntransfercmd) */
    lfd = srv_pasv(c, "127,0,0,1");
    srv_expect(c, "RETR two");
    srv_send(c, "225 Data connection open\r\n150 go\r\n");
    srv_data_send(lfd, "xy", 2);
    srv_send(c, "226 done\r\n");

    /* 8. retrlines: CR, LF, CRLF all end lines; final line unterminated */
    lfd = srv_pasv(c, "127,0,0,1");
    srv_expect(c, "RETR t");
    srv_send(c, "150 here\r\n");
    {
        static const char text[] = "a\rb\nc\r\nd\r\n\r\ne\r\n\nlast";
        srv_data_send(lfd, text, sizeof text - 1);
    }
    srv_send(c, "226 done\r\n");

    /* 9. retrlines of nothing */
    lfd = srv_pasv(c, "127,0,0,1");
    srv_expect(c, "NLST");
    srv_send(c, "150 here\r\n");
    srv_data_send(lfd, "", 0);
    srv_send(c, "226 done\r\n");

    /* 10. MLSD: facts lowercased, '=' in a value, name verbatim */
    lfd = srv_pasv(c, "127,0,0,1");
    srv_expect(c, "MLSD");
    srv_send(c, "150 here\r\n");
    srv_data_send(lfd, MLSD_DATA, sizeof MLSD_DATA - 1);
    srv_send(c, "226 done\r\n");

    /* 11. MLSD with facts and a path */
    srv_xchg(c, "OPTS MLST type;unix.mode;", "200 MLST OPTS type;unix.mode;\r\n");
    lfd = srv_pasv(c, "127,0,0,1");
    srv_expect(c, "MLSD /some dir");
    srv_send(c, "150 here\r\n");
    srv_data_send(lfd, "type=file;unix.mode=0600; f\r\n", 29);
    srv_send(c, "226 done\r\n");

    /* 12. storbinary: what arrives, then 226 */
    lfd = srv_pasv(c, "127,0,0,1");
    srv_expect(c, "REST 3");
    srv_send(c, "350 Restarting at 3\r\n");
    srv_expect(c, "STOR up");
    srv_send(c, "150 send it\r\n");
    {
        int d = srv_accept(lfd);
        char buf[64];
        size_t n = 0;
        ssize_t r;
        while ((r = read(d, buf + n, sizeof buf - n)) > 0) n += (size_t)r;
        close(d);
        buf[n] = 0;
        if (n != 9 || memcmp(buf, "uploaded!", 9) != 0) srv_die("STOR got \"%s\"%s", buf, "");
    }
    srv_send(c, "226 stored\r\n");

    /* 13. ABOR replies: 200 is not an ABOR reply (proto), 225 is fine */
    srv_xchg(c, "ABOR", "200 weird\r\n");
    srv_xchg(c, "ABOR", "225 nothing to abort\r\n");
    srv_xchg(c, "QUIT", "221 bye\r\n");
    srv_expect_eof(c);
}

static void test_data(void)
{
    uint16_t port;
    pid_t pid = start_server("PASV address, 150 sizes, retrlines, MLSD, STOR, ABOR", srv_data,
                             &port);
    ftp_session *s = client(port);
    tu_buf b;
    tu_lines l;
    tu_mlsd m;
    ftp_transfer *t = NULL;
    int64_t expected = -2;
    uint8_t buf[4096];
    size_t n;

    tu_step("1. PASV 127.0.0.2 not trusted: the control peer 127.0.0.1 is used");
    memset(&b, 0, sizeof b);
    CHECK_OK(s, ftp_retrbinary(s, "RETR f", tu_buf_sink, &b, 0, FTP_NO_REST));
    CHECK_MEM(s, b.data, b.len, "hello", 5);
    CHECK_CODE(s, 226);
    tu_buf_free(&b);

    tu_step("2. PASV 127.0.0.2 trusted: the client goes there (refused) -> FTP_ERROR_IO");
    CHECK_OK(s, ftp_set_trust_server_pasv_ipv4_address(s, true));
    memset(&b, 0, sizeof b);
    CHECK_RES(s, ftp_retrbinary(s, "RETR f", tu_buf_sink, &b, 0, FTP_NO_REST), FTP_ERROR_IO);
    CHECK_INT(s, b.len, 0);
    CHECK_NOOP(s);

    tu_step("3. PASV 127.0.0.1 trusted: fine");
    memset(&b, 0, sizeof b);
    CHECK_OK(s, ftp_retrbinary(s, "RETR g", tu_buf_sink, &b, 0, FTP_NO_REST));
    CHECK_MEM(s, b.data, b.len, "abc", 3);
    tu_buf_free(&b);
    CHECK_OK(s, ftp_set_trust_server_pasv_ipv4_address(s, false));

    tu_step("4. PASV reply with 300 in it -> FTP_ERROR_PROTO, session fine");
    CHECK_RES(s, ftp_retrbinary(s, "RETR h", tu_buf_sink, &b, 0, FTP_NO_REST), FTP_ERROR_PROTO);
    CHECK_NOOP(s);

    tu_step("5. 150 \"(1234 BYTES)\" -> expected_size 1234");
    CHECK_OK(s, ftp_ntransfercmd(s, "RETR big", FTP_NO_REST, &t, &expected));
    CHECK_INT(s, expected, 1234);
    memset(&b, 0, sizeof b);
    for (;;) {
        CHECK_OK(s, ftp_transfer_read(t, buf, sizeof buf, &n));
        if (n == 0) break;
        tu_buf_append(&b, buf, n);
    }
    CHECK_OK(s, ftp_transfer_close(t));
    CHECK_OK(s, ftp_voidresp(s));
    CHECK_INT(s, b.len, 1234);
    tu_buf_free(&b);

    tu_step("6. fewer bytes than the 150 announced -> FTP_ERROR_PROTO (header), session fine");
    memset(&b, 0, sizeof b);
    CHECK_RES(s, ftp_retrbinary(s, "RETR short", tu_buf_sink, &b, 0, FTP_NO_REST),
              FTP_ERROR_PROTO);
    CHECK_MEM(s, b.data, b.len, "12345", 5);
    tu_buf_free(&b);
    CHECK_NOOP(s);

    tu_step("7. 225 then 150 to RETR");
    memset(&b, 0, sizeof b);
    CHECK_OK(s, ftp_retrbinary(s, "RETR two", tu_buf_sink, &b, 0, FTP_NO_REST));
    CHECK_MEM(s, b.data, b.len, "xy", 2);
    tu_buf_free(&b);

    tu_step("8. retrlines splits at CR, LF and CRLF");
    memset(&l, 0, sizeof l);
    CHECK_OK(s, ftp_retrlines(s, "RETR t", tu_lines_sink, &l));
    CHECK_MSG(s, l.bad == 0, "malformed line: %s", l.bad_msg);
    {
        static const char *want[] = {"a", "b", "c", "d", "", "e", "", "last"};
        size_t i;
        if (l.n != 8) tu_lines_dump(&l, "lines");
        CHECK_INT(s, l.n, 8);
        for (i = 0; i < 8; i++) CHECK_STR(s, l.lines[i], want[i]);
    }
    tu_lines_free(&l);

    tu_step("9. nlst of an empty listing: no line");
    memset(&l, 0, sizeof l);
    CHECK_OK(s, ftp_nlst(s, NULL, tu_lines_sink, &l));
    CHECK_INT(s, l.n, 0);
    tu_lines_free(&l);

    tu_step("10. MLSD parsing");
    memset(&m, 0, sizeof m);
    CHECK_OK(s, ftp_mlsd(s, NULL, NULL, 0, tu_mlsd_sink, &m));
    CHECK_MSG(s, m.bad == 0, "%s", m.bad_msg);
    if (m.n != 3) tu_mlsd_dump(&m);
    CHECK_INT(s, m.n, 3);
    CHECK_STR(s, m.e[0].name, "name with spaces;and semi");
    CHECK_INT(s, m.e[0].nfacts, 4);
    CHECK_STR(s, m.e[0].keys[0], "type");
    CHECK_STR(s, m.e[0].values[0], "file");
    CHECK_STR(s, tu_mlsd_fact(&m.e[0], "size"), "5");
    CHECK_STR(s, tu_mlsd_fact(&m.e[0], "unix.mode"), "0644");
    CHECK_STR(s, tu_mlsd_fact(&m.e[0], "x.eq"), "a=b");
    CHECK_STR(s, m.e[1].name, "sub");
    CHECK_STR(s, tu_mlsd_fact(&m.e[1], "type"), "dir");
    CHECK_STR(s, tu_mlsd_fact(&m.e[1], "perm"), "el");
    CHECK_STR(s, m.e[2].name, "trailing space ");
    CHECK_STR(s, tu_mlsd_fact(&m.e[2], "size"), "0");
    tu_mlsd_free(&m);

    tu_step("11. MLSD with facts and a path");
    {
        const char *facts[2] = {"type", "unix.mode"};
        memset(&m, 0, sizeof m);
        CHECK_OK(s, ftp_mlsd(s, "/some dir", facts, 2, tu_mlsd_sink, &m));
        CHECK_INT(s, m.n, 1);
        CHECK_STR(s, m.e[0].name, "f");
        CHECK_STR(s, tu_mlsd_fact(&m.e[0], "unix.mode"), "0600");
        tu_mlsd_free(&m);
    }

    tu_step("12. storbinary with rest 3");
    {
        tu_upload u;
        memset(&u, 0, sizeof u);
        u.src.data = (const uint8_t *)"uploaded!";
        u.src.len = 9;
        CHECK_OK(s, ftp_storbinary(s, "STOR up", tu_src_read, &u, 0, tu_upload_sent, 3));
        CHECK_CODE(s, 226);
        CHECK_MEM(s, u.sent.data, u.sent.len, "uploaded!", 9);
        tu_upload_free(&u);
    }

    tu_step("13. ABOR answered 200 -> FTP_ERROR_PROTO; 225 -> OK");
    CHECK_RES(s, ftp_abort(s), FTP_ERROR_PROTO);
    CHECK_OK(s, ftp_abort(s));
    CHECK_CODE(s, 225);
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
    finish_server(pid);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGPIPE, SIG_IGN);
    test_replies();
    test_proto();
    test_welcome_eof();
    test_login();
    test_utf8_login();
    test_files();
    test_data();
    printf("PASS test_scripted\n");
    return 0;
}
