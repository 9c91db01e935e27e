/* test_reentry: calls into a session from its own callbacks (issue 11,
 * point 4) and cancels of a real transfer (point 5), against vsftpd
 * (FTP_TEST_VSFTPD_*, anonymous, pub/big.bin 5 MiB) and vsftpd FTPS with
 * session reuse required (FTP_TEST_VSFTPDS_*).
 *
 * The rule (ftp.h, "Callbacks"): from inside one of a session's callbacks,
 * every call on that session returns FTP_ERROR_STATE, except the getters
 * and ftp_session_cancel; ftp_session_free is deferred until the running
 * call returns (and cancels it). Each case checks the refused call's
 * result and text, that the outer call's result and ftp_last_error tell
 * the truth, and that the session is still in step (a full download
 * compared byte for byte). Run under valgrind and ASan by test.sh, which
 * also proves the deferred frees neither leak nor double-free.
 */
#include "testutil.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static tu_server V, VS;
static const char *CAFILE;
static uint8_t *BIG; /* pub/big.bin as on disk */
static size_t BIG_LEN;

static ftp_session *open_pub(void)
{
    ftp_session *s = tu_open(&V, true);
    CHECK_OK(s, ftp_cwd(s, "pub"));
    return s;
}

static ftp_session *open_secure(void)
{
    ftp_tls_config *c = ftp_tls_config_new();
    ftp_session *s;
    CHECK(NULL, c != NULL);
    CHECK_OK(NULL, ftp_tls_config_set_ca_file(c, CAFILE));
    s = ftp_session_new_tls(c);
    ftp_tls_config_free(c);
    CHECK(NULL, s != NULL);
    CHECK_OK(s, ftp_set_timeout_ms(s, 30000));
    CHECK_OK(s, ftp_connect(s, VS.host, VS.port));
    CHECK_OK(s, ftp_login(s, NULL, NULL, NULL));
    CHECK_OK(s, ftp_prot_p(s));
    CHECK_OK(s, ftp_cwd(s, "pub"));
    return s;
}

/* The whole of big.bin, compared byte for byte: the session is in step. */
static void full_download(ftp_session *s)
{
    tu_buf b;
    memset(&b, 0, sizeof b);
    CHECK_OK(s, ftp_retrbinary(s, "RETR big.bin", tu_buf_sink, &b, 0, FTP_NO_REST));
    CHECK_CODE(s, 226);
    CHECK_MEM(s, b.data, b.len, BIG, BIG_LEN);
    tu_buf_free(&b);
}

/* --------------------------------------------------------- the cases */

typedef struct reentry {
    ftp_session *s;
    int calls;
    ftp_result inner;       /* what the re-entrant call returned */
    char inner_error[512];  /* ftp_last_error right after it */
    int stop;               /* what the data callback returns */
} reentry;

static void record_inner(reentry *r, ftp_result res)
{
    r->inner = res;
    snprintf(r->inner_error, sizeof r->inner_error, "%s", ftp_last_error(r->s));
}

static void check_refused(ftp_session *s, const reentry *r)
{
    CHECK_RES(s, r->inner, FTP_ERROR_STATE);
    CHECK_MSG(s, strstr(r->inner_error, "inside a callback") != NULL, "inner error: \"%s\"",
              r->inner_error);
}

/* ftp_abort from a data callback: refused (it used to hang forever). */
static int abort_in_data(void *ud, const uint8_t *data, size_t len)
{
    reentry *r = ud;
    (void)data;
    (void)len;
    if (r->calls++ == 0) record_inner(r, ftp_abort(r->s));
    return r->stop;
}

static void t_abort_from_data_callback(void)
{
    ftp_session *s = open_pub();
    reentry r;
    tu_step("ftp_abort from a data callback");
    memset(&r, 0, sizeof r);
    r.s = s;
    r.stop = 1;
    CHECK_RES(s, ftp_retrbinary(s, "RETR big.bin", abort_in_data, &r, 0, FTP_NO_REST),
              FTP_ERROR_CALLBACK);
    check_refused(s, &r);
    CHECK(s, strstr(ftp_last_error(s), "callback returned 1") != NULL);
    full_download(s);
    ftp_session_free(s);
}

