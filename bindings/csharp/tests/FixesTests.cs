// FixesTests.cs: the faults of issue 16, each with a test that fails
// without its fix: GetSize on a fresh session, exception base classes,
// Dispose sending QUIT and never throwing, ExpectedSize after REST, the
// default timeout against a stalled server, DateTime times.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using LibFtp;

namespace LibFtp.Tests
{
    static partial class Program
    {
        static void TestGetSizeFreshSession()
        {
            // No TYPE I before: pyftpdlib answers SIZE in ASCII mode with 550.
            using (var c = OpenP())
            {
                CheckEq(12L, c.GetSize("hello.txt"), "SIZE hello.txt on a fresh session");
                CheckEq(5L * 1024 * 1024, c.GetSize("big.bin"), "SIZE big.bin");
                // ASCII mode chosen by hand does not matter either.
                c.VoidCommand("TYPE A");
                CheckEq(12L, c.GetSize("hello.txt"), "SIZE after TYPE A");
            }
        }

        static void TestExceptionBases()
        {
            Check(typeof(IOException).IsAssignableFrom(typeof(FtpIOException)), "FtpIOException is an IOException");
            Check(typeof(IOException).IsAssignableFrom(typeof(FtpPermException)), "FtpPermException is an IOException");
            Check(typeof(TimeoutException).IsAssignableFrom(typeof(FtpTimeoutException)), "FtpTimeoutException is a TimeoutException");
            Check(typeof(OperationCanceledException).IsAssignableFrom(typeof(FtpCancelledException)),
                  "FtpCancelledException is an OperationCanceledException");
            using (var c = OpenP())
            {
                var e = Expect<IOException>(() => c.Delete("no-such-file"), "DELE missing as IOException");
                var f = e as IFtpError;
                Check(f != null, "IFtpError");
                CheckEq(550, f.ReplyCode, "reply code through IFtpError");
                CheckEq(FtpResult.Perm, f.Result, "result through IFtpError");
            }
        }

        /// <summary>A TCP server on the loopback that accepts and never says a word.</summary>
        sealed class SilentServer : IDisposable
        {
            readonly TcpListener listener = new TcpListener(IPAddress.Loopback, 0);
            readonly List<Socket> accepted = new List<Socket>();
            public SilentServer()
            {
                listener.Start();
                listener.BeginAcceptSocket(OnAccept, null);
            }
            void OnAccept(IAsyncResult ar)
            {
                try { lock (accepted) accepted.Add(listener.EndAcceptSocket(ar)); }
                catch (ObjectDisposedException) { }
            }
            public int Port { get { return ((IPEndPoint)listener.LocalEndpoint).Port; } }
            public void Dispose()
            {
                listener.Stop();
                lock (accepted) foreach (var s in accepted) s.Close();
            }
        }

        static void TestTimeouts()
        {
            using (var c = Track(new FtpClient()))
            {
                CheckEq(FtpClient.DefaultTimeout, c.Timeout, "a new client's timeout");
                Check(c.Timeout > TimeSpan.Zero && c.Timeout != Timeout.InfiniteTimeSpan, "the default timeout is bounded");
                c.Timeout = TimeSpan.Zero;
                CheckEq(Timeout.InfiniteTimeSpan, c.Timeout, "zero means no limit");
                Expect<ArgumentOutOfRangeException>(() => c.Timeout = TimeSpan.FromSeconds(-1), "a negative timeout");
                CheckEq(Timeout.InfiniteTimeSpan, c.Timeout, "unchanged by a refusal");
                using (var silent = new SilentServer())
                {
                    c.Timeout = TimeSpan.FromMilliseconds(300);
                    var e = Expect<TimeoutException>(() => c.Connect("127.0.0.1", silent.Port), "a server that never greets");
                    Check(e is FtpTimeoutException, "an FtpTimeoutException");
                    CheckEq(FtpResult.Timeout, ((IFtpError)e).Result, "result");
                }
            }
        }

