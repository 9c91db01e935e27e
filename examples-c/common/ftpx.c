/* Shared helpers for the libftp C examples: see ftpx.h. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "ftpx.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------ URL */

const char *ftpx_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

/* Whether url starts with "SCHEME://" (scheme in any case). */
static bool has_scheme(const char *url, const char *scheme)
{
    size_t n = strlen(scheme);
    return strncasecmp(url, scheme, n) == 0 && strncmp(url + n, "://", 3) == 0;
}

/* ------------------------------------------------------- command line */

const char ftpx_common_options_help[] =
    "  --tls              explicit FTPS on an ftp:// URL (as ftpes://): AUTH TLS\n"
    "                     before the login, then protected data connections\n"
    "                     (PBSZ 0, PROT P); ftpes:// and ftps:// URLs are always TLS\n"
    "  --cacert FILE      FTPS: also trust the CA certificates of FILE (PEM);\n"
    "                     by default the system's CAs; the certificate must match\n"
    "                     the URL's host name\n"
    "  --insecure         FTPS without checking the server's certificate or host\n"
    "                     name: encrypted but not authenticated (tests only)\n"
    "  --timeout SECONDS  give up when the server is silent this long (default 30;\n"
    "                     0 = wait forever)\n"
    "  --active           active mode (PORT/EPRT) instead of passive (PASV/EPSV)\n"
    "  --proxy URL        connect (control and data) through a proxy:\n"
    "                     socks5://[user:pass@]host[:port] (names resolved here),\n"
    "                     socks5h://... (names resolved by the proxy), or\n"
    "                     http://[user:pass@]host:port (HTTP CONNECT); passive only\n"
    "  --debug            print the FTP conversation on stderr\n"
    "  -q, --quiet        no progress display and no summary line\n"
    "  -h, --help         this help\n"
    "  --version          print the libftp version\n";

static const char url_help[] =
    "URL: ftp://[user[:password]@]host[:port]/path    FTP (explicit FTPS with --tls)\n"
    "     ftpes://[user[:password]@]host[:port]/path  explicit FTPS (AUTH TLS)\n"
    "     ftps://[user[:password]@]host[:port]/path   implicit FTPS\n"
    "     (libftp's URLs: ftp_connect_url) %XX escapes are allowed in user,\n"
    "     password and path, an IPv6 address goes in brackets; the default port is\n"
    "     21 for ftp:// and ftpes://, 990 for ftps://.  Without a password in the\n"
    "     URL the login comes from $NETRC or ~/.netrc (a 'machine HOST login USER\n"
    "     password PASS' line; the file must not be readable by others), else the\n"
    "     URL's user or anonymous.\n";

void ftpx_opts_init(ftpx_opts *o, const char *prog)
{
    memset(o, 0, sizeof *o);
    o->prog = prog;
    o->timeout_s = 30.0;
}

static int parse_timeout(ftpx_opts *o, const char *v)
{
    char *end = NULL;
    double d;

    errno = 0;
    d = strtod(v, &end);
    if (v[0] == '\0' || end == NULL || *end != '\0' || errno != 0 || !isfinite(d) ||
        d < 0.0 || d > 1e9) {
        fprintf(stderr, "%s: bad --timeout value '%s' (want seconds >= 0)\n", o->prog, v);
        return -1;
    }
    o->timeout_s = d;
    return 1;
}

static int parse_cacert(ftpx_opts *o, const char *v)
{
    if (v[0] == '\0') {
        fprintf(stderr, "%s: empty --cacert file name\n", o->prog);
        return -1;
    }
    o->cacert = v;
    return 1;
}

/* An option NAME VALUE or NAME=VALUE at argv[*i]: 1 and *i on the value's
 * argument, 0 if argv[*i] is not this option, -1 if the value is missing. */
static int option_value(const ftpx_opts *o, const char *name, const char *what, int argc,
                        char **argv, int *i, const char **value)
{
    const char *a = argv[*i];
    size_t n = strlen(name);

    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *value = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "%s: %s needs a value (%s)\n", o->prog, name, what);
        return -1;
    }
    (*i)++;
    *value = argv[*i];
    return 1;
}

