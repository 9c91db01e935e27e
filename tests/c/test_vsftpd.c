/* test_vsftpd: the C API against a real vsftpd (anonymous, IPv4).
 *
 * Server: tests/servers/ftpservers.py (FTP_TEST_VSFTPD_*).  Anonymous login;
 * the root is read-only, pub/ is writable (STOR, MKD, RMD, RNFR/RNTO, DELE).
 * Fixtures in pub/: hello.txt, empty.bin, big.bin (5 MiB), lines.txt,
 * subdir/nested.txt.  Downloads are compared with the files on disk and
 * uploads are checked by reading the file vsftpd wrote.
 *
 * vsftpd facts this test relies on (vsftpd 3.0.3 with the launcher's
 * configuration, checked with Python's ftplib against the same server):
 * - ascii_upload_enable and ascii_download_enable are off (the default), so
 *   in TYPE A vsftpd stores and sends bytes unchanged: storlines' CRLF lines
 *   land on disk as CRLF, and SIZE is answered in TYPE A as well as TYPE I
 *   ("SIZE not allowed in ASCII mode" only happens with
 *   ascii_download_enable=YES; pyftpdlib refuses it, see test_pyftpd);
 * - the 150 reply of RETR says "(N bytes)" (the whole file's size), LIST's
 *   150 has no size;
 * - unknown command -> "500 Unknown command."; DELE of a missing file ->
 *   "550 Delete operation failed."; a data command without PORT/PASV ->
 *   "425 Use PORT or PASV first."; REST -> "350 Restart position accepted";
 *   STAT -> a multi-line 211 reply; ABOR without a transfer -> 225;
 * - async_abor_enable is off: vsftpd does not read the control connection
 *   while it sends data, so ABOR during a RETR is only seen once the data
 *   connection is gone (then "426 Failure writing network stream." followed
 *   by "225 No transfer to ABOR.").  ftplib's abort() hangs or leaves the
 *   225 unread there; the library must leave the session usable.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

static tu_server V;
static char *PUB;        /* local path of pub/ */
static uint8_t *BIG;     /* pub/big.bin as on disk */
static size_t BIG_LEN;

#define CHECK_NOOP(s)                            \
    do {                                         \
        CHECK_OK(s, ftp_sendcmd(s, "NOOP"));     \
        CHECK_CODE(s, 200);                      \
    } while (0)

static char *pubfile(const char *name)
{
    return tu_path(PUB, name);
}

static ftp_session *open_pub(void)
{
    ftp_session *s = tu_open(&V, true);
    CHECK_OK(s, ftp_cwd(s, "pub"));
    return s;
}

/* Downloads `name` (in the cwd, pub/) and compares with pub/name on disk. */
static void retr_compare(ftp_session *s, const char *name, size_t blocksize, int64_t rest)
{
    tu_buf b;
    size_t len;
    char *path = pubfile(name);
    char *cmd = tu_strf("RETR %s", name);
    uint8_t *want = tu_slurp(path, &len);
    size_t off = rest > 0 ? (size_t)rest : 0;
    size_t limit = blocksize ? blocksize : 8192;
    memset(&b, 0, sizeof b);
    CHECK_OK(s, ftp_retrbinary(s, cmd, tu_buf_sink, &b, blocksize, rest));
    CHECK_CODE(s, 226);
    CHECK(s, off <= len);
    CHECK_MEM(s, b.data, b.len, want + off, len - off);
    CHECK_MSG(s, b.max_block <= limit, "a block of %zu bytes with blocksize %zu", b.max_block,
              blocksize);
    CHECK_INT(s, b.bad_calls, 0);
    free(want);
    free(cmd);
    free(path);
    tu_buf_free(&b);
}

/* Uploads data with storbinary to pub/name and checks the file on disk. */
static void stor_compare(ftp_session *s, const char *name, const uint8_t *data, size_t len,
                         size_t blocksize, size_t chunk)
{
    tu_upload up;
    char *path = pubfile(name);
    char *cmd = tu_strf("STOR %s", name);
    size_t limit = blocksize ? blocksize : 8192;
    memset(&up, 0, sizeof up);
    up.src.data = data;
    up.src.len = len;
    up.src.chunk = chunk;
    CHECK_OK(s, ftp_storbinary(s, cmd, tu_src_read, &up, blocksize, tu_upload_sent,
                               FTP_NO_REST));
    CHECK_CODE(s, 226);
    CHECK_INT(s, up.src.bad_calls, 0);
    CHECK_INT(s, up.src.pos, len);
    CHECK_MSG(s, up.src.max_cap <= limit, "read callback asked for %zu bytes with blocksize %zu",
              up.src.max_cap, blocksize);
    /* `sent` saw exactly the bytes that were sent, in order, with the same
     * userdata as the read callback. */
    CHECK_MEM(s, up.sent.data, up.sent.len, data, len);
    CHECK_INT(s, up.sent.bad_calls, 0);
    CHECK_MSG(s, up.sent.max_block <= limit, "`sent` got %zu bytes with blocksize %zu",
              up.sent.max_block, blocksize);
    CHECK_FILE(s, path, data, len);
    free(cmd);
    free(path);
    tu_upload_free(&up);
}

/* ------------------------------------------------------------------ */

static void test_connect_login_quit(void)
{
    ftp_session *s = ftp_session_new();
    const char *w, *p = NULL;
    char *welcome;

    tu_step("connect: welcome, code 220");
    CHECK(NULL, s != NULL);
    CHECK(s, ftp_getwelcome(s) == NULL);
    CHECK_OK(s, ftp_set_timeout_ms(s, 30000));
    CHECK_OK(s, ftp_connect(s, V.host, V.port));
    w = ftp_getwelcome(s);
    CHECK(s, w != NULL);
    CHECK_MSG(s, strncmp(w, "220", 3) == 0, "welcome \"%s\" does not start with 220", w);
    welcome = tu_strf("%s", w);
    CHECK_CODE(s, 220);
    CHECK_STR(s, ftp_last_response(s), welcome);

    tu_step("ftp_login(s, NULL, NULL, NULL) = anonymous");
    CHECK_OK(s, ftp_login(s, NULL, NULL, NULL));
    CHECK_CODE(s, 230);
    CHECK_STR(s, ftp_getwelcome(s), welcome);
    CHECK_OK(s, ftp_pwd(s, &p));
    CHECK_STR(s, p, "/");
    CHECK_CODE(s, 257);

    tu_step("ftp_quit, then FTP_ERROR_STATE");
    CHECK_OK(s, ftp_quit(s));
    CHECK_CODE(s, 221);
    CHECK_RES(s, ftp_pwd(s, &p), FTP_ERROR_STATE);
    CHECK_RES(s, ftp_sendcmd(s, "NOOP"), FTP_ERROR_STATE);
    CHECK_RES(s, ftp_quit(s), FTP_ERROR_STATE);
    CHECK_OK(s, ftp_close(s));
    CHECK_OK(s, ftp_close(s));

    tu_step("reconnect on the same session; ftp_login(s, \"\", \"\", \"\")");
    CHECK_OK(s, ftp_connect(s, V.host, V.port));
    CHECK(s, ftp_getwelcome(s) != NULL && strncmp(ftp_getwelcome(s), "220", 3) == 0);
    CHECK_OK(s, ftp_login(s, "", "", ""));
    CHECK_CODE(s, 230);
    CHECK_OK(s, ftp_pwd(s, &p));
    CHECK_STR(s, p, "/");
    CHECK_NOOP(s);

    tu_step("ftp_close without QUIT, twice; then reconnect once more");
    CHECK_OK(s, ftp_close(s));
    CHECK_OK(s, ftp_close(s));
    CHECK_RES(s, ftp_pwd(s, &p), FTP_ERROR_STATE);
    CHECK_OK(s, ftp_connect(s, V.host, V.port));
    CHECK_OK(s, ftp_login(s, "anonymous", "", NULL));
    CHECK_CODE(s, 230);
    CHECK_NOOP(s);
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
    free(welcome);
}