/* ftp_voidcmd and ftp_close from the debug callback, during replies. */
typedef struct dbg_reentry {
    reentry r;
    const char *which; /* "voidcmd" or "close" */
    int welcome_ok, code_seen;
} dbg_reentry;

static void reenter_in_debug(void *ud, const char *line)
{
    dbg_reentry *d = ud;
    if (strncmp(line, "*get*", 5) != 0 || d->r.calls++ != 0) return;
    /* Getters are allowed: the previous call's values. */
    d->welcome_ok = ftp_getwelcome(d->r.s) != NULL &&
                    strncmp(ftp_getwelcome(d->r.s), "220", 3) == 0;
    d->code_seen = ftp_last_code(d->r.s);
    (void)ftp_last_response(d->r.s);
    if (strcmp(d->which, "close") == 0)
        record_inner(&d->r, ftp_close(d->r.s));
    else
        record_inner(&d->r, ftp_voidcmd(d->r.s, "NOOP"));
}

static void debug_reentry(const char *which)
{
    ftp_session *s = open_pub();
    dbg_reentry d;
    const char *path = NULL;
    tu_step("ftp_%s from the debug callback during a multi-line reply", which);
    memset(&d, 0, sizeof d);
    d.r.s = s;
    d.which = which;
    CHECK_OK(s, ftp_voidcmd(s, "TYPE I"));
    CHECK_OK(s, ftp_set_debuglevel(s, 2));
    CHECK_OK(s, ftp_set_debug_callback(s, reenter_in_debug, &d));
    /* STAT: a multi-line 211 reply. */
    CHECK_OK(s, ftp_sendcmd(s, "STAT"));
    CHECK_CODE(s, 211);
    check_refused(s, &d.r);
    CHECK(s, d.welcome_ok);
    CHECK_INT(s, d.code_seen, 200); /* TYPE I's, the previous call's reply */
    /* The outer call succeeded: no error text left behind. */
    CHECK_STR(s, ftp_last_error(s), "");
    CHECK_OK(s, ftp_set_debug_callback(s, NULL, NULL));
    CHECK_OK(s, ftp_set_debuglevel(s, 0));
    /* In step: PWD's own 257. */
    CHECK_OK(s, ftp_pwd(s, &path));
    CHECK_STR(s, path, "/pub");
    full_download(s);
    ftp_session_free(s);
}

static void t_voidcmd_from_debug_callback(void) { debug_reentry("voidcmd"); }
static void t_close_from_debug_callback(void) { debug_reentry("close"); }

/* ftp_session_free from a data callback: deferred, the call is cancelled. */
static int free_in_data(void *ud, const uint8_t *data, size_t len)
{
    reentry *r = ud;
    (void)data;
    (void)len;
    if (r->calls++ == 0) ftp_session_free(r->s);
    return 0;
}

static void t_free_from_data_callback(void)
{
    ftp_session *s = open_pub();
    reentry r;
    tu_step("ftp_session_free from a data callback");
    memset(&r, 0, sizeof r);
    r.s = s;
    /* The session is freed when this returns: do not touch it after. */
    CHECK_RES(NULL, ftp_retrbinary(s, "RETR big.bin", free_in_data, &r, 8192, FTP_NO_REST),
              FTP_ERROR_CANCELLED);
    /* No more blocks once the free was asked for. */
    CHECK_INT(NULL, r.calls, 1);
}

/* ftp_session_free from the debug callback, inside a reply. */
static void free_in_debug(void *ud, const char *line)
{
    reentry *r = ud;
    if (strncmp(line, "*get*", 5) == 0 && r->calls++ == 0) {
        ftp_session_free(r->s);
        ftp_session_free(r->s); /* a second free while deferred does nothing */
    }
}

static void t_free_from_debug_callback(void)
{
    ftp_session *s = open_pub();
    reentry r;
    ftp_result res;
    tu_step("ftp_session_free from the debug callback");
    memset(&r, 0, sizeof r);
    r.s = s;
    CHECK_OK(s, ftp_set_debuglevel(s, 2));
    CHECK_OK(s, ftp_set_debug_callback(s, free_in_debug, &r));
    res = ftp_sendcmd(s, "STAT");
    /* The reply was already buffered whole (OK), or the cancel came
     * between its reads (CANCELLED); either way s is gone now. */
    CHECK_MSG(NULL, res == FTP_OK || res == FTP_ERROR_CANCELLED, "STAT gave %s",
              ftp_result_name(res));
    CHECK_INT(NULL, r.calls >= 1, 1);
}

