/* test_interrupted: through the C API, every interrupted transfer leaves
 * the session able to make the next transfer, protected ones included, on
 * every real server (issue 11, points 1, 2 and 6).  One row of the server
 * table per run (`test_interrupted NAME`, one CTest test per row:
 * c.test_interrupted.<name>; no argument: all rows), plus `test_interrupted
 * PROT` for the protected-by-default checks.
 *
 *   plain  VSFTPD (anonymous, pub/), PYFTPD, PROFTPD, PUREFTPD
 *   FTPS   VSFTPDS, VSFTPDI, PROFTPDS, PROFTPDI (TLS session reuse
 *          demanded), PYFTPDS, PUREFTPDS
 *
 * Per row (FTPS: TLS 1.2 and 1.3), passive and active, on one session,
 * each interruption: ftp_retrbinary / ftp_storbinary / ftp_retrlines (LIST)
 * whose callback stops; ftp_abort while an ftp_transfer reads a download
 * and while one writes an upload (then ftp_transfer_close); an
 * ftp_transfer of a download closed after 64 KiB (then ftp_voidresp:
 * 426, or 226).  Each is followed by a full protected download compared
 * with the file on disk (big.bin, 5 MiB, in the first variant of a row;
 * hello.txt in the others, to keep the valgrind and ASan runs short), and
 * NOOP.  ftp_prot_p is never called:
 * ftp_login protects the data connections of TLS sessions.  The counts of
 * downloads that succeeded after each kind are printed per row.
 *
 * Differences, by name: Pure-FTPd answers ABOR during an upload with
 * "451 Transfer aborted" (accepted by ftp_abort), and may send no final
 * reply for a download cut by ftp_transfer_close (ftp_voidresp then gives
 * FTP_ERROR_PROTO "no final reply" after resynchronising with NOOP).
 *
 * PROT (vsftpds and pyftpds): ftp_login sends PBSZ 0 + PROT P (debug
 * lines) and vsftpd, which refuses clear data (522), serves the first
 * transfer; ftp_prot_c before ftp_login sends nothing, and the first
 * transfer is then in clear (vsftpd: 522; pyftpdlib: served); ftp_prot_p
 * after that restores protection.
 */
#include "server_table.h"

#include <stdlib.h>
#include <string.h>


enum { STOP_RETR, STOP_STOR, STOP_LIST, ABORT_RETR, ABORT_STOR, EARLY_CLOSE, NKINDS };
static const char *KIND_NAMES[NKINDS] = {"callback stop, download", "callback stop, upload",
                                         "callback stop, LIST",     "ftp_abort, download",
                                         "ftp_abort, upload",       "early ftp_transfer_close"};

typedef struct target {
    const struct row *row;
    tu_server srv;
    char *local;        /* local path of the fixtures' directory */
    const char *cafile; /* TLS rows */
    uint8_t *big;       /* big.bin as on disk */
    size_t big_len;
    int ok[NKINDS], tried[NKINDS];
} target;


/* Logged in, in the fixtures' directory; TLS rows: TLS `version` only and
 * no ftp_prot_p (login protects the data connections). */
static ftp_session *open_target(const target *t, int version, bool passive)
{
    ftp_session *s;
    if (t->row->tls == PLAIN) {
        s = tu_open(&t->srv, true);
    } else {
        s = open_tls_row(&t->srv, t->row->tls, t->cafile, version);
    }
    if (fixture_dir(t->row->kind)[0] != '\0') CHECK_OK(s, ftp_cwd(s, fixture_dir(t->row->kind)));
    CHECK_OK(s, ftp_set_pasv(s, passive));
    return s;
}

/* Reads at least `want` bytes of an open download. */
static void read_some(ftp_session *s, ftp_transfer *x, size_t want)
{
    uint8_t buf[16384];
    size_t got = 0, n;
    while (got < want) {
        CHECK_OK(s, ftp_transfer_read(x, buf, sizeof buf, &n));
        CHECK_MSG(s, n > 0, "the download ended after %zu bytes", got);
        got += n;
    }
}

/* ABOR's outcome: 225/226/426, or NOOP's 200 after a resynchronisation;
 * Pure-FTPd's 451 "Transfer aborted" for an upload. */
