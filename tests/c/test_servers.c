/* test_servers: the core cases of the C API against every real server of
 * tests/servers, one row of a server table per run (`test_servers NAME`,
 * one CTest test per row: c.test_servers.<name>; no argument: all rows).
 *
 *   plain  VSFTPD (anonymous, files in pub/), PYFTPD, PROFTPD, PUREFTPD
 *          (tester/secret)
 *   FTPS   VSFTPDS, VSFTPDI (explicit/implicit, session reuse required),
 *          PYFTPDS, PROFTPDS, PROFTPDI (explicit/implicit, TLSRequired,
 *          session reuse required), PUREFTPDS (-Y 3: TLS required on
 *          control and data)
 *
 * Per row, passive then active, on one session (FTPS: once with TLS 1.2
 * forced and once with TLS 1.3, every data connection protected, so many
 * protected transfers in a row): the fixtures (passive: also the 5 MiB
 * big.bin) downloaded and compared with the files on disk, an upload
 * (passive: 3 MiB, active: 256 KiB) read back from disk and downloaded,
 * SIZE, TYPE A both ways, NLST (of the directory and of subdir), LIST,
 * MLSD, NLST of a missing path, MKD/RMD.
 *
 * What differs legitimately between the servers is a function of the
 * server kind below, named after what it is (see tests/servers/README.md).
 */
#include "server_table.h"

#include <stdlib.h>
#include <string.h>


/* ------------------------------------------- what differs, by name */

/* vsftpd has no MLSD (500 Unknown command.). */
static bool has_mlsd(kind k) { return k != VSFTPD; }
/* Pure-FTPd's NLST lists . and .. too. */
static bool nlst_lists_dots(kind k) { return k == PUREFTPD; }
/* vsftpd and pyftpdlib roots lack café.txt / "a b;c.txt" (vsftpd only). */
static bool has_extra_names(kind k) { return k != VSFTPD; }
/* NLST of a missing path: vsftpd an empty listing (226), ProFTPD 450, the
 * others 550. */
static int nlst_missing_code(kind k)
{
    return k == VSFTPD ? 226 : k == PROFTPD ? 450 : 550;
}
/* TYPE A upload stored with LF: all but vsftpd (fake ASCII mode). */
static bool ascii_upload_stores_lf(kind k) { return k != VSFTPD; }
/* NLST subdir: pyftpdlib relative names; Pure-FTPd with . and .. */
static const char *const *nlst_subdir(kind k, size_t *n)
{
    static const char *const full[] = {"subdir/nested.txt"};
    static const char *const rel[] = {"nested.txt"};
    static const char *const dots[] = {"subdir/.", "subdir/nested.txt", "subdir/.."};
    switch (k) {
    case PYFTPD: *n = 1; return rel;
    case PUREFTPD: *n = 3; return dots;
    default: *n = 1; return full;
    }
}
/* The path MKD name returns: Pure-FTPd the name as given ("257 \"x\" :
 * The directory was successfully created"), the others absolute. */
static char *mkd_path(kind k, const char *name)
{
    if (k == PUREFTPD) return tu_strf("%s", name);
    if (fixture_dir(k)[0] == '\0') return tu_strf("/%s", name);
    return tu_strf("/%s/%s", fixture_dir(k), name);
}

/* ----------------------------------------------------------- state */

typedef struct target {
    const struct row *row;
    tu_server srv;
    char *local;         /* local path of fixture_dir() */
    const char *cafile;  /* TLS rows */
    uint8_t *big;        /* big.bin as on disk */
    size_t big_len;
} target;

static const char *LINES[] = {"first line", "second line", "",
                              "fourth line, after an empty one", "last line"};

static ftp_session *open_target(const target *t, int tls_version)
{
    ftp_session *s;
    if (t->row->tls == PLAIN) return tu_open(&t->srv, true);
    s = open_tls_row(&t->srv, t->row->tls, t->cafile, tls_version);
    CHECK_OK(s, ftp_prot_p(s));
    return s;
}

static void retr_expect(ftp_session *s, const char *name, const void *want, size_t len)
{
    tu_buf b;
    char *cmd = tu_strf("RETR %s", name);
    memset(&b, 0, sizeof b);
    CHECK_OK(s, ftp_retrbinary(s, cmd, tu_buf_sink, &b, 0, FTP_NO_REST));
    CHECK_CODE(s, 226);
    CHECK_MEM(s, b.data, b.len, want, len);
    tu_buf_free(&b);
    free(cmd);
}

/* hello/empty(/big.bin), then an upload (3 MiB when `big`, else 256 KiB:
 * valgrind runs this too) read back from disk and downloaded, SIZE, DELE. */
