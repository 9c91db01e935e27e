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
    sealed class MarkerException : Exception
    {
        public MarkerException(string m) : base(m) { }
    }

    /// <summary>A write-only, unseekable destination: Write is the test's.</summary>
    abstract class SinkStream : Stream
    {
        public abstract long Count { get; }
        public override bool CanRead { get { return false; } }
        public override bool CanSeek { get { return false; } }
        public override bool CanWrite { get { return true; } }
        public override long Length { get { return Count; } }
        public override long Position { get { return Count; } set { throw new NotSupportedException(); } }
        public override void Flush() { }
        public override int Read(byte[] b, int o, int c) { throw new NotSupportedException(); }
        public override long Seek(long o, SeekOrigin s) { throw new NotSupportedException(); }
        public override void SetLength(long v) { throw new NotSupportedException(); }
    }

    /// <summary>A destination that throws after `limit` bytes.</summary>
    sealed class ThrowingSink : SinkStream
    {
        readonly long limit;
        public long Written;
        public ThrowingSink(long limit) { this.limit = limit; }
        public override long Count { get { return Written; } }
        public int CallsAfterThrow;
        bool thrown;
        public override void Write(byte[] b, int o, int c)
        {
            if (thrown) CallsAfterThrow++;
            if (Written + c > limit)
            {
                thrown = true;
                throw new MarkerException("sink full at " + Written);
            }
            Written += c;
        }
    }

    /// <summary>A source that throws after `limit` bytes.</summary>
    sealed class ThrowingSource : Stream
    {
        readonly long limit;
        public long ReadSoFar;
        public ThrowingSource(long limit) { this.limit = limit; }
        public override bool CanRead { get { return true; } }
        public override bool CanSeek { get { return false; } }
        public override bool CanWrite { get { return false; } }
        public override long Length { get { throw new NotSupportedException(); } }
        public override long Position { get { return ReadSoFar; } set { throw new NotSupportedException(); } }
        public override void Flush() { }
        public override void Write(byte[] b, int o, int c) { throw new NotSupportedException(); }
        public override long Seek(long o, SeekOrigin s) { throw new NotSupportedException(); }
        public override void SetLength(long v) { throw new NotSupportedException(); }
        public override int Read(byte[] b, int o, int c)
        {
            if (ReadSoFar >= limit) throw new MarkerException("source broken at " + ReadSoFar);
            int n = (int)Math.Min(c, limit - ReadSoFar);
            for (int i = 0; i < n; i++) b[o + i] = (byte)'x';
            ReadSoFar += n;
            return n;
        }
    }

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

        // ------------------------------------------------------------------

        static void TestBasics()
        {
            Check(!string.IsNullOrEmpty(FtpClient.LibraryVersion), "library version");
            CheckEq("FTP_ERROR_PERM", FtpClient.ResultName(FtpResult.Perm), "result name");
            using (var c = OpenP())
            {
                Check(c.Welcome.StartsWith("220"), "Welcome property");
                CheckEq("/", c.PrintWorkingDirectory(), "PWD");
                Noop(c);
                string r = c.VoidCommand("TYPE I");
                Check(r.StartsWith("200"), "TYPE I: " + r);
                CheckEq(12L, c.GetSize("hello.txt"), "SIZE hello.txt");
            }
        }

        static void TestDownloads()
        {
            using (var c = OpenP())
            {
                foreach (string name in new[] { "hello.txt", "empty.bin", "big.bin", "lines.txt",
                                                "subdir/nested.txt", "café.txt", "a b;c.txt" })
                    DownloadCompare(c, P, name);
                byte[] big = File.ReadAllBytes(P.Local("big.bin"));
                CheckEq(5 * 1024 * 1024, big.Length, "big.bin fixture size");
                var tail = new MemoryStream();
                c.Download("big.bin", tail, 1000000, 4096);
                CheckBytes(big.Skip(1000000).ToArray(), tail.ToArray(), "download with REST 1000000");
                CheckBytes(Encoding.UTF8.GetBytes("café\n"), c.DownloadBytes("café.txt"), "café.txt content");
            }
        }

        static void TestUpload()
        {
            using (var c = OpenP())
            {
                foreach (int size in new[] { 0, 1, 8191, 8193, 3 * 1024 * 1024 + 17 })
                {
                    string name = UniqueName("up.bin");
                    byte[] data = RandomBytes(size, size);
                    c.Upload(name, new MemoryStream(data));
                    CheckEq(226, c.LastReplyCode, "STOR final reply");
                    CheckBytes(data, File.ReadAllBytes(P.Local(name)), "uploaded file on disk (" + size + " bytes)");
                    CheckBytes(data, c.DownloadBytes(name), "uploaded file downloaded back");
                    CheckEq((long)size, c.GetSize(name), "SIZE of the upload");
                    c.Delete(name);
                    Check(!File.Exists(P.Local(name)), "deleted upload gone");
                }
                // A UTF-8 name.
                string uname = UniqueName("żółw ☃.txt");
                byte[] text = Encoding.UTF8.GetBytes("unicode name\n");
                c.Upload(uname, new MemoryStream(text), -1, 5);
                CheckBytes(text, File.ReadAllBytes(P.Local(uname)), "UTF-8 named upload on disk");
                Check(c.ListNames().Contains(uname), "NLST lists the UTF-8 name");
                c.Delete(uname);
            }
        }

        static void TestOpenRead()
        {
            using (var c = OpenP())
            {
                byte[] want = File.ReadAllBytes(P.Local("big.bin"));
                FtpTransferHandle th;
                var got = new MemoryStream();
                using (FtpDataStream s = c.OpenRead("big.bin"))
                {
                    th = s.Handle;
                    Check(s.CanRead && !s.CanWrite && !s.CanSeek, "stream capabilities");
                    Check(s.ExpectedSize == want.Length || s.ExpectedSize == -1, "ExpectedSize " + s.ExpectedSize);
                    int[] sizes = { 1, 7, 4096, 65536, 100000 };
                    var buf = new byte[100000 + 13];
                    for (int i = 0; ; i++)
                    {
                        int n = s.Read(buf, 13, sizes[i % sizes.Length]);
                        if (n == 0) break;
                        got.Write(buf, 13, n);
                    }
                    CheckEq(0, s.Read(buf, 0, 10), "read after the end");
                    CheckEq((long)want.Length, s.Position, "Position at the end");
                    // The session is busy while the transfer is open.
                    var e = Expect<FtpStateException>(() => c.SendCommand("NOOP"), "NOOP during a transfer");
                    Check(e.Message.Length > 0, "state error message");
                }
                Check(th.IsClosed, "transfer handle closed after Dispose");
                CheckBytes(want, got.ToArray(), "OpenRead big.bin");
                CheckEq(226, c.LastReplyCode, "final reply read by Dispose");
                Noop(c);

                // CopyTo through the stream, with REST.
                var tail = new MemoryStream();
                using (var s = c.OpenRead("big.bin", 5000000))
                    s.CopyTo(tail);
                CheckBytes(want.Skip(5000000).ToArray(), tail.ToArray(), "OpenRead with REST");

                // Given up early: Dispose swallows the 426, the session goes on.
                using (var s = c.OpenRead("big.bin"))
                {
                    var b = new byte[10];
                    int n = s.Read(b, 0, b.Length);
                    Check(n > 0, "early read");
                }
                Noop(c);
                DownloadCompare(c, P, "hello.txt");

                // A missing file fails at open; no stream, session usable.
                var pe = Expect<FtpPermException>(() => c.OpenRead("no-such-file.bin").Dispose(), "OpenRead missing");
                CheckEq(550, pe.ReplyCode, "OpenRead missing code");
                Noop(c);
                CheckEq(0, FtpHandleStats.Transfers, "no transfer handle left");
            }
        }

        static void TestOpenWrite()
        {
            using (var c = OpenP())
            {
                string name = UniqueName("stream-up.bin");
                byte[] data = RandomBytes(1000003, 7);
                using (var s = c.OpenWrite(name))
                {
                    Check(s.CanWrite && !s.CanRead, "write stream capabilities");
                    for (int off = 0; off < data.Length; off += 65521)
                        s.Write(data, off, Math.Min(65521, data.Length - off));
                }
                CheckEq(226, c.LastReplyCode, "final reply of the stream upload");
                CheckBytes(data, File.ReadAllBytes(P.Local(name)), "OpenWrite upload on disk");
                c.Delete(name);
            }
        }

        static void TestMlsd()
        {
            using (var c = OpenP())
            {
                List<FtpListEntry> entries = c.Mlsd();
                var byName = entries.ToDictionary(e => e.Name);
                foreach (string name in new[] { "hello.txt", "empty.bin", "big.bin", "lines.txt", "café.txt", "a b;c.txt" })
                {
                    Check(byName.ContainsKey(name), "MLSD lists " + name);
                    CheckEq("file", byName[name].Type, "type of " + name);
                    CheckEq((long?)new FileInfo(P.Local(name)).Length, byName[name].Size, "MLSD size of " + name);
                    Check(byName[name].Modify != null, "modify fact of " + name);
                }
                Check(byName.ContainsKey("subdir") && byName["subdir"].Type == "dir", "subdir is a dir");
                int files = 0;
                foreach (var e in entries)
                    if (e.Type == "file")
                    {
                        files++;
                        CheckEq((long?)new FileInfo(P.Local(e.Name)).Length, e.Size, "MLSD size of " + e.Name);
                    }
                Check(files >= 6, "at least 6 files");

                // Only the asked facts (OPTS MLST type;size;).
                var only = c.Mlsd("/", "type", "size");
                var h = only.First(e => e.Name == "hello.txt");
                CheckEq(12L, h.Size.Value, "hello.txt size with facts");
                Check(!h.Facts.ContainsKey("modify"), "modify not asked, not sent");

                var sub = c.Mlsd("subdir");
                Check(sub.Any(e => e.Name == "nested.txt" && e.Size == 12), "MLSD subdir");
            }
        }

        static void TestListings()
        {
            using (var c = OpenP())
            {
                var names = c.ListNames();
                foreach (string n in new[] { "hello.txt", "big.bin", "café.txt", "a b;c.txt", "subdir" })
                    Check(names.Contains(n), "NLST has " + n);
                var lines = c.List();
                Check(lines.Any(l => l.EndsWith(" hello.txt")), "LIST has hello.txt");
                Check(lines.Any(l => l.EndsWith(" café.txt")), "LIST has café.txt");
                var sub = c.ListNames("subdir");
                Check(sub.Any(n => n.EndsWith("nested.txt")), "NLST subdir");

                var got = new List<string>();
                c.RetrieveLines("RETR lines.txt", got.Add);
                CheckEq("first line|second line||fourth line, after an empty one|last line",
                        string.Join("|", got), "retrlines lines.txt");

                var pe = Expect<FtpPermException>(() => c.List("no-such-dir"), "LIST missing dir");
                CheckEq(550, pe.ReplyCode, "LIST missing code");
                Noop(c);
            }
        }

        static void TestRenameDelete()
        {
            using (var c = OpenP())
            {
                string a = UniqueName("a.txt"), b = UniqueName("b.txt");
                byte[] data = Encoding.ASCII.GetBytes("rename me\n");
                c.Upload(a, new MemoryStream(data));
                c.Rename(a, b);
                Check(!File.Exists(P.Local(a)), "old name gone");
                CheckBytes(data, File.ReadAllBytes(P.Local(b)), "new name on disk");
                c.Delete(b);
                Check(!File.Exists(P.Local(b)), "deleted");

                var e1 = Expect<FtpPermException>(() => c.Delete(b), "delete missing");
                CheckEq(550, e1.ReplyCode, "delete missing code");
                Check(e1.Reply.StartsWith("550"), "Reply text: " + e1.Reply);
                Check(e1.Message.Length > 0, "Message");
                CheckEq(FtpResult.Perm, e1.Result, "Result");
                var e2 = Expect<FtpPermException>(() => c.Rename(b, a), "rename missing");
                CheckEq(550, e2.ReplyCode, "rename missing code");
                Expect<FtpPermException>(() => c.GetSize(b), "SIZE missing");
                Noop(c);
            }
        }

        static void TestDirectories()
        {
            using (var c = OpenP())
            {
                string d = UniqueName("dir");
                CheckEq("/" + d, c.MakeDirectory(d), "MKD path");
                Check(Directory.Exists(P.Local(d)), "directory on disk");
                Expect<FtpPermException>(() => c.MakeDirectory(d), "MKD existing");
                c.ChangeDirectory(d);
                CheckEq("/" + d, c.PrintWorkingDirectory(), "PWD after CWD");
                c.Upload("inner.txt", new MemoryStream(Encoding.ASCII.GetBytes("in\n")));
                Check(File.Exists(Path.Combine(P.Local(d), "inner.txt")), "file in the new dir");
                c.ChangeDirectory("..");
                CheckEq("/", c.PrintWorkingDirectory(), "PWD after CWD ..");
                var e = Expect<FtpPermException>(() => c.RemoveDirectory(d), "RMD not empty");
                CheckEq(550, e.ReplyCode, "RMD not empty code");
                c.Delete(d + "/inner.txt");
                c.RemoveDirectory(d);
                Check(!Directory.Exists(P.Local(d)), "directory removed");
                Expect<FtpPermException>(() => c.ChangeDirectory(d), "CWD missing");
            }
        }

        static void TestWrongPassword()
        {
            using (var c = Track(new FtpClient()))
            {
                c.Timeout = TimeSpan.FromSeconds(30);
                c.Connect(P.Host, P.Port);
                var e = Expect<FtpPermException>(() => c.Login(P.User, P.Pass + "-wrong"), "wrong password");
                CheckEq(530, e.ReplyCode, "ReplyCode");
                CheckEq(FtpResult.Perm, e.Result, "Result");
                Check(e.Reply.StartsWith("530"), "Reply: " + e.Reply);
                Check(e.Message.Length > 0, "Message");
                Check(e is FtpException, "is an FtpException");
            }
        }

        static void TestErrors()
        {
            using (var c = OpenP())
            {
                var e = Expect<FtpPermException>(() => c.Download("no-such-file.bin", new MemoryStream()), "RETR missing");
                CheckEq(550, e.ReplyCode, "RETR missing code");
                Noop(c);
                Expect<FtpInvalidArgumentException>(() => c.SendCommand("NOOP\r\nDELE hello.txt"), "CRLF in a command");
                Expect<FtpInvalidArgumentException>(() => c.SendCommand("NOOP\0x"), "NUL in a command");
                Expect<FtpInvalidArgumentException>(() => c.Encoding = "ebcdic", "bad encoding");
                var u = Expect<FtpPermException>(() => c.SendCommand("XYZZY"), "unknown command");
                CheckEq(500, u.ReplyCode, "unknown command code");
                Expect<FtpReplyException>(() => c.VoidCommand("REST 0"), "3xx reply to voidcmd");
                c.Quit();
                Expect<FtpStateException>(() => c.SendCommand("NOOP"), "command after QUIT");
                // The session can connect again.
                c.Connect(P.Host, P.Port);
                c.Login(P.User, P.Pass);
                Noop(c);
                c.Close();
                c.Close();
            }
            using (var c = Track(new FtpClient()))
            {
                c.Timeout = TimeSpan.FromSeconds(10);
                // Nothing listens on port 1 of the loopback.
                Expect<FtpIOException>(() => c.Connect("127.0.0.1", 1), "connection refused");
            }
        }

        static void TestThrowingStreams()
        {
            using (var c = OpenP())
            {
                // A destination that throws stops the download; its exception comes back.
                var sink = new ThrowingSink(100000);
                var e = Expect<MarkerException>(() => c.Download("big.bin", sink), "throwing destination");
                Check(e.Message.StartsWith("sink full"), "the sink's own exception: " + e.Message);
                Check(e.StackTrace != null && e.StackTrace.Contains("ThrowingSink.Write"), "original stack trace kept");
                Check(sink.Written <= 100000, "no data kept past the limit");
                CheckEq(0, sink.CallsAfterThrow, "Write calls after the throw (the transfer must stop)");
                Noop(c);
                DownloadCompare(c, P, "hello.txt");
                DownloadCompare(c, P, "big.bin");

                // A source that throws stops the upload; its exception comes back.
                string name = UniqueName("broken-up.bin");
                var src = new ThrowingSource(50000);
                var e2 = Expect<MarkerException>(() => c.Upload(name, src), "throwing source");
                Check(e2.Message.StartsWith("source broken"), "the source's own exception");
                Noop(c);
                Check(c.ListNames().Contains(name), "partial upload exists");
                c.Delete(name);

                // A line handler that throws.
                int seen = 0;
                Expect<MarkerException>(() => c.RetrieveLines("RETR lines.txt", l =>
                {
                    if (++seen == 2) throw new MarkerException("line handler");
                }), "throwing line handler");
                CheckEq(2, seen, "lines seen before the throw");
                Noop(c);

                // The library still works on the same session after all that.
                var up = RandomBytes(300000, 3);
                string n2 = UniqueName("after.bin");
                c.Upload(n2, new MemoryStream(up));
                CheckBytes(up, File.ReadAllBytes(P.Local(n2)), "upload after the failures");
                c.Delete(n2);
            }
        }

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
            Run("ConnectUrl (ftp, ftpes)", TestConnectUrl);
#if LIBFTP_NEXT
            Run("pool mirror", TestPoolMirror);
            Run("netrc login through Open", TestNetrcLogin);
            Run("HTTP CONNECT proxy", TestProxy);
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