int ftpx_parse_common_option(ftpx_opts *o, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    const char *v = NULL;
    int rc;

    if (strcmp(a, "--active") == 0) {
        o->active = true;
    } else if (strcmp(a, "--debug") == 0) {
        o->debug = true;
    } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
        o->quiet = true;
    } else if (strcmp(a, "--tls") == 0) {
        o->tls = true;
    } else if (strcmp(a, "--insecure") == 0) {
        o->insecure = true;
    } else if ((rc = option_value(o, "--timeout", "seconds", argc, argv, i, &v)) != 0) {
        if (rc < 0 || parse_timeout(o, v) < 0)
            return -1;
    } else if ((rc = option_value(o, "--cacert", "a PEM file", argc, argv, i, &v)) != 0) {
        if (rc < 0 || parse_cacert(o, v) < 0)
            return -1;
    } else if ((rc = option_value(o, "--proxy", "a proxy URL", argc, argv, i, &v)) != 0) {
        if (rc < 0)
            return -1;
        if (v[0] == '\0') {
            fprintf(stderr, "%s: empty --proxy URL\n", o->prog);
            return -1;
        }
        o->proxy = v;
    } else {
        return 0;
    }
    (*i)++;
    return 1;
}

static const char default_path_note[] =
    "     The path is relative to the login directory, ftp://host//abs for an\n"
    "     absolute one.\n";

void ftpx_usage(const ftpx_tool *t, FILE *f)
{
    fprintf(f, "Usage: %s %s\n%s\n%s%s\nOptions:\n%s%s\n", t->prog, t->synopsis, t->about,
            url_help, t->path_note != NULL ? t->path_note : default_path_note,
            t->options != NULL ? t->options : "", ftpx_common_options_help);
    fprintf(f, "Exit status: 0 success, 1 failure%s, 2 usage error.\n",
            t->exit_note != NULL ? t->exit_note : "");
}

int ftpx_usage_error(const char *prog, const char *msg, const char *arg)
{
    if (arg != NULL)
        fprintf(stderr, "%s: %s '%s'\n", prog, msg, arg);
    else
        fprintf(stderr, "%s: %s\n", prog, msg);
    fprintf(stderr, "Try '%s --help' for more information.\n", prog);
    return 2;
}

/* -1 to go on, else the exit status after printing to stdout. */
static int print_and_exit(const ftpx_tool *t, bool help)
{
    if (help)
        ftpx_usage(t, stdout);
    else
        printf("%s (libftp %s)\n", t->prog, ftp_version());
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}

int ftpx_parse_args(const ftpx_tool *t, int argc, char **argv, ftpx_opts *o,
                    const char **pos, int *npos)
{
    int i = 1, rc;
    bool opts_done = false;

    ftpx_opts_init(o, t->prog);
    *npos = 0;
    while (i < argc) {
        const char *a = argv[i];
        if (!opts_done && a[0] == '-' && a[1] != '\0') {
            if (strcmp(a, "--") == 0) {
                opts_done = true;
                i++;
                continue;
            }
            if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
                return print_and_exit(t, true);
            if (strcmp(a, "--version") == 0)
                return print_and_exit(t, false);
            rc = t->option != NULL ? t->option(t->option_ctx, t->prog, argc, argv, &i) : 0;
            if (rc == 0)
                rc = ftpx_parse_common_option(o, argc, argv, &i);
            if (rc < 0) {
                fprintf(stderr, "Try '%s --help' for more information.\n", t->prog);
                return 2;
            }
            if (rc > 0)
                continue;
            return ftpx_usage_error(t->prog, "unknown option", a);
        }
        if (*npos >= t->max_args)
            return ftpx_usage_error(t->prog, "too many arguments:", a);
        pos[(*npos)++] = a;
        i++;
    }
    return -1;
}

bool ftpx_uses_tls(const ftpx_opts *o, const char *url)
{
    return o->tls || has_scheme(url, "ftps") || has_scheme(url, "ftpes");
}

char *ftpx_concat(const ftpx_opts *o, const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *s = malloc(na + nb + 1);

    if (s == NULL) {
        fprintf(stderr, "%s: out of memory\n", o->prog);
        return NULL;
    }
    memcpy(s, a, na);
    memcpy(s + na, b, nb + 1);
    return s;
}

