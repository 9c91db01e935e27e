/* test_cancel: ftp_session_cancel (issue 11, point 5) against the cancel-*
 * scenarios of the ftp-scripted-server binary (testkit/src/scenarios/
 * cancel.rs; the Rust twin is tests/cancel.rs).
 *
 * Each case starts a call that only a cancel can end (the server stalls),
 * cancels it from another thread (or a signal handler) after CANCEL_AFTER
 * ms, and checks: FTP_ERROR_CANCELLED, the data that did arrive, and that
 * the session is then in step - the next call reads the owed reply first
 * and the caller sees its own reply - or closed (FTP_ERROR_STATE). The
 * server side checks the rest (an upload ended in order with a prefix of
 * the payload, a closed session sent nothing more).
 *
 * The storm case cancels FTP_CANCEL_ROUNDS (default 1000) reply waits at
 * moments spread over 0-30 ms and prints the latency from
 * ftp_session_cancel to the call's return (worst, 99th percentile,
 * median); it asserts only that replies stay matched to their commands.
 *
 * Usage: test_cancel [CASE...]   (no argument: all of them)
 */
#include "scripted.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define TIMEOUT_MS SRV_TIMEOUT_MS
#define CANCEL_AFTER 200  /* scenarios::CANCEL_AFTER, in ms */
#define CANCEL_SENT 1000  /* scenarios::CANCEL_SENT */
#define UPLOAD_OFFER (64u << 20) /* scenarios::UPLOAD_OFFER */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void sleep_ms(double ms)
{
    struct timespec ts;
    ts.tv_sec = (time_t)(ms / 1000);
    ts.tv_nsec = (long)((ms - (double)ts.tv_sec * 1000) * 1e6);
    while (nanosleep(&ts, &ts) != 0) {
    }
}

/* ------------------------------------------------------ the canceller */

typedef struct canceller {
    pthread_t thread;
    ftp_session *s;
    double delay_ms;
    double cancelled_at; /* now_ms() just before ftp_session_cancel */
    /* When set: the delay counts from the moment the session's debug
     * output shows this command sent (see cancel_after_sent). */
    const char *after_cmd;
    pthread_mutex_t lock;
    pthread_cond_t sent;
    bool seen;
} canceller;

/* Debug callback of cancel_after_sent: notes "*cmd* '<after_cmd>...". */
static void note_sent(void *userdata, const char *line)
{
    canceller *c = userdata;
    if (strncmp(line, "*cmd* '", 7) == 0 && strncmp(line + 7, c->after_cmd, strlen(c->after_cmd)) == 0) {
        pthread_mutex_lock(&c->lock);
        c->seen = true;
        pthread_cond_signal(&c->sent);
        pthread_mutex_unlock(&c->lock);
    }
}

static void *canceller_main(void *arg)
{
    canceller *c = arg;
    if (c->after_cmd != NULL) {
        /* Bounded: a command never sent fails the test by its result. */
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 60;
        pthread_mutex_lock(&c->lock);
        while (!c->seen && pthread_cond_timedwait(&c->sent, &c->lock, &until) == 0) {
        }
        pthread_mutex_unlock(&c->lock);
    }
    sleep_ms(c->delay_ms);
    c->cancelled_at = now_ms();
    ftp_session_cancel(c->s);
    return NULL;
}

static void cancel_later(canceller *c, ftp_session *s, double delay_ms)
{
    c->s = s;
    c->delay_ms = delay_ms;
    c->cancelled_at = 0;
    c->after_cmd = NULL;
    CHECK(s, pthread_create(&c->thread, NULL, canceller_main, c) == 0);
}

/* Cancels s delay_ms after it sent a command starting with `cmd` (seen in
 * its debug output, level 1; c's lock and cond initialised): for calls whose own work before that command
 * is slow and varies (the first TLS set-up of the process takes seconds
 * under valgrind), so that the cancel still lands where the scenario waits. */
static void cancel_after_sent(canceller *c, ftp_session *s, const char *cmd, double delay_ms)
{
    c->s = s;
    c->delay_ms = delay_ms;
    c->cancelled_at = 0;
    c->after_cmd = cmd;
    pthread_mutex_lock(&c->lock);
    c->seen = false;
    pthread_mutex_unlock(&c->lock);
    CHECK_OK(s, ftp_set_debuglevel(s, 1));
    CHECK_OK(s, ftp_set_debug_callback(s, note_sent, c));
    CHECK(s, pthread_create(&c->thread, NULL, canceller_main, c) == 0);
}

static void canceller_join(canceller *c)
{
    CHECK(c->s, pthread_join(c->thread, NULL) == 0);
}

