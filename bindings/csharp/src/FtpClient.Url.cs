// FtpClient.Url.cs: a client from a URL, connected, secured, logged in and
// in the URL's directory. With LIBFTP_NEXT this is ftp_connect_url (netrc,
// every address of the name); until then the same steps are taken here.

using System;
using System.Threading;
using System.Threading.Tasks;

namespace LibFtp
{
    public sealed partial class FtpClient
    {
        /// <summary>Connects to url and returns the client, logged in:
        /// ftp://[user[:password]@]host[:port][/path] (plain, port 21),
        /// ftpes:// (explicit FTPS: AUTH TLS, port 21), ftps:// (implicit FTPS,
        /// port 990). %XX escapes in the user, password and path; IPv6
        /// addresses in brackets; no user: anonymous. The path's directories
        /// are entered with one CWD each; its last segment names a file, so a
        /// directory URL ends with "/" ("/pub/": pub in the login directory;
        /// "//srv/": the absolute /srv).
        /// FTPS URLs protect the data connections too (PBSZ 0 + PROT P).
        /// tls: what to trust (FTPS only; null: the system's CAs, host name
        /// checked).</summary>
        public static FtpClient ConnectUrl(string url, FtpTlsOptions tls = null)
        {
            return ConnectUrlAsync(url, tls, CancellationToken.None).GetAwaiter().GetResult();
        }

        /// <summary>ConnectUrl; cancelling stops it (the client is then disposed).</summary>
        public static async Task<FtpClient> ConnectUrlAsync(string url, FtpTlsOptions tls = null,
                                                            CancellationToken cancellationToken = default(CancellationToken))
        {
            if (url == null) throw new ArgumentNullException("url");
#if LIBFTP_NEXT
            FtpClient c = new FtpClient();
            try
            {
                await c.OpenAsync(url, tls, cancellationToken).ConfigureAwait(false);
                return c;
            }
            catch
            {
                c.Dispose();
                throw;
            }
        }

        /// <summary>Connects this client as url says (ftp_connect_url), so that
        /// Timeout, Proxy, NetrcPath... set before apply: a URL without a
        /// password logs in with the netrc entry of its host when NetrcPath
        /// was set. The scheme decides plain or FTPS, whatever the client was
        /// created as; tls (null: the client's own, else the defaults) is copied.</summary>
        public void Open(string url, FtpTlsOptions tls = null)
        {
            OpenAsync(url, tls, CancellationToken.None).GetAwaiter().GetResult();
        }

        public async Task OpenAsync(string url, FtpTlsOptions tls = null,
                                    CancellationToken cancellationToken = default(CancellationToken))
        {
            byte[] z = Arg(url, "url");
            bool secure = !url.TrimStart().StartsWith("ftp://", StringComparison.OrdinalIgnoreCase);
            if (tls == null)
            {
                await RunAsync(() => Call(Native.ftp_connect_url_default_tls(session, z, IntPtr.Zero)), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                using (TlsConfigHandle config = TlsConfigHandle.Create(tls))
                    await RunAsync(() => Call(Native.ftp_connect_url(session, z, config)), cancellationToken).ConfigureAwait(false);
            }
            IsTls = secure;
#else
            Uri u;
            if (!Uri.TryCreate(url, UriKind.Absolute, out u))
                throw new FtpInvalidArgumentException("not a URL: " + url, 0, "");
            string scheme = u.Scheme.ToLowerInvariant();
            if (scheme != "ftp" && scheme != "ftps" && scheme != "ftpes")
                throw new FtpInvalidArgumentException("not an ftp://, ftpes:// or ftps:// URL: " + url, 0, "");
            FtpClient c;
            if (scheme == "ftp")
            {
                c = new FtpClient();
            }
            else
            {
                FtpTlsOptions o = (tls ?? new FtpTlsOptions()).Copy();
                o.Implicit = scheme == "ftps";
                c = CreateTls(o);
            }
            try
            {
                string user = null, password = null;
                if (u.UserInfo.Length > 0)
                {
                    int colon = u.UserInfo.IndexOf(':');
                    user = Uri.UnescapeDataString(colon < 0 ? u.UserInfo : u.UserInfo.Substring(0, colon));
                    if (colon >= 0) password = Uri.UnescapeDataString(u.UserInfo.Substring(colon + 1));
                }
                int port = u.IsDefaultPort ? 0 : u.Port;
                await c.ConnectAsync(u.DnsSafeHost, port, cancellationToken).ConfigureAwait(false);
                await c.LoginAsync(user, password, null, cancellationToken).ConfigureAwait(false);
                foreach (string dir in UrlDirectories(u.AbsolutePath))
                {
                    byte[] p = Arg(dir, "path");
                    await c.RunAsync(() => c.Call(Native.ftp_cwd(c.session, p)), cancellationToken).ConfigureAwait(false);
                }
                return c;
            }
            catch
            {
                c.Dispose();
                throw;
            }
#endif
        }

        /// <summary>The directories a URL path enters, one CWD each, as
        /// ftp_connect_url does: the last segment names a file unless the path
        /// ends with "/"; an empty first segment ("//srv") is "/"; %XX decoded
        /// per segment (so %2F stays inside one); a ";type=" suffix ignored.</summary>
        static System.Collections.Generic.List<string> UrlDirectories(string absolutePath)
        {
            var dirs = new System.Collections.Generic.List<string>();
            string path = absolutePath;
            int type = path.LastIndexOf(";type=", StringComparison.OrdinalIgnoreCase);
            if (type >= 0) path = path.Substring(0, type);
            if (path.StartsWith("/")) path = path.Substring(1);
            string[] segments = path.Split('/');
            for (int i = 0; i < segments.Length - 1; i++)   // the last one: a file name, or "" after a final "/"
            {
                if (segments[i].Length > 0) dirs.Add(Uri.UnescapeDataString(segments[i]));
                else if (i == 0) dirs.Add("/");
            }
            return dirs;
        }
    }
}
