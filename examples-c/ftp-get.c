/*
 * ftp-get: download one file over FTP or FTPS with libftp.
 *
 *   ftp-get [OPTIONS] [-c] [--verify] [-p] [-n S] URL [OUTFILE|-]
 *
 * A file is fetched with ftp_download_file: the data goes straight from the
 * data connection to the file (splice(2) inside the kernel on a plain data
 * connection, a 256 KiB buffer under TLS).  Without -c it is written under a
 * temporary name and renamed over OUTFILE when complete (FTP_ATOMIC): a
 * failure leaves OUTFILE as it was.  -c continues a partial OUTFILE
 * (FTP_RESUME: REST from its size; a server that refuses REST is an error,
 * the partial file is kept).  --verify compares the copy with the server's
 * (HASH / XSHA256 / ... when the server has one, else the size): a mismatch
 * is an error.  -p creates OUTFILE's missing directories.  '-' writes to
 * standard output with ftp_retr_to_fd instead (none of -c, --verify, -p).
 * Progress comes from libftp's reports (ftp_set_progress_callback).
 * -n S (S >= 2) downloads in S segments at once, each on its own connection
 * of an ftp_pool (ftp_pool_download_segmented: REST + RETR per segment,
 * segments rebalanced when one finishes early); libftp falls back to one
 * stream when the server cannot (no REST STREAM or SIZE, a small file) and
 * with -c.
 *
 * Exit status: 0 success, 1 failure, 2 usage error.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ftp.h"
#include "ftppool.h"
#include "ftpx.h"

static const char prog[] = "ftp-get";

/* True when a failed ftp_retr_to_fd failed on our side (writing the
 * output), not on the network: libftp says "on the caller's file
 * descriptor" then. */
static bool output_failed(const ftp_session *s, ftp_result r)
{
    return r == FTP_ERROR_IO && strstr(ftp_last_error(s), "file descriptor") != NULL;
}

/* ftp-get's options: -n S, then -c / --verify / -p. */
typedef struct get_opts {
    ftpx_copy_flags copy;
    unsigned segments;
} get_opts;

static int get_option(void *ctx, const char *name, int argc, char **argv, int *i)
{
    get_opts *g = ctx;
    if (strcmp(argv[*i], "-n") == 0 || strcmp(argv[*i], "--segments") == 0) {
        return ftpx_count_option(name, argc, argv, i, &g->segments);
    }
    return ftpx_copy_option(&g->copy, name, argc, argv, i);
}

/* Whether the URL's decoded path names a file; else prints why (a usage
 * error). */
static bool names_file(const char *path)
{
    if (path[0] != '\0' && path[strlen(path) - 1] != '/')
        return true;
    ftpx_usage_error(prog, "the URL names a directory, not a file", NULL);
    return false;
}

/* -n S: the segmented download over a pool of S sessions (from the
 * server's login directory, the URL's path as the remote name); prints
 * its own errors. */
static int segmented(const ftpx_opts *o, const char *url, const char *out, unsigned segments,
                     unsigned flags)
{
    char *path = NULL;
    int status = 1;
    ftp_pool *p = ftpx_open_pool(o, url, segments, &path, &status);
    const char *outname;
    ftpx_pool_progress progress;
    ftp_result r;
    char what[600];
    double seconds;

    if (p == NULL)
        return status;
    if (!names_file(path)) {
        ftp_pool_free(p);
        free(path);
        return 2;
    }
    outname = out != NULL ? out : ftpx_basename(path);
    r = ftpx_pool_progress_attach(&progress, p, prog, o->quiet);
    if (r == FTP_OK)
        r = ftp_pool_download_segmented(p, path, outname, segments, flags);
    /* The error first: detaching the progress display is a call on the
     * pool, which replaces this thread's last error. */
    if (r != FTP_OK) {
        snprintf(what, sizeof what, "downloading '%s' to '%s' in %u segments", path, outname,
                 segments);
        ftpx_pool_report(o, p, what, r);
    }
    seconds = ftpx_pool_progress_end(&progress, p);
    if (r == FTP_OK && !o->quiet) {
        fprintf(stderr, "%s: %s: done in %.1f s over up to %u connections\n", prog, outname,
                seconds, segments);
    }
    ftp_pool_free(p);
    free(path);
    return r == FTP_OK ? 0 : 1;
}

