/* test_faults: fault injection and command injection through the C API
 * (issue 5, items 2 and 3).
 *
 * Each scenario is served by the ftp-scripted-server binary of the Rust
 * crate ftp-testkit (testkit/src/scenarios/), the very scripts the Rust
 * twin of this file (tests/faults.rs) runs in process: one child process
 * per scenario, which prints "PORT <n>", serves one connection and exits 0
 * only if the client did what the scenario expects (a dead session must
 * send nothing more; an endless reply must be abandoned by the client).
 * The binary's path comes from FTP_SCRIPTED_SERVER in the environment or
 * the FTP_SCRIPTED_SERVER_PATH definition made by CMake.
 *
 * Every scenario checks the exact ftp_result, the reply code/text where
 * there is one, that the call returned before the 2 s session timeout (or
 * at it, for FTP_ERROR_TIMEOUT), that no success hides missing data, and
 * that the session is then usable (NOOP 200, QUIT 221) or dead
 * (FTP_ERROR_STATE, "closed after" in ftp_last_error).
 *
 * The listing scenarios check every ftp_entry of ftp_list (type, name,
 * size, mtime, link_target, format, raw and raw_len) against the lines the
 * server sent, and a callback that stops the listing (FTP_ERROR_CALLBACK,
 * the session usable).
 *
 * The injection test calls every function taking text that becomes part
 * of a command with CR or LF in it (a NUL cannot be inside a C string) and
 * with invalid UTF-8: each must return FTP_ERROR_INVALID_ARGUMENT before
 * anything is sent, which the server checks: after login it accepts only
 * "NOOP <k>" with k = 1, 2, ... in order.
 *
 * Each scenario runs in its own child process, so one failure does not
 * hide the others; the summary names the failed ones.
 *
 * Usage: test_faults [SCENARIO...]   (no argument: all of them)
 */
#include "scripted.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TIMEOUT_MS SRV_TIMEOUT_MS /* the session timeout of every scenario */
#define LATE_MS 1500    /* how late after it a TIMEOUT may come */
#define U_FFFD "\xef\xbf\xbd"

/* ------------------------------------------------------------ clients */


static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A call took `took` ms: with timeouts == 0, less than the session
 * timeout; otherwise that many full timeouts (each wait of a call has its
 * own), and not much more. */
static void check_time(const char *file, int line, const ftp_session *s, const char *expr,
                       long long took, int timeouts)
{
    long long expected = (long long)TIMEOUT_MS * timeouts;
    if (timeouts == 0 && took >= TIMEOUT_MS)
        tu_fail(file, line, s, expr, "took %lld ms, not less than the %d ms timeout", took,
                TIMEOUT_MS);
    if (timeouts > 0 && (took < expected - 50 || took >= expected + LATE_MS))
        tu_fail(file, line, s, expr, "a timeout after %lld ms, expected %lld ms (%d x %d ms)",
                took, expected, timeouts, TIMEOUT_MS);
}

