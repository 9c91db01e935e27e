/* test_pyftpd: the C API against pyftpdlib (FTP_TEST_PYFTPD_*): user
 * tester/secret with full rights on the root, MLSD, UTF-8 names.
 *
 * Fixtures at the top of the root: hello.txt, empty.bin, big.bin, lines.txt,
 * subdir/nested.txt, café.txt ("café\n") and "a b;c.txt".
 *
 * pyftpdlib facts this test relies on (pyftpdlib 2.x, checked with Python's
 * ftplib): a wrong password gets "530 Authentication failed." after a 3 s
 * delay; SIZE in TYPE A is refused with "550 SIZE not allowed in ASCII
 * mode."; MKD/PWD double a '"' inside the 257 path; default MLSD facts are
 * type, perm, size, modify; names are sent as UTF-8; STOR in TYPE A stores
 * CRLF as LF (os.linesep) and RETR in TYPE A sends LF as CRLF.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

static tu_server P;

#define CAFE "caf\xc3\xa9.txt"                      /* café.txt in UTF-8 */
#define CAFE_MOJIBAKE "caf\xc3\x83\xc2\xa9.txt"     /* its UTF-8 bytes read as latin-1 */

#define CHECK_NOOP(s)                            \
    do {                                         \
        CHECK_OK(s, ftp_sendcmd(s, "NOOP"));     \
        CHECK_CODE(s, 200);                      \
    } while (0)

static ftp_session *open_p(void)
{
    return tu_open(&P, true);
}

static void retr_compare(ftp_session *s, const char *name, int64_t rest)
{
    tu_buf b;
    size_t len, off = rest > 0 ? (size_t)rest : 0;
    char *path = tu_path(P.root, name);
    char *cmd = tu_strf("RETR %s", name);
    uint8_t *want = tu_slurp(path, &len);
    memset(&b, 0, sizeof b);
    CHECK_OK(s, ftp_retrbinary(s, cmd, tu_buf_sink, &b, 0, rest));
    CHECK_CODE(s, 226);
    CHECK(s, off <= len);
    CHECK_MEM(s, b.data, b.len, want + off, len - off);
    tu_buf_free(&b);
    free(want);
    free(cmd);
    free(path);
}

static void test_login(void)
{
    ftp_session *s = ftp_session_new();
    const char *p = NULL;

    tu_step("wrong password -> FTP_ERROR_PERM 530");
    CHECK_OK(s, ftp_set_timeout_ms(s, 30000));
    CHECK_OK(s, ftp_connect(s, P.host, P.port));
    CHECK_CODE(s, 220);
    CHECK_RES(s, ftp_login(s, P.user, "wrong-password", NULL), FTP_ERROR_PERM);
    CHECK_CODE(s, 530);
    CHECK_MSG(s, strncmp(ftp_last_response(s), "530 ", 4) == 0, "unexpected reply");
    CHECK_MSG(s, ftp_last_error(s)[0] != '\0', "no sentence after a 530");

    tu_step("then the right password on the same connection (acct given, unused)");
    CHECK_OK(s, ftp_login(s, P.user, P.pass, "some-account"));
    CHECK_CODE(s, 230);
    CHECK_OK(s, ftp_pwd(s, &p));
    CHECK_STR(s, p, "/");
    CHECK_OK(s, ftp_quit(s));
    CHECK_CODE(s, 221);
    ftp_session_free(s);
}

