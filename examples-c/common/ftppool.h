/* Session pools for the examples that copy with several connections at
 * once (ftp-mirror, ftp-get -n): the pool made from the command line's URL
 * and options, and a progress display fed from every pool thread. */
#ifndef FTP_EXAMPLES_FTPPOOL_H
#define FTP_EXAMPLES_FTPPOOL_H

#include <pthread.h>

#include "ftpx.h"

/* Pools work in passive mode: --active is a usage error for the tools
 * that use one (`what`: "ftp-mirror", "-n"). Returns 0, or 2 after
 * printing why. */
int ftpx_pool_options_check(const ftpx_opts *o, const char *what);

/* A pool of up to `sessions` sessions to the server of URL text `url`:
 * ftp://, ftpes://, ftps://, or ftp:// with --tls (as ftpes://);
 * --cacert / --insecure as for ftpx_open.  --timeout and --debug apply to
 * single sessions only (a pool waits 30 s).
 *
 * The URL is parsed by libftp only.  First one session opens it with
 * ftpx_open (netrc, the login checked, errors named as for the other
 * tools) and gives the URL's decoded path (ftp_url_path) in *path
 * (malloc'ed): relative to the login directory, absolute when it starts
 * with '/'; the callers pass it to the pool's calls.  Then the pool is made
 * from the URL text cut after the '/' that starts its path (an authority
 * cannot hold a '/': libftp wants %2F there), so that the pool's directory
 * is the login directory and a file's path works as well as a directory's
 * (ftp_pool_new enters every segment of its URL's path as a directory).
 * The pool gets --proxy (ftp_pool_set_proxy) and the netrc file $NETRC
 * or ~/.netrc (ftp_pool_set_netrc), as single sessions do.
 * Returns NULL after printing why, with *status the exit status (2 for a
 * malformed URL, else 1) and *path NULL. */
ftp_pool *ftpx_open_pool(const ftpx_opts *o, const char *url, unsigned sessions, char **path,
                         int *status);

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
