/*
 * ftp-get: download one file over FTP or FTPS with libftp.
 *
 *   ftp-get [OPTIONS] URL [OUTFILE|-]
 *
 * Exit status: 0 success, 1 failure (the partial OUTFILE is removed),
 * 2 usage error.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
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

struct getctx {
    FILE *out;
    ftpx_progress *progress;
    int write_errno; /* set when writing the output failed */
};

static int on_data(void *userdata, const uint8_t *data, size_t len)
{
    struct getctx *c = userdata;

    if (len > 0) {
        errno = 0;
        if (fwrite(data, 1, len, c->out) != len) {
            c->write_errno = errno != 0 ? errno : EIO;
            return 1; /* stop: ftp_retrbinary returns FTP_ERROR_CALLBACK */
        }
    }
    ftpx_progress_add(c->progress, len);
    return 0;
}

/* Flushes, syncs (regular files) and closes the output; 0 or an errno. */
static int finish_output(FILE *out, bool is_stdout)
{
    struct stat st;
    int fd = fileno(out);
    int err = 0;

    if (fflush(out) != 0)
        err = errno != 0 ? errno : EIO;
    if (err == 0 && fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && fsync(fd) != 0)
        err = errno;
    if (!is_stdout) {
        if (fclose(out) != 0 && err == 0)
            err = errno != 0 ? errno : EIO;
    }
    return err;
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
    FILE *out = NULL;
    struct getctx ctx;
    ftpx_progress progress;
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
     * mode; retrbinary sends TYPE I again, which is harmless. */
    r = ftp_voidcmd(s, "TYPE I");
    if (r != FTP_OK) {
        ftpx_report(&o, s, "TYPE I", r);
        goto done;
    }
    r = ftp_size(s, u.path, &size);
    if (r != FTP_OK)
        size = -1; /* no SIZE support or no such file: RETR will tell */

    if (to_stdout) {
        out = stdout;
    } else {
        struct stat st;
        out = fopen(outname, "wb");
        if (out == NULL) {
            fprintf(stderr, "%s: cannot create '%s': %s\n", prog, outname, strerror(errno));
            goto done;
        }
        /* Only a regular file is removed on failure, never a device or a
         * FIFO given as OUTFILE (think /dev/null run as root). */
        remove_on_fail = fstat(fileno(out), &st) == 0 && S_ISREG(st.st_mode);
    }

    memset(&ctx, 0, sizeof ctx);
    ctx.out = out;
    ctx.progress = &progress;
    ftpx_progress_start(&progress, prog, ftpx_basename(u.path), size, o.quiet);
    r = ftp_retrbinary(s, cmd, on_data, &ctx, 65536, FTP_NO_REST);
    ftpx_progress_end(&progress, r == FTP_OK);
    if (r != FTP_OK) {
        if (ctx.write_errno != 0) {
            fprintf(stderr, "%s: writing '%s': %s\n", prog, to_stdout ? "<stdout>" : outname,
                    strerror(ctx.write_errno));
        } else {
            char what[600];
            snprintf(what, sizeof what, "downloading '%s'", u.path);
            ftpx_report(&o, s, what, r);
        }
        goto done;
    }

    {
        FILE *f = out;
        int e;
        out = NULL; /* closed by finish_output, whatever happens */
        e = finish_output(f, to_stdout);
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
    if (out != NULL && !to_stdout) {
        /* Failure after the output was created: drop the partial file. */
        (void)fclose(out);
        if (remove_on_fail && unlink(outname) != 0 && errno != ENOENT)
            fprintf(stderr, "%s: cannot remove the partial '%s': %s\n", prog, outname,
                    strerror(errno));
    } else if (out != NULL) {
        (void)fflush(out);
    }
    ftpx_close(s);
    free(cmd);
    ftpurl_free(&u);
    return status;
}
