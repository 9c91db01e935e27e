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
    if (o->proxy == NULL && !o->active)
        return 0;
    snprintf(msg, sizeof msg, "%s uses a pool of connections, which cannot go through %s", what,
             o->proxy != NULL ? "--proxy (it would connect directly)" : "--active");
    return ftpx_usage_error(o->prog, msg, NULL);
}

ftp_pool *ftpx_open_pool(const ftpx_opts *o, const char *text, const ftpurl *u,
                         unsigned sessions)
{
    const char *scheme = u->scheme, *auth = strstr(text, "://"), *end;
    ftp_tls_config *c = NULL;
    ftp_pool *p;
    char *url;
    size_t n;

    if (auth == NULL) {
        fprintf(stderr, "%s: the URL has no scheme: '%s'\n", o->prog, text);
        return NULL;
    }
    auth += 3;
    end = strchr(auth, '/');
    n = end != NULL ? (size_t)(end - auth) : strlen(auth);
    if (strcmp(scheme, "ftp") == 0 && o->tls)
        scheme = "ftpes";
    url = malloc(strlen(scheme) + n + 5);
    if (url == NULL) {
        fprintf(stderr, "%s: out of memory\n", o->prog);
        return NULL;
    }
    sprintf(url, "%s://%.*s/", scheme, (int)n, auth);
    if (ftpx_uses_tls(o, u) && (c = ftpx_tls_config(o)) == NULL) {
        free(url);
        return NULL;
    }
    p = ftp_pool_new(url, c, sessions);
    if (p == NULL)
        fprintf(stderr, "%s: ftp_pool_new: %s\n", o->prog, ftp_pool_last_error(NULL));
    ftp_tls_config_free(c); /* the pool keeps its own copy */
    free(url);
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
    fprintf(stderr, "%s: %s: %s: %s\n", o->prog, what, ftp_result_name(r),
            ftp_pool_last_error(p));
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