static void check_fixture_entries(ftp_session *s, const tu_mlsd *m, bool only_type_size)
{
    static const char *files[] = {"hello.txt", "empty.bin", "big.bin", "lines.txt",
                                  CAFE, "a b;c.txt"};
    size_t i, j;
    CHECK_MSG(s, m->bad == 0, "MLSD callback: %s", m->bad_msg);
    for (i = 0; i < sizeof files / sizeof files[0]; i++) {
        const tu_mlsd_entry *e = tu_mlsd_find(m, files[i]);
        char *path = tu_path(P.root, files[i]);
        char *size = tu_strf("%lld", tu_file_size(path));
        if (e == NULL) tu_mlsd_dump(m);
        CHECK_MSG(s, e != NULL, "MLSD misses \"%s\"", files[i]);
        if (tu_mlsd_fact(e, "type") == NULL || strcmp(tu_mlsd_fact(e, "type"), "file") != 0 ||
            tu_mlsd_fact(e, "size") == NULL || strcmp(tu_mlsd_fact(e, "size"), size) != 0) {
            tu_mlsd_dump(m);
            CHECK_MSG(s, 0, "\"%s\": expected type=file and size=%s", files[i], size);
        }
        if (only_type_size) CHECK_INT(s, e->nfacts, 2);
        free(path);
        free(size);
    }
    {
        const tu_mlsd_entry *e = tu_mlsd_find(m, "subdir");
        CHECK_MSG(s, e != NULL && tu_mlsd_fact(e, "type") != NULL &&
                         strcmp(tu_mlsd_fact(e, "type"), "dir") == 0,
                  "subdir should be type=dir");
    }
    /* Fact names are lowercased; no name keeps a trailing CR/LF or space. */
    for (i = 0; i < m->n; i++) {
        size_t nl = strlen(m->e[i].name);
        CHECK_MSG(s, nl > 0 && m->e[i].name[nl - 1] != '\r' && m->e[i].name[nl - 1] != ' ' &&
                         strchr(m->e[i].name, '\n') == NULL,
                  "bad MLSD name \"%s\"", m->e[i].name);
        for (j = 0; j < m->e[i].nfacts; j++) {
            const char *k = m->e[i].keys[j];
            CHECK_MSG(s, k[0] != '\0', "empty fact name in %s", m->e[i].name);
            for (; *k; k++)
                CHECK_MSG(s, !(*k >= 'A' && *k <= 'Z'), "fact name \"%s\" is not lowercase",
                          m->e[i].keys[j]);
        }
    }
}

static void test_mlsd(void)
{
    ftp_session *s = open_p();
    tu_mlsd m;
    tu_lines dbg;
    const char *facts[2] = {"type", "size"};

    tu_step("mlsd of the root, NULL facts (server defaults)");
    memset(&m, 0, sizeof m);
    CHECK_OK(s, ftp_mlsd(s, NULL, NULL, 0, tu_mlsd_sink, &m));
    CHECK_CODE(s, 226);
    check_fixture_entries(s, &m, false);
    {
        const tu_mlsd_entry *e = tu_mlsd_find(&m, "hello.txt");
        CHECK_MSG(s, tu_mlsd_fact(e, "perm") != NULL && tu_mlsd_fact(e, "modify") != NULL,
                  "pyftpdlib's default facts perm and modify are missing");
    }
    tu_mlsd_free(&m);

    tu_step("mlsd of \"/\" with facts {type, size}: OPTS MLST type;size;");
    memset(&dbg, 0, sizeof dbg);
    CHECK_OK(s, ftp_set_debug_callback(s, tu_debug_sink, &dbg));
    CHECK_OK(s, ftp_set_debuglevel(s, 1));
    memset(&m, 0, sizeof m);
    CHECK_OK(s, ftp_mlsd(s, "/", facts, 2, tu_mlsd_sink, &m));
    CHECK_OK(s, ftp_set_debuglevel(s, 0));
    if (tu_lines_count_prefix(&dbg, "*cmd* 'OPTS MLST type;size;'") != 1 ||
        tu_lines_count_prefix(&dbg, "*cmd* 'MLSD /'") != 1) {
        tu_lines_dump(&dbg, "debug");
        CHECK_MSG(s, 0, "expected OPTS MLST type;size; then MLSD /");
    }
    check_fixture_entries(s, &m, true);
    tu_mlsd_free(&m);
    tu_lines_free(&dbg);

    tu_step("mlsd of subdir");
    memset(&m, 0, sizeof m);
    CHECK_OK(s, ftp_mlsd(s, "subdir", facts, 2, tu_mlsd_sink, &m));
    CHECK_INT(s, m.n, 1);
    CHECK_STR(s, m.e[0].name, "nested.txt");
    CHECK_STR(s, tu_mlsd_fact(&m.e[0], "size"), "12");
    CHECK_STR(s, tu_mlsd_fact(&m.e[0], "type"), "file");
    tu_mlsd_free(&m);

    tu_step("mlsd of a missing directory -> PERM (pyftpdlib: 501 No such directory.)");
    memset(&m, 0, sizeof m);
    CHECK_RES(s, ftp_mlsd(s, "no-such-dir", NULL, 0, tu_mlsd_sink, &m), FTP_ERROR_PERM);
    CHECK_CODE(s, 501);
    CHECK_INT(s, m.n, 0);
    CHECK_NOOP(s);
    ftp_session_free(s);
}

