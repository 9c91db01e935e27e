/*
 * ftp-get: download one file over FTP or FTPS with libftp.
 *
 *   ftp-get [OPTIONS] URL [OUTFILE|-]
 *
 * The data goes straight from the data connection to the output descriptor
 * with ftp_retr_to_fd (splice(2) inside the kernel on a plain data
 * connection, a 256 KiB buffer under TLS); the progress display reads the
 * output's file offset (ftpx_fd_watch).  Standard output that is a pipe or
 * a terminal has no offset to read: no live display then, and the summary
 * line says "done" without a byte count.
 *
 * Exit status: 0 success, 1 failure (the partial OUTFILE is removed),
 * 2 usage error.
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
#include "ftpurl.h"

static const char prog[] = "ftp-get";

static const ftpx_tool tool = {
    .prog = prog,
    .synopsis = "[OPTIONS] URL [OUTFILE|-]",
    .about = "Download the file at URL in binary mode (TYPE I, RETR) to OUTFILE, by default\n"
             "the last part of the URL's path in the current directory; '-' writes to\n"
             "standard output.\n",
    .exit_note = " (a partial OUTFILE is removed)",
    .max_args = 2,
};

/* Syncs a regular file and closes it (unless it is standard output);
 * 0 or an errno. */
static int finish_output(int fd, bool is_stdout)
{
    struct stat st;
    int err = 0;

    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && fsync(fd) != 0)
        err = errno;
    if (!is_stdout && close(fd) != 0 && err == 0)
        err = errno;
    return err;
}

/* True when a failed ftp_retr_to_fd failed on our side (writing the
 * output), not on the network: libftp says "on the caller's file
 * descriptor" then. */
static bool output_failed(const ftp_session *s, ftp_result r)
{
    return r == FTP_ERROR_IO && strstr(ftp_last_error(s), "file descriptor") != NULL;
}

int main(int argc, char **argv)
{
    ftpx_opts o;
    ftpurl u;
    const char *pos[2] = {NULL, NULL};
    int npos = 0, rc;
    const char *outname;
    bool to_stdout;
    bool remove_on_fail = false; /* OUTFILE is a regular file we created */
    ftp_session *s = NULL;
    ftp_result r;
    int64_t size = -1;
    char *cmd = NULL;
    int out = -1;
    ftpx_progress progress;
    ftpx_fd_watch watch;
    int status = 1;

    rc = ftpx_parse_args(&tool, argc, argv, &o, pos, &npos);
    if (rc >= 0)
        return rc;
    if (npos < 1)
        return ftpx_usage_error(prog, "missing URL", NULL);
    if ((rc = ftpx_parse_url(&o, pos[0], &u)) != 0)
        return rc;
    if (u.path[0] == '\0' || u.path[strlen(u.path) - 1] == '/') {
        ftpurl_free(&u);
        return ftpx_usage_error(prog, "the URL names a directory, not a file:", pos[0]);
    }
    outname = pos[1] != NULL ? pos[1] : ftpx_basename(u.path);
    to_stdout = strcmp(outname, "-") == 0;
    if (outname[0] == '\0') {
        ftpurl_free(&u);
        return ftpx_usage_error(prog, "empty output file name", NULL);
    }

    cmd = ftpx_concat(&o, "RETR ", u.path);
    if (cmd == NULL)
        goto done;

    s = ftpx_open(&o, &u);
    if (s == NULL)
        goto done;

    /* SIZE is only meaningful (and pyftpdlib only answers it) in binary
     * mode.  ftp_retr_to_fd needs TYPE I too, but libftp sends TYPE only
     * when it changes: it is not sent twice. */
    r = ftp_voidcmd(s, "TYPE I");
    if (r != FTP_OK) {
        ftpx_report(&o, s, "TYPE I", r);
        goto done;
    }
    r = ftp_size(s, u.path, &size);
    if (r != FTP_OK)
        size = -1; /* no SIZE support or no such file: RETR will tell */

    if (to_stdout) {
        out = STDOUT_FILENO; /* never removed on failure */
    } else {
        struct stat st;
        out = open(outname, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (out < 0) {
            fprintf(stderr, "%s: cannot create '%s': %s\n", prog, outname, strerror(errno));
            goto done;
        }
        /* Only a regular file is removed on failure, never a device or a
         * FIFO given as OUTFILE (think /dev/null run as root). */
        remove_on_fail = fstat(out, &st) == 0 && S_ISREG(st.st_mode);
    }

    ftpx_progress_start(&progress, prog, ftpx_basename(u.path), size, o.quiet);
    ftpx_fd_watch_start(&watch, &progress, out);
    r = ftp_retr_to_fd(s, cmd, out, FTP_NO_REST);
    ftpx_fd_watch_stop(&watch);
    ftpx_progress_end(&progress, r == FTP_OK);
    if (r != FTP_OK) {
        if (output_failed(s, r)) {
            fprintf(stderr, "%s: writing '%s': %s\n", prog, to_stdout ? "<stdout>" : outname,
                    ftp_last_error(s));
        } else {
            char what[600];
            snprintf(what, sizeof what, "downloading '%s'", u.path);
            ftpx_report(&o, s, what, r);
        }
        goto done;
    }

    {
        int fd = out, e;
        out = -1; /* closed by finish_output, whatever happens */
        e = finish_output(fd, to_stdout);
        if (e != 0) {
            fprintf(stderr, "%s: writing '%s': %s\n", prog, to_stdout ? "<stdout>" : outname,
                    strerror(e));
            if (remove_on_fail && unlink(outname) != 0 && errno != ENOENT)
                fprintf(stderr, "%s: cannot remove '%s': %s\n", prog, outname, strerror(errno));
            goto done;
        }
    }
    status = 0;

done:
    if (out >= 0 && !to_stdout) {
        /* Failure after the output was created: drop the partial file. */
        (void)close(out);
        if (remove_on_fail && unlink(outname) != 0 && errno != ENOENT)
            fprintf(stderr, "%s: cannot remove the partial '%s': %s\n", prog, outname,
                    strerror(errno));
    }
    ftpx_close(s);
    free(cmd);
    ftpurl_free(&u);
    return status;
}
