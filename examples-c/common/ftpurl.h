/*
 * Shared helpers for the libftp C examples (ftp-get, ftp-put, ftp-ls):
 *   - ftpurl_*: parse  ftp://[user[:pass]@]host[:port]/path
 *   - ftpx_*:   common command-line options, connect + login, error report,
 *               close, and a progress display on stderr.
 *
 * C99 + POSIX.  Everything returned by these helpers is owned by the caller
 * and released with the matching *_free / *_end function.
 */
#ifndef FTP_EXAMPLES_FTPURL_H
#define FTP_EXAMPLES_FTPURL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ftp.h"

/* ------------------------------------------------------------------ URL */

typedef struct ftpurl {
    char *scheme;   /* lower-cased scheme: "ftp" (a later issue adds "ftps") */
    char *user;     /* percent-decoded; "anonymous" when the URL has none    */
    char *pass;     /* percent-decoded; "" when the URL has none              */
    char *host;     /* host name or address, IPv6 literal without brackets   */
    uint16_t port;  /* port; the scheme's default (21) when the URL has none */
    char *path;     /* percent-decoded path after the host, without the one
                       leading '/'; "" = the login directory.  An absolute
                       server path is written ftp://host//abs or /%2Fabs     */
    bool has_user;  /* the URL named a user                                  */
    bool has_pass;  /* the URL named a password (possibly empty)             */
    bool has_port;  /* the URL named a port                                  */
} ftpurl;

/* Schemes this build accepts; the hook for ftps:// is here.  Returns the
 * default port of the scheme, or 0 if the scheme is not supported. */
uint16_t ftpurl_default_port(const char *scheme);

/* Parses url into *out (zeroed first).  Returns 0 on success; -1 on error,
 * with a message (no program prefix, no newline) in err[errlen] and *out
 * left empty (ftpurl_free on it is harmless). */
int ftpurl_parse(const char *url, ftpurl *out, char *err, size_t errlen);

/* Releases the strings of *u and zeroes it.  NULL is a no-op. */
void ftpurl_free(ftpurl *u);

/* The part of path after its last '/' (a pointer into path). */
const char *ftpx_basename(const char *path);

/* Percent-decodes src (%XX) into a new malloc'ed string.  Returns NULL on a
 * malformed escape, on %00, or on out-of-memory; *bad (if not NULL) is set
 * to 1 on a malformed escape / %00 and 0 on out-of-memory. */
char *ftpurl_decode(const char *src, size_t len, int *bad);

/* ---------------------------------------------------- common options */

typedef struct ftpx_opts {
    const char *prog;    /* "ftp-get": prefix of every message            */
    double timeout_s;    /* --timeout SECONDS; default 30; 0 = blocking    */
    bool active;         /* --active: PORT/EPRT instead of PASV/EPSV       */
    bool debug;          /* --debug: ftp_set_debuglevel(s, 1)              */
    bool quiet;          /* -q/--quiet: no progress and no summary line    */
} ftpx_opts;

void ftpx_opts_init(ftpx_opts *o, const char *prog);

/* Tries the common options at argv[*i] (--timeout S, --timeout=S, --active,
 * --debug, -q, --quiet).  Returns 1 when consumed (*i advanced past any
 * value), 0 when argv[*i] is not a common option, -1 on a usage error
 * (message already printed). */
int ftpx_parse_common_option(ftpx_opts *o, int argc, char **argv, int *i);

/* Text describing the common options, for --help. */
extern const char ftpx_common_options_help[];

/* ----------------------------------------------------------- session */

/* Prints "PROG: WHAT: FTP_ERROR_X: <ftp_last_error(s)>" and, when the
 * server answered (ftp_last_code(s) != 0), "PROG: server reply: <reply>".
 * s may be NULL (then only the result name is printed). */
void ftpx_report(const ftpx_opts *o, const ftp_session *s, const char *what, ftp_result r);

/* Creates a session for u, applies the options (timeout, passive/active,
 * debug), connects and logs in.  Returns the session, or NULL after
 * printing why (nothing left to free). */
ftp_session *ftpx_open(const ftpx_opts *o, const ftpurl *u);

/* Polite close: QUIT (its failure is ignored), then ftp_session_free.
 * NULL is a no-op. */
void ftpx_close(ftp_session *s);

/* ---------------------------------------------------------- progress */

typedef struct ftpx_progress {
    const char *prog;
    const char *label;      /* shown before the numbers (e.g. file name) */
    int64_t total;          /* < 0: unknown                              */
    uint64_t done;
    double start;           /* monotonic seconds                         */
    double last_draw;
    bool enabled;           /* not quiet                                 */
    bool tty;               /* stderr is a terminal: live display        */
    bool drawn;             /* a live line is on screen                  */
    size_t last_width;      /* width of the last live line, to blank it  */
} ftpx_progress;

/* Starts a display; total < 0 when unknown.  When stderr is a terminal the
 * line is redrawn at most ~10 times a second; otherwise only ftpx_progress_end
 * prints one summary line.  quiet suppresses everything. */
void ftpx_progress_start(ftpx_progress *p, const char *prog, const char *label,
                         int64_t total, bool quiet);
void ftpx_progress_add(ftpx_progress *p, uint64_t n);
/* ok: prints the final line (terminal) or the summary line (not a terminal).
 * !ok: just ends a live line so that an error message starts on its own. */
void ftpx_progress_end(ftpx_progress *p, bool ok);

#endif /* FTP_EXAMPLES_FTPURL_H */