static int mlsd_stop(void *ud, const char *name, const ftp_fact *f, size_t n)
{
    int *calls = ud;
    (void)name; (void)f; (void)n;
    return ++*calls >= 2;
}

static void test_names(void)
{
    ftp_session *s = open_p();
    tu_lines l;
    tu_buf b;
    int calls = 0;

    tu_step("mlsd callback stop -> FTP_ERROR_CALLBACK, session fine");
    CHECK_RES(s, ftp_mlsd(s, NULL, NULL, 0, mlsd_stop, &calls), FTP_ERROR_CALLBACK);
    CHECK_INT(s, calls, 2);
    CHECK_NOOP(s);

    tu_step("nlst (utf-8): café.txt as UTF-8, \"a b;c.txt\" intact");
    memset(&l, 0, sizeof l);
    CHECK_OK(s, ftp_nlst(s, NULL, tu_lines_sink, &l));
    CHECK_MSG(s, l.bad == 0, "malformed line: %s", l.bad_msg);
    if (tu_lines_index(&l, CAFE) < 0 || tu_lines_index(&l, "a b;c.txt") < 0 ||
        tu_lines_index(&l, "hello.txt") < 0) {
        tu_lines_dump(&l, "NLST");
        CHECK_MSG(s, 0, "NLST misses a fixture name");
    }
    tu_lines_free(&l);

    tu_step("dir (utf-8) shows café.txt");
    memset(&l, 0, sizeof l);
    CHECK_OK(s, ftp_dir(s, NULL, tu_lines_sink, &l));
    CHECK(s, tu_lines_count_containing(&l, " " CAFE) == 1);
    CHECK(s, tu_lines_count_containing(&l, " a b;c.txt") == 1);
    tu_lines_free(&l);

    tu_step("retrbinary of café.txt and \"a b;c.txt\"");
    retr_compare(s, CAFE, FTP_NO_REST);
    retr_compare(s, "a b;c.txt", FTP_NO_REST);

    tu_step("latin-1: the UTF-8 name arrives as mojibake, re-encoded as UTF-8");
    CHECK_OK(s, ftp_set_encoding(s, "latin-1"));
    memset(&l, 0, sizeof l);
    CHECK_OK(s, ftp_nlst(s, NULL, tu_lines_sink, &l));
    if (tu_lines_index(&l, CAFE_MOJIBAKE) < 0 || tu_lines_index(&l, CAFE) >= 0) {
        tu_lines_dump(&l, "NLST (latin-1)");
        CHECK_MSG(s, 0, "latin-1 NLST should show \"caf\\xc3\\x83\\xc2\\xa9.txt\"");
    }
    tu_lines_free(&l);
    tu_step("latin-1: that name, sent back, reaches the same file");
    memset(&b, 0, sizeof b);
    CHECK_OK(s, ftp_retrbinary(s, "RETR " CAFE_MOJIBAKE, tu_buf_sink, &b, 0, FTP_NO_REST));
    CHECK_MEM(s, b.data, b.len, "caf\xc3\xa9\n", 6);
    tu_buf_free(&b);
    {
        tu_mlsd m;
        memset(&m, 0, sizeof m);
        CHECK_OK(s, ftp_mlsd(s, NULL, NULL, 0, tu_mlsd_sink, &m));
        if (tu_mlsd_find(&m, CAFE_MOJIBAKE) == NULL) {
            tu_mlsd_dump(&m);
            CHECK_MSG(s, 0, "latin-1 MLSD should show the mojibake name");
        }
        tu_mlsd_free(&m);
    }
    {
        int64_t sz = 0;
        CHECK_RES(s, ftp_size(s, "\xe2\x82\xac.txt", &sz), FTP_ERROR_ENCODING);
        CHECK_NOOP(s);
    }

    tu_step("back to utf-8");
    CHECK_OK(s, ftp_set_encoding(s, "utf-8"));
    memset(&l, 0, sizeof l);
    CHECK_OK(s, ftp_nlst(s, NULL, tu_lines_sink, &l));
    CHECK(s, tu_lines_index(&l, CAFE) >= 0);
    tu_lines_free(&l);
    ftp_session_free(s);
}