/* Standard output: ftp_retr_to_fd (libftp sends TYPE I first). */
static ftp_result to_stdout(ftp_session *s, const ftpx_opts *o, const char *path)
{
    char *cmd = ftpx_concat(o, "RETR ", path);
    ftp_result r;
    if (cmd == NULL)
        return FTP_ERROR_INVALID_ARGUMENT;
    r = ftp_retr_to_fd(s, cmd, STDOUT_FILENO, FTP_NO_REST);
    free(cmd);
    return r;
}

int main(int argc, char **argv)
{
    ftpx_opts o;
    char *path = NULL;
    const char *pos[2] = {NULL, NULL};
    int npos = 0, rc;
    const char *outname;
    bool stdout_out;
    get_opts go = {{false, false, false}, 1u};
    ftpx_copy_flags g;
    const ftpx_tool tool = {
        .prog = prog,
        .synopsis = "[OPTIONS] [-c] [--verify] [-p] [-n S] URL [OUTFILE|-]",
        .about = "Download the file at URL in binary mode to OUTFILE, by default the last part\n"
                 "of the URL's path in the current directory; '-' writes to standard output.\n"
                 "OUTFILE is written under a temporary name and renamed when complete.\n",
        .options = "  -c, --continue     continue a partial OUTFILE (REST from its size)\n"
                   "  --verify           compare the copy with the server's (HASH, XSHA256,\n"
                   "                     XSHA1, XMD5 or XCRC when the server has one, else\n"
                   "                     the size)\n"
                   "  -p, --create-dirs  create OUTFILE's missing directories\n"
                   "  -n, --segments S   download in S parts at once over S connections (a\n"
                   "                     pool of sessions: passive mode)\n",
        .max_args = 2,
        .option = get_option,
        .option_ctx = &go,
    };
    unsigned flags;
    ftp_session *s = NULL;
    ftp_result r;
    ftpx_progress progress;
    int status = 1;

    rc = ftpx_parse_args(&tool, argc, argv, &o, pos, &npos);
    if (rc >= 0)
        return rc;
    g = go.copy;
    if (npos < 1)
        return ftpx_usage_error(prog, "missing URL", NULL);
    if ((rc = ftpx_check_url(&o, pos[0])) != 0)
        return rc;
    if (pos[1] != NULL && pos[1][0] == '\0')
        return ftpx_usage_error(prog, "empty output file name", NULL);
    stdout_out = pos[1] != NULL && strcmp(pos[1], "-") == 0;
    if (stdout_out && (g.resume || g.verify || g.mkdirs))
        return ftpx_usage_error(prog, "-c, --verify and -p need an OUTFILE, not '-'", NULL);
    flags = (g.resume ? FTP_RESUME : FTP_ATOMIC) | (g.verify ? FTP_VERIFY : 0u) |
            (g.mkdirs ? FTP_CREATE_DIRS : 0u);
    if (go.segments > 1) {
        if (stdout_out)
            return ftpx_usage_error(prog, "-n needs an OUTFILE, not '-'", NULL);
        if ((rc = ftpx_pool_options_check(&o, "-n")) != 0)
            return rc;
        return segmented(&o, pos[0], pos[1], go.segments, flags);
    }

    s = ftpx_open(&o, pos[0], &path, &status);
    if (s == NULL)
        goto done;
    if (!names_file(path)) {
        status = 2;
        goto done;
    }
    outname = pos[1] != NULL ? pos[1] : ftpx_basename(path);

    ftpx_progress_start(&progress, prog, ftpx_basename(path), -1, o.quiet);
    r = ftpx_progress_attach(&progress, s);
    if (r == FTP_OK)
        r = stdout_out ? to_stdout(s, &o, path) : ftp_download_file(s, path, outname, flags);
    ftpx_progress_end(&progress, r == FTP_OK);
    if (r != FTP_OK) {
        if (stdout_out && output_failed(s, r)) {
            fprintf(stderr, "%s: writing '<stdout>': %s\n", prog, ftp_last_error(s));
        } else {
            char what[600];
            snprintf(what, sizeof what, "downloading '%s' to '%s'%s", path, outname,
                     r == FTP_ERROR_VERIFY ? " (the copy does not match the server's)"
                     : g.resume            ? " (the partial file is kept: -c continues it)"
                                           : "");
            ftpx_report(&o, s, what, r);
        }
        goto done;
    }
    status = 0;

done:
    ftpx_close(s);
    free(path);
    return status;
}