/* `expr` gives `want`, well before the session timeout. */
#define CHECK_QUICK(s, expr, want)                                          \
    do {                                                                    \
        long long t0_ = now_ms();                                           \
        CHECK_RES(s, expr, want);                                           \
        check_time(__FILE__, __LINE__, (s), #expr, now_ms() - t0_, 0);      \
    } while (0)

/* `expr` gives FTP_ERROR_TIMEOUT after `n` full session timeouts. */
#define CHECK_TIMES_OUT_N(s, expr, n)                                       \
    do {                                                                    \
        long long t0_ = now_ms();                                           \
        CHECK_RES(s, expr, FTP_ERROR_TIMEOUT);                              \
        check_time(__FILE__, __LINE__, (s), #expr, now_ms() - t0_, (n));    \
    } while (0)
#define CHECK_TIMES_OUT(s, expr) CHECK_TIMES_OUT_N(s, expr, 1)

/* The failure closed the session: every later call is FTP_ERROR_STATE. */
#define CHECK_DEAD(s)                                                       \
    do {                                                                    \
        CHECK_RES(s, ftp_sendcmd(s, "NOOP"), FTP_ERROR_STATE);              \
        CHECK(s, strstr(ftp_last_error(s), "closed after") != NULL);        \
    } while (0)

/* The session is still in step: NOOP 200, QUIT 221. */
#define CHECK_USABLE_THEN_QUIT(s)                                           \
    do {                                                                    \
        CHECK_OK(s, ftp_sendcmd(s, "NOOP"));                                \
        CHECK_STR(s, ftp_last_response(s), "200 still in step");            \
        CHECK_OK(s, ftp_quit(s));                                           \
        CHECK_CODE(s, 221);                                                 \
    } while (0)


/* The data received must be payload(len). */
static void check_payload(const ftp_session *s, const tu_buf *b, size_t len)
{
    uint8_t *want = payload(len);
    CHECK_MEM(s, b->data, b->len, want, len);
    free(want);
}

static ftp_result retr(ftp_session *s, tu_buf *b)
{
    return ftp_retrbinary(s, "RETR f", tu_buf_sink, b, 0, FTP_NO_REST);
}

/* ---------------------------------------------- the control connection */

static void t_cut_welcome(void)
{
    uint16_t port = srv_start("cut-welcome");
    ftp_session *s = srv_session();
    CHECK_QUICK(s, ftp_connect(s, "127.0.0.1", port), FTP_ERROR_EOF);
    CHECK(s, ftp_getwelcome(s) == NULL);
    CHECK_DEAD(s);
    ftp_session_free(s);
    srv_finish();
}

static void t_cut_reply(const char *name)
{
    uint16_t port = srv_start(name);
    ftp_session *s = srv_logged_in(port);
    CHECK_QUICK(s, ftp_sendcmd(s, "NOOP"), FTP_ERROR_EOF);
    CHECK_DEAD(s);
    ftp_session_free(s);
    srv_finish();
}

static void t_cut_reply_single(void) { t_cut_reply("cut-reply"); }
static void t_cut_multiline(void) { t_cut_reply("cut-multiline"); }

static void t_long_line(void)
{
    uint16_t port = srv_start("long-line");
    ftp_session *s = srv_logged_in(port);
    CHECK_QUICK(s, ftp_sendcmd(s, "NOOP"), FTP_OK);
    CHECK_INT(s, strlen(ftp_last_response(s)), 8192);
    CHECK_QUICK(s, ftp_sendcmd(s, "NOOP"), FTP_ERROR_PROTO);
    CHECK(s, strstr(ftp_last_error(s), "8192") != NULL);
    CHECK_DEAD(s);
    ftp_session_free(s);
    srv_finish();
}

static void t_endless_line(void)
{
    uint16_t port = srv_start("endless-line");
    ftp_session *s = srv_logged_in(port);
    CHECK_QUICK(s, ftp_sendcmd(s, "NOOP"), FTP_ERROR_PROTO);
    CHECK(s, strstr(ftp_last_error(s), "8192") != NULL);
    CHECK_DEAD(s);
    ftp_session_free(s);
    srv_finish();
}

static void t_endless_multiline(void)
{
    uint16_t port = srv_start("endless-multiline");
    ftp_session *s = srv_logged_in(port);
    CHECK_QUICK(s, ftp_sendcmd(s, "NOOP"), FTP_ERROR_PROTO);
    CHECK(s, strstr(ftp_last_error(s), "1048576") != NULL);
    CHECK_DEAD(s);
    ftp_session_free(s);
    srv_finish();
}

static void t_garbage_welcome(void)
{
    uint16_t port = srv_start("garbage-welcome");
    ftp_session *s = srv_session();
    CHECK_QUICK(s, ftp_connect(s, "127.0.0.1", port), FTP_ERROR_PROTO);
    CHECK_CODE(s, 0);
    CHECK_STR(s, ftp_last_response(s), "SSH-2.0-OpenSSH_9.2p1 Debian-2");
    CHECK_DEAD(s);
    ftp_session_free(s);
    srv_finish();
}

static void t_garbage_reply(void)
{
    uint16_t port = srv_start("garbage-reply");
    ftp_session *s = srv_logged_in(port);
    CHECK_QUICK(s, ftp_sendcmd(s, "NOOP"), FTP_ERROR_PROTO);
    CHECK_CODE(s, 0);
    CHECK_STR(s, ftp_last_response(s), "HTTP/1.1 400 Bad Request");
    /* Decided: a complete line with a non-FTP code keeps the connection. */
    CHECK_USABLE_THEN_QUIT(s);
    ftp_session_free(s);
    srv_finish();
}

static void t_421_welcome(void)
{
    uint16_t port = srv_start("421-welcome");
    ftp_session *s = srv_session();
    CHECK_QUICK(s, ftp_connect(s, "127.0.0.1", port), FTP_ERROR_TEMP);
    CHECK_CODE(s, 421);
    CHECK_DEAD(s);
    ftp_session_free(s);
    srv_finish();
}

static void t_421_after_user(void)
{
    uint16_t port = srv_start("421-after-user");
    ftp_session *s = srv_connected(port);
    CHECK_QUICK(s, ftp_login(s, "user", "pw", NULL), FTP_ERROR_TEMP);
    CHECK_CODE(s, 421);
    CHECK_DEAD(s);
    ftp_session_free(s);
    srv_finish();
}

static void t_421_idle(void)
{
    uint16_t port = srv_start("421-idle");
    ftp_session *s = srv_logged_in(port);
    CHECK_QUICK(s, ftp_sendcmd(s, "NOOP"), FTP_ERROR_TEMP);
    CHECK_CODE(s, 421);
    CHECK_DEAD(s);
    ftp_session_free(s);
    srv_finish();
}

static void t_never_answers(void)
{
    uint16_t port = srv_start("never-answers");
    ftp_session *s = srv_session();
    CHECK_TIMES_OUT(s, ftp_connect(s, "127.0.0.1", port));
    CHECK_DEAD(s);
    ftp_session_free(s);
    srv_finish();
}

static void t_stall(const char *name)
{
    uint16_t port = srv_start(name);
    ftp_session *s = srv_logged_in(port);
    CHECK_TIMES_OUT(s, ftp_sendcmd(s, "NOOP"));
    CHECK_DEAD(s);
    ftp_session_free(s);
    srv_finish();
}

static void t_stall_mid_reply(void) { t_stall("stall-mid-reply"); }
static void t_slow_drip(void) { t_stall("slow-drip"); }

static void t_byte_by_byte(void)
{
    uint16_t port = srv_start("byte-by-byte");
    ftp_session *s = srv_session();
    tu_lines names = {0};
    CHECK_QUICK(s, ftp_connect(s, "127.0.0.1", port), FTP_OK);
    CHECK_STR(s, ftp_getwelcome(s), "220-slow\n220 server");
    CHECK_OK(s, ftp_login(s, "user", "pw", NULL));
    CHECK_OK(s, ftp_sendcmd(s, "NOOP"));
    CHECK_STR(s, ftp_last_response(s), "200 slow but fine");
    CHECK_OK(s, ftp_nlst(s, NULL, tu_lines_sink, &names));
    CHECK_INT(s, names.n, 2);
    CHECK_STR(s, names.lines[0], "a.txt");
    CHECK_STR(s, names.lines[1], "b.txt");
    CHECK_OK(s, ftp_quit(s));
    CHECK_CODE(s, 221);
    tu_lines_free(&names);
    ftp_session_free(s);
    srv_finish();
}

static void t_invalid_utf8(void)
{
    uint16_t port = srv_start("invalid-utf8");
    ftp_session *s = srv_session();
    tu_lines debug = {0}, lines = {0};
    tu_mlsd m = {0};
    const char *path = NULL;
    CHECK_OK(s, ftp_set_debuglevel(s, 3));
    CHECK_OK(s, ftp_set_debug_callback(s, tu_debug_sink, &debug));
    CHECK_OK(s, ftp_connect(s, "127.0.0.1", port));
    CHECK_STR(s, ftp_getwelcome(s), "220 caf" U_FFFD " " U_FFFD " ready");
    CHECK_OK(s, ftp_login(s, "user", "pw", NULL));
    CHECK_OK(s, ftp_sendcmd(s, "NOOP"));
    CHECK_STR(s, ftp_last_response(s), "200 " U_FFFD "( ok");
    CHECK_OK(s, ftp_pwd(s, &path));
    CHECK_STR(s, path, "/caf" U_FFFD);
    CHECK_RES(s, ftp_delete(s, "x"), FTP_ERROR_PERM);
    CHECK_STR(s, ftp_last_response(s), "550 caf" U_FFFD ": no");

    /* Line callbacks get the server's bytes unchanged. */
    CHECK_OK(s, ftp_nlst(s, NULL, tu_lines_sink, &lines));
    CHECK_MSG(s, lines.bad == 0, "%s", lines.bad_msg);
    CHECK_INT(s, lines.n, 3);
    CHECK_MEM(s, lines.lines[0], lines.lens[0], "caf\xe9", 4);
    CHECK_MEM(s, lines.lines[1], lines.lens[1], "\xff\xfe", 2);
    CHECK_STR(s, lines.lines[2], "ok");
    CHECK_STR(s, ftp_last_response(s), "226 " U_FFFD "nd");

    CHECK_OK(s, ftp_mlsd(s, NULL, NULL, 0, tu_mlsd_sink, &m));
    CHECK_MSG(s, m.bad == 0, "%s", m.bad_msg);
    CHECK_INT(s, m.n, 2);
    CHECK_STR(s, m.e[0].name, "n\xe9me");
    CHECK_STR(s, tu_mlsd_fact(&m.e[0], "x"), "\xff");
    CHECK_STR(s, m.e[1].name, "\xc3\x28");
    CHECK_STR(s, tu_mlsd_fact(&m.e[1], "size"), "\xc3");

    CHECK_USABLE_THEN_QUIT(s);
    CHECK(s, tu_lines_count_containing(&debug, "caf" U_FFFD) > 0);
    tu_mlsd_free(&m);
    tu_lines_free(&lines);
    tu_lines_free(&debug);
    ftp_session_free(s);
    srv_finish();
}

/* ---------------------------------------------------------- transfers */

static void t_421_mid_transfer(void)
{
    uint16_t port = srv_start("421-mid-transfer");
    ftp_session *s = srv_logged_in(port);
    tu_buf b = {0};
    CHECK_QUICK(s, retr(s, &b), FTP_ERROR_TEMP);
    CHECK_CODE(s, 421);
    check_payload(s, &b, 1000);
    CHECK_DEAD(s);
    tu_buf_free(&b);
    ftp_session_free(s);
    srv_finish();
}

static void t_drop_before_transfer(void)
{
    uint16_t port = srv_start("drop-before-transfer");
    ftp_session *s = srv_logged_in(port);
    tu_buf b = {0};
    CHECK_QUICK(s, retr(s, &b), FTP_ERROR_EOF);
    CHECK_INT(s, b.len, 0);
    CHECK_DEAD(s);
    tu_buf_free(&b);
    ftp_session_free(s);
    srv_finish();
}

static void t_drop_during_transfer(void)
{
    uint16_t port = srv_start("drop-during-transfer");
    ftp_session *s = srv_logged_in(port);
    tu_buf b = {0};
    CHECK_QUICK(s, retr(s, &b), FTP_ERROR_EOF);
    check_payload(s, &b, 2000);
    CHECK_DEAD(s);
    tu_buf_free(&b);
    ftp_session_free(s);
    srv_finish();
}

static void t_drop_after_transfer(void)
{
    uint16_t port = srv_start("drop-after-transfer");
    ftp_session *s = srv_logged_in(port);
    tu_buf b = {0};
    CHECK_OK(s, retr(s, &b));
    CHECK_CODE(s, 226);
    check_payload(s, &b, 1000);
    CHECK_QUICK(s, ftp_sendcmd(s, "NOOP"), FTP_ERROR_EOF);
    CHECK_DEAD(s);
    tu_buf_free(&b);
    ftp_session_free(s);
    srv_finish();
}

static void t_data_426(void)
{
    uint16_t port = srv_start("data-426");
    ftp_session *s = srv_logged_in(port);
    tu_buf b = {0};
    CHECK_QUICK(s, retr(s, &b), FTP_ERROR_TEMP);
    CHECK_CODE(s, 426);
    check_payload(s, &b, 1000);
    CHECK_USABLE_THEN_QUIT(s);
    tu_buf_free(&b);
    ftp_session_free(s);
    srv_finish();
}

/* Reads that wait for a batch of bytes must still hand over a slow
 * trickle; the idle timeout is per pause, not per transfer. */
static void t_data_trickle(void)
{
    uint16_t port = srv_start("data-trickle");
    ftp_session *s = srv_logged_in(port);
    tu_buf b = {0};
    CHECK(s, retr(s, &b) == FTP_OK);
    CHECK_CODE(s, 226);
    check_payload(s, &b, 1200);
    CHECK_USABLE_THEN_QUIT(s);
    tu_buf_free(&b);
    ftp_session_free(s);
    srv_finish();
}

static void t_data_drop_no_reply(void)
{
    uint16_t port = srv_start("data-drop-no-reply");
    ftp_session *s = srv_logged_in(port);
    tu_buf b = {0};
    CHECK_TIMES_OUT(s, retr(s, &b));
    check_payload(s, &b, 1000);
    CHECK_DEAD(s);
    tu_buf_free(&b);
    ftp_session_free(s);
    srv_finish();
}

static void t_data_stall(void)
{
    uint16_t port = srv_start("data-stall");
    ftp_session *s = srv_logged_in(port);
    tu_buf b = {0};
    /* The data read times out, then the final reply gets its own timeout. */
    CHECK_TIMES_OUT_N(s, retr(s, &b), 2);
    check_payload(s, &b, 1000);
    CHECK_DEAD(s);
    tu_buf_free(&b);
    ftp_session_free(s);
    srv_finish();
}

/* An upload source of `left` bytes of 'u' made on the fly. */
static int64_t upload_source(void *userdata, uint8_t *buf, size_t cap)
{
    size_t *left = userdata;
    size_t n = cap < *left ? cap : *left;
    memset(buf, 'u', n);
    *left -= n;
    return (int64_t)n;
}

static ftp_result stor(ftp_session *s)
{
    size_t left = (size_t)64 << 20; /* scenarios::UPLOAD_OFFER */
    return ftp_storbinary(s, "STOR f", upload_source, &left, 0, NULL, FTP_NO_REST);
}

static void t_upload_426(void)
{
    uint16_t port = srv_start("upload-426");
    ftp_session *s = srv_logged_in(port);
    CHECK_QUICK(s, stor(s), FTP_ERROR_TEMP); /* and no SIGPIPE on the reset */
    CHECK_CODE(s, 426);
    CHECK_USABLE_THEN_QUIT(s);
    ftp_session_free(s);
    srv_finish();
}

static void t_upload_never_read(void)
{
    uint16_t port = srv_start("upload-never-read");
    ftp_session *s = srv_logged_in(port);
    /* The blocked write times out, then the final reply gets its own timeout. */
    CHECK_TIMES_OUT_N(s, stor(s), 2);
    CHECK_DEAD(s);
    ftp_session_free(s);
    srv_finish();
}

static void t_data_after_226(void)
{
    uint16_t port = srv_start("data-after-226");
    ftp_session *s = srv_logged_in(port);
    tu_buf b = {0};
    CHECK_QUICK(s, retr(s, &b), FTP_OK);
    CHECK_CODE(s, 226);
    check_payload(s, &b, 256 * 1024); /* scenarios::AFTER_226_LEN */
    CHECK_USABLE_THEN_QUIT(s);
    tu_buf_free(&b);
    ftp_session_free(s);
    srv_finish();
}

static void t_data_after_226_short(void)
{
    uint16_t port = srv_start("data-after-226-short");
    ftp_session *s = srv_logged_in(port);
    tu_buf b = {0};
    CHECK_QUICK(s, retr(s, &b), FTP_ERROR_PROTO);
    CHECK(s, strstr(ftp_last_error(s), "300000") != NULL);
    CHECK(s, strstr(ftp_last_error(s), "100000") != NULL);
    check_payload(s, &b, 100000); /* scenarios::SHORT_SENT */
    CHECK_USABLE_THEN_QUIT(s);
    tu_buf_free(&b);
    ftp_session_free(s);
    srv_finish();
}

static void t_announced_2gib(void)
{
    uint16_t port = srv_start("announced-2gib");
    ftp_session *s = srv_logged_in(port);
    tu_buf b = {0};
    CHECK_QUICK(s, retr(s, &b), FTP_ERROR_PROTO);
    CHECK(s, strstr(ftp_last_error(s), "2147483648") != NULL);
    check_payload(s, &b, 10);
    CHECK_USABLE_THEN_QUIT(s);
    tu_buf_free(&b);
    ftp_session_free(s);
    srv_finish();
}

static void t_elsewhere(const char *name)
{
    static const char want[] = "data from the control peer";
    uint16_t port = srv_start(name);
    ftp_session *s = srv_logged_in(port);
    tu_buf b = {0};
    CHECK_QUICK(s, retr(s, &b), FTP_OK);
    CHECK_MEM(s, b.data, b.len, want, sizeof want - 1);
    CHECK_USABLE_THEN_QUIT(s);
    tu_buf_free(&b);
    ftp_session_free(s);
    srv_finish();
}

static void t_pasv_elsewhere(void) { t_elsewhere("pasv-elsewhere"); }
static void t_epsv_elsewhere(void) { t_elsewhere("epsv-elsewhere"); }

static void t_out_of_range(const char *name)
{
    uint16_t port = srv_start(name);
    ftp_session *s = srv_logged_in(port);
    int i;
    for (i = 0; i < 4; i++) {
        tu_buf b = {0};
        CHECK_QUICK(s, retr(s, &b), FTP_ERROR_PROTO);
        CHECK_INT(s, b.len, 0);
        tu_buf_free(&b);
    }
    CHECK_USABLE_THEN_QUIT(s);
    ftp_session_free(s);
    srv_finish();
}

static void t_pasv_out_of_range(void) { t_out_of_range("pasv-out-of-range"); }
static void t_epsv_out_of_range(void) { t_out_of_range("epsv-out-of-range"); }

static void t_pasv_150_no_data(void)
{
    uint16_t port = srv_start("pasv-150-no-data");
    ftp_session *s = srv_logged_in(port);
    tu_buf b = {0};
    CHECK_QUICK(s, retr(s, &b), FTP_ERROR_TEMP);
    CHECK_CODE(s, 425);
    CHECK_INT(s, b.len, 0);
    CHECK_USABLE_THEN_QUIT(s);
    tu_buf_free(&b);
    ftp_session_free(s);
    srv_finish();
}

static void t_active_never_connects(void)
{
    uint16_t port = srv_start("active-never-connects");
    ftp_session *s = srv_logged_in(port);
    tu_buf b = {0};
    CHECK_OK(s, ftp_set_pasv(s, false));
    CHECK_TIMES_OUT(s, retr(s, &b));
    CHECK_DEAD(s);
    tu_buf_free(&b);
    ftp_session_free(s);
    srv_finish();
}

/* ----------------------------------------------------------- listings */

/* The lines of list-mixed and list-stop, as the scenarios send them
 * (scenarios::LIST_*; tests/faults.rs checks that these literals are the
 * very bytes). */
#define LIST_UNIX_FILE "-rw-r--r--   1 ftp      ftp          1234 Mar 04  2024 file one.txt"
#define LIST_UNIX_LINK "lrwxrwxrwx   1 ftp      ftp             1 Jun 30  2023 l -> t"
#define LIST_DOS_DIR "03-04-24  10:15PM       <DIR>          dos dir"
#define LIST_EPLF "+i8388621.48594,m825718503,r,s280,\teplf.txt"
#define LIST_UNKNOWN "this line is no listing format"
#define LIST_EMPTY ""
#define LIST_BAD_UTF8 "-rw-r--r--   1 ftp      ftp             3 Mar 04  2024 \xff\xfe bad bytes"
/* Skipped by the client. */
#define LIST_TOTAL "total 3"
#define LIST_DOT "drwxr-xr-x   2 ftp      ftp          4096 Jan 02  2024 ."
#define LIST_DOTDOT "drwxr-xr-x   3 ftp      ftp          4096 Jan 02  2024 .."
#define LIST_STOP_LINE "-rw-r--r--   1 ftp      ftp             1 Jan 01  2020 one"

/* One entry as ftp_list handed it over, copied (NULL strings kept NULL). */
typedef struct got_entry {
    int type;
    char *name;
    int64_t size;
    int64_t mtime;
    bool mtime_utc;
    int mtime_precision;
    char *link_target;
    char *format;
    uint8_t *raw;
    size_t raw_len;
    bool raw_terminated; /* raw[raw_len] was the NUL */
} got_entry;

typedef struct got_entries {
    got_entry e[16];
    size_t n;        /* entries received (more than 16 are counted only) */
    int stop_after;  /* return non-zero once this many arrived; 0: never */
} got_entries;

static char *dup_or_null(const char *p)
{
    return p ? strdup(p) : NULL;
}

static int collect_entry(void *u, const ftp_entry *e)
{
    got_entries *g = u;
    if (g->n < sizeof g->e / sizeof g->e[0]) {
        got_entry *c = &g->e[g->n];
        c->type = e->type;
        c->name = dup_or_null(e->name);
        c->size = e->size;
        c->mtime = e->mtime;
        c->mtime_utc = e->mtime_utc;
        c->mtime_precision = e->mtime_precision;
        c->link_target = dup_or_null(e->link_target);
        c->format = dup_or_null(e->format);
        c->raw = malloc(e->raw_len + 1);
        if (c->raw && e->raw) memcpy(c->raw, e->raw, e->raw_len);
        c->raw_len = e->raw_len;
        c->raw_terminated = e->raw && e->raw[e->raw_len] == '\0';
    }
    g->n++;
    return g->stop_after > 0 && g->n >= (size_t)g->stop_after ? 1 : 0;
}

static void got_entries_free(got_entries *g)
{
    size_t n = g->n < 16 ? g->n : 16;
    for (size_t i = 0; i < n; i++) {
        free(g->e[i].name);
        free(g->e[i].link_target);
        free(g->e[i].format);
        free(g->e[i].raw);
    }
}

/* What one entry must be. */
typedef struct want_entry {
    int type;
    const char *name;
    int64_t size;
    int64_t mtime;
    bool mtime_utc;
    int mtime_precision;
    const char *link_target;
    const char *format;
    const char *raw;
} want_entry;

static void check_entry(const ftp_session *s, size_t i, const got_entry *g, const want_entry *w)
{
    tu_step("entry %zu: %s", i, w->raw);
    CHECK_INT(s, g->type, w->type);
    CHECK_STR(s, g->name, w->name);
    CHECK_INT(s, g->size, w->size);
    CHECK_INT(s, g->mtime, w->mtime);
    CHECK_INT(s, g->mtime_utc, w->mtime_utc);
    CHECK_INT(s, g->mtime_precision, w->mtime_precision);
    CHECK_STR(s, g->link_target, w->link_target);
    CHECK_STR(s, g->format, w->format);
    CHECK_MEM(s, g->raw, g->raw_len, w->raw, strlen(w->raw));
    CHECK(s, g->raw_terminated);
}

static void t_list_mixed(void)
{
    static const want_entry want[] = {
        {FTP_ENTRY_FILE, "file one.txt", 1234, 1709510400, false, 86400, NULL, "unix",
         LIST_UNIX_FILE},
        {FTP_ENTRY_LINK, "l", 1, 1688083200, false, 86400, "t", "unix", LIST_UNIX_LINK},
        {FTP_ENTRY_DIR, "dos dir", -1, 1709590500, false, 60, NULL, "dos", LIST_DOS_DIR},
        {FTP_ENTRY_FILE, "eplf.txt", 280, 825718503, true, 1, NULL, "eplf", LIST_EPLF},
        {FTP_ENTRY_UNKNOWN, NULL, -1, FTP_TIME_UNKNOWN, false, 0, NULL, "unknown",
         LIST_UNKNOWN},
        {FTP_ENTRY_UNKNOWN, NULL, -1, FTP_TIME_UNKNOWN, false, 0, NULL, "unknown", LIST_EMPTY},
        {FTP_ENTRY_FILE, U_FFFD U_FFFD " bad bytes", 3, 1709510400, false, 86400, NULL, "unix",
         LIST_BAD_UTF8},
    };
    const size_t nwant = sizeof want / sizeof want[0];
    uint16_t port = srv_start("list-mixed");
    ftp_session *s = srv_logged_in(port);
    got_entries g = {0};
    CHECK_QUICK(s, ftp_list(s, NULL, collect_entry, &g), FTP_OK);
    CHECK_STR(s, ftp_last_response(s), "226 listing sent");
    /* total, . and .. skipped; every other line once, in order. */
    CHECK_INT(s, g.n, nwant);
    for (size_t i = 0; i < nwant; i++) check_entry(s, i, &g.e[i], &want[i]);
    CHECK_USABLE_THEN_QUIT(s);
    got_entries_free(&g);
    ftp_session_free(s);
    srv_finish();
}

static void t_list_stop(void)
{
    static const want_entry first = {FTP_ENTRY_FILE, "one", 1, 1577836800, false, 86400,
                                     NULL, "unix", LIST_STOP_LINE};
    uint16_t port = srv_start("list-stop");
    ftp_session *s = srv_logged_in(port);
    got_entries g = {.stop_after = 1};
    CHECK_QUICK(s, ftp_list(s, NULL, collect_entry, &g), FTP_ERROR_CALLBACK);
    CHECK(s, strstr(ftp_last_error(s), "returned 1") != NULL);
    CHECK_INT(s, g.n, 1);
    check_entry(s, 0, &g.e[0], &first);
    CHECK_CODE(s, 426);
    CHECK_USABLE_THEN_QUIT(s);
    got_entries_free(&g);
    ftp_session_free(s);
    srv_finish();
}

/* ---------------------------------------------------------- injection */

typedef ftp_result (*inj_fn)(ftp_session *s, const char *arg);

static int inj_mlsd_cb(void *u, const char *name, const ftp_fact *f, size_t n)
{
    (void)u, (void)name, (void)f, (void)n;
    return 0;
}
static int inj_line_cb(void *u, const char *line, size_t len)
{
    (void)u, (void)line, (void)len;
    return 0;
}
static int inj_data_cb(void *u, const uint8_t *data, size_t len)
{
    (void)u, (void)data, (void)len;
    return 0;
}
static int64_t inj_read_cb(void *u, uint8_t *buf, size_t cap)
{
    (void)u, (void)buf, (void)cap;
    return 0;
}

static ftp_result i_login_user(ftp_session *s, const char *a) { return ftp_login(s, a, "pw", NULL); }
static ftp_result i_login_pass(ftp_session *s, const char *a) { return ftp_login(s, "user", a, NULL); }
static ftp_result i_login_acct(ftp_session *s, const char *a) { return ftp_login(s, "user", "pw", a); }
static ftp_result i_sendcmd(ftp_session *s, const char *a) { return ftp_sendcmd(s, a); }
static ftp_result i_voidcmd(ftp_session *s, const char *a) { return ftp_voidcmd(s, a); }
static ftp_result i_rename_from(ftp_session *s, const char *a) { return ftp_rename(s, a, "to"); }
static ftp_result i_rename_to(ftp_session *s, const char *a) { return ftp_rename(s, "from", a); }
static ftp_result i_delete(ftp_session *s, const char *a) { return ftp_delete(s, a); }
static ftp_result i_cwd(ftp_session *s, const char *a) { return ftp_cwd(s, a); }
static ftp_result i_mkd(ftp_session *s, const char *a) { return ftp_mkd(s, a, NULL); }
static ftp_result i_rmd(ftp_session *s, const char *a) { return ftp_rmd(s, a); }
static ftp_result i_size(ftp_session *s, const char *a)
{
    int64_t size = 0;
    return ftp_size(s, a, &size);
}
static ftp_result i_transfercmd(ftp_session *s, const char *a)
{
    static char sentinel;
    ftp_transfer *t = (ftp_transfer *)(void *)&sentinel; /* must be set to NULL */
    ftp_result r = ftp_transfercmd(s, a, FTP_NO_REST, &t);
    if (t != NULL) {
        fprintf(stderr, "ftp_transfercmd left *out non-NULL\n");
        if (r == FTP_OK) ftp_transfer_close(t);
        return FTP_ERROR_INTERNAL;
    }
    return r;
}
static ftp_result i_ntransfercmd(ftp_session *s, const char *a)
{
    ftp_transfer *t = NULL;
    int64_t size = 0;
    ftp_result r = ftp_ntransfercmd(s, a, 5, &t, &size);
    if (t != NULL) ftp_transfer_close(t);
    return r;
}
static ftp_result i_retrbinary(ftp_session *s, const char *a)
{
    return ftp_retrbinary(s, a, inj_data_cb, NULL, 0, FTP_NO_REST);
}
static ftp_result i_retrlines(ftp_session *s, const char *a)
{
    return ftp_retrlines(s, a, inj_line_cb, NULL);
}
static ftp_result i_storbinary(ftp_session *s, const char *a)
{
    return ftp_storbinary(s, a, inj_read_cb, NULL, 0, NULL, FTP_NO_REST);
}
static ftp_result i_storlines(ftp_session *s, const char *a)
{
    return ftp_storlines(s, a, inj_read_cb, NULL, NULL);
}
static ftp_result i_nlst(ftp_session *s, const char *a) { return ftp_nlst(s, a, inj_line_cb, NULL); }
static ftp_result i_dir(ftp_session *s, const char *a) { return ftp_dir(s, a, inj_line_cb, NULL); }
static ftp_result i_mlsd_path(ftp_session *s, const char *a)
{
    return ftp_mlsd(s, a, NULL, 0, inj_mlsd_cb, NULL);
}
static ftp_result i_mlsd_path_facts(ftp_session *s, const char *a)
{
    const char *facts[] = {"type"};
    return ftp_mlsd(s, a, facts, 1, inj_mlsd_cb, NULL);
}
static ftp_result i_mlsd_fact(ftp_session *s, const char *a)
{
    const char *facts[] = {a};
    return ftp_mlsd(s, NULL, facts, 1, inj_mlsd_cb, NULL);
}
static ftp_result i_mlsd_second_fact(ftp_session *s, const char *a)
{
    const char *facts[] = {"type", a};
    return ftp_mlsd(s, NULL, facts, 2, inj_mlsd_cb, NULL);
}

/* Every function taking text that becomes part of a command; `base` is the
 * text before poisoning (a whole command where the function takes one). */
static const struct {
    const char *name;
    const char *base;
    inj_fn call;
} INJECTABLE[] = {
    {"ftp_login(user)", "name", i_login_user},
    {"ftp_login(passwd)", "name", i_login_pass},
    {"ftp_login(acct)", "name", i_login_acct},
    {"ftp_sendcmd", "NOOP", i_sendcmd},
    {"ftp_voidcmd", "NOOP", i_voidcmd},
    {"ftp_rename(fromname)", "name", i_rename_from},
    {"ftp_rename(toname)", "name", i_rename_to},
    {"ftp_delete", "name", i_delete},
    {"ftp_cwd", "name", i_cwd},
    {"ftp_mkd", "name", i_mkd},
    {"ftp_rmd", "name", i_rmd},
    {"ftp_size", "name", i_size},
    {"ftp_transfercmd", "RETR name", i_transfercmd},
    {"ftp_ntransfercmd(rest 5)", "RETR name", i_ntransfercmd},
    {"ftp_retrbinary", "RETR name", i_retrbinary},
    {"ftp_retrlines", "LIST", i_retrlines},
    {"ftp_storbinary", "STOR name", i_storbinary},
    {"ftp_storlines", "STOR name", i_storlines},
    {"ftp_nlst(args)", "name", i_nlst},
    {"ftp_dir(args)", "name", i_dir},
    {"ftp_mlsd(path)", "name", i_mlsd_path},
    {"ftp_mlsd(path, facts)", "name", i_mlsd_path_facts},
    {"ftp_mlsd(fact)", "name", i_mlsd_fact},
    {"ftp_mlsd(second fact)", "name", i_mlsd_second_fact},
};

#define NPOISON 9

/* The poisoned forms of `base`: CR and LF before it, inside it (with a
 * second command after) and at its end; invalid UTF-8 (a stray byte, a
 * truncated sequence, an encoded surrogate). malloc'ed. */
static char **poisoned(const char *base)
{
    static const char *const bad[2] = {"\r", "\n"};
    char **v = calloc(NPOISON, sizeof *v);
    int i, k = 0;
    CHECK(NULL, v != NULL);
    for (i = 0; i < 2; i++) {
        v[k++] = tu_strf("%s%s", bad[i], base);
        v[k++] = tu_strf("%s%sDELE victim", base, bad[i]);
        v[k++] = tu_strf("%s%s", base, bad[i]);
    }
    v[k++] = tu_strf("\xff%s", base);
    v[k++] = tu_strf("%s\xc3", base);
    v[k++] = tu_strf("%s\xed\xa0\x80", base);
    return v;
}

static void t_injection(void)
{
    uint16_t port = srv_start("injection");
    ftp_session *s = srv_logged_in(port);
    size_t i, failed_calls = 0;
    unsigned noop = 0;
    bool server_ok;
    for (i = 0; i < sizeof INJECTABLE / sizeof INJECTABLE[0]; i++) {
        char **args = poisoned(INJECTABLE[i].base);
        int j, bad = 0;
        for (j = 0; j < NPOISON; j++) {
            char cmd[32], want[32];
            long long t0 = now_ms();
            ftp_result r = INJECTABLE[i].call(s, args[j]);
            check_time(__FILE__, __LINE__, s, INJECTABLE[i].name, now_ms() - t0, 0);
            if (r != FTP_ERROR_INVALID_ARGUMENT && bad++ == 0)
                fprintf(stderr, "  %s: poisoned form %d gave %s (%s)\n", INJECTABLE[i].name, j,
                        ftp_result_name(r), ftp_last_error(s));
            /* The next line the server sees must be this NOOP. */
            snprintf(cmd, sizeof cmd, "NOOP %u", ++noop);
            snprintf(want, sizeof want, "200 NOOP %u", noop);
            CHECK_OK(s, ftp_sendcmd(s, cmd));
            CHECK_STR(s, ftp_last_response(s), want);
            free(args[j]);
        }
        free(args);
        if (bad > 0) {
            fprintf(stderr, "FAIL: %s: %d of %d poisoned calls not refused before sending\n",
                    INJECTABLE[i].name, bad, NPOISON);
            failed_calls++;
        }
    }
    CHECK_OK(s, ftp_quit(s));
    CHECK_CODE(s, 221);
    ftp_session_free(s);
    server_ok = srv_wait();
    CHECK_MSG(NULL, failed_calls == 0 && server_ok,
              "%zu function(s) let something reach the server before refusing", failed_calls);
}

/* ---------------------------------------------------------------- main */

static const srv_case TESTS[] = {
    {"cut-welcome", t_cut_welcome},
    {"cut-reply", t_cut_reply_single},
    {"cut-multiline", t_cut_multiline},
    {"long-line", t_long_line},
    {"endless-line", t_endless_line},
    {"endless-multiline", t_endless_multiline},
    {"garbage-welcome", t_garbage_welcome},
    {"garbage-reply", t_garbage_reply},
    {"421-welcome", t_421_welcome},
    {"421-after-user", t_421_after_user},
    {"421-idle", t_421_idle},
    {"never-answers", t_never_answers},
    {"stall-mid-reply", t_stall_mid_reply},
    {"slow-drip", t_slow_drip},
    {"byte-by-byte", t_byte_by_byte},
    {"invalid-utf8", t_invalid_utf8},
    {"421-mid-transfer", t_421_mid_transfer},
    {"drop-before-transfer", t_drop_before_transfer},
    {"drop-during-transfer", t_drop_during_transfer},
    {"drop-after-transfer", t_drop_after_transfer},
    {"data-426", t_data_426},
    {"data-drop-no-reply", t_data_drop_no_reply},
    {"data-stall", t_data_stall},
    {"data-trickle", t_data_trickle},
    {"upload-426", t_upload_426},
    {"upload-never-read", t_upload_never_read},
    {"data-after-226", t_data_after_226},
    {"data-after-226-short", t_data_after_226_short},
    {"announced-2gib", t_announced_2gib},
    {"pasv-elsewhere", t_pasv_elsewhere},
    {"epsv-elsewhere", t_epsv_elsewhere},
    {"pasv-out-of-range", t_pasv_out_of_range},
    {"epsv-out-of-range", t_epsv_out_of_range},
    {"pasv-150-no-data", t_pasv_150_no_data},
    {"active-never-connects", t_active_never_connects},
    {"list-mixed", t_list_mixed},
    {"list-stop", t_list_stop},
    {"injection", t_injection},
};

int main(int argc, char **argv)
{
    return srv_run_cases("test_faults", TESTS, sizeof TESTS / sizeof TESTS[0], argc, argv);
}