static void check_abort(const target *t, ftp_session *s)
{
    int code;
    CHECK_OK(s, ftp_abort(s));
    code = ftp_last_code(s);
    CHECK_MSG(s,
              code == 225 || code == 226 || code == 426 || code == 200 ||
                  (code == 451 && t->row->kind == PUREFTPD),
              "ftp_abort: last reply %d", code);
}

static void interrupt(target *t, ftp_session *s, int what)
{
    char *name = NULL;
    ftp_transfer *x = NULL;
    switch (what) {
    case STOP_RETR: {
        tu_buf b;
        memset(&b, 0, sizeof b);
        b.stop_after = 1;
        CHECK_RES(s, ftp_retrbinary(s, "RETR big.bin", tu_buf_sink, &b, 0, FTP_NO_REST),
                  FTP_ERROR_CALLBACK);
        CHECK_INT(s, b.calls, 1);
        tu_buf_free(&b);
        break;
    }
    case STOP_STOR: {
        uint8_t *data = tu_gen_data(2 * 1024 * 1024, 11);
        char *cmd;
        tu_src src;
        name = tu_unique("int_stop");
        cmd = tu_strf("STOR %s", name);
        memset(&src, 0, sizeof src);
        src.data = data;
        src.len = 2 * 1024 * 1024;
        src.fail_at = 5; /* the reader fails after 4 blocks */
        CHECK_RES(s, ftp_storbinary(s, cmd, tu_src_read, &src, 65536, NULL, FTP_NO_REST),
                  FTP_ERROR_CALLBACK);
        (void)ftp_delete(s, name);
        free(cmd);
        free(data);
        break;
    }
    case STOP_LIST: {
        tu_lines l;
        memset(&l, 0, sizeof l);
        l.stop_after = 1;
        CHECK_RES(s, ftp_retrlines(s, "LIST", tu_lines_sink, &l), FTP_ERROR_CALLBACK);
        CHECK_INT(s, l.n, 1);
        tu_lines_free(&l);
        break;
    }
    case ABORT_RETR:
        CHECK_OK(s, ftp_voidcmd(s, "TYPE I"));
        CHECK_OK(s, ftp_transfercmd(s, "RETR big.bin", FTP_NO_REST, &x));
        read_some(s, x, 65536);
        check_abort(t, s);
        (void)ftp_transfer_close(x);
        break;
    case ABORT_STOR: {
        uint8_t *data = tu_gen_data(256 * 1024, 12);
        char *cmd;
        name = tu_unique("int_abor");
        cmd = tu_strf("STOR %s", name);
        CHECK_OK(s, ftp_voidcmd(s, "TYPE I"));
        CHECK_OK(s, ftp_transfercmd(s, cmd, FTP_NO_REST, &x));
        CHECK_OK(s, ftp_transfer_write(x, data, 256 * 1024));
        check_abort(t, s);
        (void)ftp_transfer_close(x);
        (void)ftp_delete(s, name);
        free(cmd);
        free(data);
        break;
    }
    case EARLY_CLOSE: {
        ftp_result r;
        int code;
        CHECK_OK(s, ftp_voidcmd(s, "TYPE I"));
        CHECK_OK(s, ftp_transfercmd(s, "RETR big.bin", FTP_NO_REST, &x));
        read_some(s, x, 65536);
        CHECK_OK(s, ftp_transfer_close(x));
        r = ftp_voidresp(s);
        code = ftp_last_code(s);
        if (r == FTP_ERROR_PROTO && t->row->kind == PUREFTPD) {
            CHECK_MSG(s, strstr(ftp_last_error(s), "no final reply") != NULL, "PROTO why?");
        } else {
            CHECK_MSG(s, (r == FTP_ERROR_TEMP && (code == 426 || code == 451)) ||
                             (r == FTP_OK && code == 226),
                      "ftp_voidresp after an early close: %s, %d", ftp_result_name(r), code);
        }
        break;
    }
    }
    free(name);
}

/* big.bin (or, to keep valgrind runs short, hello.txt), whole, compared
 * with the file on disk; then NOOP. */
