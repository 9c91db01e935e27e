/* test_progress: ftp_set_progress_callback and ftp_set_keepalive from C
 * against vsftpd (plain: retrbinary, storbinary, retrlines, retr_to_fd
 * into a regular file (splice), stor_from_fd from a regular file) and
 * vsftpd FTPS (explicit, TLS 1.3, session reuse required): the first call
 * has bytes 0, the bytes never decrease, the last call has every byte, the
 * path is the command's argument, total the 150 reply's size (the file's
 * size for an fd upload), offset the REST. A callback that stops gives
 * FTP_ERROR_CALLBACK and the session goes on; a call on the session from
 * inside the progress callback gives FTP_ERROR_STATE. The Rust twins are
 * tests/progress.rs (scripted, keepalive NOOPs) and
 * tests/progress_servers.rs. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "server_table.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct rec {
    ftp_session *s;
    size_t calls;
    uint64_t first, last, offset;
    int64_t total;
    char path[256];
    int path_changed;
    int decreased;
    int stop_when_bytes; /* return 1 once bytes > 0 */
    int reenter;         /* call ftp_pwd from inside: must be STATE */
    ftp_result reentered;
} rec;

static int on_progress(void *userdata, const ftp_progress *p)
{
    rec *r = userdata;
    if (r->calls == 0) {
        r->first = p->bytes;
        r->offset = p->offset;
        r->total = p->total;
        snprintf(r->path, sizeof r->path, "%s", p->path);
    } else {
        if (p->bytes < r->last) r->decreased++;
        if (strcmp(p->path, r->path) != 0 || p->offset != r->offset || p->total != r->total)
            r->path_changed++;
    }
    r->last = p->bytes;
    r->calls++;
    if (r->reenter) {
        const char *pwd = NULL;
        r->reentered = ftp_pwd(r->s, &pwd);
    }
    return r->stop_when_bytes && p->bytes > 0;
}

static void reset(rec *r, ftp_session *s)
{
    memset(r, 0, sizeof *r);
    r->s = s;
    CHECK_OK(s, ftp_set_progress_callback(s, on_progress, r, 0));
}

static void check_rec(ftp_session *s, const rec *r, const char *path, uint64_t offset,
                      int64_t total, uint64_t last)
{
    CHECK_MSG(s, r->calls >= 2, "%zu calls", r->calls);
    CHECK_INT(s, r->first, 0);
    CHECK_INT(s, r->last, last);
    CHECK_INT(s, r->decreased, 0);
    CHECK_INT(s, r->path_changed, 0);
    CHECK_STR(s, r->path, path);
    CHECK_INT(s, r->offset, offset);
    CHECK_INT(s, r->total, total);
}

