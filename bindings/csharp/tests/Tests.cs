// Tests of the C# binding (src/*.cs) against the local test servers of
// tests/servers/ftpservers.py (env FTP_TEST_PYFTPD_*, FTP_TEST_PYFTPDS_*,
// optionally FTP_TEST_VSFTPD_*).
//
//   mcs -out:tests.exe -r:System.dll -r:System.Core.dll src/*.cs tests/*.cs
//   LD_LIBRARY_PATH=target/release mono tests.exe
//
// Exit status 0 when every test passed (or "SKIP" when the servers' env is
// missing and FTP_TEST_REQUIRE_SERVERS is not 1), 1 otherwise.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using LibFtp;

namespace LibFtp.Tests
{
    sealed class Server
    {
        public string Host, User, Pass, Root, CaFile;
        public int Port;

        public static Server FromEnv(string prefix, bool needUser)
        {
            string host = Env(prefix + "_HOST"), port = Env(prefix + "_PORT"), root = Env(prefix + "_ROOT");
            if (host == null || port == null || root == null) return null;
            var s = new Server { Host = host, Port = int.Parse(port), Root = root,
                                 User = Env(prefix + "_USER"), Pass = Env(prefix + "_PASS"),
                                 CaFile = Env(prefix + "_CAFILE") };
            if (needUser && (s.User == null || s.Pass == null)) return null;
            return s;
        }

        static string Env(string k)
        {
            string v = Environment.GetEnvironmentVariable(k);
            return string.IsNullOrEmpty(v) ? null : v;
        }

        public string Local(string ftpPath) { return Path.Combine(Root, ftpPath.TrimStart('/')); }
    }

    static partial class Program
    {
        static int passed, failed, skipped, requiredSkipped;
        static readonly List<string> failures = new List<string>();
        static readonly List<FtpClient> clients = new List<FtpClient>();
        static readonly List<SafeHandleRef> otherHandles = new List<SafeHandleRef>();
        static int unique;
        static bool require;
        static Server P, PS, V;

        sealed class SafeHandleRef
        {
            public string What;
            public System.Runtime.InteropServices.SafeHandle Handle;
        }

        sealed class SkipException : Exception
        {
            public readonly bool Optional;   // not counted as a failure under FTP_TEST_REQUIRE_SERVERS=1
            public SkipException(string m, bool optional = false) : base(m) { Optional = optional; }
        }

        static void Check(bool cond, string what)
        {
            if (!cond) throw new Exception("check failed: " + what);
        }

        static void CheckEq<T>(T want, T got, string what)
        {
            if (!EqualityComparer<T>.Default.Equals(want, got))
                throw new Exception(string.Format("check failed: {0}: want <{1}>, got <{2}>", what, want, got));
        }

        static void CheckBytes(byte[] want, byte[] got, string what)
        {
            if (want.Length != got.Length)
                throw new Exception(string.Format("check failed: {0}: length want {1}, got {2}", what, want.Length, got.Length));
            for (int i = 0; i < want.Length; i++)
                if (want[i] != got[i])
                    throw new Exception(string.Format("check failed: {0}: first difference at byte {1}", what, i));
        }

        static T Expect<T>(Action a, string what) where T : Exception
        {
            try
            {
                a();
            }
            catch (T e)
            {
                return e;
            }
            catch (Exception e)
            {
                throw new Exception(string.Format("{0}: expected {1}, got {2}: {3}", what, typeof(T).Name, e.GetType().Name, e.Message));
            }
            throw new Exception(string.Format("{0}: expected {1}, nothing thrown", what, typeof(T).Name));
        }

        static void Run(string name, Action body)
        {
            try
            {
                body();
                passed++;
                Console.WriteLine("ok   " + name);
            }
            catch (SkipException e)
            {
                skipped++;
                if (!e.Optional) requiredSkipped++;
                Console.WriteLine("skip " + name + ": " + e.Message);
            }
            catch (Exception e)
            {
                failed++;
                failures.Add(name);
                Console.WriteLine("FAIL " + name + ": " + e.GetType().Name + ": " + e.Message);
                Console.WriteLine(e.StackTrace);
            }
        }

