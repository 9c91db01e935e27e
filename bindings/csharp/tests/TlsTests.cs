// TlsTests.cs: FTPS against pyftpdlib and vsftpd (implicit, explicit, host name check), and plain vsftpd anonymous.


using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using LibFtp;

namespace LibFtp.Tests
{
    static partial class Program
    {
        static void TestTls()
        {
            if (PS == null || PS.CaFile == null) throw new SkipException("FTP_TEST_PYFTPDS_* not set");
            TlsConfigHandle config;
            using (config = TlsConfigHandle.Create(new FtpTlsOptions { CaFile = PS.CaFile }))
            {
                otherHandles.Add(new SafeHandleRef { What = "TLS config", Handle = config });
                Check(!config.IsInvalid, "config created");
                using (var c = Track(FtpClient.CreateTls(config)))
                {
                    Check(c.IsTls, "IsTls");
                    c.Timeout = TimeSpan.FromSeconds(30);
                    c.Connect(PS.Host, PS.Port);
                    c.Login(PS.User, PS.Pass);
                    c.ProtP();
                    DownloadCompare(c, PS, "big.bin");
                    DownloadCompare(c, PS, "café.txt");
                    string name = UniqueName("tls.bin");
                    byte[] data = RandomBytes(2 * 1024 * 1024 + 5, 11);
                    c.Upload(name, new MemoryStream(data));
                    CheckBytes(data, File.ReadAllBytes(PS.Local(name)), "TLS upload on disk");
                    CheckBytes(data, c.DownloadBytes(name), "TLS download of the upload");
                    var m = c.Mlsd().First(e => e.Name == name);
                    CheckEq((long?)data.Length, m.Size, "MLSD size over TLS");
                    using (var s = c.OpenRead(name))
                    {
                        var ms = new MemoryStream();
                        s.CopyTo(ms);
                        CheckBytes(data, ms.ToArray(), "OpenRead over TLS");
                    }
                    // Clear data connections, then protected again.
                    c.ProtC();
                    DownloadCompare(c, PS, "hello.txt");
                    c.ProtP();
                    c.Delete(name);
                    c.Quit();
                }
            }
            Check(config.IsClosed, "TLS config handle closed");

            using (var c = OpenPS())
                DownloadCompare(c, PS, "lines.txt");

            // The test CA is not among the system roots: the handshake must fail.
            using (var c = Track(FtpClient.CreateTls(new FtpTlsOptions())))
            {
                c.Timeout = TimeSpan.FromSeconds(30);
                c.Connect(PS.Host, PS.Port);
                Expect<FtpTlsException>(() => c.Login(PS.User, PS.Pass), "untrusted certificate");
            }
            // A missing CA file fails while building the configuration.
            var io = Expect<FtpIOException>(() => FtpClient.CreateTls(new FtpTlsOptions { CaFile = "/nonexistent/ca.pem" }).Dispose(),
                                            "missing CA file");
            Check(io.Message.Contains("/nonexistent/ca.pem"), "message names the file: " + io.Message);
        }

        static string EnvOr(string k)
        {
            string v = Environment.GetEnvironmentVariable(k);
            return string.IsNullOrEmpty(v) ? null : v;
        }

        static void TestTlsVsftpd()
        {
            string ca = EnvOr("FTP_TEST_TLS_CAFILE");
            Server vi = Server.FromEnv("FTP_TEST_VSFTPDI", false), vs = Server.FromEnv("FTP_TEST_VSFTPDS", false);
            if (ca == null || vi == null || vs == null)
                throw new SkipException("FTP_TEST_VSFTPDI_*/VSFTPDS_* not set (optional)", true);
            // Implicit FTPS, vsftpd demanding TLS session reuse on data connections.
            using (var c = Track(FtpClient.CreateTls(new FtpTlsOptions { CaFile = ca, Implicit = true })))
            {
                c.Timeout = TimeSpan.FromSeconds(30);
                c.Connect(vi.Host, vi.Port);
                c.Login();
                c.ProtP();
                DownloadCompare(c, vi, "pub/big.bin");
                c.Quit();
            }
            // Explicit FTPS: upload then download, byte-exact.
            using (var c = Track(FtpClient.CreateTls(new FtpTlsOptions { CaFile = ca })))
            {
                c.Timeout = TimeSpan.FromSeconds(30);
                c.Connect(vs.Host, vs.Port);
                c.Login();
                c.ProtP();
                string name = "pub/" + UniqueName("vs.bin");
                byte[] data = RandomBytes(1024 * 1024 + 3, 5);
                c.Upload(name, new MemoryStream(data));
                CheckBytes(data, File.ReadAllBytes(vs.Local(name)), "vsftpds upload on disk");
                CheckBytes(data, c.DownloadBytes(name), "vsftpds download");
                c.Delete(name);
                c.Quit();
            }
        }

        static void TestTlsHostname()
        {
            string ca = EnvOr("FTP_TEST_TLS_CAFILE"), host = EnvOr("FTP_TEST_BADCERT_HOST"),
                   port = EnvOr("FTP_TEST_BADCERT_WRONGHOST_PORT");
            if (ca == null || host == null || port == null)
                throw new SkipException("FTP_TEST_BADCERT_* not set (optional)", true);
            using (var c = Track(FtpClient.CreateTls(new FtpTlsOptions { CaFile = ca })))
            {
                c.Timeout = TimeSpan.FromSeconds(30);
                c.Connect(host, int.Parse(port));
                var e = Expect<FtpTlsException>(() => c.Auth(), "certificate for another host");
                CheckEq(FtpResult.Tls, e.Result, "Result");
            }
            using (var c = Track(FtpClient.CreateTls(new FtpTlsOptions { CaFile = ca, CheckHostname = false })))
            {
                c.Timeout = TimeSpan.FromSeconds(30);
                c.Connect(host, int.Parse(port));
                c.Auth();   // the chain is good; only the name is wrong, and not checked
                c.Login();  // anonymous, over TLS
                c.Quit();
            }
        }

        static void TestVsftpd()
        {
            if (V == null) throw new SkipException("FTP_TEST_VSFTPD_* not set (optional)", true);
            using (var c = Track(new FtpClient()))
            {
                c.Timeout = TimeSpan.FromSeconds(30);
                c.Connect(V.Host, V.Port);
                c.Login();
                DownloadCompare(c, V, "pub/hello.txt");
                DownloadCompare(c, V, "pub/big.bin");
                c.VoidCommand("TYPE I");
                CheckEq(12L, c.GetSize("pub/hello.txt"), "vsftpd SIZE");
                Check(c.ListNames("pub").Any(n => n.EndsWith("hello.txt")), "vsftpd NLST");
                var e = Expect<FtpPermException>(() => c.Mlsd(), "vsftpd has no MLSD");
                CheckEq(500, e.ReplyCode, "MLSD code");
                c.Quit();
            }
        }
    }
}