int ftpx_check_url(const ftpx_opts *o, const char *url)
{
    if ((o->cacert != NULL || o->insecure) && !ftpx_uses_tls(o, url))
        return ftpx_usage_error(o->prog,
                                o->cacert != NULL
                                    ? "--cacert needs --tls or an ftpes:// or ftps:// URL"
                                    : "--insecure needs --tls or an ftpes:// or ftps:// URL",
                                NULL);
    return 0;
}

/* ----------------------------------------------------------- session */

void ftpx_report(const ftpx_opts *o, const ftp_session *s, const char *what, ftp_result r)
{
    const char *name = ftp_result_name(r);
    const char *msg = s != NULL ? ftp_last_error(s) : NULL;

    if (name == NULL)
        name = "?";
    if (msg != NULL && msg[0] != '\0')
        fprintf(stderr, "%s: %s: %s: %s\n", o->prog, what, name, msg);
    else
        fprintf(stderr, "%s: %s: %s\n", o->prog, what, name);
    if (r == FTP_ERROR_TLS && msg != NULL && strstr(msg, "certificate verify failed") != NULL)
        fprintf(stderr,
                "%s: the server's certificate was not accepted: it must come from a trusted CA "
                "(--cacert FILE adds one) and name the URL's host\n",
                o->prog);
    /* After a failed handshake the last reply is the one before it (such as
     * "234 AUTH TLS successful"): not the cause, so not shown. */
    if (s != NULL && ftp_last_code(s) != 0 && !(r == FTP_ERROR_TLS && ftp_last_code(s) < 400)) {
        const char *resp = ftp_last_response(s);
        const char *line = resp != NULL ? resp : "";
        /* One message line per reply line. */
        fprintf(stderr, "%s: server reply: ", o->prog);
        for (; *line != '\0'; line++) {
            if (*line == '\n') {
                if (line[1] != '\0')
                    fprintf(stderr, "\n%s: server reply: ", o->prog);
            } else if (*line != '\r') {
                fputc(*line, stderr);
            }
        }
        if (resp == NULL || resp[0] == '\0')
            fprintf(stderr, "%d", ftp_last_code(s));
        fputc('\n', stderr);
    }
}

/* The one TLS configuration of this run, from --cacert / --insecure; NULL
 * after printing why. */
ftp_tls_config *ftpx_tls_config(const ftpx_opts *o)
{
    ftp_tls_config *c = ftp_tls_config_new();
    ftp_result r;

    if (c == NULL) {
        fprintf(stderr, "%s: ftp_tls_config_new failed (out of memory?)\n", o->prog);
        return NULL;
    }
    if (o->cacert != NULL) {
        r = ftp_tls_config_set_ca_file(c, o->cacert);
        if (r != FTP_OK) {
            /* No session, so no ftp_last_error: say what the file system says. */
            int e = access(o->cacert, R_OK) != 0 ? errno : 0;
            fprintf(stderr, "%s: --cacert '%s': %s%s%s\n", o->prog, o->cacert,
                    ftp_result_name(r), e != 0 ? ": " : "", e != 0 ? strerror(e) : "");
            goto fail;
        }
    }
    if (o->insecure) {
        r = ftp_tls_config_set_verify_peer(c, false);
        if (r == FTP_OK)
            r = ftp_tls_config_set_check_hostname(c, false);
        if (r != FTP_OK) {
            ftpx_report(o, NULL, "turning off the certificate checks", r);
            goto fail;
        }
        fprintf(stderr,
                "%s: warning: --insecure: the server's certificate and host name are not "
                "checked: the connection is encrypted but not authenticated\n",
                o->prog);
    }
    return c;

fail:
    ftp_tls_config_free(c);
    return NULL;
}