static bool full_download(const target *t, ftp_session *s, bool big)
{
    tu_buf b;
    ftp_result r;
    bool same;
    const uint8_t *want = big ? t->big : (const uint8_t *)"hello world\n";
    size_t want_len = big ? t->big_len : 12;
    memset(&b, 0, sizeof b);
    r = ftp_retrbinary(s, big ? "RETR big.bin" : "RETR hello.txt", tu_buf_sink, &b, 0,
                       FTP_NO_REST);
    same = r == FTP_OK && b.len == want_len && memcmp(b.data, want, b.len) == 0;
    if (!same)
        printf("   the next download: %s (%s), %zu bytes\n", ftp_result_name(r),
               ftp_last_error(s), b.len);
    tu_buf_free(&b);
    if (same) {
        CHECK_OK(s, ftp_sendcmd(s, "NOOP"));
        CHECK_CODE(s, 200);
    }
    return same;
}

static void variant(target *t, int version, bool passive, bool big)
{
    ftp_session *s = open_target(t, version, passive);
    int k;
    for (k = 0; k < NKINDS; k++) {
        tu_step("%s TLS %d %s: %s, then a full download of %s", t->row->name, version,
                passive ? "passive" : "active", KIND_NAMES[k], big ? "big.bin" : "hello.txt");
        interrupt(t, s, k);
        t->tried[k]++;
        if (full_download(t, s, big)) t->ok[k]++;
    }
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
}

static bool run_row(const struct row *row)
{
    target t;
    char *bigpath;
    int k, versions[2] = {FTP_TLS_1_2, FTP_TLS_1_3}, v, nv;
    bool all = true;
    memset(&t, 0, sizeof t);
    t.row = row;
    tu_server_env(row->name, row->kind != VSFTPD, &t.srv);
    t.local = fixture_dir(row->kind)[0] ? tu_path(t.srv.root, fixture_dir(row->kind))
                                        : tu_strf("%s", t.srv.root);
    bigpath = tu_path(t.local, "big.bin");
    t.big = tu_slurp(bigpath, &t.big_len);
    if (row->tls != PLAIN) {
        t.cafile = getenv("FTP_TEST_TLS_CAFILE");
        CHECK_MSG(NULL, t.cafile != NULL, "FTP_TEST_TLS_CAFILE is not set");
    }
    nv = row->tls == PLAIN ? 1 : 2;
    for (v = 0; v < nv; v++) {
        /* big.bin after each interruption of the first variant only. */
        variant(&t, row->tls == PLAIN ? 0 : versions[v], true, v == 0);
        variant(&t, row->tls == PLAIN ? 0 : versions[v], false, false);
    }
    printf("%s: full downloads that succeeded after each interruption:\n", row->name);
    for (k = 0; k < NKINDS; k++) {
        printf("   %-28s %d/%d\n", KIND_NAMES[k], t.ok[k], t.tried[k]);
        all = all && t.ok[k] == t.tried[k];
    }
    fflush(stdout);
    free(t.big);
    free(bigpath);
    free(t.local);
    return all;
}

/* ------------------------------------------ protected data by default */

static ftp_session *tls_session_to(const tu_server *srv, tu_lines *dbg)
{
    ftp_tls_config *c = ftp_tls_config_new();
    ftp_session *s;
    CHECK(NULL, c != NULL);
    CHECK_OK(NULL, ftp_tls_config_set_ca_file(c, getenv("FTP_TEST_TLS_CAFILE")));
    s = ftp_session_new_tls(c);
    ftp_tls_config_free(c);
    CHECK(NULL, s != NULL);
    CHECK_OK(s, ftp_set_timeout_ms(s, 30000));
    memset(dbg, 0, sizeof *dbg);
    CHECK_OK(s, ftp_set_debug_callback(s, tu_debug_sink, dbg));
    CHECK_OK(s, ftp_set_debuglevel(s, 1));
    CHECK_OK(s, ftp_connect(s, srv->host, srv->port));
    return s;
}

