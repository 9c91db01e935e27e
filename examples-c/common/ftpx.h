/*
 * Shared helpers for the libftp C examples (ftp-get, ftp-put, ftp-ls, ftp-mirror): the
 * command line (options, positional arguments, --help), opening a URL with
 * ftp_connect_url (options, FTPS, netrc), error report, close, and a
 * progress display on stderr.
 *
 * C99 + POSIX.  Everything returned by these helpers is owned by the caller
 * and released with the matching *_free / *_end function.
 */
#ifndef FTP_EXAMPLES_FTPX_H
#define FTP_EXAMPLES_FTPX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ftp.h"

/* ------------------------------------------------------------------ URL */

/* URLs are libftp's (ftp_connect_url parses them): ftp://, ftpes://
 * (explicit FTPS) and ftps:// (implicit FTPS) [user[:pass]@]host[:port]/path.
 * The helpers below only look at the scheme. */

/* The part of path after its last '/' (a pointer into path). */
const char *ftpx_basename(const char *path);

/* ------------------------------------------------------- command line */

typedef struct ftpx_opts {
    const char *prog;    /* "ftp-get": prefix of every message            */
    double timeout_s;    /* --timeout SECONDS; default 30; 0 = blocking    */
    bool active;         /* --active: PORT/EPRT instead of PASV/EPSV       */
    bool debug;          /* --debug: ftp_set_debuglevel(s, 1)              */
    bool quiet;          /* -q/--quiet: no progress and no summary line    */
    bool tls;            /* --tls: ftp:// URLs as ftpes:// (AUTH TLS)       */
    const char *cacert;  /* --cacert FILE: extra trusted CAs (PEM), or NULL */
    bool insecure;       /* --insecure: no certificate / host name check    */
    const char *proxy;   /* --proxy URL: ftp_set_proxy (socks5://, socks5h://,
                            http://), or NULL                              */
} ftpx_opts;

void ftpx_opts_init(ftpx_opts *o, const char *prog);

/* Tries the common options at argv[*i] (--timeout S, --timeout=S, --active,
 * --debug, -q, --quiet, --tls, --cacert FILE, --cacert=FILE, --insecure,
 * --proxy URL, --proxy=URL).
 * Returns 1 when consumed (*i advanced past any value), 0 when argv[*i] is
 * not a common option, -1 on a usage error (message already printed). */
int ftpx_parse_common_option(ftpx_opts *o, int argc, char **argv, int *i);

/* Text describing the common options, for --help. */
extern const char ftpx_common_options_help[];

/* What one program adds to the shared command line. */
typedef struct ftpx_tool {
    const char *prog;      /* "ftp-get"                                      */
    const char *synopsis;  /* after the name: "[OPTIONS] URL [OUTFILE|-]"    */
    const char *about;     /* what it does (lines ending in '\n')            */
    const char *path_note; /* how the URL's path is used (lines, '\n'); NULL:
                              relative to the login directory, //abs absolute */
    const char *options;   /* --help text of its own options, or NULL        */
    const char *exit_note; /* after "1 failure" in the exit status line, or
                              NULL                                           */
    int max_args;          /* positional arguments at most                   */
    /* Its own options, tried before the common ones; NULL if none.  Returns
     * 1 when argv[*i] was consumed (*i advanced), 0 when it is not one of
     * them, -1 on a usage error (message "PROG: ..." already printed). */
    int (*option)(void *ctx, const char *prog, int argc, char **argv, int *i);
    void *option_ctx;
} ftpx_tool;

/* Prints the --help text of tool t on f. */
void ftpx_usage(const ftpx_tool *t, FILE *f);

/* Prints "PROG: MSG 'ARG'" (or "PROG: MSG" when arg is NULL) and the
 * "Try 'PROG --help'" hint on stderr; returns 2, the usage-error status. */
int ftpx_usage_error(const char *prog, const char *msg, const char *arg);

/* The whole command line: initialises *o, handles "--", -h/--help,
 * --version, the tool's options, the common options, and collects up to
 * t->max_args positional arguments into pos[] (count in *npos).  Returns
 * -1 to go on, or the exit status to return now (0 after --help or
 * --version, 1 if writing them failed, 2 on a usage error). */
int ftpx_parse_args(const ftpx_tool *t, int argc, char **argv, ftpx_opts *o,
                    const char **pos, int *npos);

/* Checks the URL argument's scheme against the options (--cacert and
 * --insecure need FTPS) and the options together (--active cannot go
 * through --proxy).  Returns 0, or 2 after printing why. */
int ftpx_check_url(const ftpx_opts *o, const char *url);

