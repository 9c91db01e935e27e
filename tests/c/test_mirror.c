/* test_mirror: ftp_pool_mirror from C against vsftpd.
 *
 * Server: vsftpd on 127.0.0.1 (FTP_TEST_VSFTPD_*, anonymous, pub/
 * writable).  Checks:
 *   1. arguments: a NULL pool, a bad direction, an unknown flag bit, NULL
 *      directories give FTP_ERROR_INVALID_ARGUMENT and a zeroed report;
 *      the pool's last error names the bad argument;
 *   2. an upload of a small tree (a 300 KB file, a nested file, an empty
 *      file, an empty directory) into pub/<unique>, byte-exact on the
 *      server's disk, report counts; then a download of it with
 *      FTP_VERIFY into a new directory, byte-exact; no journal left;
 *   3. FTP_MIRROR_NEWER copies nothing the second time (all skipped);
 *      FTP_MIRROR_DELETE removes the one extraneous local file;
 *   4. a file that fails (the server holds a directory where the source
 *      has a file) does not stop the others: FTP_ERROR_PERM, files_failed
 *      1, the last error names the path; report NULL is fine (with the
 *      journal of that unfinished run, the target is listed and the file
 *      refused before any transfer: FTP_ERROR_STATE).
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BIG_LEN 300000u

static const char *const NAMES[] = {"big.bin", "sub/nested.txt", "sub/empty.bin"};
#define NNAMES 3

static void check_tree(const char *root, uint8_t *const want[], const size_t want_len[])
{
    int i;
    for (i = 0; i < NNAMES; i++) {
        char *p = tu_path(root, NAMES[i]);
        CHECK_FILE(NULL, p, want[i], want_len[i]);
        free(p);
    }
    {
        char *e = tu_path(root, "emptydir");
        CHECK_MSG(NULL, tu_is_dir(e), "%s is not a directory", e);
        free(e);
    }
}

static void remove_tree(const char *root)
{
    const char *const extra[] = {"sub/x", "x/inside", "x", "sub", "emptydir"};
    int i;
    for (i = 0; i < NNAMES; i++) {
        char *p = tu_path(root, NAMES[i]);
        unlink(p);
        free(p);
    }
    for (i = 0; i < 5; i++) {
        char *p = tu_path(root, extra[i]);
        if (unlink(p) != 0)
            rmdir(p);
        free(p);
    }
    rmdir(root);
}

static void check_zero(const ftp_mirror_report *r)
{
    CHECK(NULL, r->files_copied == 0 && r->files_skipped == 0 && r->files_deleted == 0 &&
                    r->files_failed == 0 && r->bytes == 0);
}

int main(void)
{
    tu_server srv;
    char src[] = "/tmp/libftp-ctest-mirror-src.XXXXXX";
    char dst[] = "/tmp/libftp-ctest-mirror-dst.XXXXXX";
    char *url, *tag, *pub, *on_server, *p, *journal;
    uint8_t *want[NNAMES];
    size_t want_len[NNAMES] = {BIG_LEN, 12, 0};
    ftp_mirror_report r;
    ftp_pool *pool;
    int i;

    tu_server_env("VSFTPD", false, &srv);
    url = tu_strf("ftp://%s:%u/pub", srv.host, (unsigned)srv.port);
    pool = ftp_pool_new(url, NULL, 3);
    CHECK(NULL, pool != NULL);
    CHECK(NULL, mkdtemp(src) != NULL && mkdtemp(dst) != NULL);

    tu_step("bad arguments");
    memset(&r, 0xff, sizeof r);
    CHECK_RES(NULL, ftp_pool_mirror(NULL, FTP_MIRROR_DOWNLOAD, "x", dst, 0, &r),
              FTP_ERROR_INVALID_ARGUMENT);
    check_zero(&r);
    memset(&r, 0xff, sizeof r);
    CHECK_RES(NULL, ftp_pool_mirror(pool, 2, "x", dst, 0, &r), FTP_ERROR_INVALID_ARGUMENT);
    check_zero(&r);
    CHECK_MSG(NULL, strstr(ftp_pool_last_error(pool), "direction 2") != NULL, "%s",
              ftp_pool_last_error(pool));
    CHECK_RES(NULL, ftp_pool_mirror(pool, -1, "x", dst, 0, &r), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_pool_mirror(pool, FTP_MIRROR_UPLOAD, "x", src, 128u, &r),
              FTP_ERROR_INVALID_ARGUMENT);
    CHECK_MSG(NULL, strstr(ftp_pool_last_error(pool), "0x80") != NULL, "%s",
              ftp_pool_last_error(pool));
    CHECK_RES(NULL, ftp_pool_mirror(pool, FTP_MIRROR_UPLOAD, NULL, src, 0, &r),
              FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(NULL, ftp_pool_mirror(pool, FTP_MIRROR_UPLOAD, "x", NULL, 0, NULL),
              FTP_ERROR_INVALID_ARGUMENT);

    tu_step("upload a tree");
    want[0] = tu_gen_data(BIG_LEN, 21);
    want[1] = (uint8_t *)tu_strf("nested file\n");
    want[2] = (uint8_t *)tu_strf("%s", "");
    p = tu_path(src, "sub");
    CHECK(NULL, mkdir(p, 0755) == 0);
    free(p);
    p = tu_path(src, "emptydir");
    CHECK(NULL, mkdir(p, 0755) == 0);
    free(p);
    for (i = 0; i < NNAMES; i++) {
        p = tu_path(src, NAMES[i]);
        tu_write_file(p, want[i], want_len[i]);
        free(p);
    }
    tag = tu_unique("cmirror");
    pub = tu_path(srv.root, "pub");
    on_server = tu_path(pub, tag);
    CHECK_OK(NULL, ftp_pool_mirror(pool, FTP_MIRROR_UPLOAD, tag, src, 0, &r));
    CHECK_INT(NULL, r.files_copied, NNAMES);
    CHECK_INT(NULL, r.bytes, BIG_LEN + 12);
    CHECK_INT(NULL, r.files_failed, 0);
    check_tree(on_server, want, want_len);
    journal = tu_path(src, ".ftp-mirror.journal");
    CHECK(NULL, !tu_exists(journal));
    free(journal);

    tu_step("download it with FTP_VERIFY");
    CHECK_OK(NULL, ftp_pool_mirror(pool, FTP_MIRROR_DOWNLOAD, tag, dst, FTP_VERIFY, &r));
    CHECK_INT(NULL, r.files_copied, NNAMES);
    check_tree(dst, want, want_len);

    tu_step("FTP_MIRROR_NEWER skips everything, FTP_MIRROR_DELETE removes the extra file");
    p = tu_path(dst, "sub/x");
    tu_write_file(p, "extra", 5);
    CHECK_OK(NULL, ftp_pool_mirror(pool, FTP_MIRROR_DOWNLOAD, tag, dst, FTP_MIRROR_NEWER, &r));
    CHECK_INT(NULL, r.files_copied, 0);
    CHECK_INT(NULL, r.files_skipped, NNAMES);
    CHECK(NULL, tu_exists(p));
    CHECK_OK(NULL, ftp_pool_mirror(pool, FTP_MIRROR_DOWNLOAD, tag, dst,
                                   FTP_MIRROR_NEWER | FTP_MIRROR_DELETE, &r));
    CHECK_INT(NULL, r.files_deleted, 1);
    CHECK(NULL, !tu_exists(p));
    free(p);

    tu_step("one failed file does not stop the others");
    p = tu_path(src, "x");
    tu_write_file(p, "a file here", 11);
    free(p);
    p = tu_path(on_server, "x");
    CHECK(NULL, mkdir(p, 0755) == 0);
    free(p);
    p = tu_path(on_server, "x/inside");
    tu_write_file(p, "in the way", 10);
    free(p);
    CHECK_RES(NULL, ftp_pool_mirror(pool, FTP_MIRROR_UPLOAD, tag, src, 0, &r), FTP_ERROR_PERM);
    CHECK_INT(NULL, r.files_failed, 1);
    CHECK_INT(NULL, r.files_copied, NNAMES);
    CHECK_MSG(NULL, strstr(ftp_pool_last_error(pool), "[mirror: x failed; 1 failure(s)") != NULL,
              "%s", ftp_pool_last_error(pool));
    /* Again, with report NULL: the journal of the unfinished run makes the
     * mirror list the server's tree, so x is refused before any STOR. */
    CHECK_RES(NULL, ftp_pool_mirror(pool, FTP_MIRROR_UPLOAD, tag, src, 0, NULL),
              FTP_ERROR_STATE);
    CHECK_MSG(NULL, strstr(ftp_pool_last_error(pool), "another kind") != NULL, "%s",
              ftp_pool_last_error(pool));

    ftp_pool_free(pool);
    remove_tree(on_server);
    remove_tree(src);
    p = tu_path(src, ".ftp-mirror.journal");
    unlink(p);
    free(p);
    rmdir(src);
    remove_tree(dst);
    for (i = 0; i < NNAMES; i++)
        free(want[i]);
    free(on_server);
    free(pub);
    free(tag);
    free(url);
    printf("test_mirror: ok\n");
    return 0;
}