/* `expr` returns FTP_ERROR_CANCELLED, cancelled from another thread. */
#define CHECK_CANCELLED(s, expr)                                             \
    do {                                                                     \
        canceller c_;                                                        \
        cancel_later(&c_, (s), CANCEL_AFTER);                                \
        CHECK_RES(s, expr, FTP_ERROR_CANCELLED);                             \
        canceller_join(&c_);                                                 \
    } while (0)

/* `expr` returns FTP_ERROR_CANCELLED, cancelled from another thread
 * CANCEL_AFTER ms after the session sent a command starting with `cmd`.
 * The debug callback stays installed (on a file-scope canceller) so that
 * ftp_last_error still tells about expr afterwards. */
static canceller after_sent = {.lock = PTHREAD_MUTEX_INITIALIZER, .sent = PTHREAD_COND_INITIALIZER};
#define CHECK_CANCELLED_AFTER(s, cmd, expr)                                  \
    do {                                                                     \
        cancel_after_sent(&after_sent, (s), (cmd), CANCEL_AFTER);            \
        CHECK_RES(s, expr, FTP_ERROR_CANCELLED);                             \
        canceller_join(&after_sent);                                         \
    } while (0)

/* ------------------------------------------------------------ clients */


/* In step: the scenario's NOOP reply, then QUIT 221. */
static void usable_then_quit(ftp_session *s)
{
    CHECK_OK(s, ftp_voidcmd(s, "NOOP"));
    CHECK_STR(s, ftp_last_response(s), "200 still in step");
    CHECK_OK(s, ftp_quit(s));
    CHECK_CODE(s, 221);
}

static void check_payload(const ftp_session *s, const uint8_t *got, size_t len, size_t want_len)
{
    uint8_t *want = payload(want_len);
    CHECK_MEM(s, got, len, want, want_len);
    free(want);
}

/* A temporary file opened read-write, already unlinked. */
static int temp_fd(void)
{
    char path[] = "/tmp/libftp-cancel-XXXXXX";
    int fd = mkstemp(path);
    CHECK(NULL, fd >= 0);
    unlink(path);
    return fd;
}

