/* test_files: the whole-file calls from C against every real server (all
 * rows of server_table.c in one test; TLS rows in TLS 1.3):
 * ftp_download_file / ftp_upload_file whole, verified, resumed from a
 * partial local or remote file at offsets 0, 1, 65537, size-1 and size
 * (byte-exact on the disk), FTP_ATOMIC over an existing file with
 * FTP_CREATE_DIRS and FTP_KEEP_MTIME (no temporary file left);
 * ftp_checksum (ProFTPD's mod_digest: CRC32 checked against a CRC computed
 * here; the other servers have no checksum command: FTP_ERROR_STATE);
 * ftp_makedirs and ftp_remove_tree; ftp_set_retry; bad arguments. The Rust
 * twin is tests/files_servers.rs. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "server_table.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

static uint32_t crc32_of(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    size_t i;
    int k;
    for (i = 0; i < n; i++) {
        c ^= p[i];
        for (k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    }
    return ~c;
}

static long long mtime_of(const char *p)
{
    struct stat st;
    CHECK_MSG(NULL, stat(p, &st) == 0, "stat %s", p);
    return (long long)st.st_mtime;
}

/* No ".part" name left in dir. */
static void no_leftovers(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    CHECK_MSG(NULL, d != NULL, "opendir %s", dir);
    while ((e = readdir(d)) != NULL)
        CHECK_MSG(NULL, strstr(e->d_name, ".part") == NULL, "left over in %s: %s", dir,
                  e->d_name);
    closedir(d);
}

static void rm_rf(const char *dir)
{
    char *cmd = tu_strf("rm -rf '%s'", dir);
    CHECK(NULL, system(cmd) == 0);
    free(cmd);
}

