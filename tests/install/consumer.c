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
    printf("libftp %s %s\n", ftp_version(), ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
