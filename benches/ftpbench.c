/*
 * ftpbench: the libftp side of benches/run.sh (C API only).
 *
 *   ftpbench [OPTIONS] MODE ARGS...
 *
 * Modes (HOST PORT first for those that talk to a server):
 *   retr-null  HOST PORT REMOTE          ftp_retrbinary into a discarding callback
 *   retr-write HOST PORT REMOTE LOCAL    ftp_retrbinary, callback write(2)s to LOCAL
 *   retr-fd    HOST PORT REMOTE LOCAL    ftp_retr_to_fd into LOCAL (default: a 1 MiB
 *                                        buffer into a regular file, splice into a
 *                                        pipe; with --zero-copy always also splice
 *                                        into a regular file on a plain connection)
 *   stor-read  HOST PORT LOCAL REMOTE    ftp_storbinary, callback read(2)s LOCAL
 *   stor-fd    HOST PORT LOCAL REMOTE    ftp_stor_from_fd from LOCAL (default: sendfile
 *                                        on a plain connection to a non-loopback
 *                                        server, else a 64 KiB buffer; with
 *                                        --zero-copy always sendfile whenever plain)
 *   get-file   HOST PORT REMOTE LOCAL    ftp_download_file(REMOTE, LOCAL, --flags)
 *   put-file   HOST PORT LOCAL REMOTE    ftp_upload_file(LOCAL, REMOTE, --flags)
 *   many       HOST PORT LISTFILE OUTDIR one session; for each remote path in
 *                                        LISTFILE (one a line), RETR it into
 *                                        OUTDIR/<basename> (ftp_retr_to_fd, or
 *                                        ftp_retrbinary + write(2) with --cb)
 *   loopback   BYTES                     loopback ceiling: a forked writer sends
 *                                        BYTES over 127.0.0.1 TCP (write(2) from a
 *                                        1 MiB buffer, sendfile(2) of FILE with
 *                                        --sendfile FILE, splice(2) through a pipe
 *                                        with --sendfile FILE --splice), the reader
 *                                        read(2)s them into a 1 MiB buffer and
 *                                        drops them
 * Options:
 *   --bs N         block size of ftp_retrbinary / ftp_storbinary (default 1048576)
 *   --tls CAFILE   explicit FTPS: ftp_session_new_tls with CAFILE, AUTH TLS
 *                  (through ftp_login), then PBSZ 0 + PROT P (ftp_prot_p)
 *   --cb           many: ftp_retrbinary + write(2) instead of ftp_retr_to_fd
 *   --zero-copy M  ftp_set_zero_copy(s, FTP_ZERO_COPY_AUTO / _ALWAYS / _NEVER)
 *                  for M = auto / always / never, right after creating the
 *                  session (default: not called, i.e. the library's AUTO)
 *   --sendfile F   loopback: the writer sendfile(2)s F instead of write(2)
 *   --splice       loopback with --sendfile F: the writer splice(2)s F into a
 *                  1 MiB pipe and the pipe into the socket instead
 *   --flags N      get-file / put-file: the FTP_RESUME | FTP_VERIFY | ... flags
 *                  (default 0)
 *   --debug        ftp_set_debuglevel(s, 1): the conversation on stderr
 *
 * Prints one line on stdout:
 *   bytes=N secs=S mbps=M vmhwm_kib=K
 * (bytes=unknown for retr-fd into something other than a regular file,
 * e.g. /dev/null: libftp itself checks the size announced in the 150 reply)
 * (secs: from before the connect to after QUIT; MB/s = 10^6 bytes/s;
 * vmhwm_kib: peak resident set size of this process, /proc/self/status).
 * Exit status 0 on success, 1 on failure (reason on stderr), 2 usage.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ftp.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long vmhwm_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    if (f == NULL)
        return -1;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "VmHWM:", 6) == 0) {
            v = strtol(line + 6, NULL, 10);
            break;
        }
    }
    fclose(f);
    return v;
}

/* FTPBENCH_SMAPS=1: the resident size of each mapping on stderr (where
 * the RSS goes). */
