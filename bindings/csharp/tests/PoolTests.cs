// PoolTests.cs: pools (segmented downloads byte-exact on pyftpdlib and
// vsftpd, uploads, cancellation, bad URLs), ConnectUrl, and, once libftp
// exports it (LIBFTP_NEXT), mirroring.

using System;
using System.IO;
using System.Linq;
using System.Threading;
using LibFtp;

namespace LibFtp.Tests
{
    static partial class Program
    {
        static string PUrl(string path = "")
        {
            return string.Format("ftp://{0}:{1}@{2}:{3}/{4}", P.User, P.Pass, P.Host, P.Port, path);
        }

        /// <summary>Runs body with a fresh local directory, removed afterwards.</summary>
        static void InTempDir(string stem, Action<string> body)
        {
            string d = Path.Combine(Path.GetTempPath(), UniqueName(stem));
            Directory.CreateDirectory(d);
            try { body(d); }
            finally { Directory.Delete(d, true); }
        }

        /// <summary>Runs a test server's socket work; the client going away ends it.</summary>
        internal static void UntilDisconnected(Action work)
        {
            try { work(); }
            catch (IOException) { }
            catch (System.Net.Sockets.SocketException) { }
            catch (ObjectDisposedException) { }
        }

        static void TestPoolSegmented()
        {
            InTempDir("seg", dir =>
            {
                byte[] big = File.ReadAllBytes(P.Local("big.bin"));
                using (var pool = new FtpPool(PUrl(), null, 4))
                {
                    long reports = 0;
                    string local = Path.Combine(dir, "big.bin");
                    pool.DownloadSegmented("big.bin", local, 4, FtpFileOptions.Verify,
                                           new SyncProgress<FtpProgress>(p => Interlocked.Increment(ref reports)));
                    CheckBytes(big, File.ReadAllBytes(local), "segmented S=4 (pyftpdlib)");
                    Check(Interlocked.Read(ref reports) >= 4, "progress from the parts: " + reports);

                    string remote = UniqueName("pool-up.bin");
                    pool.UploadFile(local, remote, FtpFileOptions.Verify);
                    CheckBytes(big, File.ReadAllBytes(P.Local(remote)), "pool upload");
                    File.Delete(P.Local(remote));

                    // A token cancelled from the progress handler stops the download.
                    var cts = new CancellationTokenSource();
                    var e = Expect<OperationCanceledException>(() => pool.DownloadFile("big.bin", Path.Combine(dir, "c.bin"),
                        FtpFileOptions.None, new SyncProgress<FtpProgress>(p => { if (p.TransferredBytes > 0) cts.Cancel(); }),
                        cts.Token), "pool cancel");
                    CheckEq(cts.Token, e.CancellationToken, "token");
                    pool.DownloadFile("hello.txt", Path.Combine(dir, "h.txt"));
                    CheckBytes(File.ReadAllBytes(P.Local("hello.txt")), File.ReadAllBytes(Path.Combine(dir, "h.txt")), "pool after a cancel");
                    var pe = Expect<FtpPermException>(() => pool.DownloadFile("no-such", Path.Combine(dir, "n")), "missing file");
                    Check(pe.Message.Length > 0, "pool error text");
                }
                Expect<FtpInvalidArgumentException>(() => new FtpPool("gopher://x/"), "bad URL");
                Expect<ArgumentOutOfRangeException>(() => new FtpPool(PUrl(), null, 0), "no sessions");
                if (V == null) throw new SkipException("FTP_TEST_VSFTPD_* not set (optional): vsftpd half skipped", true);
                using (var pool = new FtpPool(string.Format("ftp://{0}:{1}/pub", V.Host, V.Port), null, 3))
                {
                    string local = Path.Combine(dir, "v.bin");
                    pool.DownloadSegmentedAsync("big.bin", local, 3).Wait();
                    CheckBytes(big, File.ReadAllBytes(local), "segmented S=3 (vsftpd)");
                }
            });
        }

        static void TestConnectUrl()
        {
            using (var c = Track(FtpClient.ConnectUrl(PUrl("subdir/"))))
            {
                CheckEq("/subdir", c.PrintWorkingDirectory(), "the URL's directory");
                Check(!c.IsTls, "plain");
                CheckBytes(File.ReadAllBytes(P.Local("subdir/nested.txt")), c.DownloadBytes("nested.txt"), "download");
            }
            // The last segment names a file: its directory is entered, not it.
            using (var c = Track(FtpClient.ConnectUrl(PUrl("subdir/nested.txt"))))
                CheckEq("/subdir", c.PrintWorkingDirectory(), "a file URL's directory");
            Expect<FtpInvalidArgumentException>(() => FtpClient.ConnectUrl("http://example.invalid/"), "not an FTP URL");
            string ca = EnvOr("FTP_TEST_TLS_CAFILE");
            Server vs = Server.FromEnv("FTP_TEST_VSFTPDS", false);
            if (ca == null || vs == null) throw new SkipException("FTP_TEST_VSFTPDS_* not set (optional)", true);
            // vsftpds refuses clear data connections: this passes only with PROT P.
            using (var c = Track(FtpClient.ConnectUrlAsync(string.Format("ftpes://{0}:{1}/pub/", vs.Host, vs.Port),
                                                           new FtpTlsOptions { CaFile = ca }).Result))
            {
                Check(c.IsTls, "FTPS");
                CheckBytes(File.ReadAllBytes(vs.Local("pub/big.bin")), c.DownloadBytes("big.bin"), "protected download");
            }
        }

#if LIBFTP_NEXT
        static void TestPoolMirror()
        {
            InTempDir("mirror", dir =>
            {
                using (var pool = new FtpPool(PUrl(), null, 4))
                {
                    var r = pool.Mirror(FtpMirrorDirection.Download, "subdir", dir);
                    CheckEq(1L, r.FilesCopied, "files copied");
                    CheckBytes(File.ReadAllBytes(P.Local("subdir/nested.txt")), File.ReadAllBytes(Path.Combine(dir, "nested.txt")), "mirrored file");
                    var again = pool.Mirror(FtpMirrorDirection.Download, "subdir", dir, FtpFileOptions.None, FtpMirrorOptions.Newer);
                    CheckEq(0L, again.FilesCopied, "nothing newer");
                    CheckEq(1L, again.FilesSkipped, "skipped");
                }
            });
        }
#endif
    }
}
