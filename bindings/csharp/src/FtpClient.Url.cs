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
        /// addresses in brackets; no user: anonymous. A path is entered with
        /// CWD ("/pub": pub in the login directory; "//srv": the absolute /srv).
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
            Uri u;
            if (!Uri.TryCreate(url, UriKind.Absolute, out u))
                throw new FtpInvalidArgumentException("not a URL: " + url, 0, "");
            string scheme = u.Scheme.ToLowerInvariant();
            if (scheme != "ftp" && scheme != "ftps" && scheme != "ftpes")
                throw new FtpInvalidArgumentException("not an ftp://, ftpes:// or ftps:// URL: " + url, 0, "");
#if LIBFTP_NEXT
            FtpClient c = new FtpClient();
            c.IsTls = scheme != "ftp";
            try
            {
                byte[] z = Arg(url, "url");
                if (tls == null || scheme == "ftp")
                    await c.RunAsync(() => c.Call(Native.ftp_connect_url_default_tls(c.session, z, IntPtr.Zero)), cancellationToken).ConfigureAwait(false);
                else
                    using (TlsConfigHandle config = TlsConfigHandle.Create(tls))
                        await c.RunAsync(() => c.Call(Native.ftp_connect_url(c.session, z, config)), cancellationToken).ConfigureAwait(false);
                return c;
            }
            catch
            {
                c.Dispose();
                throw;
            }
#else
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
                string path = Uri.UnescapeDataString(u.AbsolutePath);
                if (path.StartsWith("/")) path = path.Substring(1);
                await c.ConnectAsync(u.DnsSafeHost, port, cancellationToken).ConfigureAwait(false);
                await c.LoginAsync(user, password, null, cancellationToken).ConfigureAwait(false);
                if (path.Length > 0)
                {
                    byte[] p = Arg(path, "path");
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
    }
}