static void dump_smaps(void)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    char line[512], name[512] = "";
    if (f == NULL)
        return;
    while (fgets(line, sizeof line, f) != NULL) {
        bool header = (line[0] >= '0' && line[0] <= '9') || (line[0] >= 'a' && line[0] <= 'f');
        if (header) {
            snprintf(name, sizeof name, "%s", line);
        } else if (strncmp(line, "Rss:", 4) == 0) {
            long kb = strtol(line + 4, NULL, 10);
            if (kb >= 64)
                fprintf(stderr, "smaps: %6ld kB  %s", kb, name);
        }
    }
    fclose(f);
}

static bool bytes_unknown;

static void report(uint64_t bytes, double secs)
{
    if (getenv("FTPBENCH_SMAPS") != NULL)
        dump_smaps();
    if (bytes_unknown)
        printf("bytes=unknown secs=%.6f vmhwm_kib=%ld\n", secs, vmhwm_kib());
    else
        printf("bytes=%llu secs=%.6f mbps=%.1f vmhwm_kib=%ld\n", (unsigned long long)bytes,
               secs, secs > 0 ? (double)bytes / secs / 1e6 : 0.0, vmhwm_kib());
}

static int usage(void)
{
    fprintf(stderr, "usage: ftpbench [--bs N] [--tls CAFILE] [--cb] [--zero-copy auto|always|never] [--sendfile FILE [--splice]] [--flags N] [--debug] MODE ARGS...\n"
                    "modes: retr-null HOST PORT REMOTE | retr-write HOST PORT REMOTE LOCAL |\n"
                    "       retr-fd HOST PORT REMOTE LOCAL | stor-read HOST PORT LOCAL REMOTE |\n"
                    "       stor-fd HOST PORT LOCAL REMOTE | get-file HOST PORT REMOTE LOCAL |\n"
                    "       put-file HOST PORT LOCAL REMOTE | many HOST PORT LISTFILE OUTDIR |\n"
                    "       loopback BYTES\n");
    return 2;
}

static void fail(ftp_session *s, const char *what, ftp_result r)
{
    fprintf(stderr, "ftpbench: %s: %s: %s\n", what, ftp_result_name(r),
            s != NULL ? ftp_last_error(s) : "");
    if (s != NULL && ftp_last_code(s) != 0)
        fprintf(stderr, "ftpbench: server reply: %s\n", ftp_last_response(s));
}

/* ------------------------------------------------------------ callbacks */

struct counter {
    uint64_t bytes;
    int fd;
    int err;
};

static int cb_null(void *ud, const uint8_t *data, size_t len)
{
    struct counter *c = ud;
    (void)data;
    c->bytes += len;
    return 0;
}