static void t_reply(void)
{
    uint16_t port = srv_start("cancel-reply");
    ftp_session *s = srv_logged_in(port);
    CHECK_RES(s, ftp_session_cancel(NULL), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_CANCELLED_AFTER(s, "NOOP", ftp_voidcmd(s, "NOOP"));
    CHECK(s, strstr(ftp_last_error(s), "usable") != NULL);
    /* The late reply of the cancelled NOOP is read first, then this one's. */
    CHECK_OK(s, ftp_voidcmd(s, "NOOP"));
    CHECK_STR(s, ftp_last_response(s), "200 second NOOP");
    usable_then_quit(s);
    ftp_session_free(s);
    srv_finish();
}

/* The same cancel, from a signal handler (ftp_session_cancel is
 * async-signal-safe). */
static ftp_session *signal_target;
static void on_alarm(int sig)
{
    (void)sig;
    ftp_session_cancel(signal_target);
}

static void t_reply_from_signal(void)
{
    struct sigaction sa;
    struct itimerval it;
    uint16_t port = srv_start("cancel-reply");
    ftp_session *s = srv_logged_in(port);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    CHECK(s, sigaction(SIGALRM, &sa, NULL) == 0);
    signal_target = s;
    memset(&it, 0, sizeof it);
    it.it_value.tv_usec = CANCEL_AFTER * 1000;
    CHECK(s, setitimer(ITIMER_REAL, &it, NULL) == 0);
    CHECK_RES(s, ftp_voidcmd(s, "NOOP"), FTP_ERROR_CANCELLED);
    CHECK_OK(s, ftp_voidcmd(s, "NOOP"));
    CHECK_STR(s, ftp_last_response(s), "200 second NOOP");
    usable_then_quit(s);
    ftp_session_free(s);
    srv_finish();
}

static void t_welcome(void)
{
    uint16_t port = srv_start("cancel-welcome");
    ftp_session *s = srv_session();
    CHECK_CANCELLED(s, ftp_connect(s, "127.0.0.1", port));
    CHECK(s, ftp_getwelcome(s) == NULL);
    CHECK_RES(s, ftp_voidcmd(s, "NOOP"), FTP_ERROR_STATE);
    ftp_session_free(s);
    srv_finish();
}

/* After cancel-download: the next NOOP reads the 426 first. */
static void after_download(ftp_session *s)
{
    usable_then_quit(s);
    ftp_session_free(s);
    srv_finish();
}

static void t_download_callback(void)
{
    tu_buf b = {0};
    ftp_session *s = srv_logged_in(srv_start("cancel-download"));
    CHECK_CANCELLED_AFTER(s, "RETR", ftp_retrbinary(s, "RETR f", tu_buf_sink, &b, 0, FTP_NO_REST));
    CHECK(s, strstr(ftp_last_error(s), "transfer was stopped") != NULL);
    check_payload(s, b.data, b.len, CANCEL_SENT);
    tu_buf_free(&b);
    after_download(s);
}

static void download_fd(int mode)
{
    uint8_t got[2 * CANCEL_SENT];
    ssize_t n;
    int fd = temp_fd();
    ftp_session *s = srv_logged_in(srv_start("cancel-download"));
    CHECK_OK(s, ftp_set_zero_copy(s, mode));
    CHECK_CANCELLED_AFTER(s, "RETR", ftp_retr_to_fd(s, "RETR f", fd, FTP_NO_REST));
    n = pread(fd, got, sizeof got, 0);
    CHECK(s, n >= 0);
    check_payload(s, got, (size_t)n, CANCEL_SENT);
    close(fd);
    after_download(s);
}

static void t_download_fd_splice(void) { download_fd(FTP_ZERO_COPY_AUTO); }
static void t_download_fd_buffer(void) { download_fd(FTP_ZERO_COPY_NEVER); }

static void t_download_handle(void)
{
    uint8_t got[CANCEL_SENT];
    size_t have = 0, n = 0;
    int64_t size = 0;
    ftp_transfer *t = NULL;
    ftp_session *s = srv_logged_in(srv_start("cancel-download"));
    CHECK_OK(s, ftp_voidcmd(s, "TYPE I"));
    CHECK_OK(s, ftp_ntransfercmd(s, "RETR f", FTP_NO_REST, &t, &size));
    CHECK_INT(s, size, 1000000);
    while (have < sizeof got) {
        CHECK_OK(s, ftp_transfer_read(t, got + have, sizeof got - have, &n));
        CHECK(s, n > 0);
        have += n;
    }
    check_payload(s, got, have, CANCEL_SENT);
    /* The stalled read is cancelled through the session. */
    CHECK_CANCELLED(s, ftp_transfer_read(t, got, sizeof got, &n));
    CHECK(s, strstr(ftp_transfer_last_error(t), "cancelled") != NULL);
    /* Closing early resets the connection; the server answers 426. */
    CHECK_OK(s, ftp_transfer_close(t));
    CHECK_RES(s, ftp_voidresp(s), FTP_ERROR_TEMP);
    CHECK_CODE(s, 426);
    usable_then_quit(s);
    ftp_session_free(s);
    srv_finish();
}

static void t_upload_callback(void)
{
    tu_upload u;
    uint8_t *data = payload(UPLOAD_OFFER);
    ftp_session *s = srv_logged_in(srv_start("cancel-upload"));
    memset(&u, 0, sizeof u);
    u.src.data = data;
    u.src.len = UPLOAD_OFFER;
    CHECK_CANCELLED_AFTER(s, "STOR", ftp_storbinary(s, "STOR f", tu_src_read, &u, 0, NULL, FTP_NO_REST));
    /* The scenario checked an in-order end with a prefix of the payload;
     * this NOOP reads its 226 first. */
    usable_then_quit(s);
    ftp_session_free(s);
    free(data);
    srv_finish();
}

static void upload_fd(int mode)
{
    uint8_t *data = payload(UPLOAD_OFFER);
    int fd = temp_fd();
    ftp_session *s;
    CHECK(NULL, pwrite(fd, data, UPLOAD_OFFER, 0) == (ssize_t)UPLOAD_OFFER);
    free(data);
    s = srv_logged_in(srv_start("cancel-upload"));
    CHECK_OK(s, ftp_set_zero_copy(s, mode));
    CHECK_CANCELLED_AFTER(s, "STOR", ftp_stor_from_fd(s, "STOR f", fd, FTP_NO_REST));
    usable_then_quit(s);
    ftp_session_free(s);
    close(fd);
    srv_finish();
}

static void t_upload_fd_buffer(void) { upload_fd(FTP_ZERO_COPY_NEVER); }
static void t_upload_fd_sendfile(void) { upload_fd(FTP_ZERO_COPY_ALWAYS); }

static void t_active_accept(void)
{
    tu_buf b = {0};
    ftp_session *s = srv_logged_in(srv_start("cancel-active-accept"));
    CHECK_OK(s, ftp_set_pasv(s, false));
    CHECK_CANCELLED_AFTER(s, "RETR", ftp_retrbinary(s, "RETR f", tu_buf_sink, &b, 0, FTP_NO_REST));
    CHECK_INT(s, b.len, 0);
    usable_then_quit(s);
    ftp_session_free(s);
    srv_finish();
}

static void t_tls_handshake(void)
{
    uint16_t port = srv_start("cancel-tls-handshake");
    ftp_tls_config *cfg = ftp_tls_config_new();
    ftp_session *s;
    CHECK(NULL, cfg != NULL);
    s = ftp_session_new_tls(cfg);
    ftp_tls_config_free(cfg);
    CHECK(NULL, s != NULL);
    CHECK_OK(s, ftp_set_timeout_ms(s, TIMEOUT_MS));
    CHECK_OK(s, ftp_connect(s, "127.0.0.1", port));
    CHECK_CANCELLED_AFTER(s, "AUTH", ftp_auth(s));
    CHECK(s, strstr(ftp_last_error(s), "TLS handshake") != NULL);
    CHECK_RES(s, ftp_voidcmd(s, "NOOP"), FTP_ERROR_STATE);
    ftp_session_free(s);
    srv_finish();
}

/* ------------------------------------------------------------ storm */

/* Counts the NOOPs actually sent (a call cancelled while it reads an owed
 * reply sends none). */
static void count_noops(void *userdata, const char *line)
{
    unsigned *n = userdata;
    if (strncmp(line, "*cmd*", 5) == 0 && strstr(line, "NOOP") != NULL) (*n)++;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void t_storm(void)
{
    const char *env = getenv("FTP_CANCEL_ROUNDS");
    unsigned rounds = env != NULL && atoi(env) > 0 ? (unsigned)atoi(env) : 1000;
    unsigned i, sent = 0, cancels = 0;
    double *lat = calloc(rounds, sizeof *lat);
    char want[64];
    ftp_session *s = srv_logged_in(srv_start("cancel-storm"));
    CHECK(s, lat != NULL);
    CHECK_OK(s, ftp_set_debuglevel(s, 1));
    CHECK_OK(s, ftp_set_debug_callback(s, count_noops, &sent));
    /* A cancel while no call runs is ignored. */
    CHECK_OK(s, ftp_session_cancel(s));
    CHECK_OK(s, ftp_voidcmd(s, "NOOP"));
    snprintf(want, sizeof want, "200 reply %u", sent);
    CHECK_STR(s, ftp_last_response(s), want);
    srand(42);
    for (i = 0; i < rounds; i++) {
        canceller c;
        ftp_result r;
        double returned;
        cancel_later(&c, s, (double)(rand() % 3000) / 100.0);
        r = ftp_voidcmd(s, "NOOP");
        returned = now_ms();
        canceller_join(&c);
        if (r == FTP_OK) {
            snprintf(want, sizeof want, "200 reply %u", sent);
            CHECK_STR(s, ftp_last_response(s), want);
        } else {
            CHECK_RES(s, r, FTP_ERROR_CANCELLED);
            lat[cancels++] = returned - c.cancelled_at;
        }
    }
    CHECK_MSG(s, cancels > 0, "no call was cancelled in %u rounds", rounds);
    CHECK_OK(s, ftp_voidcmd(s, "NOOP"));
    snprintf(want, sizeof want, "200 reply %u", sent);
    CHECK_STR(s, ftp_last_response(s), want);
    CHECK_OK(s, ftp_quit(s));
    qsort(lat, cancels, sizeof *lat, cmp_double);
    printf("cancel latency over %u cancels (of %u calls): worst %.2f ms, p99 %.2f ms, "
           "median %.2f ms\n",
           cancels, rounds, lat[cancels - 1], lat[(cancels * 99) / 100], lat[cancels / 2]);
    free(lat);
    ftp_session_free(s);
    srv_finish();
}

static const srv_case TESTS[] = {
    {"reply", t_reply},
    {"reply-from-signal", t_reply_from_signal},
    {"welcome", t_welcome},
    {"download-callback", t_download_callback},
    {"download-fd-splice", t_download_fd_splice},
    {"download-fd-buffer", t_download_fd_buffer},
    {"download-handle", t_download_handle},
    {"upload-callback", t_upload_callback},
    {"upload-fd-buffer", t_upload_fd_buffer},
    {"upload-fd-sendfile", t_upload_fd_sendfile},
    {"active-accept", t_active_accept},
    {"tls-handshake", t_tls_handshake},
    {"storm", t_storm},
};

int main(int argc, char **argv)
{
    return srv_run_cases("test_cancel", TESTS, sizeof TESTS / sizeof TESTS[0], argc, argv);
}
