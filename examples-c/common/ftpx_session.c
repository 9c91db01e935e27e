/* Shared helpers for the libftp C examples, the session (set-up, error
 * reports, close): see ftpx.h. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "ftpx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

ftp_tls_config *ftpx_tls_config(const ftpx_opts *o)
{
    static bool warned = false;
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
        if (!warned)
            fprintf(stderr,
                    "%s: warning: --insecure: the server's certificate and host name are not "
                    "checked: the connection is encrypted but not authenticated\n",
                    o->prog);
        warned = true; /* a tool may build a second configuration (its pool) */
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
    if (o->proxy != NULL && (r = ftp_set_proxy(s, o->proxy)) != FTP_OK) {
        ftpx_report(o, s, "setting the proxy (--proxy)", r);
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
    char *full = NULL;
    ftp_result r;

    *path = NULL;
    *status = 1;
    s = ftp_session_new();
    if (s == NULL) {
        fprintf(stderr, "%s: ftp_session_new failed (out of memory?)\n", o->prog);
        return NULL;
    }
    if ((r = configure(o, s)) != FTP_OK) {
        if (r == FTP_ERROR_INVALID_ARGUMENT)
            *status = 2; /* a malformed --proxy URL */
        goto fail;
    }
    if (ftpx_uses_tls(o, url) && (c = ftpx_tls_config(o)) == NULL)
        goto fail;
    if ((full = ftpx_session_url(o, url)) == NULL)
        goto fail;
    /* Connect (every address of the name), secure (FTPS), log in (URL,
     * netrc or anonymous; FTPS: then PBSZ 0, PROT P). Messages never show
     * the URL: it may hold a password. */
    r = ftp_connect_url(s, full, c);
    if (r != FTP_OK) {
        ftpx_report(o, s, o->proxy != NULL ? "opening the URL through the proxy" : "opening the URL",
                    r);
        if (r == FTP_ERROR_INVALID_ARGUMENT)
            *status = 2; /* a malformed URL (or netrc file) */
        goto fail;
    }
    *path = ftpx_concat(o, ftp_url_path(s), "");
    if (*path == NULL)
        goto fail;
    ftp_tls_config_free(c);
    free(full);
    return s;

fail:
    ftp_tls_config_free(c);
    free(full);
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