static void transfers(const target *t, ftp_session *s, bool big)
{
    char *name = tu_unique("cs_up");
    char *path = tu_path(t->local, name);
    char *cmd = tu_strf("STOR %s", name);
    size_t len = big ? 3 * 1024 * 1024 + 17 : 256 * 1024 + 3;
    uint8_t *data = tu_gen_data(len, (uint32_t)len);
    tu_upload u;
    int64_t size = -2;

    tu_step("%s: download hello.txt, empty.bin%s", t->row->name, big ? ", big.bin" : "");
    retr_expect(s, "hello.txt", "hello world\n", 12);
    retr_expect(s, "empty.bin", "", 0);
    if (big) retr_expect(s, "big.bin", t->big, t->big_len);

    tu_step("%s: upload %zu bytes, compare on disk, download", t->row->name, len);
    memset(&u, 0, sizeof u);
    u.src.data = data;
    u.src.len = len;
    CHECK_OK(s, ftp_storbinary(s, cmd, tu_src_read, &u, 65536, NULL, FTP_NO_REST));
    CHECK_CODE(s, 226);
    CHECK_FILE(s, path, data, len);
    retr_expect(s, name, data, len);
    CHECK_OK(s, ftp_size(s, name, &size));
    CHECK_INT(s, size, (long long)len);
    CHECK_OK(s, ftp_delete(s, name));
    CHECK(s, !tu_exists(path));
    free(data);
    free(cmd);
    free(path);
    free(name);
}

/* TYPE A both ways: the lines of lines.txt; storlines sends CRLF, stored
 * with LF unless the server's ASCII mode is fake. */
static void text(const target *t, ftp_session *s)
{
    char *name = tu_unique("cs_text");
    char *path = tu_path(t->local, name);
    char *cmd = tu_strf("STOR %s", name);
    tu_lines l;
    tu_src src;
    size_t i;
    static const char body[] = "one\ntwo\r\nthree";
    const char *want = ascii_upload_stores_lf(t->row->kind) ? "one\ntwo\nthree\n"
                                                             : "one\r\ntwo\r\nthree\r\n";

    tu_step("%s: retrlines lines.txt", t->row->name);
    memset(&l, 0, sizeof l);
    CHECK_OK(s, ftp_retrlines(s, "RETR lines.txt", tu_lines_sink, &l));
    CHECK_CODE(s, 226);
    CHECK_INT(s, l.n, 5);
    CHECK_INT(s, l.bad, 0);
    for (i = 0; i < 5; i++) CHECK_STR(s, l.lines[i], LINES[i]);
    tu_lines_free(&l);

    tu_step("%s: storlines, then retrlines of what was stored", t->row->name);
    memset(&src, 0, sizeof src);
    src.data = (const uint8_t *)body;
    src.len = sizeof body - 1;
    CHECK_OK(s, ftp_storlines(s, cmd, tu_src_read, &src, NULL));
    CHECK_CODE(s, 226);
    CHECK_FILE(s, path, want, strlen(want));
    free(cmd);
    cmd = tu_strf("RETR %s", name);
    memset(&l, 0, sizeof l);
    CHECK_OK(s, ftp_retrlines(s, cmd, tu_lines_sink, &l));
    CHECK_INT(s, l.n, 3);
    CHECK_STR(s, l.lines[0], "one");
    CHECK_STR(s, l.lines[1], "two");
    CHECK_STR(s, l.lines[2], "three");
    tu_lines_free(&l);
    CHECK_OK(s, ftp_delete(s, name));
    free(cmd);
    free(path);
    free(name);
}

/* Whether a NLST name or LIST line is a file of another test (a Rust
 * real_servers test, "rs-...", may share the server; our own are "cs_..."). */
static bool foreign(const char *line)
{
    return tu_starts_with(line, "rs-") || tu_starts_with(line, "cs_") ||
           strstr(line, " rs-") != NULL || strstr(line, " cs_") != NULL;
}

/* tu_lines_sink without other tests' files. */
static int listing_sink(void *userdata, const char *line, size_t len)
{
    return foreign(line) ? 0 : tu_lines_sink(userdata, line, len);
}

