/*
 * ftp-ls: list a directory over FTP or FTPS with libftp.
 *
 *   ftp-ls [OPTIONS] [-l|--raw|--mlsd] URL
 *
 * Default: names only (NLST).  -l: a table of parsed entries (ftp_list: MLSD
 * when the server has it, else LIST in whatever format the server uses):
 * type, permissions, owner, size, date, name.  --raw: the server's own
 * long listing (LIST) as it sent it.  --mlsd: machine listing (MLSD), one
 * "type size modify name" line per entry.
 * Exit status: 0 success, 1 failure, 2 usage error.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ftp.h"
#include "ftpx.h"

static const char prog[] = "ftp-ls";

enum mode { MODE_NLST, MODE_LONG, MODE_RAW, MODE_MLSD };

/* ftp-ls's own options -l, --raw and --mlsd (see ftpx_tool.option). */
static int mode_option(void *ctx, const char *name, int argc, char **argv, int *i)
{
    enum mode *mode = ctx;
    const char *a = argv[*i];
    enum mode m;

    (void)argc;
    if (strcmp(a, "-l") == 0)
        m = MODE_LONG;
    else if (strcmp(a, "--raw") == 0)
        m = MODE_RAW;
    else if (strcmp(a, "--mlsd") == 0)
        m = MODE_MLSD;
    else
        return 0;
    if (*mode != MODE_NLST && *mode != m) {
        fprintf(stderr, "%s: -l, --raw and --mlsd exclude each other\n", name);
        return -1;
    }
    *mode = m;
    (*i)++;
    return 1;
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

/* One row of the -l table: type, permissions, owner, size, date (UTC when
 * the listing says so, else the server's clock; the day alone when the
 * listing gives no time), name (and a link's target). Unparsed lines are
 * printed as they came, after "?". */
static int on_table_entry(void *userdata, const ftp_entry *e)
{
    struct lsctx *c = userdata;
    static const char types[] = "-dlo?";
    char size[32] = "-", date[32] = "-";
    int rc;

    errno = 0;
    if (e->type == FTP_ENTRY_UNKNOWN) {
        rc = printf("? %s\n", e->raw);
    } else {
        if (e->size >= 0) snprintf(size, sizeof size, "%lld", (long long)e->size);
        if (e->mtime != FTP_TIME_UNKNOWN) {
            time_t t = (time_t)e->mtime;
            struct tm tm;
            if (gmtime_r(&t, &tm) != NULL)
                strftime(date, sizeof date, e->mtime_precision >= 86400 ? "%Y-%m-%d      " : "%Y-%m-%d %H:%M", &tm);
        }
        rc = printf("%c %-10s %-8s %12s %-16s %s%s%s\n", types[e->type < 0 || e->type > 4 ? 4 : e->type],
                    e->unix_mode != NULL ? e->unix_mode : "-", e->owner != NULL ? e->owner : "-", size,
                    date, e->name, e->link_target != NULL ? " -> " : "",
                    e->link_target != NULL ? e->link_target : "");
    }
    if (rc < 0) {
        c->write_errno = errno != 0 ? errno : EIO;
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    ftpx_opts o;
    char *path = NULL;
    const char *url = NULL;
    int npos = 0, rc;
    enum mode mode = MODE_NLST;
    const ftpx_tool tool = {
        .prog = prog,
        .synopsis = "[OPTIONS] [-l|--raw|--mlsd] URL",
        .about = "List the directory at URL on standard output: names only (NLST) by default.\n",
        .path_note = "     An empty path lists the login directory, ftp://host//abs an absolute\n"
                     "     one.\n",
        .options = "  -l                 a table of parsed entries: type, permissions, owner,\n"
                   "                     size, date (UTC, or the server's clock for LIST\n"
                   "                     formats), name (MLSD or LIST, whatever the server\n"
                   "                     has; unparsed lines after '?')\n"
                   "  --raw              long listing as the server formats it (LIST)\n"
                   "  --mlsd             machine listing (MLSD): one line per entry,\n"
                   "                     \"type size modify name\" ('-' for a missing fact)\n",
        .max_args = 1,
        .option = mode_option,
        .option_ctx = &mode,
    };
    ftp_session *s = NULL;
    ftp_result r;
    struct lsctx ctx;
    const char *args;
    const char *what;
    int status = 1;

    rc = ftpx_parse_args(&tool, argc, argv, &o, &url, &npos);
    if (rc >= 0)
        return rc;
    if (npos < 1)
        return ftpx_usage_error(prog, "missing URL", NULL);
    if ((rc = ftpx_check_url(&o, url)) != 0)
        return rc;

    s = ftpx_open(&o, url, &path, &status);
    if (s == NULL)
        goto done;

    memset(&ctx, 0, sizeof ctx);
    args = path[0] != '\0' ? path : NULL; /* NULL: the current directory */
    switch (mode) {
    case MODE_LONG:
        what = "ftp_list";
        r = ftp_list(s, args, on_table_entry, &ctx);
        break;
    case MODE_RAW:
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
    free(path);
    return status;
}