/* The session's settings from the options (no connection yet). */
static ftp_result configure(const ftpx_opts *o, ftp_session *s)
{
    uint64_t ms = (uint64_t)(o->timeout_s * 1000.0 + 0.5);
    ftp_result r;

    if (ms == 0 && o->timeout_s > 0.0)
        ms = 1;
    if ((r = ftp_set_timeout_ms(s, ms)) != FTP_OK) {
        ftpx_report(o, s, "setting the timeout", r);
        return r;
    }
    if ((r = ftp_set_pasv(s, !o->active)) != FTP_OK) {
        ftpx_report(o, s, o->active ? "selecting active mode" : "selecting passive mode", r);
        return r;
    }
    if (o->debug && (r = ftp_set_debuglevel(s, 1)) != FTP_OK) {
        ftpx_report(o, s, "setting the debug level", r);
        return r;
    }
    /* The tools use the URL's path themselves (ftp_url_path). */
    if ((r = ftp_set_url_cwd(s, FTP_URL_CWD_NONE)) != FTP_OK) {
        ftpx_report(o, s, "choosing how to use the URL's path", r);
        return r;
    }
    /* $NETRC, else ~/.netrc (a missing one has no entries); neither HOME
     * nor NETRC set: no netrc. */
    if (getenv("NETRC") != NULL || getenv("HOME") != NULL) {
        if ((r = ftp_set_netrc(s, NULL)) != FTP_OK) {
            ftpx_report(o, s, "choosing the netrc file", r);
            return r;
        }
    }
    return FTP_OK;
}

ftp_session *ftpx_open(const ftpx_opts *o, const char *url, char **path, int *status)
{
    ftp_tls_config *c = NULL;
    ftp_session *s;
    char *rewritten = NULL;
    ftp_result r;

    *path = NULL;
    *status = 1;
    s = ftp_session_new();
    if (s == NULL) {
        fprintf(stderr, "%s: ftp_session_new failed (out of memory?)\n", o->prog);
        return NULL;
    }
    if (configure(o, s) != FTP_OK)
        goto fail;
    if (ftpx_uses_tls(o, url) && (c = tls_config(o)) == NULL)
        goto fail;
    /* --tls on an ftp:// URL: the same URL as ftpes://. */
    if (o->tls && has_scheme(url, "ftp")) {
        rewritten = ftpx_concat(o, "ftpes", url + 3);
        if (rewritten == NULL)
            goto fail;
        url = rewritten;
    }
    /* Connect (every address of the name), secure (FTPS), log in (URL,
     * netrc or anonymous; FTPS: then PBSZ 0, PROT P). Messages never show
     * the URL: it may hold a password. */
    r = ftp_connect_url(s, url, c);
    if (r != FTP_OK) {
        ftpx_report(o, s, "opening the URL", r);
        if (r == FTP_ERROR_INVALID_ARGUMENT)
            *status = 2; /* a malformed URL (or netrc file) */
        goto fail;
    }
    *path = ftpx_concat(o, ftp_url_path(s), "");
    if (*path == NULL)
        goto fail;
    ftp_tls_config_free(c);
    free(rewritten);
    return s;

fail:
    ftp_tls_config_free(c);
    free(rewritten);
    ftp_session_free(s);
    return NULL;
}

void ftpx_close(ftp_session *s)
{
    if (s == NULL)
        return;
    /* A failed QUIT (server already gone, timeout...) changes nothing for
     * the caller: the session is freed (and closed) either way. */
    (void)ftp_quit(s);
    ftp_session_free(s);
}

/* ------------------------------------------------- whole-file options */

int ftpx_copy_option(void *ctx, const char *prog, int argc, char **argv, int *i)
{
    ftpx_copy_flags *g = ctx;
    const char *a = argv[*i];
    (void)prog;
    (void)argc;
    if (strcmp(a, "-c") == 0 || strcmp(a, "--continue") == 0)
        g->resume = true;
    else if (strcmp(a, "--verify") == 0)
        g->verify = true;
    else if (strcmp(a, "-p") == 0 || strcmp(a, "--create-dirs") == 0)
        g->mkdirs = true;
    else
        return 0;
    (*i)++;
    return 1;
}

/* ---------------------------------------------------------- progress */

double ftpx_now_s(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return 0.0;
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "12.3 MiB" style, into buf. */
void ftpx_human(char *buf, size_t len, double v)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    size_t u = 0;
    while (v >= 1024.0 && u + 1 < sizeof units / sizeof units[0]) {
        v /= 1024.0;
        u++;
    }
    if (u == 0)
        snprintf(buf, len, "%.0f %s", v, units[u]);
    else
        snprintf(buf, len, "%.1f %s", v, units[u]);
}

/* "1:02:03" or "2:03" into buf. */
static void clock_text(char *buf, size_t len, double seconds)
{
    unsigned long t = seconds > 0.0 && seconds < 3.6e7 ? (unsigned long)(seconds + 0.5) : 0;
    if (t >= 3600)
        snprintf(buf, len, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, len, "%lu:%02lu", t / 60, t % 60);
}

