/* test_ipv6: the C API against vsftpd listening on ::1 only
 * (FTP_TEST_VSFTPD6_*, same layout as test_vsftpd: anonymous, writable pub/).
 *
 * Passive mode must use EPSV (ftplib: IPv6 -> EPSV, host = control peer)
 * and active mode EPRT |2|::1|port| (ftplib: listen in the control
 * connection's family on its local address).  Downloads and uploads are
 * compared byte for byte with the files on disk; the debug callback shows
 * which commands were sent.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

static tu_server V6;
static char *PUB;

#define CHECK_NOOP(s)                            \
    do {                                         \
        CHECK_OK(s, ftp_sendcmd(s, "NOOP"));     \
        CHECK_CODE(s, 200);                      \
    } while (0)

static void retr_compare(ftp_session *s, const char *name, int64_t rest)
{
    tu_buf b;
    size_t len, off = rest > 0 ? (size_t)rest : 0;
    char *path = tu_path(PUB, name);
    char *cmd = tu_strf("RETR %s", name);
    uint8_t *want = tu_slurp(path, &len);
    memset(&b, 0, sizeof b);
    CHECK_OK(s, ftp_retrbinary(s, cmd, tu_buf_sink, &b, 0, rest));
    CHECK_CODE(s, 226);
    CHECK_MEM(s, b.data, b.len, want + off, len - off);
    tu_buf_free(&b);
    free(want);
    free(cmd);
    free(path);
}

static void stor_compare(ftp_session *s, const char *name, const uint8_t *data, size_t len)
{
    tu_upload up;
    char *path = tu_path(PUB, name);
    char *cmd = tu_strf("STOR %s", name);
    memset(&up, 0, sizeof up);
    up.src.data = data;
    up.src.len = len;
    CHECK_OK(s, ftp_storbinary(s, cmd, tu_src_read, &up, 0, tu_upload_sent, FTP_NO_REST));
    CHECK_CODE(s, 226);
    CHECK_MEM(s, up.sent.data, up.sent.len, data, len);
    CHECK_FILE(s, path, data, len);
    tu_upload_free(&up);
    free(cmd);
    free(path);
}

static void transfers(ftp_session *s, const char *mode, const uint8_t *data, size_t len)
{
    char *name = tu_unique(mode);
    tu_lines l, want;
    size_t llen, i;
    char *lpath = tu_path(PUB, "lines.txt");
    uint8_t *ldata = tu_slurp(lpath, &llen);
    ftp_transfer *t = NULL;
    int64_t expected = -2;
    tu_buf b;
    uint8_t buf[65536];
    size_t n;

    tu_step("%s: retrbinary big.bin, with rest, hello.txt, empty.bin", mode);
    retr_compare(s, "big.bin", FTP_NO_REST);
    retr_compare(s, "big.bin", 123457);
    retr_compare(s, "hello.txt", FTP_NO_REST);
    retr_compare(s, "empty.bin", FTP_NO_REST);

    tu_step("%s: storbinary %zu bytes", mode, len);
    stor_compare(s, name, data, len);

    tu_step("%s: retrlines lines.txt", mode);
    memset(&l, 0, sizeof l);
    memset(&want, 0, sizeof want);
    tu_split_lines(ldata, llen, &want);
    CHECK_OK(s, ftp_retrlines(s, "RETR lines.txt", tu_lines_sink, &l));
    CHECK_MSG(s, l.bad == 0, "malformed line: %s", l.bad_msg);
    CHECK_INT(s, l.n, want.n);
    for (i = 0; i < want.n; i++) CHECK_STR(s, l.lines[i], want.lines[i]);
    tu_lines_free(&l);
    tu_lines_free(&want);

    tu_step("%s: nlst shows the upload", mode);
    memset(&l, 0, sizeof l);
    CHECK_OK(s, ftp_nlst(s, NULL, tu_lines_sink, &l));
    CHECK(s, tu_lines_index(&l, name) >= 0 && tu_lines_index(&l, "hello.txt") >= 0);
    tu_lines_free(&l);

    tu_step("%s: ntransfercmd RETR big.bin + ftp_transfer_read", mode);
    CHECK_OK(s, ftp_voidcmd(s, "TYPE I"));
    CHECK_OK(s, ftp_ntransfercmd(s, "RETR big.bin", FTP_NO_REST, &t, &expected));
    CHECK(s, t != NULL);
    CHECK(s, ftp_transfer_fd(t) >= 0);
    memset(&b, 0, sizeof b);
    for (;;) {
        CHECK_OK(s, ftp_transfer_read(t, buf, sizeof buf, &n));
        if (n == 0) break;
        tu_buf_append(&b, buf, n);
    }
    CHECK_OK(s, ftp_transfer_close(t));
    CHECK_OK(s, ftp_voidresp(s));
    CHECK_CODE(s, 226);
    {
        size_t blen;
        char *bpath = tu_path(PUB, "big.bin");
        uint8_t *big = tu_slurp(bpath, &blen);
        CHECK_INT(s, expected, (long long)blen);
        CHECK_MEM(s, b.data, b.len, big, blen);
        free(big);
        free(bpath);
    }
    tu_buf_free(&b);

    tu_step("%s: ntransfercmd STOR + ftp_transfer_write", mode);
    {
        char *cmd = tu_strf("STOR %s", name);
        char *path = tu_path(PUB, name);
        CHECK_OK(s, ftp_ntransfercmd(s, cmd, FTP_NO_REST, &t, NULL));
        CHECK_OK(s, ftp_transfer_write(t, data, len / 2));
        CHECK_OK(s, ftp_transfer_write(t, data + len / 2, len - len / 2));
        CHECK_OK(s, ftp_transfer_close(t));
        CHECK_OK(s, ftp_voidresp(s));
        CHECK_FILE(s, path, data, len);
        free(cmd);
        free(path);
    }

    CHECK_OK(s, ftp_delete(s, name));
    CHECK_NOOP(s);
    free(name);
    free(ldata);
    free(lpath);
}

int main(void)
{
    ftp_session *s;
    tu_lines dbg;
    const size_t len = 2 * 1024 * 1024 + 3;
    uint8_t *data;
    const char *p = NULL;

    setvbuf(stdout, NULL, _IOLBF, 0);
    tu_server_env("VSFTPD6", false, &V6);
    PUB = tu_path(V6.root, "pub");
    data = tu_gen_data(len, 6666);
    memset(&dbg, 0, sizeof dbg);

    tu_step("connect to [%s]:%u, anonymous login", V6.host, (unsigned)V6.port);
    s = ftp_session_new();
    CHECK_OK(s, ftp_set_timeout_ms(s, 30000));
    CHECK_OK(s, ftp_set_debug_callback(s, tu_debug_sink, &dbg));
    CHECK_OK(s, ftp_set_debuglevel(s, 1));
    CHECK_OK(s, ftp_connect(s, V6.host, V6.port));
    CHECK(s, strncmp(ftp_getwelcome(s), "220", 3) == 0);
    CHECK_OK(s, ftp_login(s, NULL, NULL, NULL));
    CHECK_OK(s, ftp_cwd(s, "pub"));
    CHECK_OK(s, ftp_pwd(s, &p));
    CHECK_STR(s, p, "/pub");

    tu_lines_free(&dbg);
    transfers(s, "epsv", data, len);
    if (tu_lines_count_prefix(&dbg, "*cmd* 'EPSV'") < 6 ||
        tu_lines_count_prefix(&dbg, "*cmd* 'PASV'") != 0 ||
        tu_lines_count_prefix(&dbg, "*cmd* 'EPRT") != 0 ||
        tu_lines_count_prefix(&dbg, "*cmd* 'PORT") != 0) {
        tu_lines_dump(&dbg, "debug");
        CHECK_MSG(s, 0, "passive mode over IPv6 must use EPSV (and only EPSV)");
    }

    CHECK_OK(s, ftp_set_pasv(s, false));
    tu_lines_free(&dbg);
    transfers(s, "eprt", data + 1, len - 1);
    if (tu_lines_count_prefix(&dbg, "*cmd* 'EPRT |2|::1|") < 6 ||
        tu_lines_count_prefix(&dbg, "*cmd* 'PORT") != 0 ||
        tu_lines_count_prefix(&dbg, "*cmd* 'EPSV'") != 0 ||
        tu_lines_count_prefix(&dbg, "*cmd* 'PASV'") != 0) {
        tu_lines_dump(&dbg, "debug");
        CHECK_MSG(s, 0, "active mode over IPv6 must use EPRT |2|::1|port|");
    }
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
    tu_lines_free(&dbg);

    tu_step("ftp_set_source_address(::1, 0), then both modes");
    s = ftp_session_new();
    CHECK_OK(s, ftp_set_timeout_ms(s, 30000));
    CHECK_OK(s, ftp_set_source_address(s, "::1", 0));
    CHECK_OK(s, ftp_connect(s, V6.host, V6.port));
    CHECK_OK(s, ftp_login(s, "", "", ""));
    CHECK_OK(s, ftp_cwd(s, "pub"));
    retr_compare(s, "hello.txt", FTP_NO_REST);
    CHECK_OK(s, ftp_set_pasv(s, false));
    retr_compare(s, "hello.txt", FTP_NO_REST);
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);

    free(data);
    free(PUB);
    printf("PASS test_ipv6\n");
    return 0;
}