static int cb_write(void *ud, const uint8_t *data, size_t len)
{
    struct counter *c = ud;
    c->bytes += len;
    while (len > 0) {
        ssize_t n = write(c->fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            c->err = errno;
            return 1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

static int64_t cb_read(void *ud, uint8_t *buf, size_t cap)
{
    struct counter *c = ud;
    for (;;) {
        ssize_t n = read(c->fd, buf, cap);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            c->err = errno;
            return -1;
        }
        c->bytes += (uint64_t)n;
        return n;
    }
}

/* ------------------------------------------------------------- session */

static bool debug;
static int zero_copy = -1; /* -1: ftp_set_zero_copy not called */

static ftp_session *open_session(const char *host, const char *port, const char *cafile)
{
    ftp_session *s;
    ftp_result r;

    if (cafile != NULL) {
        ftp_tls_config *cfg = ftp_tls_config_new();
        if (cfg == NULL)
            return NULL;
        r = ftp_tls_config_set_ca_file(cfg, cafile);
        if (r != FTP_OK) {
            fail(NULL, "ftp_tls_config_set_ca_file", r);
            ftp_tls_config_free(cfg);
            return NULL;
        }
        s = ftp_session_new_tls(cfg);
        ftp_tls_config_free(cfg);
    } else {
        s = ftp_session_new();
    }
    if (s == NULL)
        return NULL;
    if (zero_copy >= 0 && (r = ftp_set_zero_copy(s, zero_copy)) != FTP_OK) {
        fail(s, "ftp_set_zero_copy", r);
        goto bad;
    }
    ftp_set_timeout_ms(s, 120000);
    if (debug)
        ftp_set_debuglevel(s, 1);
    if ((r = ftp_connect(s, host, (uint16_t)atoi(port))) != FTP_OK) {
        fail(s, "connect", r);
        goto bad;
    }
    if ((r = ftp_login(s, "anonymous", NULL, NULL)) != FTP_OK) {
        fail(s, "login", r);
        goto bad;
    }
    if (cafile != NULL && (r = ftp_prot_p(s)) != FTP_OK) {
        fail(s, "PROT P", r);
        goto bad;
    }
    return s;
bad:
    ftp_session_free(s);
    return NULL;
}

static char *concat(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *p = malloc(la + lb + 1);
    if (p == NULL) {
        perror("ftpbench: malloc");
        exit(1);
    }
    memcpy(p, a, la);
    memcpy(p + la, b, lb + 1);
    return p;
}

/* ------------------------------------------------------------ loopback */

static int loopback(uint64_t bytes, const char *sendfile_path, bool use_splice)
{
    struct sockaddr_in a;
    socklen_t alen = sizeof a;
    int lfd, cfd;
    pid_t pid;
    size_t bufsz = 1 << 20;
    char *buf = malloc(bufsz);
    uint64_t got = 0;
    double t0, t1;
    int st;

    if (buf == NULL)
        return 1;
    memset(buf, 0x5a, bufsz);
    lfd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(lfd, 1) != 0 ||
        getsockname(lfd, (struct sockaddr *)&a, &alen) != 0) {
        perror("ftpbench: loopback listen");
        return 1;
    }
    t0 = now();
    pid = fork();
    if (pid < 0) {
        perror("ftpbench: fork");
        return 1;
    }
    if (pid == 0) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        uint64_t left = bytes;
        if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
            _exit(1);
        if (sendfile_path != NULL && use_splice) {
            /* file -> pipe (1 MiB) -> socket, as an alternative to sendfile */
            int in = open(sendfile_path, O_RDONLY), p[2];
            if (in < 0 || pipe(p) != 0)
                _exit(1);
            (void)fcntl(p[1], F_SETPIPE_SZ, 1 << 20);
            while (left > 0) {
                ssize_t n = splice(in, NULL, p[1], NULL, left > bufsz ? bufsz : (size_t)left,
                                   SPLICE_F_MOVE | SPLICE_F_MORE);
                if (n <= 0)
                    _exit(n == 0 ? 0 : 1);
                left -= (uint64_t)n;
                while (n > 0) {
                    ssize_t m = splice(p[0], NULL, fd, NULL, (size_t)n,
                                       SPLICE_F_MOVE | (left > 0 ? SPLICE_F_MORE : 0));
                    if (m <= 0)
                        _exit(1);
                    n -= m;
                }
            }
        } else if (sendfile_path != NULL) {
            int in = open(sendfile_path, O_RDONLY);
            if (in < 0)
                _exit(1);
            while (left > 0) {
                ssize_t n = sendfile(fd, in, NULL, left > bufsz ? bufsz : (size_t)left);
                if (n <= 0)
                    _exit(n == 0 ? 0 : 1); /* file shorter than BYTES: stop there */
                left -= (uint64_t)n;
            }
        } else {
            while (left > 0) {
                ssize_t n = write(fd, buf, left > bufsz ? bufsz : (size_t)left);
                if (n < 0 && errno == EINTR)
                    continue;
                if (n <= 0)
                    _exit(1);
                left -= (uint64_t)n;
            }
        }
        _exit(0);
    }
    cfd = accept(lfd, NULL, NULL);
    if (cfd < 0) {
        perror("ftpbench: accept");
        return 1;
    }
    for (;;) {
        ssize_t n = read(cfd, buf, bufsz);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            perror("ftpbench: loopback read");
            return 1;
        }
        if (n == 0)
            break;
        got += (uint64_t)n;
    }
    t1 = now();
    close(cfd);
    close(lfd);
    if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "ftpbench: loopback writer failed\n");
        return 1;
    }
    report(got, t1 - t0);
    free(buf);
    return 0;
}