static void transfers(ftp_session *s, const char *dir, const char *label)
{
    rec r;
    tu_buf got = {0};
    size_t big_len = 0;
    char *big_path = tu_path(dir, "big.bin");
    uint8_t *big = tu_read_file(big_path, &big_len);
    uint8_t *data = tu_gen_data(3000000, 7);
    char *local = tu_unique("/tmp/libftp-progress");
    int fd;

    tu_step("%s: retrbinary", label);
    CHECK_OK(s, ftp_set_keepalive(s, 50));
    reset(&r, s);
    CHECK_OK(s, ftp_retrbinary(s, "RETR big.bin", tu_buf_sink, &got, 0, FTP_NO_REST));
    CHECK_MEM(s, got.data, got.len, big, big_len);
    check_rec(s, &r, "big.bin", 0, (int64_t)big_len, big_len);

    tu_step("%s: retrbinary with REST", label);
    reset(&r, s);
    tu_buf_free(&got);
    memset(&got, 0, sizeof got);
    CHECK_OK(s, ftp_retrbinary(s, "RETR big.bin", tu_buf_sink, &got, 0, 1000));
    CHECK_MEM(s, got.data, got.len, big + 1000, big_len - 1000);
    CHECK_INT(s, r.offset, 1000);
    CHECK_INT(s, r.first, 0);
    CHECK_INT(s, r.last, big_len - 1000);

    tu_step("%s: retrlines", label);
    {
        tu_lines lines = {0};
        size_t lines_len = 0;
        char *lp = tu_path(dir, "lines.txt");
        free(tu_read_file(lp, &lines_len));
        reset(&r, s);
        CHECK_OK(s, ftp_retrlines(s, "RETR lines.txt", tu_lines_sink, &lines));
        CHECK(s, lines.n > 0);
        CHECK_INT(s, r.first, 0);
        CHECK_INT(s, r.last, lines_len); /* vsftpd sends the file's LF as is */
        tu_lines_free(&lines);
        free(lp);
    }

    tu_step("%s: storbinary", label);
    {
        tu_upload up = {0};
        char *remote = tu_path(dir, "progress-up.bin");
        up.src.data = data;
        up.src.len = 3000000;
        reset(&r, s);
        CHECK_OK(s, ftp_storbinary(s, "STOR progress-up.bin", tu_src_read, &up, 0, tu_upload_sent,
                                   FTP_NO_REST));
        check_rec(s, &r, "progress-up.bin", 0, -1, 3000000);
        CHECK_FILE(s, remote, data, 3000000);
        tu_upload_free(&up);
        free(remote);
    }

    tu_step("%s: retr_to_fd into a regular file", label);
    fd = open(local, O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(s, fd >= 0);
    reset(&r, s);
    CHECK_OK(s, ftp_retr_to_fd(s, "RETR big.bin", fd, FTP_NO_REST));
    check_rec(s, &r, "big.bin", 0, (int64_t)big_len, big_len);
    CHECK_FILE(s, local, big, big_len);

    tu_step("%s: stor_from_fd from a regular file (sendfile when plain)", label);
    CHECK_OK(s, ftp_set_zero_copy(s, FTP_ZERO_COPY_ALWAYS));
    CHECK(s, lseek(fd, 0, SEEK_SET) == 0);
    reset(&r, s);
    CHECK_OK(s, ftp_stor_from_fd(s, "STOR progress-fd.bin", fd, FTP_NO_REST));
    check_rec(s, &r, "progress-fd.bin", 0, (int64_t)big_len, big_len);
    {
        char *remote = tu_path(dir, "progress-fd.bin");
        CHECK_FILE(s, remote, big, big_len);
        free(remote);
    }
    CHECK_OK(s, ftp_set_zero_copy(s, FTP_ZERO_COPY_AUTO));

    tu_step("%s: a progress callback that stops", label);
    reset(&r, s);
    r.stop_when_bytes = 1;
    CHECK(s, lseek(fd, 0, SEEK_SET) == 0);
    CHECK_RES(s, ftp_retr_to_fd(s, "RETR big.bin", fd, FTP_NO_REST), FTP_ERROR_CALLBACK);
    CHECK(s, strstr(ftp_last_error(s), "progress callback") != NULL);
    reset(&r, s);
    r.stop_when_bytes = 1;
    tu_buf_free(&got);
    memset(&got, 0, sizeof got);
    CHECK_RES(s, ftp_retrbinary(s, "RETR big.bin", tu_buf_sink, &got, 0, FTP_NO_REST),
              FTP_ERROR_CALLBACK);
    CHECK(s, got.len < big_len);

    tu_step("%s: a call from inside the progress callback", label);
    reset(&r, s);
    r.reenter = 1;
    tu_buf_free(&got);
    memset(&got, 0, sizeof got);
    CHECK_OK(s, ftp_retrbinary(s, "RETR big.bin", tu_buf_sink, &got, 0, FTP_NO_REST));
    CHECK_RES(s, r.reentered, FTP_ERROR_STATE);
    CHECK_MEM(s, got.data, got.len, big, big_len);

    tu_step("%s: the session goes on; NULL turns reports off", label);
    CHECK_OK(s, ftp_set_progress_callback(s, NULL, NULL, 0));
    memset(&r, 0, sizeof r);
    CHECK_OK(s, ftp_delete(s, "progress-up.bin"));
    CHECK_OK(s, ftp_delete(s, "progress-fd.bin"));
    CHECK_OK(s, ftp_retrbinary(s, "RETR hello.txt", tu_count_data, &(tu_counter){0}, 0,
                               FTP_NO_REST));
    CHECK_INT(s, r.calls, 0);
    CHECK_OK(s, ftp_set_keepalive(s, 0));

    close(fd);
    unlink(local);
    free(local);
    free(data);
    free(big);
    free(big_path);
    tu_buf_free(&got);
}

int main(void)
{
    tu_server vs, vss;
    const char *cafile;
    ftp_session *s;
    char *dir;

    CHECK_RES(NULL, ftp_set_progress_callback(NULL, on_progress, NULL, 0),
              FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_set_keepalive(NULL, 100), FTP_ERROR_INVALID_ARGUMENT);

    tu_server_env("VSFTPD", false, &vs);
    s = tu_open(&vs, true);
    CHECK_OK(s, ftp_cwd(s, "pub"));
    dir = tu_path(vs.root, "pub");
    transfers(s, dir, "vsftpd");
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
    free(dir);

    tu_server_env("VSFTPDS", false, &vss);
    cafile = getenv("FTP_TEST_TLS_CAFILE");
    CHECK_MSG(NULL, cafile != NULL, "FTP_TEST_TLS_CAFILE is not set");
    s = open_tls_row(&vss, EXPLICIT, cafile, FTP_TLS_1_3);
    CHECK_OK(s, ftp_cwd(s, "pub"));
    dir = tu_path(vss.root, "pub");
    transfers(s, dir, "vsftpd FTPS");
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
    free(dir);
    printf("test_progress: OK\n");
    return 0;
}
