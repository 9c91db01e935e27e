/*
 * ftp-ls: list a directory over FTP with libftp.
 *
 *   ftp-ls [OPTIONS] [-l|--mlsd] URL
 *
 * Default: names only (NLST).  -l: the server's long listing (LIST).
 * --mlsd: machine listing (MLSD), one "type size modify name" line per entry.
 * Exit status: 0 success, 1 failure, 2 usage error.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftp.h"
#include "ftpurl.h"

static const char prog[] = "ftp-ls";

enum mode { MODE_NLST, MODE_LIST, MODE_MLSD };

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: %s [OPTIONS] [-l|--mlsd] URL\n"
            "List the directory at URL on standard output: names only (NLST) by default.\n"
            "\n"
            "URL: ftp://[user[:password]@]host[:port]/path  (%%XX escapes allowed in user,\n"
            "     password and path; default user anonymous, default port 21; an empty\n"
            "     path lists the login directory, ftp://host//abs an absolute one)\n"
            "\n"
            "Options:\n"
            "  -l                 long listing as the server formats it (LIST)\n"
            "  --mlsd             machine listing (MLSD): one line per entry,\n"
            "                     \"type size modify name\" ('-' for a missing fact)\n"
            "%s"
            "\n"
            "Exit status: 0 success, 1 failure, 2 usage error.\n",
            prog, ftpx_common_options_help);
}

static int usage_error(const char *msg, const char *arg)
{
    if (arg != NULL)
        fprintf(stderr, "%s: %s '%s'\n", prog, msg, arg);
    else
        fprintf(stderr, "%s: %s\n", prog, msg);
    fprintf(stderr, "Try '%s --help' for more information.\n", prog);
    return 2;
}

struct lsctx {
    int write_errno; /* set when writing to stdout failed */
};

static int put_line(struct lsctx *c, const char *line, size_t len)
{
    errno = 0;
    if ((len > 0 && fwrite(line, 1, len, stdout) != len) || putchar('\n') == EOF) {
        c->write_errno = errno != 0 ? errno : EIO;
        return 1;
    }
    return 0;
}

static int on_line(void *userdata, const char *line, size_t len)
{
    return put_line(userdata, line, len);
}

static const char *fact(const ftp_fact *facts, size_t nfacts, const char *name)
{
    size_t i;
    for (i = 0; i < nfacts; i++)
        if (facts[i].name != NULL && strcmp(facts[i].name, name) == 0)
            return facts[i].value != NULL && facts[i].value[0] != '\0' ? facts[i].value : "-";
    return "-";
}

static int on_entry(void *userdata, const char *name, const ftp_fact *facts, size_t nfacts)
{
    struct lsctx *c = userdata;
    errno = 0;
    if (printf("%s %s %s %s\n", fact(facts, nfacts, "type"), fact(facts, nfacts, "size"),
               fact(facts, nfacts, "modify"), name != NULL ? name : "") < 0) {
        c->write_errno = errno != 0 ? errno : EIO;
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    ftpx_opts o;
    ftpurl u;
    char err[512];
    const char *url = NULL;
    int i = 1, rc;
    bool opts_done = false;
    enum mode mode = MODE_NLST;
    ftp_session *s = NULL;
    ftp_result r;
    struct lsctx ctx;
    const char *args;
    const char *what;
    int status = 1;

    ftpx_opts_init(&o, prog);
    while (i < argc) {
        const char *a = argv[i];
        if (!opts_done && a[0] == '-' && a[1] != '\0') {
            if (strcmp(a, "--") == 0) {
                opts_done = true;
                i++;
                continue;
            }
            if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
                usage(stdout);
                return fflush(stdout) == 0 ? 0 : 1;
            }
            if (strcmp(a, "--version") == 0) {
                printf("%s (libftp %s)\n", prog, ftp_version());
                return fflush(stdout) == 0 ? 0 : 1;
            }
            if (strcmp(a, "-l") == 0 || strcmp(a, "--mlsd") == 0) {
                enum mode m = a[1] == 'l' ? MODE_LIST : MODE_MLSD;
                if (mode != MODE_NLST && mode != m)
                    return usage_error("-l and --mlsd exclude each other", NULL);
                mode = m;
                i++;
                continue;
            }
            rc = ftpx_parse_common_option(&o, argc, argv, &i);
            if (rc < 0)
                return usage_error("bad option", NULL);
            if (rc > 0)
                continue;
            return usage_error("unknown option", a);
        }
        if (url != NULL)
            return usage_error("too many arguments:", a);
        url = a;
        i++;
    }
    if (url == NULL)
        return usage_error("missing URL", NULL);

    if (ftpurl_parse(url, &u, err, sizeof err) != 0) {
        fprintf(stderr, "%s: %s\n", prog, err);
        return 2;
    }

    s = ftpx_open(&o, &u);
    if (s == NULL)
        goto done;

    memset(&ctx, 0, sizeof ctx);
    args = u.path[0] != '\0' ? u.path : NULL; /* NULL: the current directory */
    switch (mode) {
    case MODE_LIST:
        what = "LIST";
        r = ftp_dir(s, args, on_line, &ctx);
        break;
    case MODE_MLSD:
        what = "MLSD";
        r = ftp_mlsd(s, args, NULL, 0, on_entry, &ctx);
        break;
    case MODE_NLST:
    default:
        what = "NLST";
        r = ftp_nlst(s, args, on_line, &ctx);
        break;
    }
    if (r != FTP_OK) {
        if (ctx.write_errno != 0) {
            fprintf(stderr, "%s: writing to stdout: %s\n", prog, strerror(ctx.write_errno));
        } else {
            char msg[600];
            snprintf(msg, sizeof msg, "listing '%s' (%s)", args != NULL ? args : ".", what);
            ftpx_report(&o, s, msg, r);
        }
        goto done;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: writing to stdout: %s\n", prog, strerror(errno));
        goto done;
    }
    status = 0;

done:
    ftpx_close(s);
    ftpurl_free(&u);
    return status;
}