static void test_dirs(void)
{
    ftp_session *s = open_p();
    const char *p = NULL;
    char *sub = tu_unique("sub");
    char *sub_abs = tu_strf("/%s", sub);
    char *weird = tu_unique("we\"ird");
    char *weird_abs = tu_strf("/%s", weird);
    char *weird_path = tu_path(P.root, weird);
    tu_lines dbg;

    tu_step("mkd, cwd into it, cwd(\"..\") uses CDUP, pwd == /");
    CHECK_OK(s, ftp_mkd(s, sub, &p));
    CHECK_STR(s, p, sub_abs);
    CHECK_OK(s, ftp_cwd(s, sub));
    CHECK_OK(s, ftp_pwd(s, &p));
    CHECK_STR(s, p, sub_abs);
    memset(&dbg, 0, sizeof dbg);
    CHECK_OK(s, ftp_set_debug_callback(s, tu_debug_sink, &dbg));
    CHECK_OK(s, ftp_set_debuglevel(s, 1));
    CHECK_OK(s, ftp_cwd(s, ".."));
    CHECK_OK(s, ftp_set_debuglevel(s, 0));
    if (tu_lines_count_prefix(&dbg, "*cmd* 'CDUP'") != 1 ||
        tu_lines_count_prefix(&dbg, "*cmd* 'CWD") != 0) {
        tu_lines_dump(&dbg, "debug");
        CHECK_MSG(s, 0, "cwd(\"..\") should send CDUP (and no CWD when CDUP works)");
    }
    tu_lines_free(&dbg);
    CHECK_OK(s, ftp_pwd(s, &p));
    CHECK_STR(s, p, "/");
    CHECK_OK(s, ftp_rmd(s, sub));

    tu_step("mkd with a '\"' in the name: 257 with doubled quotes parsed");
    CHECK_OK(s, ftp_mkd(s, weird, &p));
    CHECK_CODE(s, 257);
    CHECK_STR(s, p, weird_abs);
    CHECK_MSG(s, strstr(ftp_last_response(s), "\"\"") != NULL,
              "the server did not double the quote (test assumption)");
    CHECK_MSG(s, tu_is_dir(weird_path), "%s is not a directory on disk", weird_path);
    CHECK_OK(s, ftp_cwd(s, weird));
    CHECK_OK(s, ftp_pwd(s, &p));
    CHECK_STR(s, p, weird_abs);
    CHECK_OK(s, ftp_cwd(s, ".."));
    CHECK_OK(s, ftp_rmd(s, weird));
    CHECK_MSG(s, !tu_exists(weird_path), "%s still exists after RMD", weird_path);

    tu_step("cwd of a missing dir -> PERM 550; cwd /subdir; cwd \"\"");
    CHECK_RES(s, ftp_cwd(s, "no-such-dir"), FTP_ERROR_PERM);
    CHECK_CODE(s, 550);
    CHECK_OK(s, ftp_cwd(s, "/subdir"));
    CHECK_OK(s, ftp_cwd(s, ""));
    CHECK_OK(s, ftp_pwd(s, &p));
    CHECK_STR(s, p, "/subdir");
    CHECK_OK(s, ftp_cwd(s, ".."));
    CHECK_OK(s, ftp_pwd(s, &p));
    CHECK_STR(s, p, "/");
    ftp_session_free(s);
    free(sub); free(sub_abs); free(weird); free(weird_abs); free(weird_path);
}