/* ftp_session_cancel from a data callback: allowed, the call stops. */
static int cancel_in_data(void *ud, const uint8_t *data, size_t len)
{
    reentry *r = ud;
    (void)data;
    (void)len;
    if (r->calls++ == 0) record_inner(r, ftp_session_cancel(r->s));
    return 0;
}

static void t_cancel_from_data_callback(void)
{
    ftp_session *s = open_pub();
    reentry r;
    tu_step("ftp_session_cancel from a data callback");
    memset(&r, 0, sizeof r);
    r.s = s;
    CHECK_RES(s, ftp_retrbinary(s, "RETR big.bin", cancel_in_data, &r, 8192, FTP_NO_REST),
              FTP_ERROR_CANCELLED);
    CHECK_RES(s, r.inner, FTP_OK);
    CHECK_INT(s, r.calls, 1);
    full_download(s);
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
}

/* -------------------------------------- cancels of a real transfer */

typedef struct slow {
    size_t got;
} slow;

/* 2 ms per 8 KiB block: big.bin takes over a second. */
static int slow_sink(void *ud, const uint8_t *data, size_t len)
{
    slow *w = ud;
    struct timespec ts = {0, 2000000};
    (void)data;
    w->got += len;
    nanosleep(&ts, NULL);
    return 0;
}

typedef struct canceller {
    ftp_session *s;
    long delay_ms;
} canceller;

static void *cancel_main(void *arg)
{
    canceller *c = arg;
    struct timespec ts = {c->delay_ms / 1000, (c->delay_ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    ftp_session_cancel(c->s);
    return NULL;
}

/* Cancels a slow download of big.bin `rounds` times from another thread,
 * each followed by a full download compared byte for byte. */
static void cancel_mid_transfer(ftp_session *s, int rounds)
{
    int i;
    for (i = 0; i < rounds; i++) {
        slow w = {0};
        pthread_t t;
        canceller c = {s, 100 + 50 * i};
        CHECK(s, pthread_create(&t, NULL, cancel_main, &c) == 0);
        CHECK_RES(s, ftp_retrbinary(s, "RETR big.bin", slow_sink, &w, 8192, FTP_NO_REST),
                  FTP_ERROR_CANCELLED);
        CHECK(s, pthread_join(t, NULL) == 0);
        CHECK_MSG(s, w.got < BIG_LEN, "all %zu bytes came before the cancel", w.got);
        full_download(s);
    }
}

static void t_cancel_real_transfer(void)
{
    ftp_session *s = open_pub();
    tu_step("cancel a vsftpd download from another thread, 3 times");
    cancel_mid_transfer(s, 3);
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
}

static void t_cancel_real_tls_transfer(void)
{
    ftp_session *s = open_secure();
    tu_step("cancel a vsftpd FTPS (reuse required) download from another thread, 3 times");
    cancel_mid_transfer(s, 3);
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
}

int main(void)
{
    char *big_path;
    tu_server_env("VSFTPD", false, &V);
    tu_server_env("VSFTPDS", false, &VS);
    CAFILE = getenv("FTP_TEST_TLS_CAFILE");
    CHECK_MSG(NULL, CAFILE != NULL, "FTP_TEST_TLS_CAFILE is not set");
    big_path = tu_strf("%s/pub/big.bin", V.root);
    BIG = tu_slurp(big_path, &BIG_LEN);
    free(big_path);

    t_abort_from_data_callback();
    t_voidcmd_from_debug_callback();
    t_close_from_debug_callback();
    t_free_from_data_callback();
    t_free_from_debug_callback();
    t_cancel_from_data_callback();
    t_cancel_real_transfer();
    t_cancel_real_tls_transfer();

    free(BIG);
    printf("test_reentry: all cases passed\n");
    return 0;
}