        static string UniqueName(string stem)
        {
            return string.Format("cs-{0}-{1}-{2}", System.Diagnostics.Process.GetCurrentProcess().Id, ++unique, stem);
        }

        static byte[] RandomBytes(int n, int seed)
        {
            var b = new byte[n];
            new Random(seed).NextBytes(b);
            return b;
        }

        static FtpClient Track(FtpClient c)
        {
            clients.Add(c);
            return c;
        }

        /// <summary>A logged-in plain session on pyftpdlib.</summary>
        static FtpClient OpenP()
        {
            var c = Track(new FtpClient());
            try
            {
                c.Timeout = TimeSpan.FromSeconds(30);
                string welcome = c.Connect(P.Host, P.Port);
                Check(welcome.StartsWith("220"), "welcome starts with 220: " + welcome);
                c.Login(P.User, P.Pass);
                CheckEq(230, c.LastReplyCode, "login reply code");
                return c;
            }
            catch
            {
                c.Dispose();
                throw;
            }
        }

        static FtpClient OpenPS()
        {
            if (PS == null || PS.CaFile == null) throw new SkipException("FTP_TEST_PYFTPDS_* not set");
            var c = Track(FtpClient.CreateTls(new FtpTlsOptions { CaFile = PS.CaFile }));
            try
            {
                c.Timeout = TimeSpan.FromSeconds(30);
                c.Connect(PS.Host, PS.Port);
                c.Login(PS.User, PS.Pass);
                c.ProtP();
                return c;
            }
            catch
            {
                c.Dispose();
                throw;
            }
        }

        static void Noop(FtpClient c)
        {
            string r = c.SendCommand("NOOP");
            Check(r.StartsWith("200"), "NOOP reply: " + r);
            CheckEq(200, c.LastReplyCode, "NOOP code");
        }

        static void DownloadCompare(FtpClient c, Server s, string name)
        {
            byte[] want = File.ReadAllBytes(s.Local(name));
            var ms = new MemoryStream();
            c.Download(name, ms);
            CheckBytes(want, ms.ToArray(), "download " + name);
            CheckEq(226, c.LastReplyCode, "final reply of " + name);
        }

        static void TestHandlesClosed()
        {
            int open = 0;
            foreach (var c in clients)
                if (!c.Handle.IsClosed) open++;
            CheckEq(0, open, "session handles still open");
            foreach (var h in otherHandles)
                Check(h.Handle.IsClosed, h.What + " handle closed");
            CheckEq(0, FtpHandleStats.Sessions, "live sessions");
            CheckEq(0, FtpHandleStats.TlsConfigs, "live TLS configs");
            CheckEq(0, FtpHandleStats.Transfers, "live transfers");
            CheckEq(0, FtpHandleStats.Pools, "live pools");
            CheckEq(0, FtpHandleStats.Total, "live native handles");
            Check(clients.Count >= 10, "clients tracked: " + clients.Count);
        }