static void test_files(void)
{
    ftp_session *s = open_p();
    int64_t size = -2;
    char *r1 = tu_unique("ren1.txt"), *r2 = tu_unique("ren2.txt");
    char *p1 = tu_path(P.root, r1), *p2 = tu_path(P.root, r2);
    char *ln = tu_unique("lines.txt"), *lp = tu_path(P.root, ln);
    char *up = tu_unique("up.bin"), *upp = tu_path(P.root, up);
    char *cmd;
    const size_t ulen = 3 * 1024 * 1024 + 5;
    uint8_t *data = tu_gen_data(ulen, 31337);

    tu_step("size: TYPE A -> PERM 550 (pyftpdlib), TYPE I -> bytes");
    CHECK_OK(s, ftp_voidcmd(s, "TYPE A"));
    CHECK_RES(s, ftp_size(s, "hello.txt", &size), FTP_ERROR_PERM);
    CHECK_CODE(s, 550);
    CHECK_STR(s, ftp_last_response(s), "550 SIZE not allowed in ASCII mode.");
    CHECK_OK(s, ftp_voidcmd(s, "TYPE I"));
    CHECK_OK(s, ftp_size(s, "hello.txt", &size));
    CHECK_INT(s, size, 12);
    CHECK_OK(s, ftp_size(s, "big.bin", &size));
    CHECK_INT(s, size, 5 * 1024 * 1024);
    CHECK_OK(s, ftp_size(s, CAFE, &size));
    CHECK_INT(s, size, 6);
    CHECK_OK(s, ftp_size(s, "empty.bin", &size));
    CHECK_INT(s, size, 0);
    CHECK_RES(s, ftp_size(s, "no-such-file", &size), FTP_ERROR_PERM);
    CHECK_CODE(s, 550);

    tu_step("rename, delete (checked on disk)");
    tu_write_file(p1, "to be renamed\n", 14);
    CHECK_OK(s, ftp_rename(s, r1, r2));
    CHECK(s, !tu_exists(p1));
    CHECK_FILE(s, p2, "to be renamed\n", 14);
    CHECK_RES(s, ftp_rename(s, r1, r2), FTP_ERROR_PERM);
    CHECK_CODE(s, 550);
    CHECK_OK(s, ftp_delete(s, r2));
    CHECK_CODE(s, 250);
    CHECK(s, !tu_exists(p2));
    CHECK_RES(s, ftp_delete(s, r2), FTP_ERROR_PERM);
    CHECK_CODE(s, 550);

    tu_step("storlines/retrlines round trip (pyftpdlib stores LF on disk)");
    {
        static const char text[] = "x\ny\r\n\nz";
        static const char disk[] = "x\ny\n\nz\n";
        tu_upload u;
        tu_lines l;
        memset(&u, 0, sizeof u);
        u.src.data = (const uint8_t *)text;
        u.src.len = sizeof text - 1;
        cmd = tu_strf("STOR %s", ln);
        CHECK_OK(s, ftp_storlines(s, cmd, tu_src_read, &u, tu_upload_sent));
        CHECK_CODE(s, 226);
        CHECK_FILE(s, lp, disk, sizeof disk - 1);
        CHECK_MEM(s, u.sent.data, u.sent.len, "x\r\ny\r\n\r\nz\r\n", 11);
        tu_upload_free(&u);
        free(cmd);
        cmd = tu_strf("RETR %s", ln);
        memset(&l, 0, sizeof l);
        CHECK_OK(s, ftp_retrlines(s, cmd, tu_lines_sink, &l));
        CHECK_MSG(s, l.bad == 0, "malformed line: %s", l.bad_msg);
        if (l.n != 4) tu_lines_dump(&l, "retrlines");
        CHECK_INT(s, l.n, 4);
        CHECK_STR(s, l.lines[0], "x");
        CHECK_STR(s, l.lines[1], "y");
        CHECK_STR(s, l.lines[2], "");
        CHECK_STR(s, l.lines[3], "z");
        tu_lines_free(&l);
        free(cmd);
        CHECK_OK(s, ftp_delete(s, ln));
    }

    tu_step("retrlines lines.txt (pyftpdlib sends CRLF in TYPE A)");
    {
        tu_lines l, want;
        size_t len, i;
        char *path = tu_path(P.root, "lines.txt");
        uint8_t *d = tu_slurp(path, &len);
        memset(&l, 0, sizeof l);
        memset(&want, 0, sizeof want);
        tu_split_lines(d, len, &want);
        CHECK_OK(s, ftp_retrlines(s, "RETR lines.txt", tu_lines_sink, &l));
        CHECK_INT(s, l.n, want.n);
        for (i = 0; i < want.n; i++) {
            CHECK_STR(s, l.lines[i], want.lines[i]);
            CHECK_INT(s, l.lens[i], strlen(want.lines[i]));
        }
        tu_lines_free(&l);
        tu_lines_free(&want);
        free(d);
        free(path);
    }

    tu_step("retrlines: a line of 8000 bytes is fine, one of 20000 -> FTP_ERROR_PROTO");
    {
        char *n_ok = tu_unique("line8000.txt"), *n_long = tu_unique("line20000.txt");
        char *p_ok = tu_path(P.root, n_ok), *p_long = tu_path(P.root, n_long);
        char *line = malloc(20002);
        tu_lines l;
        memset(line, 'q', 20000);
        line[8000] = '\n';
        tu_write_file(p_ok, line, 8001);
        line[8000] = 'q';
        line[20000] = '\n';
        tu_write_file(p_long, line, 20001);
        cmd = tu_strf("RETR %s", n_ok);
        memset(&l, 0, sizeof l);
        CHECK_OK(s, ftp_retrlines(s, cmd, tu_lines_sink, &l));
        CHECK_INT(s, l.n, 1);
        CHECK_INT(s, l.lens[0], 8000);
        tu_lines_free(&l);
        free(cmd);
        cmd = tu_strf("RETR %s", n_long);
        memset(&l, 0, sizeof l);
        CHECK_RES(s, ftp_retrlines(s, cmd, tu_lines_sink, &l), FTP_ERROR_PROTO);
        CHECK_MSG(s, ftp_last_error(s)[0] != '\0', "no sentence for a too long line");
        CHECK_INT(s, l.n, 0);
        tu_lines_free(&l);
        free(cmd);
        tu_step("the session is still usable after the too long line");
        CHECK_NOOP(s);
        retr_compare(s, "hello.txt", FTP_NO_REST);

        CHECK_OK(s, ftp_delete(s, n_ok));
        CHECK_OK(s, ftp_delete(s, n_long));
        free(line); free(n_ok); free(n_long); free(p_ok); free(p_long);
    }

    tu_step("REST downloads");
    retr_compare(s, "big.bin", 4096);
    retr_compare(s, "big.bin", 5 * 1024 * 1024 - 1);
    retr_compare(s, "hello.txt", 6);
    retr_compare(s, "big.bin", FTP_NO_REST);

    tu_step("storbinary, then resume with rest");
    {
        tu_upload u;
        memset(&u, 0, sizeof u);
        u.src.data = data;
        u.src.len = 1000000;
        cmd = tu_strf("STOR %s", up);
        CHECK_OK(s, ftp_storbinary(s, cmd, tu_src_read, &u, 0, NULL, FTP_NO_REST));
        CHECK_FILE(s, upp, data, 1000000);
        memset(&u, 0, sizeof u);
        u.src.data = data + 1000000;
        u.src.len = ulen - 1000000;
        CHECK_OK(s, ftp_storbinary(s, cmd, tu_src_read, &u, 65536, NULL, 1000000));
        CHECK_CODE(s, 226);
        CHECK_FILE(s, upp, data, ulen);
        free(cmd);
        retr_compare(s, up, FTP_NO_REST);
        retr_compare(s, up, 2999999);
        CHECK_OK(s, ftp_delete(s, up));
    }

    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
    free(data);
    free(r1); free(r2); free(p1); free(p2); free(ln); free(lp); free(up); free(upp);
}

