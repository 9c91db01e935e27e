/*
 * ftp-mirror: copy a directory tree between an FTP/FTPS server and the
 * local disk with libftp's ftp_pool_mirror.
 *
 *   ftp-mirror [OPTIONS] [--upload] [-P N] [--newer] [--delete] [--verify]
 *              [-c] [--keep-times] [--atomic] URL LOCALDIR
 *
 * By default the server's directory named by URL is copied into LOCALDIR
 * (created when missing); --upload copies LOCALDIR to the server instead.
 * Up to N files (-P, default 4) are copied at once, each on its own
 * connection of one ftp_pool.  --newer copies only missing or changed
 * files (size, or an older time on the target), --delete removes what the
 * source does not have; --verify, -c, --keep-times, --atomic are
 * FTP_VERIFY, FTP_RESUME, FTP_KEEP_MTIME, FTP_ATOMIC for each file.  A
 * mirror that was interrupted (even by kill -9) is finished by running the
 * same command again: its journal in LOCALDIR says what was complete.
 * Progress: a line every 2 s naming a file in transfer; at the end a
 * summary of the report (copied, skipped, deleted, failed, bytes, rate).
 *
 * Exit status: 0 success, 1 failure (some files failed, or the mirror
 * could not start), 2 usage error.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftp.h"
#include "ftppool.h"
#include "ftpx.h"

static const char prog[] = "ftp-mirror";

typedef struct mirror_opts {
    unsigned flags, sessions;
    bool upload;
} mirror_opts;

/* The options of ftp-mirror (an ftpx_tool.option). */
static int mirror_option(void *ctx, const char *name, int argc, char **argv, int *i)
{
    mirror_opts *m = ctx;
    const char *a = argv[*i];
    if (strcmp(a, "-P") == 0 || strcmp(a, "--parallel") == 0) {
        return ftpx_count_option(name, argc, argv, i, &m->sessions);
    }
    if (strcmp(a, "--upload") == 0)
        m->upload = true;
    else if (strcmp(a, "--newer") == 0)
        m->flags |= FTP_MIRROR_NEWER;
    else if (strcmp(a, "--delete") == 0)
        m->flags |= FTP_MIRROR_DELETE;
    else if (strcmp(a, "--verify") == 0)
        m->flags |= FTP_VERIFY;
    else if (strcmp(a, "-c") == 0 || strcmp(a, "--continue") == 0)
        m->flags |= FTP_RESUME;
    else if (strcmp(a, "--keep-times") == 0)
        m->flags |= FTP_KEEP_MTIME;
    else if (strcmp(a, "--atomic") == 0)
        m->flags |= FTP_ATOMIC;
    else
        return 0;
    (*i)++;
    return 1;
}

static void summary(const ftp_mirror_report *r, double seconds)
{
    char bytes[32], rate[32];
    ftpx_human(bytes, sizeof bytes, (double)r->bytes);
    ftpx_human(rate, sizeof rate, seconds > 0.0 ? (double)r->bytes / seconds : 0.0);
    fprintf(stderr,
            "%s: %llu copied, %llu skipped, %llu deleted, %llu failed; %s in %.2f s (%s/s)\n",
            prog, (unsigned long long)r->files_copied, (unsigned long long)r->files_skipped,
            (unsigned long long)r->files_deleted, (unsigned long long)r->files_failed, bytes,
            seconds, rate);
}

int main(int argc, char **argv)
{
    ftpx_opts o;
    char *path = NULL;
    int status = 1;
    const char *pos[2] = {NULL, NULL};
    int npos = 0, rc;
    mirror_opts m = {0u, 4u, false};
    const ftpx_tool tool = {
        .prog = prog,
        .synopsis = "[OPTIONS] [--upload] [-P N] [--newer] [--delete] [--verify] [-c]\n"
                    "       [--keep-times] [--atomic] URL LOCALDIR",
        .about = "Copy the server's directory URL into LOCALDIR (created when missing), or\n"
                 "with --upload LOCALDIR to the server, N files at once. Run the same\n"
                 "command again to finish an interrupted mirror.\n",
        .options = "  --upload           copy LOCALDIR to the server\n"
                   "  -P, --parallel N   up to N files at once (sessions; default 4)\n"
                   "  --newer            copy only missing files and files of another size\n"
                   "                     or an older time on the target\n"
                   "  --delete           delete target files the source does not have\n"
                   "  --verify           compare each copy with the original\n"
                   "  -c, --continue     continue partial files of an interrupted mirror\n"
                   "  --keep-times       give the copies the originals' times\n"
                   "  --atomic           temporary names + rename (and fsync) per file\n",
        .path_note = "     The path is relative to the login directory, ftp://host//abs for an\n"
                     "     absolute one.  The copies go over a pool of sessions (passive mode;\n"
                     "     --proxy and the netrc apply to each).\n",
        .max_args = 2,
        .option = mirror_option,
        .option_ctx = &m,
    };
    ftp_mirror_report r = {0, 0, 0, 0, 0};
    ftpx_pool_progress progress;
    ftp_pool *p;
    ftp_result res;
    double seconds;
    char what[600];

    rc = ftpx_parse_args(&tool, argc, argv, &o, pos, &npos);
    if (rc >= 0)
        return rc;
    if (npos < 2)
        return ftpx_usage_error(prog, "needs a URL and a LOCALDIR", NULL);
    if ((rc = ftpx_check_url(&o, pos[0])) != 0)
        return rc;
    if ((rc = ftpx_pool_options_check(&o, prog)) != 0)
        return rc;
    p = ftpx_open_pool(&o, pos[0], m.sessions, &path, &status);
    if (p == NULL)
        return status;
    res = ftpx_pool_progress_attach(&progress, p, prog, o.quiet);
    if (res == FTP_OK)
        res = ftp_pool_mirror(p, m.upload ? FTP_MIRROR_UPLOAD : FTP_MIRROR_DOWNLOAD, path, pos[1],
                              m.flags, &r);
    /* The error first: detaching the progress display is a call on the
     * pool, which replaces this thread's last error. */
    if (res != FTP_OK) {
        snprintf(what, sizeof what, "mirroring '%s' %s '%s'", path[0] ? path : ".",
                 m.upload ? "from" : "to", pos[1]);
        ftpx_pool_report(&o, p, what, res);
    }
    seconds = ftpx_pool_progress_end(&progress, p);
    if (!o.quiet)
        summary(&r, seconds);
    ftp_pool_free(p);
    free(path);
    return res == FTP_OK ? 0 : 1;
}
