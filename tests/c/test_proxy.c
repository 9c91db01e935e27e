/* test_proxy: ftp_set_proxy through the real proxies of ftpservers.py.
 *
 * Servers: vsftpd on 127.0.0.1 (FTP_TEST_VSFTPD_*, anonymous, pub/big.bin
 * 5 MiB), microsocks (FTP_TEST_SOCKS5_*, FTP_TEST_SOCKS5AUTH_* with a user
 * and password) and tinyproxy (FTP_TEST_HTTPPROXY_*,
 * FTP_TEST_HTTPPROXYAUTH_* with BasicAuth).  Checks:
 *   1. arguments: NULL session, a bad URL (FTP_ERROR_INVALID_ARGUMENT,
 *      the message names the problem and never the password), NULL (no
 *      proxy) accepted;
 *   2. through each proxy (socks5://, socks5h:// with a user, http://,
 *      http:// with a user): connect, login, NLST of pub/ (the fixtures
 *      listed) and RETR pub/big.bin byte-exact against the server's disk;
 *   3. active mode through a proxy: FTP_ERROR_STATE, the session still
 *      usable;
 *   4. refusals: wrong passwords at microsocks and tinyproxy give
 *      FTP_ERROR_IO with the proxy's reason in ftp_last_error, without
 *      the password.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

static ftp_session *proxied(const char *url)
{
    ftp_session *s = ftp_session_new();
    CHECK(NULL, s != NULL);
    CHECK_OK(s, ftp_set_timeout_ms(s, 30000));
    CHECK_OK(s, ftp_set_proxy(s, url));
    return s;
}

/* "scheme://[user:pass@]127.0.0.1:port" of a proxy of the launcher. */
static char *proxy_url(const char *scheme, const char *name, bool with_user, const char *pass)
{
    tu_server px;
    tu_server_env(name, with_user, &px);
    if (!with_user) return tu_strf("%s://%s:%u", scheme, px.host, (unsigned)px.port);
    return tu_strf("%s://%s:%s@%s:%u", scheme, px.user, pass ? pass : px.pass, px.host,
                   (unsigned)px.port);
}

static void arguments(void)
{
    ftp_session *s = ftp_session_new();
    tu_step("arguments");
    CHECK_RES(NULL, ftp_set_proxy(NULL, "socks5://127.0.0.1:1080"), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_RES(s, ftp_set_proxy(s, "ftp://u:topsecret@h:21"), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_MSG(s, strstr(ftp_last_error(s), "unsupported scheme") != NULL, "%s", ftp_last_error(s));
    CHECK_MSG(s, strstr(ftp_last_error(s), "topsecret") == NULL, "%s", ftp_last_error(s));
    CHECK_RES(s, ftp_set_proxy(s, "http://h"), FTP_ERROR_INVALID_ARGUMENT);
    CHECK_MSG(s, strstr(ftp_last_error(s), "needs a port") != NULL, "%s", ftp_last_error(s));
    CHECK_OK(s, ftp_set_proxy(s, NULL));
    ftp_session_free(s);
}

static void list_and_download(const tu_server *srv, const uint8_t *big, size_t big_len,
                              const char *url)
{
    ftp_session *s = proxied(url);
    tu_lines names = {0};
    tu_buf got = {0};
    tu_step("through %s", url);
    CHECK_OK(s, ftp_connect(s, srv->host, srv->port));
    CHECK_OK(s, ftp_login(s, NULL, NULL, NULL));
    CHECK_OK(s, ftp_cwd(s, "pub"));
    CHECK_OK(s, ftp_nlst(s, NULL, tu_lines_sink, &names));
    CHECK(s, tu_lines_index(&names, "big.bin") >= 0);
    CHECK(s, tu_lines_index(&names, "hello.txt") >= 0);
    CHECK(s, tu_lines_index(&names, "subdir") >= 0);
    CHECK_OK(s, ftp_retrbinary(s, "RETR big.bin", tu_buf_sink, &got, 0, -1));
    CHECK_MEM(s, got.data, got.len, big, big_len);
    CHECK_OK(s, ftp_quit(s));
    tu_lines_free(&names);
    tu_buf_free(&got);
    ftp_session_free(s);
}

static void active_refused(const tu_server *srv, const char *url)
{
    ftp_session *s = proxied(url);
    tu_counter lines = {0, 0};
    tu_step("active mode through %s", url);
    CHECK_OK(s, ftp_connect(s, srv->host, srv->port));
    CHECK_OK(s, ftp_login(s, NULL, NULL, NULL));
    CHECK_OK(s, ftp_set_pasv(s, false));
    CHECK_RES(s, ftp_nlst(s, NULL, tu_count_lines, &lines), FTP_ERROR_STATE);
    CHECK_MSG(s, strstr(ftp_last_error(s), "active mode") != NULL, "%s", ftp_last_error(s));
    CHECK_OK(s, ftp_set_pasv(s, true));
    CHECK_INT(s, lines.calls, 0);
    CHECK_OK(s, ftp_nlst(s, NULL, tu_count_lines, &lines));
    CHECK(s, lines.calls > 0);
    CHECK_OK(s, ftp_quit(s));
    ftp_session_free(s);
}

static void refused(const tu_server *srv, const char *url, const char *reason)
{
    ftp_session *s = proxied(url);
    tu_step("refusal by %s", url);
    CHECK_RES(s, ftp_connect(s, srv->host, srv->port), FTP_ERROR_IO);
    CHECK_MSG(s, strstr(ftp_last_error(s), reason) != NULL, "%s", ftp_last_error(s));
    CHECK_MSG(s, strstr(ftp_last_error(s), "wrong-secret") == NULL, "%s", ftp_last_error(s));
    CHECK_MSG(s, strstr(ftp_last_error(s), "through the proxy ") == ftp_last_error(s), "%s",
              ftp_last_error(s));
    ftp_session_free(s);
}

int main(void)
{
    tu_server srv;
    char *big_path, *urls[4];
    uint8_t *big;
    size_t big_len, i;

    arguments();
    tu_server_env("VSFTPD", false, &srv);
    big_path = tu_strf("%s/pub/big.bin", srv.root);
    big = tu_slurp(big_path, &big_len);
    urls[0] = proxy_url("socks5", "SOCKS5", false, NULL);
    urls[1] = proxy_url("socks5h", "SOCKS5AUTH", true, NULL);
    urls[2] = proxy_url("http", "HTTPPROXY", false, NULL);
    urls[3] = proxy_url("http", "HTTPPROXYAUTH", true, NULL);
    for (i = 0; i < 4; i++) list_and_download(&srv, big, big_len, urls[i]);
    active_refused(&srv, urls[1]);
    for (i = 0; i < 4; i++) free(urls[i]);

    urls[0] = proxy_url("socks5", "SOCKS5AUTH", true, "wrong-secret");
    urls[1] = proxy_url("http", "HTTPPROXYAUTH", true, "wrong-secret");
    refused(&srv, urls[0], "refused the user name and password");
    refused(&srv, urls[1], "401 Unauthorized");
    free(urls[0]);
    free(urls[1]);
    free(big);
    free(big_path);
    printf("test_proxy: all checks passed\n");
    return 0;
}