static void test_debug_masking(void)
{
    ftp_session *s;
    tu_lines dbg;
    size_t i;

    tu_step("debuglevel 2, anonymous with password \"secretpw\": PASS masked");
    memset(&dbg, 0, sizeof dbg);
    s = ftp_session_new();
    CHECK_OK(s, ftp_set_timeout_ms(s, 30000));
    CHECK_OK(s, ftp_set_debug_callback(s, tu_debug_sink, &dbg));
    CHECK_OK(s, ftp_set_debuglevel(s, 2));
    CHECK_OK(s, ftp_connect(s, P.host, P.port));
    CHECK_OK(s, ftp_login(s, "anonymous", "secretpw", NULL));
    CHECK_CODE(s, 230);
    for (i = 0; i < dbg.n; i++)
        CHECK_MSG(s, strstr(dbg.lines[i], "secretpw") == NULL, "password in debug line: %s",
                  dbg.lines[i]);
    /* ftplib: "*cmd* 'PASS ********'" and "*put* 'PASS ********\r\n'" */
    if (tu_lines_count_prefix(&dbg, "*cmd* 'USER anonymous'") != 1 ||
        tu_lines_count_prefix(&dbg, "*cmd* 'PASS ") != 1 ||
        tu_lines_count_prefix(&dbg, "*cmd* 'PASS ********'") != 1 ||
        tu_lines_count_prefix(&dbg, "*put* 'PASS ") != 1 ||
        tu_lines_count_prefix(&dbg, "*put* 'PASS ********\\r\\n'") != 1 ||
        tu_lines_count_prefix(&dbg, "*get* '331") != 1 ||
        tu_lines_count_prefix(&dbg, "*resp* '230") != 1) {
        tu_lines_dump(&dbg, "debug lines (level 2)");
        CHECK_MSG(s, 0, "PASS must be shown as 'PASS ' + one '*' per password character");
    }
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
    tu_lines_free(&dbg);

    tu_step("debuglevel 1, tester/secret: PASS ******, no \"secret\"");
    memset(&dbg, 0, sizeof dbg);
    s = ftp_session_new();
    CHECK_OK(s, ftp_set_timeout_ms(s, 30000));
    CHECK_OK(s, ftp_set_debuglevel(s, 1));
    CHECK_OK(s, ftp_set_debug_callback(s, tu_debug_sink, &dbg));
    CHECK_OK(s, ftp_connect(s, P.host, P.port));
    CHECK_OK(s, ftp_login(s, P.user, P.pass, NULL));
    for (i = 0; i < dbg.n; i++)
        CHECK_MSG(s, strstr(dbg.lines[i], P.pass) == NULL, "password in debug line: %s",
                  dbg.lines[i]);
    if (tu_lines_count_prefix(&dbg, "*cmd* 'PASS ******'") != 1 ||
        tu_lines_count_prefix(&dbg, "*put*") != 0) {
        tu_lines_dump(&dbg, "debug lines (level 1)");
        CHECK_MSG(s, 0, "expected *cmd* 'PASS ******' and no *put* at level 1");
    }
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
    tu_lines_free(&dbg);
}

