// PoolCancelTests.cs: pool calls stopped through ftp_pool_cancel (a token
// while waiting for a session, a segmented download mid-way, Cancel()),
// calls whose tokens never fire surviving other calls' cancels, and the
// pool's Timeout. Latencies are logged; only the hang bound is asserted.

using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using LibFtp;

namespace LibFtp.Tests
{
    /// <summary>A pool call whose first progress report blocks until Release,
    /// so that it keeps its session.</summary>
    sealed class HeldCall
    {
        readonly ManualResetEventSlim held = new ManualResetEventSlim(), released = new ManualResetEventSlim();
        int first;
        public readonly Task Task;

        public HeldCall(FtpPool pool, string remote, string local)
        {
            var progress = new SyncProgress<FtpProgress>(p =>
            {
                if (Interlocked.Exchange(ref first, 1) == 0)
                {
                    held.Set();
                    released.Wait();
                }
            });
            Task = pool.DownloadFileAsync(remote, local, FtpFileOptions.None, progress);
        }

        /// <summary>Waits until the call holds its session.</summary>
        public bool WaitHeld(TimeSpan bound) { return held.Wait(bound); }

        public void Release() { released.Set(); }
    }

    static partial class Program
    {
        /// <summary>Runs call on its own thread, waits `before`, runs stop, and
        /// returns call's exception (null: none) and the time from stop to
        /// its return.</summary>
        static Exception StopPoolCall(string what, Action call, Action stop, TimeSpan before)
        {
            Exception got = null;
            var done = new ManualResetEventSlim();
            new Thread(() =>
            {
                try { call(); }
                catch (Exception e) { got = e; }
                done.Set();
            }).Start();
            Thread.Sleep(before);   // most likely in libftp by now (either way it must end)
            var sw = Stopwatch.StartNew();
            stop();
            Check(done.Wait(HangBound), what + ": returned within " + HangBound.TotalSeconds + " s of the stop");
            Console.WriteLine("     {0}: returned {1:0.0} ms after the stop", what, sw.Elapsed.TotalMilliseconds);
            return got;
        }

        /// <summary>A segmented download of big.bin, byte-exact: each part sends
        /// its own REST (see the Go binding's wantPoolAfterCancel: a session
        /// cancelled between REST and RETR keeps the server's restart marker).</summary>
        static void CheckPoolAfterCancel(FtpPool pool, string dir, string what)
        {
            string local = Path.Combine(dir, "after.bin");
            pool.DownloadSegmented("big.bin", local, 3);
            CheckBytes(File.ReadAllBytes(P.Local("big.bin")), File.ReadAllBytes(local), what);
        }

        static void TestPoolCancelWhileWaiting()
        {
            InTempDir("pwait", dir =>
            {
                using (var pool = new FtpPool(PUrl(), null, 1))
                {
                    var holder = new HeldCall(pool, "big.bin", Path.Combine(dir, "held.bin"));
                    Check(holder.WaitHeld(HangBound), "the holding call took the session");
                    var cts = new CancellationTokenSource();
                    Exception e = StopPoolCall("a call waiting for the only session",
                        () => pool.DownloadFile("hello.txt", Path.Combine(dir, "waiting"), FtpFileOptions.None, null, cts.Token),
                        cts.Cancel, TimeSpan.FromMilliseconds(100));
                    var ce = e as FtpCancelledException;
                    Check(ce != null, "the waiting call threw FtpCancelledException: " + e);
                    CheckEq(cts.Token, ce.CancellationToken, "its token");
                    Check(!File.Exists(Path.Combine(dir, "waiting")), "no local file from the cancelled call");
                    holder.Release();
                    // stopped by the same pool cancel, the holder starts over
                    Check(holder.Task.Wait(TimeSpan.FromSeconds(20)), "the holding call finished");
                    CheckBytes(File.ReadAllBytes(P.Local("big.bin")), File.ReadAllBytes(Path.Combine(dir, "held.bin")),
                               "the holding call (its token never fired)");
                    pool.DownloadFile("hello.txt", Path.Combine(dir, "h.txt"));
                    CheckBytes(File.ReadAllBytes(P.Local("hello.txt")), File.ReadAllBytes(Path.Combine(dir, "h.txt")), "the pool afterwards");
                }
            });
        }

        static void TestPoolCancelSegmented()
        {
            InTempDir("pseg", dir =>
            {
                using (var pool = new FtpPool(PUrl(), null, 3))
                {
                    var cts = new CancellationTokenSource();
                    var midway = new ManualResetEventSlim();
                    // the first report of a part after the first waits for the
                    // cancel: the download is then surely mid-way
                    var progress = new SyncProgress<FtpProgress>(p =>
                    {
                        if (p.Offset > 0 && !midway.IsSet)
                        {
                            midway.Set();
                            cts.Token.WaitHandle.WaitOne();
                        }
                    });
                    string local = Path.Combine(dir, "seg.bin");
                    Exception e = StopPoolCall("a segmented download cancelled mid-way",
                        () => pool.DownloadSegmented("big.bin", local, 3, FtpFileOptions.Atomic, progress, cts.Token),
                        () => { Check(midway.Wait(HangBound), "the download got mid-way"); cts.Cancel(); },
                        TimeSpan.Zero);
                    Check(e is FtpCancelledException, "FtpCancelledException: " + e);
                    CheckEq(0, Directory.GetFileSystemEntries(dir).Length, "nothing left by the atomic download");
                    CheckPoolAfterCancel(pool, dir, "segmented download after the cancel");
                }
            });
        }