static void retr_hello(ftp_session *s, ftp_result want)
{
    tu_buf b;
    memset(&b, 0, sizeof b);
    CHECK_RES(s, ftp_retrbinary(s, "RETR hello.txt", tu_buf_sink, &b, 0, FTP_NO_REST), want);
    if (want == FTP_OK) CHECK_MEM(s, b.data, b.len, "hello world\n", 12);
    tu_buf_free(&b);
}

static void test_prot_default(void)
{
    tu_server vs, ps;
    tu_lines dbg;
    ftp_session *s;

    tu_server_env("VSFTPDS", false, &vs);
    tu_server_env("PYFTPDS", true, &ps);

    tu_step("vsftpds: ftp_login alone protects the data (PBSZ 0 + PROT P after USER)");
    s = tls_session_to(&vs, &dbg);
    CHECK_OK(s, ftp_login(s, NULL, NULL, NULL));
    CHECK_CODE(s, 230); /* the call's reply stays the login's */
    CHECK_INT(s, tu_lines_count_prefix(&dbg, "*cmd* 'PBSZ 0'"), 1);
    CHECK_INT(s, tu_lines_count_prefix(&dbg, "*cmd* 'PROT P'"), 1);
    CHECK_MSG(s, tu_lines_index(&dbg, "*cmd* 'PROT P'") > tu_lines_index(&dbg, "*cmd* 'USER anonymous'"),
              "PROT P before USER");
    CHECK_OK(s, ftp_cwd(s, "pub"));
    retr_hello(s, FTP_OK); /* vsftpd refuses clear data: this was protected */
    tu_step("vsftpds: an explicit ftp_prot_p after that changes nothing");
    CHECK_OK(s, ftp_prot_p(s));
    retr_hello(s, FTP_OK);
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
    tu_lines_free(&dbg);

    tu_step("vsftpds: ftp_prot_c before ftp_login: nothing sent, data in clear (522)");
    s = tls_session_to(&vs, &dbg);
    CHECK_OK(s, ftp_prot_c(s));
    CHECK_OK(s, ftp_login(s, NULL, NULL, NULL));
    CHECK_INT(s, tu_lines_count_prefix(&dbg, "*cmd* 'PBSZ"), 0);
    CHECK_INT(s, tu_lines_count_prefix(&dbg, "*cmd* 'PROT"), 0);
    CHECK_OK(s, ftp_cwd(s, "pub"));
    retr_hello(s, FTP_ERROR_PERM);
    CHECK_CODE(s, 522);
    tu_step("vsftpds: ftp_prot_p then protects it");
    CHECK_OK(s, ftp_prot_p(s));
    retr_hello(s, FTP_OK);
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
    tu_lines_free(&dbg);

    tu_step("vsftpds: ftp_prot_c before ftp_connect is refused (not connected)");
    {
        ftp_session *n = ftp_session_new_tls(NULL);
        CHECK(NULL, n != NULL);
        CHECK_RES(n, ftp_prot_c(n), FTP_ERROR_STATE);
        ftp_session_free(n);
    }

    tu_step("pyftpds: ftp_prot_c before ftp_login: clear data, served");
    s = tls_session_to(&ps, &dbg);
    CHECK_OK(s, ftp_prot_c(s));
    CHECK_OK(s, ftp_login(s, ps.user, ps.pass, NULL));
    CHECK_INT(s, tu_lines_count_prefix(&dbg, "*cmd* 'PROT"), 0);
    retr_hello(s, FTP_OK);
    tu_step("pyftpds: without ftp_prot_c, login protects (PROT P sent), transfer served");
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
    tu_lines_free(&dbg);
    s = tls_session_to(&ps, &dbg);
    CHECK_OK(s, ftp_login(s, ps.user, ps.pass, NULL));
    CHECK_INT(s, tu_lines_count_prefix(&dbg, "*cmd* 'PROT P'"), 1);
    retr_hello(s, FTP_OK);
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
    tu_lines_free(&dbg);
    printf("ok PROT\n");
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "PROT") == 0) {
        test_prot_default();
        return 0;
    }
    if (run_rows(argc, argv, run_row) != 0) {
        fprintf(stderr, "FAIL: a download after an interruption failed (see above)\n");
        return 1;
    }
    if (argc <= 1) test_prot_default();
    printf("test_interrupted: OK\n");
    return 0;
}
