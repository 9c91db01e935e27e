/*
 * ftp-put: upload one file over FTP or FTPS with libftp.
 *
 *   ftp-put [OPTIONS] LOCALFILE URL
 *
 * Exit status: 0 success, 1 failure, 2 usage error.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ftp.h"
#include "ftpurl.h"

static const char prog[] = "ftp-put";

static const ftpx_tool tool = {
    .prog = prog,
    .synopsis = "[OPTIONS] LOCALFILE URL",
    .about = "Upload LOCALFILE ('-' = standard input) in binary mode (TYPE I, STOR) to the\n"
             "path of URL.  When that path is empty or ends in '/', the local file's name is\n"
             "appended to it.\n",
    .max_args = 2,
};

struct putctx {
    FILE *in;
    ftpx_progress *progress;
    int read_errno; /* set when reading the local file failed */
};

static int64_t on_read(void *userdata, uint8_t *buf, size_t cap)
{
    struct putctx *c = userdata;
    size_t n;

    errno = 0;
    n = fread(buf, 1, cap, c->in);
    if (n == 0 && ferror(c->in)) {
        c->read_errno = errno != 0 ? errno : EIO;
        return -1; /* error: ftp_storbinary stops and fails */
    }
    return (int64_t)n; /* 0 = end of file */
}

static int on_sent(void *userdata, const uint8_t *data, size_t len)
{
    struct putctx *c = userdata;
    (void)data;
    ftpx_progress_add(c->progress, len);
    return 0;
}

int main(int argc, char **argv)
{
    ftpx_opts o;
    ftpurl u;
    const char *pos[2] = {NULL, NULL};
    int npos = 0, rc;
    const char *local, *local_base;
    bool from_stdin, dir_url;
    char *remote = NULL, *cmd = NULL;
    size_t plen;
    FILE *in = NULL;
    struct stat st;
    int64_t total = -1;
    ftp_session *s = NULL;
    ftp_result r;
    struct putctx ctx;
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

    if ((rc = ftpx_parse_url(&o, pos[1], &u)) != 0)
        return rc;

    /* Remote path: append the local name to a directory path. */
    plen = strlen(u.path);
    local_base = ftpx_basename(local);
    dir_url = plen == 0 || u.path[plen - 1] == '/';
    if (dir_url && (from_stdin || local_base[0] == '\0')) {
        ftpurl_free(&u);
        return ftpx_usage_error(prog, "the URL names a directory and there is no local "
                                      "file name to append:", pos[1]);
    }
    remote = ftpx_concat(&o, u.path, dir_url ? local_base : "");
    if (remote == NULL)
        goto done;
    cmd = ftpx_concat(&o, "STOR ", remote);
    if (cmd == NULL)
        goto done;

    /* Open the local file before connecting: a typo costs no connection. */
    if (from_stdin) {
        in = stdin;
    } else {
        in = fopen(local, "rb");
        if (in == NULL) {
            fprintf(stderr, "%s: cannot open '%s': %s\n", prog, local, strerror(errno));
            goto done;
        }
    }
    if (fstat(fileno(in), &st) != 0) {
        fprintf(stderr, "%s: cannot stat '%s': %s\n", prog, from_stdin ? "<stdin>" : local,
                strerror(errno));
        goto done;
    }
    if (S_ISDIR(st.st_mode)) {
        fprintf(stderr, "%s: '%s' is a directory\n", prog, local);
        goto done;
    }
    if (S_ISREG(st.st_mode))
        total = (int64_t)st.st_size;

    s = ftpx_open(&o, &u);
    if (s == NULL)
        goto done;

    memset(&ctx, 0, sizeof ctx);
    ctx.in = in;
    ctx.progress = &progress;
    ftpx_progress_start(&progress, prog, ftpx_basename(remote), total, o.quiet);
    r = ftp_storbinary(s, cmd, on_read, &ctx, 65536, on_sent, FTP_NO_REST);
    ftpx_progress_end(&progress, r == FTP_OK);
    if (r != FTP_OK) {
        if (ctx.read_errno != 0) {
            fprintf(stderr, "%s: reading '%s': %s (upload stopped: %s)\n", prog,
                    from_stdin ? "<stdin>" : local, strerror(ctx.read_errno), ftp_result_name(r));
        } else {
            char what[600];
            snprintf(what, sizeof what, "uploading to '%s'", remote);
            ftpx_report(&o, s, what, r);
        }
        goto done;
    }
    status = 0;

done:
    if (in != NULL && !from_stdin && fclose(in) != 0 && status == 0) {
        /* A read-only stream: nothing was lost, but say it. */
        fprintf(stderr, "%s: closing '%s': %s\n", prog, local, strerror(errno));
    }
    ftpx_close(s);
    free(cmd);
    free(remote);
    ftpurl_free(&u);
    return status;
}