static void listings(const target *t, ftp_session *s)
{
    static const char *base[] = {"hello.txt", "empty.bin", "big.bin", "lines.txt", "subdir"};
    static const char *extra[] = {"caf\xc3\xa9.txt", "a b;c.txt"};
    kind k = t->row->kind;
    size_t nfix = has_extra_names(k) ? 7 : 5, i, nsub;
    const char *const *sub = nlst_subdir(k, &nsub);
    tu_lines l;
    ftp_result r;
    const char *facts[] = {"type", "size"};
    char *dir = tu_unique("cs_dir");
    char *want_dir = mkd_path(k, dir);
    char *dir_local = tu_path(t->local, dir);
    const char *got_dir = NULL;

    tu_step("%s: NLST", t->row->name);
    memset(&l, 0, sizeof l);
    CHECK_OK(s, ftp_nlst(s, NULL, listing_sink, &l));
    CHECK_INT(s, l.n, nfix + (nlst_lists_dots(k) ? 2 : 0));
    for (i = 0; i < 5; i++) CHECK_MSG(s, tu_lines_index(&l, base[i]) >= 0, "NLST lacks %s", base[i]);
    for (i = 0; i < 2 && has_extra_names(k); i++)
        CHECK_MSG(s, tu_lines_index(&l, extra[i]) >= 0, "NLST lacks %s", extra[i]);
    if (nlst_lists_dots(k))
        CHECK(s, tu_lines_index(&l, ".") >= 0 && tu_lines_index(&l, "..") >= 0);
    tu_lines_free(&l);

    tu_step("%s: NLST subdir", t->row->name);
    memset(&l, 0, sizeof l);
    CHECK_OK(s, ftp_nlst(s, "subdir", tu_lines_sink, &l));
    CHECK_INT(s, l.n, nsub);
    for (i = 0; i < nsub; i++) CHECK_MSG(s, tu_lines_index(&l, sub[i]) >= 0, "lacks %s", sub[i]);
    tu_lines_free(&l);

    tu_step("%s: LIST", t->row->name);
    memset(&l, 0, sizeof l);
    CHECK_OK(s, ftp_dir(s, NULL, listing_sink, &l));
    CHECK_INT(s, l.n, nfix);
    CHECK_INT(s, l.bad, 0);
    for (i = 0; i < l.n; i++)
        if (tu_ends_with(l.lines[i], " big.bin"))
            CHECK_MSG(s, l.lines[i][0] == '-' && strstr(l.lines[i], " 5242880 ") != NULL,
                      "LIST line: %s", l.lines[i]);
    CHECK_INT(s, tu_lines_count_containing(&l, " big.bin"), 1);
    tu_lines_free(&l);

    tu_step("%s: NLST of a missing path -> %d", t->row->name, nlst_missing_code(k));
    memset(&l, 0, sizeof l);
    r = ftp_nlst(s, "nope", tu_lines_sink, &l);
    switch (nlst_missing_code(k)) {
    case 226: CHECK_RES(s, r, FTP_OK); CHECK_INT(s, l.n, 0); break;
    case 450: CHECK_RES(s, r, FTP_ERROR_TEMP); break;
    default: CHECK_RES(s, r, FTP_ERROR_PERM); break;
    }
    CHECK_CODE(s, nlst_missing_code(k));
    tu_lines_free(&l);
    CHECK_OK(s, ftp_voidcmd(s, "NOOP"));
    CHECK_CODE(s, 200);

    if (has_mlsd(k)) {
        tu_mlsd m;
        const tu_mlsd_entry *e;
        tu_step("%s: MLSD", t->row->name);
        memset(&m, 0, sizeof m);
        CHECK_OK(s, ftp_mlsd(s, NULL, facts, 2, tu_mlsd_sink, &m));
        CHECK_INT(s, m.bad, 0);
        e = tu_mlsd_find(&m, "big.bin");
        CHECK(s, e != NULL);
        CHECK_STR(s, tu_mlsd_fact(e, "type"), "file");
        CHECK_STR(s, tu_mlsd_fact(e, "size"), "5242880");
        e = tu_mlsd_find(&m, "subdir");
        CHECK(s, e != NULL);
        CHECK_STR(s, tu_mlsd_fact(e, "type"), "dir");
        CHECK(s, tu_mlsd_find(&m, extra[0]) != NULL && tu_mlsd_find(&m, extra[1]) != NULL);
        tu_mlsd_free(&m);
    } else {
        tu_mlsd m;
        tu_step("%s: MLSD -> 500 (no MLSD on this server)", t->row->name);
        memset(&m, 0, sizeof m);
        CHECK_RES(s, ftp_mlsd(s, NULL, NULL, 0, tu_mlsd_sink, &m), FTP_ERROR_PERM);
        CHECK_CODE(s, 500);
        tu_mlsd_free(&m);
    }

    tu_step("%s: MKD -> %s, RMD", t->row->name, want_dir);
    CHECK_OK(s, ftp_mkd(s, dir, &got_dir));
    CHECK_STR(s, got_dir, want_dir);
    CHECK(s, tu_is_dir(dir_local));
    CHECK_OK(s, ftp_rmd(s, dir));
    CHECK(s, !tu_exists(dir_local));
    free(dir_local);
    free(want_dir);
    free(dir);
}