/* Uploads stopped on our side must not leave the session waiting for a
 * reply that pyftpdlib never sends.  A short timeout turns a hang into a
 * quick failure; after each stop the session must still answer NOOP. */
static void check_usable_after_stop(ftp_session *s, const char *what)
{
    ftp_result r = ftp_sendcmd(s, "NOOP");
    CHECK_MSG(s, r == FTP_OK && ftp_last_code(s) == 200,
              "%s: the session is not usable afterwards (NOOP: %s, code %d); the final "
              "reply of the stopped upload never came (pyftpdlib sends none when the data "
              "connection is reset before it accepted it, i.e. after a 150 rather than 125)",
              what, ftp_result_name(r), ftp_last_code(s));
}

static void test_upload_stops(void)
{
    ftp_session *s = open_p();
    char *line = malloc(20002);
    char *name = tu_unique("stopped.bin");
    char *path = tu_path(P.root, name);
    char *cmd = tu_strf("STOR %s", name);
    uint8_t *data = tu_gen_data(100000, 5);
    int i;

    memset(line, 'q', 20001);
    line[20000] = '\n';
    CHECK_OK(s, ftp_set_timeout_ms(s, 5000));
    for (i = 0; i < 5; i++) {
        tu_upload u;
        tu_step("round %d: storlines with a 20000-byte source line -> FTP_ERROR_PROTO", i + 1);
        memset(&u, 0, sizeof u);
        u.src.data = (const uint8_t *)line;
        u.src.len = 20001;
        CHECK_RES(s, ftp_storlines(s, cmd, tu_src_read, &u, NULL), FTP_ERROR_PROTO);
        check_usable_after_stop(s, "storlines with a too long line");

        tu_step("round %d: storbinary whose read callback fails at once -> FTP_ERROR_CALLBACK",
                i + 1);
        memset(&u, 0, sizeof u);
        u.src.data = data;
        u.src.len = 100000;
        u.src.fail_at = 1;
        CHECK_RES(s, ftp_storbinary(s, cmd, tu_src_read, &u, 0, NULL, FTP_NO_REST),
                  FTP_ERROR_CALLBACK);
        check_usable_after_stop(s, "storbinary stopped by its read callback");

        tu_step("round %d: storbinary whose read callback fails at call 3", i + 1);
        memset(&u, 0, sizeof u);
        u.src.data = data;
        u.src.len = 100000;
        u.src.fail_at = 3;
        CHECK_RES(s, ftp_storbinary(s, cmd, tu_src_read, &u, 1000, NULL, FTP_NO_REST),
                  FTP_ERROR_CALLBACK);
        check_usable_after_stop(s, "storbinary stopped by its read callback");
    }
    tu_step("then a complete upload is exact");
    {
        tu_upload u;
        memset(&u, 0, sizeof u);
        u.src.data = data;
        u.src.len = 100000;
        CHECK_OK(s, ftp_set_timeout_ms(s, 30000));
        CHECK_OK(s, ftp_storbinary(s, cmd, tu_src_read, &u, 0, NULL, FTP_NO_REST));
        CHECK_FILE(s, path, data, 100000);
        CHECK_OK(s, ftp_delete(s, name));
    }
    ftp_session_free(s);
    free(line); free(name); free(path); free(cmd); free(data);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    tu_server_env("PYFTPD", true, &P);
    test_login();
    test_mlsd();
    test_names();
    test_dirs();
    test_files();
    test_debug_masking();
    test_upload_stops();
    printf("PASS test_pyftpd\n");
    return 0;
}