static void test_commands(void)
{
    ftp_session *s = tu_open(&V, true);
    const char *p = NULL;
    int64_t size = -2;
    const char *resp;
    size_t hlen;
    uint8_t *hello;
    char *hello_path = pubfile("hello.txt");

    tu_step("sendcmd/voidcmd NOOP");
    CHECK_OK(s, ftp_sendcmd(s, "NOOP"));
    CHECK_CODE(s, 200);
    CHECK_STR(s, ftp_last_response(s), "200 NOOP ok.");
    CHECK_OK(s, ftp_voidcmd(s, "NOOP"));
    CHECK_CODE(s, 200);

    tu_step("voidcmd STAT: multi-line 211 reply joined with \\n");
    CHECK_OK(s, ftp_voidcmd(s, "STAT"));
    CHECK_CODE(s, 211);
    resp = ftp_last_response(s);
    CHECK_MSG(s, strncmp(resp, "211-", 4) == 0, "STAT reply does not start with 211-");
    CHECK_MSG(s, strchr(resp, '\n') != NULL, "multi-line reply without \\n");
    CHECK_MSG(s, strchr(resp, '\r') == NULL, "reply contains CR");
    CHECK_MSG(s, tu_ends_with(resp, "\n211 End of status"),
              "STAT reply does not end with the 211 line");
    CHECK_MSG(s, strstr(resp, "\n     Logged in as ftp\n") != NULL, "STAT reply lost its lines");

    tu_step("cwd pub, pwd");
    CHECK_OK(s, ftp_cwd(s, "pub"));
    CHECK_CODE(s, 250);
    CHECK_OK(s, ftp_pwd(s, &p));
    CHECK_STR(s, p, "/pub");

    tu_step("sendcmd STAT hello.txt (213 multi-line)");
    CHECK_OK(s, ftp_sendcmd(s, "STAT hello.txt"));
    CHECK_CODE(s, 213);
    resp = ftp_last_response(s);
    CHECK_MSG(s, strncmp(resp, "213-Status follows:\n-rw-r--r--", 30) == 0, "unexpected STAT reply");
    CHECK_MSG(s, strstr(resp, " hello.txt\n213 End of status") != NULL, "unexpected STAT reply");

    tu_step("unknown command -> FTP_ERROR_PERM 500");
    CHECK_RES(s, ftp_sendcmd(s, "XYZZY"), FTP_ERROR_PERM);
    CHECK_CODE(s, 500);
    CHECK_STR(s, ftp_last_response(s), "500 Unknown command.");
    CHECK_MSG(s, ftp_last_error(s)[0] != '\0', "no sentence after a 500");
    CHECK_RES(s, ftp_voidcmd(s, "XYZZY"), FTP_ERROR_PERM);
    CHECK_CODE(s, 500);
    CHECK_NOOP(s);

    tu_step("CR/LF in a command -> FTP_ERROR_INVALID_ARGUMENT, nothing sent");
    CHECK_RES(s, ftp_sendcmd(s, "NOOP\r\nDELE hello.txt"), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(s, ftp_sendcmd(s, "DELE hello.txt\r\n"), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(s, ftp_voidcmd(s, "DELE hello.txt\n"), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(s, ftp_sendcmd(s, "DELE hello.txt\rNOOP"), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(s, ftp_delete(s, "hello.txt\r\nNOOP"), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(s, ftp_retrbinary(s, "RETR hello.txt\r\nDELE hello.txt", tu_count_data, NULL, 0,
                                FTP_NO_REST),
              FTP_ERROR_INVALID_ARGUMENT);
    CHECK_NOOP(s); /* the session still works, in step with the server */
    CHECK_STR(s, ftp_last_response(s), "200 NOOP ok.");
    hello = tu_slurp(hello_path, &hlen);
    CHECK_MEM(s, hello, hlen, "hello world\n", 12);
    free(hello);

    tu_step("NULL arguments on a connected session -> FTP_ERROR_INVALID_ARGUMENT");
    CHECK_RES(s, ftp_sendcmd(s, NULL), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(s, ftp_retrbinary(s, "RETR hello.txt", NULL, NULL, 0, FTP_NO_REST),
              FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(s, ftp_pwd(s, NULL), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(s, ftp_size(s, "hello.txt", NULL), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_NOOP(s);

    tu_step("3xx to voidcmd -> FTP_ERROR_REPLY; to sendcmd -> OK");
    CHECK_RES(s, ftp_voidcmd(s, "REST 0"), FTP_ERROR_REPLY);
    CHECK_CODE(s, 350);
    CHECK_MSG(s, strncmp(ftp_last_response(s), "350 Restart position accepted", 29) == 0,
              "unexpected REST reply");
    CHECK_OK(s, ftp_sendcmd(s, "REST 0"));
    CHECK_CODE(s, 350);
    CHECK_NOOP(s);

    tu_step("4xx -> FTP_ERROR_TEMP (RETR without PORT/PASV: 425)");
    CHECK_RES(s, ftp_sendcmd(s, "RETR hello.txt"), FTP_ERROR_TEMP);
    CHECK_CODE(s, 425);
    CHECK_STR(s, ftp_last_response(s), "425 Use PORT or PASV first.");
    CHECK_NOOP(s);

    tu_step("cwd: missing dir, .., empty string");
    CHECK_RES(s, ftp_cwd(s, "no-such-dir"), FTP_ERROR_PERM);
    CHECK_CODE(s, 550);
    CHECK_OK(s, ftp_cwd(s, "subdir"));
    CHECK_OK(s, ftp_pwd(s, &p));
    CHECK_STR(s, p, "/pub/subdir");
    CHECK_OK(s, ftp_cwd(s, ".."));
    CHECK_OK(s, ftp_pwd(s, &p));
    CHECK_STR(s, p, "/pub");
    CHECK_OK(s, ftp_cwd(s, "")); /* CWD . */
    CHECK_CODE(s, 250);
    CHECK_OK(s, ftp_pwd(s, &p));
    CHECK_STR(s, p, "/pub");

    tu_step("size: TYPE I and TYPE A (vsftpd answers both), missing file");
    CHECK_OK(s, ftp_voidcmd(s, "TYPE I"));
    CHECK_CODE(s, 200);
    size = -2;
    CHECK_OK(s, ftp_size(s, "hello.txt", &size));
    CHECK_INT(s, size, 12);
    CHECK_CODE(s, 213);
    size = -2;
    CHECK_OK(s, ftp_size(s, "big.bin", &size));
    CHECK_INT(s, size, (long long)BIG_LEN);
    CHECK_OK(s, ftp_voidcmd(s, "TYPE A"));
    size = -2;
    CHECK_OK(s, ftp_size(s, "hello.txt", &size));
    CHECK_INT(s, size, 12);
    CHECK_RES(s, ftp_size(s, "no-such-file", &size), FTP_ERROR_PERM);
    CHECK_CODE(s, 550);

    ftp_session_free(s);
    free(hello_path);
}

static void test_dirs_rename_delete(void)
{
    ftp_session *s = open_pub();
    const char *p = NULL;
    char *d1 = tu_unique("dir"), *d2 = tu_unique("dir");
    char *d1_path = pubfile(d1), *d2_path = pubfile(d2);
    char *want = tu_strf("/pub/%s", d1);
    char *abs = tu_strf("/pub/%s", d2);
    char *r1 = tu_unique("ren_from.txt"), *r2 = tu_unique("ren_to.txt");
    char *r1_path = pubfile(r1), *r2_path = pubfile(r2);
    static const char content[] = "rename me\n";

    tu_step("mkd returns the 257 path; rmd");
    CHECK_OK(s, ftp_mkd(s, d1, &p));
    CHECK_CODE(s, 257);
    CHECK_STR(s, p, want);
    CHECK_MSG(s, tu_is_dir(d1_path), "%s is not a directory on disk after MKD", d1_path);
    CHECK_RES(s, ftp_mkd(s, d1, &p), FTP_ERROR_PERM); /* exists */
    CHECK_CODE(s, 550);
    CHECK_OK(s, ftp_mkd(s, abs, NULL)); /* NULL path_out is fine */
    CHECK_MSG(s, tu_is_dir(d2_path), "%s is not a directory on disk after MKD", d2_path);
    CHECK_RES(s, ftp_mkd(s, d2, &p), FTP_ERROR_PERM); /* exists */
    CHECK_OK(s, ftp_rmd(s, d1));
    CHECK_CODE(s, 250);
    CHECK_MSG(s, !tu_exists(d1_path), "%s still exists after RMD", d1_path);
    CHECK_OK(s, ftp_rmd(s, abs));
    CHECK_MSG(s, !tu_exists(d2_path), "%s still exists after RMD", d2_path);
    CHECK_RES(s, ftp_rmd(s, d1), FTP_ERROR_PERM);
    CHECK_CODE(s, 550);

    tu_step("rename (checked on disk)");
    tu_write_file(r1_path, content, sizeof content - 1);
    CHECK_OK(s, ftp_rename(s, r1, r2));
    CHECK_CODE(s, 250);
    CHECK_MSG(s, !tu_exists(r1_path), "%s still exists after RNFR/RNTO", r1_path);
    CHECK_FILE(s, r2_path, content, sizeof content - 1);
    CHECK_RES(s, ftp_rename(s, r1, r2), FTP_ERROR_PERM); /* RNFR of a missing file */
    CHECK_CODE(s, 550);
    CHECK_NOOP(s);

    tu_step("delete (checked on disk); missing file -> PERM 550");
    CHECK_OK(s, ftp_delete(s, r2));
    CHECK_CODE(s, 250);
    CHECK_MSG(s, !tu_exists(r2_path), "%s still exists after DELE", r2_path);
    CHECK_RES(s, ftp_delete(s, r2), FTP_ERROR_PERM);
    CHECK_CODE(s, 550);
    CHECK_STR(s, ftp_last_response(s), "550 Delete operation failed.");
    CHECK_MSG(s, ftp_last_error(s)[0] != '\0', "no sentence after a 550");
    CHECK_NOOP(s);

    ftp_session_free(s);
    free(d1); free(d2); free(d1_path); free(d2_path); free(want); free(abs);
    free(r1); free(r2); free(r1_path); free(r2_path);
}

static void test_retr(void)
{
    ftp_session *s = open_pub();
    tu_lines got, want;
    size_t llen, i;
    uint8_t *ldata;
    char *lines_path = pubfile("lines.txt");
    tu_buf b;

    tu_step("retrbinary big.bin, blocksize 0 and 1000");
    retr_compare(s, "big.bin", 0, FTP_NO_REST);
    retr_compare(s, "big.bin", 1000, FTP_NO_REST);
    tu_step("retrbinary with rest 1000, 0 and the file size");
    retr_compare(s, "big.bin", 0, 1000);
    retr_compare(s, "big.bin", 4096, 0);
    retr_compare(s, "big.bin", 0, (int64_t)BIG_LEN);
    retr_compare(s, "hello.txt", 0, 6);
    tu_step("retrbinary of an empty file");
    memset(&b, 0, sizeof b);
    CHECK_OK(s, ftp_retrbinary(s, "RETR empty.bin", tu_buf_sink, &b, 0, FTP_NO_REST));
    CHECK_CODE(s, 226);
    CHECK_INT(s, b.len, 0);
    tu_buf_free(&b);
    retr_compare(s, "hello.txt", 0, FTP_NO_REST);
    retr_compare(s, "hello.txt", 1, FTP_NO_REST);

    tu_step("retrbinary of a missing file -> PERM 550, session fine");
    memset(&b, 0, sizeof b);
    CHECK_RES(s, ftp_retrbinary(s, "RETR no-such-file", tu_buf_sink, &b, 0, FTP_NO_REST),
              FTP_ERROR_PERM);
    CHECK_CODE(s, 550);
    CHECK_INT(s, b.len, 0);
    CHECK_NOOP(s);
    retr_compare(s, "hello.txt", 0, FTP_NO_REST);

    tu_step("retrlines lines.txt: exact lines, empty one included");
    ldata = tu_slurp(lines_path, &llen);
    memset(&want, 0, sizeof want);
    tu_split_lines(ldata, llen, &want);
    CHECK_MSG(NULL, want.n >= 3 && tu_lines_index(&want, "") >= 0,
              "fixture lines.txt should hold several lines, one of them empty");
    memset(&got, 0, sizeof got);
    CHECK_OK(s, ftp_retrlines(s, "RETR lines.txt", tu_lines_sink, &got));
    CHECK_CODE(s, 226);
    CHECK_MSG(s, got.bad == 0, "malformed line: %s", got.bad_msg);
    if (got.n != want.n) {
        tu_lines_dump(&got, "got");
        tu_lines_dump(&want, "expected");
    }
    CHECK_INT(s, got.n, want.n);
    for (i = 0; i < want.n; i++) CHECK_STR(s, got.lines[i], want.lines[i]);
    tu_lines_free(&got);

    tu_step("retrlines with a NULL callback prints the lines to stdout");
    {
        tu_capture cap;
        size_t outlen;
        uint8_t *out;
        tu_buf exp;
        ftp_result r;
        memset(&exp, 0, sizeof exp);
        for (i = 0; i < want.n; i++) {
            tu_buf_append(&exp, want.lines[i], want.lens[i]);
            tu_buf_append(&exp, "\n", 1);
        }
        tu_capture_begin(&cap, 1);
        r = ftp_retrlines(s, "RETR lines.txt", NULL, NULL);
        out = tu_capture_end(&cap, &outlen);
        CHECK_RES(s, r, FTP_OK);
        CHECK_MEM(s, out, outlen, exp.data, exp.len);
        free(out);
        tu_buf_free(&exp);
    }
    tu_lines_free(&want);
    free(ldata);

    tu_step("retrlines hello.txt");
    memset(&got, 0, sizeof got);
    CHECK_OK(s, ftp_retrlines(s, "RETR hello.txt", tu_lines_sink, &got));
    CHECK_INT(s, got.n, 1);
    CHECK_STR(s, got.lines[0], "hello world");
    CHECK_INT(s, got.lens[0], 11);
    tu_lines_free(&got);

    tu_step("retrlines of an empty file: no line");
    memset(&got, 0, sizeof got);
    CHECK_OK(s, ftp_retrlines(s, "RETR empty.bin", tu_lines_sink, &got));
    CHECK_CODE(s, 226);
    CHECK_INT(s, got.n, 0);
    tu_lines_free(&got);

    tu_step("nlst: names in pub/, with and without arguments");
    memset(&got, 0, sizeof got);
    CHECK_OK(s, ftp_nlst(s, NULL, tu_lines_sink, &got));
    CHECK_CODE(s, 226);
    CHECK_MSG(s, got.bad == 0, "malformed line: %s", got.bad_msg);
    if (tu_lines_index(&got, "hello.txt") < 0 || tu_lines_index(&got, "big.bin") < 0 ||
        tu_lines_index(&got, "empty.bin") < 0 || tu_lines_index(&got, "lines.txt") < 0 ||
        tu_lines_index(&got, "subdir") < 0) {
        tu_lines_dump(&got, "NLST");
        CHECK_MSG(s, 0, "NLST misses a fixture");
    }
    tu_lines_free(&got);
    memset(&got, 0, sizeof got);
    CHECK_OK(s, ftp_nlst(s, "subdir", tu_lines_sink, &got));
    if (got.n != 1 || strcmp(got.lines[0], "subdir/nested.txt") != 0) {
        tu_lines_dump(&got, "NLST subdir");
        CHECK_MSG(s, 0, "NLST subdir should give exactly subdir/nested.txt");
    }
    tu_lines_free(&got);

    tu_step("nlst with a NULL callback prints the names to stdout (header)");
    {
        tu_capture cap;
        size_t outlen;
        uint8_t *out;
        ftp_result r;
        tu_capture_begin(&cap, 1);
        r = ftp_nlst(s, NULL, NULL, NULL);
        out = tu_capture_end(&cap, &outlen);
        CHECK_RES(s, r, FTP_OK);
        CHECK_MSG(s, strstr((const char *)out, "hello.txt\n") != NULL &&
                         strstr((const char *)out, "big.bin\n") != NULL,
                  "stdout of ftp_nlst(NULL cb): %s", (const char *)out);
        free(out);
    }

    tu_step("dir: LIST lines");
    memset(&got, 0, sizeof got);
    CHECK_OK(s, ftp_dir(s, NULL, tu_lines_sink, &got));
    CHECK_CODE(s, 226);
    CHECK_MSG(s, got.bad == 0, "malformed line: %s", got.bad_msg);
    {
        int found = 0;
        for (i = 0; i < got.n; i++) {
            size_t n = got.lens[i];
            if (n > 10 && strcmp(got.lines[i] + n - 10, " hello.txt") == 0) {
                found = 1;
                CHECK_MSG(s, got.lines[i][0] == '-', "LIST line of hello.txt: %s", got.lines[i]);
                CHECK_MSG(s, strstr(got.lines[i], " 12 ") != NULL, "LIST line of hello.txt: %s",
                          got.lines[i]);
            }
        }
        if (!found) tu_lines_dump(&got, "LIST");
        CHECK_MSG(s, found, "LIST has no hello.txt line");
    }
    tu_lines_free(&got);
    memset(&got, 0, sizeof got);
    CHECK_OK(s, ftp_dir(s, "subdir", tu_lines_sink, &got));
    CHECK_INT(s, got.n, 1);
    CHECK_MSG(s, strstr(got.lines[0], " nested.txt") != NULL, "LIST subdir: %s", got.lines[0]);
    tu_lines_free(&got);

    tu_step("dir with a NULL callback prints to stdout");
    {
        tu_capture cap;
        size_t outlen;
        uint8_t *out;
        ftp_result r;
        tu_capture_begin(&cap, 1);
        r = ftp_dir(s, NULL, NULL, NULL);
        out = tu_capture_end(&cap, &outlen);
        CHECK_RES(s, r, FTP_OK);
        CHECK_MSG(s, strstr((const char *)out, " hello.txt\n") != NULL,
                  "stdout of ftp_dir(NULL cb) has no hello.txt line: %s", (const char *)out);
        CHECK_MSG(s, strchr((const char *)out, '\r') == NULL, "stdout has CR");
        free(out);
    }
    CHECK_NOOP(s);
    ftp_session_free(s);
    free(lines_path);
}

static void test_stor(void)
{
    ftp_session *s = open_pub();
    const size_t big = 5 * 1024 * 1024 + 123;
    uint8_t *data = tu_gen_data(big, 12345);
    char *n1 = tu_unique("up_big.bin"), *n2 = tu_unique("up_small.bin");
    char *n3 = tu_unique("up_empty.bin"), *n4 = tu_unique("up_rest.bin");
    char *n5 = tu_unique("up_lines.txt"), *n6 = tu_unique("up_lines2.txt");
    char *n7 = tu_unique("up_lines3.txt");
    char *path, *cmd;

    tu_step("storbinary 5 MiB + 123 bytes, blocksize 0");
    stor_compare(s, n1, data, big, 0, 0);
    tu_step("storbinary 100000 bytes, blocksize 1000, short reads of 777");
    stor_compare(s, n2, data + 7, 100000, 1000, 777);
    tu_step("storbinary of nothing creates an empty file");
    stor_compare(s, n3, data, 0, 0, 0);
    CHECK_INT(s, tu_file_size((path = pubfile(n3))), 0);
    free(path);

    tu_step("storbinary with rest: resume after a partial upload");
    stor_compare(s, n4, data, 300000, 0, 0);
    {
        tu_src src;
        const size_t total = 1000000;
        memset(&src, 0, sizeof src);
        src.data = data + 300000;
        src.len = total - 300000;
        cmd = tu_strf("STOR %s", n4);
        CHECK_OK(s, ftp_storbinary(s, cmd, tu_src_read, &src, 0, NULL, 300000));
        CHECK_CODE(s, 226);
        path = pubfile(n4);
        CHECK_FILE(s, path, data, total);
        free(path);
        free(cmd);
    }

    tu_step("storlines \"a\\nb\\r\\nc\" -> a\\r\\nb\\r\\nc\\r\\n on disk (no ASCII translation)");
    {
        static const char text[] = "a\nb\r\nc";
        static const char disk[] = "a\r\nb\r\nc\r\n";
        tu_upload up;
        memset(&up, 0, sizeof up);
        up.src.data = (const uint8_t *)text;
        up.src.len = sizeof text - 1;
        cmd = tu_strf("STOR %s", n5);
        CHECK_OK(s, ftp_storlines(s, cmd, tu_src_read, &up, tu_upload_sent));
        CHECK_CODE(s, 226);
        path = pubfile(n5);
        CHECK_FILE(s, path, disk, sizeof disk - 1);
        /* `sent` got each line as sent, with CRLF. */
        if (up.sent_calls.n != 3) tu_lines_dump(&up.sent_calls, "sent");
        CHECK_INT(s, up.sent_calls.n, 3);
        CHECK_STR(s, up.sent_calls.lines[0], "a\r\n");
        CHECK_STR(s, up.sent_calls.lines[1], "b\r\n");
        CHECK_STR(s, up.sent_calls.lines[2], "c\r\n");
        tu_upload_free(&up);
        free(path);
        free(cmd);
    }

    tu_step("storlines from 1-byte reads: CR kept inside a line, final CR -> CRLF");
    {
        static const char text[] = "p\rq\n\nlast\r";
        static const char disk[] = "p\rq\r\n\r\nlast\r\n";
        tu_src src;
        memset(&src, 0, sizeof src);
        src.data = (const uint8_t *)text;
        src.len = sizeof text - 1;
        src.chunk = 1;
        cmd = tu_strf("STOR %s", n6);
        CHECK_OK(s, ftp_storlines(s, cmd, tu_src_read, &src, NULL));
        CHECK_CODE(s, 226);
        path = pubfile(n6);
        CHECK_FILE(s, path, disk, sizeof disk - 1);
        free(path);
        free(cmd);
    }

    tu_step("storlines of nothing -> empty file");
    {
        tu_src src;
        memset(&src, 0, sizeof src);
        cmd = tu_strf("STOR %s", n7);
        CHECK_OK(s, ftp_storlines(s, cmd, tu_src_read, &src, NULL));
        path = pubfile(n7);
        CHECK_FILE(s, path, "", 0);
        free(path);
        free(cmd);
    }

    tu_step("STOR into the read-only root -> PERM 553, session fine");
    {
        tu_src src;
        char *root_file;
        char *name = tu_unique("noperm.bin");
        memset(&src, 0, sizeof src);
        src.data = data;
        src.len = 1000;
        cmd = tu_strf("STOR /%s", name);
        CHECK_RES(s, ftp_storbinary(s, cmd, tu_src_read, &src, 0, NULL, FTP_NO_REST),
                  FTP_ERROR_PERM);
        CHECK_CODE(s, 553);
        root_file = tu_path(V.root, name);
        CHECK(s, !tu_exists(root_file));
        CHECK_NOOP(s);
        free(root_file);
        free(name);
        free(cmd);
    }

    /* Cleanup through the server (also exercises DELE on uploads). */
    CHECK_OK(s, ftp_delete(s, n1));
    CHECK_OK(s, ftp_delete(s, n2));
    CHECK_OK(s, ftp_delete(s, n3));
    CHECK_OK(s, ftp_delete(s, n4));
    CHECK_OK(s, ftp_delete(s, n5));
    CHECK_OK(s, ftp_delete(s, n6));
    CHECK_OK(s, ftp_delete(s, n7));
    ftp_session_free(s);
    free(data);
    free(n1); free(n2); free(n3); free(n4); free(n5); free(n6); free(n7);
}

/* Reads a transfer until end of data. */
static void read_all(ftp_session *s, ftp_transfer *t, tu_buf *b, size_t cap)
{
    uint8_t *buf = malloc(cap);
    CHECK(s, buf != NULL);
    for (;;) {
        size_t n = (size_t)-1;
        CHECK_OK(s, ftp_transfer_read(t, buf, cap, &n));
        CHECK_MSG(s, n <= cap, "ftp_transfer_read returned %zu > cap %zu", n, cap);
        if (n == 0) break;
        tu_buf_append(b, buf, n);
    }
    free(buf);
}

static void test_transfercmd(void)
{
    ftp_session *s = open_pub();
    ftp_transfer *t = NULL;
    int64_t expected = -2;
    tu_buf b;
    const char *p = NULL;
    int64_t size;
    uint8_t tmp[16];
    size_t n;

    tu_step("ntransfercmd RETR big.bin: expected size from the 150 reply");
    CHECK_OK(s, ftp_voidcmd(s, "TYPE I"));
    CHECK_OK(s, ftp_ntransfercmd(s, "RETR big.bin", FTP_NO_REST, &t, &expected));
    CHECK(s, t != NULL);
    CHECK_CODE(s, 150);
    CHECK_INT(s, expected, (long long)BIG_LEN);
    CHECK_MSG(s, ftp_transfer_fd(t) >= 0, "ftp_transfer_fd = %d", ftp_transfer_fd(t));

    tu_step("while the transfer is open, other calls -> FTP_ERROR_STATE");
    CHECK_RES(s, ftp_pwd(s, &p), FTP_ERROR_STATE);
    CHECK_RES(s, ftp_sendcmd(s, "NOOP"), FTP_ERROR_STATE);
    CHECK_RES(s, ftp_voidcmd(s, "NOOP"), FTP_ERROR_STATE);
    CHECK_RES(s, ftp_cwd(s, "subdir"), FTP_ERROR_STATE);
    CHECK_RES(s, ftp_size(s, "hello.txt", &size), FTP_ERROR_STATE);
    CHECK_RES(s, ftp_nlst(s, NULL, tu_count_lines, NULL), FTP_ERROR_STATE);
    CHECK_RES(s, ftp_retrbinary(s, "RETR hello.txt", tu_count_data, NULL, 0, FTP_NO_REST),
              FTP_ERROR_STATE);
    {
        ftp_transfer *t2 = NULL;
        CHECK_RES(s, ftp_transfercmd(s, "RETR hello.txt", FTP_NO_REST, &t2), FTP_ERROR_STATE);
        CHECK(s, t2 == NULL);
    }
    CHECK_RES(s, ftp_quit(s), FTP_ERROR_STATE);
    CHECK_RES(s, ftp_delete(s, "hello.txt"), FTP_ERROR_STATE);
    CHECK_MSG(s, ftp_last_error(s)[0] != '\0', "no sentence for FTP_ERROR_STATE");

    tu_step("ftp_transfer_read with NULL arguments");
    CHECK_STR(s, ftp_transfer_last_error(t), ""); /* header extra: "" if none */
    CHECK_RES(s, ftp_transfer_read(t, NULL, sizeof tmp, &n), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_MSG(s, ftp_transfer_last_error(t)[0] != '\0',
              "ftp_transfer_last_error is empty after FTP_ERROR_INVALID_ARGUMENT");
    CHECK_RES(s, ftp_transfer_read(t, tmp, sizeof tmp, NULL), FTP_ERROR_INVALID_ARGUMENT);

    tu_step("read until 0, ftp_transfer_close, ftp_voidresp -> 226");
    memset(&b, 0, sizeof b);
    read_all(s, t, &b, 65536);
    CHECK_OK(s, ftp_transfer_close(t));
    t = NULL;
    CHECK_OK(s, ftp_voidresp(s));
    CHECK_CODE(s, 226);
    CHECK_MEM(s, b.data, b.len, BIG, BIG_LEN);
    tu_buf_free(&b);
    CHECK_NOOP(s);

    tu_step("transfercmd RETR hello.txt (small reads), ftp_getresp -> 226");
    CHECK_OK(s, ftp_transfercmd(s, "RETR hello.txt", FTP_NO_REST, &t));
    CHECK(s, t != NULL);
    memset(&b, 0, sizeof b);
    read_all(s, t, &b, 5);
    CHECK_OK(s, ftp_transfer_close(t));
    CHECK_OK(s, ftp_getresp(s));
    CHECK_CODE(s, 226);
    CHECK_MEM(s, b.data, b.len, "hello world\n", 12);
    tu_buf_free(&b);

    tu_step("ntransfercmd with rest 1000 and NULL expected_size");
    CHECK_OK(s, ftp_ntransfercmd(s, "RETR big.bin", 1000, &t, NULL));
    memset(&b, 0, sizeof b);
    read_all(s, t, &b, 100000);
    CHECK_OK(s, ftp_transfer_close(t));
    CHECK_OK(s, ftp_voidresp(s));
    CHECK_CODE(s, 226);
    CHECK_MEM(s, b.data, b.len, BIG + 1000, BIG_LEN - 1000);
    tu_buf_free(&b);

    tu_step("ntransfercmd LIST: no size in the 150 reply -> expected_size -1");
    expected = -2;
    CHECK_OK(s, ftp_ntransfercmd(s, "LIST", FTP_NO_REST, &t, &expected));
    CHECK_INT(s, expected, -1);
    memset(&b, 0, sizeof b);
    read_all(s, t, &b, 4096);
    CHECK_OK(s, ftp_transfer_close(t));
    CHECK_OK(s, ftp_voidresp(s));
    CHECK_MSG(s, strstr((const char *)b.data, " hello.txt\r\n") != NULL, "LIST data: %s",
              (const char *)b.data);
    tu_buf_free(&b);

    tu_step("transfercmd of a missing file -> PERM 550");
    t = NULL;
    CHECK_RES(s, ftp_transfercmd(s, "RETR no-such-file", FTP_NO_REST, &t), FTP_ERROR_PERM);
    CHECK_CODE(s, 550);
    CHECK_NOOP(s);

    tu_step("upload with ntransfercmd(STOR) + ftp_transfer_write");
    {
        const size_t len = 777777;
        uint8_t *data = tu_gen_data(len, 4242);
        char *name = tu_unique("tw.bin");
        char *cmd = tu_strf("STOR %s", name);
        char *path = pubfile(name);
        size_t off = 0;
        CHECK_OK(s, ftp_voidcmd(s, "TYPE I"));
        CHECK_OK(s, ftp_ntransfercmd(s, cmd, FTP_NO_REST, &t, NULL));
        CHECK(s, t != NULL);
        CHECK(s, ftp_transfer_fd(t) >= 0);
        CHECK_RES(s, ftp_transfer_write(t, NULL, 10), FTP_ERROR_INVALID_ARGUMENT);
        CHECK_OK(s, ftp_transfer_write(t, data, 0));
        while (off < len) {
            size_t k = len - off < 100000 ? len - off : 100000;
            CHECK_OK(s, ftp_transfer_write(t, data + off, k));
            off += k;
        }
        CHECK_OK(s, ftp_transfer_close(t));
        CHECK_OK(s, ftp_voidresp(s));
        CHECK_CODE(s, 226);
        CHECK_FILE(s, path, data, len);
        CHECK_OK(s, ftp_delete(s, name));
        free(data); free(name); free(cmd); free(path);
    }
    ftp_session_free(s);
}

static void test_free_orders(void)
{
    ftp_session *s;
    ftp_transfer *t = NULL;
    uint8_t buf[4096];
    size_t n;
    ftp_result r;
    tu_buf b;

    tu_step("session freed before its open transfer");
    s = open_pub();
    CHECK_OK(s, ftp_voidcmd(s, "TYPE I"));
    CHECK_OK(s, ftp_transfercmd(s, "RETR big.bin", FTP_NO_REST, &t));
    CHECK_OK(s, ftp_transfer_read(t, buf, sizeof buf, &n));
    CHECK(s, n > 0 && n <= sizeof buf);
    ftp_session_free(s);
    n = (size_t)-1;
    r = ftp_transfer_read(t, buf, sizeof buf, &n); /* any result, no crash */
    CHECK_MSG(NULL, r != FTP_OK || n <= sizeof buf, "read %zu bytes into %zu", n, sizeof buf);
    (void)ftp_transfer_fd(t);
    r = ftp_transfer_close(t);
    CHECK_MSG(NULL, r != FTP_ERROR_INTERNAL && r != FTP_ERROR_INVALID_ARGUMENT,
              "ftp_transfer_close after ftp_session_free: %s", ftp_result_name(r));

    tu_step("transfer closed (unread), then session freed without voidresp");
    s = open_pub();
    CHECK_OK(s, ftp_transfercmd(s, "RETR hello.txt", FTP_NO_REST, &t));
    CHECK_OK(s, ftp_transfer_close(t));
    ftp_session_free(s);

    tu_step("big transfer closed early: voidresp gives 426 (or 226), session fine");
    s = open_pub();
    CHECK_OK(s, ftp_voidcmd(s, "TYPE I"));
    CHECK_OK(s, ftp_transfercmd(s, "RETR big.bin", FTP_NO_REST, &t));
    CHECK_OK(s, ftp_transfer_read(t, buf, sizeof buf, &n));
    CHECK_OK(s, ftp_transfer_close(t));
    r = ftp_voidresp(s);
    CHECK_MSG(s, (r == FTP_ERROR_TEMP && ftp_last_code(s) == 426) ||
                     (r == FTP_OK && ftp_last_code(s) == 226),
              "voidresp after an early close: %s, code %d", ftp_result_name(r),
              ftp_last_code(s));
    CHECK_NOOP(s);
    retr_compare(s, "hello.txt", 0, FTP_NO_REST);

    tu_step("ftp_close while a transfer is open, then reconnect");
    CHECK_OK(s, ftp_transfercmd(s, "RETR big.bin", FTP_NO_REST, &t));
    CHECK_OK(s, ftp_close(s));
    CHECK_RES(s, ftp_sendcmd(s, "NOOP"), FTP_ERROR_STATE);
    r = ftp_transfer_close(t);
    CHECK_MSG(s, r != FTP_ERROR_INTERNAL && r != FTP_ERROR_INVALID_ARGUMENT,
              "ftp_transfer_close after ftp_close: %s", ftp_result_name(r));
    CHECK_OK(s, ftp_connect(s, V.host, V.port));
    CHECK_OK(s, ftp_login(s, NULL, NULL, NULL));
    CHECK_OK(s, ftp_cwd(s, "pub"));
    memset(&b, 0, sizeof b);
    CHECK_OK(s, ftp_retrbinary(s, "RETR hello.txt", tu_buf_sink, &b, 0, FTP_NO_REST));
    CHECK_MEM(s, b.data, b.len, "hello world\n", 12);
    tu_buf_free(&b);
    ftp_session_free(s);
}

static void test_abort(void)
{
    ftp_session *s = open_pub();
    ftp_transfer *t = NULL;
    uint8_t buf[8192];
    size_t got = 0, n;
    ftp_result r;
    int code;

    tu_step("ftp_abort with no transfer: 225 accepted");
    CHECK_OK(s, ftp_abort(s));
    code = ftp_last_code(s);
    CHECK_MSG(s, code == 225 || code == 226, "ABOR answered %d", code);
    CHECK_NOOP(s);

    tu_step("ftp_abort during a big download");
    CHECK_OK(s, ftp_voidcmd(s, "TYPE I"));
    CHECK_OK(s, ftp_transfercmd(s, "RETR big.bin", FTP_NO_REST, &t));
    while (got < 65536) {
        CHECK_OK(s, ftp_transfer_read(t, buf, sizeof buf, &n));
        CHECK(s, n > 0);
        CHECK_MEM(s, buf, n, BIG + got, n);
        got += n;
    }
    CHECK_OK(s, ftp_abort(s));
    code = ftp_last_code(s);
    CHECK_MSG(s, code == 426 || code == 225 || code == 226, "ABOR answered %d", code);
    r = ftp_transfer_close(t);
    printf("   ftp_transfer_close after ftp_abort: %s\n", ftp_result_name(r));
    CHECK_MSG(s, r != FTP_ERROR_INTERNAL && r != FTP_ERROR_INVALID_ARGUMENT,
              "ftp_transfer_close after ftp_abort: %s", ftp_result_name(r));
    tu_step("after the abort the session is in step: NOOP -> 200, fresh download exact");
    CHECK_NOOP(s);
    CHECK_STR(s, ftp_last_response(s), "200 NOOP ok.");
    CHECK_NOOP(s);
    retr_compare(s, "big.bin", 0, FTP_NO_REST);
    ftp_session_free(s);
}

static void test_callback_stop(void)
{
    ftp_session *s = open_pub();
    tu_buf b;
    tu_lines l;
    tu_src src;
    uint8_t *data = tu_gen_data(200000, 777);
    char *name = tu_unique("cbstop.bin");
    char *cmd = tu_strf("STOR %s", name);
    char *path = pubfile(name);

    tu_step("retrbinary callback stops after the first block -> FTP_ERROR_CALLBACK");
    memset(&b, 0, sizeof b);
    b.stop_after = 1;
    CHECK_RES(s, ftp_retrbinary(s, "RETR big.bin", tu_buf_sink, &b, 0, FTP_NO_REST),
              FTP_ERROR_CALLBACK);
    CHECK_INT(s, b.calls, 1);
    CHECK_MEM(s, b.data, b.len, BIG, b.len);
    CHECK_MSG(s, ftp_last_error(s)[0] != '\0', "no sentence after FTP_ERROR_CALLBACK");
    tu_buf_free(&b);
    CHECK_NOOP(s);
    retr_compare(s, "big.bin", 0, FTP_NO_REST);

    tu_step("retrbinary callback stops on a small file (whole file in one block)");
    memset(&b, 0, sizeof b);
    b.stop_after = 1;
    CHECK_RES(s, ftp_retrbinary(s, "RETR hello.txt", tu_buf_sink, &b, 0, FTP_NO_REST),
              FTP_ERROR_CALLBACK);
    tu_buf_free(&b);
    CHECK_NOOP(s);
    retr_compare(s, "hello.txt", 0, FTP_NO_REST);

    tu_step("retrlines callback stops at line 2");
    memset(&l, 0, sizeof l);
    l.stop_after = 2;
    CHECK_RES(s, ftp_retrlines(s, "RETR lines.txt", tu_lines_sink, &l), FTP_ERROR_CALLBACK);
    CHECK_INT(s, l.n, 2);
    tu_lines_free(&l);
    CHECK_NOOP(s);

    tu_step("dir/nlst callback stops at line 1");
    memset(&l, 0, sizeof l);
    l.stop_after = 1;
    CHECK_RES(s, ftp_dir(s, NULL, tu_lines_sink, &l), FTP_ERROR_CALLBACK);
    CHECK_INT(s, l.n, 1);
    tu_lines_free(&l);
    CHECK_NOOP(s);
    memset(&l, 0, sizeof l);
    l.stop_after = 1;
    CHECK_RES(s, ftp_nlst(s, NULL, tu_lines_sink, &l), FTP_ERROR_CALLBACK);
    CHECK_INT(s, l.n, 1);
    tu_lines_free(&l);
    CHECK_NOOP(s);

    tu_step("storbinary read callback returns -1 on its 3rd call -> FTP_ERROR_CALLBACK");
    memset(&src, 0, sizeof src);
    src.data = data;
    src.len = 200000;
    src.fail_at = 3;
    CHECK_RES(s, ftp_storbinary(s, cmd, tu_src_read, &src, 1000, NULL, FTP_NO_REST),
              FTP_ERROR_CALLBACK);
    CHECK_INT(s, src.calls, 3);
    CHECK_NOOP(s);
    stor_compare(s, name, data, 200000, 0, 0);

    tu_step("storbinary `sent` callback stops at block 2 -> FTP_ERROR_CALLBACK");
    {
        tu_upload up;
        memset(&up, 0, sizeof up);
        up.src.data = data;
        up.src.len = 200000;
        up.sent.stop_after = 2;
        CHECK_RES(s, ftp_storbinary(s, cmd, tu_src_read, &up, 1000, tu_upload_sent, FTP_NO_REST),
                  FTP_ERROR_CALLBACK);
        CHECK_INT(s, up.sent.calls, 2);
        CHECK_MSG(s, up.src.pos < 200000, "the upload went on after the callback said stop");
        tu_upload_free(&up);
    }
    CHECK_NOOP(s);

    tu_step("storlines read callback returns -1 -> FTP_ERROR_CALLBACK");
    memset(&src, 0, sizeof src);
    src.data = (const uint8_t *)"one\ntwo\nthree\n";
    src.len = 14;
    src.chunk = 4;
    src.fail_at = 2;
    CHECK_RES(s, ftp_storlines(s, cmd, tu_src_read, &src, NULL), FTP_ERROR_CALLBACK);
    CHECK_NOOP(s);
    stor_compare(s, name, data, 1234, 0, 0);
    CHECK_OK(s, ftp_delete(s, name));
    CHECK(s, !tu_exists(path));

    ftp_session_free(s);
    free(data); free(name); free(cmd); free(path);
}

static void test_modes(void)
{
    ftp_session *s = ftp_session_new();
    tu_lines dbg;
    uint8_t *data = tu_gen_data(1024 * 1024 + 7, 99);
    char *name = tu_unique("mode.bin");
    tu_lines l;

    memset(&dbg, 0, sizeof dbg);
    CHECK_OK(s, ftp_set_timeout_ms(s, 30000));
    CHECK_OK(s, ftp_set_debug_callback(s, tu_debug_sink, &dbg));
    CHECK_OK(s, ftp_set_debuglevel(s, 1));
    CHECK_OK(s, ftp_connect(s, V.host, V.port));
    CHECK_OK(s, ftp_login(s, NULL, NULL, NULL));
    CHECK_OK(s, ftp_cwd(s, "pub"));

    tu_step("active mode (PORT): download + upload byte-exact");
    CHECK_OK(s, ftp_set_pasv(s, false));
    tu_lines_free(&dbg);
    retr_compare(s, "big.bin", 0, FTP_NO_REST);
    stor_compare(s, name, data, 1024 * 1024 + 7, 0, 0);
    memset(&l, 0, sizeof l);
    CHECK_OK(s, ftp_nlst(s, NULL, tu_lines_sink, &l));
    CHECK(s, tu_lines_index(&l, name) >= 0);
    tu_lines_free(&l);
    if (tu_lines_count_prefix(&dbg, "*cmd* 'PORT 127,0,0,1,") < 3) {
        tu_lines_dump(&dbg, "debug");
        CHECK_MSG(s, 0, "active mode did not send PORT 127,0,0,1,... for each transfer");
    }
    CHECK_MSG(s, tu_lines_count_prefix(&dbg, "*cmd* 'PASV'") + tu_lines_count_prefix(&dbg, "*cmd* 'EPSV'") == 0,
              "PASV/EPSV sent in active mode");

    tu_step("passive mode: download + upload byte-exact");
    CHECK_OK(s, ftp_set_pasv(s, true));
    tu_lines_free(&dbg);
    retr_compare(s, "big.bin", 0, FTP_NO_REST);
    stor_compare(s, name, data + 1, 1024 * 1024, 0, 0);
    if (tu_lines_count_prefix(&dbg, "*cmd* 'PASV'") + tu_lines_count_prefix(&dbg, "*cmd* 'EPSV'") <
        2) {
        tu_lines_dump(&dbg, "debug");
        CHECK_MSG(s, 0, "passive mode did not send PASV/EPSV for each transfer");
    }
    CHECK_MSG(s, tu_lines_count_containing(&dbg, "*cmd* 'PORT") == 0, "PORT sent in passive mode");

    tu_step("trust_server_pasv_ipv4_address true/false: both transfer");
    CHECK_OK(s, ftp_set_trust_server_pasv_ipv4_address(s, true));
    retr_compare(s, "hello.txt", 0, FTP_NO_REST);
    retr_compare(s, "big.bin", 0, 5000);
    CHECK_OK(s, ftp_set_trust_server_pasv_ipv4_address(s, false));
    retr_compare(s, "hello.txt", 0, FTP_NO_REST);

    tu_step("active mode again after passive");
    CHECK_OK(s, ftp_set_pasv(s, false));
    retr_compare(s, "lines.txt", 0, FTP_NO_REST);
    CHECK_OK(s, ftp_delete(s, name));
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
    tu_lines_free(&dbg);
    free(data);
    free(name);
}

static void test_debug(void)
{
    ftp_session *s;
    tu_lines dbg;
    size_t i, before;

    /* vsftpd runs with no_anon_password=YES: USER anonymous gets 230 at
     * once and no PASS is sent (PASS masking: see test_pyftpd). */
    tu_step("debuglevel 1: *welcome*, *cmd*, *resp*; no password anywhere");
    memset(&dbg, 0, sizeof dbg);
    s = ftp_session_new();
    CHECK_OK(s, ftp_set_timeout_ms(s, 30000));
    CHECK_OK(s, ftp_set_debuglevel(s, 1));
    CHECK_OK(s, ftp_set_debug_callback(s, tu_debug_sink, &dbg));
    CHECK_OK(s, ftp_connect(s, V.host, V.port));
    CHECK(s, ftp_getwelcome(s) != NULL); /* ftplib prints *welcome* here */
    CHECK_OK(s, ftp_login(s, "anonymous", "secretpw", NULL));
    CHECK_NOOP(s);
    CHECK_MSG(s, dbg.bad == 0, "debug callback got a NULL line");
    for (i = 0; i < dbg.n; i++)
        CHECK_MSG(s, strstr(dbg.lines[i], "secretpw") == NULL, "password in debug line: %s",
                  dbg.lines[i]);
    if (tu_lines_count_prefix(&dbg, "*welcome* '220") < 1 ||
        tu_lines_count_prefix(&dbg, "*cmd* 'USER anonymous'") != 1 ||
        tu_lines_count_prefix(&dbg, "*cmd* 'PASS") != 0 ||
        tu_lines_count_prefix(&dbg, "*resp* '230 Login successful.'") != 1 ||
        tu_lines_count_prefix(&dbg, "*cmd* 'NOOP'") != 1 ||
        tu_lines_count_prefix(&dbg, "*resp* '200 NOOP ok.'") != 1 ||
        tu_lines_count_prefix(&dbg, "*put*") != 0 || tu_lines_count_prefix(&dbg, "*get*") != 0) {
        tu_lines_dump(&dbg, "debug lines (level 1)");
        CHECK_MSG(s, 0, "level 1 debug output differs from ftplib's");
    }

    tu_step("debuglevel 0: silent");
    CHECK_OK(s, ftp_set_debuglevel(s, 0));
    before = dbg.n;
    CHECK_NOOP(s);
    CHECK_INT(s, dbg.n, before);

    tu_step("NULL debug callback: lines go to stderr");
    {
        tu_capture cap;
        size_t len;
        uint8_t *out;
        ftp_result r1, r2, r3;
        r1 = ftp_set_debug_callback(s, NULL, NULL);
        r2 = ftp_set_debuglevel(s, 1);
        tu_capture_begin(&cap, 2);
        r3 = ftp_sendcmd(s, "NOOP");
        out = tu_capture_end(&cap, &len);
        CHECK_OK(s, r1);
        CHECK_OK(s, r2);
        CHECK_OK(s, r3);
        CHECK_MSG(s, strstr((const char *)out, "*cmd* 'NOOP'") != NULL,
                  "stderr has no *cmd* 'NOOP' line: \"%s\"", (const char *)out);
        CHECK_MSG(s, strstr((const char *)out, "*resp* '200 NOOP ok.'") != NULL,
                  "stderr has no *resp* line: \"%s\"", (const char *)out);
        CHECK_INT(s, dbg.n, before); /* the old callback is no longer called */
        free(out);
    }
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
    tu_lines_free(&dbg);

    tu_step("debuglevel 2: *put* and *get* lines too");
    memset(&dbg, 0, sizeof dbg);
    s = ftp_session_new();
    CHECK_OK(s, ftp_set_timeout_ms(s, 30000));
    CHECK_OK(s, ftp_set_debug_callback(s, tu_debug_sink, &dbg));
    CHECK_OK(s, ftp_set_debuglevel(s, 2));
    CHECK_OK(s, ftp_connect(s, V.host, V.port));
    CHECK_OK(s, ftp_login(s, "anonymous", "secretpw", NULL));
    CHECK_NOOP(s);
    for (i = 0; i < dbg.n; i++)
        CHECK_MSG(s, strstr(dbg.lines[i], "secretpw") == NULL, "password in debug line: %s",
                  dbg.lines[i]);
    if (tu_lines_count_prefix(&dbg, "*cmd* 'USER anonymous'") != 1 ||
        tu_lines_count_prefix(&dbg, "*put* 'USER anonymous") != 1 ||
        tu_lines_count_prefix(&dbg, "*put* 'NOOP") != 1 ||
        tu_lines_count_prefix(&dbg, "*get* '200 NOOP ok.") != 1 ||
        tu_lines_count_prefix(&dbg, "*get* '220") != 1 ||
        tu_lines_count_prefix(&dbg, "*get* '230 Login successful.") != 1 ||
        tu_lines_count_prefix(&dbg, "*resp* '200 NOOP ok.'") != 1) {
        tu_lines_dump(&dbg, "debug lines (level 2)");
        CHECK_MSG(s, 0, "level 2 debug output differs from ftplib's");
    }
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
    tu_lines_free(&dbg);
}

static void test_settings(void)
{
    ftp_session *s;
    tu_buf b;
    static const char cafe_utf8[] = "caf\xc3\xa9";
    char *base = tu_unique("enc");
    char *name = tu_strf("%s_%s.bin", cafe_utf8, base);       /* as given (UTF-8) */
    char *disk_l1 = tu_strf("caf\xe9_%s.bin", base);           /* latin-1 on disk */
    char *disk_u8 = tu_strf("%s_%s.bin", cafe_utf8, base);     /* UTF-8 on disk */
    char *path_l1 = pubfile(disk_l1), *path_u8 = pubfile(disk_u8);
    char *cmd = tu_strf("STOR %s", name);
    tu_src src;
    tu_lines l;

    tu_step("ftp_set_timeout_ms(5000) then a normal session");
    s = ftp_session_new();
    CHECK_OK(s, ftp_set_timeout_ms(s, 5000));
    CHECK_OK(s, ftp_connect(s, V.host, V.port));
    CHECK_OK(s, ftp_login(s, NULL, NULL, NULL));
    CHECK_OK(s, ftp_cwd(s, "pub"));
    retr_compare(s, "big.bin", 0, FTP_NO_REST);
    CHECK_OK(s, ftp_set_timeout_ms(s, 0)); /* blocking, on a live session */
    retr_compare(s, "hello.txt", 0, FTP_NO_REST);
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);

    tu_step("ftp_set_source_address(127.0.0.1, 0) then connect, both modes");
    s = ftp_session_new();
    CHECK_OK(s, ftp_set_timeout_ms(s, 30000));
    CHECK_OK(s, ftp_set_source_address(s, "127.0.0.1", 0));
    CHECK_OK(s, ftp_connect(s, V.host, V.port));
    CHECK_OK(s, ftp_login(s, NULL, NULL, NULL));
    CHECK_OK(s, ftp_cwd(s, "pub"));
    retr_compare(s, "hello.txt", 0, FTP_NO_REST);
    CHECK_OK(s, ftp_set_pasv(s, false));
    retr_compare(s, "hello.txt", 0, FTP_NO_REST);
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);

    tu_step("encoding latin-1: the name goes out as latin-1 bytes");
    s = open_pub();
    CHECK_OK(s, ftp_set_encoding(s, "latin-1"));
    memset(&src, 0, sizeof src);
    src.data = (const uint8_t *)"latin\n";
    src.len = 6;
    CHECK_OK(s, ftp_storbinary(s, cmd, tu_src_read, &src, 0, NULL, FTP_NO_REST));
    CHECK_MSG(s, tu_exists(path_l1), "no file with the latin-1 name on disk (%s)", path_l1);
    CHECK_MSG(s, !tu_exists(path_u8), "file stored under its UTF-8 name in latin-1 mode");
    CHECK_FILE(s, path_l1, "latin\n", 6);
    memset(&l, 0, sizeof l);
    CHECK_OK(s, ftp_nlst(s, NULL, tu_lines_sink, &l)); /* latin-1 bytes back -> UTF-8 */
    if (tu_lines_index(&l, name) < 0) {
        tu_lines_dump(&l, "NLST (latin-1)");
        CHECK_MSG(s, 0, "NLST in latin-1 mode does not show %s", name);
    }
    tu_lines_free(&l);
    memset(&b, 0, sizeof b);
    {
        char *rcmd = tu_strf("RETR %s", name);
        CHECK_OK(s, ftp_retrbinary(s, rcmd, tu_buf_sink, &b, 0, FTP_NO_REST));
        CHECK_MEM(s, b.data, b.len, "latin\n", 6);
        free(rcmd);
    }
    tu_buf_free(&b);
    tu_step("encoding latin-1: a character outside latin-1 -> FTP_ERROR_ENCODING");
    CHECK_RES(s, ftp_sendcmd(s, "STAT \xe2\x82\xac"), FTP_ERROR_ENCODING);
    CHECK_RES(s, ftp_delete(s, "\xe2\x82\xac.txt"), FTP_ERROR_ENCODING);
    CHECK_NOOP(s);
    CHECK_OK(s, ftp_delete(s, name));
    CHECK(s, !tu_exists(path_l1));

    tu_step("encoding utf-8: the same name goes out as UTF-8");
    CHECK_OK(s, ftp_set_encoding(s, "utf-8"));
    memset(&src, 0, sizeof src);
    src.data = (const uint8_t *)"utf8\n";
    src.len = 5;
    CHECK_OK(s, ftp_storbinary(s, cmd, tu_src_read, &src, 0, NULL, FTP_NO_REST));
    CHECK_MSG(s, tu_exists(path_u8), "no file with the UTF-8 name on disk (%s)", path_u8);
    CHECK_MSG(s, !tu_exists(path_l1), "file stored under its latin-1 name in utf-8 mode");
    CHECK_FILE(s, path_u8, "utf8\n", 5);
    memset(&l, 0, sizeof l);
    CHECK_OK(s, ftp_nlst(s, NULL, tu_lines_sink, &l));
    if (tu_lines_index(&l, name) < 0) {
        tu_lines_dump(&l, "NLST (utf-8)");
        CHECK_MSG(s, 0, "NLST in utf-8 mode does not show %s", name);
    }
    tu_lines_free(&l);
    tu_step("encoding utf-8: invalid UTF-8 in a command -> FTP_ERROR_ENCODING or INVALID_ARGUMENT");
    {
        ftp_result r = ftp_sendcmd(s, "STAT \xff\xfe");
        CHECK_MSG(s, r == FTP_ERROR_ENCODING || r == FTP_ERROR_INVALID_ARGUMENT,
                  "invalid UTF-8 input gave %s", ftp_result_name(r));
    }
    CHECK_NOOP(s);
    CHECK_OK(s, ftp_delete(s, name));
    CHECK(s, !tu_exists(path_u8));
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
    free(base); free(name); free(disk_l1); free(disk_u8); free(path_l1); free(path_u8);
    free(cmd);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    tu_server_env("VSFTPD", false, &V);
    PUB = tu_path(V.root, "pub");
    {
        char *p = tu_path(PUB, "big.bin");
        BIG = tu_slurp(p, &BIG_LEN);
        free(p);
    }
    test_connect_login_quit();
    test_commands();
    test_dirs_rename_delete();
    test_retr();
    test_stor();
    test_transfercmd();
    test_free_orders();
    test_abort();
    test_callback_stop();
    test_modes();
    test_debug();
    test_settings();
    free(BIG);
    free(PUB);
    printf("PASS test_vsftpd\n");
    return 0;
}