        static int Main()
        {
            require = Environment.GetEnvironmentVariable("FTP_TEST_REQUIRE_SERVERS") == "1";
            P = Server.FromEnv("FTP_TEST_PYFTPD", true);
            PS = Server.FromEnv("FTP_TEST_PYFTPDS", true);
            V = Server.FromEnv("FTP_TEST_VSFTPD", false);
            if (P == null)
            {
                if (require)
                {
                    Console.WriteLine("FAIL: FTP_TEST_PYFTPD_* not set and FTP_TEST_REQUIRE_SERVERS=1");
                    return 1;
                }
                Console.WriteLine("SKIP: FTP_TEST_PYFTPD_* not set (start tests/servers/ftpservers.py)");
                return 0;
            }
            Console.WriteLine("libftp " + FtpClient.LibraryVersion + ", pyftpdlib at " + P.Host + ":" + P.Port);

            Run("basics", TestBasics);
            Run("downloads byte-exact", TestDownloads);
            Run("uploads byte-exact", TestUpload);
            Run("OpenRead stream", TestOpenRead);
            Run("OpenWrite stream", TestOpenWrite);
            Run("MLSD sizes", TestMlsd);
            Run("NLST/LIST/retrlines", TestListings);
            Run("rename/delete", TestRenameDelete);
            Run("directories", TestDirectories);
            Run("wrong password -> FtpPermException 530", TestWrongPassword);
            Run("error mapping", TestErrors);
            Run("throwing streams stop transfers", TestThrowingStreams);
            Run("TLS (pyftpds, CaFile)", TestTls);
            Run("TLS vsftpd (implicit + explicit, optional)", TestTlsVsftpd);
            Run("TLS host name check (optional)", TestTlsHostname);
            Run("vsftpd anonymous (optional)", TestVsftpd);
            Run("GetSize on a fresh session (no TYPE I first)", TestGetSizeFreshSession);
            Run("exceptions derive from IOException/TimeoutException/OperationCanceledException", TestExceptionBases);
            Run("default timeout; a silent server times out", TestTimeouts);
            Run("Dispose sends QUIT", TestDisposeSendsQuit);
            Run("FtpDataStream.Dispose never throws; Finish does", TestStreamDisposeNeverThrows);
            Run("ExpectedSize after REST (vsftpd, optional)", TestExpectedSizeAfterRest);
            Run("times as DateTime (MLSD, MDTM, MFMT)", TestDateTimes);
            Run("parsed listings: MLSD (pyftpdlib) = LIST (vsftpd); FEAT; MLST", TestParsedListings);
            Run("whole-file transfers with progress", TestWholeFiles);
            Run("Cancel from another thread mid-transfer", TestCancelFromAnotherThread);
            Run("Abort from another thread mid-transfer", TestAbortFromAnotherThread);
            Run("Dispose from another thread mid-transfer", TestDisposeFromAnotherThread);
            Run("CancellationToken", TestCancellationToken);
            Run("CancellationToken against a stalled server without timeout", TestCancelStalledServer);
            Run("CancellationToken while libftp waits for a stalled download", TestCancelStalledTransfer);
            Run("16 concurrent async tasks on 4 clients", TestAsyncConcurrentClients);
            Run("16 concurrent async tasks on a pool", TestAsyncConcurrentPool);
            Run("pool: segmented download, upload, cancel", TestPoolSegmented);
            Run("pool: a token cancels a call waiting for a session; the holder starts over", TestPoolCancelWhileWaiting);
            Run("pool: a segmented download cancelled mid-way", TestPoolCancelSegmented);
            Run("pool: Cancel() stops every running call", TestPoolCancelMethod);
            Run("pool: Dispose() stops every running call", TestPoolDisposeStopsCalls);
            Run("pool: calls whose token never fires survive others' cancels", TestPoolOthersCancelled);
            Run("pool: Timeout bounds the wait for a session", TestPoolTimeout);
            Run("ConnectUrl (ftp, ftpes)", TestConnectUrl);
#if LIBFTP_NEXT
            Run("pool mirror", TestPoolMirror);
            Run("netrc login through Open", TestNetrcLogin);
            Run("HTTP CONNECT proxy", TestProxy);
            Run("pool: Proxy (HTTP CONNECT) and NetrcPath", TestPoolProxyAndNetrc);
#endif
            Run("every handle closed", TestHandlesClosed);

            if (require && requiredSkipped > 0)
            {
                Console.WriteLine("FAIL: " + requiredSkipped + " test(s) skipped with FTP_TEST_REQUIRE_SERVERS=1");
                failed += requiredSkipped;
                failures.Add("skipped tests");
            }
            Console.WriteLine(string.Format("C# binding: {0} passed, {1} failed, {2} skipped", passed, failed, skipped));
            if (failed > 0)
            {
                Console.WriteLine("FAILED: " + string.Join(", ", failures));
                return 1;
            }
            Console.WriteLine("ALL C# TESTS PASSED");
            return 0;
        }
    }
}