/* Everything, passive then active, on one session (the big files in
 * passive mode only). */
/* vsftpd advertises no MLST (it has no MLSD). */
static bool has_mlst(kind k) { return k != VSFTPD; }
/* vsftpd advertises UTF8 only with utf8_filesystem=YES (not set here);
 * the others do (and ftp_login sent OPTS UTF8 ON: 200, Pure-FTPd 504). */
static bool has_utf8(kind k) { return k != VSFTPD; }

/* ftp_has_feature: FEAT parsed, case-insensitive, parameters kept; asked
 * once, by ftp_login on these UTF-8 sessions (so every answer here comes
 * from the cache and reads no reply); TLS rows asked after AUTH TLS, where
 * every server advertises PBSZ. */
static void features(const target *t, ftp_session *s)
{
    bool has = true;
    const char *params = "x";
    tu_step("%s: ftp_has_feature", t->row->name);
    CHECK_OK(s, ftp_has_feature(s, "size", &has, &params));
    CHECK(s, has);
    CHECK_STR(s, params, "");
    CHECK_CODE(s, 0); /* from the cache of ftp_login's FEAT */
    CHECK_OK(s, ftp_has_feature(s, "utf8", &has, &params));
    CHECK_INT(s, has, has_utf8(t->row->kind));
    CHECK_OK(s, ftp_has_feature(s, "REST", &has, &params));
    CHECK(s, has);
    CHECK_STR(s, params, "STREAM");
    CHECK_CODE(s, 0); /* from the cache: no reply read */
    CHECK_OK(s, ftp_has_feature(s, "MDTM", &has, NULL));
    CHECK(s, has);
    CHECK_OK(s, ftp_has_feature(s, "MLST", &has, &params));
    CHECK_INT(s, has, has_mlst(t->row->kind));
    if (has) {
        CHECK_MSG(s, strstr(params, "size*") != NULL, "MLST params \"%s\"", params);
    } else {
        CHECK(s, params == NULL);
    }
    CHECK_OK(s, ftp_has_feature(s, "NO-SUCH-FEATURE", &has, &params));
    CHECK(s, !has && params == NULL);
    if (t->row->tls != PLAIN) {
        CHECK_OK(s, ftp_has_feature(s, "PBSZ", &has, NULL));
        CHECK(s, has);
    }
    CHECK_RES(s, ftp_has_feature(s, NULL, &has, NULL), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(s, ftp_has_feature(s, "SIZE", NULL, NULL), FTP_ERROR_INVALID_ARGUMENT);
}

static void session_cases(const target *t, int tls_version)
{
    ftp_session *s = open_target(t, tls_version);
    int passive;
    features(t, s);
    if (fixture_dir(t->row->kind)[0] != '\0') CHECK_OK(s, ftp_cwd(s, fixture_dir(t->row->kind)));
    for (passive = 1; passive >= 0; passive--) {
        tu_step("%s TLS %d: %s mode", t->row->name, tls_version, passive ? "passive" : "active");
        CHECK_OK(s, ftp_set_pasv(s, passive != 0));
        transfers(t, s, passive != 0);
        text(t, s);
        listings(t, s);
    }
    CHECK_OK(s, ftp_quit(s));
    CHECK_CODE(s, 221);
    ftp_session_free(s);
}

static bool run_row(const struct row *row)
{
    target t;
    char *bigpath;
    memset(&t, 0, sizeof t);
    t.row = row;
    tu_server_env(row->name, row->kind != VSFTPD, &t.srv);
    t.local = fixture_dir(row->kind)[0] ? tu_path(t.srv.root, fixture_dir(row->kind))
                                        : tu_strf("%s", t.srv.root);
    bigpath = tu_path(t.local, "big.bin");
    t.big = tu_slurp(bigpath, &t.big_len);
    CHECK_INT(NULL, t.big_len, 5 * 1024 * 1024);
    if (row->tls == PLAIN) {
        session_cases(&t, 0);
    } else {
        t.cafile = getenv("FTP_TEST_TLS_CAFILE");
        /* written with every TLS server's keys (by ftpservers.py) */
        CHECK_MSG(NULL, t.cafile != NULL, "FTP_TEST_%s_PORT is set, FTP_TEST_TLS_CAFILE is not",
                  row->name);
        session_cases(&t, FTP_TLS_1_2);
        session_cases(&t, FTP_TLS_1_3);
    }
    printf("ok %s\n", row->name);
    fflush(stdout);
    free(t.big);
    free(bigpath);
    free(t.local);
    return true;
}

int main(int argc, char **argv)
{
    int rc = run_rows(argc, argv, run_row);
    if (rc == 0) printf("test_servers: OK\n");
    return rc;
}