        static void TestDisposeSendsQuit()
        {
            var lines = new List<string>();
            var c = OpenP();
            c.DebugLevel = 1;
            c.DebugHandler = l => { lock (lines) lines.Add(l); };
            c.Dispose();
            c.Dispose();   // twice is fine
            Check(lines.Any(l => l.Contains("QUIT")), "QUIT sent by Dispose: " + string.Join(" | ", lines));
            Check(c.Handle.IsClosed, "handle freed");
            Expect<ObjectDisposedException>(() => c.SendCommand("NOOP"), "a call after Dispose");
            Expect<ObjectDisposedException>(() => c.Timeout = TimeSpan.FromSeconds(1), "a setter after Dispose");
        }

        static void TestStreamDisposeNeverThrows()
        {
            // An exception leaving a `using` block is the one the caller sees,
            // even when finishing the transfer fails too (here: the client is gone).
            var c = OpenP();
            FtpDataStream s = null;
            var e = Expect<MarkerException>(() =>
            {
                using (s = c.OpenRead("big.bin"))
                {
                    var b = new byte[100];
                    s.Read(b, 0, b.Length);
                    c.Dispose();
                    throw new MarkerException("the caller's own failure");
                }
            }, "exception from inside using");
            CheckEq("the caller's own failure", e.Message, "the original exception");
            Check(s.FinishError is ObjectDisposedException, "FinishError kept: " + s.FinishError);
            Expect<ObjectDisposedException>(() => s.Finish(), "Finish repeats the failure");

            // Finish reports the final reply of a complete upload.
            using (var c2 = OpenP())
            {
                string name = UniqueName("finish.bin");
                var up = c2.OpenWrite(name);
                up.Write(new byte[] { 1, 2, 3 }, 0, 3);
                string reply = up.Finish();
                Check(reply.StartsWith("226"), "Finish returns the final reply: " + reply);
                up.Dispose();
                CheckBytes(new byte[] { 1, 2, 3 }, File.ReadAllBytes(P.Local(name)), "upload through Finish");
                c2.Delete(name);
            }
        }

        static void TestExpectedSizeAfterRest()
        {
            if (V == null) throw new SkipException("FTP_TEST_VSFTPD_* not set (optional)", true);
            using (var c = Track(new FtpClient()))
            {
                c.Connect(V.Host, V.Port);
                c.Login();
                byte[] big = File.ReadAllBytes(V.Local("pub/big.bin"));
                // vsftpd's 150 announces the whole file even after REST.
                using (var s = c.OpenRead("pub/big.bin", 1000000))
                {
                    CheckEq((long)big.Length - 1000000, s.ExpectedSize, "ExpectedSize after REST 1000000");
                    var ms = new MemoryStream();
                    s.CopyTo(ms);
                    CheckEq(s.ExpectedSize, ms.Length, "bytes read = ExpectedSize");
                    CheckBytes(big.Skip(1000000).ToArray(), ms.ToArray(), "the tail");
                }
                using (var s = c.OpenRead("pub/big.bin"))
                    CheckEq((long)big.Length, s.ExpectedSize, "ExpectedSize without REST");
            }
        }

        static void TestDateTimes()
        {
            using (var c = OpenP())
            {
                DateTime disk = File.GetLastWriteTimeUtc(P.Local("hello.txt"));
                var m = c.Mlsd().First(e => e.Name == "hello.txt");
                Check(m.Modify.HasValue, "MLSD modify parsed");
                CheckEq(DateTimeKind.Utc, m.Modify.Value.Kind, "MLSD modify is UTC");
                Check(Math.Abs((m.Modify.Value - disk).TotalSeconds) < 1, "MLSD modify " + m.Modify + " vs disk " + disk);
                DateTime mdtm = c.GetModifiedTime("hello.txt");
                CheckEq(DateTimeKind.Utc, mdtm.Kind, "MDTM kind");
                Check(Math.Abs((mdtm - disk).TotalSeconds) < 1, "MDTM " + mdtm + " vs disk " + disk);

                string name = UniqueName("mtime.txt");
                c.Upload(name, new MemoryStream(new byte[] { 42 }));
                var when = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);
                c.SetModifiedTime(name, when);
                CheckEq(when, File.GetLastWriteTimeUtc(P.Local(name)), "MFMT on disk");
                CheckEq(when, c.GetModifiedTime(name), "MDTM after MFMT");
                c.Delete(name);
            }
        }
    }
}
