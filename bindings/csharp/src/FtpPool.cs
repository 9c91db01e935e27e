// FtpPool.cs: many sessions to one server, shared by many threads and
// tasks (ftp_pool_*): whole-file transfers and segmented downloads.

using System;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace LibFtp
{
    /// <summary>Up to MaxSessions connections to the server of a URL
    /// (ftp://, ftpes:// explicit FTPS, ftps:// implicit FTPS; FTPS pools
    /// protect every data connection with PROT P), opened on demand, logged
    /// in and changed to the URL's directory. Safe to use from any number of
    /// threads and tasks at once: each call borrows an idle session.
    ///
    /// Cancellation (ftp_pool_cancel): a call's CancellationToken stops it
    /// wherever it is (a transfer, the connect and login of a new session,
    /// the wait for a free session) within about 100 ms, with
    /// FtpCancelledException. libftp's cancel stops every call running on
    /// the pool, so the pool's other calls, whose tokens did not fire, start
    /// over by themselves once the cancelled calls have returned (a download
    /// or upload from its beginning, or from what is on the target with
    /// Resume; a Mirror runs again and reports that last run), and calls made
    /// meanwhile wait for that moment: a token never changes another call's
    /// result, only its cost. Cancel() stops every running call (each throws
    /// FtpCancelledException); Dispose does too.</summary>
    public sealed partial class FtpPool : IDisposable
    {
        readonly FtpPoolHandle pool;
        readonly PoolCalls calls = new PoolCalls();
        PoolGate gate;

        /// <summary>A pool for url; tls (FTPS URLs only; null = the system's CAs,
        /// host name checked) is copied.</summary>
        public FtpPool(string url, FtpTlsOptions tls = null, int maxSessions = 4)
        {
            byte[] u = Url(url, maxSessions);
            if (tls == null)
                pool = New(u, null, maxSessions);
            else
                using (TlsConfigHandle config = TlsConfigHandle.Create(tls))
                    pool = New(u, config, maxSessions);
            Setup(maxSessions);
        }

        /// <summary>A pool with a copy of a TLS configuration (null: defaults).</summary>
        public FtpPool(string url, TlsConfigHandle tls, int maxSessions)
        {
            pool = New(Url(url, maxSessions), tls, maxSessions);
            Setup(maxSessions);
        }

        static FtpPoolHandle New(byte[] url, TlsConfigHandle tls, int maxSessions)
        {
            return tls == null ? Native.ftp_pool_new_default_tls(url, IntPtr.Zero, (uint)maxSessions)
                               : Native.ftp_pool_new(url, tls, (uint)maxSessions);
        }

        static byte[] Url(string url, int maxSessions)
        {
            if (url == null) throw new ArgumentNullException("url");
            if (maxSessions < 1) throw new ArgumentOutOfRangeException("maxSessions");
            if (url.IndexOf('\0') >= 0) throw new FtpInvalidArgumentException("url may not contain NUL", 0, "");
            return Utf8.Z(url);
        }

        void Setup(int maxSessions)
        {
            if (pool == null || pool.IsInvalid)
                throw new FtpInvalidArgumentException(Utf8.FromPtr(Native.ftp_pool_new_error(IntPtr.Zero)), 0, "");
            pool.Track();
            gate = new PoolGate(pool);
            MaxSessions = maxSessions;
            pool.Userdata = GCHandle.Alloc(calls);
            Native.ftp_pool_set_progress_callback(pool, PoolCalls.Callback, GCHandle.ToIntPtr(pool.Userdata), 50);
        }

        public int MaxSessions { get; private set; }

        /// <summary>The native pool handle (closed once disposed).</summary>
        public FtpPoolHandle Handle { get { return pool; } }

        static uint Flags(FtpFileOptions options) { return FtpClient.Flags(options); }

        static byte[] Arg(string s, string name) { return FtpClient.Arg(s, name); }

        /// <summary>Runs one pool call on the calling thread: its reports go to
        /// progress; its token cancels the pool (PoolGate) and stops its own
        /// transfers at their next report; stopped for another call, it starts
        /// over.</summary>
        T Run<T>(string remotePath, bool isDirectory, CancellationToken ct, IProgress<FtpProgress> progress,
                 Func<FtpResult> call, Func<T> result)
        {
            if (pool.IsClosed) throw new ObjectDisposedException("FtpPool");
            if (ct.IsCancellationRequested) throw new FtpCancelledException("cancelled before the call started", 0, "", ct);
            PoolCall c = calls.Begin(ct, progress, remotePath, isDirectory);
            try
            {
                for (;;)
                {
                    if (c.ShouldStop) throw c.Cancelled();
                    gate.Enter(c);
                    FtpResult r;
                    string why;
                    try
                    {
                        using (ct.Register(gate.Cancel))
                            r = call();
                        why = r == FtpResult.Ok ? "" : LastError();
                    }
                    finally
                    {
                        gate.Leave();
                    }
                    if (r == FtpResult.Ok) return result();
                    if (c.Error != null) ExceptionDispatchInfo.Capture(c.Error).Throw();
                    bool stopped = r == FtpResult.Cancelled || r == FtpResult.Callback;
                    if (stopped && c.ShouldStop) throw c.Cancelled();
                    // Stopped for another call (a pool cancel, or a report of a
                    // transfer of the same path): start over.
                    if (!stopped) throw FtpException.Create(r, why, 0, "");
                }
            }
            finally
            {
                calls.End(c);
            }
        }

        /// <summary>ftp_pool_last_error on this thread (the pool may be gone).</summary>
        string LastError()
        {
            try { return Utf8.FromPtr(Native.ftp_pool_last_error(pool)); }
            catch (ObjectDisposedException) { return PoolCalls.Disposed; }
        }

        void Run(string remotePath, CancellationToken ct, IProgress<FtpProgress> progress, Func<FtpResult> call)
        {
            Run(remotePath, false, ct, progress, call, () => true);
        }

        static Task OnOwnThread(Action body)
        {
            return Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        /// <summary>Downloads remotePath (relative to the URL's directory) into
        /// localPath on a borrowed session; options as FtpClient.DownloadFile.</summary>
        public void DownloadFile(string remotePath, string localPath, FtpFileOptions options = FtpFileOptions.None,
                                 IProgress<FtpProgress> progress = null, CancellationToken cancellationToken = default(CancellationToken))
        {
            byte[] r = Arg(remotePath, "remotePath"), l = Arg(localPath, "localPath");
            uint f = Flags(options);
            Run(remotePath, cancellationToken, progress, () => Native.ftp_pool_download_file(pool, r, l, f));
        }

        public Task DownloadFileAsync(string remotePath, string localPath, FtpFileOptions options = FtpFileOptions.None,
                                      IProgress<FtpProgress> progress = null, CancellationToken cancellationToken = default(CancellationToken))
        {
            return OnOwnThread(() => DownloadFile(remotePath, localPath, options, progress, cancellationToken));
        }

        /// <summary>Uploads localPath to remotePath on a borrowed session.</summary>
        public void UploadFile(string localPath, string remotePath, FtpFileOptions options = FtpFileOptions.None,
                               IProgress<FtpProgress> progress = null, CancellationToken cancellationToken = default(CancellationToken))
        {
            byte[] r = Arg(remotePath, "remotePath"), l = Arg(localPath, "localPath");
            uint f = Flags(options);
            Run(remotePath, cancellationToken, progress, () => Native.ftp_pool_upload_file(pool, l, r, f));
        }

        public Task UploadFileAsync(string localPath, string remotePath, FtpFileOptions options = FtpFileOptions.None,
                                    IProgress<FtpProgress> progress = null, CancellationToken cancellationToken = default(CancellationToken))
        {
            return OnOwnThread(() => UploadFile(localPath, remotePath, options, progress, cancellationToken));
        }

        /// <summary>Downloads one file in up to `segments` parts fetched at once
        /// over the pool's sessions (REST per part, parts rebalanced); one stream
        /// when the server lacks REST STREAM or SIZE, for files under 1 MiB, or
        /// with Resume. progress hears each part's reports (RemotePath the file's).</summary>
        public void DownloadSegmented(string remotePath, string localPath, int segments,
                                      FtpFileOptions options = FtpFileOptions.None, IProgress<FtpProgress> progress = null,
                                      CancellationToken cancellationToken = default(CancellationToken))
        {
            if (segments < 0) throw new ArgumentOutOfRangeException("segments");
            byte[] r = Arg(remotePath, "remotePath"), l = Arg(localPath, "localPath");
            uint f = Flags(options);
            Run(remotePath, cancellationToken, progress, () => Native.ftp_pool_download_segmented(pool, r, l, (uint)segments, f));
        }

        public Task DownloadSegmentedAsync(string remotePath, string localPath, int segments,
                                           FtpFileOptions options = FtpFileOptions.None, IProgress<FtpProgress> progress = null,
                                           CancellationToken cancellationToken = default(CancellationToken))
        {
            return OnOwnThread(() => DownloadSegmented(remotePath, localPath, segments, options, progress, cancellationToken));
        }

        /// <summary>Stops every call running on the pool, from any thread
        /// (ftp_pool_cancel): each throws FtpCancelledException within about
        /// 100 ms, wherever it is (transfer, connect, wait for a session);
        /// calls waiting at that moment for a cancel to drain too. Calls made
        /// afterwards run normally. Never blocks; a Cancel while nothing runs
        /// does nothing.</summary>
        public void Cancel()
        {
            calls.StopAll("cancelled by FtpPool.Cancel");
            gate.Cancel();
        }

        /// <summary>Stops the running calls (FtpCancelledException) and frees
        /// the pool once the last one has returned (its idle sessions are
        /// closed). Never throws; later calls throw ObjectDisposedException.</summary>
        public void Dispose()
        {
            calls.StopAll(PoolCalls.Disposed);
            if (gate != null) gate.Cancel();
            pool.Dispose();
        }
    }
}
