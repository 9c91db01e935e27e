/* Session pools for the examples that copy with several connections at
 * once (ftp-mirror, ftp-get -n): the pool made from the command line's URL
 * and options, and a progress display fed from every pool thread. */
#ifndef FTP_EXAMPLES_FTPPOOL_H
#define FTP_EXAMPLES_FTPPOOL_H

#include <pthread.h>

#include "ftpurl.h"

/* Pools connect directly and in passive mode: --proxy and --active are
 * usage errors for the tools that use one (`what`: "ftp-mirror", "-n").
 * Returns 0, or 2 after printing why. */
int ftpx_pool_options_check(const ftpx_opts *o, const char *what);

/* A pool of up to `sessions` sessions to the server of URL text `text`
 * (already parsed into u): ftp://, ftps:// (implicit), or ftp:// with
 * --tls (explicit FTPS: the pool's ftpes://); --cacert / --insecure as for
 * ftpx_open. The pool's URL has no path: the callers name remote paths
 * relative to the login directory (u->path). --timeout and --debug apply
 * to single sessions only (a pool waits 30 s).
 * Returns NULL after printing why. */
ftp_pool *ftpx_open_pool(const ftpx_opts *o, const char *text, const ftpurl *u,
                         unsigned sessions);

/* An option with a count from 1 to 64 (-P N, -n S) at argv[*i]: stores
 * it in *out and moves *i past it (returns 1), or prints why it is wrong
 * (returns -1): an ftpx_tool.option building block. */
int ftpx_count_option(const char *prog, int argc, char **argv, int *i, unsigned *out);

/* Prints "PROG: WHAT: FTP_ERROR_X: <ftp_pool_last_error(p)>". */
void ftpx_pool_report(const ftpx_opts *o, const ftp_pool *p, const char *what, ftp_result r);

/* Progress of a pool's transfers, from any of its threads: every
 * FTPX_PLAIN_EVERY_S seconds a line naming the file in transfer and how
 * far it is. Nothing when quiet. */
typedef struct ftpx_pool_progress {
    const char *prog;
    pthread_mutex_t lock;
    double start, last;
    unsigned long long reports;
    bool enabled;
} ftpx_pool_progress;

ftp_result ftpx_pool_progress_attach(ftpx_pool_progress *pp, ftp_pool *p, const char *prog,
                                     bool quiet);
/* Detaches the display from the pool (a call on the pool: read
 * ftp_pool_last_error before); returns the seconds since attach. */
double ftpx_pool_progress_end(ftpx_pool_progress *pp, ftp_pool *p);

#endif /* FTP_EXAMPLES_FTPPOOL_H */