/* Whether the session for url uses TLS (ftpes://, ftps:// or --tls). */
bool ftpx_uses_tls(const ftpx_opts *o, const char *url);

/* A new malloc'ed string a + b ("RETR " + path...), or NULL after printing
 * "PROG: out of memory". */
char *ftpx_concat(const ftpx_opts *o, const char *a, const char *b);

/* The URL to hand to libftp: a malloc'ed copy of url, with --tls an
 * ftp:// URL as ftpes:// (the only change: the scheme); NULL after
 * printing "PROG: out of memory". */
char *ftpx_session_url(const ftpx_opts *o, const char *url);

/* ----------------------------------------------------------- session */

/* Prints "PROG: WHAT: FTP_ERROR_X: <ftp_last_error(s)>" and, when the
 * server answered (ftp_last_code(s) != 0), "PROG: server reply: <reply>"
 * (not for FTP_ERROR_TLS after a positive reply: that reply only preceded
 * the failed handshake).  A rejected certificate adds a hint line.  s may
 * be NULL (then only the result name is printed). */
void ftpx_report(const ftpx_opts *o, const ftp_session *s, const char *what, ftp_result r);

/* Creates a session, applies the options (timeout, passive/active, debug,
 * --proxy with ftp_set_proxy, the netrc file $NETRC or ~/.netrc), and opens url with ftp_connect_url
 * (connect, TLS for ftpes:// / ftps:// / --tls with one ftp_tls_config
 * built from --cacert / --insecure, login, PBSZ 0 + PROT P on FTPS), without
 * changing directory: *path gets a malloc'ed copy of the URL's decoded path
 * (ftp_url_path: relative to the login directory, absolute when it starts
 * with '/').  Returns the session, or NULL after printing why with *status
 * the exit status (2 for a malformed URL or --proxy URL, else 1; nothing
 * left to free). */
ftp_session *ftpx_open(const ftpx_opts *o, const char *url, char **path, int *status);

/* A new TLS configuration from --cacert / --insecure (the caller frees
 * it), or NULL after printing why.  The --insecure warning is printed by
 * the first call only. */
ftp_tls_config *ftpx_tls_config(const ftpx_opts *o);

/* Polite close: QUIT (its failure is ignored), then ftp_session_free.
 * NULL is a no-op. */
void ftpx_close(ftp_session *s);

/* ------------------------------------------------- whole-file options */

/* -c/--continue, --verify and -p/--create-dirs of ftp-get and ftp-put. */
typedef struct ftpx_copy_flags {
    bool resume, verify, mkdirs;
} ftpx_copy_flags;

/* An ftpx_tool.option for those three (ctx: an ftpx_copy_flags). */
int ftpx_copy_option(void *ctx, const char *prog, int argc, char **argv, int *i);

/* ---------------------------------------------------------- progress */

/* "12.3 MiB" style, into buf. */
void ftpx_human(char *buf, size_t len, double bytes);

/* Monotonic seconds. */
double ftpx_now_s(void);

/* Seconds between the plain progress lines printed when stderr is not a
 * terminal (logs, CI). */
#define FTPX_PLAIN_EVERY_S 2.0

typedef struct ftpx_progress {
    const char *prog;
    const char *label;      /* shown before the numbers (e.g. file name) */
    int64_t total;          /* < 0: unknown                              */
    uint64_t done;          /* bytes of the file that are there          */
    uint64_t base;          /* of which were there before (resumed)      */
    double start;           /* monotonic seconds                         */
    double last_draw;
    bool enabled;           /* not quiet                                 */
    bool tty;               /* stderr is a terminal: live display        */
    bool drawn;             /* a live line is on screen                  */
    size_t last_width;      /* width of the last live line, to blank it  */
} ftpx_progress;

/* Starts a display; total < 0 when unknown (libftp's reports fill it in
 * when they know it). */
void ftpx_progress_start(ftpx_progress *p, const char *prog, const char *label,
                         int64_t total, bool quiet);
/* Feeds p from libftp's progress reports (ftp_set_progress_callback, every
 * 100 ms) for every transfer of s: on a terminal a live line, redrawn with
 * '\r' (size, percentage, rate, ETA); otherwise a plain line every
 * FTPX_PLAIN_EVERY_S seconds. quiet suppresses everything. */
ftp_result ftpx_progress_attach(ftpx_progress *p, ftp_session *s);
/* ok: prints the final line (terminal) or the summary line (not a terminal).
 * !ok: just ends a live line so that an error message starts on its own. */
void ftpx_progress_end(ftpx_progress *p, bool ok);

#endif /* FTP_EXAMPLES_FTPX_H */