static void cases(const struct row *row, ftp_session *s, const char *remote_root)
{
    size_t big_len, got_len;
    char *big_path = tu_path(remote_root, "big.bin");
    uint8_t *big = tu_read_file(big_path, &big_len);
    char tmpl[] = "/tmp/libftp-test-files-XXXXXX";
    char *dir = mkdtemp(tmpl);
    const size_t offsets[5] = {0, 1, 65537, big_len - 1, big_len};
    size_t i;
    CHECK(NULL, dir != NULL && big_len == 5u << 20);

    tu_step("%s: bad arguments", row->name);
    CHECK_RES(s, ftp_download_file(s, "big.bin", "/tmp/x", 32), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(s, ftp_download_file(s, NULL, "/tmp/x", 0), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(s, ftp_upload_file(s, NULL, "x", 0), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(s, ftp_remove_tree(s, "/"), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(s, ftp_remove_tree(s, "//."), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(s, ftp_remove_tree(s, ""), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(s, ftp_checksum(s, "big.bin", "SHA-512", NULL), FTP_ERROR_INVALID_ARGUMENT);

    tu_step("%s: ftp_checksum", row->name);
    {
        const char *hex = NULL;
        if (row->kind == PROFTPD) {
            char want[9];
            CHECK_OK(s, ftp_checksum(s, "big.bin", NULL, &hex));
            CHECK_INT(s, strlen(hex), 64); /* SHA-256, the best advertised */
            CHECK_OK(s, ftp_checksum(s, "big.bin", "CRC32", &hex));
            snprintf(want, sizeof want, "%08x", (unsigned)crc32_of(big, big_len));
            CHECK_STR(s, hex, want);
        } else {
            CHECK_RES(s, ftp_checksum(s, "big.bin", NULL, &hex), FTP_ERROR_STATE);
            CHECK(s, hex == NULL);
        }
    }

    tu_step("%s: download whole, verified, with retries on", row->name);
    CHECK_OK(s, ftp_set_retry(s, 2, 10));
    {
        char *p = tu_path(dir, "big.bin");
        CHECK_OK(s, ftp_download_file(s, "big.bin", p, 0));
        CHECK_FILE(s, p, big, big_len);
        CHECK_OK(s, ftp_download_file(s, "big.bin", p, FTP_VERIFY));
        CHECK_FILE(s, p, big, big_len);
        free(p);
    }
    CHECK_OK(s, ftp_set_retry(s, 0, 0));

    tu_step("%s: resumed downloads", row->name);
    for (i = 0; i < 5; i++) {
        char *p = tu_path(dir, "resume.bin");
        tu_write_file(p, big, offsets[i]);
        CHECK_OK(s, ftp_download_file(s, "big.bin", p, FTP_RESUME | (i % 2 ? FTP_VERIFY : 0)));
        CHECK_FILE(s, p, big, big_len);
        free(p);
    }

    tu_step("%s: atomic download over a file, new directories, mtime", row->name);
    {
        char *sub = tu_path(dir, "x/y");
        char *p = tu_path(dir, "x/y/atomic.bin");
        unsigned fl = FTP_ATOMIC | FTP_CREATE_DIRS | FTP_KEEP_MTIME | FTP_VERIFY;
        CHECK_OK(s, ftp_download_file(s, "big.bin", p, fl));
        tu_write_file(p, "old", 3);
        CHECK_OK(s, ftp_download_file(s, "big.bin", p, fl));
        CHECK_FILE(s, p, big, big_len);
        CHECK_INT(s, mtime_of(p), mtime_of(big_path));
        no_leftovers(sub);
        free(p);
        free(sub);
    }

    tu_step("%s: uploads, whole and resumed", row->name);
    {
        size_t n = 700000;
        uint8_t *data = tu_gen_data(n, 99);
        char *src = tu_path(dir, "up.bin");
        char *part = tu_path(dir, "part.bin");
        const size_t up_off[5] = {0, 1, 65537, n - 1, n};
        tu_write_file(src, data, n);
        for (i = 0; i < 5; i++) {
            char *name = tu_unique("c-files-up");
            char *on_disk = tu_path(remote_root, name);
            if (up_off[i] > 0) {
                tu_write_file(part, data, up_off[i]);
                CHECK_OK(s, ftp_upload_file(s, part, name, 0));
            }
            CHECK_OK(s, ftp_upload_file(s, src, name, FTP_RESUME | (i % 2 ? 0 : FTP_VERIFY)));
            CHECK_FILE(s, on_disk, data, n);
            CHECK_OK(s, ftp_delete(s, name));
            free(on_disk);
            free(name);
        }

        tu_step("%s: atomic upload over a file into new directories", row->name);
        {
            char *tree = tu_unique("c-files-tree");
            char *remote = tu_strf("%s/a/b/atomic.bin", tree);
            char *on_disk = tu_path(remote_root, remote);
            char *on_dir = tu_strf("%s/%s/a/b", remote_root, tree);
            char *tree_disk = tu_path(remote_root, tree);
            char *deep = tu_strf("%s/c/d", tree);
            char *deep_disk = tu_path(remote_root, deep);
            unsigned fl = FTP_ATOMIC | FTP_CREATE_DIRS | FTP_VERIFY;
            struct timeval tv[2] = {{1500000000, 0}, {1500000000, 0}};
            CHECK(NULL, utimes(src, tv) == 0);
            if (row->kind != VSFTPD) fl |= FTP_KEEP_MTIME; /* anonymous vsftpd: 550 */
            CHECK_OK(s, ftp_upload_file(s, src, remote, fl));
            tu_write_file(part, "old", 3);
            CHECK_OK(s, ftp_upload_file(s, part, remote, 0));
            CHECK_OK(s, ftp_upload_file(s, src, remote, fl));
            CHECK_FILE(s, on_disk, data, n);
            if (fl & FTP_KEEP_MTIME) CHECK_INT(s, mtime_of(on_disk), 1500000000);
            no_leftovers(on_dir);

            tu_step("%s: ftp_makedirs, ftp_remove_tree", row->name);
            CHECK_OK(s, ftp_makedirs(s, deep));
            CHECK_OK(s, ftp_makedirs(s, deep));
            CHECK(s, tu_is_dir(deep_disk));
            CHECK_OK(s, ftp_remove_tree(s, tree));
            CHECK(s, !tu_exists(tree_disk));
            free(deep_disk);
            free(deep);
            free(tree_disk);
            free(on_dir);
            free(on_disk);
            free(remote);
            free(tree);
        }
        free(part);
        free(src);
        free(data);
    }
    (void)got_len;
    rm_rf(dir);
    free(big);
    free(big_path);
}

static bool run_row(const struct row *row) { return run_row_cases(row, cases); }

int main(int argc, char **argv)
{
    int rc = run_rows(argc, argv, run_row);
    if (rc == 0) printf("test_files: OK\n");
    return rc;
}