        static void TestPoolCancelMethod()
        {
            InTempDir("pcancel", dir =>
            {
                using (var pool = new FtpPool(PUrl(), null, 1))
                {
                    pool.Cancel();   // nothing runs: nothing happens
                    var holder = new HeldCall(pool, "big.bin", Path.Combine(dir, "held.bin"));
                    Check(holder.WaitHeld(HangBound), "the holding call took the session");
                    Exception e = StopPoolCall("Cancel() of a call waiting for the session",
                        () => pool.DownloadFile("hello.txt", Path.Combine(dir, "waiting")), pool.Cancel, TimeSpan.FromMilliseconds(100));
                    Check(e is FtpCancelledException && e.Message.Contains("FtpPool.Cancel"), "the waiting call: " + e);
                    holder.Release();
                    try { holder.Task.Wait(HangBound); }
                    catch (AggregateException ae) { e = ae.InnerException; }
                    Check(e is FtpCancelledException && e.Message.Contains("FtpPool.Cancel"), "the holding call: " + e);
                    CheckPoolAfterCancel(pool, dir, "the pool after Cancel()");
                }
            });
        }

        static void TestPoolDisposeStopsCalls()
        {
            InTempDir("pdispose", dir =>
            {
                var pool = new FtpPool(PUrl(), null, 1);
                var holder = new HeldCall(pool, "big.bin", Path.Combine(dir, "held.bin"));
                Check(holder.WaitHeld(HangBound), "the holding call took the session");
                Exception e = StopPoolCall("Dispose() of a call waiting for the session",
                    () => pool.DownloadFile("hello.txt", Path.Combine(dir, "waiting")), pool.Dispose, TimeSpan.FromMilliseconds(100));
                Check(e is FtpCancelledException && e.Message.Contains("disposed"), "the waiting call: " + e);
                holder.Release();
                try { holder.Task.Wait(HangBound); }
                catch (AggregateException ae) { e = ae.InnerException; }
                Check(e is FtpCancelledException && e.Message.Contains("disposed"), "the holding call: " + e);
                Expect<ObjectDisposedException>(() => pool.DownloadFile("hello.txt", Path.Combine(dir, "late")), "a call after Dispose");
                Expect<ObjectDisposedException>(() => pool.Timeout = TimeSpan.FromSeconds(1), "a setting after Dispose");
            });
        }

        static void TestPoolOthersCancelled()
        {
            InTempDir("pothers", dir =>
            {
                byte[] big = File.ReadAllBytes(P.Local("big.bin"));
                using (var pool = new FtpPool(PUrl(), null, 2))
                {
                    var keep = new Task[3];
                    for (int i = 0; i < keep.Length; i++)
                    {
                        string local = Path.Combine(dir, "keep" + i);
                        keep[i] = Task.Factory.StartNew(() =>
                        {
                            for (int j = 0; j < 2; j++)
                            {
                                pool.DownloadFile("big.bin", local);
                                CheckBytes(big, File.ReadAllBytes(local), "a call whose token never fired");
                            }
                        }, TaskCreationOptions.LongRunning);
                    }
                    for (int k = 1; k <= 6; k++)
                    {
                        using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(k)))
                        {
                            try { pool.DownloadFile("big.bin", Path.Combine(dir, "cancelled"), FtpFileOptions.None, null, cts.Token); }
                            catch (FtpCancelledException) { }
                        }
                    }
                    Task.WaitAll(keep);
                }
            });
        }

        static void TestPoolTimeout()
        {
            InTempDir("ptimeout", dir =>
            {
                using (var pool = new FtpPool(PUrl(), null, 1))
                {
                    CheckEq(TimeSpan.FromSeconds(30), pool.Timeout, "default");
                    Expect<ArgumentOutOfRangeException>(() => pool.Timeout = TimeSpan.FromSeconds(-2), "a negative timeout");
                    pool.Timeout = TimeSpan.FromMilliseconds(300);
                    var holder = new HeldCall(pool, "hello.txt", Path.Combine(dir, "held.txt"));
                    Check(holder.WaitHeld(HangBound), "the holding call took the session");
                    try { Expect<FtpTimeoutException>(() => pool.DownloadFile("hello.txt", Path.Combine(dir, "w")), "waiting for the busy session"); }
                    finally { holder.Release(); }
                    holder.Task.Wait();
                    CheckBytes(File.ReadAllBytes(P.Local("hello.txt")), File.ReadAllBytes(Path.Combine(dir, "held.txt")), "the holding call");
                    pool.Timeout = TimeSpan.Zero;
                    CheckEq(System.Threading.Timeout.InfiniteTimeSpan, pool.Timeout, "no limit");
                }
            });
        }
    }
}