/* ---------------------------------------------------------------- main */

int main(int argc, char **argv)
{
    size_t bs = 1 << 20;
    const char *cafile = NULL, *sendfile_path = NULL;
    bool use_cb = false, use_splice = false;
    unsigned file_flags = 0;
    const char *mode;
    ftp_session *s = NULL;
    ftp_result r = FTP_OK;
    struct counter c;
    double t0, t1;
    int i = 1, nargs;
    int status = 1;
    char *cmd = NULL;

    signal(SIGPIPE, SIG_IGN);
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--bs") == 0 && i + 1 < argc)
            bs = (size_t)strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--tls") == 0 && i + 1 < argc)
            cafile = argv[++i];
        else if (strcmp(argv[i], "--cb") == 0)
            use_cb = true;
        else if (strcmp(argv[i], "--flags") == 0 && i + 1 < argc)
            file_flags = (unsigned)strtoul(argv[++i], NULL, 0);
        else if (strcmp(argv[i], "--sendfile") == 0 && i + 1 < argc)
            sendfile_path = argv[++i];
        else if (strcmp(argv[i], "--zero-copy") == 0 && i + 1 < argc) {
            const char *z = argv[++i];
            if (strcmp(z, "auto") == 0)
                zero_copy = FTP_ZERO_COPY_AUTO;
            else if (strcmp(z, "always") == 0)
                zero_copy = FTP_ZERO_COPY_ALWAYS;
            else if (strcmp(z, "never") == 0)
                zero_copy = FTP_ZERO_COPY_NEVER;
            else
                return usage();
        } else if (strcmp(argv[i], "--debug") == 0)
            debug = true;
        else if (strcmp(argv[i], "--splice") == 0)
            use_splice = true;
        else
            return usage();
    }
    if (i >= argc)
        return usage();
    mode = argv[i++];
    nargs = argc - i;
    if (strcmp(mode, "loopback") == 0) {
        if (nargs != 1)
            return usage();
        if (use_splice && sendfile_path == NULL)
            return usage();
        return loopback(strtoull(argv[i], NULL, 10), sendfile_path, use_splice);
    }
    if (nargs < 3)
        return usage();
    memset(&c, 0, sizeof c);
    c.fd = -1;

    t0 = now();
    s = open_session(argv[i], argv[i + 1], cafile);
    if (s == NULL)
        return 1;

    if (strcmp(mode, "retr-null") == 0 && nargs == 3) {
        cmd = concat("RETR ", argv[i + 2]);
        r = ftp_retrbinary(s, cmd, cb_null, &c, bs, FTP_NO_REST);
    } else if ((strcmp(mode, "retr-write") == 0 || strcmp(mode, "retr-fd") == 0) && nargs == 4) {
        cmd = concat("RETR ", argv[i + 2]);
        c.fd = open(argv[i + 3], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (c.fd < 0) {
            perror(argv[i + 3]);
            goto done;
        }
        if (mode[5] == 'w') {
            r = ftp_retrbinary(s, cmd, cb_write, &c, bs, FTP_NO_REST);
        } else {
            struct stat st;
            r = ftp_retr_to_fd(s, cmd, c.fd, FTP_NO_REST);
            if (r == FTP_OK && fstat(c.fd, &st) == 0 && S_ISREG(st.st_mode))
                c.bytes = (uint64_t)st.st_size;
            else
                bytes_unknown = true; /* /dev/null, a pipe: libftp checked the
                                         size the 150 reply announced */
        }
    } else if ((strcmp(mode, "stor-read") == 0 || strcmp(mode, "stor-fd") == 0) && nargs == 4) {
        cmd = concat("STOR ", argv[i + 3]);
        c.fd = open(argv[i + 2], O_RDONLY | O_CLOEXEC);
        if (c.fd < 0) {
            perror(argv[i + 2]);
            goto done;
        }
        if (mode[5] == 'r') {
            r = ftp_storbinary(s, cmd, cb_read, &c, bs, NULL, FTP_NO_REST);
        } else {
            r = ftp_stor_from_fd(s, cmd, c.fd, FTP_NO_REST);
            if (r == FTP_OK) {
                off_t off = lseek(c.fd, 0, SEEK_CUR);
                c.bytes = off > 0 ? (uint64_t)off : 0;
            }
        }
    } else if (strcmp(mode, "get-file") == 0 && nargs == 4) {
        struct stat st;
        r = ftp_download_file(s, argv[i + 2], argv[i + 3], file_flags);
        if (r == FTP_OK && stat(argv[i + 3], &st) == 0)
            c.bytes = (uint64_t)st.st_size;
    } else if (strcmp(mode, "put-file") == 0 && nargs == 4) {
        struct stat st;
        r = ftp_upload_file(s, argv[i + 2], argv[i + 3], file_flags);
        if (r == FTP_OK && stat(argv[i + 2], &st) == 0)
            c.bytes = (uint64_t)st.st_size;
    } else if (strcmp(mode, "many") == 0 && nargs == 4) {
        FILE *list = fopen(argv[i + 2], "r");
        char line[4096];
        size_t files = 0;
        if (list == NULL) {
            perror(argv[i + 2]);
            goto done;
        }
        while (r == FTP_OK && fgets(line, sizeof line, list) != NULL) {
            char *base, *out;
            struct stat st;
            line[strcspn(line, "\r\n")] = '\0';
            if (line[0] == '\0')
                continue;
            base = strrchr(line, '/');
            base = base != NULL ? base + 1 : line;
            out = malloc(strlen(argv[i + 3]) + strlen(base) + 2);
            if (out == NULL)
                break;
            sprintf(out, "%s/%s", argv[i + 3], base);
            free(cmd);
            cmd = concat("RETR ", line);
            c.fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            if (c.fd < 0) {
                perror(out);
                free(out);
                fclose(list);
                goto done;
            }
            if (use_cb)
                r = ftp_retrbinary(s, cmd, cb_write, &c, bs, FTP_NO_REST);
            else
                r = ftp_retr_to_fd(s, cmd, c.fd, FTP_NO_REST);
            if (!use_cb && r == FTP_OK && fstat(c.fd, &st) == 0)
                c.bytes += (uint64_t)st.st_size;
            close(c.fd);
            c.fd = -1;
            free(out);
            files++;
        }
        fclose(list);
        if (r == FTP_OK && files == 0) {
            fprintf(stderr, "ftpbench: empty list\n");
            goto done;
        }
    } else {
        ftp_session_free(s);
        return usage();
    }
    if (r != FTP_OK) {
        if (c.err != 0)
            fprintf(stderr, "ftpbench: local file: %s\n", strerror(c.err));
        fail(s, mode, r);
        goto done;
    }
    ftp_quit(s);
    t1 = now();
    report(c.bytes, t1 - t0);
    status = 0;
done:
    if (c.fd >= 0)
        close(c.fd);
    ftp_session_free(s);
    free(cmd);
    return status;
}
