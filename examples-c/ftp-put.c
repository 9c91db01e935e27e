/*
 * ftp-put: upload one file over FTP or FTPS with libftp.
 *
 *   ftp-put [OPTIONS] [-c] [--verify] [-p] LOCALFILE URL
 *
 * A file is sent with ftp_upload_file: it goes straight from the local file
 * to the data connection (sendfile(2) inside the kernel on a plain data
 * connection, a 256 KiB buffer under TLS).  -c continues a partial upload
 * (FTP_RESUME: from the server's SIZE, REST + STOR or APPE).  --verify
 * compares the server's copy with the file (HASH / XSHA256 / ... when the
 * server has one, else the size).  -p creates the missing directories of
 * the remote path (FTP_CREATE_DIRS).  '-' reads standard input with
 * ftp_stor_from_fd instead (none of -c, --verify, -p).  Progress comes from
 * libftp's reports (ftp_set_progress_callback).
 *
 * Exit status: 0 success, 1 failure, 2 usage error.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ftp.h"
#include "ftpx.h"

static const char prog[] = "ftp-put";

/* True when a failed ftp_stor_from_fd failed on our side (reading the
 * local file), not on the network: libftp says "on the caller's file
 * descriptor" then. */
static bool input_failed(const ftp_session *s, ftp_result r)
{
    return r == FTP_ERROR_IO && strstr(ftp_last_error(s), "file descriptor") != NULL;
}

int main(int argc, char **argv)
{
    ftpx_opts o;
    char *path = NULL;
    ftpx_copy_flags g = {false, false, false};
    const ftpx_tool tool = {
        .prog = prog,
        .synopsis = "[OPTIONS] [-c] [--verify] [-p] LOCALFILE URL",
        .about = "Upload LOCALFILE ('-' = standard input) in binary mode to the path of URL.\n"
                 "When that path is empty or ends in '/', the local file's name is appended\n"
                 "to it.\n",
        .options = "  -c, --continue     continue a partial upload (from the server's size)\n"
                   "  --verify           compare the server's copy with LOCALFILE (HASH,\n"
                   "                     XSHA256, XSHA1, XMD5 or XCRC when the server has one,\n"
                   "                     else the size)\n"
                   "  -p, --create-dirs  create the remote path's missing directories\n",
        .max_args = 2,
        .option = ftpx_copy_option,
        .option_ctx = &g,
    };
    const char *pos[2] = {NULL, NULL};
    int npos = 0, rc;
    const char *local, *local_base;
    bool from_stdin, dir_url;
    char *remote = NULL, *cmd = NULL;
    size_t plen;
    int in = -1;
    struct stat st;
    int64_t total = -1;
    ftp_session *s = NULL;
    ftp_result r;
    ftpx_progress progress;
    int status = 1;

    rc = ftpx_parse_args(&tool, argc, argv, &o, pos, &npos);
    if (rc >= 0)
        return rc;
    if (npos < 2)
        return ftpx_usage_error(prog, npos == 0 ? "missing LOCALFILE and URL" : "missing URL",
                                NULL);
    local = pos[0];
    from_stdin = strcmp(local, "-") == 0;
    if (from_stdin && (g.resume || g.verify || g.mkdirs))
        return ftpx_usage_error(prog, "-c, --verify and -p need a LOCALFILE, not '-'", NULL);

    if ((rc = ftpx_check_url(&o, pos[1])) != 0)
        return rc;

    /* Open the local file before connecting: a typo costs no connection. */
    if (from_stdin) {
        in = STDIN_FILENO;
    } else {
        in = open(local, O_RDONLY | O_CLOEXEC);
        if (in < 0) {
            fprintf(stderr, "%s: cannot open '%s': %s\n", prog, local, strerror(errno));
            goto done;
        }
    }
    if (fstat(in, &st) != 0) {
        fprintf(stderr, "%s: cannot stat '%s': %s\n", prog, from_stdin ? "<stdin>" : local,
                strerror(errno));
        goto done;
    }
    if (S_ISDIR(st.st_mode)) {
        fprintf(stderr, "%s: '%s' is a directory\n", prog, local);
        goto done;
    }
    if (S_ISREG(st.st_mode)) {
        /* What is left from the current offset (stdin may have been read
         * from already): what ftp_stor_from_fd sends. */
        off_t here = lseek(in, 0, SEEK_CUR);
        total = (int64_t)st.st_size - (here > 0 ? (int64_t)here : 0);
        if (total < 0)
            total = 0;
    }

    s = ftpx_open(&o, pos[1], &path, &status);
    if (s == NULL)
        goto done;

    /* Remote path: append the local name to a directory path. */
    plen = strlen(path);
    local_base = ftpx_basename(local);
    dir_url = plen == 0 || path[plen - 1] == '/';
    if (dir_url && (from_stdin || local_base[0] == '\0')) {
        status = ftpx_usage_error(prog, "the URL names a directory and there is no local "
                                        "file name to append", NULL);
        goto done;
    }
    remote = ftpx_concat(&o, path, dir_url ? local_base : "");
    if (remote == NULL)
        goto done;
    cmd = ftpx_concat(&o, "STOR ", remote);
    if (cmd == NULL)
        goto done;

    ftpx_progress_start(&progress, prog, ftpx_basename(remote), total, o.quiet);
    r = ftpx_progress_attach(&progress, s);
    if (r == FTP_OK && from_stdin)
        r = ftp_stor_from_fd(s, cmd, in, FTP_NO_REST);
    else if (r == FTP_OK)
        r = ftp_upload_file(s, local, remote,
                            (g.resume ? FTP_RESUME : 0u) | (g.verify ? FTP_VERIFY : 0u) |
                                (g.mkdirs ? FTP_CREATE_DIRS : 0u));
    ftpx_progress_end(&progress, r == FTP_OK);
    if (r != FTP_OK) {
        if (input_failed(s, r)) {
            fprintf(stderr, "%s: reading '%s': %s (upload stopped)\n", prog,
                    from_stdin ? "<stdin>" : local, ftp_last_error(s));
        } else {
            char what[600];
            snprintf(what, sizeof what, "uploading to '%s'%s", remote,
                     r == FTP_ERROR_VERIFY ? " (the server's copy does not match)" : "");
            ftpx_report(&o, s, what, r);
        }
        goto done;
    }
    status = 0;

done:
    if (in >= 0 && !from_stdin && close(in) != 0 && status == 0) {
        /* A read-only stream: nothing was lost, but say it. */
        fprintf(stderr, "%s: closing '%s': %s\n", prog, local, strerror(errno));
    }
    ftpx_close(s);
    free(cmd);
    free(remote);
    free(path);
    return status;
}
