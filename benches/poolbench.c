/*
 * poolbench: times libftp's many-session calls for benches/wan-many.sh.
 *
 *   poolbench [--tls CAFILE] mirror URL down|up REMOTE_DIR LOCAL_DIR N
 *       ftp_pool_mirror over a pool of N sessions (flags 0: everything)
 *   poolbench [--tls CAFILE] segmented URL REMOTE LOCAL S
 *       ftp_pool_download_segmented in S parts over a pool of S sessions
 *
 * --tls CAFILE: an ftpes:// or ftps:// URL; the chain is verified against
 * CAFILE, the host name is not checked (the WAN proxy's address, 127.0.0.2,
 * is not in the test certificate; curl gets --resolve, lftp
 * ssl:check-hostname no, so all three do the same).
 *
 * Prints one line on stdout:
 *   secs=S files=F bytes=B vmhwm_kib=K
 * secs: from ftp_pool_new to after ftp_pool_free (all connects and logins
 * included); files/bytes: copied, from the mirror report (segmented: 1 and
 * the file's size); vmhwm_kib: peak resident set size of this process.
 * Exit status 0 on success, 1 on failure (reason on stderr), 2 usage.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

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
    long kib = -1;
    if (f == NULL)
        return -1;
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "VmHWM: %ld", &kib) == 1)
            break;
    fclose(f);
    return kib;
}

static int usage(void)
{
    fprintf(stderr, "usage: poolbench [--tls CAFILE] mirror URL down|up REMOTE_DIR LOCAL_DIR N\n"
                    "       poolbench [--tls CAFILE] segmented URL REMOTE LOCAL S\n");
    return 2;
}

static ftp_pool *open_pool(const char *url, const char *cafile, unsigned n)
{
    ftp_tls_config *cfg = NULL;
    ftp_pool *p;
    if (cafile != NULL) {
        cfg = ftp_tls_config_new();
        if (cfg == NULL || ftp_tls_config_set_ca_file(cfg, cafile) != FTP_OK ||
            ftp_tls_config_set_check_hostname(cfg, false) != FTP_OK) {
            fprintf(stderr, "poolbench: TLS configuration: %s\n",
                    cfg != NULL ? ftp_tls_config_last_error(cfg) : "out of memory");
            ftp_tls_config_free(cfg);
            return NULL;
        }
    }
    p = ftp_pool_new(url, cfg, n);
    ftp_tls_config_free(cfg);
    if (p == NULL)
        fprintf(stderr, "poolbench: ftp_pool_new: %s\n", ftp_pool_last_error(NULL));
    return p;
}

static unsigned count(const char *s)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    return (*end != '\0' || v == 0 || v > 1024) ? 0 : (unsigned)v;
}

int main(int argc, char **argv)
{
    const char *cafile = NULL;
    uint64_t files = 0, bytes = 0;
    ftp_result r;
    ftp_pool *p;
    double t0;
    int i = 1;

    if (argc > 2 && strcmp(argv[1], "--tls") == 0) {
        cafile = argv[2];
        i = 3;
    }
#ifdef FTP_MIRROR_UPLOAD
    if (argc - i == 6 && strcmp(argv[i], "mirror") == 0) {
        unsigned n = count(argv[i + 5]);
        int dir = strcmp(argv[i + 2], "up") == 0 ? FTP_MIRROR_UPLOAD : FTP_MIRROR_DOWNLOAD;
        ftp_mirror_report rep;
        if (n == 0 || (strcmp(argv[i + 2], "up") != 0 && strcmp(argv[i + 2], "down") != 0))
            return usage();
        t0 = now();
        if ((p = open_pool(argv[i + 1], cafile, n)) == NULL)
            return 1;
        memset(&rep, 0, sizeof rep);
        r = ftp_pool_mirror(p, dir, argv[i + 3], argv[i + 4], 0, &rep);
        if (r != FTP_OK) {
            fprintf(stderr, "poolbench: ftp_pool_mirror: %s: %s (%llu failed)\n",
                    ftp_result_name(r), ftp_pool_last_error(p),
                    (unsigned long long)rep.files_failed);
            ftp_pool_free(p);
            return 1;
        }
        ftp_pool_free(p);
        files = rep.files_copied;
        bytes = rep.bytes;
    } else
#endif
    if (argc - i == 5 && strcmp(argv[i], "segmented") == 0) {
        unsigned s = count(argv[i + 4]);
        struct stat st;
        if (s == 0)
            return usage();
        t0 = now();
        if ((p = open_pool(argv[i + 1], cafile, s)) == NULL)
            return 1;
        r = ftp_pool_download_segmented(p, argv[i + 2], argv[i + 3], s, 0);
        if (r != FTP_OK) {
            fprintf(stderr, "poolbench: ftp_pool_download_segmented: %s: %s\n",
                    ftp_result_name(r), ftp_pool_last_error(p));
            ftp_pool_free(p);
            return 1;
        }
        ftp_pool_free(p);
        files = 1;
        bytes = stat(argv[i + 3], &st) == 0 ? (uint64_t)st.st_size : 0;
    } else {
        return usage();
    }
    printf("secs=%.6f files=%llu bytes=%llu vmhwm_kib=%ld\n", now() - t0,
           (unsigned long long)files, (unsigned long long)bytes, vmhwm_kib());
    return 0;
}
