/* See server_table.h. */
#include "server_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct row ROWS[] = {
    {"VSFTPD", VSFTPD, PLAIN},       {"PYFTPD", PYFTPD, PLAIN},
    {"PROFTPD", PROFTPD, PLAIN},     {"PUREFTPD", PUREFTPD, PLAIN},
    {"VSFTPDS", VSFTPD, EXPLICIT},   {"VSFTPDI", VSFTPD, IMPLICIT},
    {"PYFTPDS", PYFTPD, EXPLICIT},   {"PROFTPDS", PROFTPD, EXPLICIT},
    {"PROFTPDI", PROFTPD, IMPLICIT}, {"PUREFTPDS", PUREFTPD, EXPLICIT},
};
const size_t NROWS = sizeof ROWS / sizeof ROWS[0];

const char *fixture_dir(kind k) { return k == VSFTPD ? "pub" : ""; }

ftp_session *open_tls_row(const tu_server *srv, tls_mode tls, const char *cafile, int version)
{
    const char *dbg = getenv("FTP_TEST_DEBUG");
    ftp_tls_config *c = ftp_tls_config_new();
    ftp_session *s;
    CHECK(NULL, c != NULL);
    CHECK_OK(NULL, ftp_tls_config_set_ca_file(c, cafile));
    CHECK_OK(NULL, ftp_tls_config_set_min_version(c, (ftp_tls_version)version));
    CHECK_OK(NULL, ftp_tls_config_set_max_version(c, (ftp_tls_version)version));
    s = ftp_session_new_tls(c);
    ftp_tls_config_free(c); /* the session keeps what it needs */
    CHECK(NULL, s != NULL);
    CHECK_OK(s, ftp_set_timeout_ms(s, 30000));
    if (dbg != NULL && atoi(dbg) > 0) CHECK_OK(s, ftp_set_debuglevel(s, atoi(dbg)));
    if (tls == IMPLICIT) CHECK_OK(s, ftp_set_implicit_tls(s, true));
    CHECK_OK(s, ftp_connect(s, srv->host, srv->port));
    CHECK_OK(s, ftp_login(s, srv->user, srv->pass, NULL));
    return s;
}

bool run_row_cases(const struct row *row, row_cases cases)
{
    tu_server srv;
    ftp_session *s;
    char *local;
    tu_server_env(row->name, row->kind != VSFTPD, &srv);
    local = fixture_dir(row->kind)[0] ? tu_path(srv.root, fixture_dir(row->kind))
                                      : tu_strf("%s", srv.root);
    if (row->tls == PLAIN) {
        s = tu_open(&srv, true);
    } else {
        const char *cafile = getenv("FTP_TEST_TLS_CAFILE");
        CHECK_MSG(NULL, cafile != NULL, "FTP_TEST_TLS_CAFILE is not set");
        s = open_tls_row(&srv, row->tls, cafile, FTP_TLS_1_3);
        CHECK_OK(s, ftp_prot_p(s));
    }
    if (fixture_dir(row->kind)[0] != '\0') CHECK_OK(s, ftp_cwd(s, fixture_dir(row->kind)));
    cases(row, s, local);
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
    free(local);
    printf("ok %s\n", row->name);
    fflush(stdout);
    return true;
}

int run_rows(int argc, char **argv, bool (*run)(const struct row *row))
{
    size_t i, ran = 0;
    bool all = true;
    for (i = 0; i < NROWS; i++) {
        if (argc > 1 && strcmp(argv[1], ROWS[i].name) != 0) continue;
        all = run(&ROWS[i]) && all;
        ran++;
    }
    if (ran == 0) {
        fprintf(stderr, "FAIL: no row named %s in the server table\n", argc > 1 ? argv[1] : "?");
        return 1;
    }
    return all ? 0 : 1;
}
