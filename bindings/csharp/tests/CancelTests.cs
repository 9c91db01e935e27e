// CancelTests.cs: stopping a transfer from another thread (Cancel, Abort,
// Dispose, a CancellationToken). Each logs how long the stop took; only a
// generous hang bound (5 s) is asserted. Afterwards the session must be
// usable (a NOOP and a byte-exact download) or, after Dispose, freed.

using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using LibFtp;

namespace LibFtp.Tests
{
    /// <summary>A destination that takes its time (1 ms a block), so that a
    /// 5 MiB download lasts long enough to be stopped in the middle.</summary>
    sealed class SlowSink : SinkStream
    {
        long written;
        public readonly ManualResetEventSlim Started = new ManualResetEventSlim();
        public long Written { get { return Interlocked.Read(ref written); } }
        public override long Count { get { return Written; } }
        public override void Write(byte[] b, int o, int c)
        {
            Thread.Sleep(1);
            if (Interlocked.Add(ref written, c) > 64 * 1024) Started.Set();
        }
    }

    static partial class Program
    {
        static readonly TimeSpan HangBound = TimeSpan.FromSeconds(5);
        const long BigSize = 5L * 1024 * 1024;

        /// <summary>Starts a slow download of big.bin on another thread, waits
        /// until it is under way, runs stop, and returns the download's
        /// exception and how long it took to return after stop began.</summary>
        static Exception StopMidTransfer(FtpClient c, SlowSink sink, string what, Action stop)
        {
            Exception got = null;
            var done = new ManualResetEventSlim();
            var t = new Thread(() =>
            {
                try { c.Download("big.bin", sink); }
                catch (Exception e) { got = e; }
                done.Set();
            });
            t.Start();
            Check(sink.Started.Wait(HangBound), what + ": the download started");
            var sw = Stopwatch.StartNew();
            stop();
            Check(done.Wait(HangBound), what + ": the download returned within " + HangBound.TotalSeconds + " s");
            sw.Stop();
            Console.WriteLine("     {0}: the transfer returned {1:0.0} ms after the stop began ({2} of {3} bytes moved)",
                              what, sw.Elapsed.TotalMilliseconds, sink.Written, BigSize);
            t.Join();
            Check(sink.Written < BigSize, what + ": stopped before the end");
            return got;
        }

        static void CheckUsable(FtpClient c, string what)
        {
            Noop(c);
            DownloadCompare(c, P, "hello.txt");
            CheckEq(0, FtpHandleStats.Transfers, what + ": no transfer handle left");
        }

        static void TestCancelFromAnotherThread()
        {
            using (var c = OpenP())
            {
                var e = StopMidTransfer(c, new SlowSink(), "Cancel()", c.Cancel);
                Check(e is FtpCancelledException, "FtpCancelledException, got " + e);
                Check(e is OperationCanceledException, "an OperationCanceledException");
                CheckUsable(c, "after Cancel");
                c.Cancel();   // nothing runs: ignored
                Noop(c);
            }
        }

        static void TestAbortFromAnotherThread()
        {
            using (var c = OpenP())
            {
                var e = StopMidTransfer(c, new SlowSink(), "Abort()", c.Abort);
                Check(e is FtpCancelledException, "the download is cancelled, got " + e);
                CheckUsable(c, "after Abort");
            }
        }

        static void TestDisposeFromAnotherThread()
        {
            var c = OpenP();
            var sw = new Stopwatch();
            var e = StopMidTransfer(c, new SlowSink(), "Dispose()", () => { sw.Start(); c.Dispose(); sw.Stop(); });
            Console.WriteLine("     Dispose() itself returned after {0:0.0} ms", sw.Elapsed.TotalMilliseconds);
            Check(sw.Elapsed < HangBound, "Dispose bounded");
            Check(e is FtpCancelledException, "the download is cancelled, got " + e);
            Check(c.Handle.IsClosed, "the session is freed");
            Expect<ObjectDisposedException>(() => c.SendCommand("NOOP"), "after Dispose");
        }

        static void TestCancellationToken()
        {
            using (var c = OpenP())
            {
                var cts = new CancellationTokenSource();
                var sink = new SlowSink();
                Task t = c.DownloadAsync("big.bin", sink, null, cts.Token);
                Check(sink.Started.Wait(HangBound), "the async download started");
                var sw = Stopwatch.StartNew();
                cts.Cancel();
                Check(((IAsyncResult)t).AsyncWaitHandle.WaitOne(HangBound), "returned within the bound");
                Console.WriteLine("     CancellationToken: the transfer returned {0:0.0} ms after Cancel ({1} bytes moved)",
                                  sw.Elapsed.TotalMilliseconds, sink.Written);
                var e = Expect<OperationCanceledException>(() => t.GetAwaiter().GetResult(), "awaiting the cancelled task");
                CheckEq(cts.Token, e.CancellationToken, "the exception carries the token");
                CheckUsable(c, "after a token cancel");

                // A token cancelled before the call: nothing is sent.
                Expect<OperationCanceledException>(() => c.GetSizeAsync("hello.txt", cts.Token).GetAwaiter().GetResult(),
                                                   "cancelled before the start");
                Noop(c);

                // A call waiting its turn is cancelled without running.
                var slow = new SlowSink();
                Task first = c.DownloadAsync("big.bin", slow);
                Check(slow.Started.Wait(HangBound), "first call running");
                var cts2 = new CancellationTokenSource();
                Task<long> queued = c.GetSizeAsync("hello.txt", cts2.Token);
                cts2.Cancel();
                Expect<OperationCanceledException>(() => queued.GetAwaiter().GetResult(), "a queued call cancelled");
                Check(!first.IsCompleted, "the running call goes on");
                first.GetAwaiter().GetResult();
                CheckEq(BigSize, slow.Written, "the first download complete");
                CheckEq(12L, c.GetSizeAsync("hello.txt").GetAwaiter().GetResult(), "SIZE afterwards");
            }
        }

        static void TestCancelStalledServer()
        {
            // No timeout, a server that never greets: only the token ends the wait.
            using (var silent = new SilentServer())
            using (var c = Track(new FtpClient()))
            {
                c.Timeout = Timeout.InfiniteTimeSpan;
                var cts = new CancellationTokenSource();
                var sw = new Stopwatch();
                cts.Token.Register(sw.Start);
                Task<string> t = c.ConnectAsync("127.0.0.1", silent.Port, cts.Token);
                cts.CancelAfter(100);
                Check(((IAsyncResult)t).AsyncWaitHandle.WaitOne(HangBound), "the connect returned within the bound");
                sw.Stop();
                Console.WriteLine("     stalled server: the connect returned {0:0.0} ms after the token fired", sw.Elapsed.TotalMilliseconds);
                var e = Expect<OperationCanceledException>(() => t.GetAwaiter().GetResult(), "cancelled connect");
                CheckEq(FtpResult.Cancelled, ((IFtpError)e).Result, "result");
                // Cancelled in the welcome's wait: the connection is closed, the client reusable.
                c.Timeout = TimeSpan.FromSeconds(30);
                c.Connect(P.Host, P.Port);
                c.Login(P.User, P.Pass);
                CheckUsable(c, "after a cancelled connect");
            }
        }
    }
}
