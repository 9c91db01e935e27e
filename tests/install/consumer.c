/* A program outside the repository using an installed libftp: prints the
 * version and checks a few calls that need no server. */
#include <ftp.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    ftp_session *s = ftp_session_new();
    if (s == NULL)
        return 1;
    int ok = ftp_pwd(s, NULL) == FTP_ERROR_INVALID_ARGUMENT
             && ftp_sendcmd(s, "NOOP") == FTP_ERROR_STATE
             && strcmp(ftp_result_name(FTP_ERROR_STATE), "FTP_ERROR_STATE") == 0;
    ftp_session_free(s);
    ftp_tls_config *c = ftp_tls_config_new();
    ok = ok && c != NULL;
    ftp_tls_config_free(c);
    /* The header's version macros match the installed library. */
    char v[64];
    snprintf(v, sizeof v, "%d.%d.%d", FTP_VERSION_MAJOR, FTP_VERSION_MINOR, FTP_VERSION_PATCH);
    ok = ok && strcmp(v, ftp_version()) == 0;
    printf("libftp %s (header %s) %s\n", ftp_version(), v, ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