/* "name: 12.0 MiB / 40.0 MiB  30%  5.1 MiB/s  ETA 0:05". The rate counts
 * the bytes of this run only (not a resumed file's first part). */
static void format_line(const ftpx_progress *p, double elapsed, char *line, size_t len)
{
    char done[32], total[32], rate[32], eta[32];
    uint64_t moved = p->done > p->base ? p->done - p->base : 0;
    double r = elapsed > 0.0 ? (double)moved / elapsed : 0.0;

    ftpx_human(done, sizeof done, (double)p->done);
    ftpx_human(rate, sizeof rate, r);
    if (p->total >= 0) {
        double pct = p->total > 0 ? 100.0 * (double)p->done / (double)p->total : 100.0;
        double left = (double)p->total - (double)p->done;
        if (pct > 100.0)
            pct = 100.0;
        ftpx_human(total, sizeof total, (double)p->total);
        if (r > 0.0 && left > 0.0)
            clock_text(eta, sizeof eta, left / r);
        else
            snprintf(eta, sizeof eta, "-");
        snprintf(line, len, "%s: %s / %s  %3.0f%%  %s/s  ETA %s", p->label, done, total, pct,
                 rate, eta);
    } else {
        snprintf(line, len, "%s: %s  %s/s", p->label, done, rate);
    }
}

static void draw(ftpx_progress *p, double t)
{
    char line[512];
    size_t n;

    format_line(p, t - p->start, line, sizeof line);
    n = strlen(line);
    /* Blank what is left of a longer previous line. */
    fprintf(stderr, "\r%s%*s", line, p->last_width > n ? (int)(p->last_width - n) : 0, "");
    fflush(stderr);
    p->last_width = n;
    p->drawn = true;
    p->last_draw = t;
}

/* Not a terminal: a plain line now and then, so that logs show progress. */
static void plain_line(ftpx_progress *p, double t)
{
    char line[512];
    format_line(p, t - p->start, line, sizeof line);
    fprintf(stderr, "%s: %s\n", p->prog, line);
    fflush(stderr);
    p->last_draw = t;
}

void ftpx_progress_start(ftpx_progress *p, const char *prog, const char *label,
                         int64_t total, bool quiet)
{
    memset(p, 0, sizeof *p);
    p->prog = prog;
    p->label = label;
    p->total = total;
    p->enabled = !quiet;
    p->tty = isatty(STDERR_FILENO) == 1;
    p->start = ftpx_now_s();
    p->last_draw = p->start;
}

/* libftp's progress reports (ftp_set_progress_callback). */
static int on_progress(void *userdata, const ftp_progress *r)
{
    ftpx_progress *p = userdata;
    double t;

    p->base = r->offset;
    p->done = r->offset + r->bytes;
    if (r->total >= 0)
        p->total = r->total;
    if (!p->enabled)
        return 0;
    t = ftpx_now_s();
    if (p->tty) {
        /* The first redraw after 0.1 s: tiny transfers print only their
         * final line. */
        if (t - p->last_draw >= 0.1)
            draw(p, t);
    } else if (t - p->last_draw >= FTPX_PLAIN_EVERY_S) {
        plain_line(p, t);
    }
    return 0;
}

ftp_result ftpx_progress_attach(ftpx_progress *p, ftp_session *s)
{
    return ftp_set_progress_callback(s, on_progress, p, 100);
}

void ftpx_progress_end(ftpx_progress *p, bool ok)
{
    double t = ftpx_now_s();
    double elapsed = t - p->start;

    if (!p->enabled)
        return;
    if (p->tty) {
        if (ok) {
            draw(p, t);
            fputc('\n', stderr);
        } else if (p->drawn) {
            fputc('\n', stderr);
        }
    } else if (ok) {
        char done[32], rate[32];
        uint64_t moved = p->done > p->base ? p->done - p->base : 0;
        ftpx_human(done, sizeof done, (double)moved);
        ftpx_human(rate, sizeof rate, elapsed > 0.0 ? (double)moved / elapsed : 0.0);
        fprintf(stderr, "%s: %s: %llu bytes (%s) in %.2f s, %s/s\n", p->prog, p->label,
                (unsigned long long)moved, done, elapsed, rate);
    }
    fflush(stderr);
    p->drawn = false;
}
