/* The table of real test servers shared by test_servers.c and
 * test_interrupted.c (the Rust twin is tests/realservers/mod.rs): each
 * row is an env prefix of tests/servers/ftpservers.py, its server kind
 * and how it speaks TLS.
 */
#ifndef FTP_SERVER_TABLE_H
#define FTP_SERVER_TABLE_H
#include "testutil.h"

typedef enum { VSFTPD, PYFTPD, PROFTPD, PUREFTPD } kind;
typedef enum { PLAIN, EXPLICIT, IMPLICIT } tls_mode;

struct row {
    const char *name; /* env prefix: FTP_TEST_<name>_* */
    kind kind;
    tls_mode tls;
};

extern const struct row ROWS[];
extern const size_t NROWS;

/* The FTP directory with the fixtures, writable ("" = the login directory). */
const char *fixture_dir(kind k);

/* A TLS session of row `tls` (EXPLICIT or IMPLICIT) to srv, verifying with
 * cafile, TLS `version` only, 30 s timeout, FTP_TEST_DEBUG's level;
 * connected and logged in (srv->user or anonymous), no ftp_prot_p. */
ftp_session *open_tls_row(const tu_server *srv, tls_mode tls, const char *cafile, int version);

/* The cases of a test that needs one session per row. */
typedef void (*row_cases)(const struct row *row, ftp_session *s, const char *local);

/* Opens a session to `row` (TLS rows: TLS 1.3 and PROT P), logged in and in
 * fixture_dir(); runs cases(row, s, the local path of that directory); then
 * QUIT, free, and an "ok NAME" line. */
bool run_row_cases(const struct row *row, row_cases cases);

/* Runs `run` for the row named argv[1], or for every row; fails when no row
 * has that name. Returns main's exit status. */
int run_rows(int argc, char **argv, bool (*run)(const struct row *row));
#endif
