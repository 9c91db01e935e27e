/* Session pools for ftp-mirror and ftp-get -n: see ftppool.h. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "ftppool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ftpx_pool_options_check(const ftpx_opts *o, const char *what)
{
    char msg[200];
    if (!o->active)
        return 0;
    snprintf(msg, sizeof msg, "%s uses a pool of connections, which cannot use --active", what);
    return ftpx_usage_error(o->prog, msg, NULL);
}

/* The pool's URL: url (with --tls as ftpes://) without its path; NULL
 * after printing why. */
static char *server_url(const ftpx_opts *o, const char *url)
{
    char *full = ftpx_session_url(o, url);
    char *authority = full != NULL ? strstr(full, "://") : NULL;
    char *slash = authority != NULL ? strchr(authority + 3, '/') : NULL;

    if (slash != NULL)
        slash[1] = '\0';
    return full;
}

ftp_pool *ftpx_open_pool(const ftpx_opts *o, const char *url, unsigned sessions, char **path,
                         int *status)
{
    ftp_tls_config *c = NULL;
    ftp_pool *p = NULL;
    char *server = NULL;

    /* One session first: the URL checked and its path decoded by libftp. */
    ftp_session *s = ftpx_open(o, url, path, status);
    if (s == NULL)
        return NULL;
    ftpx_close(s);
    *status = 1;
    if ((server = server_url(o, url)) == NULL)
        goto done;
    if (ftpx_uses_tls(o, url) && (c = ftpx_tls_config(o)) == NULL)
        goto done;
    p = ftp_pool_new(server, c, sessions);
    if (p == NULL) {
        fprintf(stderr, "%s: ftp_pool_new: %s\n", o->prog, ftp_pool_last_error(NULL));
        goto done;
    }
    /* As the first session: the proxy, and the netrc ($NETRC or ~/.netrc)
     * for a URL without a password. */
    if ((o->proxy != NULL && ftp_pool_set_proxy(p, o->proxy) != FTP_OK) ||
        ((getenv("NETRC") != NULL || getenv("HOME") != NULL) &&
         ftp_pool_set_netrc(p, NULL) != FTP_OK)) {
        fprintf(stderr, "%s: %s\n", o->prog, ftp_pool_last_error(p));
        ftp_pool_free(p);
        p = NULL;
    }
done:
    ftp_tls_config_free(c); /* the pool keeps its own copy */
    free(server);
    if (p == NULL) {
        free(*path);
        *path = NULL;
    }
    return p;
}

int ftpx_count_option(const char *prog, int argc, char **argv, int *i, unsigned *out)
{
    const char *flag = argv[*i];
    char *end = NULL;
    unsigned long n;
    if (*i + 1 >= argc) {
        fprintf(stderr, "%s: %s needs a number\n", prog, flag);
        return -1;
    }
    n = strtoul(argv[*i + 1], &end, 10);
    if (end == argv[*i + 1] || *end != '\0' || n == 0 || n > 64) {
        fprintf(stderr, "%s: %s takes a number from 1 to 64: '%s'\n", prog, flag, argv[*i + 1]);
        return -1;
    }
    *out = (unsigned)n;
    *i += 2;
    return 1;
}

void ftpx_pool_report(const ftpx_opts *o, const ftp_pool *p, const char *what, ftp_result r)
{
    fprintf(stderr, "%s: %s: %s: %s\n", o->prog, what, ftp_result_name(r), ftp_pool_last_error(p));
}

/* Called from any pool thread: one line every FTPX_PLAIN_EVERY_S. */
static int on_progress(void *userdata, const ftp_progress *r)
{
    ftpx_pool_progress *pp = userdata;
    double t = ftpx_now_s();
    char done[32], total[32];

    pthread_mutex_lock(&pp->lock);
    pp->reports++;
    if (t - pp->last >= FTPX_PLAIN_EVERY_S) {
        pp->last = t;
        ftpx_human(done, sizeof done, (double)(r->offset + r->bytes));
        if (r->total >= 0)
            ftpx_human(total, sizeof total, (double)r->total);
        else
            snprintf(total, sizeof total, "?");
        fprintf(stderr, "%s: %.0f s: %s (%s of %s)\n", pp->prog, t - pp->start, r->path, done,
                total);
    }
    pthread_mutex_unlock(&pp->lock);
    return 0;
}

ftp_result ftpx_pool_progress_attach(ftpx_pool_progress *pp, ftp_pool *p, const char *prog,
                                     bool quiet)
{
    pp->prog = prog;
    pp->start = pp->last = ftpx_now_s();
    pp->reports = 0;
    pp->enabled = !quiet;
    pthread_mutex_init(&pp->lock, NULL);
    if (quiet)
        return FTP_OK;
    return ftp_pool_set_progress_callback(p, on_progress, pp, 500);
}

double ftpx_pool_progress_end(ftpx_pool_progress *pp, ftp_pool *p)
{
    if (pp->enabled)
        ftp_pool_set_progress_callback(p, NULL, NULL, 0);
    pthread_mutex_destroy(&pp->lock);
    return ftpx_now_s() - pp->start;
}
